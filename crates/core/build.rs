//! Compiles the one C file of the core: the landing of a fault escape (`native/escape.c`).

fn main() {
    println!("cargo:rerun-if-changed=native/escape.c");
    cc::Build::new()
        .file("native/escape.c")
        .flag_if_supported("-fno-omit-frame-pointer")
        .warnings_into_errors(true)
        .compile("iox2js_escape");
}
