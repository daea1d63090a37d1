//! Publish-subscribe: services, publishers, subscribers and their samples.

use iceoryx2::prelude::*;
use iceoryx2::service::marker::CustomPayloadMarker;
use iceoryx2::service::service_name::ServiceName;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::capacities::{create_port, port_list};
use crate::error::{Classify, Error, ErrorKind, Result};
use crate::flatbuffer::{is_flatbuffer, FlatbufferSpec};
use crate::handles::{self, wrong_kind, Handle};
use crate::limits::{self, check_count, check_count_from_zero, effective, DataSegment};
use crate::node::{node_defaults, with_node};
use crate::objects::{Object, RawSample, RawSampleMut, SampleMemory};
use crate::pattern::{port_name, service_name, OpenMode};
use crate::pattern_tag::PatternTag;
use crate::sending::{
    allocation_strategy, check_elements, elements_of_copy, fill, loan_checked, loaned_elements,
    with_sending_options, zero, AllocationStrategyName, BackpressureName, Loan, Message,
};
use crate::types::{chunk_bytes, MessageTypes, SystemHeader, TypeSpec, Types, Variant};

mod batch;
mod publisher;
mod subscriber;

pub use batch::*;
pub use publisher::*;
pub use subscriber::*;

/// Quality of service of a publish-subscribe service (upstream's names). The setters of
/// `PublishSubscribeServiceBuilder` explain each value and its default. When creating, unset
/// values take the config's defaults; when opening, set values are requirements.
#[derive(Debug, Default, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields, rename = "PublishSubscribeQos")]
pub struct PubSubQos {
    /// Samples kept for subscribers that join late.
    pub history_size: Option<usize>,
    /// Samples a subscriber can queue.
    pub subscriber_max_buffer_size: Option<usize>,
    /// Samples a subscriber can hold at once (received, not yet released).
    pub subscriber_max_borrowed_samples: Option<usize>,
    /// The most publishers the service supports at once.
    pub max_publishers: Option<usize>,
    /// The most subscribers the service supports at once.
    pub max_subscribers: Option<usize>,
    /// The most nodes that may have the service open at once.
    pub max_nodes: Option<usize>,
    /// When a subscriber's buffer is full, replace its oldest sample instead of failing delivery.
    pub enable_safe_overflow: Option<bool>,
}

impl PubSubQos {
    /// The QoS a service was created with, every value set.
    pub(crate) fn of(
        config: &iceoryx2::service::static_config::publish_subscribe::StaticConfig,
    ) -> Self {
        Self {
            history_size: Some(config.history_size()),
            subscriber_max_buffer_size: Some(config.subscriber_max_buffer_size()),
            subscriber_max_borrowed_samples: Some(config.subscriber_max_borrowed_samples()),
            max_publishers: Some(config.max_publishers()),
            max_subscribers: Some(config.max_subscribers()),
            max_nodes: Some(config.max_nodes()),
            enable_safe_overflow: Some(config.has_safe_overflow()),
        }
    }
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct PubSubServiceSpec {
    pub name: String,
    pub mode: OpenMode,
    pub payload: TypeSpec,
    pub user_header: Option<TypeSpec>,
    #[serde(default)]
    #[ts(as = "Option<PubSubQos>")]
    pub qos: PubSubQos,
    /// Upstream's `payload_alignment`: at least this alignment for every payload (a power of two).
    #[serde(default)]
    pub payload_alignment: Option<usize>,
    /// The flatbuffer a payload of type `iox2::Flatbuffer` carries.
    #[serde(default)]
    pub flatbuffer: Option<FlatbufferSpec>,
    #[serde(default)]
    #[ts(as = "Option<crate::attributes::AttributesSpec>")]
    pub attributes: crate::attributes::AttributesSpec,
}

/// What `service_info` reports about an open publish-subscribe service.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PubSubServiceInfo {
    pub name: String,
    /// The service's hash and this incarnation's unique id.
    #[serde(flatten)]
    #[ts(flatten)]
    pub identity: crate::pattern::ServiceIdentity,
    pub payload: TypeSpec,
    pub user_header: TypeSpec,
    /// Every value set.
    #[ts(type = "Required<PublishSubscribeQos>")]
    pub qos: PubSubQos,
    pub attributes: Vec<crate::attributes::KeyValue>,
}

/// Creating a service whose counts leave no publisher room within the limits fails here, naming
/// the counts, rather than at every publisher. Unset counts are the node config's defaults.
fn check_creatable(
    qos: &PubSubQos,
    defaults: &iceoryx2::config::PublishSubscribe,
    types: &MessageTypes,
) -> Result<()> {
    let key = |name: &str| format!("publishSubscribe.{name}");
    effective(
        qos.max_publishers,
        "maxPublishers",
        defaults.max_publishers,
        &key("maxPublishers"),
    )?;
    effective(
        qos.max_nodes,
        "maxNodes",
        defaults.max_nodes,
        &key("maxNodes"),
    )?;
    let subscribers = effective(
        qos.max_subscribers,
        "maxSubscribers",
        defaults.max_subscribers,
        &key("maxSubscribers"),
    )?;
    let buffer = effective(
        qos.subscriber_max_buffer_size,
        "subscriberMaxBufferSize",
        defaults.subscriber_max_buffer_size,
        &key("subscriberMaxBufferSize"),
    )?;
    let borrowed = effective(
        qos.subscriber_max_borrowed_samples,
        "subscriberMaxBorrowedSamples",
        defaults.subscriber_max_borrowed_samples,
        &key("subscriberMaxBorrowedSamples"),
    )?;
    let history = effective(
        qos.history_size,
        "historySize",
        defaults.publisher_history_size,
        &key("publisherHistorySize"),
    )?;
    let (formula, chunks) = limits::publisher_chunks(subscribers, buffer, borrowed, history, 1);
    DataSegment {
        owner: "the data segment of every publisher (with a single loan)",
        formula,
        chunks,
        chunk_bytes: chunk_bytes(SystemHeader::Sample, types, 1)?,
        segments: 1,
        channels: 1,
        preallocation: None,
    }
    .check()
}

/// The data segment this publisher would preallocate, checked before iceoryx2 allocates it.
fn check_publisher_segment(
    factory: &crate::objects::PubSubFactory,
    types: &MessageTypes,
    spec: &PublisherSpec,
    defaults: &iceoryx2::config::PublishSubscribe,
) -> Result<()> {
    let config = factory.static_config();
    let loans = effective(
        spec.max_loaned_samples,
        "maxLoanedSamples",
        defaults.publisher_max_loaned_samples,
        "publishSubscribe.publisherMaxLoanedSamples",
    )?;
    let strategy = spec
        .allocation_strategy
        .as_ref()
        .map_or(defaults.publisher_allocation_strategy, allocation_strategy);
    let (formula, chunks) = limits::preallocated(
        limits::publisher_chunks(
            config.max_subscribers(),
            config.subscriber_max_buffer_size(),
            config.subscriber_max_borrowed_samples(),
            config.history_size(),
            loans,
        ),
        spec.sample_preallocation,
        "samplePreallocation",
    );
    DataSegment {
        owner: "the publisher's data segment",
        formula,
        chunks,
        chunk_bytes: chunk_bytes(
            SystemHeader::Sample,
            types,
            spec.initial_max_slice_len.unwrap_or(1),
        )?,
        segments: limits::segments_of(strategy),
        channels: 1,
        preallocation: Some("samplePreallocation"),
    }
    .check()
}

/// Opens and/or creates a publish-subscribe service from JSON-encoded [`PubSubServiceSpec`].
pub fn service_open(node_handle: Handle, spec: PubSubServiceSpec) -> Result<Handle> {
    let name = service_name(&spec.name)?;
    let types = Types::new(MessageTypes {
        payload: spec.payload.clone(),
        user_header: spec.user_header.clone().unwrap_or_else(TypeSpec::unit),
    });
    let payload = types.payload.to_detail("payload")?;
    let user_header = types.user_header.to_detail("user header")?;
    if types.user_header.variant == Variant::Dynamic {
        return Err(Error::invalid_argument("a user header cannot be a slice"));
    }
    let qos = &spec.qos;
    check_count(qos.max_publishers, "maxPublishers")?;
    check_count(qos.max_subscribers, "maxSubscribers")?;
    check_count(qos.max_nodes, "maxNodes")?;
    check_count(qos.subscriber_max_buffer_size, "subscriberMaxBufferSize")?;
    check_count(
        qos.subscriber_max_borrowed_samples,
        "subscriberMaxBorrowedSamples",
    )?;
    check_count_from_zero(qos.history_size, "historySize")?;

    let payload_alignment = crate::types::alignment(spec.payload_alignment, "payloadAlignment")?;
    let schema = FlatbufferSpec::resolve(spec.flatbuffer.as_ref(), &types.payload, "payload")?;
    let pattern = MessagingPattern::PublishSubscribe;
    let factory = with_node(node_handle, &name, pattern, |node| {
        if spec.mode != OpenMode::Open {
            check_creatable(qos, &node.config().defaults.publish_subscribe, &types)?;
        }
        let build = || {
            let builder = node
                .service_builder(&name)
                .publish_subscribe::<[CustomPayloadMarker]>();
            let builder = builder.user_header::<iceoryx2::service::marker::CustomHeaderMarker>();
            // SAFETY: the type details describe the memory JS reads and writes; JS views are sized
            // from these same details, never from the marker types.
            let mut builder = unsafe {
                builder
                    .__internal_set_payload_type_details(&payload)
                    .__internal_set_user_header_type_details(&user_header)
            };
            if let Some(alignment) = payload_alignment {
                builder = builder.payload_alignment(alignment);
            }
            if let Some((hint, file)) = &schema {
                builder = builder.__internal_type_definition_name_hint(hint);
                if let Some(file) = file {
                    // SAFETY: only a flatbuffer payload (checked above) reaches this; upstream's
                    // typed builder offers the same setter for `Flatbuffer<T>` payloads.
                    builder = unsafe { builder.__internal_flatbuffer_schema_path(file) };
                }
            }
            if let Some(v) = qos.history_size {
                builder = builder.history_size(v);
            }
            if let Some(v) = qos.subscriber_max_buffer_size {
                builder = builder.subscriber_max_buffer_size(v);
            }
            if let Some(v) = qos.subscriber_max_borrowed_samples {
                builder = builder.subscriber_max_borrowed_samples(v);
            }
            if let Some(v) = qos.max_publishers {
                builder = builder.max_publishers(v);
            }
            if let Some(v) = qos.max_subscribers {
                builder = builder.max_subscribers(v);
            }
            if let Some(v) = qos.max_nodes {
                builder = builder.max_nodes(v);
            }
            if let Some(v) = qos.enable_safe_overflow {
                builder = builder.enable_safe_overflow(v);
            }
            builder
        };
        let context = format!("publish-subscribe service '{}'", spec.name);
        let result = crate::attributes::open_service!(build, spec.mode, &spec.attributes, &context);
        result.map_err(|error| {
            let error = crate::pattern::explain_open_failure(error, node, &name, pattern);
            let error =
                crate::pattern::explain_incompatible_qos(error, &context, &spec.qos, || {
                    crate::pattern::existing_static_config(node, &name, pattern)
                        .map(|config| PubSubQos::of(config.publish_subscribe()))
                });
            explain_incompatible_types(error, node, &name, &types)
        })
    })?;
    let (factory, tag) = PatternTag::of_opened(factory, pattern, node_handle)?;
    handles::insert_service(
        Object::PubSubService(std::rc::Rc::new(factory), types),
        node_handle,
        tag,
    )
}

/// iceoryx2 only says "IncompatibleTypes"; name both sides so the user sees what differs.
fn explain_incompatible_types(
    error: Error,
    node: &iceoryx2::node::Node<crate::objects::Ipc>,
    name: &ServiceName,
    requested: &MessageTypes,
) -> Error {
    if error.kind != ErrorKind::IncompatibleTypes {
        return error;
    }
    let existing = <crate::objects::Ipc as iceoryx2::service::Service>::details(
        name,
        node.config(),
        MessagingPattern::PublishSubscribe,
    );
    let Ok(Some(details)) = existing else {
        return error;
    };
    let types = details
        .static_details
        .publish_subscribe()
        .message_type_details();
    let payload = TypeSpec::from_detail(&types.payload);
    let user_header = TypeSpec::from_detail(&types.user_header);
    let mut differences = Vec::new();
    if payload != requested.payload {
        differences.push(format!(
            "payload: the service has {}, requested {}",
            payload.describe(),
            requested.payload.describe()
        ));
    }
    if user_header != requested.user_header {
        differences.push(format!(
            "user header: the service has {}, requested {}",
            user_header.describe(),
            requested.user_header.describe()
        ));
    }
    if differences.is_empty() {
        return if crate::flatbuffer::is_flatbuffer(&payload) {
            crate::pattern::incompatible_schema(name)
        } else {
            error
        };
    }
    crate::pattern::incompatible_types(name, &differences)
}

/// The static configuration of an open service, JSON-encoded [`PubSubServiceInfo`].
pub fn service_info(handle: Handle) -> Result<PubSubServiceInfo> {
    handles::with(handle, |object| match object {
        Object::PubSubService(factory, _) => {
            let config = factory.static_config();
            let types = config.message_type_details();
            let info = PubSubServiceInfo {
                name: factory.name().as_str().to_string(),
                identity: crate::pattern::identity_of(&**factory),
                payload: TypeSpec::from_detail(&types.payload),
                user_header: TypeSpec::from_detail(&types.user_header),
                qos: PubSubQos::of(config),
                attributes: crate::attributes::to_list(iceoryx2::prelude::PortFactory::attributes(
                    &**factory,
                )),
            };
            Ok(info)
        }
        other => Err(wrong_kind(handle, "publish-subscribe Service", other)),
    })
}

fn with_service<T>(
    handle: Handle,
    f: impl FnOnce(&std::rc::Rc<crate::objects::PubSubFactory>, &Types) -> Result<T>,
) -> Result<T> {
    handles::with(handle, |object| match object {
        Object::PubSubService(factory, types) => f(factory, types),
        other => Err(wrong_kind(handle, "publish-subscribe Service", other)),
    })
}

/// A publisher of a service as its dynamic config lists it (upstream's `PublisherDetails`).
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PublisherInfo {
    /// The publisher's id (hexadecimal, as `Publisher.id`).
    pub id: String,
    /// Its port name ("" for none).
    pub name: String,
    /// The id of its node (hexadecimal).
    pub node_id: String,
    /// Samples its data segment holds.
    pub number_of_samples: usize,
    /// The longest slice it can loan now.
    pub max_slice_len: usize,
}

/// A subscriber of a service as its dynamic config lists it (upstream's `SubscriberDetails`).
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SubscriberInfo {
    /// The subscriber's id (hexadecimal, as `Subscriber.id`).
    pub id: String,
    /// Its port name ("" for none).
    pub name: String,
    /// The id of its node (hexadecimal).
    pub node_id: String,
    /// Samples it can queue.
    pub buffer_size: usize,
    /// Past samples it asked for when it connected.
    pub history_request: usize,
}

/// The ports a publish-subscribe service has now, in every process.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PubSubPorts {
    /// Every publisher.
    pub publishers: Vec<PublisherInfo>,
    /// Every subscriber.
    pub subscribers: Vec<SubscriberInfo>,
}

/// Every publisher and subscriber of the service, from its dynamic config.
pub fn service_ports(service: Handle) -> Result<PubSubPorts> {
    handles::with(service, |object| match object {
        Object::PubSubService(factory, _) => {
            let config = factory.dynamic_config();
            Ok(PubSubPorts {
                publishers: crate::pattern::listed(
                    |f| config.list_publishers(f),
                    |p| PublisherInfo {
                        id: p.publisher_id.to_string(),
                        name: p.publisher_name.as_str().to_string(),
                        node_id: p.node_id.to_string(),
                        number_of_samples: p.number_of_samples,
                        max_slice_len: p.max_slice_len,
                    },
                ),
                subscribers: crate::pattern::listed(
                    |f| config.list_subscribers(f),
                    |s| SubscriberInfo {
                        id: s.subscriber_id.to_string(),
                        name: s.subscriber_name.as_str().to_string(),
                        node_id: s.node_id.to_string(),
                        buffer_size: s.buffer_size,
                        history_request: s.history_request,
                    },
                ),
            })
        }
        other => Err(wrong_kind(service, "publish-subscribe Service", other)),
    })
}
