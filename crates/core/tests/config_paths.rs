//! Config paths iceoryx2 cannot use fail with a kind and a message that say why, instead of
//! iceoryx2's "InternalError", and leave nothing behind.

use iox2js_core::{close, ErrorKind};

mod support;
use support::isolated;

fn node_with(prefix: &str, root: &str) -> iox2js_core::Result<u64> {
    let config = serde_json::json!({ "config": { "prefix": prefix, "rootPath": root } });
    support::create("node.create", 0, &config.to_string())
}

#[test]
fn a_root_path_iceoryx2_cannot_create_directories_under_is_a_config_error() {
    let isolated = isolated("paths");
    let error = node_with(&isolated.prefix, "/proc").unwrap_err();
    assert_eq!(error.kind, ErrorKind::ConfigError, "{error}");
    assert!(
        error.message.contains(r#"config root path "/proc""#)
            && error.message.contains("cannot create \"/proc/"),
        "{error}"
    );

    let file = std::env::temp_dir().join(format!("{}root-is-a-file", isolated.prefix));
    std::fs::write(&file, "").unwrap();
    let error = node_with(&isolated.prefix, file.to_str().unwrap()).unwrap_err();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(error.kind, ErrorKind::ConfigError, "{error}");
    assert!(error.message.contains("not a directory"), "{error}");

    // A root path that does not exist yet is created by iceoryx2, as before.
    let root = std::env::temp_dir().join(format!("{}fresh-root", isolated.prefix));
    let node = node_with(&isolated.prefix, root.to_str().unwrap()).unwrap();
    assert!(root.join("nodes").is_dir());
    close(node);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn nul_bytes_in_prefix_or_root_path_are_named() {
    let isolated = isolated("paths");
    for (prefix, root) in [
        ("pre\0fix_", "/tmp/iceoryx2/"),
        ("prefix_", "/tmp/ice\0oryx2/"),
    ] {
        let error = node_with(prefix, root).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidName, "{error}");
        assert!(error.message.contains("contains a NUL byte"), "{error}");
    }
    // The isolated node of this test still works, and so does a fresh one.
    close(node_with(&isolated.prefix, "/tmp/iceoryx2/").unwrap());
}
