//! What a port reports of its connections while it works: backpressure (a receiver's buffer was
//! full) and degradation (a connection could not be made or is corrupted). iceoryx2 asks a
//! port's handlers synchronously, inside the send or connection update; this library answers
//! from the port's options (its send timeout and degradation action), so no JavaScript runs
//! inside iceoryx2, and queues an event for the port's JavaScript thread, which delivers it to
//! the callbacks the builder set, asynchronously.

use core::time::Duration;
use std::sync::Arc;

use iceoryx2::port::{
    BackpressureAction, BackpressureInfo, DegradationAction, DegradationCause, DegradationInfo,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::handles::{self, Handle};
use crate::objects::PatternObject;
use crate::record_queue::{self, RecordQueue, RecordStream, StreamObject};

/// Events a port's stream keeps before it drops the oldest (it counts them).
pub const PORT_EVENT_QUEUE_CAPACITY: usize = 1024;

/// What a port does when a connection to a peer cannot be made or turns out corrupted
/// (upstream's `DegradationAction`).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "DegradationAction")]
pub enum DegradationActionName {
    /// Go on without that peer, silently.
    Ignore,
    /// Go on without that peer, logging a warning (upstream's default).
    #[default]
    Warn,
    /// Fail the operation that found it.
    DegradeAndFail,
}

/// Why a port degraded (upstream's `DegradationCause`).
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "DegradationCause")]
pub enum DegradationCauseName {
    /// The connection to a new peer could not be made.
    FailedToEstablishConnection,
    /// An existing connection's shared memory is corrupted.
    ConnectionCorrupted,
}

/// What became of a send to a receiver whose buffer was full.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BackpressureOutcome {
    /// The send found the buffer full and retries until the receiver makes room, the send
    /// timeout passes or the receiver disconnects (reported once per send and receiver).
    Retrying,
    /// The receiver did not get the data (backpressure `discardData`); the send goes on.
    Discarded,
    /// The send timeout passed: the receiver did not get the data and the send fails with
    /// `UnableToDeliver`.
    GaveUp,
}

/// A receiver's buffer was full when a port sent to it (upstream's `BackpressureInfo`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackpressureEvent {
    /// The service's unique id (hexadecimal, as `staticConfig().uniqueServiceId`).
    pub service_id: String,
    /// The sending port's id (hexadecimal, as its `id`).
    pub sender_port_id: String,
    /// The id of the receiver whose buffer was full (hexadecimal).
    pub receiver_port_id: String,
    /// How often the send had retried this receiver.
    pub retries: f64,
    /// How long the send had retried this receiver, in milliseconds.
    pub elapsed_ms: f64,
    /// What became of the send to this receiver.
    pub outcome: BackpressureOutcome,
}

/// A connection between two ports could not be made or is corrupted (upstream's
/// `DegradationInfo` and `DegradationCause`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DegradationEvent {
    /// Why the port degraded.
    pub cause: DegradationCauseName,
    /// What the port did about it (its `degradation` option).
    pub action: DegradationActionName,
    /// The service's unique id (hexadecimal).
    pub service_id: String,
    /// The sending side's port id (hexadecimal).
    pub sender_port_id: String,
    /// The receiving side's port id (hexadecimal).
    pub receiver_port_id: String,
}

/// One event of a port.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PortEvent {
    /// A receiver's buffer was full.
    Backpressure(BackpressureEvent),
    /// A connection could not be made or is corrupted.
    Degradation(DegradationEvent),
}

/// What a take returns: the events in order, and how many were dropped before them because the
/// queue was full.
#[derive(Debug, Serialize, TS)]
pub struct TakenPortEvents {
    /// The events, oldest first.
    pub events: Vec<PortEvent>,
    /// How many were dropped before them.
    pub dropped: u64,
}

pub(crate) type EventQueue = Arc<RecordQueue<PortEvent>>;

/// The stream a port's events queue on, owned by the JS thread of the port.
pub(crate) struct PortEventStream(RecordStream<PortEvent>);

impl PatternObject for PortEventStream {
    fn kind_name(&self) -> &'static str {
        Self::KIND
    }
}

impl StreamObject for PortEventStream {
    type Record = PortEvent;
    const KIND: &'static str = "PortEventStream";
    fn stream(&mut self) -> &mut RecordStream<PortEvent> {
        &mut self.0
    }
}

/// Opens a stream for the events of a port about to be created (its spec names the stream).
pub fn open() -> Result<Handle> {
    let queue = RecordQueue::new(PORT_EVENT_QUEUE_CAPACITY, "port event stream")?;
    handles::insert(PortEventStream(RecordStream::new(queue)).into(), None)
}

/// Every event queued since the last take.
pub fn take(stream: Handle) -> Result<TakenPortEvents> {
    let (events, dropped) = record_queue::take::<PortEventStream>(stream)?;
    Ok(TakenPortEvents { events, dropped })
}

/// Starts a wait for the next event; returns the wake-up token.
pub fn watch(stream: Handle) -> Result<f64> {
    record_queue::watch::<PortEventStream>(stream)
}

/// The queue of the stream a port spec names, for the port's handlers.
pub(crate) fn queue_of(stream: Option<Handle>) -> Result<Option<EventQueue>> {
    stream
        .map(|stream| {
            record_queue::with_stream::<PortEventStream, _>(stream, |stream| {
                Ok(stream.queue().clone())
            })
        })
        .transpose()
}

/// The port's degradation handler: it answers `action` (upstream's default, `warn`, when the
/// port sets none) and reports to `events`. `None` when the port sets neither, so that
/// iceoryx2's own default handler stays.
pub(crate) fn degradation_handler(
    action: Option<DegradationActionName>,
    events: Option<&EventQueue>,
) -> Option<impl Fn(DegradationCause, &DegradationInfo) -> DegradationAction + Send + 'static> {
    if action.is_none() && events.is_none() {
        return None;
    }
    let action = action.unwrap_or_default();
    let events = events.cloned();
    Some(move |cause: DegradationCause, info: &DegradationInfo| {
        if let Some(events) = &events {
            events.push(PortEvent::Degradation(DegradationEvent {
                cause: match cause {
                    DegradationCause::FailedToEstablishConnection => {
                        DegradationCauseName::FailedToEstablishConnection
                    }
                    DegradationCause::ConnectionCorrupted => {
                        DegradationCauseName::ConnectionCorrupted
                    }
                },
                action,
                service_id: format!("{:x}", info.service_id),
                sender_port_id: format!("{:x}", info.sender_port_id),
                receiver_port_id: format!("{:x}", info.receiver_port_id),
            }));
        }
        match action {
            DegradationActionName::Ignore => DegradationAction::Ignore,
            DegradationActionName::Warn => DegradationAction::Warn,
            DegradationActionName::DegradeAndFail => DegradationAction::DegradeAndFail,
        }
    })
}

/// The port's backpressure handler, `None` when it needs none (upstream's strategy alone).
///
/// With a send timeout (`bound`) it retries a full receiver until its buffer stayed full that
/// long, then skips it (the others still get the data) and the send fails with
/// `UnableToDeliver`: iceoryx2 asks a handler again on every retry only while it answers
/// `Retry`; following a retrying strategy would retry without asking again. Without a bound it
/// follows the port's strategy (`retries`: whether that strategy is `retryUntilDelivered`).
/// With `events`, it reports the first full buffer of each send and receiver, and giving up.
pub(crate) fn backpressure_handler(
    bound: Option<Duration>,
    retries: bool,
    events: Option<&EventQueue>,
) -> Option<impl Fn(&BackpressureInfo) -> BackpressureAction + Send + 'static> {
    if bound.is_none() && events.is_none() {
        return None;
    }
    let events = events.cloned();
    Some(move |info: &BackpressureInfo| {
        let action = match bound {
            Some(bound) if info.elapsed_time >= bound => BackpressureAction::DiscardDataAndFail,
            Some(_) => BackpressureAction::Retry,
            None => BackpressureAction::FollowBackpressureyStrategy,
        };
        if let Some(events) = &events {
            let outcome = match action {
                BackpressureAction::DiscardDataAndFail => Some(BackpressureOutcome::GaveUp),
                _ if info.retries > 0 => None,
                _ if bound.is_some() || retries => Some(BackpressureOutcome::Retrying),
                _ => Some(BackpressureOutcome::Discarded),
            };
            if let Some(outcome) = outcome {
                events.push(PortEvent::Backpressure(BackpressureEvent {
                    service_id: format!("{:x}", info.service_id),
                    sender_port_id: format!("{:x}", info.sender_port_id),
                    receiver_port_id: format!("{:x}", info.receiver_port_id),
                    retries: info.retries as f64,
                    elapsed_ms: info.elapsed_time.as_secs_f64() * 1000.0,
                    outcome,
                }));
            }
        }
        action
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_and_queue() -> (Handle, EventQueue) {
        let stream = open().unwrap();
        let queue = queue_of(Some(stream)).unwrap().unwrap();
        (stream, queue)
    }

    #[test]
    fn no_action_and_no_stream_keeps_upstream_handlers() {
        assert!(degradation_handler(None, None).is_none());
        assert!(backpressure_handler(None, true, None).is_none());
    }

    #[test]
    fn degradation_answers_the_action_and_reports_it() {
        let (stream, queue) = stream_and_queue();
        let handler =
            degradation_handler(Some(DegradationActionName::DegradeAndFail), Some(&queue)).unwrap();
        let info = DegradationInfo {
            service_id: 0xabc,
            sender_port_id: 0x12,
            receiver_port_id: 0x34,
        };
        let action = handler(DegradationCause::ConnectionCorrupted, &info);
        assert_eq!(action, DegradationAction::DegradeAndFail);
        let taken = take(stream).unwrap();
        assert_eq!(taken.dropped, 0);
        let [PortEvent::Degradation(event)] = taken.events.as_slice() else {
            panic!("expected one degradation event, got {:?}", taken.events);
        };
        assert!(matches!(
            event.cause,
            DegradationCauseName::ConnectionCorrupted
        ));
        assert_eq!(
            (
                event.service_id.as_str(),
                event.sender_port_id.as_str(),
                event.receiver_port_id.as_str()
            ),
            ("abc", "12", "34")
        );
        // Without an action, upstream's default: warn.
        let default = degradation_handler(None, Some(&queue)).unwrap();
        assert_eq!(
            default(DegradationCause::FailedToEstablishConnection, &info),
            DegradationAction::Warn
        );
        crate::close(stream);
    }

    fn info(retries: u64, elapsed_ms: u64) -> BackpressureInfo {
        BackpressureInfo {
            service_id: 1,
            sender_port_id: 2,
            receiver_port_id: 3,
            retries,
            elapsed_time: Duration::from_millis(elapsed_ms),
        }
    }

    #[test]
    fn a_bounded_retry_reports_its_start_and_giving_up_only() {
        let (stream, queue) = stream_and_queue();
        let handler =
            backpressure_handler(Some(Duration::from_millis(10)), true, Some(&queue)).unwrap();
        assert_eq!(handler(&info(0, 0)), BackpressureAction::Retry);
        assert_eq!(handler(&info(1, 5)), BackpressureAction::Retry);
        assert_eq!(
            handler(&info(2, 10)),
            BackpressureAction::DiscardDataAndFail
        );
        let outcomes: Vec<_> = take(stream)
            .unwrap()
            .events
            .into_iter()
            .map(|event| match event {
                PortEvent::Backpressure(event) => (event.outcome, event.retries, event.elapsed_ms),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert!(matches!(
            outcomes.as_slice(),
            [
                (BackpressureOutcome::Retrying, 0.0, 0.0),
                (BackpressureOutcome::GaveUp, 2.0, 10.0)
            ]
        ));
        crate::close(stream);
    }

    #[test]
    fn without_a_bound_it_follows_the_strategy_and_says_what_that_does() {
        let (stream, queue) = stream_and_queue();
        let discarding = backpressure_handler(None, false, Some(&queue)).unwrap();
        assert_eq!(
            discarding(&info(0, 0)),
            BackpressureAction::FollowBackpressureyStrategy
        );
        let retrying = backpressure_handler(None, true, Some(&queue)).unwrap();
        assert_eq!(
            retrying(&info(0, 0)),
            BackpressureAction::FollowBackpressureyStrategy
        );
        let taken = take(stream).unwrap();
        assert!(matches!(
            taken.events.as_slice(),
            [
                PortEvent::Backpressure(BackpressureEvent {
                    outcome: BackpressureOutcome::Discarded,
                    ..
                }),
                PortEvent::Backpressure(BackpressureEvent {
                    outcome: BackpressureOutcome::Retrying,
                    ..
                })
            ]
        ));
        crate::close(stream);
    }

    #[test]
    fn a_full_stream_drops_the_oldest_and_counts() {
        let (stream, queue) = stream_and_queue();
        let handler =
            degradation_handler(Some(DegradationActionName::Ignore), Some(&queue)).unwrap();
        let info = DegradationInfo {
            service_id: 1,
            sender_port_id: 2,
            receiver_port_id: 3,
        };
        for _ in 0..PORT_EVENT_QUEUE_CAPACITY + 2 {
            handler(DegradationCause::ConnectionCorrupted, &info);
        }
        let taken = take(stream).unwrap();
        assert_eq!(
            (taken.events.len(), taken.dropped),
            (PORT_EVENT_QUEUE_CAPACITY, 2)
        );
        crate::close(stream);
    }
}
