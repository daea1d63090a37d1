//! Where a sample's bytes live, for JavaScript views.
//!
//! Loan and receive hand JavaScript only numbers: the sample's handle, address and layout (see
//! [`sample_info`]). JavaScript reads and writes through one view per shared-memory *mapping*,
//! made once with the `mappingAround` view operation and checked against the sample's liveness
//! on every access, so no per-sample buffer is created on the hot path. A detachable buffer over
//! one sample's own bytes (`sampleSpan`) is made only when the user asks for raw typed arrays.
//!
//! Both operations take a sample handle, never an address from JavaScript: the span comes from
//! the handle table, recorded when the sample was handed out, so a stale or forged handle cannot
//! produce a view of arbitrary memory.

use crate::error::{Error, ErrorKind, Result};
use crate::handles::{self, Handle, Span};
use crate::objects::SampleMemory;
use crate::ops::ViewOp;

/// Length of the `f64` array that loan/receive operations fill (see [`sample_info`]).
pub const SAMPLE_INFO_LEN: usize = 6;

/// Addresses above this cannot be carried exactly by a JavaScript number.
const MAX_SAFE_ADDRESS: usize = (1 << 53) - 1;

/// What JavaScript learns about a sample handed out by a memory operation:
/// `[handle, payload offset, payload length, user-header length, address, span length]`.
/// Records the span with the handle, for the view operations.
pub fn sample_info(handle: Handle, memory: &SampleMemory) -> Result<[f64; SAMPLE_INFO_LEN]> {
    let address = memory.base as usize;
    if address.checked_add(memory.len).is_none_or(|end| end > MAX_SAFE_ADDRESS) {
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
    Ok([
        handle as f64,
        memory.payload_offset as f64,
        memory.payload_len as f64,
        memory.user_header_len as f64,
        address as f64,
        memory.len as f64,
    ])
}

/// The mapping of this process that holds all of `span` (Linux: from `/proc/self/maps`).
#[cfg(target_os = "linux")]
fn mapping_around(span: Span) -> Result<Span> {
    let maps = std::fs::read_to_string("/proc/self/maps").map_err(|e| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("cannot read /proc/self/maps: {e}"),
        )
    })?;
    let end = span.start + span.len;
    maps.lines()
        .filter_map(|line| {
            let range = line.split_whitespace().next()?;
            let (from, to) = range.split_once('-')?;
            Some((
                usize::from_str_radix(from, 16).ok()?,
                usize::from_str_radix(to, 16).ok()?,
            ))
        })
        .find(|&(from, to)| from <= span.start && end <= to)
        .map(|(from, to)| Span {
            start: from,
            len: to - from,
        })
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InternalFailure,
                format!("no mapping holds the sample at {:#x}", span.start),
            )
        })
}

/// Elsewhere the sample's own span is its "mapping": correct, one view per sample.
#[cfg(not(target_os = "linux"))]
fn mapping_around(span: Span) -> Result<Span> {
    Ok(span)
}

fn sample_span(handle: f64) -> Result<Span> {
    handles::span(handles::from_f64(handle)?)
}

/// The view operations (the only ones of their shape): each takes a sample handle.
pub(crate) const VIEW_OPS: &[(&str, ViewOp)] = &[
    ("mappingAround", |sample| mapping_around(sample_span(sample)?)),
    ("sampleSpan", sample_span),
];

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
        assert!(mapping.start <= span.start && span.start + span.len <= mapping.start + mapping.len);
    }

    #[test]
    fn refuses_an_unmapped_span() {
        let error = mapping_around(Span { start: 8, len: 8 }).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InternalFailure);
    }
}
