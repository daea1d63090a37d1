//! `cargo run -p iceoryx2-js-codegen`: writes core-api's `generated/contract.ts` and the config
//! defaults named in its doc comments (see the library's docs).

fn main() {
    let root = iceoryx2_js_codegen::workspace_root();
    match iceoryx2_js_codegen::stale_files(&root) {
        Ok(stale) => {
            for (file, filled) in &stale {
                if let Some(dir) = file.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                std::fs::write(file, filled)
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
                println!("updated {}", file.display());
            }
            if stale.is_empty() {
                println!("generated TypeScript already matches the Rust side");
            }
        }
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    }
}
