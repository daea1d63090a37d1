//! Discovery: listing services and nodes, service details, dead-node cleanup, and the effective
//! configuration. Every operation takes a [`ConfigSpec`], so it can look at any prefix (domain)
//! without a node of its own.

use iceoryx2::node::{NodeListFailure, NodeState, NodeView};
use iceoryx2::prelude::{CallbackProgression, MessagingPattern};
use iceoryx2::service::static_config::messaging_pattern::MessagingPattern as PatternConfig;
use iceoryx2::service::static_config::StaticConfig;
use iceoryx2::service::{Service as _, ServiceDetails, ServiceListError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::attributes::{to_list, KeyValue};
use crate::blackboard::BlackboardQos;
use crate::error::{Classify, Error, ErrorKind, Result};
use crate::event::EventQos;
use crate::leftovers::{self, Scope};
use crate::node::{config_to_json, ConfigSpec, SourcedConfigJson};
use crate::objects::Ipc;
use crate::pattern::service_name;
use crate::pubsub::PubSubQos;
use crate::request_response::RequestResponseQos;
use crate::types::TypeSpec;

/// Upstream's messaging patterns as JS names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PatternName {
    PublishSubscribe,
    Event,
    RequestResponse,
    Blackboard,
}

impl From<PatternName> for MessagingPattern {
    fn from(pattern: PatternName) -> Self {
        match pattern {
            PatternName::PublishSubscribe => MessagingPattern::PublishSubscribe,
            PatternName::Event => MessagingPattern::Event,
            PatternName::RequestResponse => MessagingPattern::RequestResponse,
            PatternName::Blackboard => MessagingPattern::Blackboard,
        }
    }
}

impl Classify for ServiceListError {
    fn kind(&self) -> ErrorKind {
        match self {
            ServiceListError::InsufficientPermissions => ErrorKind::PermissionDenied,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for NodeListFailure {
    fn kind(&self) -> ErrorKind {
        match self {
            NodeListFailure::InsufficientPermissions => ErrorKind::PermissionDenied,
            NodeListFailure::Interrupt => ErrorKind::Interrupted,
            _ => ErrorKind::InternalFailure,
        }
    }
}

/// The arguments of discovery over a whole prefix: the config that names it.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigArgs {
    #[serde(default)]
    #[ts(as = "Option<ConfigSpec>", optional)]
    pub config: ConfigSpec,
}

/// What a dead-node cleanup covers and how long it may wait.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct CleanupArgs {
    #[serde(default)]
    #[ts(as = "Option<ConfigSpec>", optional)]
    pub config: ConfigSpec,
    /// Only the dead node with this id (as `Node.list` shows it); absent: every dead node.
    pub node_id: Option<String>,
    /// How long to wait for each dead node another process is cleaning up right now
    /// (upstream's `blocking_remove_stale_resources`); absent: do not wait, skip it.
    pub timeout_ms: Option<f64>,
    /// Only dead nodes registered with this service (they had it open when they died); absent:
    /// every dead node.
    pub service: Option<NamedService>,
}

/// The arguments of discovery of one service.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceArgs {
    pub name: String,
    pub pattern: PatternName,
    #[serde(default)]
    #[ts(as = "Option<ConfigSpec>", optional)]
    pub config: ConfigSpec,
}

/// A node as `Node::list` sees it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    /// `alive`, `dead` (its process is gone, its resources stay until cleaned up),
    /// `inaccessible` (no permission to tell) or `undefined` (inconsistent resources).
    #[ts(type = r#""alive" | "dead" | "inaccessible" | "undefined""#)]
    pub state: &'static str,
    /// The node's unique id, as upstream prints it (hexadecimal).
    pub id: String,
    /// Details are missing when the node's files cannot be read.
    pub name: Option<String>,
    pub pid: Option<i64>,
    pub executable: Option<String>,
}

fn node_info(state: &NodeState<Ipc>) -> NodeInfo {
    let (label, details) = match state {
        NodeState::Alive(view) => ("alive", view.details().as_ref()),
        NodeState::Dead(view) => ("dead", view.details().as_ref()),
        NodeState::Inaccessible(_) => ("inaccessible", None),
        NodeState::Undefined(_) => ("undefined", None),
    };
    NodeInfo {
        state: label,
        id: state.node_id().to_string(),
        name: details.map(|d| d.name().as_str().to_string()),
        pid: details.map(|d| d.process_id().value() as i64),
        executable: details.map(|d| d.executable().to_string()),
    }
}

/// The payload and user-header types of requests or responses.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageTypes {
    pub payload: TypeSpec,
    pub user_header: TypeSpec,
}

/// The pattern-specific part of a service's static configuration.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "pattern", rename_all = "camelCase")]
pub enum PatternDetails {
    #[serde(rename_all = "camelCase")]
    PublishSubscribe {
        payload: TypeSpec,
        user_header: TypeSpec,
        #[ts(type = "Required<PublishSubscribeQos>")]
        qos: PubSubQos,
    },
    Event {
        #[ts(type = "Required<EventQos>")]
        qos: EventQos,
    },
    RequestResponse {
        request: MessageTypes,
        response: MessageTypes,
        #[ts(type = "Required<RequestResponseQos>")]
        qos: RequestResponseQos,
    },
    #[serde(rename_all = "camelCase")]
    Blackboard {
        key_type: TypeSpec,
        #[ts(type = "Required<BlackboardQos>")]
        qos: BlackboardQos,
    },
}

/// One service as `Service::list` and `Service::details` see it.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInfo {
    pub name: String,
    /// The service's hash: unique per name and pattern, the same in every process.
    pub id: String,
    /// The iceoryx2 version that created the service (its static config stores it), e.g. "0.10.0".
    pub iceoryx2_version: String,
    pub attributes: Vec<KeyValue>,
    #[serde(flatten)]
    pub details: PatternDetails,
    /// The nodes that opened the service; `null` when they cannot be read.
    pub nodes: Option<Vec<NodeInfo>>,
}

fn pattern_details(config: &StaticConfig) -> Result<PatternDetails> {
    Ok(match config.messaging_pattern() {
        PatternConfig::PublishSubscribe(c) => {
            let types = c.message_type_details();
            PatternDetails::PublishSubscribe {
                payload: TypeSpec::from_detail(&types.payload),
                user_header: TypeSpec::from_detail(&types.user_header),
                qos: PubSubQos::of(c),
            }
        }
        PatternConfig::Event(c) => PatternDetails::Event {
            qos: EventQos::of(c),
        },
        PatternConfig::RequestResponse(c) => {
            let types =
                |t: &iceoryx2::service::static_config::message_type_details::MessageTypeDetails| {
                    MessageTypes {
                        payload: TypeSpec::from_detail(&t.payload),
                        user_header: TypeSpec::from_detail(&t.user_header),
                    }
                };
            PatternDetails::RequestResponse {
                request: types(c.request_message_type_details()),
                response: types(c.response_message_type_details()),
                qos: RequestResponseQos::of(c),
            }
        }
        PatternConfig::Blackboard(c) => PatternDetails::Blackboard {
            key_type: TypeSpec::from_detail(c.type_details()),
            qos: BlackboardQos::of(c),
        },
        other => {
            return Err(Error::new(
                ErrorKind::InternalFailure,
                format!("messaging pattern {other} is unknown to this binding"),
            ))
        }
    })
}

fn service_info(details: &ServiceDetails<Ipc>) -> Result<ServiceInfo> {
    let config = &details.static_details;
    Ok(ServiceInfo {
        name: config.name().as_str().to_string(),
        id: config.service_hash().as_str().to_string(),
        iceoryx2_version: config.iceoryx2_version().to_string(),
        attributes: to_list(config.attributes()),
        details: pattern_details(config)?,
        nodes: details
            .dynamic_details
            .as_ref()
            .map(|d| d.nodes.iter().map(node_info).collect()),
    })
}

/// Every service under the config's prefix and root path.
pub fn list_services(args: ConfigArgs) -> Result<Vec<ServiceInfo>> {
    let config = args.config.build()?;
    leftovers::refuse(&config, Scope::Services, "cannot list services")?;
    let mut services = Vec::new();
    let mut failure = None;
    Ipc::list(&config, |details| match service_info(&details) {
        Ok(info) => {
            services.push(info);
            CallbackProgression::Continue
        }
        Err(e) => {
            failure = Some(e);
            CallbackProgression::Stop
        }
    })
    .map_err(|e| e.into_error("cannot list services"))?;
    match failure {
        Some(e) => Err(e),
        None => Ok(services),
    }
}

fn details_of(args: ServiceArgs) -> Result<Option<ServiceDetails<Ipc>>> {
    let name = service_name(&args.name)?;
    let config = args.config.build()?;
    let context = format!("cannot read the details of service {:?}", args.name);
    leftovers::refuse(
        &config,
        Scope::Service(&name, args.pattern.into()),
        &context,
    )?;
    Ipc::details(&name, &config, args.pattern.into()).map_err(|e| {
        e.into_error(&format!(
            "cannot read the details of service {:?}",
            args.name
        ))
    })
}

/// The service `name` with messaging pattern `pattern`, or `null`.
pub fn service_details(args: ServiceArgs) -> Result<Option<ServiceInfo>> {
    details_of(args)?
        .map(|details| service_info(&details))
        .transpose()
}

/// Whether the service `name` with messaging pattern `pattern` exists.
pub fn does_exist(args: ServiceArgs) -> Result<bool> {
    Ok(details_of(args)?.is_some())
}

fn list_node_states(config: &ConfigSpec) -> Result<Vec<NodeState<Ipc>>> {
    let config = config.build()?;
    let mut nodes = Vec::new();
    iceoryx2::node::Node::<Ipc>::list(&config, |state| {
        nodes.push(state);
        CallbackProgression::Continue
    })
    .map_err(|e| e.into_error("cannot list nodes"))?;
    Ok(nodes)
}

/// Every node under the config's prefix and root path, dead ones included.
pub fn list_nodes(args: ConfigArgs) -> Result<Vec<NodeInfo>> {
    let nodes = list_node_states(&args.config)?;
    Ok(nodes.iter().map(node_info).collect())
}

/// What a dead-node cleanup did.
#[derive(Debug, Serialize, TS)]
pub struct CleanupReport {
    /// Dead nodes whose stale resources this call removed.
    pub removed: Vec<NodeInfo>,
    /// Dead nodes that could not be cleaned up, with iceoryx2's reason.
    pub failed: Vec<CleanupFailure>,
}

/// A dead node whose resources could not be removed, and why.
#[derive(Debug, Serialize, TS)]
pub struct CleanupFailure {
    pub node: NodeInfo,
    pub reason: String,
}

/// Removes the stale resources of every dead node under the config (upstream's
/// `DeadNodeView::try_remove_stale_resources` for each dead node `Node::list` reports).
pub fn cleanup_dead_nodes(args: CleanupArgs) -> Result<CleanupReport> {
    let timeout = args
        .timeout_ms
        .map(|ms| crate::pattern::duration_ms(ms, "timeoutMs"))
        .transpose()?;
    let config = args.config.build()?;
    crate::config_file::guard_upstream_config_search();
    leftovers::refuse(
        &config,
        Scope::DeadNodes(args.node_id.as_deref()),
        "cannot clean up dead nodes",
    )?;
    let registered = args
        .service
        .as_ref()
        .map(|service| registered_nodes(&args.config, service))
        .transpose()?;
    let mut report = CleanupReport {
        removed: Vec::new(),
        failed: Vec::new(),
    };
    for state in list_node_states(&args.config)? {
        let info = node_info(&state);
        if args.node_id.as_ref().is_some_and(|id| *id != info.id)
            || registered
                .as_ref()
                .is_some_and(|ids| !ids.contains(&info.id))
        {
            continue;
        }
        if let NodeState::Dead(view) = state {
            let removed = match timeout {
                Some(timeout) => view.blocking_remove_stale_resources(timeout),
                None => view.try_remove_stale_resources(),
            };
            match removed {
                Ok(()) => report.removed.push(info),
                Err(e) => report.failed.push(CleanupFailure {
                    node: info,
                    reason: format!("{} (iceoryx2: {e:?})", crate::error::Explain::explain(&e)),
                }),
            }
        }
    }
    Ok(report)
}

/// The ids of the nodes registered with `service`, alive or dead (none when it does not exist).
fn registered_nodes(config: &ConfigSpec, service: &NamedService) -> Result<Vec<String>> {
    let name = service_name(&service.name)?;
    let config = config.build()?;
    let context = format!("cannot read the details of service {:?}", service.name);
    leftovers::refuse(
        &config,
        Scope::Service(&name, service.pattern.into()),
        &context,
    )?;
    let details = Ipc::details(&name, &config, service.pattern.into()).map_err(|e| {
        e.into_error(&format!(
            "cannot read the details of service {:?}",
            service.name
        ))
    })?;
    Ok(details
        .iter()
        .flat_map(|details| details.dynamic_details.iter())
        .flat_map(|dynamic| dynamic.nodes.iter())
        .map(|state| state.node_id().to_string())
        .collect())
}

/// The config a node would get from a [`ConfigSpec`], as JSON, with `source`: the file it was
/// loaded from (`null` for built-in defaults).
pub fn resolve_config(spec: ConfigSpec) -> Result<SourcedConfigJson> {
    let (config, source) = spec.resolve()?;
    let mut json = config_to_json(&config)?;
    if let serde_json::Value::Object(map) = &mut json {
        map.insert("source".into(), source.into());
    }
    Ok(SourcedConfigJson(json))
}

/// A service by name and messaging pattern: what a forced removal removes, whose dead nodes a
/// cleanup covers.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedService {
    pub name: String,
    pub pattern: PatternName,
}

/// Removes service `name` with all its resources by force, under the node's config (upstream's
/// `Node::force_remove_service`): for a service that a crash left unusable. Refused with
/// `ServiceInUse` while live nodes are registered with it; true when something was removed.
pub fn force_remove_service(node: crate::Handle, target: NamedService) -> Result<bool> {
    let name = service_name(&target.name)?;
    let pattern: MessagingPattern = target.pattern.into();
    crate::node::node_ref(node, |node| {
        // A service whose dynamic config is a leftover cannot be read (iceoryx2 would wait for
        // it forever) and registers no node: removing it is what forced removal is for.
        let leftover = leftovers::find(node.config(), Scope::Service(&name, pattern));
        let details = match leftover.is_empty() {
            true => Ipc::details(&name, node.config(), pattern).ok().flatten(),
            false => None,
        };
        if let Some(details) = details {
            let alive: Vec<String> = details
                .dynamic_details
                .iter()
                .flat_map(|dynamic| dynamic.nodes.iter())
                .filter(|state| matches!(state, NodeState::Alive(_)))
                .map(|state| state.node_id().to_string())
                .collect();
            if !alive.is_empty() {
                return Err(Error::new(
                    ErrorKind::ServiceInUse,
                    format!(
                        "service {:?} ({}) is used by {} live node(s) ({}): close its \
                         services there (or let those processes end) first; forced removal is \
                         for services no process can use any more",
                        target.name,
                        crate::pattern::name(pattern),
                        alive.len(),
                        alive.join(", ")
                    ),
                ));
            }
        }
        // SAFETY: iceoryx2 requires that no other process uses the service. No live node is
        // registered with it (checked above); a service whose registry cannot be read, the
        // case forced removal exists for, is removed as the caller asks.
        unsafe { node.force_remove_service(&name, pattern) }
            .map_err(|e| e.into_error(&format!("cannot remove service {:?}", target.name)))
    })
}
