//! Notifiers: creating them and notifying, with the maximum named when an id is out of range.

use super::*;
use iceoryx2::prelude::CallbackProgression;

#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct NotifierSpec {
    pub default_event_id: Option<usize>,
    /// The port's name (upstream's `PortName`, at most 64 bytes): peers see it in the
    /// service's port details; notifiers can address a listener by it.
    pub name: Option<String>,
}

pub fn notifier_create(service: Handle, spec: NotifierSpec) -> Result<Handle> {
    let name = port_name(spec.name.as_deref())?;
    let notifier = with_event(service, "event Service", |object| match object {
        EventObject::Service(factory) => Some({
            let notifiers = port_list!(
                factory,
                "notifier",
                factory.static_config().max_notifiers(),
                number_of_notifiers,
                list_notifiers
            );
            create_port(notifiers, || {
                let mut builder = factory.notifier_builder();
                if let Some(name) = &name {
                    builder = builder.name(name);
                }
                if let Some(id) = spec.default_event_id {
                    builder = builder.default_event_id(EventId::new(id));
                }
                builder
                    .create()
                    .map_err(|e| e.into_error("cannot create notifier"))
            })
        }),
        _ => None,
    })?;
    handles::insert(Object::from(EventObject::Notifier(notifier)), Some(service))
}

/// Notifies every listener with `event_id`; returns how many were reached. A missed deadline
/// is reported as `MissedDeadline` after the listeners were notified.
pub fn notify(notifier: Handle, event_id: usize) -> Result<usize> {
    let id = EventId::new(event_id);
    with_event(notifier, "Notifier", |object| match object {
        EventObject::Notifier(notifier) => Some(
            notifier
                .notify_with_custom_event_id(id)
                .map_err(|e| e.into_error("cannot notify")),
        ),
        _ => None,
    })
    .map_err(|error| explain_event_id(error, notifier, id.as_value()))
}

/// iceoryx2 only says "EventIdOutOfBounds"; name the id and the service's maximum.
pub(super) fn explain_event_id(error: Error, notifier: Handle, id: usize) -> Error {
    if error.kind != ErrorKind::OutOfBounds {
        return error;
    }
    let maximum = handles::parent(notifier)
        .ok()
        .flatten()
        .and_then(|service| {
            handles::with(service, |object| {
                match object.pattern_mut::<EventObject>() {
                    Some(EventObject::Service(factory)) => {
                        Ok(factory.static_config().event_id_max_value())
                    }
                    _ => Err(Error::new(
                        ErrorKind::InternalFailure,
                        "not an event service",
                    )),
                }
            })
            .ok()
        });
    match maximum {
        Some(maximum) => Error::new(
            ErrorKind::OutOfBounds,
            format!(
                "cannot notify: event id {id} exceeds this service's maximum {maximum} \
                 (eventIdMaxValue); notify ids up to {maximum}, or create the service with a \
                 larger eventIdMaxValue"
            ),
        ),
        None => error,
    }
}

impl Classify for NotifierCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            NotifierCreateError::ExceedsMaxSupportedNotifiers => ErrorKind::LimitReached,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for NotifierNotifyError {
    fn kind(&self) -> ErrorKind {
        match self {
            NotifierNotifyError::EventIdOutOfBounds => ErrorKind::OutOfBounds,
            NotifierNotifyError::MissedDeadline => ErrorKind::MissedDeadline,
            _ => ErrorKind::InternalFailure,
        }
    }
}

/// The notifier's system-wide unique id, as upstream prints it (hexadecimal).
pub fn notifier_id(notifier: Handle) -> Result<String> {
    with_event(notifier, "Notifier", |object| match object {
        EventObject::Notifier(port) => Some(Ok(port.id().to_string())),
        _ => None,
    })
}

/// The service's deadline in milliseconds, if it has one.
pub fn notifier_deadline(notifier: Handle) -> Result<Option<f64>> {
    with_event(notifier, "Notifier", |object| match object {
        EventObject::Notifier(port) => Some(Ok(port.deadline().map(|d| d.as_secs_f64() * 1000.0))),
        _ => None,
    })
}

/// Every listener the notifier is connected to now.
pub fn notifier_listeners(notifier: Handle) -> Result<Vec<crate::pattern::PortInfo>> {
    with_event(notifier, "Notifier", |object| match object {
        EventObject::Notifier(port) => Some(Ok(crate::pattern::listed(
            |f| port.for_each_listener(|_, details| f(details)),
            |l| crate::pattern::PortInfo::new(l.listener_id, &l.listener_name, l.node_id),
        ))),
        _ => None,
    })
}

/// Which listener a targeted notification goes to, and with which event id.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ListenerTarget {
    /// The listener's id (`Listener.id`, hexadecimal).
    pub listener_id: String,
    /// The event id to send; absent: the notifier's default.
    pub event_id: Option<usize>,
}

/// Notifies only the listener `target` names (upstream's `notify_single_listener`): 1 when it
/// is connected and was notified, 0 when no connected listener has that id.
pub fn notify_listener(notifier: Handle, target: ListenerTarget) -> Result<usize> {
    with_event(notifier, "Notifier", |object| match object {
        EventObject::Notifier(port) => {
            let mut outcome = Ok(0);
            port.for_each_listener(|monofier, details| {
                if details.listener_id.to_string() != target.listener_id {
                    return CallbackProgression::Continue;
                }
                let notified = match target.event_id {
                    Some(id) => monofier.notify_with_custom_event_id(EventId::new(id)),
                    None => monofier.notify(),
                };
                outcome = notified
                    .map(|()| 1)
                    .map_err(|e| e.into_error("cannot notify the listener"));
                CallbackProgression::Stop
            });
            Some(outcome)
        }
        _ => None,
    })
    .map_err(|error| explain_event_id(error, notifier, target.event_id.unwrap_or_default()))
}

/// Connects the notifier to listeners that appeared since (a notification does it as well).
pub fn notifier_update_connections(notifier: Handle) -> Result<()> {
    use iceoryx2::port::update_connections::UpdateConnections;
    with_event(notifier, "Notifier", |object| match object {
        EventObject::Notifier(port) => Some(
            port.update_connections()
                .map_err(|e| e.into_error("cannot update connections")),
        ),
        _ => None,
    })
}
