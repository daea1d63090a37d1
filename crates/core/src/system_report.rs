//! What the system says when iceoryx2 reports an internal or creation failure without a cause.
//!
//! iceoryx2 folds full file systems, read-only mounts and exhausted file descriptors into
//! variants such as `InternalError` or `ServiceConfigCouldNotBeCreated`. When one of those is
//! reported, the resources iceoryx2 needs are checked and what is wrong is added to the message.

/// Below this many free bytes a file system counts as full.
pub(crate) const FULL_BELOW_BYTES: u64 = 64 * 1024;
/// iceoryx2's default root directory (service and node files).
const DEFAULT_ROOT: &str = "/tmp/iceoryx2";

/// Whether an iceoryx2 error variant (its debug name) is one whose cause may be the system's.
pub(crate) fn may_be_the_systems(variant: &str) -> bool {
    [
        "Internal",
        "CouldNotBeCreated",
        "UnableToCreate",
        "InsufficientResources",
    ]
    .iter()
    .any(|name| variant.contains(name))
}

/// The problems found with shared memory, the root directory and file descriptors, or `None`.
pub(crate) fn problems() -> Option<String> {
    let mut found = Vec::new();
    if let Some(free) = free_bytes("/dev/shm") {
        if free < FULL_BELOW_BYTES {
            found.push(format!("/dev/shm is full ({free} bytes free)"));
        }
    }
    let root = existing_ancestor(DEFAULT_ROOT);
    if let Some(free) = free_bytes(&root) {
        if free < FULL_BELOW_BYTES {
            found.push(format!(
                "the file system of {root} is full ({free} bytes free)"
            ));
        }
    }
    if !writable(&root) {
        found.push(format!(
            "{root} is not writable by this process (read-only file system or permissions)"
        ));
    }
    if let Some((open, limit)) = descriptors() {
        // The failed call has closed what it opened by now: "near" leaves room for that.
        if open + (limit / 8).max(16) >= limit {
            found.push(format!(
                "this process has {open} file descriptors open, near its limit of {limit} \
                 (ulimit -n)"
            ));
        }
    }
    (!found.is_empty()).then(|| format!("the system reports: {}", found.join("; ")))
}

/// `path`, or its nearest existing ancestor.
fn existing_ancestor(path: &str) -> String {
    let mut current = std::path::Path::new(path);
    while !current.exists() {
        match current.parent() {
            Some(parent) => current = parent,
            None => break,
        }
    }
    current.to_string_lossy().into_owned()
}

/// Free bytes of the file system holding `path`.
pub(crate) fn free_bytes(path: &str) -> Option<u64> {
    let path = std::ffi::CString::new(path).ok()?;
    // SAFETY: `stats` is a valid out-parameter and `path` a NUL-terminated string.
    unsafe {
        let mut stats: libc::statvfs = core::mem::zeroed();
        (libc::statvfs(path.as_ptr(), &mut stats) == 0)
            .then(|| stats.f_bavail as u64 * stats.f_frsize as u64)
    }
}

fn writable(path: &str) -> bool {
    let Ok(path) = std::ffi::CString::new(path) else {
        return true;
    };
    // SAFETY: `path` is a NUL-terminated string.
    unsafe { libc::access(path.as_ptr(), libc::W_OK) == 0 }
}

/// Open file descriptors of this process and its soft limit (all of them when not even the
/// directory listing them can be opened).
fn descriptors() -> Option<(u64, u64)> {
    // SAFETY: `limit` is a valid out-parameter.
    let limit = unsafe {
        let mut limit: libc::rlimit = core::mem::zeroed();
        (libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0).then_some(limit.rlim_cur)
    }?;
    let open = match std::fs::read_dir("/proc/self/fd") {
        Ok(entries) => entries.count() as u64,
        Err(e) if e.raw_os_error() == Some(libc::EMFILE) => limit,
        Err(_) => return None,
    };
    Some((open, limit))
}
