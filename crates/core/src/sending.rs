//! What every sending port shares — publishers, clients, and servers answering an active
//! request: checking how many elements a loan asks for, how many a copied payload has, and
//! copying payload and user header into a freshly loaned message. The patterns differ only in
//! how they loan and send, so only that stays with them.

use iceoryx2::prelude::{AllocationStrategy, BackpressureStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::flatbuffer::{is_flatbuffer, SerializedMessage};
use crate::objects::SampleMemory;
use crate::types::{MessageTypes, Variant};

/// What errors call the message: a publish-subscribe sample (no word), a request or a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Message {
    Sample,
    Request,
    Response,
}

impl Message {
    /// `thing` ("payload", "user-header") qualified by the message, e.g. "request payload".
    fn of(self, thing: &str) -> String {
        match self {
            Message::Sample => thing.to_string(),
            Message::Request => format!("request {thing}"),
            Message::Response => format!("response {thing}"),
        }
    }
}

/// Checks a loan's element count against the payload type: exactly 1 for fixed-size payloads,
/// at least 1 for slices. A flatbuffer's count is its byte count.
pub(crate) fn check_elements(
    types: &MessageTypes,
    elements: usize,
    message: Message,
) -> Result<usize> {
    match types.payload.variant {
        Variant::FixedSize if elements != 1 && !is_flatbuffer(&types.payload) => {
            Err(Error::invalid_argument(format!(
                "{} type '{}' is not a slice: loan exactly one element, not {elements}",
                message.of("payload"),
                types.payload.type_name
            )))
        }
        Variant::Dynamic if elements == 0 => Err(Error::invalid_argument(format!(
            "a {} loan needs at least one element",
            message.of("slice")
        ))),
        _ => Ok(elements),
    }
}

/// The elements a chunk is loaned for: a flatbuffer's chunk holds one and grows when written.
pub(crate) fn loaned_elements(types: &MessageTypes, elements: usize) -> usize {
    if is_flatbuffer(&types.payload) {
        1
    } else {
        elements
    }
}

/// The element count of a copied payload, after checking both byte lengths against the types.
pub(crate) fn elements_of_copy(
    types: &MessageTypes,
    payload: &[u8],
    user_header: &[u8],
    message: Message,
) -> Result<usize> {
    if !user_header.is_empty() && user_header.len() != types.user_header.size {
        return Err(Error::invalid_argument(format!(
            "{} {} bytes do not fit {} type {}",
            user_header.len(),
            message.of("user-header"),
            message.of("user-header"),
            types.user_header.describe()
        )));
    }
    if is_flatbuffer(&types.payload) {
        return crate::flatbuffer::check_send(payload, &message.of("payload"));
    }
    let size = types.payload.size.max(1);
    if !payload.len().is_multiple_of(size)
        || (types.payload.variant == Variant::FixedSize && payload.len() != types.payload.size)
        || (types.payload.variant == Variant::Dynamic && payload.is_empty())
    {
        return Err(Error::invalid_argument(format!(
            "{} {} bytes do not fit {} type {}",
            payload.len(),
            message.of("payload"),
            message.of("payload"),
            types.payload.describe()
        )));
    }
    Ok(if types.payload.size == 0 {
        1
    } else {
        payload.len() / size
    })
}

/// Copies `user_header` (zeroes when empty) and `payload` into a freshly loaned message; a
/// flatbuffer `payload` goes through `write_serialized`, which grows the chunk as needed.
///
/// # Safety
/// `memory` must span `message`, loaned and exclusively owned by this thread, whose user header
/// is `memory.user_header_len` bytes and whose payload (unless a flatbuffer) is at least
/// `payload.len()` bytes ([`elements_of_copy`] checked the lengths, the loan was sized by it).
pub(crate) unsafe fn fill(
    message: &mut impl SerializedMessage,
    memory: &SampleMemory,
    flatbuffer: bool,
    payload: &[u8],
    user_header: &[u8],
) -> Result<()> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if user_header.is_empty() {
            core::ptr::write_bytes(memory.base, 0, memory.user_header_len);
        } else {
            core::ptr::copy_nonoverlapping(user_header.as_ptr(), memory.base, user_header.len());
        }
        if flatbuffer {
            return message.write_serialized(payload);
        }
        core::ptr::copy_nonoverlapping(
            payload.as_ptr(),
            memory.base.add(memory.payload_offset),
            payload.len(),
        );
    }
    Ok(())
}

/// Zeroes user header and payload of a freshly loaned message (`loan(…, zeroed)`).
///
/// # Safety
/// `memory` must span a message loaned and exclusively owned by this thread.
pub(crate) unsafe fn zero(memory: &SampleMemory) {
    // SAFETY: guaranteed by the caller.
    unsafe { core::ptr::write_bytes(memory.base, 0, memory.len) };
}

/// One loan attempt: the message, or the port to look up first because the loan would grow its
/// data segment (see [`loan_checked`]).
pub(crate) enum Loan<T, Port> {
    Made(T),
    Grows(Port),
}

/// Loans through `loan`, which is asked first without and, when the loan would grow the port's
/// data segment, once more with the growth checked by `check_growth` (`crate::limits`): the
/// same two-step loan for every sending port.
pub(crate) fn loan_checked<T, Port>(
    loan: impl Fn(bool) -> Result<Loan<T, Port>>,
    check_growth: impl FnOnce(Port) -> Result<()>,
) -> Result<T> {
    let port = match loan(false)? {
        Loan::Made(loaned) => return Ok(loaned),
        Loan::Grows(port) => port,
    };
    check_growth(port)?;
    match loan(true)? {
        Loan::Made(loaned) => Ok(loaned),
        Loan::Grows(_) => Err(Error::new(
            ErrorKind::InternalFailure,
            "a checked loan asked to be checked again",
        )),
    }
}

/// How a sending port's data segment grows for slices (upstream's `AllocationStrategy`).
#[derive(Debug, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AllocationStrategyName {
    BestFit,
    PowerOfTwo,
    #[default]
    Static,
}

/// What a send does when a receiver's buffer is full (upstream's `BackpressureStrategy`).
#[derive(Debug, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BackpressureName {
    /// Drop the oldest sample of a full subscriber buffer (requires safe overflow) or fail.
    #[default]
    DiscardData,
    /// Wait until the subscriber makes room.
    RetryUntilDelivered,
}

pub(crate) fn allocation_strategy(name: &AllocationStrategyName) -> AllocationStrategy {
    match name {
        AllocationStrategyName::BestFit => AllocationStrategy::BestFit,
        AllocationStrategyName::PowerOfTwo => AllocationStrategy::PowerOfTwo,
        AllocationStrategyName::Static => AllocationStrategy::Static,
    }
}

pub(crate) fn allocation_strategy_name(strategy: AllocationStrategy) -> AllocationStrategyName {
    match strategy {
        AllocationStrategy::BestFit => AllocationStrategyName::BestFit,
        AllocationStrategy::PowerOfTwo => AllocationStrategyName::PowerOfTwo,
        AllocationStrategy::Static => AllocationStrategyName::Static,
    }
}

pub(crate) fn backpressure_name(strategy: BackpressureStrategy) -> BackpressureName {
    match strategy {
        BackpressureStrategy::DiscardData => BackpressureName::DiscardData,
        BackpressureStrategy::RetryUntilDelivered => BackpressureName::RetryUntilDelivered,
    }
}

/// The settings a sending port reports (upstream's getters of publishers, clients and servers).
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendingPortSettings {
    /// Slice payloads: the element count the data segment was first sized for.
    pub initial_max_slice_len: usize,
    /// What a send does when a receiver's buffer is full.
    pub backpressure_strategy: BackpressureName,
    /// How the data segment grows (publishers only: upstream's clients and servers do not say).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation_strategy: Option<AllocationStrategyName>,
    /// Publishers: samples it may have loaned at once.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_loaned_samples: Option<usize>,
    /// Clients: requests it may have in flight at once.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_active_requests: Option<usize>,
}

pub(crate) fn backpressure_strategy(name: &BackpressureName) -> BackpressureStrategy {
    match name {
        BackpressureName::DiscardData => BackpressureStrategy::DiscardData,
        BackpressureName::RetryUntilDelivered => BackpressureStrategy::RetryUntilDelivered,
    }
}

/// How long a send retries a receiver whose buffer stays full (under `retryUntilDelivered`)
/// before it gives up on that receiver with `UnableToDeliver`, when the port sets no other
/// bound: a stalled receiver must not hold the JavaScript thread without a bound.
pub const DEFAULT_SEND_TIMEOUT_MS: f64 = 1000.0;

/// How a sending port meets a full receiver: whether its strategy retries, and for how long at
/// most (`None`: for `discardData`, and for `sendTimeoutMs: null`, upstream's unbounded retry).
pub(crate) struct RetryPolicy {
    pub(crate) retries: bool,
    pub(crate) bound: Option<core::time::Duration>,
}

/// The retry policy of a port whose strategy is `backpressure` (unset: the config default
/// `default`) and whose send timeout is `timeout_ms` (absent: [`DEFAULT_SEND_TIMEOUT_MS`]).
pub(crate) fn retry_policy(
    backpressure: Option<&BackpressureName>,
    default: BackpressureStrategy,
    timeout_ms: Option<Option<f64>>,
) -> Result<RetryPolicy> {
    let bound = match timeout_ms {
        None => Some(core::time::Duration::from_secs_f64(
            DEFAULT_SEND_TIMEOUT_MS / 1000.0,
        )),
        Some(None) => None,
        Some(Some(ms)) => Some(crate::pattern::duration_ms(ms, "sendTimeoutMs")?),
    };
    let retries = matches!(
        backpressure.map_or(default, backpressure_strategy),
        BackpressureStrategy::RetryUntilDelivered
    );
    Ok(RetryPolicy {
        retries,
        bound: bound.filter(|_| retries),
    })
}

/// Sets the options every sending port's builder has, which upstream names alike on publisher,
/// client and server builders: `initialMaxSliceLen`, `allocationStrategy`, `backpressure`, the
/// port's name (`$name`, checked by `crate::pattern::port_name`), and the backpressure handler
/// of this library's send timeout and port events (`$policy` from [`retry_policy`], `$events`
/// from `port_events::queue_of`).
macro_rules! with_sending_options {
    ($builder:expr, $spec:expr, $policy:expr, $name:expr, $events:expr) => {{
        let mut builder = $builder;
        if let Some(name) = $name {
            builder = builder.name(name);
        }
        if let Some(handler) =
            $crate::port_events::backpressure_handler($policy.bound, $policy.retries, $events)
        {
            builder = builder.set_backpressure_handler(handler);
        }
        if let Some(v) = $spec.initial_max_slice_len {
            builder = builder.initial_max_slice_len(v);
        }
        if let Some(strategy) = &$spec.allocation_strategy {
            builder = builder.allocation_strategy($crate::sending::allocation_strategy(strategy));
        }
        if let Some(backpressure) = &$spec.backpressure {
            builder =
                builder.backpressure_strategy($crate::sending::backpressure_strategy(backpressure));
        }
        builder
    }};
}
pub(crate) use with_sending_options;
