//! Discovery: listing services and nodes, service details, dead-node cleanup, and the effective
//! configuration. Every operation takes a [`ConfigSpec`], so it can look at any prefix (domain)
//! without a node of its own.

use iceoryx2::node::{NodeListFailure, NodeState, NodeView};
use iceoryx2::prelude::{CallbackProgression, MessagingPattern};
use iceoryx2::service::static_config::messaging_pattern::MessagingPattern as PatternConfig;
use iceoryx2::service::static_config::StaticConfig;
use iceoryx2::service::{Service as _, ServiceDetails, ServiceListError};
use serde::{Deserialize, Serialize};

use crate::attributes::{to_list, KeyValue};
use crate::blackboard::BlackboardQos;
use crate::error::{Classify, Error, ErrorKind, Result};
use crate::event::EventQos;
use crate::handles;
use crate::node::{config_to_json, parse_json, with_node, ConfigSpec};
use crate::objects::Ipc;
use crate::ops::{to_json, OpTable};
use crate::pubsub::{service_name, PubSubQos};
use crate::request_response::RequestResponseQos;
use crate::types::TypeSpec;

/// Upstream's messaging patterns as JS names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
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

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigArgs {
    #[serde(default)]
    config: ConfigSpec,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ServiceArgs {
    name: String,
    pattern: PatternName,
    #[serde(default)]
    config: ConfigSpec,
}

/// A node as `Node::list` sees it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    /// `alive`, `dead` (its process is gone, its resources stay until cleaned up),
    /// `inaccessible` (no permission to tell) or `undefined` (inconsistent resources).
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

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MessageTypes {
    payload: TypeSpec,
    user_header: TypeSpec,
}

/// The pattern-specific part of a service's static configuration.
#[derive(Debug, Serialize)]
#[serde(tag = "pattern", rename_all = "camelCase")]
enum PatternDetails {
    #[serde(rename_all = "camelCase")]
    PublishSubscribe {
        payload: TypeSpec,
        user_header: TypeSpec,
        qos: PubSubQos,
    },
    Event {
        qos: EventQos,
    },
    RequestResponse {
        request: MessageTypes,
        response: MessageTypes,
        qos: RequestResponseQos,
    },
    #[serde(rename_all = "camelCase")]
    Blackboard {
        key_type: TypeSpec,
        qos: BlackboardQos,
    },
}

/// One service as `Service::list` and `Service::details` see it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ServiceInfo {
    name: String,
    /// The service's hash: unique per name and pattern, the same in every process.
    id: String,
    attributes: Vec<KeyValue>,
    #[serde(flatten)]
    details: PatternDetails,
    /// The nodes that opened the service; `null` when they cannot be read.
    nodes: Option<Vec<NodeInfo>>,
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
        attributes: to_list(config.attributes()),
        details: pattern_details(config)?,
        nodes: details
            .dynamic_details
            .as_ref()
            .map(|d| d.nodes.iter().map(node_info).collect()),
    })
}

/// Every service under the config's prefix and root path.
fn list_services(args: &str) -> Result<String> {
    let args: ConfigArgs = parse_json(args, "service list")?;
    let config = args.config.build()?;
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
        None => to_json(&services),
    }
}

fn details_of(args: &str) -> Result<Option<ServiceDetails<Ipc>>> {
    let args: ServiceArgs = parse_json(args, "service details")?;
    let name = service_name(&args.name)?;
    let config = args.config.build()?;
    Ipc::details(&name, &config, args.pattern.into()).map_err(|e| {
        e.into_error(&format!(
            "cannot read the details of service {:?}",
            args.name
        ))
    })
}

/// The service `name` with messaging pattern `pattern`, or `null`.
fn service_details(args: &str) -> Result<String> {
    match details_of(args)? {
        Some(details) => to_json(&service_info(&details)?),
        None => to_json(&()),
    }
}

fn does_exist(args: &str) -> Result<String> {
    to_json(&details_of(args)?.is_some())
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
fn list_nodes(args: &str) -> Result<String> {
    let args: ConfigArgs = parse_json(args, "node list")?;
    let nodes = list_node_states(&args.config)?;
    to_json(&nodes.iter().map(node_info).collect::<Vec<_>>())
}

#[derive(Debug, Serialize)]
struct CleanupReport {
    /// Dead nodes whose stale resources this call removed.
    removed: Vec<NodeInfo>,
    /// Dead nodes that could not be cleaned up, with iceoryx2's reason.
    failed: Vec<CleanupFailure>,
}

#[derive(Debug, Serialize)]
struct CleanupFailure {
    node: NodeInfo,
    reason: String,
}

/// Removes the stale resources of every dead node under the config (upstream's
/// `DeadNodeView::try_remove_stale_resources` for each dead node `Node::list` reports).
fn cleanup_dead_nodes(args: &str) -> Result<String> {
    let args: ConfigArgs = parse_json(args, "dead-node cleanup")?;
    let mut report = CleanupReport {
        removed: Vec::new(),
        failed: Vec::new(),
    };
    for state in list_node_states(&args.config)? {
        let info = node_info(&state);
        if let NodeState::Dead(view) = state {
            match view.try_remove_stale_resources() {
                Ok(()) => report.removed.push(info),
                Err(e) => report.failed.push(CleanupFailure {
                    node: info,
                    reason: format!("{} (iceoryx2: {e:?})", crate::error::Explain::explain(&e)),
                }),
            }
        }
    }
    to_json(&report)
}

/// The config a node would get from a [`ConfigSpec`], as JSON, with `source`: the file it was
/// loaded from (`null` for built-in defaults).
fn resolve_config(spec: &str) -> Result<String> {
    let spec: ConfigSpec = parse_json(spec, "config")?;
    let (config, source) = spec.resolve()?;
    let mut json = config_to_json(&config)?;
    if let serde_json::Value::Object(map) = &mut json {
        map.insert("source".into(), source.into());
    }
    to_json(&json)
}

pub(crate) const OPS: OpTable = OpTable {
    call: &[],
    memory: &[],
    send_copy: &[],
    control: &[
        ("discovery.listServices", |_, args| list_services(args)),
        ("discovery.serviceDetails", |_, args| service_details(args)),
        ("discovery.doesExist", |_, args| does_exist(args)),
        ("discovery.listNodes", |_, args| list_nodes(args)),
        ("discovery.cleanupDeadNodes", |_, args| {
            cleanup_dead_nodes(args)
        }),
        ("config.resolve", |_, spec| resolve_config(spec)),
        ("node.id", |node, _| {
            with_node(handles::from_f64(node)?, |node| {
                to_json(&node.id().to_string())
            })
        }),
        ("node.config", |node, _| {
            with_node(handles::from_f64(node)?, |node| {
                to_json(&config_to_json(node.config())?)
            })
        }),
    ],
};
