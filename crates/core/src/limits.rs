//! Upper bounds for every count and size iceoryx2 allocates memory for, and the checks that
//! apply them.
//!
//! iceoryx2 0.10 sizes its shared memory and heap from quality-of-service counts without any
//! upper bound of its own: `maxLoanedSamples(0xffffffff)` makes a publisher ask for 32 GiB of
//! heap and abort the process with "memory allocation failed", an `eventIdMaxValue` of 2^32 makes
//! every listener map 32 GiB, and several size products overflow unchecked. Every count and size
//! that reaches iceoryx2 from JavaScript or the C ABI passes through here first, and anything
//! beyond these bounds fails with `InvalidArgument` naming the option and the limit.
//!
//! The bounds are far above what real systems configure (upstream's defaults are 2 to 36), but
//! low enough that no single option, and no product of options, can ask for a gigabyte.

use iceoryx2::prelude::AllocationStrategy;

use crate::error::{Error, ErrorKind, Result};

/// Ports of one kind per service (publishers, subscribers, notifiers, listeners, clients,
/// servers, readers), and the expired-connection buffers sized like them. Each costs an entry in
/// the service's shared dynamic config and in every peer's connection list (a few hundred bytes);
/// each connected pair also has its own shared-memory connection.
pub const MAX_PORTS: usize = 4_096;

/// Nodes that may open one service: an entry each in the service's dynamic config.
pub const MAX_NODES: usize = 4_096;

/// Queue-like counts: buffer sizes, history, borrowed and loaned samples, active requests. Each
/// is a ring buffer of 8-byte entries per connection, and they add up to the number of chunks a
/// sending port preallocates (see [`MAX_CHUNK_SLOTS`]).
pub const MAX_QUEUE: usize = 65_536;

/// The highest event id a service may allow: every listener maps an 8-byte counter per id
/// (512 KiB per listener at this bound; 32 GiB at `u32::MAX`).
pub const MAX_EVENT_ID: usize = 65_535;

/// Type alignment: data segments are mapped page-aligned in every process, so a larger
/// alignment could not hold in all of them (and it pads every chunk to its size).
pub const MAX_ALIGNMENT: usize = 4_096;

/// The least [`segment_limit`] is on any machine, and the bound of `initialMaxSliceLen`.
pub const MAX_SEGMENT_BYTES: usize = 536_870_912; // 512 MiB

/// Bytes one data segment (chunks × chunk size) may have on this machine, which is also the
/// largest type and the largest single loan: half of the shared-memory file system
/// (`/dev/shm`), at least [`MAX_SEGMENT_BYTES`]. Shared memory is committed as it is written, so
/// this bounds what one sending port can make the system hold, while a media stream at default
/// QoS (a 4K RGBA frame is 33 MB; 34 chunks by default) fits a machine that can hold it.
pub fn segment_limit() -> usize {
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        shared_memory_bytes().map_or(MAX_SEGMENT_BYTES, |total| {
            (total / 2).max(MAX_SEGMENT_BYTES)
        })
    })
}

/// The size of the file system POSIX shared memory lives in, if it can be read.
fn shared_memory_bytes() -> Option<usize> {
    let mut stats = core::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: the path is a NUL-terminated literal; `stats` is written by a successful call only,
    // and read only then.
    let status = unsafe { libc::statvfs(c"/dev/shm".as_ptr(), stats.as_mut_ptr()) };
    if status != 0 {
        return None;
    }
    // SAFETY: statvfs succeeded, so it filled `stats`.
    let stats = unsafe { stats.assume_init() };
    (stats.f_blocks as usize).checked_mul(stats.f_frsize as usize)
}

/// How [`segment_limit`] came about, for messages.
fn segment_limit_text() -> String {
    let limit = segment_limit();
    match shared_memory_bytes() {
        Some(total) if limit > MAX_SEGMENT_BYTES => {
            format!("this machine's limit of {limit} bytes (half of /dev/shm's {total})")
        }
        _ => format!("the limit of {limit} bytes"),
    }
}

/// Chunk slots of one sending port: chunks × segments (× response channels for servers). A
/// publisher, client or server keeps an 8-byte reference counter per slot on its heap (128 MiB
/// at this bound), and every connection a byte per slot in shared memory. It allows 16 Mi chunks
/// in a static segment, 65,793 in a growing one (255 segments).
pub const MAX_CHUNK_SLOTS: usize = 16_777_216; // 16 Mi

/// Segments iceoryx2 keeps chunk bookkeeping for when a port grows its data segment (strategies
/// `bestFit` and `powerOfTwo`): one per possible segment id, a `u8`.
const GROWING_SEGMENTS: usize = u8::MAX as usize;

/// The bound of every count option, by the name JavaScript and the C ABI's JSON give it (port
/// and QoS options, and the `defaults` of a node's config). Generated into core-api
/// (`COUNT_LIMITS` in `generated/contract.ts`) by `crates/codegen`.
pub const COUNT_LIMITS: &[(&str, usize)] = &[
    ("maxPublishers", MAX_PORTS),
    ("maxSubscribers", MAX_PORTS),
    ("maxNotifiers", MAX_PORTS),
    ("maxListeners", MAX_PORTS),
    ("maxServers", MAX_PORTS),
    ("maxClients", MAX_PORTS),
    ("maxReaders", MAX_PORTS),
    ("subscriberExpiredConnectionBuffer", MAX_PORTS),
    ("clientExpiredConnectionBuffer", MAX_PORTS),
    ("serverExpiredConnectionBuffer", MAX_PORTS),
    ("maxNodes", MAX_NODES),
    ("historySize", MAX_QUEUE),
    ("publisherHistorySize", MAX_QUEUE),
    ("historyRequest", MAX_QUEUE),
    ("subscriberMaxBufferSize", MAX_QUEUE),
    ("bufferSize", MAX_QUEUE),
    ("subscriberMaxBorrowedSamples", MAX_QUEUE),
    ("maxLoanedSamples", MAX_QUEUE),
    ("publisherMaxLoanedSamples", MAX_QUEUE),
    ("maxActiveRequestsPerClient", MAX_QUEUE),
    ("maxActiveRequests", MAX_QUEUE),
    ("maxLoanedRequests", MAX_QUEUE),
    ("maxResponseBufferSize", MAX_QUEUE),
    ("maxBorrowedResponsesPerPendingResponse", MAX_QUEUE),
    ("maxLoanedResponsesPerRequest", MAX_QUEUE),
    ("serverMaxLoanedResponsesPerRequest", MAX_QUEUE),
    ("eventIdMaxValue", MAX_EVENT_ID),
    // An element has at least one byte, so no longer slice fits a segment.
    ("initialMaxSliceLen", MAX_SEGMENT_BYTES),
    ("samplePreallocation", MAX_CHUNK_SLOTS),
    ("requestPreallocation", MAX_CHUNK_SLOTS),
    ("responsePreallocation", MAX_CHUNK_SLOTS),
];

/// The bound of count option `option`, if it is one.
pub fn limit_of(option: &str) -> Option<usize> {
    COUNT_LIMITS
        .iter()
        .find(|(name, _)| *name == option)
        .map(|(_, limit)| *limit)
}

fn known_limit(option: &str) -> Result<usize> {
    limit_of(option).ok_or_else(|| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("no limit is defined for option {option}"),
        )
    })
}

fn check_range(value: Option<usize>, option: &str, min: usize) -> Result<Option<usize>> {
    let Some(value) = value else {
        return Ok(None);
    };
    let limit = known_limit(option)?;
    if value < min || value > limit {
        return Err(Error::invalid_argument(format!(
            "{option} must be in {min}..={limit}, got {value}"
        )));
    }
    Ok(Some(value))
}

/// A count option the caller set: 1 up to its bound.
pub(crate) fn check_count(value: Option<usize>, option: &str) -> Result<Option<usize>> {
    check_range(value, option, 1)
}

/// A count option that may be 0 (history sizes and requests, the highest event id).
pub(crate) fn check_count_from_zero(value: Option<usize>, option: &str) -> Result<Option<usize>> {
    check_range(value, option, 0)
}

/// A count the caller left unset, so iceoryx2 takes it from `source` (the node's config, the
/// service): checked the same way, with a message that says where the value came from.
pub(crate) fn check_inherited(value: usize, option: &str, source: &str) -> Result<usize> {
    let limit = known_limit(option)?;
    if value > limit {
        return Err(Error::invalid_argument(format!(
            "{option} is not set and {source} is {value}, above the limit of {limit}; set {option}"
        )));
    }
    Ok(value)
}

/// The value the caller set, or else the node config's default `key` (checked as such).
pub(crate) fn effective(
    set: Option<usize>,
    option: &str,
    default: usize,
    key: &str,
) -> Result<usize> {
    match set {
        Some(value) => Ok(value),
        None => check_inherited(default, option, &format!("the node's config default {key}")),
    }
}

/// Checks a type's size and alignment before iceoryx2 computes chunk layouts from them.
pub(crate) fn check_type_size(
    what: &str,
    type_name: &str,
    size: usize,
    alignment: usize,
) -> Result<()> {
    if alignment > MAX_ALIGNMENT {
        return Err(Error::invalid_argument(format!(
            "{what} type '{type_name}' has alignment {alignment}, above the limit of {MAX_ALIGNMENT}"
        )));
    }
    if size > segment_limit() {
        return Err(Error::invalid_argument(format!(
            "{what} type '{type_name}' has size {size}, above {}",
            segment_limit_text()
        )));
    }
    Ok(())
}

/// The data segment a sending port (publisher, client, server) preallocates.
pub(crate) struct DataSegment {
    /// What the segment belongs to, for messages ("the publisher's data segment").
    pub owner: &'static str,
    /// How iceoryx2 counts the chunks, with the values: "maxSubscribers 8 × (…) + …".
    pub formula: String,
    /// The chunk count that formula gives, or `None` when it overflowed.
    pub chunks: Option<usize>,
    /// Bytes of one chunk at the port's initial slice length.
    pub chunk_bytes: usize,
    /// Segments iceoryx2 keeps bookkeeping for (see [`segments_of`]).
    pub segments: usize,
    /// Channels per connection (servers: one per request a client may have in flight).
    pub channels: usize,
    /// The option that sets the chunk count directly (`samplePreallocation`), for messages.
    pub preallocation: Option<&'static str>,
}

/// The chunk count a preallocation override (`option`, set to `value`) leaves of a port's worst
/// case `(formula, chunks)`: the override, at most the worst case (iceoryx2 clamps it there).
pub(crate) fn preallocated(
    (formula, chunks): (String, Option<usize>),
    value: Option<usize>,
    option: &str,
) -> (String, Option<usize>) {
    match value {
        Some(value) => (
            format!("min({option} {value}, {formula})"),
            chunks.map(|worst| value.min(worst)),
        ),
        None => (formula, chunks),
    }
}

/// Segments a port with `strategy` keeps chunk bookkeeping for.
pub(crate) fn segments_of(strategy: AllocationStrategy) -> usize {
    match strategy {
        AllocationStrategy::Static => 1,
        _ => GROWING_SEGMENTS,
    }
}

impl DataSegment {
    /// Checks chunk slots and bytes against [`MAX_CHUNK_SLOTS`] and [`MAX_SEGMENT_BYTES`].
    pub(crate) fn check(&self) -> Result<()> {
        let owner = self.owner;
        let formula = &self.formula;
        let Some(chunks) = self.chunks else {
            return Err(Error::invalid_argument(format!(
                "{owner} would hold {formula} chunks, which overflows; lower these counts"
            )));
        };
        let slots = chunks
            .checked_mul(self.segments)
            .and_then(|n| n.checked_mul(self.channels));
        if slots.is_none_or(|slots| slots > MAX_CHUNK_SLOTS) {
            let mut factors = String::new();
            if self.segments > 1 {
                factors += &format!(
                    " × {} segments (a growing allocation strategy)",
                    self.segments
                );
            }
            if self.channels > 1 {
                factors += &format!(" × {} response channels", self.channels);
            }
            return Err(Error::invalid_argument(format!(
                "{owner} would hold {formula} = {chunks} chunks{factors}, above the limit of \
                 {MAX_CHUNK_SLOTS} chunk slots; lower these counts"
            )));
        }
        let bytes = chunks.checked_mul(self.chunk_bytes);
        if bytes.is_none_or(|bytes| bytes > segment_limit()) {
            let fitting = segment_limit() / self.chunk_bytes.max(1);
            let preallocation = match self.preallocation {
                Some(option) if fitting > 0 => {
                    format!(
                        ", or set {option}({fitting}) or less (upstream's preallocation override)"
                    )
                }
                _ => String::new(),
            };
            return Err(Error::invalid_argument(format!(
                "{owner} would hold {formula} = {chunks} chunks of {} bytes, above {}; lower \
                 these counts or the initial slice length{preallocation}",
                self.chunk_bytes,
                segment_limit_text()
            )));
        }
        Ok(())
    }
}

/// Chunks of a publisher's data segment: iceoryx2's
/// `required_amount_of_samples_per_data_segment`, checked.
pub(crate) fn publisher_chunks(
    max_subscribers: usize,
    buffer: usize,
    borrowed: usize,
    history: usize,
    loans: usize,
) -> (String, Option<usize>) {
    let formula = format!(
        "maxSubscribers {max_subscribers} × (subscriberMaxBufferSize {buffer} + \
         subscriberMaxBorrowedSamples {borrowed}) + historySize {history} + maxLoanedSamples {loans}"
    );
    let chunks = buffer
        .checked_add(borrowed)
        .and_then(|n| n.checked_mul(max_subscribers))
        .and_then(|n| n.checked_add(history))
        .and_then(|n| n.checked_add(loans));
    (formula, chunks)
}

/// Chunks of a client's data segment: iceoryx2's
/// `required_amount_of_chunks_per_client_data_segment`, checked. Also the number of response
/// channels of every server-to-client connection (with the service's active requests).
pub(crate) fn client_chunks(
    max_servers: usize,
    active_requests: usize,
    loaned_requests: usize,
) -> (String, Option<usize>) {
    let formula = format!(
        "maxServers {max_servers} × 2 × maxActiveRequests {active_requests} + maxLoanedRequests \
         {loaned_requests}"
    );
    let chunks = max_servers
        .checked_mul(2)
        .and_then(|n| n.checked_mul(active_requests))
        .and_then(|n| n.checked_add(loaned_requests));
    (formula, chunks)
}

/// Chunks of a server's data segment: iceoryx2's
/// `required_amount_of_chunks_per_server_data_segment`, checked.
pub(crate) fn server_chunks(
    max_clients: usize,
    active_requests_per_client: usize,
    response_buffer: usize,
    borrowed_responses: usize,
    loaned_responses: usize,
) -> (String, Option<usize>) {
    let formula = format!(
        "maxClients {max_clients} × 2 × maxActiveRequestsPerClient {active_requests_per_client} \
         × (maxResponseBufferSize {response_buffer} + maxBorrowedResponsesPerPendingResponse \
         {borrowed_responses} + maxLoanedResponsesPerRequest {loaned_responses})"
    );
    let chunks = response_buffer
        .checked_add(borrowed_responses)
        .and_then(|n| n.checked_add(loaned_responses))
        .and_then(|n| n.checked_mul(active_requests_per_client))
        .and_then(|n| n.checked_mul(2))
        .and_then(|n| n.checked_mul(max_clients));
    (formula, chunks)
}

/// A loan longer than the port's initial slice length makes a growing port map a new segment of
/// its chunk count × the (power-of-two rounded) chunk size: that must fit [`MAX_SEGMENT_BYTES`].
pub(crate) fn check_growth(
    owner: &str,
    chunks: usize,
    chunk_bytes: usize,
    elements: usize,
) -> Result<()> {
    let grown = chunk_bytes
        .checked_next_power_of_two()
        .and_then(|bucket| bucket.checked_mul(chunks));
    if grown.is_none_or(|bytes| bytes > segment_limit()) {
        return Err(Error::invalid_argument(format!(
            "a loan of {elements} elements would grow the {owner}'s data segment to {chunks} \
             chunks of at least {chunk_bytes} bytes, above {}",
            segment_limit_text()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_is_named_once() {
        let mut names: Vec<_> = COUNT_LIMITS.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn products_that_overflow_are_reported_not_wrapped() {
        let (_, chunks) = publisher_chunks(usize::MAX, 2, 2, 0, 2);
        assert_eq!(chunks, None);
        let segment = DataSegment {
            owner: "the publisher's data segment",
            formula: "x".into(),
            chunks,
            chunk_bytes: 64,
            segments: 1,
            channels: 1,
            preallocation: None,
        };
        assert_eq!(
            segment.check().unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
        let (_, chunks) = server_chunks(8, usize::MAX / 4, 2, 2, 2);
        assert_eq!(chunks, None);
    }

    #[test]
    fn upstream_defaults_fit_with_every_strategy() {
        // iceoryx2's defaults: 8 subscribers, buffer 2, 2 borrowed, no history, 2 loans.
        let (formula, chunks) = publisher_chunks(8, 2, 2, 0, 2);
        for strategy in [AllocationStrategy::Static, AllocationStrategy::PowerOfTwo] {
            DataSegment {
                owner: "the publisher's data segment",
                formula: formula.clone(),
                chunks,
                chunk_bytes: 4096,
                segments: segments_of(strategy),
                channels: 1,
                preallocation: None,
            }
            .check()
            .unwrap();
        }
    }
}
