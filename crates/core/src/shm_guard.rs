//! Shared memory that cannot be read or written does not kill the process.
//!
//! A page of a shared-memory file faults with SIGBUS when the file no longer reaches it (a peer
//! truncated its segment) or when tmpfs cannot back it (`/dev/shm` is full: segment files are
//! sparse). Both would end the process inside a JavaScript property read. The guard installs a
//! SIGBUS handler that, for an address inside a mapping of a `/dev/shm` file only, maps a private
//! zero page over the faulting page and records the fault; the access is then retried and reads
//! zeros (a write lands in the private page). The next operation of this library reports the
//! fault as an error ([`take_fault`]), naming the file.
//!
//! Garbage in a service's files sends iceoryx2 to addresses outside any mapping, where no page
//! can absorb the access: a SIGSEGV or SIGBUS there, raised by the kernel on a thread inside one
//! of this library's native calls, ends that call instead ([`crate::escape`]). Every other fault
//! goes to the handler that was installed before (the runtime's own), or to the default action.
//!
//! The handler only makes async-signal-safe calls (`open`, `read`, `close`, `mmap`, `sigaction`,
//! `pthread_getspecific`, `siglongjmp`) and uses no allocation or lock: it finds the mapping by
//! reading `/proc/self/maps` itself.

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Once;

use crate::error::{Error, ErrorKind};

/// The shared-memory mount whose mappings the guard covers.
const SHM_DIR: &[u8] = b"/dev/shm/";
/// The longest file path recorded for the report.
const PATH_CAPACITY: usize = 256;

/// The handlers before ours (SIGBUS, SIGSEGV), to chain to; written once before ours are
/// installed.
static mut PREVIOUS: [core::mem::MaybeUninit<libc::sigaction>; 2] =
    [core::mem::MaybeUninit::uninit(); 2];
/// The signals handled, in `PREVIOUS`'s order.
const SIGNALS: [libc::c_int; 2] = [libc::SIGBUS, libc::SIGSEGV];
static INSTALL: Once = Once::new();
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// The last fault not yet reported: its address (0 for none), and its file's path.
static FAULT_ADDRESS: AtomicUsize = AtomicUsize::new(0);
static FAULT_PATH_LEN: AtomicUsize = AtomicUsize::new(0);
static mut FAULT_PATH: [u8; PATH_CAPACITY] = [0; PATH_CAPACITY];
/// How many faults the guard absorbed since the process started.
static FAULTS: AtomicUsize = AtomicUsize::new(0);

/// Installs the guard once per process (called before iceoryx2 maps anything for us).
pub fn install() {
    INSTALL.call_once(|| {
        // Without escapes a SIGSEGV handler would have nothing to do: SIGBUS only then.
        let signals = if crate::escape::init() { 2 } else { 1 };
        for (index, signal) in SIGNALS.into_iter().enumerate().take(signals) {
            // SAFETY: `action` is fully initialised (zeroed, then the handler, mask and flags
            // set); each `PREVIOUS` entry is written only here, once, before the handler that
            // reads it is installed, and `sigaction` reads and writes valid structs.
            unsafe {
                let mut action: libc::sigaction = core::mem::zeroed();
                action.sa_sigaction = on_fault as *const () as usize;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut action.sa_mask);
                let previous = &raw mut PREVIOUS;
                if libc::sigaction(signal, &action, (*previous)[index].as_mut_ptr()) == 0 {
                    INSTALLED.store(true, Ordering::Release);
                }
            }
        }
    });
}

/// Whether the guard is installed (for tests).
pub fn is_installed() -> bool {
    INSTALLED.load(Ordering::Acquire)
}

/// How many faults the guard absorbed in this process.
pub fn fault_count() -> usize {
    FAULTS.load(Ordering::Relaxed)
}

/// The fault the guard absorbed since the last call, as the error to report, if any.
pub fn take_fault() -> Option<Error> {
    if FAULT_ADDRESS.load(Ordering::Relaxed) == 0 {
        return None;
    }
    let address = FAULT_ADDRESS.swap(0, Ordering::Acquire);
    if address == 0 {
        return None;
    }
    let len = FAULT_PATH_LEN.load(Ordering::Acquire).min(PATH_CAPACITY);
    // SAFETY: the handler wrote `len` bytes before publishing the address with release order;
    // a fault racing with this read can at worst garble the path in the message.
    let path = unsafe {
        let path = &raw const FAULT_PATH;
        String::from_utf8_lossy(&(&*path)[..len]).into_owned()
    };
    // A full /dev/shm is the likelier cause when it has (almost) nothing left.
    let free = free_bytes();
    let full = free.is_some_and(|free| free < crate::system_report::FULL_BELOW_BYTES);
    let what_then = "The process goes on: reads of that page returned zeros, writes to it were \
                     lost, and the service may be unusable; close and re-create its ports";
    Some(if full {
        Error::new(
            ErrorKind::OutOfMemory,
            format!(
                "/dev/shm is full ({} bytes free): the shared memory of {path} could not be \
                 backed at {address:#x} (SIGBUS). {what_then} once space is freed (df /dev/shm; \
                 Docker's default is 64 MiB, raise it with --shm-size)",
                free.unwrap_or(0)
            ),
        )
    } else {
        Error::new(
            ErrorKind::ServiceInCorruptedState,
            format!(
                "the shared memory of {path} could not be accessed at {address:#x} (SIGBUS): \
                 another process truncated the file. {what_then}, and find the process that \
                 truncated it"
            ),
        )
    })
}

/// A dynamic-config file of a service this process opened: its path, its inode, and its size
/// then. A file that shrank since was truncated by another process. Within its last page that
/// raises no fault, so iceoryx2 reads zeros and reports full limits instead of corruption.
struct OpenedDynamicConfig {
    path: String,
    inode: u64,
    size: u64,
}

static DYNAMIC_CONFIGS: std::sync::Mutex<Vec<OpenedDynamicConfig>> =
    std::sync::Mutex::new(Vec::new());

/// The `/dev/shm` files mapped in this process whose names end with `suffix`.
pub(crate) fn mapped_shm_files(suffix: &str) -> Vec<String> {
    let mut files: Vec<String> = crate::spans::shm_mappings()
        .into_iter()
        .map(|(_, _, path)| path)
        .filter(|path| path.ends_with(suffix))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// Remembers dynamic-config file `path` of a service just opened, unless known.
pub(crate) fn remember_dynamic_config(path: &str) {
    use std::os::unix::fs::MetadataExt;
    let mut known = DYNAMIC_CONFIGS.lock().unwrap_or_else(|e| e.into_inner());
    // Files gone (their services were removed) or made anew are forgotten.
    known.retain(|opened| {
        std::fs::metadata(&opened.path).is_ok_and(|now| now.ino() == opened.inode)
    });
    if !known.iter().any(|opened| opened.path == path) {
        if let Ok(metadata) = std::fs::metadata(path) {
            known.push(OpenedDynamicConfig {
                path: path.to_owned(),
                inode: metadata.ino(),
                size: metadata.len(),
            });
        }
    }
}

/// Whether `path` is the very dynamic-config file (same inode) of a service this process opened:
/// iceoryx2 then found its own version in it.
pub(crate) fn opened_here(path: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(metadata) = std::fs::metadata(path) else {
        return false;
    };
    let known = DYNAMIC_CONFIGS.lock().unwrap_or_else(|e| e.into_inner());
    known
        .iter()
        .any(|opened| std::path::Path::new(&opened.path) == path && opened.inode == metadata.ino())
}

/// A remembered dynamic-config file that is shorter now than when its service was opened.
pub(crate) fn truncated_dynamic_config() -> Option<Error> {
    let known = DYNAMIC_CONFIGS.lock().unwrap_or_else(|e| e.into_inner());
    known
        .iter()
        .find_map(|OpenedDynamicConfig { path, size, .. }| {
            let now = std::fs::metadata(path).ok()?.len();
            (now < *size).then(|| {
                Error::new(
                    ErrorKind::ServiceInCorruptedState,
                    format!(
                    "the service's dynamic config {path} was truncated by another process ({now} \
                     bytes, {size} when this process opened the service), so its port counts read \
                     as zeros or garbage; close the service's ports and remove it \
                     (node.forceRemoveService), then create it anew"
                ),
                )
            })
        })
}

/// Reserves the tmpfs pages of the data segment of the port whose id (decimal, as iceoryx2
/// names the file) is `port_id`, so that a full `/dev/shm` fails the port's creation instead of
/// a later write or read. iceoryx2 creates segment files sparse; without the reservation the
/// first touch of an unbacked page raises SIGBUS. Does nothing where `/dev/shm` cannot reserve
/// (`EOPNOTSUPP`) or maps no such file.
pub(crate) fn reserve_data_segment(port_id: u128, port: &str) -> crate::Result<()> {
    use std::os::fd::AsRawFd;
    // The port just mapped its segment: found among this process's mappings, not by listing
    // all of /dev/shm.
    for path in mapped_shm_files(&format!("_{port_id}.data")) {
        let path = std::path::PathBuf::from(path);
        let Ok(file) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
        else {
            continue;
        };
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if len == 0 {
            continue;
        }
        // SAFETY: `file` is an open descriptor for the duration of the call.
        let reserved = unsafe { libc::fallocate(file.as_raw_fd(), 0, 0, len as libc::off_t) };
        if reserved != 0 {
            let error = std::io::Error::last_os_error();
            if error.raw_os_error() == Some(libc::ENOSPC) {
                return Err(Error::new(
                    ErrorKind::OutOfMemory,
                    format!(
                        "/dev/shm has no room for the {port}'s data segment {} ({len} bytes, {} \
                         bytes free): free space in /dev/shm (df /dev/shm; Docker's default is \
                         64 MiB, raise it with --shm-size), or ask for less (a smaller \
                         initialMaxSliceLen, maxLoanedSamples, or service limits)",
                        path.display(),
                        free_bytes().map_or("unknown".into(), |b| b.to_string())
                    ),
                ));
            }
            // Not supported, or refused for another reason: the guard still covers faults.
        }
    }
    Ok(())
}

/// Free bytes in `/dev/shm`.
fn free_bytes() -> Option<u64> {
    crate::system_report::free_bytes("/dev/shm")
}

extern "C" fn on_fault(
    signal: libc::c_int,
    info: *mut libc::siginfo_t,
    context: *mut libc::c_void,
) {
    // SAFETY: the kernel passes a valid siginfo for a SA_SIGINFO handler.
    let (address, code) = unsafe { ((*info).si_addr() as usize, (*info).si_code) };
    if signal == libc::SIGBUS && address != 0 && absorb(address) {
        return;
    }
    // Raised by the kernel for an access of this thread (a positive code), not sent by a process.
    if code > 0 {
        // SAFETY: a synchronous fault, handled on the faulting thread; does not return when
        // the thread is inside an escapable call.
        unsafe { crate::escape::escape_if_escapable(signal, address) };
    }
    // SAFETY: `PREVIOUS` was initialised before this handler was installed and never changes.
    unsafe { chain(signal, info, context) }
}

/// Maps a private zero page over `address` if it lies in a `/dev/shm` mapping; records the fault.
fn absorb(address: usize) -> bool {
    let mut path = [0u8; PATH_CAPACITY];
    let Some(path_len) = shm_mapping_holding(address, &mut path) else {
        return false;
    };
    // SAFETY: sysconf is async-signal-safe in practice (a constant on Linux).
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
    let page_start = address & !(page - 1);
    // SAFETY: the page lies in a shared-memory mapping of this process that already faults;
    // only that page is replaced.
    if !unsafe { replace_with_private_pages(page_start, page) } {
        return false;
    }
    // SAFETY: single writer in practice (a fault handler runs on the faulting thread); the
    // address is published after the path, with release order.
    unsafe {
        let target = &raw mut FAULT_PATH;
        (&mut *target)[..path_len].copy_from_slice(&path[..path_len]);
    }
    FAULT_PATH_LEN.store(path_len, Ordering::Release);
    FAULT_ADDRESS.store(address, Ordering::Release);
    FAULTS.fetch_add(1, Ordering::Relaxed);
    true
}

/// Replaces `len` bytes of mappings from `start` (page-aligned) with private zeroed pages, in one
/// atomic `mmap`; returns whether it succeeded. Async-signal-safe.
///
/// # Safety
/// The range must belong to mappings this library made or reads, that no Rust reference
/// expects to stay shared.
pub(crate) unsafe fn replace_with_private_pages(start: usize, len: usize) -> bool {
    libc::mmap(
        start as *mut libc::c_void,
        len,
        libc::PROT_READ | libc::PROT_WRITE,
        libc::MAP_FIXED | libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
        -1,
        0,
    ) != libc::MAP_FAILED
}

/// Runs the handler that was installed before ours, or the default action.
///
/// # Safety
/// `PREVIOUS` must be initialised; `info` and `context` are the kernel's.
unsafe fn chain(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    let index = usize::from(signal == libc::SIGSEGV);
    let previous = &raw const PREVIOUS;
    let previous = (*previous)[index].assume_init_ref();
    let handler = previous.sa_sigaction;
    if handler == libc::SIG_DFL || handler == libc::SIG_IGN {
        // Restore the default and return: the faulting access runs again and the default
        // action ends the process, as it would have without us.
        let mut default: libc::sigaction = core::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        libc::sigemptyset(&mut default.sa_mask);
        libc::sigaction(signal, &default, core::ptr::null_mut());
        INSTALLED.store(false, Ordering::Release);
    } else if previous.sa_flags & libc::SA_SIGINFO != 0 {
        let run: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
            core::mem::transmute(handler);
        run(signal, info, context);
    } else {
        let run: extern "C" fn(libc::c_int) = core::mem::transmute(handler);
        run(signal);
    }
}

/// Finds the mapping of this process that holds `address`; if it maps a file under `/dev/shm`,
/// writes the file's path into `path` and returns its length. Reads `/proc/self/maps` with
/// plain system calls and a stack buffer (no allocation: this runs in a signal handler).
fn shm_mapping_holding(address: usize, path: &mut [u8; PATH_CAPACITY]) -> Option<usize> {
    // SAFETY: a constant NUL-terminated path; the descriptor is closed below.
    let fd = unsafe {
        libc::open(
            c"/proc/self/maps".as_ptr(),
            libc::O_RDONLY | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return None;
    }
    let mut chunk = [0u8; 4096];
    let mut line = [0u8; 512];
    let mut line_len = 0usize;
    let mut found = None;
    'read: loop {
        // SAFETY: reads at most `chunk.len()` bytes into the stack buffer.
        let n = unsafe { libc::read(fd, chunk.as_mut_ptr().cast(), chunk.len()) };
        if n <= 0 {
            break;
        }
        for &byte in &chunk[..n as usize] {
            if byte != b'\n' {
                if line_len < line.len() {
                    line[line_len] = byte;
                }
                line_len += 1;
                continue;
            }
            let text = &line[..line_len.min(line.len())];
            line_len = 0;
            if let Some(len) = shm_path_if_holding(text, address, path) {
                found = Some(len);
                break 'read;
            }
            if let Some((start, _)) = range_of(text) {
                // Lines are sorted by address: none further on can hold it.
                if start > address {
                    break 'read;
                }
            }
        }
    }
    // SAFETY: `fd` was opened above.
    unsafe { libc::close(fd) };
    found
}

/// The `start-end` range at the start of a maps line.
fn range_of(line: &[u8]) -> Option<(usize, usize)> {
    let dash = line.iter().position(|&b| b == b'-')?;
    let space = line.iter().position(|&b| b == b' ')?;
    Some((hex(&line[..dash])?, hex(line.get(dash + 1..space)?)?))
}

fn hex(digits: &[u8]) -> Option<usize> {
    let mut value = 0usize;
    for &d in digits {
        let digit = (d as char).to_digit(16)? as usize;
        value = value.checked_mul(16)?.checked_add(digit)?;
    }
    Some(value)
}

/// For a maps line whose range holds `address` and whose path is under `/dev/shm`, copies the
/// path into `path` and returns its length.
fn shm_path_if_holding(
    line: &[u8],
    address: usize,
    path: &mut [u8; PATH_CAPACITY],
) -> Option<usize> {
    let (start, end) = range_of(line)?;
    if address < start || address >= end {
        return None;
    }
    let at = line.windows(SHM_DIR.len()).position(|w| w == SHM_DIR)?;
    let file = &line[at..];
    // A deleted file is reported with a " (deleted)" suffix; keep it, it explains the fault.
    let len = file.len().min(PATH_CAPACITY);
    path[..len].copy_from_slice(&file[..len]);
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_maps_line_is_matched_by_range_and_shm_path() {
        let mut path = [0u8; PATH_CAPACITY];
        let line = b"7f0000001000-7f0000003000 r--s 00000000 00:1a 123 /dev/shm/iox2_abc.data";
        assert_eq!(range_of(line), Some((0x7f0000001000, 0x7f0000003000)));
        let len = shm_path_if_holding(line, 0x7f0000002000, &mut path).unwrap();
        assert_eq!(&path[..len], b"/dev/shm/iox2_abc.data");
        assert_eq!(shm_path_if_holding(line, 0x7f0000003000, &mut path), None);
        let anonymous = b"7f0000001000-7f0000003000 rw-p 00000000 00:00 0 ";
        assert_eq!(
            shm_path_if_holding(anonymous, 0x7f0000002000, &mut path),
            None
        );
    }
}
