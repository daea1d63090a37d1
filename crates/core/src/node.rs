//! Nodes and the configuration they carry: a [`ConfigSpec`] becomes upstream's `Config`
//! (file or default search, overrides, checks iceoryx2 would otherwise turn into fatal errors),
//! and a node is created, looked up and closed under it.

use std::collections::BTreeSet;
use std::sync::Mutex;

use iceoryx2::config::Config;
use iceoryx2::node::NodeState;
use iceoryx2::prelude::{
    CallbackProgression, FileName, MessagingPattern, NodeBuilder, NodeName, Path, SemanticString,
    ServiceName, SignalHandlingMode,
};
use serde::Deserialize;
use ts_rs::TS;

use crate::config_file::{
    config_error, guard_upstream_config_search, load_file, search_default_paths,
};
use crate::error::{Classify, Error, ErrorKind, Result};
use crate::handles::{self, Handle};
use crate::leftovers;
use crate::objects::{Ipc, Object};

/// Where a node's configuration comes from, and what it overrides. By default the base is what
/// upstream's `Config::global_config()` loads: the first readable file of its search order
/// (`config/iceoryx2.toml` under the working directory, the user's
/// `~/.config/iceoryx2/iceoryx2.toml`, `/etc/iceoryx2/iceoryx2.toml`), else the built-in defaults.
#[derive(Debug, Default, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ConfigSpec {
    /// A TOML config file in upstream's format (`config/iceoryx2.toml`); missing or malformed is
    /// an error, as upstream's `Config::from_file`, and so is a path that is no regular file (a
    /// FIFO, a device) or a file larger than 1 MiB.
    pub file: Option<String>,
    /// iceoryx2's built-in defaults, ignoring every config file (tests, reproducible setups).
    #[serde(default)]
    #[ts(as = "Option<bool>")]
    pub built_in_defaults: bool,
    /// Prefix of every file iceoryx2 creates: services under different prefixes never meet.
    pub prefix: Option<String>,
    /// Directory under which iceoryx2 keeps its service and node files.
    pub root_path: Option<String>,
    /// Upstream's `global.service.flatbuffer-schema-path`: where FlatBuffers services look for
    /// their binary schemas.
    pub flatbuffer_schema_path: Option<String>,
    /// Overrides of upstream's `[defaults.*]` tables in camelCase, durations in milliseconds,
    /// e.g. `{"publishSubscribe": {"maxSubscribers": 4}, "event": {"deadlineMs": 100}}`.
    pub defaults: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct NodeSpec {
    pub name: Option<String>,
    #[serde(default)]
    #[ts(as = "Option<ConfigSpec>")]
    pub config: ConfigSpec,
}

/// The largest number a config value without a limit of its own (an event id) may take.
const MAX_CONFIG_COUNT: u64 = u32::MAX as u64;

/// Config keys whose values are `core::time::Duration`s; JS sees them as `<key>Ms` numbers.
const DURATION_KEYS: &[&str] = &["creation-timeout", "deadline"];

fn kebab_to_camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn duration_to_ms(value: &serde_json::Value) -> serde_json::Value {
    let secs = value.get("secs").and_then(|v| v.as_u64());
    let nanos = value.get("nanos").and_then(|v| v.as_u64());
    match (secs, nanos) {
        (Some(secs), Some(nanos)) => serde_json::json!(secs as f64 * 1e3 + nanos as f64 / 1e6),
        _ => serde_json::Value::Null,
    }
}

/// Strategy values are enum variants (`DiscardData`); JS spells them as the port options do
/// (`discardData`).
fn is_strategy(key: &str) -> bool {
    key.ends_with("-strategy")
}

fn with_first_char(text: &str, f: impl Fn(char) -> char) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| core::iter::once(f(first)).chain(chars).collect())
        .unwrap_or_default()
}

/// iceoryx2's config as serde sees it (kebab-case, durations as `{secs, nanos}`) → the JS shape
/// (camelCase, durations as `…Ms` numbers, camelCase strategy names).
fn to_js_shape(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => map
            .into_iter()
            .map(|(key, value)| match value {
                value if DURATION_KEYS.contains(&key.as_str()) => {
                    (kebab_to_camel(&key) + "Ms", duration_to_ms(&value))
                }
                Value::String(text) if is_strategy(&key) => (
                    kebab_to_camel(&key),
                    Value::String(with_first_char(&text, |c| c.to_ascii_lowercase())),
                ),
                value => (kebab_to_camel(&key), to_js_shape(value)),
            })
            .collect(),
        other => other,
    }
}

/// Applies JS-shaped `overrides` to the iceoryx2-shaped `target` (same keys as
/// [`to_js_shape`] produces): every key must exist and keep its kind of value.
fn apply_overrides(
    target: &mut serde_json::Map<String, serde_json::Value>,
    overrides: &serde_json::Value,
    path: &str,
) -> Result<()> {
    use serde_json::Value;
    let Value::Object(overrides) = overrides else {
        return Err(Error::invalid_argument(format!(
            "config {path} must be an object"
        )));
    };
    for (js_key, value) in overrides {
        let key_path = format!("{path}.{}", js_key.escape_debug());
        let found = target
            .keys()
            .find(|key| {
                let camel = kebab_to_camel(key);
                if DURATION_KEYS.contains(&key.as_str()) {
                    camel + "Ms" == *js_key
                } else {
                    camel == *js_key
                }
            })
            .cloned()
            .ok_or_else(|| Error::invalid_argument(format!("unknown config key {key_path}")))?;
        let slot = target.get_mut(&found).expect("key was just found");
        let wrong = |expected: &str| {
            Error::invalid_argument(format!("config {key_path} must be {expected}, got {value}"))
        };
        if DURATION_KEYS.contains(&found.as_str()) {
            *slot = match value {
                // `null` disables an optional duration (the event deadline).
                Value::Null if slot.is_null() || found == "deadline" => Value::Null,
                _ => {
                    let ms = value
                        .as_f64()
                        .filter(|ms| ms.is_finite() && *ms >= 0.0 && *ms < 1e15)
                        .ok_or_else(|| wrong("a non-negative number of milliseconds"))?;
                    let duration = core::time::Duration::from_secs_f64(ms / 1e3);
                    serde_json::json!({"secs": duration.as_secs(), "nanos": duration.subsec_nanos()})
                }
            };
            continue;
        }
        match slot {
            Value::Object(inner) => apply_overrides(inner, value, &key_path)?,
            Value::Bool(_) => {
                *slot = Value::Bool(value.as_bool().ok_or_else(|| wrong("a boolean"))?)
            }
            Value::String(_) => {
                let text = value.as_str().ok_or_else(|| wrong("a string"))?;
                *slot = Value::String(if is_strategy(&found) {
                    with_first_char(text, |c| c.to_ascii_uppercase())
                } else {
                    text.to_string()
                });
            }
            // Counts, and optional counts (`null` = none, e.g. the notifier event ids). Counts
            // iceoryx2 allocates for have the same bounds as the options of the same name.
            Value::Number(_) | Value::Null => {
                let max = crate::limits::limit_of(js_key).map_or(MAX_CONFIG_COUNT, |l| l as u64);
                *slot = match value {
                    Value::Null if slot.is_null() => Value::Null,
                    _ => Value::from(
                        value
                            .as_u64()
                            .filter(|n| *n <= max)
                            .ok_or_else(|| wrong(&format!("an integer in 0..={max}")))?,
                    ),
                }
            }
            Value::Array(_) => return Err(wrong("an array")),
        }
    }
    Ok(())
}

fn with_defaults(config: Config, defaults: &serde_json::Value) -> Result<Config> {
    let encoding = |e: serde_json::Error| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("cannot encode the config: {e}"),
        )
    };
    let mut value = serde_json::to_value(&config).map_err(encoding)?;
    let target = value
        .get_mut("defaults")
        .and_then(|d| d.as_object_mut())
        .ok_or_else(|| Error::new(ErrorKind::InternalFailure, "the config has no defaults"))?;
    apply_overrides(target, defaults, "defaults")?;
    // Enum values (e.g. a backpressure strategy) are checked by iceoryx2's own deserializer.
    serde_json::from_value(value)
        .map_err(|e| Error::invalid_argument(format!("invalid config defaults: {e}")))
}

/// The JS view of a config: upstream's tables in camelCase, durations in milliseconds.
pub(crate) fn config_to_json(config: &Config) -> Result<serde_json::Value> {
    let value = serde_json::to_value(config).map_err(|e| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("cannot encode the config: {e}"),
        )
    })?;
    Ok(to_js_shape(value))
}

/// Bytes iceoryx2 may append to root path and prefix in the names of its files (a service hash
/// or two port ids, a version tag and a suffix).
const DERIVED_NAME_RESERVE: usize = 128;
/// Longest root path and prefix together.
pub const MAX_ROOT_AND_PREFIX_LEN: usize = 255 - DERIVED_NAME_RESERVE;

/// Every path iceoryx2 later derives from root path and prefix must fit its path capacity
/// (255); iceoryx2 treats an overlong one as a fatal error instead of returning one.
fn check_path_lengths(config: &Config) -> Result<()> {
    let root = config.global.root_path();
    let prefix = &config.global.prefix;
    if root.len() + prefix.len() > MAX_ROOT_AND_PREFIX_LEN {
        return Err(config_error(format!(
            "config root path '{root}' and prefix '{prefix}' are together {} bytes long; at most \
             {MAX_ROOT_AND_PREFIX_LEN} leave room for the file names iceoryx2 derives from them",
            root.len() + prefix.len()
        )));
    }
    let mut service_dir = *root;
    let mut node_dir = *root;
    let fits = service_dir
        .add_path_entry(&config.global.service.directory)
        .is_ok()
        && node_dir
            .add_path_entry(&config.global.node.directory)
            .is_ok()
        && service_dir.len() + DERIVED_NAME_RESERVE <= 255
        && node_dir.len() + DERIVED_NAME_RESERVE <= 255;
    if fits {
        Ok(())
    } else {
        Err(config_error(format!(
            "config root path '{root}' is too long for the paths iceoryx2 derives from it"
        )))
    }
}

/// iceoryx2 reads a NUL byte as the end of the text and reports the rest as too long.
fn refuse_nul(what: &str, text: &str) -> Result<()> {
    if text.contains('\0') {
        return Err(Error::new(
            ErrorKind::InvalidName,
            format!("config {what} {text:?} contains a NUL byte, which paths cannot hold"),
        ));
    }
    Ok(())
}

/// iceoryx2 reports a root path it cannot create its directories under only as an internal
/// error. Finds which directory fails and why, without leaving anything behind: the first
/// missing one is created and removed again.
fn explain_root_path(config: &Config) -> Option<Error> {
    let root = config.global.root_path().to_string();
    for dir in [config.global.node_dir(), config.global.service_dir()] {
        let dir = std::path::PathBuf::from(dir.to_string());
        let Some(missing) = dir.ancestors().take_while(|a| !a.exists()).last() else {
            continue; // it exists: not what failed
        };
        let parent = missing.parent().unwrap_or(missing);
        let problem = if !parent.is_dir() {
            Err(std::io::Error::from(std::io::ErrorKind::NotADirectory))
        } else {
            std::fs::create_dir(missing).map(|_| {
                let _ = std::fs::remove_dir(missing);
            })
        };
        if let Err(e) = problem {
            let kind = match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    ErrorKind::PermissionDenied
                }
                _ => ErrorKind::ConfigError,
            };
            return Some(Error::new(
                kind,
                format!(
                    "config root path {root:?} cannot hold iceoryx2's files: cannot create {:?}: {e}",
                    dir.display()
                ),
            ));
        }
    }
    None
}

/// A directory path of the config options, checked as iceoryx2's `Path`.
fn config_path(what: &str, text: &str) -> Result<Path> {
    refuse_nul(what, text)?;
    Path::new(text.as_bytes()).map_err(|e| {
        crate::error::invalid_name_error(
            &format!("config {what}"),
            crate::error::NameRules::Path,
            text,
            &e,
        )
    })
}

impl ConfigSpec {
    pub fn build(&self) -> Result<Config> {
        self.resolve().map(|(config, _)| config)
    }

    /// The effective config and the file it was loaded from, if any.
    pub fn resolve(&self) -> Result<(Config, Option<String>)> {
        let (mut config, source) = match (&self.file, self.built_in_defaults) {
            (Some(_), true) => {
                return Err(Error::invalid_argument(
                    "config: give either file or builtInDefaults, not both",
                ))
            }
            (Some(file), false) => (load_file(file)?, Some(file.clone())),
            (None, true) => (Config::default(), None),
            (None, false) => search_default_paths(),
        };
        if let Some(prefix) = &self.prefix {
            refuse_nul("prefix", prefix)?;
            config.global.prefix = FileName::new(prefix.as_bytes()).map_err(|e| {
                crate::error::invalid_name_error(
                    "config prefix",
                    crate::error::NameRules::FileName,
                    prefix,
                    &e,
                )
            })?;
        }
        if let Some(root) = &self.root_path {
            config
                .global
                .set_root_path(&config_path("root path", root)?);
        }
        if let Some(schemas) = &self.flatbuffer_schema_path {
            config.global.service.flatbuffer_schema_path =
                Some(config_path("flatbuffer schema path", schemas)?);
        }
        if let Some(defaults) = &self.defaults {
            config = with_defaults(config, defaults)?;
        }
        check_path_lengths(&config)?;
        Ok((config, source))
    }
}

/// Creates a node as `spec` says.
pub fn create(spec: NodeSpec) -> Result<Handle> {
    let config = spec.config.build()?;
    // The JS runtime owns SIGINT and SIGTERM. The mode matters only to upstream's `Node::wait`
    // and WaitSet (the binding uses neither), whose process-wide handler would take those
    // signals from the runtime; disabled, nothing here asks for that handler.
    //
    // Closing a node cleans up dead nodes when its config says so, and that cleanup can wait
    // forever on a leftover (see [`leftovers`]) where no error can be returned. So upstream's
    // node never does it itself (`cleanup_dead_nodes_on_destruction` off in the config it
    // keeps): [`cleanup_dead_nodes_before_close`] does, skipping what would wait.
    let close_cleanup = config.global.node.cleanup_dead_nodes_on_destruction;
    let mut node_config = config.clone();
    node_config.global.node.cleanup_dead_nodes_on_destruction = false;
    let mut builder = NodeBuilder::new()
        .config(&node_config)
        .signal_handling_mode(SignalHandlingMode::Disabled);
    if let Some(name) = &spec.name {
        let name = NodeName::new(name).map_err(|e| {
            crate::error::invalid_name_error(
                "node name",
                crate::error::NameRules::NodeName,
                name,
                &e,
            )
        })?;
        builder = builder.name(&name);
    }
    guard_upstream_config_search();
    leftovers::refuse(
        &config,
        leftovers::Scope::NodeCreation,
        "cannot create node",
    )?;
    let node = builder.create::<Ipc>().map_err(|e| {
        let unable_to_generate_id = matches!(
            e,
            iceoryx2::node::NodeCreationFailure::UnableToGenerateUniqueNodeId
        );
        let variant = format!("{e:?}");
        let error = e.into_error("cannot create node");
        if unable_to_generate_id {
            if let Some((path, problem)) = leftovers::damaged_node_ids(&config) {
                return Error::new(
                    ErrorKind::ServiceInCorruptedState,
                    format!(
                        "cannot create node: the node-id segment {} of config prefix {:?}, which \
                         every node creation under that prefix opens, is damaged: {problem}. \
                         Remove it (rm '{}'; the next node creation makes it anew), then retry \
                         (iceoryx2: {variant})",
                        path.display(),
                        config.global.prefix.to_string(),
                        path.display(),
                    ),
                );
            }
        }
        match error.kind {
            ErrorKind::InternalFailure => explain_root_path(&config).unwrap_or(error),
            _ => error,
        }
    })?;
    if !close_cleanup {
        without_close_cleanup().insert(node.id().to_string());
    }
    handles::insert(Object::Node(node), None)
}

/// The ids of the open nodes whose config turns the dead-node cleanup on close off; the config
/// upstream keeps has it off for every node (see [`create`]).
fn without_close_cleanup() -> std::sync::MutexGuard<'static, BTreeSet<String>> {
    static IDS: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    IDS.lock().unwrap_or_else(|e| e.into_inner())
}

/// What closing `node` does before it is dropped: upstream's dead-node cleanup on destruction
/// (`cleanup_dead_nodes_on_destruction`, on by default), the same calls upstream's drop makes,
/// minus the dead nodes whose cleanup would open a 0-byte segment and so wait forever, or read a
/// dynamic config whose pattern tag is garbage ([`leftovers::dead_nodes_held_up`]): those are
/// skipped with a warning naming the files, and
/// the next node creation, service opening or `Node.cleanupDeadNodes` reports them as errors.
/// Looking for them never waits (a file being created right now is skipped as well, which only
/// defers its node's cleanup), so closing never blocks on a leftover.
///
/// For the handle table to call right before it drops a node, inside the same unwind guard:
/// upstream's node no longer cleans up on its own (see [`create`]).
pub fn cleanup_dead_nodes_before_close(node: &iceoryx2::node::Node<Ipc>) {
    if without_close_cleanup().remove(&node.id().to_string()) {
        return;
    }
    // Upstream reads its global config when a dead node's details are unreadable.
    guard_upstream_config_search();
    let config = node.config();
    let held_up = leftovers::dead_nodes_held_up(config);
    for (id, files) in &held_up {
        let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        iceoryx2_log::warn!(from "iceoryx2-js node close",
            "Skipped cleaning up dead node {id}: it would open shared-memory file(s) {} that \
             are empty (0 bytes: iceoryx2 would wait on them forever; probably left by a process \
             killed while creating them) or a dynamic config whose pattern tag is garbage \
             (another process wrote into it); remove them, or the service \
             (node.forceRemoveService), then clean up (Node.cleanupDeadNodes).",
             files.join(", "));
    }
    let _ = iceoryx2::node::Node::<Ipc>::list(config, |state| {
        let id = state.node_id().to_string();
        if let NodeState::Dead(view) = state {
            if !held_up.contains_key(&id) {
                let _ = view.blocking_remove_stale_resources(core::time::Duration::ZERO);
            }
        }
        CallbackProgression::Continue
    });
}

/// Runs `f` with the node of `handle` to open or create service `name` with `pattern`: refused
/// when iceoryx2 would wait forever on a leftover of that service or of a dead node registered
/// with it (see [`leftovers`]); other services of the prefix are no concern of the call.
pub(crate) fn with_node<T>(
    handle: Handle,
    name: &ServiceName,
    pattern: MessagingPattern,
    f: impl FnOnce(&iceoryx2::node::Node<Ipc>) -> Result<T>,
) -> Result<T> {
    node_ref(handle, |node| {
        guard_upstream_config_search();
        let context = format!(
            "cannot open service {:?} ({})",
            name.as_str(),
            crate::pattern::name(pattern)
        );
        leftovers::refuse(
            node.config(),
            leftovers::Scope::ServiceOpen(name, pattern),
            &context,
        )?;
        f(node)
    })
}

/// Runs `f` with the node of `handle`, for what opens no shared memory.
pub(crate) fn node_ref<T>(
    handle: Handle,
    f: impl FnOnce(&iceoryx2::node::Node<Ipc>) -> Result<T>,
) -> Result<T> {
    handles::with(handle, |object| match object {
        Object::Node(node) => f(node),
        other => Err(crate::handles::wrong_kind(handle, "Node", other)),
    })
}

/// The node's name ("" when it has none).
pub fn name(handle: Handle) -> Result<String> {
    node_ref(handle, |node| Ok(node.name().as_str().to_string()))
}

/// The node's unique id, as upstream prints it (hexadecimal).
pub fn id(handle: Handle) -> Result<String> {
    node_ref(handle, |node| Ok(node.id().to_string()))
}

/// The config the node was created with, as JSON (see [`config_to_json`]).
pub fn config(handle: Handle) -> Result<ConfigJson> {
    node_ref(handle, |node| {
        let mut json = config_to_json(node.config())?;
        // As the node's config said, not as upstream keeps it (see [`create`]).
        let close_cleanup = !without_close_cleanup().contains(&node.id().to_string());
        if let Some(flag) = json.pointer_mut("/global/node/cleanupDeadNodesOnDestruction") {
            *flag = close_cleanup.into();
        }
        Ok(ConfigJson(json))
    })
}

/// iceoryx2's `Config` as JSON in JavaScript's naming (see [`config_to_json`]); its shape is
/// upstream's config file, documented for TypeScript by core-api's `ResolvedConfig`.
#[derive(Debug, serde::Serialize, TS)]
#[serde(transparent)]
pub struct ConfigJson(
    #[ts(type = "import(\"../node/discovery.js\").ResolvedConfig")] pub serde_json::Value,
);

/// A [`ConfigJson`] with `source`: the file it was loaded from (`null` for built-in defaults).
#[derive(Debug, serde::Serialize, TS)]
#[serde(transparent)]
pub struct SourcedConfigJson(
    #[ts(type = "import(\"../node/discovery.js\").ResolvedConfig & { source: string | null }")]
    pub serde_json::Value,
);

/// The config defaults of the node a service was opened under: iceoryx2 takes every port option
/// left unset from there.
pub(crate) fn node_defaults(service_handle: Handle) -> Result<iceoryx2::config::Defaults> {
    let node = handles::parent(service_handle)?.ok_or_else(|| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("handle {service_handle} has no node"),
        )
    })?;
    node_ref(node, |node| Ok(node.config().defaults.clone()))
}
