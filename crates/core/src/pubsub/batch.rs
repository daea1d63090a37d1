//! Receive batches: many samples per crossing into the core.
//!
//! A batch is a handle under its subscriber. The samples it receives become the batch's children,
//! so one call releases them all (the next receive does it first: a release folded into the
//! receive) and closing the batch, or its subscriber, releases whatever it still holds. A sample
//! the user keeps is moved under the subscriber and lives on as a plain received sample.

use super::*;
use crate::spans::{self, slot, RECEIVED_PER_CALL, SAMPLE_SLOTS};

/// A subscriber's receive batch (see the module documentation).
pub(crate) struct ReceiveBatch {
    subscriber: Handle,
}

impl crate::objects::PatternObject for ReceiveBatch {
    fn kind_name(&self) -> &'static str {
        "ReceiveBatch"
    }
}

fn subscriber_of(batch: Handle) -> Result<Handle> {
    handles::with(batch, |object| match object.pattern_mut::<ReceiveBatch>() {
        Some(batch) => Ok(batch.subscriber),
        None => Err(wrong_kind(batch, "ReceiveBatch", object)),
    })
}

/// Makes a receive batch for `subscriber`.
pub fn batch_create(subscriber: Handle) -> Result<Handle> {
    handles::with(subscriber, |object| match object {
        Object::Subscriber(..) => Ok(()),
        other => Err(wrong_kind(subscriber, "Subscriber", other)),
    })?;
    handles::insert(ReceiveBatch { subscriber }.into(), Some(subscriber))
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
    if info.len() < slot::LIST + max * SAMPLE_SLOTS {
        return Err(Error::new(
            ErrorKind::InternalFailure,
            "the info array is shorter than a batch's slots",
        ));
    }
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

/// Releases the samples `batch` holds; returns how many it held.
pub fn batch_release(batch: Handle) -> Result<usize> {
    subscriber_of(batch)?;
    handles::close_children(batch)
}

/// Moves `sample`, received by `batch`, under the batch's subscriber: the batch no longer
/// releases it, the user does (or closing the subscriber).
pub fn batch_keep(batch: Handle, sample: Handle) -> Result<()> {
    let subscriber = subscriber_of(batch)?;
    handles::reparent(sample, batch, subscriber)
}
