//! `cargo run -p iceoryx2-js-codegen`: rewrites the config defaults named in the TypeScript doc
//! comments from iceoryx2's `Config::default()` (see the library's docs).

fn main() {
    let root = iceoryx2_js_codegen::workspace_root();
    match iceoryx2_js_codegen::stale_files(&root) {
        Ok(stale) => {
            for (file, filled) in &stale {
                std::fs::write(file, filled)
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
                println!("updated {}", file.display());
            }
            if stale.is_empty() {
                println!("doc-comment defaults already match iceoryx2's Config::default()");
            }
        }
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    }
}
