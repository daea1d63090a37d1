//! Batches: many samples per crossing into the core, in either direction.
//!
//! A batch is a handle under its port. The samples it receives or loans become the batch's
//! children, so one call releases them all (the next receive or loan does it first: a release
//! folded into the next call), one call sends them all, and closing the batch, or its port,
//! releases whatever it still holds. A received sample the user keeps is moved under the
//! subscriber and lives on as a plain received sample.

use super::*;
use crate::spans::{self, slot, RECEIVED_PER_CALL, SAMPLE_SLOTS};

/// A port's batch (see the module documentation).
pub(crate) enum Batch {
    /// Receives from the subscriber with this handle.
    Receive { subscriber: Handle },
    /// Loans from and sends through the publisher with this handle.
    Send { publisher: Handle, zeroed: bool },
}

impl crate::objects::PatternObject for Batch {
    fn kind_name(&self) -> &'static str {
        match self {
            Batch::Receive { .. } => "ReceiveBatch",
            Batch::Send { .. } => "SendBatch",
        }
    }
}

fn batch_of<T>(batch: Handle, expected: &str, f: impl FnOnce(&Batch) -> Option<T>) -> Result<T> {
    handles::with(batch, |object| {
        match object.pattern_mut::<Batch>().and_then(|b| f(b)) {
            Some(found) => Ok(found),
            None => Err(wrong_kind(batch, expected, object)),
        }
    })
}

fn subscriber_of(batch: Handle) -> Result<Handle> {
    batch_of(batch, "ReceiveBatch", |b| match b {
        Batch::Receive { subscriber } => Some(*subscriber),
        Batch::Send { .. } => None,
    })
}

fn publisher_of(batch: Handle) -> Result<(Handle, bool)> {
    batch_of(batch, "SendBatch", |b| match b {
        Batch::Send { publisher, zeroed } => Some((*publisher, *zeroed)),
        Batch::Receive { .. } => None,
    })
}

/// Makes a receive batch for `subscriber`.
pub fn batch_create(subscriber: Handle) -> Result<Handle> {
    handles::with(subscriber, |object| match object {
        Object::Subscriber(..) => Ok(()),
        other => Err(wrong_kind(subscriber, "Subscriber", other)),
    })?;
    handles::insert(Batch::Receive { subscriber }.into(), Some(subscriber))
}

/// What a send batch loans: zeroed samples (as `loan`), or uninitialised ones (`loanUninit`).
#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct SendBatchSpec {
    /// Whether loaned samples start as zero bytes (default `true`).
    pub zeroed: Option<bool>,
}

/// Makes a send batch for `publisher`.
pub fn send_batch_create(publisher: Handle, spec: SendBatchSpec) -> Result<Handle> {
    handles::with(publisher, |object| match object {
        Object::Publisher(..) => Ok(()),
        other => Err(wrong_kind(publisher, "Publisher", other)),
    })?;
    let zeroed = spec.zeroed.unwrap_or(true);
    handles::insert(Batch::Send { publisher, zeroed }.into(), Some(publisher))
}

/// Checks that `info` can describe `count` samples from [`slot::LIST`] on.
fn check_room(info: &[f64], count: usize) -> Result<()> {
    if info.len() < slot::LIST + count * SAMPLE_SLOTS {
        return Err(Error::new(
            ErrorKind::InternalFailure,
            "the info array is shorter than a batch's slots",
        ));
    }
    Ok(())
}

/// Releases the samples `batch` holds, then receives up to `max` (at most
/// [`RECEIVED_PER_CALL`]) and describes them in `info` from [`slot::LIST`] on, their number in
/// [`slot::LISTED`]. Stops early when the subscriber's queue is empty or it may borrow no more
/// samples; an error after the first sample ends the batch there and comes again on the next
/// call. Returns whether it received any.
pub fn batch_receive(batch: Handle, max: usize, info: &mut [f64]) -> Result<bool> {
    let subscriber = subscriber_of(batch)?;
    handles::close_children(batch)?;
    let max = max.min(RECEIVED_PER_CALL);
    check_room(info, max)?;
    let mut received = 0;
    while received < max {
        match receive_into(subscriber, batch) {
            Ok(Some((handle, memory))) => {
                spans::sample_info_at(handle, &memory, info, slot::LIST + received * SAMPLE_SLOTS)?;
                received += 1;
            }
            Ok(None) => break,
            // The samples already received are the user's; the error recurs on the next call.
            Err(_) if received > 0 => break,
            Err(error) => return Err(error),
        }
    }
    info[slot::LISTED] = received as f64;
    Ok(received > 0)
}

/// Releases the samples `batch` holds, then loans `count` samples of `elements` elements each
/// (at most [`RECEIVED_PER_CALL`]) and describes them in `info` as [`batch_receive`] does. All
/// or nothing: when one loan fails, the ones made are released and the error is returned.
pub fn batch_loan(batch: Handle, count: usize, elements: usize, info: &mut [f64]) -> Result<bool> {
    let (publisher, zeroed) = publisher_of(batch)?;
    handles::close_children(batch)?;
    if count == 0 || count > RECEIVED_PER_CALL {
        return Err(Error::invalid_argument(format!(
            "a send batch loans 1 to {RECEIVED_PER_CALL} samples per call, not {count}; loan \
             in several batches"
        )));
    }
    check_room(info, count)?;
    for loaned in 0..count {
        match loan_into(publisher, batch, elements, zeroed) {
            Ok((handle, memory)) => {
                spans::sample_info_at(handle, &memory, info, slot::LIST + loaned * SAMPLE_SLOTS)?
            }
            Err(error) => {
                handles::close_children(batch)?;
                return Err(error);
            }
        }
    }
    info[slot::LISTED] = count as f64;
    Ok(true)
}

/// Sends the samples `batch` holds, in the order they were loaned; returns how many deliveries
/// they made in all (samples × subscribers reached). Every sample is sent even when one fails;
/// the first failure is returned then.
pub fn batch_send(batch: Handle) -> Result<usize> {
    publisher_of(batch)?;
    let mut delivered = 0;
    let mut first_error = None;
    for sample in handles::children(batch)? {
        match sample_send(sample) {
            Ok(reached) => delivered += reached,
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(delivered),
    }
}

/// Releases the samples `batch` holds (received or loaned); returns how many it held.
pub fn batch_release(batch: Handle) -> Result<usize> {
    batch_of(batch, "ReceiveBatch or SendBatch", |_| Some(()))?;
    handles::close_children(batch)
}

/// Moves `sample`, received by `batch`, under the batch's subscriber: the batch no longer
/// releases it, the user does (or closing the subscriber).
pub fn batch_keep(batch: Handle, sample: Handle) -> Result<()> {
    let subscriber = subscriber_of(batch)?;
    handles::reparent(sample, batch, subscriber)
}
