//! Listeners: creating them, waiting (blocking, timed, or on their descriptor through the reactor)
//! and taking their events.

use super::*;

/// A listener's options; unknown ones are refused.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ListenerSpec {
    /// The port's name (upstream's `PortName`, at most 64 bytes): peers see it in the
    /// service's port details; notifiers can address a listener by it.
    pub name: Option<String>,
}

pub fn listener_create(service: Handle, spec: ListenerSpec) -> Result<Handle> {
    let name = port_name(spec.name.as_deref())?;
    let listener = with_event(service, "event Service", |object| match object {
        EventObject::Service(factory) => Some({
            // A service created elsewhere may allow ids a listener could not map counters for.
            let max_id = factory.static_config().event_id_max_value();
            if max_id > MAX_EVENT_ID {
                Err(Error::invalid_argument(format!(
                    "the service allows event ids up to {max_id}; a listener maps a counter per \
                     id, so ids above the limit of {MAX_EVENT_ID} are not supported"
                )))
            } else {
                let listeners = port_list!(
                    factory,
                    "listener",
                    factory.static_config().max_listeners(),
                    number_of_listeners,
                    list_listeners
                );
                create_port(listeners, || {
                    factory
                        .listener_builder()
                        .name(
                            name.as_ref()
                                .unwrap_or(&iceoryx2::prelude::PortName::new_empty()),
                        )
                        .create()
                        .map_err(|e| e.into_error("cannot create listener"))
                })
            }
        }),
        _ => None,
    })?;
    handles::insert(
        Object::from(EventObject::Listener(WatchedListener::new(listener))),
        Some(service),
    )
}

#[derive(Debug, Clone, Copy)]
pub enum Wait {
    Try,
    Timed(Duration),
    Blocking,
}

/// Collects the pending events as `[[id, count], ...]` in arrival order of their first activation.
pub fn listener_wait(listener: Handle, wait: Wait) -> Result<Vec<(usize, u64)>> {
    let mut activations: Vec<(usize, u64)> = Vec::new();
    let mut collect = |activation: EventActivation| {
        activations.push((activation.id.as_value(), activation.count))
    };
    with_event(listener, "Listener", |object| match object {
        EventObject::Listener(watched) => Some({
            if let Some(interest) = &watched.interest {
                interest.draining();
            }
            let listener = &watched.listener;
            let result = match wait {
                Wait::Try => listener.try_wait(&mut collect),
                // iceoryx2 blocks forever on a zero timeout (and on any below its 1 µs
                // resolution), so those only look at what is already there.
                Wait::Timed(timeout) if timeout < Duration::from_micros(1) => {
                    listener.try_wait(&mut collect)
                }
                Wait::Timed(timeout) => listener.timed_wait(&mut collect, timeout),
                Wait::Blocking => listener.blocking_wait(&mut collect),
            };
            result
                .map(|_| ())
                .map_err(|e| e.into_error("cannot wait for events"))
        }),
        _ => None,
    })?;
    Ok(activations)
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimedWaitSpec {
    pub timeout_ms: f64,
}

/// [`listener_wait`] with a timeout of `spec.timeout_ms` milliseconds.
pub fn listener_timed_wait(listener: Handle, spec: TimedWaitSpec) -> Result<Vec<(usize, u64)>> {
    listener_wait(
        listener,
        Wait::Timed(duration_ms(spec.timeout_ms, "timeoutMs")?),
    )
}

/// Starts a wait on the listener's descriptor (registering it with the reactor on the first);
/// returns the wake-up token.
pub fn listener_watch(listener: Handle) -> Result<f64> {
    with_event(listener, "Listener", |object| match object {
        EventObject::Listener(watched) => Some(match &watched.interest {
            Some(interest) => interest.arm(),
            None => crate::reactor::Interest::register(watched.fd).and_then(|interest| {
                let token = interest.arm();
                watched.interest = Some(interest);
                token
            }),
        }),
        _ => None,
    })
}

/// Describes the events a listener took in `info` (see [`crate::spans::slot::LISTED`]): the
/// number of distinct ids, then up to [`crate::spans::TAKEN_EVENTS_PER_CALL`] (id, count) pairs
/// from index `from` on. With `from == 0` it first takes the pending events, without blocking;
/// a later call with `from > 0` pages through the same ones. Returns whether there were any.
pub fn listener_take(listener: Handle, from: usize, info: &mut [f64]) -> Result<bool> {
    use crate::spans::{slot, TAKEN_EVENTS_PER_CALL};
    with_event(listener, "Listener", |object| match object {
        EventObject::Listener(watched) => Some((|| {
            if from == 0 {
                if let Some(interest) = &watched.interest {
                    interest.draining();
                }
                let taken = &mut watched.taken;
                taken.clear();
                watched
                    .listener
                    .try_wait(|activation| taken.push((activation.id.as_value(), activation.count)))
                    .map_err(|e| e.into_error("cannot wait for events"))?;
            }
            let taken = &watched.taken;
            if from > taken.len() {
                return Err(Error::new(
                    ErrorKind::OutOfBounds,
                    format!(
                        "the last take found {} events, there is no event {from}",
                        taken.len()
                    ),
                ));
            }
            let out = info
                .get_mut(slot::LISTED..slot::LIST + 2 * TAKEN_EVENTS_PER_CALL)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::InternalFailure,
                        "the info array is shorter than its event slots",
                    )
                })?;
            out[0] = taken.len() as f64;
            for (pair, &(id, count)) in out[1..].chunks_exact_mut(2).zip(&taken[from..]) {
                pair[0] = id as f64;
                pair[1] = count as f64;
            }
            Ok(!taken.is_empty())
        })()),
        _ => None,
    })
}

pub fn listener_is_readable(listener: Handle) -> Result<bool> {
    let fd = with_event(listener, "Listener", |object| match object {
        EventObject::Listener(watched) => Some(Ok(watched.fd)),
        _ => None,
    })?;
    Ok(crate::reactor::is_readable(fd))
}

/// The service's deadline in milliseconds, if it has one.
pub fn listener_deadline(listener: Handle) -> Result<Option<f64>> {
    with_event(listener, "Listener", |object| match object {
        EventObject::Listener(watched) => Some(Ok(watched
            .listener
            .deadline()
            .map(|d| d.as_secs_f64() * 1000.0))),
        _ => None,
    })
}

impl Classify for ListenerCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            ListenerCreateError::ExceedsMaxSupportedListeners => ErrorKind::LimitReached,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for iceoryx2::port::listener::ListenerWaitError {
    fn kind(&self) -> ErrorKind {
        use iceoryx2::port::listener::ListenerWaitError as E;
        match self {
            E::InterruptSignal => ErrorKind::Interrupted,
            _ => ErrorKind::InternalFailure,
        }
    }
}

/// The listener's system-wide unique id, as upstream prints it (hexadecimal).
pub fn listener_id(listener: Handle) -> Result<String> {
    with_event(listener, "Listener", |object| match object {
        EventObject::Listener(watched) => Some(Ok(watched.listener.id().to_string())),
        _ => None,
    })
}
