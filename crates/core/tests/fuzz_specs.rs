//! Randomized robustness test of everything the core parses from JavaScript: the JSON specs of
//! every control operation (node, config, service, port and entry specs, type details,
//! attributes, names, config overrides) and the numbers of every call, memory and send-copy
//! operation. Each iteration picks an operation the core lists (`ops`) and feeds it a handle
//! (a live one of the expected kind, another live one, a stale or malformed one) and arguments:
//! a valid spec, a mutated one (values swapped for edge cases, fields added, removed or retyped,
//! text edited), random JSON or random text. Every call must return `Ok` or a typed `Err`; a
//! panic is a failure that names the seed, the iteration and the call.
//!
//! Reproduce a run with `IOX2JS_FUZZ_SEED=<seed>`; `IOX2JS_FUZZ_ITERATIONS=<n>` changes its
//! length (default 5000); `IOX2JS_FUZZ_TRACE=1` prints every call before making it (for calls
//! that abort the process instead of panicking).
//!
//! Everything runs in a sandbox: a prefix and root path of its own that every node spec is
//! pinned to, an address-space limit so a huge quality-of-service value fails an allocation
//! instead of exhausting the machine, and no value that blocks by design (a blocking wait
//! without a pending event, `retryUntilDelivered` backpressure). Numbers stay in the ranges
//! JavaScript can send (see MAX_TYPE_SIZE).

mod support;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use iox2js_core::{bridge, reactor, ErrorKind};
use serde_json::{json, Map, Value};

/// Address space the test process may map: enough for iceoryx2, far from the machine's memory.
const ADDRESS_SPACE_LIMIT: u64 = 1 << 30;
const DEFAULT_ITERATIONS: usize = 5000;
/// Live handles kept before some are closed again.
const MAX_POOL: usize = 240;
/// Iterations between replacing the whole object tree with a fresh node.
const WORLD_LIFETIME: usize = 400;

/// Type sizes and alignments are kept at or below this, and integers at or below u32::MAX (what
/// core-api lets JavaScript send as counts), so their products stay below 2^63. Beyond, a known
/// defect (reported) shows: the core does not bound these products, iceoryx2's size arithmetic
/// overflows (a panic in debug builds, a silently wrapped size in release builds) or builds a
/// `Layout` beyond `isize::MAX` unchecked (debug builds abort, which no test can catch).
const MAX_TYPE_SIZE: u64 = 1 << 24;

thread_local! {
    /// Where the last panic on this thread happened.
    static PANIC_LOCATION: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Records where each panic happened and prints one line per panic (also for one that aborts the
/// process, which nothing else could report).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        announce(&format!(
            "fuzz_specs: panic at {location}: {}",
            panic_message(info.payload())
        ));
        PANIC_LOCATION.with(|l| *l.borrow_mut() = location);
    }));
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Seeded random numbers (SplitMix64)
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------
// Objects: what a handle is, and which kind each operation takes and makes
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Node,
    PubSubService,
    Publisher,
    Subscriber,
    EventService,
    Notifier,
    Listener,
    ReqResService,
    Client,
    Server,
    BlackboardService,
    Writer,
    Reader,
    WriterEntry,
    ReaderEntry,
    LogStream,
    PortEventStream,
    ReceiveBatch,
    SendBatch,
    /// Anything a memory operation returned (a loaned or received sample, request, response…).
    Memory,
}

/// The kind of handle control operation `op` takes, and the kind it creates, as the bridge
/// declares them.
fn control_kinds(op: &str) -> (Option<Kind>, Option<Kind>) {
    let declared = bridge::control_operations()
        .iter()
        .find(|operation| operation.name == op)
        .unwrap_or_else(|| panic!("{op} is not a declared control operation"));
    (
        declared.takes.map(kind_named),
        declared.makes.map(kind_named),
    )
}

/// The [`Kind`] the bridge's declaration names `name`.
fn kind_named(name: &str) -> Kind {
    use Kind::*;
    match name {
        "Node" => Node,
        "PubSubService" => PubSubService,
        "Publisher" => Publisher,
        "Subscriber" => Subscriber,
        "EventService" => EventService,
        "Notifier" => Notifier,
        "Listener" => Listener,
        "ReqResService" => ReqResService,
        "Client" => Client,
        "Server" => Server,
        "BlackboardService" => BlackboardService,
        "Writer" => Writer,
        "Reader" => Reader,
        "WriterEntry" => WriterEntry,
        "ReaderEntry" => ReaderEntry,
        "LogStream" => LogStream,
        "PortEventStream" => PortEventStream,
        "ReceiveBatch" => ReceiveBatch,
        "SendBatch" => SendBatch,
        // Handed out by memory operations (receive), then named by control operations.
        "Sample" | "ActiveRequest" | "Response" => Memory,
        other => {
            panic!("the bridge declares a handle kind {other} this fuzzer does not know: add it")
        }
    }
}

/// Control operations that wait for events: only called on a listener with one pending.
fn waits(op: &str) -> bool {
    op == "event.listenerBlockingWait" || op == "event.listenerTimedWait"
}

// ---------------------------------------------------------------------------
// The sandbox and the valid specs
// ---------------------------------------------------------------------------

struct Sandbox {
    prefix: String,
    root: String,
    /// A config file that is not valid TOML, and one that is valid.
    bad_config: String,
    good_config: String,
}

impl Sandbox {
    fn new() -> Self {
        let pid = std::process::id();
        let root = std::env::temp_dir().join(format!("iox2js-fuzz-{pid}"));
        std::fs::create_dir_all(&root).expect("sandbox directory");
        let bad_config = root.join("bad.toml");
        std::fs::write(&bad_config, "[global\nprefix = = 'x'\n").expect("bad config");
        let good_config = root.join("good.toml");
        std::fs::write(
            &good_config,
            "[global]\nprefix = 'iox2js_fuzz_from_file_'\n",
        )
        .expect("good config");
        Sandbox {
            prefix: format!("iox2js_fuzz_{pid}_"),
            root: root.to_string_lossy().into_owned(),
            bad_config: bad_config.to_string_lossy().into_owned(),
            good_config: good_config.to_string_lossy().into_owned(),
        }
    }

    fn config(&self) -> Value {
        json!({ "prefix": self.prefix, "rootPath": self.root })
    }

    /// Pins a config object to the sandbox: its prefix starts with ours (a mutated one stays
    /// appended, so invalid prefixes are still tried) and its root path is ours.
    fn pin(&self, config: &mut Map<String, Value>) {
        let prefix = match config.get("prefix") {
            Some(Value::String(text)) if !text.starts_with(&self.prefix) => {
                format!("{}{text}", self.prefix)
            }
            Some(Value::String(text)) => text.clone(),
            _ => self.prefix.clone(),
        };
        config.insert("prefix".into(), Value::String(prefix));
        config.insert("rootPath".into(), Value::String(self.root.clone()));
    }

    /// Keeps every file a call could create or remove inside the sandbox: node specs and
    /// dead-node cleanup always get a pinned config.
    fn confine(&self, op: &str, args: String) -> String {
        if op != "node.create" && op != "discovery.cleanupDeadNodes" {
            return args;
        }
        let Ok(Value::Object(mut spec)) = serde_json::from_str::<Value>(&args) else {
            return args; // not an object: it cannot parse as a spec either
        };
        let config = spec.entry("config").or_insert_with(|| json!({}));
        if !config.is_object() {
            *config = json!({});
        }
        self.pin(config.as_object_mut().expect("an object"));
        Value::Object(spec).to_string()
    }

    fn remove_files(&self) {
        let _ = std::fs::remove_dir_all(&self.root);
        support::remove_shared_memory(&self.prefix);
    }
}

/// A valid argument object for every control operation, shared with the other fuzzers.
const VALID_ARGS: &str = include_str!("fixtures/valid-control-args.json");

/// The valid spec of `op` in the sandbox (`name` makes created services unique), or `None`
/// when the shared file has none.
fn valid_spec(op: &str, sandbox: &Sandbox, name: &str) -> Option<Value> {
    let all: Value = serde_json::from_str(VALID_ARGS).expect("valid-control-args.json is JSON");
    let mut spec = all.get(op)?.clone();
    fill(
        &mut spec,
        &|text: &str| {
            text.replace("$prefix", &sandbox.prefix)
                .replace("$root", &sandbox.root)
                .replace("$goodConfig", &sandbox.good_config)
                .replace("$name", name)
        },
        &sandbox.config(),
    );
    Some(spec)
}

/// Replaces the shared file's placeholders: `"$config"` by `config`, the others inside strings.
fn fill(value: &mut Value, text: &dyn Fn(&str) -> String, config: &Value) {
    match value {
        Value::String(s) if s == "$config" => *value = config.clone(),
        Value::String(s) => *s = text(s),
        Value::Array(items) => items.iter_mut().for_each(|v| fill(v, text, config)),
        Value::Object(map) => map.values_mut().for_each(|v| fill(v, text, config)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Mutation
// ---------------------------------------------------------------------------

/// Every key the specs use, so added fields often hit real ones with the wrong value.
const KEYS: &[&str] = &[
    "name",
    "mode",
    "payload",
    "userHeader",
    "qos",
    "attributes",
    "define",
    "require",
    "requireKeys",
    "defineOnCreate",
    "key",
    "value",
    "variant",
    "typeName",
    "size",
    "alignment",
    "historySize",
    "subscriberMaxBufferSize",
    "subscriberMaxBorrowedSamples",
    "maxPublishers",
    "maxSubscribers",
    "maxNodes",
    "enableSafeOverflow",
    "config",
    "prefix",
    "rootPath",
    "file",
    "builtInDefaults",
    "defaults",
    "publishSubscribe",
    "event",
    "requestResponse",
    "blackboard",
    "global",
    "deadlineMs",
    "timeoutMs",
    "entries",
    "initial",
    "pattern",
    "defaultEventId",
    "bufferSize",
    "historyRequest",
    "maxLoanedSamples",
    "initialMaxSliceLen",
    "allocationStrategy",
    "backpressure",
    "maxNotifiers",
    "maxListeners",
    "eventIdMaxValue",
    "notifierCreatedEvent",
    "notifierDroppedEvent",
    "notifierDeadEvent",
    "requestPayload",
    "responsePayload",
    "requestUserHeader",
    "responseUserHeader",
    "maxActiveRequests",
    "maxServers",
    "maxClients",
    "maxReaders",
    "creationTimeoutMs",
    "subscriberExpiredConnectionBufferSize",
];

/// Strings with meaning somewhere (enum names, type names) and strings at the edges of what
/// names, prefixes and attribute texts allow. `retryUntilDelivered` is left out: it blocks.
fn strings(sandbox: &Sandbox) -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        " ",
        "fixedSize",
        "dynamic",
        "create",
        "open",
        "openOrCreate",
        "publishSubscribe",
        "event",
        "requestResponse",
        "blackboard",
        "static",
        "bestFit",
        "powerOfTwo",
        "discardData",
        "u8",
        "u64",
        "()",
        "Fuzz/PubSub",
        "a/b/../c",
        "/",
        "\0",
        "nul\0inside",
        "ü",
        "😀",
        "\u{fffd}",
        "%s%n",
        "..",
        ".",
        "iox2js.layout.payload",
        "v1 0 0",
        "-1",
        "1e400",
        "{",
        "[",
        "\"",
        "\\",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for n in [100, 127, 128, 200, 255, 256, 257, 1000, 5000] {
        out.push("n".repeat(n));
    }
    out.push("é".repeat(200));
    out.push(sandbox.bad_config.clone());
    out.push(sandbox.good_config.clone());
    out.push(sandbox.root.clone());
    out.push(format!("{}/does-not-exist.toml", sandbox.root));
    out
}

fn number(rng: &mut Rng) -> Value {
    let edges = [
        0.0,
        1.0,
        2.0,
        3.0,
        7.0,
        8.0,
        16.0,
        255.0,
        256.0,
        65535.0,
        65536.0,
        4294967295.0,
        4294967296.0,
        9007199254740991.0,
        9007199254740992.0,
        18446744073709551615.0,
        1e20,
        1e308,
        -1.0,
        -0.0,
        0.5,
        1.5,
        -9007199254740992.0,
        f64::MIN_POSITIVE,
        f64::EPSILON,
    ];
    // Integers up to u32::MAX (core-api's bound on counts); floats of any size (JSON writes them
    // with a fraction or exponent, so integer fields reject them).
    match rng.below(4) {
        0 => json!(rng.next() % 64),
        1 => json!(*rng.pick(&[
            255u64,
            256,
            65535,
            65536,
            1 << 24,
            (1 << 31) - 1,
            1 << 31,
            u32::MAX as u64
        ])),
        2 => json!(-((rng.next() % 1000) as i64)),
        _ => serde_json::Number::from_f64(*rng.pick(&edges))
            .map(Value::Number)
            .unwrap_or(Value::Null),
    }
}

fn scalar(rng: &mut Rng, texts: &[String]) -> Value {
    match rng.below(6) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 | 3 => number(rng),
        _ => Value::String(rng.pick(texts).clone()),
    }
}

fn random_value(rng: &mut Rng, texts: &[String], depth: u32) -> Value {
    if depth == 0 || rng.chance(50) {
        return scalar(rng, texts);
    }
    if rng.chance(50) {
        Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, texts, depth - 1))
                .collect(),
        )
    } else {
        let mut object = Map::new();
        for _ in 0..rng.below(4) {
            object.insert(
                rng.pick(KEYS).to_string(),
                random_value(rng, texts, depth - 1),
            );
        }
        Value::Object(object)
    }
}

/// Number of places in `value` (itself and everything inside).
fn places(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(places).sum(),
        Value::Object(map) => map.values().map(places).sum(),
        _ => 0,
    }
}

/// The place numbered `n` in depth-first order.
fn place_mut(value: &mut Value, mut n: usize) -> &mut Value {
    if n == 0 {
        return value;
    }
    n -= 1;
    let children: Vec<&mut Value> = match value {
        Value::Array(items) => items.iter_mut().collect(),
        Value::Object(map) => map.values_mut().collect(),
        _ => unreachable!("a scalar has no places inside"),
    };
    for child in children {
        let size = places(child);
        if n < size {
            return place_mut(child, n);
        }
        n -= size;
    }
    unreachable!("n is below places(value)")
}

/// One structural change at a random place of `value`.
fn mutate(rng: &mut Rng, value: &mut Value, texts: &[String]) {
    let n = rng.below(places(value));
    let target = place_mut(value, n);
    match rng.below(8) {
        0 | 1 => *target = scalar(rng, texts),
        2 => *target = random_value(rng, texts, 3),
        3 => match target {
            Value::Object(map) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(rng.below(map.len()))
                    .cloned()
                    .expect("a key");
                map.remove(&key);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(rng.below(items.len()));
            }
            other => *other = Value::Null,
        },
        4 => match target {
            Value::Object(map) => {
                map.insert(rng.pick(KEYS).to_string(), random_value(rng, texts, 2));
            }
            Value::Array(items) => items.push(random_value(rng, texts, 2)),
            other => *other = json!([other.clone()]),
        },
        // Many copies: lists beyond iceoryx2's limits (attributes, entries).
        5 => {
            let copies = *rng.pick(&[2, 9, 64, 300]);
            let item = target.clone();
            *target = Value::Array(vec![item; copies]);
        }
        6 => {
            if let Value::Object(map) = target {
                let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                *target = Value::Array(entries.into_iter().map(|(_, v)| v).collect());
            } else {
                *target = number(rng);
            }
        }
        _ => {
            if let Value::String(text) = target {
                let extra = rng.pick(texts).clone();
                let at = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(rng.below(text.chars().count() + 1))
                    .unwrap_or(text.len());
                text.insert_str(at, &extra);
            } else {
                *target = Value::String(rng.pick(texts).clone());
            }
        }
    }
}

/// Edits of the text itself: cut, doubled, characters inserted, nesting beyond serde's limit.
fn mutate_text(rng: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    let (head, tail): (String, String) =
        (chars[..at].iter().collect(), chars[at..].iter().collect());
    match rng.below(5) {
        0 => head,
        1 => format!(
            "{head}{}{tail}",
            rng.pick(&[
                "{", "}", "[", "]", ",", ":", "\"", "\\u00", "\u{0}", "é", "1e99999", "null"
            ])
        ),
        2 => format!("{text}{text}"),
        3 => format!("{}{text}{}", "[".repeat(200), "]".repeat(200)),
        _ => format!(
            "{head}{}",
            &tail.chars().skip(rng.below(8)).collect::<String>()
        ),
    }
}

// ---------------------------------------------------------------------------
// The world of live objects
// ---------------------------------------------------------------------------

struct World {
    ops: BTreeMap<&'static str, Vec<String>>,
    pool: Vec<(f64, Kind)>,
    roots: Vec<f64>,
}

/// The function of per-message operation `name` in `table`.
fn run_of<F: Copy>(table: &[bridge::Operation<F>], name: &str) -> F {
    table
        .iter()
        .find(|op| op.name == name)
        .map(|op| op.run)
        .expect("a listed operation")
}

fn control(op: &str, handle: f64, args: &str) -> Result<String, iox2js_core::Error> {
    bridge::control(op, handle, args)
}

impl World {
    fn new() -> Self {
        let listed: Value =
            serde_json::from_str(&control("ops", 0.0, "").expect("ops")).expect("ops JSON");
        let mut ops = BTreeMap::new();
        for shape in ["control"] {
            let names = listed[shape]
                .as_array()
                .expect("names")
                .iter()
                .map(|n| n.as_str().expect("a name").to_string())
                .collect();
            ops.insert(shape, names);
        }
        World {
            ops,
            pool: Vec::new(),
            roots: Vec::new(),
        }
    }

    fn of_kind(&self, kind: Kind) -> Vec<f64> {
        self.pool
            .iter()
            .filter(|(_, k)| *k == kind)
            .map(|(h, _)| *h)
            .collect()
    }

    fn kind_of(&self, handle: f64) -> Option<Kind> {
        self.pool
            .iter()
            .find(|(h, _)| *h == handle)
            .map(|(_, k)| *k)
    }

    fn add(&mut self, handle: f64, kind: Kind) {
        self.pool.push((handle, kind));
        if kind == Kind::Node {
            self.roots.push(handle);
        }
    }

    fn close_handle(&self, handle: f64) {
        let _ = bridge::consume::close(handle);
    }

    /// A node with one object of every kind, built from the valid specs.
    fn build(&mut self, sandbox: &Sandbox, tag: usize) {
        let create = |op: &str, parent: f64, name: &str| -> f64 {
            let spec = valid_spec(op, sandbox, name).expect("a spec").to_string();
            let result =
                control(op, parent, &spec).unwrap_or_else(|e| panic!("{op} {spec}: {e:?}"));
            result.parse().expect("a handle")
        };
        let name = format!("w{tag}");
        let node = create("node.create", 0.0, &name);
        self.add(node, Kind::Node);
        let pubsub = create("pubsub.serviceOpen", node, &name);
        self.add(pubsub, Kind::PubSubService);
        self.add(
            create("pubsub.publisherCreate", pubsub, &name),
            Kind::Publisher,
        );
        self.add(
            create("pubsub.subscriberCreate", pubsub, &name),
            Kind::Subscriber,
        );
        let event = create("event.serviceOpen", node, &name);
        self.add(event, Kind::EventService);
        self.add(create("event.notifierCreate", event, &name), Kind::Notifier);
        self.add(create("event.listenerCreate", event, &name), Kind::Listener);
        let reqres = create("reqres.serviceOpen", node, &name);
        self.add(reqres, Kind::ReqResService);
        self.add(create("reqres.clientCreate", reqres, &name), Kind::Client);
        self.add(create("reqres.serverCreate", reqres, &name), Kind::Server);
        let blackboard = create("blackboard.serviceOpen", node, &name);
        self.add(blackboard, Kind::BlackboardService);
        let writer = create("blackboard.writerCreate", blackboard, &name);
        self.add(writer, Kind::Writer);
        let reader = create("blackboard.readerCreate", blackboard, &name);
        self.add(reader, Kind::Reader);
        self.add(
            create("blackboard.writerEntry", writer, &name),
            Kind::WriterEntry,
        );
        self.add(
            create("blackboard.readerEntry", reader, &name),
            Kind::ReaderEntry,
        );
    }

    fn close_all(&mut self) {
        for root in std::mem::take(&mut self.roots) {
            self.close_handle(root);
        }
        for (handle, _) in std::mem::take(&mut self.pool) {
            self.close_handle(handle);
        }
    }

    /// A handle for an operation that takes `kind`: mostly a live one of that kind, else any
    /// live one, a stale one or a malformed number.
    fn handle(&self, rng: &mut Rng, kind: Option<Kind>) -> f64 {
        let live = kind.map(|k| self.of_kind(k)).unwrap_or_default();
        match rng.below(10) {
            0..=5 if !live.is_empty() => *rng.pick(&live),
            6 | 7 if !self.pool.is_empty() => rng.pick(&self.pool).0,
            _ => {
                let random = (rng.next() >> 11) as f64;
                *rng.pick(&[
                    0.0,
                    -1.0,
                    1.0,
                    0.5,
                    f64::NAN,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::MAX,
                    9007199254740991.0,
                    9007199254740992.0,
                    (1u64 << 21) as f64,
                    ((1u64 << 21) + 1) as f64,
                    ((1u64 << 22) + 3) as f64,
                    ((1u64 << 30) - 1) as f64,
                    (1u64 << 30) as f64,
                    ((1u64 << 52) + 1) as f64,
                    random,
                    -0.0,
                    1e-300,
                ])
            }
        }
    }

    /// Makes sure a wait on `listener` returns at once: notifies it from a fresh notifier of its
    /// service. False when that is impossible (then the wait is not made).
    fn pend_event(&self, listener: f64) -> bool {
        let Ok(Some(service)) = iox2js_core::handles::parent(listener as u64) else {
            return false;
        };
        let Ok(notifier) = control("event.notifierCreate", service as f64, "{}") else {
            return false;
        };
        let notifier: f64 = notifier.parse().expect("a handle");
        let notified = matches!(bridge::call::notifier_notify(notifier, 0.0), Ok(n) if n >= 1.0);
        self.close_handle(notifier);
        notified
    }
}

/// Numbers for call and memory operations: counts, ids, flags and malformed values. Counts the
/// core accepts stay within u32::MAX, as core-api sends them (see MAX_TYPE_SIZE); larger ones
/// are above 2^53, which the core rejects.
fn numeric_arg(rng: &mut Rng) -> f64 {
    let small = (rng.next() % 64) as f64;
    *rng.pick(&[
        0.0,
        1.0,
        2.0,
        3.0,
        16.0,
        17.0,
        255.0,
        65536.0,
        1e6,
        4294967295.0,
        4294967296.0,
        9007199254740992.0,
        -1.0,
        -0.0,
        0.5,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        small,
    ])
}

/// Bounds the sizes and alignments of type details in `args` by MAX_TYPE_SIZE (see there).
fn bound_type_sizes(args: String) -> String {
    fn walk(value: &mut Value) -> bool {
        let mut changed = false;
        match value {
            Value::Object(map) => {
                if map.contains_key("typeName") || map.contains_key("variant") {
                    for key in ["size", "alignment"] {
                        if map
                            .get(key)
                            .and_then(Value::as_u64)
                            .is_some_and(|n| n > MAX_TYPE_SIZE)
                        {
                            map.insert(key.into(), json!(MAX_TYPE_SIZE));
                            changed = true;
                        }
                    }
                }
                for child in map.values_mut() {
                    changed |= walk(child);
                }
            }
            Value::Array(items) => {
                for child in items {
                    changed |= walk(child);
                }
            }
            _ => {}
        }
        changed
    }
    match serde_json::from_str::<Value>(&args) {
        Ok(mut value) => {
            if walk(&mut value) {
                value.to_string()
            } else {
                args
            }
        }
        Err(_) => args,
    }
}

/// The kind of handle a call, memory or send-copy operation takes, from its name.
fn numeric_kind(name: &str) -> Option<Kind> {
    use Kind::*;
    let prefixes: &[(&str, Kind)] = &[
        ("publisher", Publisher),
        ("subscriber", Subscriber),
        ("notifier", Notifier),
        ("listener", Listener),
        ("client", Client),
        ("server", Server),
        ("blackboardEntry", WriterEntry),
        ("logStream", LogStream),
        ("portEvents", PortEventStream),
        ("sampleBatchLoan", SendBatch),
        ("sampleBatchSend", SendBatch),
        ("sampleBatch", ReceiveBatch),
    ];
    prefixes
        .iter()
        .find(|(p, _)| name.starts_with(p))
        .map(|(_, k)| *k)
        .or_else(|| (name != "close").then_some(Memory))
}

/// Limits this process's address space, so an oversized allocation fails instead of paging the
/// machine to death.
fn limit_address_space() {
    let limit = libc::rlimit {
        rlim_cur: ADDRESS_SPACE_LIMIT,
        rlim_max: ADDRESS_SPACE_LIMIT,
    };
    // SAFETY: setrlimit reads one valid rlimit struct.
    let result = unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    assert_eq!(result, 0, "setrlimit(RLIMIT_AS) failed");
}

/// A reactor sink that drops wake-ups: watches can be armed without a JavaScript thread.
struct NoSink;
impl reactor::Wake for NoSink {
    fn wake(&self, _: f64) {}
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Written straight to stderr: libtest captures `eprintln!`, and an aborting call would lose it.
fn announce(text: &str) {
    let _ = std::io::stderr().write_all(format!("{text}\n").as_bytes());
}

#[test]
fn every_operation_returns_ok_or_a_typed_error_for_random_input() {
    limit_address_space();
    install_panic_hook();
    reactor::set_thread_sink(Arc::new(NoSink));
    let seed = env_number("IOX2JS_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    });
    let iterations =
        env_number("IOX2JS_FUZZ_ITERATIONS").map_or(DEFAULT_ITERATIONS, |n| n as usize);
    let trace = std::env::var_os("IOX2JS_FUZZ_TRACE").is_some();
    announce(&format!("fuzz_specs: seed {seed}, {iterations} iterations (IOX2JS_FUZZ_SEED={seed} reproduces them)"));

    let sandbox = Sandbox::new();
    let texts = strings(&sandbox);
    let mut rng = Rng(seed);
    let mut world = World::new();
    // Failed calls log; keep iceoryx2 to fatal messages (and back there after the fuzz sets a level).
    let quiet = || bridge::call::set_log_level(0.0, 5.0).expect("log level");
    quiet();
    let control_ops: Vec<String> = world.ops["control"].clone();
    for op in &control_ops {
        assert!(
            valid_spec(op, &sandbox, "x").is_some(),
            "control operation {op} has no valid spec in fixtures/valid-control-args.json; add one"
        );
    }
    let listed: Value = serde_json::from_str(VALID_ARGS).expect("JSON");
    for op in listed.as_object().expect("an object").keys() {
        assert!(
            op.starts_with('_') || control_ops.contains(op),
            "fixtures/valid-control-args.json names {op}, which is no control operation"
        );
    }
    world.build(&sandbox, 0);

    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut panics: Vec<String> = Vec::new();
    for iteration in 0..iterations {
        if iteration > 0 && iteration % WORLD_LIFETIME == 0 {
            world.close_all();
            world.build(&sandbox, iteration);
        }
        let shape = *rng.pick(&[
            "control", "control", "control", "control", "call", "consume", "memory", "sendCopy",
        ]);
        let (description, outcome) = if shape == "control" {
            let op = rng.pick(&control_ops).clone();
            let (takes, makes) = control_kinds(&op);
            let handle = world.handle(&mut rng, takes);
            let spec = valid_spec(&op, &sandbox, &format!("i{iteration}")).expect("checked above");
            let args = match rng.below(10) {
                0 => spec.to_string(),
                1 => random_value(&mut rng, &texts, 4).to_string(),
                2 => mutate_text(&mut rng, &spec.to_string()),
                3 => rng.pick(&texts).clone(),
                _ => {
                    let mut mutated = spec;
                    for _ in 0..=rng.below(3) {
                        mutate(&mut rng, &mut mutated, &texts);
                    }
                    mutated.to_string()
                }
            };
            let args = bound_type_sizes(sandbox.confine(&op, args));
            if waits(&op)
                && world.kind_of(handle) == Some(Kind::Listener)
                && !world.pend_event(handle)
            {
                continue;
            }
            let description = format!("control {op:?} handle {handle} args {args}");
            if trace {
                announce(&format!("#{iteration} {description}"));
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| control(&op, handle, &args)));
            if let (Ok(Ok(result)), Some(kind)) = (&outcome, makes) {
                world.add(result.parse().expect("a handle"), kind);
            }
            if let Ok(Ok(result)) = &outcome {
                assert!(
                    serde_json::from_str::<Value>(result).is_ok(),
                    "seed {seed} #{iteration}: {description} returned {result:?}, not JSON"
                );
            }
            (description, outcome.map(|r| r.map(|_| ())))
        } else {
            let name = match shape {
                "call" => rng.pick(bridge::CALL).name,
                "consume" => rng.pick(bridge::CONSUME).name,
                "memory" => rng.pick(bridge::MEMORY).name,
                _ => rng.pick(bridge::SEND_COPY).name,
            };
            let handle = world.handle(&mut rng, numeric_kind(name));
            let (a, b) = (numeric_arg(&mut rng), numeric_arg(&mut rng));
            let description = format!("{shape} {name:?} handle {handle} args {a} {b}");
            if trace {
                announce(&format!("#{iteration} {description}"));
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| match shape {
                "call" => run_of(bridge::CALL, name)(handle, a).map(|_| ()),
                "consume" => run_of(bridge::CONSUME, name)(handle).map(|_| ()),
                "memory" => {
                    let mut info = [0.0; iox2js_core::spans::SAMPLE_INFO_LEN];
                    run_of(bridge::MEMORY, name)(handle, a, b, &mut info).map(|made| {
                        // Every memory operation but the event take and the batch receive
                        // hands out one sample, described from slot 0.
                        if made
                            && !matches!(
                                name,
                                "listenerTake" | "sampleBatchReceive" | "sampleBatchLoan"
                            )
                        {
                            world.add(info[0], Kind::Memory);
                        }
                    })
                }
                _ => {
                    let payload = vec![0xa5u8; *rng.pick(&[0usize, 1, 4, 8, 16, 100, 4096])];
                    let header = vec![0x5au8; *rng.pick(&[0usize, 4, 8, 9])];
                    run_of(bridge::SEND_COPY, name)(handle, &payload, &header).map(|_| ())
                }
            }));
            if name == "setLogLevel" {
                quiet();
            }
            (description, outcome)
        };
        match outcome {
            Ok(Ok(())) => *outcomes.entry("Ok".into()).or_default() += 1,
            Ok(Err(error)) => {
                assert!(
                    ErrorKind::ALL.contains(&error.kind),
                    "seed {seed} #{iteration}: {description}: unknown kind"
                );
                assert!(
                    !error.message.is_empty(),
                    "seed {seed} #{iteration}: {description}: {:?} without a message",
                    error.kind
                );
                if error.kind == ErrorKind::InternalFailure {
                    // Not a failure of the test, but what a fix would most likely want to map.
                    announce(&format!(
                        "fuzz_specs: #{iteration} {description}: InternalFailure: {}",
                        error.message
                    ));
                }
                *outcomes.entry(format!("{:?}", error.kind)).or_default() += 1;
            }
            Err(panic) => {
                let message = panic_message(panic.as_ref());
                let location = PANIC_LOCATION.with(|l| l.borrow().clone());
                panics.push(format!(
                    "#{iteration}: {description}: panicked at {location}: {message}"
                ));
            }
        }
        if world.pool.len() > MAX_POOL {
            for _ in 0..MAX_POOL / 4 {
                let (handle, _) = world.pool.swap_remove(rng.below(world.pool.len()));
                world.close_handle(handle);
            }
        }
    }
    world.close_all();
    let open = iox2js_core::handles::open_count();
    sandbox.remove_files();
    announce(&format!("fuzz_specs: seed {seed}: {outcomes:?}"));
    assert!(
        panics.is_empty(),
        "seed {seed}: {} call(s) panicked:\n{}",
        panics.len(),
        panics.join("\n")
    );
    assert_eq!(
        open, 0,
        "seed {seed}: {open} handle(s) still open after closing every node"
    );
}
