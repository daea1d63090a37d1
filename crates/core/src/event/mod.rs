//! Events: services, notifiers and listeners, and the listener's descriptor for the reactor.

use core::time::Duration;
use std::os::fd::RawFd;

use iceoryx2::port::listener::{Listener, ListenerCreateError};
use iceoryx2::port::notifier::{Notifier, NotifierCreateError, NotifierNotifyError};
use iceoryx2::prelude::{EventActivation, EventId, PortFactory as _};
use iceoryx2::service::builder::event::{EventCreateError, EventOpenError, EventOpenOrCreateError};
use iceoryx2::service::port_factory::event::PortFactory;
use iceoryx2_bb_posix::file_descriptor::FileDescriptorBased;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::attributes::{to_list, AttributesSpec, KeyValue};
use crate::capacities::{create_port, port_list};
use crate::error::{Classify, Error, ErrorKind, Result};
use crate::handles::{self, wrong_kind, Handle};
use crate::limits::{check_count, check_count_from_zero, MAX_EVENT_ID};
use crate::node::with_node;
use crate::objects::{Ipc, Object};
use crate::pattern::{duration_ms, listed, nullable, port_name, service_name, OpenMode};
use crate::pattern_tag::PatternTag;

mod listener;
mod notifier;

pub use listener::*;
pub use notifier::*;

pub(crate) enum EventObject {
    Service(PortFactory<Ipc>),
    Notifier(Notifier<Ipc>),
    Listener(WatchedListener),
}

impl crate::objects::PatternObject for EventObject {
    fn kind_name(&self) -> &'static str {
        match self {
            EventObject::Service(_) => "event Service",
            EventObject::Notifier(_) => "Notifier",
            EventObject::Listener(_) => "Listener",
        }
    }
}

/// A listener whose descriptor the reactor may be watching (registered on its first wait and
/// deregistered before the listener and its descriptor are dropped), and the events its last
/// numeric try-wait took.
pub(crate) struct WatchedListener {
    listener: Listener<Ipc>,
    fd: RawFd,
    interest: Option<crate::reactor::Interest>,
    /// `(id, count)` pairs of the last `listenerTryWait`, read by index from JavaScript.
    taken: Vec<(usize, u64)>,
}

impl WatchedListener {
    fn new(listener: Listener<Ipc>) -> Self {
        // SAFETY: the raw number is only used while `listener` (which owns it) lives.
        let fd = unsafe { listener.file_descriptor().native_handle() };
        Self {
            listener,
            fd,
            interest: None,
            taken: Vec::new(),
        }
    }
}

impl Drop for WatchedListener {
    fn drop(&mut self) {
        // Fields drop after this, so the descriptor is still open while it is deregistered.
        self.interest = None;
    }
}

/// Quality of service of an event service (upstream's names; durations in milliseconds). The
/// setters of `EventServiceBuilder` explain each value and its default.
#[derive(Debug, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct EventQos {
    /// The most notifiers the service supports at once.
    pub max_notifiers: Option<usize>,
    /// The most listeners the service supports at once.
    pub max_listeners: Option<usize>,
    /// The most nodes that may have the service open at once.
    pub max_nodes: Option<usize>,
    /// The largest event id notifiers may send.
    pub event_id_max_value: Option<usize>,
    /// A listener sees a missed deadline when no notifier notifies within this many ms; null: none.
    #[serde(default, deserialize_with = "nullable")]
    pub deadline_ms: Option<Option<f64>>,
    /// Sent to listeners when a notifier is created (null: nothing is sent).
    #[serde(default, deserialize_with = "nullable")]
    pub notifier_created_event: Option<Option<usize>>,
    /// Sent to listeners when a notifier is dropped.
    #[serde(default, deserialize_with = "nullable")]
    pub notifier_dropped_event: Option<Option<usize>>,
    /// Sent to listeners when a notifier's process died (seen by dead-node cleanup).
    #[serde(default, deserialize_with = "nullable")]
    pub notifier_dead_event: Option<Option<usize>>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventServiceSpec {
    pub name: String,
    pub mode: OpenMode,
    #[serde(default)]
    #[ts(as = "Option<EventQos>", optional)]
    pub qos: EventQos,
    #[serde(default)]
    #[ts(as = "Option<AttributesSpec>", optional)]
    pub attributes: AttributesSpec,
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventServiceInfo {
    pub name: String,
    /// The service's hash and this incarnation's unique id.
    #[serde(flatten)]
    #[ts(flatten)]
    pub identity: crate::pattern::ServiceIdentity,
    /// Every value set.
    #[ts(type = "Required<EventQos>")]
    pub qos: EventQos,
    pub attributes: Vec<KeyValue>,
}

pub fn service_open(node: Handle, spec: EventServiceSpec) -> Result<Handle> {
    let name = service_name(&spec.name)?;
    let qos = &spec.qos;
    check_count(qos.max_notifiers, "maxNotifiers")?;
    check_count(qos.max_listeners, "maxListeners")?;
    check_count(qos.max_nodes, "maxNodes")?;
    check_count_from_zero(qos.event_id_max_value, "eventIdMaxValue")?;
    let pattern = iceoryx2::service::messaging_pattern::MessagingPattern::Event;
    let factory = with_node(node, &name, pattern, |node| {
        if spec.mode != OpenMode::Open {
            check_creatable(qos, &node.config().defaults.event)?;
        }
        let mut builder = node.service_builder(&name).event();
        if let Some(v) = qos.max_notifiers {
            builder = builder.max_notifiers(v);
        }
        if let Some(v) = qos.max_listeners {
            builder = builder.max_listeners(v);
        }
        if let Some(v) = qos.max_nodes {
            builder = builder.max_nodes(v);
        }
        if let Some(v) = qos.event_id_max_value {
            builder = builder.event_id_max_value(v);
        }
        match qos.deadline_ms {
            Some(Some(ms)) => builder = builder.deadline(duration_ms(ms, "deadlineMs")?),
            Some(None) => builder = builder.disable_deadline(),
            None => {}
        }
        match qos.notifier_created_event {
            Some(Some(id)) => builder = builder.notifier_created_event(EventId::new(id)),
            Some(None) => builder = builder.disable_notifier_created_event(),
            None => {}
        }
        match qos.notifier_dropped_event {
            Some(Some(id)) => builder = builder.notifier_dropped_event(EventId::new(id)),
            Some(None) => builder = builder.disable_notifier_dropped_event(),
            None => {}
        }
        match qos.notifier_dead_event {
            Some(Some(id)) => builder = builder.notifier_dead_event(EventId::new(id)),
            Some(None) => builder = builder.disable_notifier_dead_event(),
            None => {}
        }
        let context = format!("event service '{}'", spec.name);
        let build = || builder.clone();
        crate::attributes::open_service!(build, spec.mode, &spec.attributes, &context).map_err(
            |e| {
                let e = crate::pattern::explain_open_failure(e, node, &name, pattern);
                crate::pattern::explain_incompatible_qos(e, &context, &spec.qos, || {
                    crate::pattern::existing_static_config(node, &name, pattern)
                        .map(|config| EventQos::of(config.event()))
                })
            },
        )
    })?;
    let (factory, tag) = PatternTag::of_opened(factory, pattern, node)?;
    handles::insert_service(Object::from(EventObject::Service(factory)), node, tag)
}

/// Counts a created service takes from the node's config when unset must be within the limits
/// too: every listener maps a counter per event id.
fn check_creatable(qos: &EventQos, defaults: &iceoryx2::config::Event) -> Result<()> {
    use crate::limits::effective;
    effective(
        qos.max_notifiers,
        "maxNotifiers",
        defaults.max_notifiers,
        "event.maxNotifiers",
    )?;
    effective(
        qos.max_listeners,
        "maxListeners",
        defaults.max_listeners,
        "event.maxListeners",
    )?;
    effective(
        qos.max_nodes,
        "maxNodes",
        defaults.max_nodes,
        "event.maxNodes",
    )?;
    effective(
        qos.event_id_max_value,
        "eventIdMaxValue",
        defaults.event_id_max_value,
        "event.eventIdMaxValue",
    )?;
    Ok(())
}

fn with_event<T>(
    handle: Handle,
    expected: &str,
    f: impl FnOnce(&mut EventObject) -> Option<Result<T>>,
) -> Result<T> {
    handles::with(handle, |object| {
        let found = object.pattern_mut::<EventObject>().and_then(f);
        found.unwrap_or_else(|| Err(wrong_kind(handle, expected, object)))
    })
}

impl EventQos {
    /// The QoS a service was created with, every value set.
    pub(crate) fn of(config: &iceoryx2::service::static_config::event::StaticConfig) -> Self {
        let id = |e: Option<EventId>| Some(e.map(|e| e.as_value()));
        Self {
            max_notifiers: Some(config.max_notifiers()),
            max_listeners: Some(config.max_listeners()),
            max_nodes: Some(config.max_nodes()),
            event_id_max_value: Some(config.event_id_max_value()),
            deadline_ms: Some(config.deadline().map(|d| d.as_secs_f64() * 1000.0)),
            notifier_created_event: id(config.notifier_created_event()),
            notifier_dropped_event: id(config.notifier_dropped_event()),
            notifier_dead_event: id(config.notifier_dead_event()),
        }
    }
}

pub fn service_info(service: Handle) -> Result<EventServiceInfo> {
    with_event(service, "event Service", |object| match object {
        EventObject::Service(factory) => Some({
            Ok(EventServiceInfo {
                name: factory.name().as_str().to_string(),
                identity: crate::pattern::identity_of(factory),
                qos: EventQos::of(factory.static_config()),
                attributes: to_list(factory.attributes()),
            })
        }),
        _ => None,
    })
}

impl Classify for EventOpenError {
    fn kind(&self) -> ErrorKind {
        use EventOpenError as E;
        match self {
            E::Interrupt => ErrorKind::Interrupted,
            E::DoesNotExist => ErrorKind::ServiceNotFound,
            E::InsufficientPermissions => ErrorKind::PermissionDenied,
            E::ServiceInCorruptedState => ErrorKind::ServiceInCorruptedState,
            E::IncompatibleMessagingPattern => ErrorKind::IncompatibleMessagingPattern,
            E::IncompatibleAttributes => ErrorKind::IncompatibleAttributes,
            E::IncompatibleDeadline
            | E::IncompatibleNotifierCreatedEvent
            | E::IncompatibleNotifierDroppedEvent
            | E::IncompatibleNotifierDeadEvent
            | E::DoesNotSupportRequestedAmountOfNotifiers
            | E::DoesNotSupportRequestedAmountOfListeners
            | E::DoesNotSupportRequestedMaxEventId
            | E::DoesNotSupportRequestedAmountOfNodes => ErrorKind::IncompatibleQos,
            E::HangsInCreation | E::IsMarkedForDestruction => ErrorKind::ServiceInFlux,
            E::ExceedsMaxNumberOfNodes => ErrorKind::LimitReached,
            E::VersionMismatch => ErrorKind::VersionMismatch,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for EventCreateError {
    fn kind(&self) -> ErrorKind {
        use EventCreateError as E;
        match self {
            E::Interrupt => ErrorKind::Interrupted,
            E::ServiceInCorruptedState => ErrorKind::ServiceInCorruptedState,
            E::IsBeingCreatedByAnotherInstance => ErrorKind::ServiceInFlux,
            E::AlreadyExists => ErrorKind::ServiceAlreadyExists,
            E::InsufficientPermissions => ErrorKind::PermissionDenied,
            E::EventIdExceedsMaxSupportedValue => ErrorKind::InvalidArgument,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for EventOpenOrCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            EventOpenOrCreateError::EventOpenError(e) => e.kind(),
            EventOpenOrCreateError::EventCreateError(e) => e.kind(),
            EventOpenOrCreateError::SystemInFlux => ErrorKind::ServiceInFlux,
        }
    }
}

/// The ports an event service has now, in every process.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventPorts {
    /// Every notifier.
    pub notifiers: Vec<crate::pattern::PortInfo>,
    /// Every listener.
    pub listeners: Vec<crate::pattern::PortInfo>,
}

/// Every notifier and listener of the service, from its dynamic config.
pub fn service_ports(service: Handle) -> Result<EventPorts> {
    use crate::pattern::PortInfo;
    with_event(service, "event Service", |object| match object {
        EventObject::Service(factory) => {
            let config = factory.dynamic_config();
            Some(Ok(EventPorts {
                notifiers: listed(
                    |f| config.list_notifiers(f),
                    |n| PortInfo::new(n.notifier_id, &n.notifier_name, n.node_id),
                ),
                listeners: listed(
                    |f| config.list_listeners(f),
                    |l| PortInfo::new(l.listener_id, &l.listener_name, l.node_id),
                ),
            }))
        }
        _ => None,
    })
}
