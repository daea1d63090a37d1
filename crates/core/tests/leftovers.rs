//! Shared-memory files left by a process killed while creating them (0 bytes: created, never
//! sized), and a damaged node-id segment. iceoryx2 0.10 waits for an empty segment forever; the
//! core refuses instead, naming the file. Every call that could hang runs on a thread of its own
//! or in a child process, with a bound, so a regression fails the test instead of hanging it.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use iox2js_core::leftovers::{GRACE, SHM_DIR};
use iox2js_core::{bridge, close, ErrorKind, Handle};
use serde_json::{json, Value};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Far longer than a scenario takes (each refusal takes at most `GRACE` plus a few file
/// operations).
const BOUND: Duration = Duration::from_secs(60);
/// How long an upstream call must stay blocked to count as waiting forever in the
/// reproductions (it would return an error within its 1 s creation timeout otherwise).
const UPSTREAM_BLOCKED_FOR: Duration = Duration::from_secs(3);

/// A prefix of its own; dropping it removes every file iceoryx2 made under it.
struct Domain {
    prefix: String,
    nodes: Vec<Handle>,
}

impl Domain {
    fn new() -> Self {
        Self {
            prefix: format!(
                "iox2js_leftovers_{}_{}_",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ),
            nodes: Vec::new(),
        }
    }

    fn config(&self) -> Value {
        json!({ "prefix": self.prefix })
    }

    fn node(&mut self) -> Handle {
        let node = create_node(&self.prefix).unwrap();
        self.nodes.push(node);
        node
    }

    /// The shared-memory files of the prefix whose names end with `suffix`.
    fn shm_files(&self, suffix: &str) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(SHM_DIR)
            .unwrap()
            .flatten()
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with(&self.prefix) && name.ends_with(suffix)
            })
            .map(|e| e.path())
            .collect();
        files.sort();
        files
    }

    fn shm_file(&self, suffix: &str) -> PathBuf {
        let files = self.shm_files(suffix);
        assert_eq!(
            files.len(),
            1,
            "one {suffix} file of {}: {files:?}",
            self.prefix
        );
        files[0].clone()
    }
}

impl Drop for Domain {
    fn drop(&mut self) {
        // First the empty files a failed test may have left, so that the dead nodes they held
        // up are cleaned up with the rest.
        for file in self.shm_files("") {
            if std::fs::metadata(&file).is_ok_and(|m| m.len() == 0) {
                let _ = std::fs::remove_file(file);
            }
        }
        for node in self.nodes.drain(..).rev() {
            close(node);
        }
        purge(&self.prefix);
    }
}

/// Removes every file iceoryx2 keeps for `prefix`: shared memory, service and node files.
fn purge(prefix: &str) {
    support::remove_shared_memory(prefix);
    let root = Path::new("/tmp/iceoryx2");
    let owned = |e: &std::fs::DirEntry| e.file_name().to_string_lossy().starts_with(prefix);
    for directory in [
        root.to_path_buf(),
        root.join("services"),
        root.join("nodes"),
    ] {
        for entry in std::fs::read_dir(&directory)
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() && directory.ends_with("nodes") {
                let files: Vec<_> = std::fs::read_dir(&path)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .collect();
                if !files.is_empty() && files.iter().all(owned) {
                    let _ = std::fs::remove_dir_all(&path);
                }
            } else if owned(&entry) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

fn control(op: &str, handle: Handle, args: Value) -> Result<Value, iox2js_core::Error> {
    bridge::control(op, handle as f64, &args.to_string())
        .map(|out| serde_json::from_str(&out).unwrap())
}

fn create_node(prefix: &str) -> Result<Handle, iox2js_core::Error> {
    support::create(
        "node.create",
        0,
        &json!({"name": "leftovers", "config": {"prefix": prefix}}).to_string(),
    )
}

fn pubsub_spec(name: &str, mode: &str) -> Value {
    json!({
        "name": name,
        "mode": mode,
        "payload": {"variant": "fixedSize", "typeName": "u64", "size": 8, "alignment": 8},
    })
}

/// Runs `f` on a thread of its own (handles belong to the thread that made them, so a scenario
/// runs there whole) and returns its result; panics when it does not end within `BOUND` (the
/// thread is left behind: the test has failed).
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let result = f();
        let _ = done.send(());
        result
    });
    match finished.recv_timeout(BOUND) {
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not end within {BOUND:?}"),
        _ => thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
    }
}

/// Asserts `result` is the refusal naming `file`.
fn assert_refused<T: std::fmt::Debug>(result: Result<T, iox2js_core::Error>, file: &Path) {
    let error = result.expect_err("refused");
    assert_eq!(error.kind, ErrorKind::ServiceInCorruptedState, "{error}");
    let path = file.display().to_string();
    assert!(error.message.contains(&path), "names {path}: {error}");
    assert!(error.message.contains(&format!("rm '{path}'")), "{error}");
    assert!(error.message.contains("killed while creating"), "{error}");
}

fn truncate(file: &Path) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(file)
        .unwrap()
        .set_len(0)
        .unwrap();
}

/// Runs `child_entry` as a child process in `mode` under `prefix`.
fn spawn_child(mode: &str, prefix: &str) -> Child {
    spawn_child_with(mode, prefix, "leftovers/service")
}

/// [`spawn_child`] with the service a `hold` child creates.
fn spawn_child_with(mode: &str, prefix: &str, service: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("IOX2JS_LEFTOVERS_CHILD", mode)
        .env("IOX2JS_LEFTOVERS_PREFIX", prefix)
        .env("IOX2JS_LEFTOVERS_SERVICE", service)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits (bounded) until the child prints `line`.
fn await_line(child: &mut Child, line: &'static str) {
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let found = bounded("the child", move || {
        stdout
            .lines()
            .map_while(Result::ok)
            .any(|l| l.contains(line))
    });
    assert!(found, "the child printed {line:?}");
}

/// Asserts that the child is still running after `UPSTREAM_BLOCKED_FOR`, then kills it.
fn assert_blocked(mut child: Child, what: &str) {
    let deadline = Instant::now() + UPSTREAM_BLOCKED_FOR;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "{what} returned ({status}): iceoryx2 no longer waits forever, so the check may go"
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A child that creates a node with a publish-subscribe service, a publisher and a subscriber
/// (so a connection), then waits to be killed: a dead node with a service and ports.
fn dead_node_with_ports(domain: &Domain) {
    dead_node_with_service(domain, "leftovers/service");
}

/// [`dead_node_with_ports`] with the service `service`; the dead process's id.
fn dead_node_with_service(domain: &Domain, service: &str) -> u32 {
    let mut child = spawn_child_with("hold", &domain.prefix, service);
    await_line(&mut child, "ready");
    child.kill().unwrap(); // SIGKILL: nothing is cleaned up
    child.wait().unwrap();
    child.id()
}

/// Not a test of its own: the child processes of the tests below.
#[test]
#[ignore]
fn child_entry() {
    let (Ok(mode), Ok(prefix)) = (
        std::env::var("IOX2JS_LEFTOVERS_CHILD"),
        std::env::var("IOX2JS_LEFTOVERS_PREFIX"),
    ) else {
        return;
    };
    use iceoryx2::prelude::*;
    let mut config = iceoryx2::config::Config::default();
    config.global.prefix = FileName::new(prefix.as_bytes()).unwrap();
    match mode.as_str() {
        "hold" => {
            let service_name = std::env::var("IOX2JS_LEFTOVERS_SERVICE")
                .unwrap_or_else(|_| "leftovers/service".to_string());
            let node = create_node(&prefix).unwrap();
            let service = support::create(
                "pubsub.serviceOpen",
                node,
                &pubsub_spec(&service_name, "create").to_string(),
            )
            .unwrap();
            support::create("pubsub.publisherCreate", service, "{}").unwrap();
            support::create("pubsub.subscriberCreate", service, "{}").unwrap();
            println!("ready");
            std::io::stdout().flush().unwrap();
            // Killed by the parent; the bound only keeps an orphan from living forever.
            std::thread::sleep(Duration::from_secs(60));
        }
        // Upstream directly, without the core's checks.
        "upstream-node" => {
            let _ = NodeBuilder::new().config(&config).create::<ipc::Service>();
        }
        "upstream-cleanup" => {
            let _ = iceoryx2::node::Node::<ipc::Service>::list(&config, |state| {
                if let iceoryx2::node::NodeState::Dead(view) = state {
                    let _ = view.try_remove_stale_resources();
                }
                CallbackProgression::Continue
            });
        }
        "upstream-list" => {
            let _ = ipc::Service::list(&config, |_| CallbackProgression::Continue);
        }
        // A node that does not clean up on creation (that would wait first), dropped: upstream
        // cleans up dead nodes on destruction.
        "upstream-close" => {
            config.global.node.cleanup_dead_nodes_on_creation = false;
            let node = NodeBuilder::new()
                .config(&config)
                .create::<ipc::Service>()
                .unwrap();
            println!("created");
            std::io::stdout().flush().unwrap();
            drop(node);
        }
        other => panic!("unknown mode {other}"),
    }
    println!("returned");
}

#[test]
fn upstream_waits_forever_on_an_empty_node_id_segment() {
    let mut domain = Domain::new();
    let node = domain.node();
    close(node);
    domain.nodes.clear();
    truncate(&domain.shm_file(".global_mgmt"));
    assert_blocked(
        spawn_child("upstream-node", &domain.prefix),
        "node creation",
    );
}

#[test]
fn upstream_waits_forever_on_an_empty_connection_or_dynamic_config_of_a_dead_node() {
    let domain = Domain::new();
    dead_node_with_ports(&domain);
    let connection = domain.shm_file(".connection");
    truncate(&connection);
    assert_blocked(
        spawn_child("upstream-cleanup", &domain.prefix),
        "dead-node cleanup",
    );
    std::fs::remove_file(&connection).unwrap();
    truncate(&domain.shm_file(".dynamic"));
    assert_blocked(
        spawn_child("upstream-list", &domain.prefix),
        "listing services",
    );
}

#[test]
fn node_creation_refuses_an_empty_node_id_segment_and_works_once_it_is_removed() {
    bounded("the scenario", || {
        let mut domain = Domain::new();
        let first = domain.node();
        let segment = domain.shm_file(".global_mgmt");
        truncate(&segment);
        let started = Instant::now();
        assert_refused(create_node(&domain.prefix), &segment);
        // A fresh empty file is judged once GRACE has passed, not before.
        assert!(started.elapsed() >= GRACE - Duration::from_millis(50));
        // Now old enough: refused at once.
        let started = Instant::now();
        let error = create_node(&domain.prefix).unwrap_err();
        assert!(started.elapsed() < GRACE, "{:?}", started.elapsed());
        assert!(error.message.contains("node-id segment"), "{error}");
        // Nodes already running are unaffected.
        assert_eq!(control("node.name", first, json!({})).unwrap(), "leftovers");

        std::fs::remove_file(&segment).unwrap();
        domain.node();
    });
}

#[test]
fn a_segment_still_being_created_is_not_a_leftover() {
    bounded("the scenario", || {
        // The node-id segment's name under a fresh prefix, from another prefix's.
        let mut template = Domain::new();
        template.node();
        let existing = template.shm_file(".global_mgmt");
        let name = existing.file_name().unwrap().to_string_lossy().into_owned();
        let mut domain = Domain::new();
        let segment = Path::new(SHM_DIR).join(name.replacen(&template.prefix, &domain.prefix, 1));
        std::fs::File::create(&segment).unwrap();
        // A creator that sizes and initialises the segment a moment later (well within GRACE),
        // as a slow process would: version 0.10.0 and a node counter.
        let filler = {
            let segment = segment.clone();
            std::thread::spawn(move || {
                std::thread::sleep(GRACE / 5);
                let version: u64 = 10 << 16;
                let mut bytes = version.to_ne_bytes().to_vec();
                bytes.extend_from_slice(&[0u8; 8]);
                std::fs::write(&segment, bytes).unwrap();
            })
        };
        domain.node();
        filler.join().unwrap();
    });
}

#[test]
fn random_bytes_in_the_node_id_segment_are_named_with_the_file_to_remove() {
    bounded("the scenario", || {
        let mut domain = Domain::new();
        close(domain.node());
        domain.nodes.clear();
        let segment = domain.shm_file(".global_mgmt");
        std::fs::write(&segment, [0xa5u8; 16]).unwrap();
        let error = create_node(&domain.prefix).unwrap_err();
        assert_eq!(error.kind, ErrorKind::ServiceInCorruptedState, "{error}");
        let path = segment.display().to_string();
        assert!(error.message.contains(&format!("rm '{path}'")), "{error}");
        assert!(
            error
                .message
                .contains("version field reads 0xa5a5a5a5a5a5a5a5"),
            "{error}"
        );
        assert!(
            error
                .message
                .ends_with("(iceoryx2: UnableToGenerateUniqueNodeId)"),
            "{error}"
        );
        std::fs::remove_file(&segment).unwrap();
        domain.node();
    });
}

#[test]
fn an_empty_connection_of_a_dead_node_is_refused_by_cleanup_node_creation_and_service_opening() {
    bounded("the scenario", || {
        let mut domain = Domain::new();
        let node = domain.node();
        dead_node_with_ports(&domain);
        let connection = domain.shm_file(".connection");
        truncate(&connection);

        // Other tests of this process clean up at the same time: iceoryx2 lets one thread of a
        // process do that at once, and the others wait for it within timeoutMs.
        let config = json!({"config": domain.config(), "timeoutMs": 5000});
        assert_refused(
            control("discovery.cleanupDeadNodes", 0, config.clone()),
            &connection,
        );
        assert_refused(create_node(&domain.prefix), &connection);
        // Opening a service first cleans up the dead nodes registered with it (upstream's
        // cleanup_dead_nodes_on_open): refused for the dead node's service, not for others.
        let opened = support::create(
            "pubsub.serviceOpen",
            node,
            &pubsub_spec("leftovers/service", "open").to_string(),
        );
        assert_refused(opened, &connection);
        let other = support::create(
            "pubsub.serviceOpen",
            node,
            &pubsub_spec("leftovers/other", "openOrCreate").to_string(),
        )
        .unwrap();
        close(other);
        // Listing only reads the services: the connection is none of its business.
        let listed = control(
            "discovery.listServices",
            0,
            json!({"config": domain.config()}),
        );
        assert_eq!(listed.unwrap().as_array().unwrap().len(), 1);

        std::fs::remove_file(&connection).unwrap();
        let report = control("discovery.cleanupDeadNodes", 0, config).unwrap();
        assert_eq!(report["removed"].as_array().unwrap().len(), 1, "{report}");
        assert_eq!(report["failed"], json!([]));
    });
}

#[test]
fn an_empty_dynamic_config_is_refused_by_every_reader_and_removed_by_force() {
    bounded("the scenario", || {
        let mut domain = Domain::new();
        let node = domain.node();
        dead_node_with_ports(&domain);
        let dynamic = domain.shm_file(".dynamic");
        truncate(&dynamic);

        // Other tests of this process clean up at the same time: iceoryx2 lets one thread of a
        // process do that at once, and the others wait for it within timeoutMs.
        let config = json!({"config": domain.config(), "timeoutMs": 5000});
        let service = json!({"name": "leftovers/service", "pattern": "publishSubscribe"});
        let mut details = service.clone();
        details["config"] = domain.config();
        for op in ["discovery.serviceDetails", "discovery.doesExist"] {
            assert_refused(control(op, 0, details.clone()), &dynamic);
        }
        let listed = control(
            "discovery.listServices",
            0,
            json!({"config": domain.config()}),
        );
        let error = listed.as_ref().unwrap_err();
        assert!(
            error
                .message
                .contains("service \"leftovers/service\" (publishSubscribe)"),
            "{error}"
        );
        assert_refused(listed, &dynamic);
        assert_refused(
            control("discovery.cleanupDeadNodes", 0, config.clone()),
            &dynamic,
        );
        assert_refused(create_node(&domain.prefix), &dynamic);
        let opened = support::create(
            "pubsub.serviceOpen",
            node,
            &pubsub_spec("leftovers/service", "open").to_string(),
        );
        assert_refused(opened, &dynamic);
        // Another service's details are not this one's business.
        let mut other = details.clone();
        other["name"] = json!("leftovers/unrelated");
        assert_eq!(
            control("discovery.doesExist", 0, other).unwrap(),
            json!(false)
        );

        // Forced removal is what a service no one can read is for: it reads nothing first.
        let removed = control("node.forceRemoveService", node, service).unwrap();
        assert_eq!(removed, json!(true));
        assert!(!dynamic.exists());
        let report = control("discovery.cleanupDeadNodes", 0, config).unwrap();
        assert_eq!(report["removed"].as_array().unwrap().len(), 1, "{report}");
    });
}

#[test]
fn an_empty_dynamic_config_removed_by_hand_leaves_a_service_the_cleanup_removes() {
    bounded("the scenario", || {
        let domain = Domain::new();
        dead_node_with_ports(&domain);
        let dynamic = domain.shm_file(".dynamic");
        truncate(&dynamic);
        // Other tests of this process clean up at the same time: iceoryx2 lets one thread of a
        // process do that at once, and the others wait for it within timeoutMs.
        let config = json!({"config": domain.config(), "timeoutMs": 5000});
        let error = control("discovery.cleanupDeadNodes", 0, config.clone()).unwrap_err();
        assert!(
            error.message.contains("dead-node cleanup removes the rest"),
            "{error}"
        );

        std::fs::remove_file(&dynamic).unwrap();
        let report = control("discovery.cleanupDeadNodes", 0, config.clone()).unwrap();
        assert_eq!(report["removed"].as_array().unwrap().len(), 1, "{report}");
        let listed = control(
            "discovery.listServices",
            0,
            json!({"config": domain.config()}),
        );
        assert_eq!(listed.unwrap(), json!([]));
    });
}

#[test]
fn without_leftovers_nothing_waits() {
    bounded("the scenario", || {
        let mut domain = Domain::new();
        let started = Instant::now();
        let node = domain.node();
        let service = support::create(
            "pubsub.serviceOpen",
            node,
            &pubsub_spec("leftovers/healthy", "create").to_string(),
        )
        .unwrap();
        close(service);
        control(
            "discovery.cleanupDeadNodes",
            0,
            json!({"config": domain.config()}),
        )
        .unwrap();
        assert!(started.elapsed() < GRACE, "{:?}", started.elapsed());
    });
}

/// The nodes of the domain as `Node.list` shows them: (state, pid).
fn node_states(domain: &Domain) -> Vec<(String, u64)> {
    let listed = control("discovery.listNodes", 0, json!({"config": domain.config()})).unwrap();
    let mut states: Vec<(String, u64)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["state"].as_str().unwrap().to_string(),
                n["pid"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    states.sort();
    states
}

/// The files of `domain` ending with `suffix` that are not in `before`: the one made since.
fn new_shm_file(domain: &Domain, suffix: &str, before: &[PathBuf]) -> PathBuf {
    let new: Vec<PathBuf> = domain
        .shm_files(suffix)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert_eq!(new.len(), 1, "one new {suffix} file: {new:?}");
    new[0].clone()
}

#[test]
fn service_opening_is_refused_only_for_the_service_a_leftover_belongs_to() {
    bounded("the scenario", || {
        let mut domain = Domain::new();
        let node = domain.node();
        let open = |name: &str, mode: &str| {
            support::create(
                "pubsub.serviceOpen",
                node,
                &pubsub_spec(name, mode).to_string(),
            )
        };
        let healthy = open("leftovers/healthy", "create").unwrap();
        let before = domain.shm_files(".dynamic");
        dead_node_with_ports(&domain);
        let dynamic = new_shm_file(&domain, ".dynamic", &before);
        truncate(&dynamic);

        assert_refused(open("leftovers/service", "open"), &dynamic);
        assert_refused(open("leftovers/service", "openOrCreate"), &dynamic);
        // The other services of the prefix: opened, created, without waiting for GRACE.
        let started = Instant::now();
        let again = open("leftovers/healthy", "open").unwrap();
        let created = open("leftovers/new", "openOrCreate").unwrap();
        assert!(started.elapsed() < GRACE, "{:?}", started.elapsed());
        for service in [again, created, healthy] {
            close(service);
        }

        std::fs::remove_file(&dynamic).unwrap();
        let config = json!({"config": domain.config(), "timeoutMs": 5000});
        let report = control("discovery.cleanupDeadNodes", 0, config).unwrap();
        assert_eq!(report["removed"].as_array().unwrap().len(), 1, "{report}");
    });
}

#[test]
fn upstream_waits_forever_closing_a_node_while_a_dead_nodes_connection_is_empty() {
    let domain = Domain::new();
    dead_node_with_ports(&domain);
    let connection = domain.shm_file(".connection");
    truncate(&connection);
    let mut child = spawn_child("upstream-close", &domain.prefix);
    await_line(&mut child, "created");
    assert_blocked(child, "closing a node");
}

#[test]
fn closing_a_node_never_waits_on_a_dead_nodes_leftover() {
    bounded("the scenario", || {
        let domain = Domain::new();
        let node = create_node(&domain.prefix).unwrap();
        let pid = dead_node_with_service(&domain, "leftovers/service");
        let connection = domain.shm_file(".connection");
        truncate(&connection);
        // Empty for GRACE already: as a leftover found by a call that can report it would be.
        std::thread::sleep(GRACE);

        let started = Instant::now();
        assert!(close(node));
        assert!(started.elapsed() < GRACE, "{:?}", started.elapsed());
        // The dead node stays until its leftover is gone.
        assert_eq!(node_states(&domain), [("dead".to_string(), u64::from(pid))]);
        std::fs::remove_file(&connection).unwrap();
        let config = json!({"config": domain.config(), "timeoutMs": 5000});
        let report = control("discovery.cleanupDeadNodes", 0, config).unwrap();
        assert_eq!(report["removed"].as_array().unwrap().len(), 1, "{report}");
    });
}

#[test]
fn the_cleanup_on_close_skips_only_the_dead_nodes_it_would_wait_on() {
    bounded("the scenario", || {
        use iceoryx2::prelude::*;
        let domain = Domain::new();
        // Both alive until both are made: a node creation cleans up dead nodes.
        let mut held_up = spawn_child_with("hold", &domain.prefix, "leftovers/a");
        await_line(&mut held_up, "ready");
        let connection = domain.shm_file(".connection");
        let mut cleaned = spawn_child_with("hold", &domain.prefix, "leftovers/b");
        await_line(&mut cleaned, "ready");
        for child in [&mut held_up, &mut cleaned] {
            child.kill().unwrap();
            child.wait().unwrap();
        }
        let (held_up, cleaned) = (held_up.id(), cleaned.id());
        // A fresh empty file: closing cannot wait to tell a leftover from a segment being
        // created, and skips either.
        truncate(&connection);

        let mut config = iceoryx2::config::Config::default();
        config.global.prefix = FileName::new(domain.prefix.as_bytes()).unwrap();
        config.global.node.cleanup_dead_nodes_on_creation = false;
        config.global.node.cleanup_dead_nodes_on_destruction = false;
        let node = NodeBuilder::new()
            .config(&config)
            .create::<ipc::Service>()
            .unwrap();
        let started = Instant::now();
        iox2js_core::node::cleanup_dead_nodes_before_close(&node);
        assert!(started.elapsed() < GRACE, "{:?}", started.elapsed());
        let states = node_states(&domain);
        assert!(
            states.contains(&("dead".to_string(), u64::from(held_up))),
            "{states:?}"
        );
        assert!(
            !states.iter().any(|(_, pid)| *pid == u64::from(cleaned)),
            "{states:?}"
        );
        drop(node);

        std::fs::remove_file(&connection).unwrap();
        let config = json!({"config": domain.config(), "timeoutMs": 5000});
        let report = control("discovery.cleanupDeadNodes", 0, config).unwrap();
        assert_eq!(report["removed"].as_array().unwrap().len(), 1, "{report}");
    });
}

#[test]
fn creating_ports_opens_no_connection_of_a_dead_node() {
    bounded("the scenario", || {
        let mut domain = Domain::new();
        let mut holder = spawn_child("hold", &domain.prefix);
        await_line(&mut holder, "ready");
        // The service is opened while its creator lives: opening cleans up dead nodes.
        let node = domain.node();
        let service = support::create(
            "pubsub.serviceOpen",
            node,
            &pubsub_spec("leftovers/service", "open").to_string(),
        )
        .unwrap();
        holder.kill().unwrap();
        holder.wait().unwrap();
        let connection = domain.shm_file(".connection");
        truncate(&connection);

        // New ports connect to the dead node's ports under their own new ids; they open the
        // dead publisher's data segment, which is whole.
        let started = Instant::now();
        support::create("pubsub.publisherCreate", service, "{}").unwrap();
        support::create("pubsub.subscriberCreate", service, "{}").unwrap();
        assert!(started.elapsed() < GRACE, "{:?}", started.elapsed());
        close(service);
        std::fs::remove_file(&connection).unwrap();
    });
}

#[test]
fn a_nodes_config_shows_the_cleanup_on_close_it_was_created_with() {
    let domain = Domain::new();
    let file = std::env::temp_dir().join(format!("{}close_cleanup_off.toml", domain.prefix));
    std::fs::write(
        &file,
        "[global.node]\ncleanup-dead-nodes-on-destruction = false\n",
    )
    .unwrap();
    let flag = |config: Value| {
        let node =
            support::create("node.create", 0, &json!({ "config": config }).to_string()).unwrap();
        let shown = control("node.config", node, json!({})).unwrap();
        close(node);
        shown["global"]["node"]["cleanupDeadNodesOnDestruction"].clone()
    };
    let off = flag(json!({"file": file.display().to_string(), "prefix": domain.prefix}));
    let on = flag(json!({"prefix": domain.prefix, "builtInDefaults": true}));
    std::fs::remove_file(&file).unwrap();
    assert_eq!((off, on), (json!(false), json!(true)));
}

#[test]
fn a_dead_nodes_service_with_a_garbage_pattern_tag_is_refused_before_cleanup_reads_it() {
    use std::os::unix::fs::FileExt;
    bounded("the scenario", || {
        let mut domain = Domain::new();
        let node = domain.node();
        dead_node_with_ports(&domain);
        // What a peer could write before it died: no messaging pattern. iceoryx2's dead-node
        // cleanup matches on the tag without a check (undefined behaviour).
        let dynamic = domain.shm_file(".dynamic");
        let offset = iox2js_core::pattern_tag::offset_in_file() as u64;
        std::fs::OpenOptions::new()
            .write(true)
            .open(&dynamic)
            .unwrap()
            .write_all_at(&0x5eed_u32.to_ne_bytes(), offset)
            .unwrap();

        let config = json!({"config": domain.config(), "timeoutMs": 5000});
        let refused = [
            control("discovery.cleanupDeadNodes", 0, config.clone()).map(|_| ()),
            create_node(&domain.prefix).map(|node| {
                close(node);
            }),
            support::create(
                "pubsub.serviceOpen",
                node,
                &pubsub_spec("leftovers/service", "open").to_string(),
            )
            .map(|service| {
                close(service);
            }),
        ];
        for result in refused {
            let error = result.unwrap_err();
            assert_eq!(error.kind, ErrorKind::ServiceInCorruptedState, "{error}");
            assert!(
                error.message.contains(&dynamic.display().to_string())
                    && error.message.contains("pattern tag holds 0x5eed"),
                "{error}"
            );
        }

        // Forced removal clears it; then the dead node is cleaned up as usual.
        let service = json!({"name": "leftovers/service", "pattern": "publishSubscribe"});
        let removed = control("node.forceRemoveService", node, service).unwrap();
        assert_eq!(removed, json!(true));
        let report = control("discovery.cleanupDeadNodes", 0, config).unwrap();
        assert_eq!(report["removed"].as_array().unwrap().len(), 1, "{report}");
    });
}
