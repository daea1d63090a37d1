//! What the core's integration tests share: a node in a domain (prefix) of its own, and type
//! details as the fronts send them.

#![allow(dead_code)] // each test file uses a part

use std::sync::atomic::{AtomicUsize, Ordering};

use iox2js_core::{close, Handle};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A node under a prefix of its own, so tests never see each other's services. Dropping it
/// closes the node and removes what iceoryx2 keeps per prefix (the global management segment).
pub struct Isolated {
    pub node: Handle,
    pub prefix: String,
}

impl Drop for Isolated {
    fn drop(&mut self) {
        close(self.node);
        remove_shared_memory(&self.prefix);
    }
}

/// Removes what iceoryx2 leaves in /dev/shm under `prefix` (at least the per-prefix global
/// management segment, which outlives every node by design).
pub fn remove_shared_memory(prefix: &str) {
    for entry in std::fs::read_dir("/dev/shm")
        .into_iter()
        .flatten()
        .flatten()
    {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A fresh isolated node; `label` names the test file in the prefix.
pub fn isolated(label: &str) -> Isolated {
    let prefix = format!(
        "iox2js_core_{label}_{}_{}_",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let node = create(
        "node.create",
        0,
        &format!(r#"{{"name":"core-test","config":{{"prefix":"{prefix}"}}}}"#),
    )
    .unwrap();
    Isolated { node, prefix }
}

/// JSON type details of a fixed-size type.
pub fn fixed(name: &str, size: usize, alignment: usize) -> String {
    format!(
        r#"{{"variant":"fixedSize","typeName":"{name}","size":{size},"alignment":{alignment}}}"#
    )
}

/// JSON type details of a slice of `name`.
pub fn slice(name: &str, size: usize, alignment: usize) -> String {
    format!(r#"{{"variant":"dynamic","typeName":"{name}","size":{size},"alignment":{alignment}}}"#)
}

/// Runs a control operation that creates something (a node, service, port or entry) as
/// JavaScript does, JSON arguments through the bridge, and returns the new handle: how the tests
/// reach the spec-taking core functions with the very text a front sends, malformed included.
pub fn create(op: &str, handle: Handle, args: &str) -> iox2js_core::Result<Handle> {
    iox2js_core::bridge::control(op, handle as f64, args)
        .map(|result| serde_json::from_str(&result).expect("a handle"))
}

/// A client and a server of a request-response service of slices, each declaring how many
/// elements its first loans may hold.
pub fn slice_client_and_server(
    service: Handle,
    client_max_slice_len: usize,
    server_max_slice_len: usize,
) -> (Handle, Handle) {
    let port = |op, len| create(op, service, &format!(r#"{{"initialMaxSliceLen":{len}}}"#));
    (
        port("reqres.clientCreate", client_max_slice_len).unwrap(),
        port("reqres.serverCreate", server_max_slice_len).unwrap(),
    )
}
