//! libFuzzer target for what the core parses: JSON specs, service and node names, attributes,
//! type details and config options, through the control operations that parse them.
//!
//! Run from `crates/core`: `cargo +nightly fuzz run control_specs -- -dict=fuzz/control_specs.dict`
//! (cargo-fuzz 0.12+). Input: the first byte picks the operation, the rest is its UTF-8 argument
//! text. Every call must return `Ok` or a typed `Err`; a panic is a finding.
//!
//! Each input is parsed, not turned into lasting resources: services are only opened (`mode` is
//! forced to `open`, and nothing exists under the run's prefix, so opens fail after parsing and
//! validating everything), a node or port that does get created is closed at once. Inputs outside
//! what JavaScript can send are skipped (see `outside_contract`); `crates/core/tests/fuzz_specs.rs`
//! covers the rest of the core's inputs with seeded random runs on stable.
#![no_main]

use std::cell::RefCell;

use iox2js_core::{close, bridge, ErrorKind};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

/// The operations fuzzed and the kind of handle each takes.
const OPERATIONS: &[(&str, Takes)] = &[
    ("config.resolve", Takes::Nothing),
    ("node.create", Takes::Nothing),
    ("discovery.doesExist", Takes::Nothing),
    ("discovery.serviceDetails", Takes::Nothing),
    ("discovery.listServices", Takes::Nothing),
    ("pubsub.serviceOpen", Takes::Node),
    ("event.serviceOpen", Takes::Node),
    ("reqres.serviceOpen", Takes::Node),
    ("blackboard.serviceOpen", Takes::Node),
    ("pubsub.publisherCreate", Takes::PubSubService),
    ("pubsub.subscriberCreate", Takes::PubSubService),
    ("event.notifierCreate", Takes::EventService),
    ("reqres.clientCreate", Takes::ReqResService),
    ("reqres.serverCreate", Takes::ReqResService),
];

#[derive(Clone, Copy)]
enum Takes {
    Nothing,
    Node,
    PubSubService,
    EventService,
    ReqResService,
}

/// Counts above this only size shared memory (which the fuzzer would report as running out of
/// memory); counts above u32::MAX are beyond what core-api sends and reach a known defect
/// (iceoryx2's size arithmetic overflows: crates/core/tests/fuzz_specs.rs, MAX_TYPE_SIZE).
const MAX_INTEGER: u64 = 1 << 16;

struct World {
    prefix: String,
    node: f64,
    pubsub: f64,
    event: f64,
    reqres: f64,
}

thread_local! {
    static WORLD: RefCell<Option<World>> = const { RefCell::new(None) };
}

fn create(op: &str, handle: f64, spec: Value) -> f64 {
    let result = bridge::control(op, handle, &spec.to_string()).unwrap_or_else(|e| panic!("{op}: {e:?}"));
    result.parse().expect("a handle")
}

/// The valid argument objects every fuzzer shares (`crates/core/tests/fixtures`).
const VALID_ARGS: &str = include_str!("../../tests/fixtures/valid-control-args.json");

/// The shared valid spec of `op`, with its placeholders filled for this run's prefix.
fn valid_spec(op: &str, prefix: &str) -> Value {
    fn fill(value: &mut Value, prefix: &str) {
        match value {
            Value::String(s) if s == "$config" => *value = json!({ "prefix": prefix }),
            Value::String(s) => *s = s.replace("$prefix", prefix).replace("$name", "world"),
            Value::Array(items) => items.iter_mut().for_each(|v| fill(v, prefix)),
            Value::Object(map) => map.values_mut().for_each(|v| fill(v, prefix)),
            _ => {}
        }
    }
    let all: Value = serde_json::from_str(VALID_ARGS).expect("valid-control-args.json is JSON");
    let mut spec = all.get(op).cloned().unwrap_or_else(|| panic!("no valid spec for {op}"));
    fill(&mut spec, prefix);
    spec
}

/// One node with a service of each kind the port operations take, under a prefix of its own.
fn world() -> World {
    let prefix = format!("iox2js_cargo_fuzz_{}_", std::process::id());
    let node = create("node.create", 0.0, valid_spec("node.create", &prefix));
    let pubsub = create("pubsub.serviceOpen", node, valid_spec("pubsub.serviceOpen", &prefix));
    let event = create("event.serviceOpen", node, valid_spec("event.serviceOpen", &prefix));
    let reqres = create("reqres.serviceOpen", node, valid_spec("reqres.serviceOpen", &prefix));
    World { prefix, node, pubsub, event, reqres }
}

/// Whether `value` holds an integer above MAX_INTEGER (a count, size or alignment).
fn outside_contract(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.as_u64().is_some_and(|n| n > MAX_INTEGER),
        Value::Array(items) => items.iter().any(outside_contract),
        Value::Object(map) => map.values().any(outside_contract),
        _ => false,
    }
}

/// Keeps the input from creating services or leaving the run's prefix.
fn confine(op: &str, args: Value, prefix: &str) -> Value {
    let Value::Object(mut spec) = args else { return args };
    if op.ends_with(".serviceOpen") {
        spec.insert("mode".into(), json!("open"));
    }
    if op == "config.resolve" {
        spec.insert("prefix".into(), json!(prefix));
    } else if op == "node.create" || op.starts_with("discovery.") {
        let config = spec.entry("config").or_insert_with(|| json!({}));
        if !config.is_object() {
            *config = json!({});
        }
        config.as_object_mut().expect("an object").insert("prefix".into(), json!(prefix));
    }
    Value::Object(spec)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (op, takes) = OPERATIONS[selector as usize % OPERATIONS.len()];
    WORLD.with(|world| {
        let mut world = world.borrow_mut();
        let world = world.get_or_insert_with(|| {
            // Failed opens log; keep iceoryx2 to fatal messages.
            iox2js_core::set_log_level(5).expect("log level");
            self::world()
        });
        let args = match serde_json::from_str::<Value>(text) {
            Ok(value) if outside_contract(&value) => return,
            Ok(value) => confine(op, value, &world.prefix).to_string(),
            Err(_) => text.to_string(), // not JSON: the core's own parse error path
        };
        let handle = match takes {
            Takes::Nothing => 0.0,
            Takes::Node => world.node,
            Takes::PubSubService => world.pubsub,
            Takes::EventService => world.event,
            Takes::ReqResService => world.reqres,
        };
        match bridge::control(op, handle, &args) {
            Ok(result) => {
                if let Ok(Value::Number(made)) = serde_json::from_str::<Value>(&result) {
                    if let Some(made) = made.as_u64() {
                        close(made);
                    }
                }
            }
            Err(error) => assert!(
                ErrorKind::ALL.contains(&error.kind) && !error.message.is_empty(),
                "{op} {args}: {error:?}"
            ),
        }
    });
});
