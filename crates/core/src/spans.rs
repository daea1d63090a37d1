//! Where a sample's bytes live, for JavaScript views.
//!
//! Loan and receive hand JavaScript only numbers: the sample's handle, address and layout (see
//! [`sample_info`]). JavaScript reads and writes through one view per shared-memory *mapping*,
//! made once with the `mappingAround` view operation and checked against the sample's liveness
//! on every access, so no per-sample buffer is created on the hot path. A detachable buffer over
//! one sample's own bytes (`sampleSpan`, over a private alias of its pages) is made only when
//! the user asks for raw typed arrays.
//!
//! Both operations take a sample handle, never an address from JavaScript: the span comes from
//! the handle table, recorded when the sample was handed out, so a stale or forged handle cannot
//! produce a view of arbitrary memory.

use crate::error::{Error, ErrorKind, Result};
use crate::handles::{self, Handle, Span};
use crate::objects::SampleMemory;

/// Declares the slots of the sample-info array once: their indices here, and the list the
/// code generator writes into core-api (`generated/contract.ts`).
macro_rules! sample_info_slots {
    ($($(#[doc = $doc:literal])* $name:ident = $index:literal as $js:literal,)*) => {
        /// Indices into the sample-info array.
        pub mod slot {
            $($(#[doc = $doc])* pub const $name: usize = $index;)*
        }
        /// Every slot: its name in JavaScript, its index and what it holds.
        pub const SAMPLE_INFO_SLOTS: &[(&str, usize, &str)] = &[$(($js, $index, concat!($($doc),*)),)*];
    };
}

sample_info_slots! {
    /// The sample's handle.
    HANDLE = 0 as "handle",
    /// Of the payload, from the start of the sample's span (the user header comes first).
    PAYLOAD_OFFSET = 1 as "payloadOffset",
    /// Bytes of payload.
    PAYLOAD_LENGTH = 2 as "payloadLength",
    /// Bytes of user header.
    USER_HEADER_LENGTH = 3 as "userHeaderLength",
    /// Where the span starts in this process's memory.
    ADDRESS = 4 as "address",
    /// User header, padding and payload.
    LENGTH = 5 as "length",
    /// For calls that list several things: `listenerTake`, how many distinct event ids the
    /// listener took; `sampleBatchReceive`, how many samples it received.
    LISTED = 6 as "listed",
    /// Where the list starts: up to `TAKEN_EVENTS_PER_CALL` (id, count) pairs, or up to
    /// `RECEIVED_PER_CALL` samples of `SAMPLE_SLOTS` slots each, laid out as slots 0 to 5.
    LIST = 7 as "list",
}

/// How many (id, count) pairs one `listenerTake` describes; more ids take another call.
pub const TAKEN_EVENTS_PER_CALL: usize = 32;

/// How many slots describe one sample: [`slot::HANDLE`] to [`slot::LENGTH`].
pub const SAMPLE_SLOTS: usize = slot::LENGTH + 1;

/// How many samples one `sampleBatchReceive` hands out; a larger batch takes another call.
pub const RECEIVED_PER_CALL: usize = 32;

/// Length of the `f64` array that memory operations fill (see [`sample_info`]): the slots, with
/// room from [`slot::LIST`] on for the longer of the two lists.
pub const SAMPLE_INFO_LEN: usize = slot::LIST + {
    let events = 2 * TAKEN_EVENTS_PER_CALL;
    let samples = SAMPLE_SLOTS * RECEIVED_PER_CALL;
    if events > samples {
        events
    } else {
        samples
    }
};

/// The slot a view operation writes its buffer's start address into.
pub const VIEW_START: usize = 0;

/// Addresses above this cannot be carried exactly by a JavaScript number.
const MAX_SAFE_ADDRESS: usize = (1 << 53) - 1;

/// Writes into `info` what JavaScript learns about a sample handed out by a memory operation
/// (see [`slot`]). Records the span with the handle, for the view operations.
pub fn sample_info(handle: Handle, memory: &SampleMemory, info: &mut [f64]) -> Result<()> {
    sample_info_at(handle, memory, info, 0)
}

/// As [`sample_info`], with the slots from index `base` on (a batch's `n`th sample:
/// `slot::LIST + n * SAMPLE_SLOTS`).
pub(crate) fn sample_info_at(
    handle: Handle,
    memory: &SampleMemory,
    info: &mut [f64],
    base: usize,
) -> Result<()> {
    let address = memory.base as usize;
    if address
        .checked_add(memory.len)
        .is_none_or(|end| end > MAX_SAFE_ADDRESS)
    {
        crate::close(handle);
        return Err(Error::new(
            ErrorKind::InternalFailure,
            format!("sample memory at {address:#x} lies beyond JavaScript's exact integers"),
        ));
    }
    handles::set_span(
        handle,
        Span {
            start: address,
            len: memory.len,
        },
    )?;
    let slots = info.get_mut(base..base + SAMPLE_SLOTS).ok_or_else(|| {
        Error::new(
            ErrorKind::InternalFailure,
            "the info array is shorter than a sample's slots",
        )
    })?;
    slots[slot::HANDLE] = handle as f64;
    slots[slot::PAYLOAD_OFFSET] = memory.payload_offset as f64;
    slots[slot::PAYLOAD_LENGTH] = memory.payload_len as f64;
    slots[slot::USER_HEADER_LENGTH] = memory.user_header_len as f64;
    slots[slot::ADDRESS] = address as f64;
    slots[slot::LENGTH] = memory.len as f64;
    Ok(())
}

/// Checks a peer's claim about a received payload before JavaScript is given a view of it:
/// `claimed_elements` of `element_size` bytes must be the `len` bytes iceoryx2 computed (its
/// multiplication wraps: (2^62 + 1) × 4 bytes reads as 4) and must lie within the shared-memory
/// mapping that holds `start` (a larger count would reach into other memory). A failed check is
/// an `InvalidPayload` error; the caller drops the sample, so it is released, never held.
pub(crate) fn check_received(
    start: *const u8,
    len: usize,
    claimed_elements: u64,
    element_size: usize,
) -> Result<()> {
    let claimed = check_claimed_size(claimed_elements, element_size)?;
    if claimed != len {
        return Err(invalid_claim(
            claimed_elements,
            element_size,
            &format!("but iceoryx2 computed {len} bytes for them"),
        ));
    }
    if len == 0 {
        return Ok(());
    }
    let address = start as usize;
    match shm_mapping_end(address, address.saturating_add(len)) {
        Some(end) if address.saturating_add(len) <= end => Ok(()),
        Some(end) => Err(invalid_claim(
            claimed_elements,
            element_size,
            &format!(
                "{len} bytes, but its shared-memory segment ends {} bytes after the payload's \
                 start",
                end - address
            ),
        )),
        // Not in a /dev/shm mapping this process knows of: leave it to the view's own checks.
        None => Ok(()),
    }
}

/// The bytes `claimed_elements` of `element_size` take, or `InvalidPayload` when they overflow.
pub(crate) fn check_claimed_size(claimed_elements: u64, element_size: usize) -> Result<usize> {
    usize::try_from(claimed_elements)
        .ok()
        .and_then(|n| n.checked_mul(element_size))
        .ok_or_else(|| {
            invalid_claim(
                claimed_elements,
                element_size,
                "more bytes than this machine can address",
            )
        })
}

fn invalid_claim(claimed_elements: u64, element_size: usize, why: &str) -> Error {
    Error::new(
        ErrorKind::InvalidPayload,
        format!(
            "a peer's message claims {claimed_elements} elements of {element_size} bytes, {why}; \
             the message is released unread (the sending process is broken or hostile)"
        ),
    )
}

thread_local! {
    /// The `/dev/shm` mappings of this process as last read from `/proc/self/maps`.
    static SHM_MAPPINGS: core::cell::RefCell<Vec<(usize, usize)>> =
        const { core::cell::RefCell::new(Vec::new()) };
}

/// The end of the `/dev/shm` mapping holding `address`, which should reach `end`: from the
/// cached list, re-read when the address is not in it or the cached mapping ends before `end`
/// (segments come and go: a larger one may now be mapped where a smaller one was).
fn shm_mapping_end(address: usize, end: usize) -> Option<usize> {
    let cached = SHM_MAPPINGS.with(|m| {
        m.borrow()
            .iter()
            .find(|&&(from, to)| from <= address && address < to)
            .map(|&(_, to)| to)
    });
    if cached.is_some_and(|to| end <= to) {
        return cached;
    }
    let fresh: Vec<(usize, usize)> = shm_mappings()
        .into_iter()
        .map(|(from, to, _)| (from, to))
        .collect();
    let end = fresh
        .iter()
        .find(|&&(from, to)| from <= address && address < to)
        .map(|&(_, to)| to);
    SHM_MAPPINGS.with(|m| *m.borrow_mut() = fresh);
    end
}

/// One mapping of this process: its address range and, for a file, the file's path.
#[cfg(target_os = "linux")]
struct MapsLine<'a> {
    from: usize,
    to: usize,
    path: Option<&'a str>,
}

/// The mappings listed in `maps`, the text of `/proc/self/maps`.
#[cfg(target_os = "linux")]
fn parse_maps(maps: &str) -> impl Iterator<Item = MapsLine<'_>> {
    maps.lines().filter_map(|line| {
        let (from, to) = line.split_whitespace().next()?.split_once('-')?;
        Some(MapsLine {
            from: usize::from_str_radix(from, 16).ok()?,
            to: usize::from_str_radix(to, 16).ok()?,
            path: line.find(" /").map(|at| &line[at + 1..]),
        })
    })
}

/// The `/dev/shm` mappings of this process: range and file path.
#[cfg(target_os = "linux")]
pub(crate) fn shm_mappings() -> Vec<(usize, usize, String)> {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return Vec::new();
    };
    parse_maps(&maps)
        .filter_map(|m| {
            let path = m.path.filter(|p| p.starts_with("/dev/shm/"))?;
            Some((m.from, m.to, path.to_owned()))
        })
        .collect()
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn shm_mappings() -> Vec<(usize, usize, String)> {
    Vec::new()
}

/// The mapping of this process that holds all of `span` (Linux: from `/proc/self/maps`).
#[cfg(target_os = "linux")]
pub(crate) fn mapping_around(span: Span) -> Result<Span> {
    let maps = std::fs::read_to_string("/proc/self/maps").map_err(|e| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("cannot read /proc/self/maps: {e}"),
        )
    })?;
    let end = span.start + span.len;
    let around = parse_maps(&maps)
        .find(|m| m.from <= span.start && end <= m.to)
        .map(|m| Span {
            start: m.from,
            len: m.to - m.from,
        });
    around.ok_or_else(|| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("no mapping holds the sample at {:#x}", span.start),
        )
    })
}

/// Elsewhere the sample's own span is its "mapping": correct, one view per sample.
#[cfg(not(target_os = "linux"))]
pub(crate) fn mapping_around(span: Span) -> Result<Span> {
    Ok(span)
}

pub(crate) fn sample_span(handle: f64) -> Result<Span> {
    handles::span(handles::from_f64(handle)?)
}

thread_local! {
    /// Private mappings made by [`alias_of`], by start address: their length.
    static ALIASES: core::cell::RefCell<std::collections::HashMap<usize, usize>> = Default::default();
}

/// A second mapping of the shared-memory pages under `span`, owned by this library, so that a
/// JavaScript buffer over it stays valid whatever iceoryx2 unmaps: a buffer the user moved out
/// of the library's reach (`ArrayBuffer.prototype.transfer`) then reads stale bytes instead of
/// faulting. The alias is unmapped by [`unmap_alias`] once JavaScript detached its buffer, or
/// turned into private memory by [`disconnect_alias`] when the buffer escaped. Memory that is not a shared mapping (the core's own heap) has no
/// alias: the span itself is returned.
#[cfg(target_os = "linux")]
pub(crate) fn alias_of(span: Span) -> Span {
    // SAFETY: sysconf has no preconditions.
    let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
    let first = span.start - span.start % page;
    let len = (span.start + span.len).div_ceil(page) * page - first;
    // SAFETY: with an old size of 0, mremap creates a new mapping of the same pages of a shared
    // mapping and touches nothing else; `first..first + len` lies in mapped memory (the span of
    // an open sample, page-aligned). It fails with EINVAL for private mappings.
    let alias = unsafe { libc::mremap(first as *mut libc::c_void, 0, len, libc::MREMAP_MAYMOVE) };
    if alias == libc::MAP_FAILED || span.len == 0 {
        return span;
    }
    let start = alias as usize;
    ALIASES.with(|aliases| aliases.borrow_mut().insert(start, len));
    Span {
        start: start + (span.start - first),
        len: span.len,
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn alias_of(span: Span) -> Span {
    span
}

/// Forgets the alias holding `address` (made by [`alias_of`]) and returns its range.
fn take_alias(address: usize) -> Option<(usize, usize)> {
    ALIASES.with(|aliases| {
        let mut aliases = aliases.borrow_mut();
        let start = aliases
            .iter()
            .find(|(start, len)| **start <= address && address < **start + **len)
            .map(|(start, _)| *start)?;
        aliases.remove_entry(&start)
    })
}

/// Unmaps the alias holding `address`; other addresses are ignored. JavaScript calls it after
/// detaching its only buffer over the alias.
pub(crate) fn unmap_alias(address: usize) {
    #[cfg(target_os = "linux")]
    if let Some((start, len)) = take_alias(address) {
        // SAFETY: the range is a mapping alias_of made and nothing else refers to: JavaScript
        // detached the only buffer over it before asking.
        unsafe { libc::munmap(start as *mut libc::c_void, len) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = take_alias(address);
}

/// Cuts the alias holding `address` off the shared memory: its range becomes private zeroed
/// pages, kept for good. JavaScript calls it when a buffer over the alias escaped (the user
/// moved it away with `transfer()`), so that buffer can neither fault nor reach the memory once
/// the sample is released.
pub(crate) fn disconnect_alias(address: usize) {
    #[cfg(target_os = "linux")]
    if let Some((start, len)) = take_alias(address) {
        // SAFETY: the alias range was mapped by this library and nothing but the escaped buffer
        // refers to it.
        unsafe { crate::shm_guard::replace_with_private_pages(start, len) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = take_alias(address);
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn finds_the_mapping_around_a_heap_span() {
        let bytes = vec![7u8; 64 * 1024];
        let span = Span {
            start: bytes.as_ptr() as usize + 100,
            len: 1000,
        };
        let mapping = mapping_around(span).expect("the heap is mapped");
        assert!(
            mapping.start <= span.start && span.start + span.len <= mapping.start + mapping.len
        );
    }

    #[test]
    fn refuses_an_unmapped_span() {
        let error = mapping_around(Span { start: 8, len: 8 }).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InternalFailure);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod alias_tests {
    use super::*;

    /// `len` bytes of fresh shared memory, as iceoryx2's segments are mapped.
    fn shared_pages(len: usize) -> *mut libc::c_void {
        // SAFETY: a new anonymous mapping that only the calling test uses.
        let pages = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(pages, libc::MAP_FAILED);
        pages
    }

    #[test]
    fn an_alias_outlives_the_original_mapping_until_unmapped() {
        let len = 8192;
        let original = shared_pages(len);
        let start = original as usize + 100;
        // SAFETY: inside the mapping made above.
        unsafe { (start as *mut u8).write(42) };
        let alias = alias_of(Span { start, len: 10 });
        assert_ne!(alias.start, start, "a shared mapping gets an alias");
        // SAFETY: the original is ours; the alias maps the same pages.
        unsafe { libc::munmap(original, len) };
        assert_eq!(unsafe { (alias.start as *const u8).read() }, 42);
        unmap_alias(alias.start);
        assert!(ALIASES.with(|a| a.borrow().is_empty()));
    }

    #[test]
    fn a_disconnected_alias_stops_sharing_and_stays_readable() {
        let len = 4096;
        let original = shared_pages(len).cast::<u8>();
        let alias = alias_of(Span {
            start: original as usize,
            len: 8,
        });
        disconnect_alias(alias.start);
        // SAFETY: the original is ours; the alias range is private memory now.
        unsafe {
            original.write(7);
            assert_eq!(
                (alias.start as *const u8).read(),
                0,
                "no longer the shared page"
            );
            (alias.start as *mut u8).write(9);
            assert_eq!(original.read(), 7, "writes stay private");
            libc::munmap(original.cast(), len);
        }
    }

    #[test]
    fn private_memory_has_no_alias() {
        let bytes = vec![1u8; 100];
        let span = Span {
            start: bytes.as_ptr() as usize,
            len: bytes.len(),
        };
        assert_eq!(alias_of(span), span);
    }
}
