//! Config files that are no regular files, or no sane ones: refused with `ConfigError` naming
//! the path and what it is, never blocking (a FIFO) and never read as an empty config (devices,
//! `/proc`). Every load runs on a thread of its own with a bound, so a regression fails the test
//! instead of hanging it.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use iox2js_core::config_file::MAX_CONFIG_FILE_BYTES;
use iox2js_core::{bridge, ErrorKind};
use serde_json::{json, Value};

const BOUND: Duration = Duration::from_secs(10);

fn resolve(file: &str) -> Result<Value, iox2js_core::Error> {
    let args = json!({ "file": file }).to_string();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(
            bridge::control("config.resolve", 0.0, &args)
                .map(|out| serde_json::from_str(&out).unwrap()),
        );
    });
    receiver
        .recv_timeout(BOUND)
        .unwrap_or_else(|_| panic!("loading {file} did not return within {BOUND:?}"))
}

fn refused(file: &str, says: &str) {
    let error = resolve(file).expect_err(file);
    assert_eq!(error.kind, ErrorKind::ConfigError, "{error}");
    assert!(
        error.message.contains(&format!("{file:?}")),
        "names {file}: {error}"
    );
    assert!(error.message.contains(says), "says {says:?}: {error}");
}

/// A directory of this test's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "iox2js_config_files_{label}_{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let scratch = Scratch::new("fifo");
    let fifo = scratch.path("iceoryx2.toml");
    let c_path = std::ffi::CString::new(fifo.clone()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    refused(&fifo, "is a FIFO (named pipe), not a regular file");
}

#[test]
fn devices_and_directories_are_refused() {
    refused("/dev/zero", "is a character device, not a regular file");
    refused("/dev/urandom", "is a character device, not a regular file");
    refused("/dev/null", "is a character device, not a regular file");
    refused("/tmp", "is a directory, not a regular file");
}

#[test]
fn proc_files_are_read_to_their_end_not_taken_as_empty() {
    // Reports size 0 and cannot be read at offset 0.
    refused("/proc/self/mem", "cannot read config file");
    // Reports size 0 and yields text, which is parsed (and is no TOML).
    refused("/proc/self/status", "is malformed at line 1");
}

#[test]
fn an_oversized_file_is_refused_and_an_empty_one_is_the_built_in_defaults() {
    let scratch = Scratch::new("sizes");
    let large = scratch.path("large.toml");
    let file = std::fs::File::create(&large).unwrap();
    file.set_len(MAX_CONFIG_FILE_BYTES + 1).unwrap();
    refused(&large, "holds more than 1048576 bytes");

    let empty = scratch.path("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let config = resolve(&empty).unwrap();
    assert_eq!(config["global"]["prefix"], "iox2_");
    assert_eq!(config["source"], empty.as_str());

    let binary = scratch.path("binary.toml");
    std::fs::write(&binary, [b'a', 0xff, 0xfe]).unwrap();
    refused(&binary, "is not UTF-8 text (byte 1");

    let valid = scratch.path("valid.toml");
    std::fs::write(&valid, "[global]\nprefix = \"from_file_\"\n").unwrap();
    assert_eq!(resolve(&valid).unwrap()["global"]["prefix"], "from_file_");
}

#[test]
fn a_missing_or_unreadable_file_says_so() {
    refused("/nonexistent/iceoryx2.toml", "does not exist");
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        return; // root reads files whatever their mode
    }
    let scratch = Scratch::new("unreadable");
    let file = scratch.path("iceoryx2.toml");
    std::fs::write(&file, "").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o200)).unwrap();
    refused(&file, "may not read it");
}
