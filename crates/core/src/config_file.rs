//! Reading iceoryx2 config files without the ways upstream's reading can hang or mislead.
//!
//! Upstream's `Config::from_file` opens any path (a FIFO blocks that open forever) and reads as
//! many bytes as the file reports (a device reads as an empty config, a huge file is read
//! whole). Here a config file must be a regular file of at most [`MAX_CONFIG_FILE_BYTES`], is
//! opened without blocking and parsed with upstream's own parser, and a syntax error names its
//! line. The default search follows upstream's order with the same checks, and pins upstream's
//! global config first where upstream would otherwise search unchecked itself.

use iceoryx2::config::Config;
use iceoryx2::prelude::{FilePath, Path, SemanticString};

use crate::error::{Error, ErrorKind, Result};

pub(crate) fn config_error(message: String) -> Error {
    Error::new(ErrorKind::ConfigError, message)
}

/// The largest config file read. Upstream's own example config is about 10 KB; upstream reads
/// a file whole into memory, whatever its size.
pub const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

/// What a file type is, for messages.
pub(crate) fn file_type_name(file_type: std::fs::FileType) -> &'static str {
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
pub(crate) fn load_file(file: &str) -> Result<Config> {
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
pub(crate) fn search_default_paths() -> (Config, Option<String>) {
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
