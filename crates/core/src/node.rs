//! Nodes and the configuration they carry.

use iceoryx2::config::Config;
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

fn config_error(message: String) -> Error {
    Error::new(ErrorKind::ConfigError, message)
}

/// The largest config file read. Upstream's own example config is about 10 KB; upstream reads
/// a file whole into memory, whatever its size.
pub const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

/// What a file type is, for messages.
fn file_type_name(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

fn refuse_irregular(file: &str, metadata: &std::fs::Metadata) -> Result<()> {
    if metadata.is_file() {
        return Ok(());
    }
    Err(config_error(format!(
        "config file {file:?} is {}, not a regular file; give the path of an iceoryx2 TOML \
         config file",
        file_type_name(metadata.file_type())
    )))
}

fn refuse_oversized(file: &str, bytes: u64) -> Result<()> {
    if bytes <= MAX_CONFIG_FILE_BYTES {
        return Ok(());
    }
    Err(config_error(format!(
        "config file {file:?} holds more than {MAX_CONFIG_FILE_BYTES} bytes, far more than an \
         iceoryx2 config; give the path of an iceoryx2 TOML config file"
    )))
}

/// Reads config file `file` as text. Upstream's `Config::from_file` opens any path (a FIFO
/// blocks that open forever) and reads as many bytes as the file reports (a device or a
/// `/proc` file reports 0 and reads as an empty config, the built-in defaults). Here the type is
/// checked without opening (`stat`), the open cannot block (`O_NONBLOCK`, should the path have
/// been replaced by a FIFO since; the opened file is checked again), and the read goes to the
/// end of the file, bounded by [`MAX_CONFIG_FILE_BYTES`].
fn read_config_file(file: &str) -> Result<String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let metadata = std::fs::metadata(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            config_error(format!("config file {file:?} does not exist"))
        }
        _ => config_error(format!("cannot inspect config file {file:?}: {e}")),
    })?;
    refuse_irregular(file, &metadata)?;
    refuse_oversized(file, metadata.len())?;
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(file)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => config_error(format!(
                "cannot read config file {file:?}: this process may not read it ({e}); grant \
                 read permission on the file"
            )),
            _ => config_error(format!("cannot open config file {file:?}: {e}")),
        })?;
    let metadata = opened
        .metadata()
        .map_err(|e| config_error(format!("cannot inspect config file {file:?}: {e}")))?;
    refuse_irregular(file, &metadata)?;
    let mut bytes = Vec::new();
    opened
        .take(MAX_CONFIG_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| config_error(format!("cannot read config file {file:?}: {e}")))?;
    refuse_oversized(file, bytes.len() as u64)?;
    String::from_utf8(bytes).map_err(|e| {
        config_error(format!(
            "config file {file:?} is not UTF-8 text (byte {} is not valid UTF-8); give the path \
             of an iceoryx2 TOML config file",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Loads `file` as upstream's `Config::from_file` does (the same `toml` parser and the same
/// `Config` type), from the text [`read_config_file`] read. iceoryx2 reports a syntax error
/// only as `UnableToDeserializeContents`; here it names line and column.
fn load_file(file: &str) -> Result<Config> {
    FilePath::new(file.as_bytes()).map_err(|e| {
        config_error(crate::error::invalid_name(
            "config file path",
            crate::error::NameRules::FilePath,
            file,
            &e,
        ))
    })?;
    let contents = read_config_file(file)?;
    toml::from_str::<Config>(&contents).map_err(|e| syntax_error(file, &contents, &e))
}

fn syntax_error(file: &str, contents: &str, e: &toml::de::Error) -> Error {
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

/// Upstream falls back to its own `Config::global_config()` where it has no config at hand: when
/// it cleans up a dead node whose details cannot be read (on node creation, service opening,
/// node closing and dead-node cleanup). That search opens and reads the same paths as
/// [`search_default_paths`] without any check, and would block forever on a FIFO there. When a
/// path of the search order is no regular file, upstream's global config is therefore set first:
/// to the file the checked search loads, or to the built-in defaults (`/dev/null` reads as an
/// empty file, which upstream loads as them). Upstream sets its global config only once; later
/// calls change nothing.
pub(crate) fn guard_upstream_config_search() {
    let risky = default_search_paths().iter().any(|path| {
        std::fs::metadata(path).is_ok_and(|m| !m.is_file() || m.len() > MAX_CONFIG_FILE_BYTES)
    });
    if !risky {
        return;
    }
    let file = search_default_paths()
        .1
        .unwrap_or_else(|| "/dev/null".to_string());
    if let Ok(path) = FilePath::new(file.as_bytes()) {
        let _ = Config::setup_global_config_from_file(&path);
    }
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
    handles::insert(Object::Node(node), None)
}

/// Runs `f` with the node of `handle` to open or create a service: refused when iceoryx2 would
/// wait forever on a leftover of the node's prefix (see [`leftovers`]).
pub(crate) fn with_node<T>(
    handle: Handle,
    f: impl FnOnce(&iceoryx2::node::Node<Ipc>) -> Result<T>,
) -> Result<T> {
    node_ref(handle, |node| {
        guard_upstream_config_search();
        leftovers::refuse(
            node.config(),
            leftovers::Scope::ServiceOpen,
            "cannot open service",
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
    node_ref(handle, |node| config_to_json(node.config()).map(ConfigJson))
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

pub mod leftovers {
    //! Shared-memory files that iceoryx2 0.10 would wait on forever.
    //!
    //! iceoryx2 creates a shared-memory segment in two steps: `shm_open` creates an empty file,
    //! `ftruncate` sizes it microseconds later. A process killed in between leaves a 0-byte file.
    //! Whoever opens that segment later retries `MappingSizeIsZero` every millisecond without
    //! looking at its timeout (`iceoryx2-cal`'s `posix_shared_memory::Builder::open_impl`), so the
    //! call never returns. The segments opened that way, all named
    //! `<prefix><type hash>_<name><suffix>` in `/dev/shm`:
    //!
    //! * `node.<version>.global_mgmt`, the node-id segment of a prefix, world-writable by design:
    //!   opened by every node creation.
    //! * `<service id>.dynamic`, a service's dynamic config: opened by opening the service, by
    //!   listing services and reading their details, and by cleaning up a dead node registered
    //!   with the service.
    //! * `<service id>.blackboard_mgmt`: opened with the blackboard service it belongs to.
    //! * `<sender port id>_<receiver port id>.connection`: opened by cleaning up a dead node that
    //!   owned one of the two ports.
    //!
    //! Dead nodes are cleaned up by node creation and service opening as well (upstream's
    //! `cleanup_dead_nodes_on_creation` and `cleanup_dead_nodes_on_open`, on by default). Before
    //! those calls, [`refuse`] looks for 0-byte files among the segments the call would open and
    //! refuses with `ServiceInCorruptedState`, naming them. A file counts only once it has been
    //! 0 bytes for [`GRACE`], so a segment another process is creating right now is not mistaken
    //! for a leftover; the wait for that is bounded by [`GRACE`] and happens only when such a file
    //! exists. Without empty files of the prefix in `/dev/shm` (the normal case) the check is one
    //! directory listing. Elsewhere than Linux shared memory has no directory to look at, and
    //! nothing is checked.
    //!
    //! Service opening runs inside `node::with_node`, which does not know the service's name: a
    //! leftover of any service of the prefix refuses it. Not checked here, as they happen outside
    //! this file: closing a node (upstream's `cleanup_dead_nodes_on_destruction` cleans up dead
    //! nodes too) and creating ports (they open or create connections).

    use std::collections::{BTreeMap, BTreeSet};
    use std::os::unix::fs::MetadataExt;
    use std::path::{Path as StdPath, PathBuf};
    use std::time::{Duration, SystemTime};

    use iceoryx2::config::Config;
    use iceoryx2::node::NodeState;
    use iceoryx2::prelude::{CallbackProgression, MessagingPattern, ServiceName};
    use iceoryx2::service::static_config::messaging_pattern::MessagingPattern as PatternConfig;
    use iceoryx2::service::static_config::StaticConfig;

    use crate::error::{Error, ErrorKind, Result};
    use crate::objects::Ipc;

    /// Where Linux shows POSIX shared memory as files (iceoryx2's `SHARED_MEMORY_DIRECTORY`).
    pub const SHM_DIR: &str = "/dev/shm";
    /// How long a segment must have been 0 bytes to count as a leftover. iceoryx2 sizes a
    /// segment right after creating it; only a creator stopped or killed in between leaves it
    /// empty this long.
    pub const GRACE: Duration = Duration::from_secs(1);
    /// The largest static service config read to find a service's id.
    const MAX_STATIC_CONFIG_BYTES: u64 = 1024 * 1024;

    /// What a call is about to do, and so which segments it would open.
    #[derive(Debug, Clone, Copy)]
    pub enum Scope<'a> {
        /// Creating a node: the node-id segment, and the dead nodes it cleans up.
        NodeCreation,
        /// Opening or creating some service (which one is not known here): every service, and
        /// the dead nodes it cleans up.
        ServiceOpen,
        /// Listing every service with its details.
        Services,
        /// Reading one service's details.
        Service(&'a ServiceName, MessagingPattern),
        /// Cleaning up dead nodes: all, or the one with this id (as `Node.list` shows it).
        DeadNodes(Option<&'a str>),
    }

    /// The role of a segment, from its file name.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Segment {
        NodeIds,
        Dynamic(u128),
        BlackboardMgmt(u128),
        Connection(u128, u128),
    }

    /// An empty segment file.
    #[derive(Debug)]
    struct Empty {
        path: PathBuf,
        segment: Segment,
        inode: u64,
        owner: u32,
        /// How long ago it was last changed (created or truncated).
        age: Duration,
        changed: (i64, i64),
    }

    /// A service as its static config file says.
    #[derive(Debug, Clone)]
    struct ServiceEntry {
        name: String,
        pattern: Option<MessagingPattern>,
    }

    /// An empty segment the call would open: a leftover once [`GRACE`] has passed.
    #[derive(Debug)]
    pub struct Leftover {
        pub path: PathBuf,
        /// What the segment is, e.g. `the dynamic config of publish-subscribe service "a"`.
        pub what: String,
        owner: u32,
        age: Duration,
        inode: u64,
        changed: (i64, i64),
        is_dynamic_config: bool,
    }

    /// The version tag iceoryx2 puts into the node-id segment's name (`.0_10_0`).
    fn version_tag() -> String {
        format!(".{}", crate::ICEORYX2_VERSION.replace('.', "_"))
    }

    /// The version iceoryx2 stores in every segment it initialised (`PackageVersion::to_u64`).
    pub(crate) fn version_value() -> u64 {
        let mut parts = crate::ICEORYX2_VERSION
            .split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0));
        let mut next = || parts.next().unwrap_or(0);
        (next() << 32) | (next() << 16) | next()
    }

    fn segment_of(config: &Config, rest: &str) -> Option<Segment> {
        let hash = rest.get(..40)?;
        if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let body = rest.get(40..)?.strip_prefix('_')?;
        let service = &config.global.service;
        let node_ids = format!(
            "node{}{}",
            version_tag(),
            config.global.node.global_mgmt_suffix
        );
        if body == node_ids {
            return Some(Segment::NodeIds);
        }
        let id = |suffix: &iceoryx2::prelude::FileName| {
            body.strip_suffix(suffix.to_string().as_str())
                .and_then(|id| id.parse::<u128>().ok())
        };
        if let Some(id) = id(&service.dynamic_config_storage_suffix) {
            return Some(Segment::Dynamic(id));
        }
        if let Some(id) = id(&service.blackboard_mgmt_suffix) {
            return Some(Segment::BlackboardMgmt(id));
        }
        let (sender, receiver) = body
            .strip_suffix(service.connection_suffix.to_string().as_str())?
            .split_once('_')?;
        Some(Segment::Connection(
            sender.parse().ok()?,
            receiver.parse().ok()?,
        ))
    }

    fn change_time(metadata: &std::fs::Metadata) -> (i64, i64) {
        (metadata.ctime(), metadata.ctime_nsec())
    }

    fn age_of(metadata: &std::fs::Metadata) -> Duration {
        let changed = SystemTime::UNIX_EPOCH
            + Duration::new(
                metadata.ctime().max(0) as u64,
                metadata.ctime_nsec().clamp(0, 999_999_999) as u32,
            );
        // A change time in the future (the clock was set back) counts as just now.
        SystemTime::now()
            .duration_since(changed)
            .unwrap_or(Duration::ZERO)
    }

    /// The segment files of `config`'s prefix in [`SHM_DIR`] (any size), with their metadata,
    /// read without opening them.
    fn segments(config: &Config) -> Vec<(PathBuf, Segment, std::fs::Metadata)> {
        let prefix = config.global.prefix.to_string();
        let Ok(entries) = std::fs::read_dir(SHM_DIR) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name();
                let rest = name.to_str()?.strip_prefix(prefix.as_str())?;
                let segment = segment_of(config, rest)?;
                let metadata = entry.metadata().ok()?;
                Some((entry.path(), segment, metadata))
            })
            .collect()
    }

    fn empty_segments(config: &Config) -> Vec<Empty> {
        segments(config)
            .into_iter()
            .filter(|(_, _, m)| m.is_file() && m.len() == 0)
            .map(|(path, segment, metadata)| Empty {
                path,
                segment,
                inode: metadata.ino(),
                owner: metadata.uid(),
                age: age_of(&metadata),
                changed: change_time(&metadata),
            })
            .collect()
    }

    fn pattern_of(config: &StaticConfig) -> Option<MessagingPattern> {
        Some(match config.messaging_pattern() {
            PatternConfig::PublishSubscribe(_) => MessagingPattern::PublishSubscribe,
            PatternConfig::Event(_) => MessagingPattern::Event,
            PatternConfig::RequestResponse(_) => MessagingPattern::RequestResponse,
            PatternConfig::Blackboard(_) => MessagingPattern::Blackboard,
            _ => return None,
        })
    }

    /// Reads a static service config file: the service's id and name. Only regular files of a
    /// sane size are read; one still being written (not readable yet) or malformed is skipped,
    /// as iceoryx2 skips it.
    fn read_static_config(path: &StdPath) -> Option<(u128, ServiceEntry)> {
        let metadata = std::fs::metadata(path).ok()?;
        if !metadata.is_file() || metadata.len() > MAX_STATIC_CONFIG_BYTES {
            return None;
        }
        let text = std::fs::read_to_string(path).ok()?;
        let config: StaticConfig = toml::from_str(&text).ok()?;
        let id = u128::from_str_radix(&config.unique_service_id().to_string(), 16).ok()?;
        Some((
            id,
            ServiceEntry {
                name: config.name().as_str().to_string(),
                pattern: pattern_of(&config),
            },
        ))
    }

    fn static_config_path(config: &Config, hash: &str) -> PathBuf {
        PathBuf::from(config.global.service_dir().to_string()).join(format!(
            "{}{hash}{}",
            config.global.prefix, config.global.service.static_config_storage_suffix
        ))
    }

    /// Every service of the prefix by id.
    fn all_services(config: &Config) -> BTreeMap<u128, ServiceEntry> {
        let prefix = config.global.prefix.to_string();
        let suffix = config
            .global
            .service
            .static_config_storage_suffix
            .to_string();
        let Ok(entries) = std::fs::read_dir(config.global.service_dir().to_string()) else {
            return BTreeMap::new();
        };
        entries
            .flatten()
            .filter(|entry| {
                entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with(prefix.as_str()) && n.ends_with(suffix.as_str()))
            })
            .filter_map(|entry| read_static_config(&entry.path()))
            .collect()
    }

    /// What the dead nodes cleanup would touch: the services they are registered with (by id)
    /// and their ports, each with the dead node's id.
    #[derive(Default)]
    struct DeadResources {
        services: BTreeMap<u128, (ServiceEntry, String)>,
        ports: BTreeMap<u128, String>,
    }

    fn dead_resources(config: &Config, only: Option<&str>) -> DeadResources {
        let mut dead = Vec::new();
        let _ = iceoryx2::node::Node::<Ipc>::list(config, |state| {
            if let NodeState::Dead(_) = &state {
                let id = state.node_id().to_string();
                if only.is_none_or(|only| only == id) {
                    dead.push(id);
                }
            }
            CallbackProgression::Continue
        });
        let prefix = config.global.prefix.to_string();
        let node = &config.global.node;
        let service_tag = node.service_tag_suffix.to_string();
        let port_tag = node.port_tag_suffix.to_string();
        let mut resources = DeadResources::default();
        for id in dead {
            let Ok(value) = u128::from_str_radix(&id, 16) else {
                continue;
            };
            let directory =
                PathBuf::from(config.global.node_dir().to_string()).join(value.to_string());
            let Ok(entries) = std::fs::read_dir(&directory) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let Some(tag) = name.to_str().and_then(|n| n.strip_prefix(prefix.as_str())) else {
                    continue;
                };
                if let Some(hash) = tag.strip_suffix(service_tag.as_str()) {
                    if let Some((service_id, service)) =
                        read_static_config(&static_config_path(config, hash))
                    {
                        resources.services.insert(service_id, (service, id.clone()));
                    }
                } else if let Some(port) = tag
                    .strip_suffix(port_tag.as_str())
                    .and_then(|p| p.parse::<u128>().ok())
                {
                    resources.ports.insert(port, id.clone());
                }
            }
        }
        resources
    }

    fn describe_service(what: &str, service: &ServiceEntry) -> String {
        let pattern = service
            .pattern
            .map(|p| format!(" ({})", crate::pattern::name(p)))
            .unwrap_or_default();
        format!("{what} of service {:?}{pattern}", service.name)
    }

    /// The empty segments among those `scope` would open, not yet confirmed by [`GRACE`].
    fn candidates(config: &Config, scope: Scope) -> Vec<Leftover> {
        let empty = empty_segments(config);
        if empty.is_empty() {
            return Vec::new();
        }
        let dead_nodes = match scope {
            Scope::NodeCreation if config.global.node.cleanup_dead_nodes_on_creation => Some(None),
            Scope::ServiceOpen if config.global.service.cleanup_dead_nodes_on_open => Some(None),
            Scope::DeadNodes(only) => Some(only),
            _ => None,
        };
        let needs_services = empty
            .iter()
            .any(|e| matches!(e.segment, Segment::Dynamic(_) | Segment::BlackboardMgmt(_)));
        let services = match scope {
            Scope::ServiceOpen | Scope::Services if needs_services => all_services(config),
            Scope::Service(name, pattern) if needs_services => all_services(config)
                .into_iter()
                .filter(|(_, s)| s.name == name.as_str() && s.pattern == Some(pattern))
                .collect(),
            _ => BTreeMap::new(),
        };
        let dead = match dead_nodes {
            Some(only) if empty.iter().any(|e| e.segment != Segment::NodeIds) => {
                dead_resources(config, only)
            }
            _ => DeadResources::default(),
        };
        let service = |id: &u128| {
            services.get(id).map(|s| (s.clone(), None)).or_else(|| {
                dead.services
                    .get(id)
                    .map(|(s, node)| (s.clone(), Some(node)))
            })
        };
        empty
            .into_iter()
            .filter_map(|e| {
                let what = match e.segment {
                    Segment::NodeIds => matches!(scope, Scope::NodeCreation).then(|| {
                        format!(
                            "the node-id segment of config prefix {:?}, which every node \
                             creation under that prefix opens",
                            config.global.prefix.to_string()
                        )
                    })?,
                    Segment::Dynamic(id) => {
                        let (s, node) = service(&id)?;
                        describe_service("the dynamic config", &s)
                            + &node
                                .map(|n| format!(", which dead node {n} was registered with"))
                                .unwrap_or_default()
                    }
                    Segment::BlackboardMgmt(id) => {
                        let (s, node) = service(&id)?;
                        describe_service("the management segment", &s)
                            + &node
                                .map(|n| format!(", which dead node {n} was registered with"))
                                .unwrap_or_default()
                    }
                    Segment::Connection(sender, receiver) => {
                        let (port, node) = dead
                            .ports
                            .get_key_value(&sender)
                            .or_else(|| dead.ports.get_key_value(&receiver))?;
                        format!(
                            "the connection from port {sender} to port {receiver}; port {port} \
                             was dead node {node}'s"
                        )
                    }
                };
                Some(Leftover {
                    path: e.path,
                    what,
                    owner: e.owner,
                    age: e.age,
                    inode: e.inode,
                    changed: e.changed,
                    is_dynamic_config: matches!(e.segment, Segment::Dynamic(_)),
                })
            })
            .collect()
    }

    /// The leftovers `scope` would wait on forever: its empty segments that have been empty for
    /// [`GRACE`]. When one is younger, waits until it is that old (at most [`GRACE`]) and looks
    /// again: a segment being created has its size by then.
    pub fn find(config: &Config, scope: Scope) -> Vec<Leftover> {
        let candidates = candidates(config, scope);
        let Some(youngest) = candidates.iter().map(|c| c.age).min() else {
            return Vec::new();
        };
        let waited = GRACE.saturating_sub(youngest);
        if !waited.is_zero() {
            std::thread::sleep(waited);
        }
        candidates
            .into_iter()
            .filter_map(|mut c| {
                let metadata = std::fs::symlink_metadata(&c.path).ok()?;
                if !metadata.is_file() || metadata.len() != 0 {
                    return None;
                }
                let unchanged = metadata.ino() == c.inode && change_time(&metadata) == c.changed;
                // Unchanged, it has been empty at least since first seen; else only since its
                // change time (a clock set back makes that "just now").
                c.age = if unchanged {
                    (c.age + waited).max(age_of(&metadata))
                } else {
                    age_of(&metadata)
                };
                (c.age >= GRACE).then_some(c)
            })
            .collect()
    }

    /// A quoted path for a shell command.
    fn quoted(path: &StdPath) -> String {
        format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
    }

    /// The error for `leftovers` (not empty), after `context` (what the call was doing).
    pub fn error(context: &str, leftovers: &[Leftover]) -> Error {
        let described: Vec<String> = leftovers
            .iter()
            .map(|l| format!("{} ({})", l.path.display(), l.what))
            .collect();
        let (files, it, them) = if leftovers.len() == 1 {
            ("the shared-memory file", "it is empty (0 bytes)", "it")
        } else {
            (
                "the shared-memory files",
                "they are empty (0 bytes)",
                "them",
            )
        };
        let oldest = leftovers.iter().map(|l| l.age).max().unwrap_or_default();
        let paths: Vec<String> = leftovers.iter().map(|l| quoted(&l.path)).collect();
        // SAFETY: geteuid cannot fail and touches no memory of ours.
        let me = unsafe { libc::geteuid() };
        let owners: BTreeSet<u32> = leftovers
            .iter()
            .map(|l| l.owner)
            .filter(|o| *o != me)
            .collect();
        let owner_note = if owners.is_empty() {
            String::new()
        } else {
            let ids: Vec<String> = owners.iter().map(u32::to_string).collect();
            format!(
                " as the user that owns {them} (user id {}) or as root: {SHM_DIR} lets only a \
                 file's owner remove it",
                ids.join(", ")
            )
        };
        let service_note = if leftovers.iter().any(|l| l.is_dynamic_config) {
            "; once a dynamic config is gone, the next dead-node cleanup removes the rest of its \
             service, or node.forceRemoveService() does"
        } else {
            ""
        };
        Error::new(
            ErrorKind::ServiceInCorruptedState,
            format!(
                "{context}: iceoryx2 would wait forever on {files} {}: {it} and {} been for at \
                 least {:.1} s, so {} probably left by a process killed while creating {them}. \
                 Remove {them} (rm {}){owner_note}, then retry{service_note}",
                described.join(", "),
                if leftovers.len() == 1 { "has" } else { "have" },
                oldest.as_secs_f64(),
                if leftovers.len() == 1 {
                    "it was"
                } else {
                    "they were"
                },
                paths.join(" "),
            ),
        )
    }

    /// Refuses with [`error`] when `scope` would wait forever on leftovers of `config`'s prefix.
    pub fn refuse(config: &Config, scope: Scope, context: &str) -> Result<()> {
        let found = find(config, scope);
        if found.is_empty() {
            Ok(())
        } else {
            Err(error(context, &found))
        }
    }

    /// Why the node-id segment of `config`'s prefix keeps iceoryx2 from generating node ids, if
    /// it is damaged: not a regular file, shorter than its version field, not readable and
    /// writable by this process, or holding another version than iceoryx2's (random bytes).
    /// Read with `read`, never mapped, so a short file cannot fault.
    pub fn damaged_node_ids(config: &Config) -> Option<(PathBuf, String)> {
        use std::io::Read;
        use std::os::unix::fs::OpenOptionsExt;
        segments(config)
            .into_iter()
            .filter(|(_, segment, _)| *segment == Segment::NodeIds)
            .find_map(|(path, _, metadata)| {
                let problem = if !metadata.is_file() {
                    Some(format!(
                        "it is {}",
                        super::file_type_name(metadata.file_type())
                    ))
                } else {
                    match std::fs::OpenOptions::new()
                        .read(true)
                        .write(true)
                        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
                        .open(&path)
                    {
                        Err(e) => Some(format!(
                            "this process may not open it for reading and writing ({e}; it \
                             belongs to user id {} and has mode {:o})",
                            metadata.uid(),
                            metadata.mode() & 0o7777
                        )),
                        Ok(mut file) => {
                            let mut version = [0u8; 8];
                            match file.read_exact(&mut version) {
                                Err(_) => Some(format!(
                                    "it is {} bytes long, too short to hold iceoryx2's version",
                                    metadata.len()
                                )),
                                Ok(()) => {
                                    let found = u64::from_ne_bytes(version);
                                    (found != version_value()).then(|| {
                                        format!(
                                            "its version field reads {found:#x} instead of \
                                             iceoryx2 {}'s {:#x}: it holds bytes no iceoryx2 \
                                             {} wrote",
                                            crate::ICEORYX2_VERSION,
                                            version_value(),
                                            crate::ICEORYX2_VERSION
                                        )
                                    })
                                }
                            }
                        }
                    }
                };
                problem.map(|p| (path, p))
            })
    }
}
