//! Upstream's config search order, the default of every node. The only test of this binary, as
//! it changes the process's working directory (`config/iceoryx2.toml` is relative to it).

use iox2js_core::{bridge, ErrorKind};
use serde_json::{json, Value};

fn resolve(spec: Value) -> Result<Value, iox2js_core::Error> {
    bridge::control("config.resolve", 0.0, &spec.to_string())
        .map(|out| serde_json::from_str(&out).unwrap())
}

#[test]
fn nodes_load_upstreams_search_order_by_default_and_skip_a_malformed_file_as_upstream_does() {
    let project = std::env::temp_dir().join(format!("iox2js_config_search_{}", std::process::id()));
    std::fs::create_dir_all(project.join("config")).unwrap();
    let file = project.join("config/iceoryx2.toml");
    let previous = std::env::current_dir().unwrap();
    std::env::set_current_dir(&project).unwrap();

    std::fs::write(&file, "[global]\nprefix = \"project_\"\n").unwrap();
    let found = resolve(json!({}));
    let built_in = resolve(json!({"builtInDefaults": true}));
    std::fs::write(
        &file,
        "[global]\nprefix = \"project_\"\n[defaults.event\nmax-listeners = 3\n",
    )
    .unwrap();
    let skipped = resolve(json!({}));
    let explicit = resolve(json!({"file": "config/iceoryx2.toml"}));

    std::env::set_current_dir(previous).unwrap();
    std::fs::remove_dir_all(&project).unwrap();

    let found = found.unwrap();
    assert_eq!(found["global"]["prefix"], "project_");
    assert_eq!(found["source"], "config/iceoryx2.toml");
    let built_in = built_in.unwrap();
    assert_eq!(built_in["global"]["prefix"], "iox2_");
    assert_eq!(built_in["source"], Value::Null);
    // Upstream warns and goes on to the next file, then to the built-in defaults.
    let skipped = skipped.unwrap();
    assert_eq!(skipped["global"]["prefix"], "iox2_");
    assert_eq!(skipped["source"], Value::Null);
    // Named explicitly, a malformed file is an error naming file and line.
    let explicit = explicit.unwrap_err();
    assert_eq!(explicit.kind, ErrorKind::ConfigError);
    assert!(
        explicit.message.contains("config/iceoryx2.toml") && explicit.message.contains("line 3"),
        "{}",
        explicit.message
    );
}
