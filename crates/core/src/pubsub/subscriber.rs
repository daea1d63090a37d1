//! Subscribers: creating them, receiving samples, and their ids.

use super::*;

#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct SubscriberSpec {
    pub buffer_size: Option<usize>,
    /// How many past samples a late-joining subscriber asks for (up to the service's history size).
    pub history_request: Option<usize>,
    /// The port's name (upstream's `PortName`, at most 64 bytes): peers see it in the
    /// service's port details; notifiers can address a listener by it.
    pub name: Option<String>,
    /// What the port does when a connection to a peer cannot be made or is corrupted
    /// (upstream's degradation handler's action); absent: `warn`, as upstream.
    pub degradation: Option<crate::port_events::DegradationActionName>,
    /// The port event stream (`portEvents.open`) its backpressure and degradation events go to.
    #[ts(type = "number", optional)]
    pub events: Option<Handle>,
}

pub fn subscriber_create(service_handle: Handle, spec: SubscriberSpec) -> Result<Handle> {
    let events = crate::port_events::queue_of(spec.events)?;
    let (subscriber, types, capacities) = with_service(service_handle, |factory, types| {
        let name = port_name(spec.name.as_deref())?;
        let buffer_size = check_count(spec.buffer_size, "bufferSize")?;
        if buffer_size.is_none() {
            // The buffer then is the service's maximum, which another process may have set.
            limits::check_inherited(
                factory.static_config().subscriber_max_buffer_size(),
                "bufferSize",
                "the service's subscriberMaxBufferSize",
            )?;
        }
        let history_request = check_count_from_zero(spec.history_request, "historyRequest")?;
        crate::capacities::check_publish_subscribe_ports(factory)?;
        let subscriber_error = |e: iceoryx2::port::subscriber::SubscriberCreateError| {
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
        };
        let create = || {
            let mut builder = factory.subscriber_builder();
            if let Some(handler) =
                crate::port_events::degradation_handler(spec.degradation, events.as_ref())
            {
                builder = builder.set_degradation_handler(handler);
            }
            if let Some(name) = &name {
                builder = builder.name(name);
            }
            if let Some(v) = buffer_size {
                builder = builder.buffer_size(v);
            }
            if let Some(v) = history_request {
                builder = builder.history_request(v);
            }
            builder.create().map_err(subscriber_error)
        };
        let subscribers = port_list!(
            factory,
            "subscriber",
            factory.static_config().max_subscribers(),
            number_of_subscribers,
            list_subscribers
        );
        let subscriber = create_port(subscribers, create)?;
        let capacities = Box::new(crate::capacities::of_publishers(factory.clone()));
        Ok((subscriber, types.clone(), capacities))
    })?;
    handles::insert(
        Object::Subscriber(subscriber, types, capacities),
        Some(service_handle),
    )
}

pub(super) fn sample_memory(sample: &RawSample, types: &MessageTypes) -> Result<SampleMemory> {
    let user_header = sample.user_header() as *const _ as *const u8;
    let (start, len) = crate::flatbuffer::received_payload(
        &types.payload,
        sample.header().number_of_elements(),
        sample.header().payload_offset(),
        || sample.payload(),
    )?;
    SampleMemory::new(user_header, types.user_header.size, start, len)
}

/// Takes the next sample, if any. Its memory is read-only: subscribers map the publisher's data
/// segment without write access.
pub fn subscriber_receive(subscriber_handle: Handle) -> Result<Option<(Handle, SampleMemory)>> {
    receive_into(subscriber_handle, subscriber_handle)
}

/// Takes the next sample of `subscriber_handle`, if any, as a child of `parent` (the subscriber,
/// or a receive batch of it).
pub(super) fn receive_into(
    subscriber_handle: Handle,
    parent: Handle,
) -> Result<Option<(Handle, SampleMemory)>> {
    let received = handles::with(subscriber_handle, |object| match object {
        Object::Subscriber(subscriber, types, capacities) => {
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
                // An inconsistent sample is dropped here, so it is released, never held.
                Some(sample) => {
                    let header = sample.header();
                    capacities.check(header.publisher_id(), header.number_of_elements())?;
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
            let handle = handles::insert(Object::Sample(sample), Some(parent))?;
            Ok(Some((handle, memory)))
        }
        None => Ok(None),
    }
}

/// Whether samples wait in the subscriber's buffer.
pub fn subscriber_has_samples(subscriber_handle: Handle) -> Result<bool> {
    handles::with(subscriber_handle, |object| match object {
        Object::Subscriber(subscriber, ..) => subscriber
            .has_samples()
            .map_err(|e| e.into_error("cannot check for samples")),
        other => Err(wrong_kind(subscriber_handle, "Subscriber", other)),
    })
}

/// The subscriber's system-wide unique id, as upstream prints it (hexadecimal).
pub fn subscriber_id(subscriber: Handle) -> Result<String> {
    handles::with(subscriber, |object| match object {
        Object::Subscriber(port, ..) => Ok(port.id().to_string()),
        other => Err(wrong_kind(subscriber, "Subscriber", other)),
    })
}

/// How many samples the subscriber queues (upstream's `buffer_size`).
pub fn subscriber_buffer_size(subscriber: Handle) -> Result<usize> {
    handles::with(subscriber, |object| match object {
        Object::Subscriber(port, ..) => Ok(port.buffer_size()),
        other => Err(wrong_kind(subscriber, "Subscriber", other)),
    })
}

/// Who sent a received sample: upstream's publish-subscribe header.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SampleHeader {
    /// The sending publisher's id, as upstream prints it (hexadecimal; `Publisher.id` there).
    pub publisher_id: String,
    /// The id of the sending publisher's node (hexadecimal; `Node.id` there).
    pub node_id: String,
    /// How many payload elements the sample carries (1 for a fixed-size payload).
    #[ts(type = "number")]
    pub number_of_elements: u64,
}

/// The header of received sample `sample`.
pub fn sample_header(sample: Handle) -> Result<SampleHeader> {
    handles::with(sample, |object| match object {
        Object::Sample(received) => {
            let header = received.header();
            Ok(SampleHeader {
                publisher_id: header.publisher_id().to_string(),
                node_id: header.node_id().to_string(),
                number_of_elements: header.number_of_elements(),
            })
        }
        other => Err(wrong_kind(sample, "Sample", other)),
    })
}

/// Connects the subscriber to publishers that appeared since (a receive does it as well).
pub fn subscriber_update_connections(subscriber: Handle) -> Result<()> {
    use iceoryx2::port::update_connections::UpdateConnections;
    handles::with(subscriber, |object| match object {
        Object::Subscriber(port, ..) => port
            .update_connections()
            .map_err(|e| e.into_error("cannot update connections")),
        other => Err(wrong_kind(subscriber, "Subscriber", other)),
    })
}
