//! Discovery, configuration and attributes through the core's operations, as the fronts call them.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use iox2js_core::{bridge, close, node, ErrorKind, Handle};
use serde_json::{json, Value};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique_prefix() -> String {
    format!(
        "iox2js_discovery_test_{}_{}_",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Nodes under a prefix of their own; dropping closes them and removes the prefix's files.
struct Domain {
    prefix: String,
    nodes: Vec<Handle>,
}

impl Domain {
    fn new() -> Self {
        Self {
            prefix: unique_prefix(),
            nodes: Vec::new(),
        }
    }

    fn config(&self) -> Value {
        json!({ "prefix": self.prefix })
    }

    fn node(&mut self, name: &str) -> Handle {
        let node = support::create(
            "node.create",
            0,
            &json!({"name": name, "config": self.config()}).to_string(),
        )
        .unwrap();
        self.nodes.push(node);
        node
    }
}

impl Drop for Domain {
    fn drop(&mut self) {
        for node in self.nodes.drain(..).rev() {
            close(node);
        }
        support::remove_shared_memory(&self.prefix);
    }
}

fn control(op: &str, handle: Handle, args: Value) -> Result<Value, iox2js_core::Error> {
    bridge::control(op, handle as f64, &args.to_string())
        .map(|out| serde_json::from_str(&out).unwrap())
}

fn pubsub_spec(name: &str, mode: &str, attributes: Value) -> Value {
    json!({
        "name": name,
        "mode": mode,
        "payload": {"variant": "fixedSize", "typeName": "u64", "size": 8, "alignment": 8},
        "attributes": attributes,
    })
}

fn open_pubsub(
    node: Handle,
    name: &str,
    mode: &str,
    attributes: Value,
) -> Result<Handle, iox2js_core::Error> {
    control(
        "pubsub.serviceOpen",
        node,
        pubsub_spec(name, mode, attributes),
    )
    .map(|h| h.as_u64().unwrap())
}

fn services(config: &Value) -> Vec<Value> {
    let list = control("discovery.listServices", 0, json!({"config": config})).unwrap();
    list.as_array().unwrap().clone()
}

#[test]
fn services_are_listed_with_their_static_config_and_only_in_their_domain() {
    let mut domain = Domain::new();
    let other = Domain::new();
    let node = domain.node("lister");
    let pubsub = open_pubsub(
        node,
        "Discovery/Listed",
        "create",
        json!({"define": [{"key": "role", "value": "sensor"}]}),
    )
    .unwrap();
    let event = control(
        "event.serviceOpen",
        node,
        json!({"name": "Discovery/Listed", "mode": "create", "qos": {"maxListeners": 3}}),
    )
    .unwrap();

    let mut listed = services(&domain.config());
    listed.sort_by_key(|s| s["pattern"].as_str().unwrap().to_string());
    assert_eq!(listed.len(), 2);
    let (event_info, pubsub_info) = (&listed[0], &listed[1]);
    assert_eq!(event_info["pattern"], "event");
    assert_eq!(event_info["qos"]["maxListeners"], 3);
    assert_eq!(pubsub_info["pattern"], "publishSubscribe");
    assert_eq!(pubsub_info["name"], "Discovery/Listed");
    assert_eq!(pubsub_info["payload"]["typeName"], "u64");
    assert_eq!(pubsub_info["userHeader"]["typeName"], "()");
    assert_eq!(
        pubsub_info["attributes"],
        json!([{"key": "role", "value": "sensor"}])
    );
    assert_eq!(pubsub_info["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(pubsub_info["nodes"][0]["name"], "lister");
    assert_ne!(
        pubsub_info["id"], event_info["id"],
        "the id is per name and pattern"
    );

    let query = |pattern: &str, config: &Value| json!({"name": "Discovery/Listed", "pattern": pattern, "config": config});
    assert_eq!(
        control(
            "discovery.doesExist",
            0,
            query("publishSubscribe", &domain.config())
        )
        .unwrap(),
        true
    );
    assert_eq!(
        control(
            "discovery.doesExist",
            0,
            query("requestResponse", &domain.config())
        )
        .unwrap(),
        false
    );
    assert_eq!(
        control(
            "discovery.doesExist",
            0,
            query("publishSubscribe", &other.config())
        )
        .unwrap(),
        false
    );
    let details = control(
        "discovery.serviceDetails",
        0,
        query("publishSubscribe", &domain.config()),
    )
    .unwrap();
    assert_eq!(details["id"], pubsub_info["id"]);
    assert_eq!(details["qos"], pubsub_info["qos"]);
    assert_eq!(
        control(
            "discovery.serviceDetails",
            0,
            query("blackboard", &domain.config())
        )
        .unwrap(),
        Value::Null
    );
    assert!(services(&other.config()).is_empty());

    close(pubsub);
    close(event.as_u64().unwrap());
    assert!(
        services(&domain.config()).is_empty(),
        "closing the last port factory removes the service"
    );
}

#[test]
fn opening_a_name_under_another_pattern_is_an_incompatible_pattern() {
    // iceoryx2 0.10 hashes pattern and name together: one name can carry a service per pattern,
    // and opening the wrong one only finds nothing. The core names the pattern that exists.
    let mut domain = Domain::new();
    let node = domain.node("patterns");
    let _pubsub = open_pubsub(node, "Discovery/Pattern", "create", json!({})).unwrap();
    let event = |mode: &str| {
        control(
            "event.serviceOpen",
            node,
            json!({"name": "Discovery/Pattern", "mode": mode}),
        )
    };
    let error = event("open").unwrap_err();
    assert_eq!(error.kind, ErrorKind::IncompatibleMessagingPattern);
    assert!(error.message.contains("publishSubscribe"), "{error}");
    let created = event("create").unwrap();
    assert_eq!(services(&domain.config()).len(), 2);
    close(created.as_u64().unwrap());
}

#[test]
fn bad_discovery_arguments_give_typed_errors() {
    let domain = Domain::new();
    let args = |name: Value, pattern: Value| json!({"name": name, "pattern": pattern, "config": domain.config()});
    assert_eq!(
        control("discovery.doesExist", 0, args(json!(""), json!("event")))
            .unwrap_err()
            .kind,
        ErrorKind::InvalidName
    );
    assert_eq!(
        control("discovery.doesExist", 0, args(json!("A"), json!("pubsub")))
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        control(
            "discovery.listNodes",
            0,
            json!({"config": {"prefix": "a/b"}})
        )
        .unwrap_err()
        .kind,
        ErrorKind::InvalidName
    );
    assert_eq!(
        control("discovery.listServices", 0, json!({"confg": {}}))
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );
}

#[test]
fn nodes_are_listed_with_their_details() {
    let mut domain = Domain::new();
    let first = domain.node("first");
    let _second = domain.node("second");
    let nodes = control("discovery.listNodes", 0, json!({"config": domain.config()})).unwrap();
    let nodes = nodes.as_array().unwrap();
    assert_eq!(nodes.len(), 2);
    let mut names: Vec<_> = nodes.iter().map(|n| n["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["first", "second"]);
    for node in nodes {
        assert_eq!(node["state"], "alive");
        assert_eq!(node["pid"], std::process::id());
    }
    let id = control("node.id", first, json!({})).unwrap();
    assert!(nodes.iter().any(|n| n["id"] == id));
    let config = control("node.config", first, json!({})).unwrap();
    assert_eq!(config["global"]["prefix"], domain.prefix.as_str());
    close(first);
    assert_eq!(
        control("node.id", first, json!({})).unwrap_err().kind,
        ErrorKind::HandleClosed
    );
}

/// Not a test of its own: the child process `dead_nodes_are_reported_and_cleaned_up` kills.
#[test]
#[ignore]
fn child_holding_a_node() {
    let Ok(prefix) = std::env::var("IOX2JS_CHILD_PREFIX") else {
        return;
    };
    let _node = support::create(
        "node.create",
        0,
        &json!({"name": "doomed", "config": {"prefix": prefix}}).to_string(),
    )
    .unwrap();
    println!("ready");
    // Killed by the parent; the bound only keeps an orphan from living forever.
    std::thread::sleep(std::time::Duration::from_secs(60));
}

#[test]
fn dead_nodes_are_reported_and_cleaned_up() {
    let domain = Domain::new();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_holding_a_node",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("IOX2JS_CHILD_PREFIX", &domain.prefix)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    assert!(
        stdout
            .lines()
            .map_while(Result::ok)
            .any(|line| line.contains("ready")),
        "the child created its node"
    );
    child.kill().unwrap(); // SIGKILL: the node has no chance to clean up
    child.wait().unwrap();

    let config = json!({"config": domain.config()});
    let nodes = control("discovery.listNodes", 0, config.clone()).unwrap();
    assert_eq!(nodes.as_array().unwrap().len(), 1);
    assert_eq!(nodes[0]["state"], "dead");
    assert_eq!(nodes[0]["name"], "doomed");
    assert_eq!(nodes[0]["pid"], child.id());

    let report = control("discovery.cleanupDeadNodes", 0, config.clone()).unwrap();
    assert_eq!(report["removed"].as_array().unwrap().len(), 1);
    assert_eq!(report["removed"][0]["id"], nodes[0]["id"]);
    assert_eq!(report["failed"], json!([]));
    assert_eq!(
        control("discovery.listNodes", 0, config.clone()).unwrap(),
        json!([])
    );
    let again = control("discovery.cleanupDeadNodes", 0, config).unwrap();
    assert_eq!(again, json!({"removed": [], "failed": []}));
}

fn resolve(spec: Value) -> Result<Value, iox2js_core::Error> {
    control("config.resolve", 0, spec)
}

#[test]
fn defaults_overrides_reach_the_config_and_new_services() {
    let config = resolve(json!({
        "builtInDefaults": true,
        "defaults": {
            "publishSubscribe": {"maxSubscribers": 3, "enableSafeOverflow": false, "backpressureStrategy": "discardData"},
            "event": {"deadlineMs": 250, "notifierDeadEvent": 7},
            "requestResponse": {"maxClients": 5},
            "blackboard": {"maxReaders": 2},
        }
    }))
    .unwrap();
    let defaults = &config["defaults"];
    assert_eq!(defaults["publishSubscribe"]["maxSubscribers"], 3);
    assert_eq!(
        defaults["publishSubscribe"]["maxPublishers"], 2,
        "untouched values keep iceoryx2's defaults"
    );
    assert_eq!(defaults["publishSubscribe"]["enableSafeOverflow"], false);
    assert_eq!(
        defaults["publishSubscribe"]["backpressureStrategy"],
        "discardData"
    );
    assert_eq!(defaults["event"]["deadlineMs"], 250.0);
    assert_eq!(defaults["event"]["notifierDeadEvent"], 7);
    assert_eq!(defaults["requestResponse"]["maxClients"], 5);
    assert_eq!(defaults["blackboard"]["maxReaders"], 2);
    assert_eq!(config["global"]["prefix"], "iox2_");
    assert_eq!(config["global"]["creationTimeoutMs"], 1000.0);
    assert_eq!(config["source"], Value::Null);

    let domain = Domain::new();
    let node = support::create("node.create", 0, 
        &json!({"config": {"prefix": domain.prefix, "defaults": {"publishSubscribe": {"maxSubscribers": 3}}}}).to_string(),
    )
    .unwrap();
    let service = open_pubsub(node, "Discovery/Defaults", "create", json!({})).unwrap();
    let info = iox2js_core::pubsub::service_info(service).unwrap();
    assert_eq!(info.qos.max_subscribers, Some(3));
    assert_eq!(
        control("node.config", node, json!({})).unwrap()["defaults"]["publishSubscribe"]
            ["maxSubscribers"],
        3
    );
    close(node);
}

#[test]
fn bad_config_overrides_give_typed_errors() {
    let cases = [
        (
            json!({"defaults": {"publishSubscribe": {"maxSubscriber": 3}}}),
            "defaults.publishSubscribe.maxSubscriber",
        ),
        (json!({"defaults": {"pubSub": {}}}), "defaults.pubSub"),
        (
            json!({"defaults": {"publishSubscribe": {"maxSubscribers": -1}}}),
            "maxSubscribers",
        ),
        (
            json!({"defaults": {"publishSubscribe": {"maxSubscribers": 1.5}}}),
            "maxSubscribers",
        ),
        (
            json!({"defaults": {"publishSubscribe": {"maxSubscribers": 1e12}}}),
            "maxSubscribers",
        ),
        (
            json!({"defaults": {"publishSubscribe": {"enableSafeOverflow": 1}}}),
            "enableSafeOverflow",
        ),
        (
            json!({"defaults": {"publishSubscribe": {"backpressureStrategy": "drop"}}}),
            "Drop",
        ),
        (
            json!({"defaults": {"event": {"deadlineMs": -5}}}),
            "deadlineMs",
        ),
        (json!({"defaults": {"event": 3}}), "defaults.event"),
        (json!({"defaults": []}), "defaults"),
        (
            json!({"file": "/tmp/x.toml", "builtInDefaults": true}),
            "builtInDefaults",
        ),
    ];
    for (spec, named) in cases {
        let error = resolve(spec.clone()).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument, "{spec}: {error}");
        assert!(
            error.message.contains(named),
            "{spec}: '{}' names {named}",
            error.message
        );
    }
    let long_root = format!("/tmp/{}", "r".repeat(240));
    assert_eq!(
        resolve(json!({"rootPath": long_root})).unwrap_err().kind,
        ErrorKind::ConfigError
    );
    assert_eq!(
        resolve(json!({"prefix": "a/b"})).unwrap_err().kind,
        ErrorKind::InvalidName
    );
}

#[test]
fn the_longest_allowed_prefix_works_and_a_longer_one_is_refused() {
    // iceoryx2 aborts on file names past 255 bytes; root path and prefix leave room for them.
    let root = "/tmp/iceoryx2/";
    let tag = unique_prefix();
    let longest = format!(
        "{tag}{}",
        "p".repeat(node::MAX_ROOT_AND_PREFIX_LEN - root.len() - tag.len())
    );
    let mut domain = Domain {
        prefix: longest.clone(),
        nodes: Vec::new(),
    };
    let node = domain.node("long");
    let service = open_pubsub(node, "Discovery/LongPrefix", "create", json!({})).unwrap();
    support::create("pubsub.publisherCreate", service, "{}").unwrap();
    support::create("pubsub.subscriberCreate", service, "{}").unwrap();
    assert_eq!(services(&domain.config()).len(), 1);
    let error = resolve(json!({"prefix": format!("{longest}p")})).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ConfigError, "{error}");
    let error = support::create(
        "node.create",
        0,
        &json!({"config": {"prefix": format!("{longest}p")}}).to_string(),
    )
    .unwrap_err();
    assert_eq!(error.kind, ErrorKind::ConfigError);
}

fn write_temp(name: &str, contents: &str) -> String {
    let path = std::env::temp_dir().join(format!("{}{name}", unique_prefix()));
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn config_files_are_loaded_and_malformed_ones_named_with_their_line() {
    let good = write_temp(
        "good.toml",
        "[global]\nprefix = \"from_file_\"\n\n[defaults.publish-subscribe]\nmax-publishers = 7\n",
    );
    let config = resolve(json!({"file": good})).unwrap();
    assert_eq!(config["global"]["prefix"], "from_file_");
    assert_eq!(config["defaults"]["publishSubscribe"]["maxPublishers"], 7);
    assert_eq!(config["source"], good.as_str());
    let overridden = resolve(json!({"file": good, "prefix": "mine_"})).unwrap();
    assert_eq!(
        overridden["global"]["prefix"], "mine_",
        "explicit options win over the file"
    );
    std::fs::remove_file(&good).unwrap();

    let bad = write_temp(
        "bad.toml",
        "[global]\nprefix = \"ok_\"\nroot-path = /tmp/unquoted\n",
    );
    let error = resolve(json!({"file": bad})).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ConfigError);
    assert!(error.message.contains(&bad), "{}", error.message);
    assert!(error.message.contains("line 3"), "{}", error.message);
    let node_error = support::create(
        "node.create",
        0,
        &json!({"config": {"file": bad}}).to_string(),
    )
    .unwrap_err();
    assert_eq!(node_error, error);
    std::fs::remove_file(&bad).unwrap();

    let wrong_type = write_temp("type.toml", "[defaults.event]\nmax-listeners = \"many\"\n");
    let error = resolve(json!({"file": wrong_type})).unwrap_err();
    assert!(error.message.contains("line 2"), "{}", error.message);
    std::fs::remove_file(&wrong_type).unwrap();

    let missing = resolve(json!({"file": "/tmp/iox2js-no-such-config.toml"})).unwrap_err();
    assert_eq!(missing.kind, ErrorKind::ConfigError);
    assert!(
        missing.message.contains("/tmp/iox2js-no-such-config.toml"),
        "{}",
        missing.message
    );
}

fn attributes_of(config: &Value, name: &str) -> Value {
    let query = json!({"name": name, "pattern": "publishSubscribe", "config": config});
    control("discovery.serviceDetails", 0, query).unwrap()["attributes"].clone()
}

#[test]
fn attributes_are_defined_on_create_and_verified_on_open() {
    let mut domain = Domain::new();
    let node = domain.node("attributes");
    let name = "Discovery/Attributes";
    let defined = json!({"define": [{"key": "b", "value": "2"}, {"key": "a", "value": "1"}, {"key": "a", "value": "0"}]});
    let _service = open_pubsub(node, name, "create", defined).unwrap();
    // iceoryx2 keeps attributes sorted by key, then value.
    assert_eq!(
        attributes_of(&domain.config(), name),
        json!([{"key": "a", "value": "0"}, {"key": "a", "value": "1"}, {"key": "b", "value": "2"}])
    );
    let open = |attributes: Value| open_pubsub(node, name, "open", attributes).map(close);
    open(json!({"require": [{"key": "a", "value": "1"}], "requireKeys": ["b"]})).unwrap();
    let kind = |attributes: Value| open(attributes).unwrap_err().kind;
    assert_eq!(
        kind(json!({"require": [{"key": "a", "value": "2"}]})),
        ErrorKind::IncompatibleAttributes
    );
    assert_eq!(
        kind(json!({"requireKeys": ["c"]})),
        ErrorKind::IncompatibleAttributes
    );
    // Defined attributes are ignored when opening; openOrCreate requires them of an existing service.
    open(json!({"define": [{"key": "c", "value": "3"}]})).unwrap();
    let open_or_create =
        |attributes: Value| open_pubsub(node, name, "openOrCreate", attributes).map(close);
    open_or_create(json!({"define": [{"key": "b", "value": "2"}]})).unwrap();
    assert_eq!(
        open_or_create(json!({"define": [{"key": "b", "value": "3"}]}))
            .unwrap_err()
            .kind,
        ErrorKind::IncompatibleAttributes
    );
}

#[test]
fn invalid_attributes_give_typed_errors() {
    let mut domain = Domain::new();
    let node = domain.node("bad-attributes");
    let create = |attributes: Value| {
        open_pubsub(node, "Discovery/BadAttributes", "create", attributes).unwrap_err()
    };
    let long_key = "k".repeat(65);
    let long_value = "v".repeat(257);
    for attributes in [
        json!({"define": [{"key": "", "value": "1"}]}),
        json!({"define": [{"key": "a", "value": ""}]}),
        json!({"define": [{"key": long_key, "value": "1"}]}),
        json!({"define": [{"key": "a", "value": long_value}]}),
        json!({"requireKeys": [""]}),
        json!({"define": [{"key": "a"}]}),
        json!({"define": [{"key": "caf\u{e9}", "value": "1"}]}),
        json!({"require": [{"key": "a", "value": "nul\u{0}"}]}),
    ] {
        assert_eq!(
            create(attributes.clone()).kind,
            ErrorKind::InvalidArgument,
            "{attributes}"
        );
    }
    let many: Vec<_> = (0..9)
        .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
        .collect();
    assert_eq!(
        create(json!({"define": many})).kind,
        ErrorKind::LimitReached
    );
    // The longest allowed key and value work.
    let longest = json!({"define": [{"key": "k".repeat(64), "value": "v".repeat(256)}]});
    close(open_pubsub(node, "Discovery/LongestAttribute", "create", longest).unwrap());
}
