//! A FIFO where upstream's config search looks (`config/iceoryx2.toml` under the working
//! directory) is skipped like any file that cannot be loaded, instead of blocking every node.
//! The only test of this binary, as it changes the process's working directory.

mod support;

use std::sync::mpsc;
use std::time::Duration;

use iox2js_core::{bridge, close};
use serde_json::{json, Value};

const BOUND: Duration = Duration::from_secs(10);

fn control(op: &'static str, args: Value) -> Result<String, iox2js_core::Error> {
    bridge::control(op, 0.0, &args.to_string())
}

#[test]
fn a_fifo_in_the_search_order_is_skipped_without_blocking() {
    let project = std::env::temp_dir().join(format!(
        "iox2js_config_search_irregular_{}",
        std::process::id()
    ));
    std::fs::create_dir_all(project.join("config")).unwrap();
    let fifo = project.join("config/iceoryx2.toml");
    let c_path = std::ffi::CString::new(fifo.display().to_string()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let previous = std::env::current_dir().unwrap();
    std::env::set_current_dir(&project).unwrap();

    let prefix = format!("iox2js_config_search_irregular_{}_", std::process::id());
    let (sender, receiver) = mpsc::channel();
    let node_prefix = prefix.clone();
    std::thread::spawn(move || {
        let prefix = node_prefix;
        let resolved = control("config.resolve", json!({}));
        // Node creation (and the dead-node cleanup it runs) under the default search.
        let node = control("node.create", json!({"config": {"prefix": prefix}}));
        if let Ok(handle) = &node {
            close(handle.parse().unwrap());
        }
        let _ = sender.send((resolved, node.map(|_| ())));
    });
    let outcome = receiver.recv_timeout(BOUND);

    std::env::set_current_dir(previous).unwrap();
    std::fs::remove_dir_all(&project).unwrap();
    support::remove_shared_memory(&prefix);
    let (resolved, node) = outcome.expect("config search and node creation returned");
    let resolved: Value = serde_json::from_str(&resolved.unwrap()).unwrap();
    assert_ne!(resolved["source"], "config/iceoryx2.toml");
    node.unwrap();
}
