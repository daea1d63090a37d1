//! Messaging patterns by name, and the error for a name that exists under another pattern.

use iceoryx2::node::Node;
use iceoryx2::port::port_name::PortName;
use iceoryx2::prelude::CallbackProgression;
use iceoryx2::service::messaging_pattern::MessagingPattern;
use iceoryx2::service::service_name::ServiceName;
use iceoryx2::service::Service as _;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::objects::Ipc;

pub(crate) const ALL: [MessagingPattern; 4] = [
    MessagingPattern::PublishSubscribe,
    MessagingPattern::Event,
    MessagingPattern::RequestResponse,
    MessagingPattern::Blackboard,
];

/// A port of a service as its dynamic config lists it, for ports whose details are their
/// identity alone (notifiers, listeners, blackboard writers and readers).
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PortInfo {
    /// The port's id (hexadecimal, as the port's `id`).
    pub id: String,
    /// Its port name ("" for none).
    pub name: String,
    /// The id of its node (hexadecimal).
    pub node_id: String,
}

impl PortInfo {
    /// The entry of a port with id `id`, name `name`, on node `node_id`.
    pub(crate) fn new(
        id: impl core::fmt::Display,
        name: &PortName,
        node_id: impl core::fmt::Display,
    ) -> Self {
        Self {
            id: id.to_string(),
            name: name.as_str().to_string(),
            node_id: node_id.to_string(),
        }
    }
}

/// Everything a callback-style listing hands out (upstream's `list_*`, `for_each_listener`),
/// each turned into a `T` by `map`.
pub(crate) fn listed<D, T>(
    list: impl FnOnce(&mut dyn FnMut(&D) -> CallbackProgression),
    map: impl Fn(&D) -> T,
) -> Vec<T> {
    let mut items = Vec::new();
    list(&mut |details| {
        items.push(map(details));
        CallbackProgression::Continue
    });
    items
}

/// The pattern's name as the JS API spells it.
pub fn name(pattern: MessagingPattern) -> &'static str {
    match pattern {
        MessagingPattern::PublishSubscribe => "publishSubscribe",
        MessagingPattern::Event => "event",
        MessagingPattern::RequestResponse => "requestResponse",
        MessagingPattern::Blackboard => "blackboard",
    }
}

/// Says what iceoryx2's bare variant for a failed open leaves out:
/// * a service name may hold one service per pattern, so opening the wrong pattern only says
///   "does not exist"; when the name exists under other patterns, say which
///   (`IncompatibleMessagingPattern`);
/// * a version mismatch names the release that wrote the service's dynamic config, or, when its
///   version field holds no release at all, reports the file as corrupted.
pub(crate) fn explain_open_failure(
    error: Error,
    node: &Node<Ipc>,
    service: &ServiceName,
    requested: MessagingPattern,
) -> Error {
    if error.kind == ErrorKind::VersionMismatch {
        return explain_version_mismatch(error, node, service, requested);
    }
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

fn explain_version_mismatch(
    error: Error,
    node: &Node<Ipc>,
    service: &ServiceName,
    pattern: MessagingPattern,
) -> Error {
    let Some((path, version)) =
        crate::leftovers::dynamic_config_version(node.config(), service, pattern)
    else {
        return error;
    };
    let (file, ours) = (path.display(), crate::ICEORYX2_VERSION);
    match crate::leftovers::release_of(version) {
        // The dynamic config is this release's: the static config differed, as iceoryx2 said.
        Some(release) if release == ours => error,
        // This process opened this very file, so it held this release then.
        Some(release) if crate::shm_guard::opened_here(&path) => Error::new(
            ErrorKind::ServiceInCorruptedState,
            format!(
                "service '{}' ({}) cannot be opened: its dynamic config {file} now says \
                 iceoryx2 {release}, but it said {ours} when this process opened the service, \
                 so another process wrote into it. Close the service's objects, remove the \
                 service (node.forceRemoveService), then create it anew",
                service.as_str(),
                name(pattern)
            ),
        ),
        Some(release) => Error::new(
            ErrorKind::VersionMismatch,
            format!(
                "service '{}' ({}) was created by iceoryx2 {release} (its dynamic config {file} \
                 says so); this library links iceoryx2 {ours}, and every process of a system \
                 must use the same iceoryx2 version",
                service.as_str(),
                name(pattern)
            ),
        ),
        None => Error::new(
            ErrorKind::ServiceInCorruptedState,
            format!(
                "service '{}' ({}) cannot be opened: its dynamic config {file} holds no iceoryx2 \
                 version ({version:#x} where iceoryx2 writes its release), so another process \
                 wrote into it. Remove the service (node.forceRemoveService), then create it \
                 anew",
                service.as_str(),
                name(pattern)
            ),
        ),
    }
}

/// iceoryx2 only says "AlreadyExists"; say which service and what to do instead.
pub(crate) fn explain_already_exists<T>(
    result: crate::error::Result<T>,
    service: &str,
) -> crate::error::Result<T> {
    result.map_err(|error| {
        if error.kind != ErrorKind::ServiceAlreadyExists {
            return error;
        }
        Error::new(
            ErrorKind::ServiceAlreadyExists,
            format!(
                "cannot create {service}: it already exists; open it with open() or \
                 openOrCreate(), or choose another name"
            ),
        )
    })
}

/// iceoryx2 only names the setting that does not fit ("DoesNotSupportRequested..."); compare
/// what the opener asked for with what the existing service has and name every setting that
/// differs, with both values. `existing` reads the service's QoS (same type as the request).
pub(crate) fn explain_incompatible_qos<Q: serde::Serialize>(
    error: Error,
    service: &str,
    requested: &Q,
    existing: impl FnOnce() -> Option<Q>,
) -> Error {
    use serde_json::Value;
    if error.kind != ErrorKind::IncompatibleQos {
        return error;
    }
    let Some(existing) = existing() else {
        return error;
    };
    let (Ok(Value::Object(wanted)), Ok(Value::Object(has))) = (
        serde_json::to_value(requested),
        serde_json::to_value(&existing),
    ) else {
        return error;
    };
    let differences: Vec<String> = wanted
        .iter()
        .filter_map(|(setting, asked)| {
            let present = has.get(setting)?;
            let too_much = match (asked, present) {
                (Value::Number(a), Value::Number(p)) => a.as_f64()? > p.as_f64()?,
                (Value::Bool(a), Value::Bool(p)) => a != p,
                _ => false,
            };
            too_much.then(|| {
                format!("{setting}: the service has {present}, this opener asks for {asked}")
            })
        })
        .collect();
    if differences.is_empty() {
        return error;
    }
    // The settings with both values replace iceoryx2's generic sentence; its variant stays last.
    let explained = format!(
        "{}; ask for at most what the service has, or leave the setting unset",
        differences.join("; ")
    );
    let context = ["cannot open or create ", "cannot open ", "cannot create "]
        .iter()
        .map(|mode| format!("{mode}{service}: "))
        .find(|context| error.message.starts_with(context.as_str()));
    let variant = error
        .message
        .rfind(" (iceoryx2: ")
        .map(|at| &error.message[at..]);
    let message = match (context, variant) {
        (Some(context), Some(variant)) => format!("{context}{explained}{variant}"),
        _ => format!("{} ({explained})", error.message),
    };
    Error::new(ErrorKind::IncompatibleQos, message)
}

/// The static config of the existing service `name` under `pattern`, read through `node`.
pub(crate) fn existing_static_config(
    node: &Node<Ipc>,
    name: &ServiceName,
    pattern: MessagingPattern,
) -> Option<iceoryx2::service::static_config::StaticConfig> {
    Ipc::details(name, node.config(), pattern)
        .ok()
        .flatten()
        .map(|details| details.static_details)
}

/// The `IncompatibleTypes` error naming every type that differs between a service and its opener,
/// then what to do.
pub(crate) fn incompatible_types(name: &ServiceName, differences: &[String]) -> Error {
    Error::new(
        ErrorKind::IncompatibleTypes,
        format!(
            "service '{}' has incompatible types; {}; open it with the creator's types: the same type \
             name, size and alignment (Rust names a struct with #[type_name], Python with type_name())",
            name.as_str(),
            differences.join("; ")
        ),
    )
}

/// The `IncompatibleTypes` error of a FlatBuffers service whose stored schema differs from the
/// opener's, byte for byte (upstream compares the `.bfbs` files, not the type details).
pub(crate) fn incompatible_schema(name: &ServiceName) -> Error {
    Error::new(
        ErrorKind::IncompatibleTypes,
        format!(
            "service '{}' was created with another flatbuffer schema: the opener's .bfbs file \
             differs from the one the creator stored; open it with the creator's schema file \
             (every process must use the same flatc output)",
            name.as_str()
        ),
    )
}

/// How a service builder gets its service: open an existing one, create it, or either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum OpenMode {
    Open,
    Create,
    OpenOrCreate,
}

/// Checks a service name as iceoryx2 would, with an error that says what the rules are.
pub fn service_name(name: &str) -> Result<ServiceName> {
    ServiceName::new(name).map_err(|e| {
        crate::error::invalid_name_error(
            "service name",
            crate::error::NameRules::ServiceName,
            name,
            &e,
        )
    })
}

/// What identifies an open service beyond its name, as upstream's port factory says.
#[derive(Debug, serde::Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServiceIdentity {
    /// The service's hash: one per name and messaging pattern, the same in every process and
    /// language (upstream's `service_hash`; discovery's `id`).
    pub service_hash: String,
    /// This incarnation's id (hexadecimal): a service removed and created again gets a new one
    /// (upstream's `unique_service_id`).
    pub unique_service_id: String,
}

/// The identity of the service `factory` opened.
pub(crate) fn identity_of<F: iceoryx2::prelude::PortFactory>(factory: &F) -> ServiceIdentity {
    ServiceIdentity {
        service_hash: factory.service_hash().as_str().to_string(),
        unique_service_id: factory.unique_service_id().to_string(),
    }
}

/// A port's name as upstream checks it (`PortName`: at most 64 bytes of UTF-8).
pub(crate) fn port_name(name: Option<&str>) -> Result<Option<iceoryx2::prelude::PortName>> {
    use iceoryx2::prelude::PortName;
    name.map(|text| {
        PortName::new(text).map_err(|e| {
            // InvalidArgument, as the builders document; the message says what is wrong.
            Error::invalid_argument(crate::error::invalid_name(
                "port name",
                crate::error::NameRules::PortName,
                text,
                &e,
            ))
        })
    })
    .transpose()
}

/// `null` in JSON means "disable", a missing field "use the default".
pub(crate) fn nullable<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> core::result::Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A duration given in milliseconds (finite, not negative).
pub(crate) fn duration_ms(ms: f64, what: &str) -> Result<core::time::Duration> {
    if ms.is_finite() && ms >= 0.0 && ms < 1e15 {
        Ok(core::time::Duration::from_secs_f64(ms / 1000.0))
    } else {
        Err(Error::invalid_argument(format!(
            "{what} must be a non-negative number of milliseconds, got {ms}"
        )))
    }
}
