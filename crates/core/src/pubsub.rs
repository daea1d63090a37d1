//! Publish-subscribe: services, publishers, subscribers and their samples.

use iceoryx2::prelude::*;
use iceoryx2::service::marker::CustomPayloadMarker;
use iceoryx2::service::service_name::ServiceName;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Classify, Error, ErrorKind, Result};
use crate::flatbuffer::{is_flatbuffer, FlatbufferSpec};
use crate::handles::{self, wrong_kind, Handle};
use crate::limits::{self, check_count, check_count_from_zero, effective, DataSegment};
use crate::node::{node_defaults, with_node};
use crate::objects::{Object, RawSample, RawSampleMut, SampleMemory};
use crate::pattern::{service_name, OpenMode};
use crate::sending::{
    allocation_strategy, check_elements, elements_of_copy, fill, loan_checked, loaned_elements,
    with_sending_options, zero, AllocationStrategyName, BackpressureName, Loan, Message,
};
use crate::types::{chunk_bytes, MessageTypes, SystemHeader, TypeSpec, Types, Variant};

/// Quality of service of a publish-subscribe service. When creating, unset values take the
/// config's defaults; when opening, set values are minimum requirements.
#[derive(Debug, Default, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct PubSubQos {
    pub history_size: Option<usize>,
    pub subscriber_max_buffer_size: Option<usize>,
    pub subscriber_max_borrowed_samples: Option<usize>,
    pub max_publishers: Option<usize>,
    pub max_subscribers: Option<usize>,
    pub max_nodes: Option<usize>,
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
    pub payload: TypeSpec,
    pub user_header: TypeSpec,
    /// Every value set.
    #[ts(type = "Required<PubSubQos>")]
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
    let (formula, chunks) = limits::publisher_chunks(
        config.max_subscribers(),
        config.subscriber_max_buffer_size(),
        config.subscriber_max_borrowed_samples(),
        config.history_size(),
        loans,
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
    let factory = with_node(node_handle, |node| {
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
            let pattern = MessagingPattern::PublishSubscribe;
            let error = crate::pattern::explain_not_found(error, node, &name, pattern);
            let error =
                crate::pattern::explain_incompatible_qos(error, &context, &spec.qos, || {
                    crate::pattern::existing_static_config(node, &name, pattern)
                        .map(|config| PubSubQos::of(config.publish_subscribe()))
                });
            explain_incompatible_types(error, node, &name, &types)
        })
    })?;
    handles::insert(Object::PubSubService(factory, types), Some(node_handle))
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
                payload: TypeSpec::from_detail(&types.payload),
                user_header: TypeSpec::from_detail(&types.user_header),
                qos: PubSubQos::of(config),
                attributes: crate::attributes::to_list(iceoryx2::prelude::PortFactory::attributes(
                    factory,
                )),
            };
            Ok(info)
        }
        other => Err(wrong_kind(handle, "publish-subscribe Service", other)),
    })
}

#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct PublisherSpec {
    pub max_loaned_samples: Option<usize>,
    /// For slice payloads: the number of elements the first data segment is sized for.
    pub initial_max_slice_len: Option<usize>,
    /// For slice payloads: how the data segment grows when a loan exceeds it.
    pub allocation_strategy: Option<AllocationStrategyName>,
    pub backpressure: Option<BackpressureName>,
}

fn with_service<T>(
    handle: Handle,
    f: impl FnOnce(&crate::objects::PubSubFactory, &Types) -> Result<T>,
) -> Result<T> {
    handles::with(handle, |object| match object {
        Object::PubSubService(factory, types) => f(factory, types),
        other => Err(wrong_kind(handle, "publish-subscribe Service", other)),
    })
}

pub fn publisher_create(service_handle: Handle, spec: PublisherSpec) -> Result<Handle> {
    check_count(spec.max_loaned_samples, "maxLoanedSamples")?;
    check_count(spec.initial_max_slice_len, "initialMaxSliceLen")?;
    // The service first, so a handle of another kind is reported as such.
    with_service(service_handle, |_, _| Ok(()))?;
    let defaults = node_defaults(service_handle)?;
    let (publisher, types) = with_service(service_handle, |factory, types| {
        check_publisher_segment(factory, types, &spec, &defaults.publish_subscribe)?;
        let mut builder = factory.publisher_builder();
        if let Some(v) = spec.max_loaned_samples {
            builder = builder.max_loaned_samples(v);
        }
        let builder = with_sending_options!(builder, spec);
        let publisher = builder.create().map_err(|e| {
            use iceoryx2::port::publisher::PublisherCreateError as E;
            e.into_error_with("cannot create publisher", |e| match e {
                E::ExceedsMaxSupportedPublishers => Some(format!(
                    "the service's maxPublishers is {} and that many publishers exist already \
                     (those of crashed processes count until Node.cleanupDeadNodes() removes \
                     them); close one, or create the service with a larger maxPublishers",
                    factory.static_config().max_publishers()
                )),
                _ => None,
            })
        })?;
        Ok((publisher, types.clone()))
    })?;
    handles::insert(Object::Publisher(publisher, types), Some(service_handle))
}

#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct SubscriberSpec {
    pub buffer_size: Option<usize>,
    /// How many past samples a late-joining subscriber asks for (up to the service's history size).
    pub history_request: Option<usize>,
}

pub fn subscriber_create(service_handle: Handle, spec: SubscriberSpec) -> Result<Handle> {
    let (subscriber, types) = with_service(service_handle, |factory, types| {
        let mut builder = factory.subscriber_builder();
        match check_count(spec.buffer_size, "bufferSize")? {
            Some(v) => builder = builder.buffer_size(v),
            // The buffer then is the service's maximum, which another process may have set.
            None => {
                limits::check_inherited(
                    factory.static_config().subscriber_max_buffer_size(),
                    "bufferSize",
                    "the service's subscriberMaxBufferSize",
                )?;
            }
        }
        if let Some(v) = check_count_from_zero(spec.history_request, "historyRequest")? {
            builder = builder.history_request(v);
        }
        let subscriber = builder.create().map_err(|e| {
            use iceoryx2::port::subscriber::SubscriberCreateError as E;
            let config = factory.static_config();
            let buffer = spec
                .buffer_size
                .unwrap_or(config.subscriber_max_buffer_size());
            let history = spec.history_request.unwrap_or(0);
            e.into_error_with("cannot create subscriber", |e| match e {
                E::ExceedsMaxSupportedSubscribers => Some(format!(
                    "the service's maxSubscribers is {} and that many subscribers exist \
                     already (those of crashed processes count until Node.cleanupDeadNodes() \
                     removes them); close one, or create the service with a larger \
                     maxSubscribers",
                    config.max_subscribers()
                )),
                E::BufferSizeExceedsMaxSupportedBufferSizeOfService => Some(format!(
                    "bufferSize {buffer} exceeds the service's subscriberMaxBufferSize {max}; \
                     ask for at most {max}, or create the service with a larger \
                     subscriberMaxBufferSize",
                    max = config.subscriber_max_buffer_size()
                )),
                E::HistoryRequestExceedsHistorySizeOfService => Some(format!(
                    "historyRequest {history} exceeds the service's historySize {max}; ask for \
                     at most {max}, or create the service with a larger historySize",
                    max = config.history_size()
                )),
                E::HistoryRequestExceedsBufferSizeOfSubscriber => Some(format!(
                    "historyRequest {history} exceeds the subscriber's buffer size {buffer}, \
                     which could not hold that much history; ask for at most {buffer}, or a \
                     larger bufferSize"
                )),
                _ => None,
            })
        })?;
        Ok((subscriber, types.clone()))
    })?;
    handles::insert(Object::Subscriber(subscriber, types), Some(service_handle))
}

fn sample_mut_memory(sample: &mut RawSampleMut, types: &MessageTypes) -> Result<SampleMemory> {
    let user_header = sample.user_header_mut() as *mut _ as *const u8;
    let payload = sample.payload_mut();
    SampleMemory::new(
        user_header,
        types.user_header.size,
        payload.as_ptr().cast(),
        payload.len(),
    )
}

fn loan_raw(publisher_handle: Handle, elements: usize) -> Result<(Box<RawSampleMut>, Types)> {
    let loan = |growth_checked: bool| {
        handles::with(publisher_handle, |object| match object {
            Object::Publisher(publisher, types) => {
                let elements = check_elements(types, elements, Message::Sample)?;
                let loaned = loaned_elements(types, elements);
                // Beyond the initial slice length a growing publisher maps a bigger segment
                // (a static one refuses the loan itself).
                if !growth_checked
                    && elements > publisher.initial_max_slice_len()
                    && publisher.allocation_strategy() != AllocationStrategy::Static
                {
                    return Ok(Loan::Grows((publisher.id(), types.clone())));
                }
                // SAFETY: `loaned` is 1 for fixed-size payloads (checked above), as
                // loan_custom_payload requires; the header's element count is set by iceoryx2.
                let sample = unsafe { publisher.loan_custom_payload(loaned) }.map_err(|e| {
                    use iceoryx2::port::LoanError;
                    e.into_error_with("cannot loan a sample", |e| match e {
                        LoanError::ExceedsMaxLoans => Some(format!(
                            "this publisher's maxLoanedSamples is {} and it holds that many \
                             loans already; send or release one first, or create the publisher \
                             with a larger maxLoanedSamples",
                            publisher.max_loaned_samples()
                        )),
                        LoanError::ExceedsMaxLoanSize => Some(format!(
                            "a slice of {elements} elements is longer than this publisher's \
                             initialMaxSliceLen {max}, and with allocationStrategy 'static' its \
                             memory cannot grow; loan at most {max} elements, or create the \
                             publisher with a larger initialMaxSliceLen, or allocationStrategy \
                             'bestFit' or 'powerOfTwo'",
                            max = publisher.initial_max_slice_len()
                        )),
                        _ => None,
                    })
                })?;
                // Boxed at once: the sample then moves as a pointer into the handle table.
                Ok(Loan::Made((Box::new(sample), types.clone())))
            }
            other => Err(wrong_kind(publisher_handle, "Publisher", other)),
        })
    };
    loan_checked(loan, |(id, types)| {
        let chunk_bytes = chunk_bytes(SystemHeader::Sample, &types, elements)?;
        let service = handles::parent(publisher_handle)?.ok_or_else(|| {
            Error::new(
                ErrorKind::InternalFailure,
                "a publisher without its service",
            )
        })?;
        let chunks = with_service(service, |factory, _| {
            let mut chunks = None;
            factory.dynamic_config().list_publishers(|details| {
                if details.publisher_id != id {
                    return CallbackProgression::Continue;
                }
                chunks = Some(details.number_of_samples);
                CallbackProgression::Stop
            });
            chunks.ok_or_else(|| {
                Error::new(
                    ErrorKind::InternalFailure,
                    "the publisher is missing from its service's dynamic config",
                )
            })
        })?;
        limits::check_growth("publisher", chunks, chunk_bytes, elements)
    })
}

/// Loans a sample of `elements` payload elements (1 unless the payload is a slice). With
/// `zeroed`, user header and payload start as zero bytes; otherwise they hold whatever the
/// chunk held before.
pub fn publisher_loan(
    publisher_handle: Handle,
    elements: usize,
    zeroed: bool,
) -> Result<(Handle, SampleMemory)> {
    let (mut sample, types) = loan_raw(publisher_handle, elements)?;
    let memory = sample_mut_memory(&mut sample, &types)?;
    if zeroed {
        // SAFETY: `memory` spans the sample just loaned, which this thread owns exclusively.
        unsafe { zero(&memory) };
    }
    let handle = handles::insert(Object::SampleMut(sample), Some(publisher_handle))?;
    Ok((handle, memory))
}

/// Sends a loaned sample; returns the number of subscribers it reached. The sample's handle is
/// closed whether or not sending succeeds (as in iceoryx2, a sample is consumed by `send`).
pub fn sample_send(sample_handle: Handle) -> Result<usize> {
    match handles::take(sample_handle)? {
        Object::SampleMut(sample) => {
            // SAFETY: the payload was handed out either zeroed or for JS to fill; every byte
            // pattern is a valid value of the plain-data types JS layouts describe.
            let sample = unsafe { (*sample).assume_init() };
            sample
                .send()
                .map_err(|e| e.into_error("cannot send sample"))
        }
        Object::Sample(_) => Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("handle {sample_handle} is a received Sample; only loaned samples can be sent"),
        )),
        other => Err(wrong_kind(sample_handle, "SampleMut", &other)),
    }
}

/// Loans, copies `payload` and `user_header` in, and sends, all in one native call. For a
/// flatbuffer payload, `payload` is the finished flatbuffer.
pub fn publisher_send_copy(
    publisher_handle: Handle,
    payload: &[u8],
    user_header: &[u8],
) -> Result<usize> {
    let (elements, flatbuffer) = handles::with(publisher_handle, |object| match object {
        Object::Publisher(_, types) => Ok((
            elements_of_copy(types, payload, user_header, Message::Sample)?,
            is_flatbuffer(&types.payload),
        )),
        other => Err(wrong_kind(publisher_handle, "Publisher", other)),
    })?;
    let (mut sample, types) = loan_raw(publisher_handle, elements)?;
    let memory = sample_mut_memory(&mut sample, &types)?;
    // SAFETY: `memory` spans the sample just loaned, which this thread owns exclusively; the
    // lengths were checked by `elements_of_copy` and the loan sized for them.
    unsafe {
        fill(&mut *sample, &memory, flatbuffer, payload, user_header)?;
        sample
            .assume_init()
            .send()
            .map_err(|e| e.into_error("cannot send sample"))
    }
}

fn sample_memory(sample: &RawSample, types: &MessageTypes) -> Result<SampleMemory> {
    let user_header = sample.user_header() as *const _ as *const u8;
    let (start, len) = crate::flatbuffer::received_payload(
        &types.payload,
        sample.payload(),
        sample.header().payload_offset(),
    )?;
    SampleMemory::new(user_header, types.user_header.size, start, len)
}

/// Takes the next sample, if any. Its memory is read-only: subscribers map the publisher's data
/// segment without write access.
pub fn subscriber_receive(subscriber_handle: Handle) -> Result<Option<(Handle, SampleMemory)>> {
    let received = handles::with(subscriber_handle, |object| match object {
        Object::Subscriber(subscriber, types) => {
            match subscriber.receive().map_err(|e| {
                e.into_error_with("cannot receive", |e| match e {
                    iceoryx2::port::ReceiveError::ExceedsMaxBorrows => Some(
                        "this subscriber already holds as many samples from each publisher as \
                         the service's subscriberMaxBorrowedSamples allows; release received \
                         samples before receiving more, or create the service with a larger \
                         subscriberMaxBorrowedSamples"
                            .into(),
                    ),
                    _ => None,
                })
            })? {
                Some(sample) => {
                    let memory = sample_memory(&sample, types)?;
                    Ok(Some((sample, memory)))
                }
                None => Ok(None),
            }
        }
        other => Err(wrong_kind(subscriber_handle, "Subscriber", other)),
    })?;
    match received {
        Some((sample, memory)) => {
            let handle = handles::insert(Object::Sample(sample), Some(subscriber_handle))?;
            Ok(Some((handle, memory)))
        }
        None => Ok(None),
    }
}

/// Whether samples wait in the subscriber's buffer.
pub fn subscriber_has_samples(subscriber_handle: Handle) -> Result<bool> {
    handles::with(subscriber_handle, |object| match object {
        Object::Subscriber(subscriber, _) => subscriber
            .has_samples()
            .map_err(|e| e.into_error("cannot check for samples")),
        other => Err(wrong_kind(subscriber_handle, "Subscriber", other)),
    })
}

/// The publisher's system-wide unique id, as upstream prints it (hexadecimal).
pub fn publisher_id(publisher: Handle) -> Result<String> {
    handles::with(publisher, |object| match object {
        Object::Publisher(port, _) => Ok(port.id().to_string()),
        other => Err(wrong_kind(publisher, "Publisher", other)),
    })
}

/// The subscriber's system-wide unique id, as upstream prints it (hexadecimal).
pub fn subscriber_id(subscriber: Handle) -> Result<String> {
    handles::with(subscriber, |object| match object {
        Object::Subscriber(port, _) => Ok(port.id().to_string()),
        other => Err(wrong_kind(subscriber, "Subscriber", other)),
    })
}

/// Connects a publisher to subscribers that appeared since its last send (delivering history).
pub fn publisher_update_connections(publisher_handle: Handle) -> Result<()> {
    use iceoryx2::port::update_connections::UpdateConnections;
    handles::with(publisher_handle, |object| match object {
        Object::Publisher(publisher, _) => publisher
            .update_connections()
            .map_err(|e| e.into_error("cannot update connections")),
        other => Err(wrong_kind(publisher_handle, "Publisher", other)),
    })
}
