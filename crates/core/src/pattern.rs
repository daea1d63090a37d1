//! Messaging patterns by name, and the error for a name that exists under another pattern.

use iceoryx2::node::Node;
use iceoryx2::service::messaging_pattern::MessagingPattern;
use iceoryx2::service::service_name::ServiceName;
use iceoryx2::service::Service as _;

use crate::error::{Error, ErrorKind};
use crate::objects::Ipc;

pub(crate) const ALL: [MessagingPattern; 4] = [
    MessagingPattern::PublishSubscribe,
    MessagingPattern::Event,
    MessagingPattern::RequestResponse,
    MessagingPattern::Blackboard,
];

/// The pattern's name as the JS API spells it.
pub fn name(pattern: MessagingPattern) -> &'static str {
    match pattern {
        MessagingPattern::PublishSubscribe => "publishSubscribe",
        MessagingPattern::Event => "event",
        MessagingPattern::RequestResponse => "requestResponse",
        MessagingPattern::Blackboard => "blackboard",
    }
}

/// A service name may hold one service per pattern, so opening the wrong pattern only says
/// "does not exist"; when the name exists under other patterns, say which
/// (`IncompatibleMessagingPattern`).
pub(crate) fn explain_not_found(
    error: Error,
    node: &Node<Ipc>,
    service: &ServiceName,
    requested: MessagingPattern,
) -> Error {
    if error.kind != ErrorKind::ServiceNotFound {
        return error;
    }
    let existing: Vec<&str> = ALL
        .into_iter()
        .filter(|p| *p != requested && Ipc::does_exist(service, node.config(), *p).unwrap_or(false))
        .map(name)
        .collect();
    if existing.is_empty() {
        return error;
    }
    Error::new(
        ErrorKind::IncompatibleMessagingPattern,
        format!(
            "service '{}' does not exist as {} but as {}",
            service.as_str(),
            name(requested),
            existing.join(" and ")
        ),
    )
}
