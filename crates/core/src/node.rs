//! Nodes and the configuration they carry.

use iceoryx2::config::{Config, ConfigCreationError};
use iceoryx2::prelude::{
    FileName, FilePath, NodeBuilder, NodeName, Path, SemanticString, SignalHandlingMode,
};
use serde::Deserialize;
use ts_rs::TS;

use crate::error::{Classify, Error, ErrorKind, Result};
use crate::handles::{self, Handle};
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
    /// an error, as upstream's `Config::from_file`.
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

fn config_error(message: String) -> Error {
    Error::new(ErrorKind::ConfigError, message)
}

/// Loads `file`. iceoryx2 reports a syntax error only as `UnableToDeserializeContents` (the
/// details go to its log), so the file is parsed once more with the `toml` crate, the parser
/// iceoryx2 itself uses, only to name the line and column of the error.
fn load_file(file: &str) -> Result<Config> {
    let path = FilePath::new(file.as_bytes()).map_err(|e| {
        config_error(crate::error::invalid_name(
            "config file path",
            crate::error::NameRules::FilePath,
            file,
            &e,
        ))
    })?;
    Config::from_file(&path).map_err(|e| match e {
        ConfigCreationError::UnableToDeserializeContents => locate_syntax_error(file),
        ConfigCreationError::ConfigFileDoesNotExist => {
            config_error(format!("config file {file:?} does not exist"))
        }
        other => config_error(crate::error::iceoryx2_message(
            &format!("cannot load config file {file:?}"),
            crate::error::Explain::explain(&other),
            &other,
        )),
    })
}

fn locate_syntax_error(file: &str) -> Error {
    let contents = match std::fs::read_to_string(file) {
        Ok(contents) => contents,
        Err(e) => return config_error(format!("cannot read config file {file:?}: {e}")),
    };
    match toml::from_str::<Config>(&contents) {
        Ok(_) => config_error(format!("config file {file:?} cannot be deserialized")),
        Err(e) => {
            let offset = e.span().map_or(0, |span| span.start).min(contents.len());
            let before = &contents.as_bytes()[..offset];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let column = offset
                - before
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            config_error(format!(
                "config file {file:?} is malformed at line {line}, column {column}: {}",
                e.message().trim_end()
            ))
        }
    }
}

/// What upstream's `Config::global_config()` loads: the first file of its search order that
/// loads, else the built-in defaults. Like upstream, a file that exists but cannot be loaded is
/// skipped with a warning (once per file and process), here naming its line. It goes to stderr
/// directly: iceoryx2's own log is built without a logger here, and a config that is silently
/// not the one the user wrote is worth a line, unless `IOX2_LOG_LEVEL` asks for errors only.
fn search_default_paths() -> (Config, Option<String>) {
    static WARNED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    for path in default_search_paths() {
        if !std::path::Path::new(&path).exists() {
            continue;
        }
        match load_file(&path) {
            Ok(config) => return (config, Some(path)),
            Err(error) => {
                let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
                if !warned.contains(&path) {
                    if warnings_wanted() {
                        eprintln!(
                            "iceoryx2-js warning: {}; skipped, as upstream's Config::global_config() does",
                            error.message
                        );
                    }
                    warned.push(path);
                }
            }
        }
    }
    (Config::default(), None)
}

/// Whether `IOX2_LOG_LEVEL` (upstream's variable) lets warnings through; unset: yes.
fn warnings_wanted() -> bool {
    let level = std::env::var("IOX2_LOG_LEVEL").unwrap_or_default();
    !["error", "fatal"].contains(&level.to_ascii_lowercase().as_str())
}

/// The config files upstream's `Config::global_config()` considers, in its order.
fn default_search_paths() -> Vec<String> {
    use iceoryx2_bb_posix::system_configuration::GLOBAL_CONFIG_PATH;
    let in_directory = |mut directory: Path| -> Option<String> {
        directory
            .add_path_entry(&Config::relative_config_path())
            .ok()?;
        FilePath::from_path_and_file(&directory, &Config::default_config_file_name())
            .ok()
            .map(|path| path.to_string())
    };
    let mut paths = vec![Config::default_config_file_path().to_string()];
    if let Some(details) = iceoryx2_bb_posix::user::User::from_self()
        .ok()
        .and_then(|user| user.details().cloned())
    {
        paths.extend(in_directory(*details.config_dir()));
    }
    paths.extend(in_directory(GLOBAL_CONFIG_PATH));
    paths
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
    let mut builder = NodeBuilder::new()
        .config(&config)
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
    let node = builder.create::<Ipc>().map_err(|e| {
        let error = e.into_error("cannot create node");
        match error.kind {
            ErrorKind::InternalFailure => explain_root_path(&config).unwrap_or(error),
            _ => error,
        }
    })?;
    handles::insert(Object::Node(node), None)
}

pub(crate) fn with_node<T>(
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
    with_node(handle, |node| Ok(node.name().as_str().to_string()))
}

/// The node's unique id, as upstream prints it (hexadecimal).
pub fn id(handle: Handle) -> Result<String> {
    with_node(handle, |node| Ok(node.id().to_string()))
}

/// The config the node was created with, as JSON (see [`config_to_json`]).
pub fn config(handle: Handle) -> Result<ConfigJson> {
    with_node(handle, |node| config_to_json(node.config()).map(ConfigJson))
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
    with_node(node, |node| Ok(node.config().defaults.clone()))
}
