//! Publishers: creating them, loaning samples, sending them (in place or copied), and their ids and
//! connections.

use super::*;

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
    /// How long a send may retry one receiver whose buffer stays full before it gives up on
    /// that receiver (`UnableToDeliver`); absent: 1000 ms, `null`: without bound (upstream).
    #[serde(default, deserialize_with = "crate::pattern::nullable")]
    #[ts(type = "number | null", optional)]
    pub send_timeout_ms: Option<Option<f64>>,
    /// How many samples the data segment holds, instead of iceoryx2's worst case (upstream's
    /// `override_sample_preallocation`; it takes at most that worst case).
    pub sample_preallocation: Option<usize>,
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

pub fn publisher_create(service_handle: Handle, spec: PublisherSpec) -> Result<Handle> {
    check_count(spec.max_loaned_samples, "maxLoanedSamples")?;
    check_count(spec.sample_preallocation, "samplePreallocation")?;
    check_count(spec.initial_max_slice_len, "initialMaxSliceLen")?;
    // The service first, so a handle of another kind is reported as such.
    with_service(service_handle, |_, _| Ok(()))?;
    let defaults = node_defaults(service_handle)?;
    let port_name = crate::pattern::port_name(spec.name.as_deref())?;
    let events = crate::port_events::queue_of(spec.events)?;
    let retry = crate::sending::retry_policy(
        spec.backpressure.as_ref(),
        defaults.publish_subscribe.backpressure_strategy,
        spec.send_timeout_ms,
    )?;
    let (publisher, types) = with_service(service_handle, |factory, types| {
        check_publisher_segment(factory, types, &spec, &defaults.publish_subscribe)?;
        crate::capacities::check_publish_subscribe_ports(factory)?;
        let max_publishers = factory.static_config().max_publishers();
        let create = || {
            let mut builder = factory.publisher_builder();
            if let Some(v) = spec.max_loaned_samples {
                builder = builder.max_loaned_samples(v);
            }
            if let Some(samples) = spec.sample_preallocation {
                builder = builder.override_sample_preallocation(move |_| samples);
            }
            if let Some(handler) =
                crate::port_events::degradation_handler(spec.degradation, events.as_ref())
            {
                builder = builder.set_degradation_handler(handler);
            }
            let builder =
                with_sending_options!(builder, spec, retry, port_name.as_ref(), events.as_ref());
            builder.create().map_err(|e| {
                use iceoryx2::port::publisher::PublisherCreateError as E;
                e.into_error_with("cannot create publisher", |e| match e {
                    E::ExceedsMaxSupportedPublishers => Some(format!(
                        "the service's maxPublishers is {max_publishers} and that many publishers \
                         exist already (those of crashed processes count until \
                         Node.cleanupDeadNodes() removes them); close one, or create the service \
                         with a larger maxPublishers"
                    )),
                    _ => None,
                })
            })
        };
        let publishers = port_list!(
            factory,
            "publisher",
            max_publishers,
            number_of_publishers,
            list_publishers
        );
        let publisher = create_port(publishers, create)?;
        Ok((publisher, types.clone()))
    })?;
    crate::shm_guard::reserve_data_segment(publisher.id().value(), "publisher")?;
    handles::insert(Object::Publisher(publisher, types), Some(service_handle))
}

pub(super) fn sample_mut_memory(
    sample: &mut RawSampleMut,
    types: &MessageTypes,
) -> Result<SampleMemory> {
    let user_header = sample.user_header_mut() as *mut _ as *const u8;
    let payload = sample.payload_mut();
    SampleMemory::new(
        user_header,
        types.user_header.size,
        payload.as_ptr().cast(),
        payload.len(),
    )
}

pub(super) fn loan_raw(
    publisher_handle: Handle,
    elements: usize,
) -> Result<(Box<RawSampleMut>, Types)> {
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
    loan_into(publisher_handle, publisher_handle, elements, zeroed)
}

/// As [`publisher_loan`], the sample a child of `parent` (the publisher, or a send batch of it).
pub(super) fn loan_into(
    publisher_handle: Handle,
    parent: Handle,
    elements: usize,
    zeroed: bool,
) -> Result<(Handle, SampleMemory)> {
    let (mut sample, types) = loan_raw(publisher_handle, elements)?;
    let memory = sample_mut_memory(&mut sample, &types)?;
    if zeroed {
        // SAFETY: `memory` spans the sample just loaned, which this thread owns exclusively.
        unsafe { zero(&memory) };
    }
    let handle = handles::insert(Object::SampleMut(sample), Some(parent))?;
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

/// The publisher's system-wide unique id, as upstream prints it (hexadecimal).
pub fn publisher_id(publisher: Handle) -> Result<String> {
    handles::with(publisher, |object| match object {
        Object::Publisher(port, _) => Ok(port.id().to_string()),
        other => Err(wrong_kind(publisher, "Publisher", other)),
    })
}

/// The publisher's settings (upstream's getters).
pub fn publisher_settings(publisher: Handle) -> Result<crate::sending::SendingPortSettings> {
    use crate::sending::{allocation_strategy_name, backpressure_name};
    handles::with(publisher, |object| match object {
        Object::Publisher(port, _) => Ok(crate::sending::SendingPortSettings {
            initial_max_slice_len: port.initial_max_slice_len(),
            backpressure_strategy: backpressure_name(port.backpressure_strategy()),
            allocation_strategy: Some(allocation_strategy_name(port.allocation_strategy())),
            max_loaned_samples: Some(port.max_loaned_samples()),
            max_active_requests: None,
        }),
        other => Err(wrong_kind(publisher, "Publisher", other)),
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
