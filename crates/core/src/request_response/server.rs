//! Servers: creating them, receiving requests as active requests, and loaning and sending responses
//! to them.

use super::*;

#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ServerSpec {
    /// Responses this server may have loaned at once per active request.
    pub max_loaned_responses_per_request: Option<usize>,
    /// For slice responses: the element count the data segment is first sized for.
    pub initial_max_slice_len: Option<usize>,
    pub allocation_strategy: Option<AllocationStrategyName>,
    /// What to do when a client's response buffer is full.
    pub backpressure: Option<BackpressureName>,
    /// How long a send may retry one receiver whose buffer stays full before it gives up on
    /// that receiver (`UnableToDeliver`); absent: 1000 ms, `null`: without bound (upstream).
    #[serde(default, deserialize_with = "crate::pattern::nullable")]
    #[ts(type = "number | null", optional)]
    pub send_timeout_ms: Option<Option<f64>>,
    /// The port's name (upstream's `PortName`, at most 64 bytes): peers see it in the
    /// service's port details; notifiers can address a listener by it.
    pub name: Option<String>,
    /// How many responses the data segment holds, instead of iceoryx2's worst case (upstream's
    /// `override_response_preallocation`; it takes at most that worst case).
    pub response_preallocation: Option<usize>,
    /// What the port does when a connection to a peer cannot be made or is corrupted
    /// (upstream's degradation handler's action); absent: `warn`, as upstream.
    pub degradation: Option<crate::port_events::DegradationActionName>,
    /// The port event stream (`portEvents.open`) its backpressure and degradation events go to.
    #[ts(type = "number", optional)]
    pub events: Option<Handle>,
}

pub fn server_create(service_handle: Handle, spec: ServerSpec) -> Result<Handle> {
    check_count(
        spec.max_loaned_responses_per_request,
        "maxLoanedResponsesPerRequest",
    )?;
    check_count(spec.initial_max_slice_len, "initialMaxSliceLen")?;
    let defaults = service_defaults(service_handle)?;
    let port_name = crate::pattern::port_name(spec.name.as_deref())?;
    check_count(spec.response_preallocation, "responsePreallocation")?;
    let events = crate::port_events::queue_of(spec.events)?;
    let retry = crate::sending::retry_policy(
        spec.backpressure.as_ref(),
        defaults.server_backpressure_strategy,
        spec.send_timeout_ms,
    )?;
    let strategy = spec
        .allocation_strategy
        .as_ref()
        .map_or(defaults.server_allocation_strategy, allocation_strategy);
    let (server, types) = with_object(service_handle, "request-response Service", |object| {
        let RequestResponseObject::Service(factory, types) = object else {
            return None;
        };
        let checked = effective(
            spec.max_loaned_responses_per_request,
            "maxLoanedResponsesPerRequest",
            defaults.server_max_loaned_responses_per_request,
            "requestResponse.serverMaxLoanedResponsesPerRequest",
        )
        .and_then(|loaned| {
            ServiceCounts::of_service(factory).server_segment(
                loaned,
                spec.response_preallocation,
                &types.response,
                spec.initial_max_slice_len.unwrap_or(1),
                limits::segments_of(strategy),
            )
        })
        .and_then(|segment| segment.check());
        if let Err(error) = checked {
            return Some(Err(error));
        }
        if let Err(error) = crate::capacities::check_request_response_ports(factory) {
            return Some(Err(error));
        }
        let create = || {
            let mut builder = factory.server_builder();
            if let Some(v) = spec.max_loaned_responses_per_request {
                builder = builder.max_loaned_responses_per_request(v);
            }
            if let Some(count) = spec.response_preallocation {
                builder = builder.override_response_preallocation(move |_| count);
            }
            builder = with_degradation!(builder, spec, events);
            let builder =
                with_sending_options!(builder, spec, retry, port_name.as_ref(), events.as_ref());
            builder
                .create()
                .map_err(|e| e.into_error("cannot create server"))
        };
        let servers = port_list!(
            factory,
            "server",
            factory.static_config().max_servers(),
            number_of_servers,
            list_servers
        );
        Some(create_port(servers, create).map(|server| (server, types.clone())))
    })?;
    crate::shm_guard::reserve_data_segment(server.id().value(), "server")?;
    handles::insert(
        Object::from(RequestResponseObject::Server(server, types)),
        Some(service_handle),
    )
}

/// Takes the next request, if any (a child of the server).
pub fn server_receive(server_handle: Handle) -> Result<Option<(Handle, SampleMemory)>> {
    let received = with_object(server_handle, "Server", |object| match object {
        RequestResponseObject::Server(server, types) => Some((|| {
            let Some(request) = server
                .receive()
                .map_err(|e| e.into_error("cannot receive a request"))?
            else {
                return Ok(None);
            };
            types.check_request(
                request.header().client_id(),
                request.header().number_of_elements(),
            )?;
            let (payload, len) = received_payload(
                &types.request.payload,
                request.header().number_of_elements(),
                request.header().payload_offset(),
                || request.payload(),
            )?;
            let memory = SampleMemory::new(
                request.user_header() as *const Header as *const u8,
                types.request.user_header.size,
                payload,
                len,
            )?;
            Ok(Some((request, types.clone(), memory)))
        })()),
        _ => None,
    })?;
    let Some((request, types, memory)) = received else {
        return Ok(None);
    };
    let handle = handles::insert(
        Object::from(RequestResponseObject::ActiveRequest(request, types)),
        Some(server_handle),
    )?;
    Ok(Some((handle, memory)))
}

/// Whether requests wait in the server's buffer.
pub fn server_has_requests(server_handle: Handle) -> Result<bool> {
    with_object(server_handle, "Server", |object| match object {
        RequestResponseObject::Server(server, _) => Some(
            server
                .has_requests()
                .map_err(|e| e.into_error("cannot check for requests")),
        ),
        _ => None,
    })
}

pub(crate) fn active_query(
    active_handle: Handle,
    query: impl FnOnce(&RawActiveRequest) -> bool,
) -> Result<bool> {
    with_object(active_handle, "ActiveRequest", |object| match object {
        RequestResponseObject::ActiveRequest(request, _) => Some(Ok(query(request))),
        _ => None,
    })
}

pub(super) fn response_mut_memory(
    response: &mut RawResponseMut,
    types: &MessageTypes,
) -> Result<SampleMemory> {
    let user_header = response.user_header_mut() as *mut Header as *const u8;
    let payload = response.payload_mut();
    SampleMemory::new(
        user_header,
        types.user_header.size,
        payload.as_ptr().cast(),
        payload.len(),
    )
}

/// Checks a slice response loan against the server's data segment: an active request does not
/// tell its server's initial slice length, so slice loans look the server up.
pub(super) fn check_response_growth(
    active_handle: Handle,
    types: &MessageTypes,
    elements: usize,
) -> Result<()> {
    let server_handle = parent_of(active_handle, "active request")?;
    let server = with_object(server_handle, "Server", |object| match object {
        RequestResponseObject::Server(server, _) => {
            Some(Ok((server.id(), server.initial_max_slice_len())))
        }
        _ => None,
    })?;
    let (id, initial_slice_len) = server;
    if elements <= initial_slice_len {
        return Ok(());
    }
    let segment = port_segment(parent_of(server_handle, "server")?, |factory| {
        let mut found = None;
        factory.dynamic_config().list_servers(|details| {
            if details.server_id != id {
                return CallbackProgression::Continue;
            }
            found = Some((details.number_of_responses, details.data_segment_type));
            CallbackProgression::Stop
        });
        found
    })?;
    check_growth("server", segment, SystemHeader::Response, types, elements)
}

pub(super) fn loan_response(
    active_handle: Handle,
    elements: usize,
) -> Result<(RawResponseMut, SampleMemory)> {
    let loan = |growth_checked: bool| {
        with_object(active_handle, "ActiveRequest", |object| match object {
            RequestResponseObject::ActiveRequest(request, types) => Some((|| {
                let elements = check_elements(&types.response, elements, Message::Response)?;
                if !growth_checked && elements > 1 {
                    return Ok(Loan::Grows(types.clone()));
                }
                let loaned = loaned_elements(&types.response, elements);
                // SAFETY: `loaned` is 1 for fixed-size payloads (checked above), as
                // loan_custom_payload requires.
                let mut response = unsafe { request.loan_custom_payload(loaned) }
                    .map_err(|e| e.into_error("cannot loan a response"))?;
                let memory = response_mut_memory(&mut response, &types.response)?;
                Ok(Loan::Made((response, memory)))
            })()),
            _ => None,
        })
    };
    loan_checked(loan, |types| {
        check_response_growth(active_handle, &types.response, elements)
    })
}

/// Loans a response to an active request (a child of it), zeroed when `zeroed`.
pub fn active_request_loan(
    active_handle: Handle,
    elements: usize,
    zeroed: bool,
) -> Result<(Handle, SampleMemory)> {
    let (response, memory) = loan_response(active_handle, elements)?;
    if zeroed {
        // SAFETY: `memory` spans the message just loaned, which this thread owns exclusively.
        unsafe { zero(&memory) };
    }
    let handle = handles::insert(
        Object::from(RequestResponseObject::ResponseMut(response)),
        Some(active_handle),
    )?;
    Ok((handle, memory))
}

pub(super) fn send_response(response: RawResponseMut) -> Result<()> {
    // SAFETY: the payload was handed out either zeroed or for JS to fill, or filled by a copy;
    // every byte pattern is a valid value of the plain-data types JS layouts describe.
    let response = unsafe { response.assume_init() };
    response
        .send()
        .map_err(|e| e.into_error("cannot send response"))
}

/// Sends a loaned response. Its handle is closed whether or not sending succeeds.
///
/// iceoryx2 0.10 reports no error when the client already dropped its pending response (or
/// for fire-and-forget requests): the response is discarded. `activeRequestIsConnected` tells.
pub fn response_send(response_handle: Handle) -> Result<()> {
    // Checked before taking, so a wrongly passed handle stays with its owner.
    with_object(response_handle, "ResponseMut", |object| match object {
        RequestResponseObject::ResponseMut(_) => Some(Ok(())),
        _ => None,
    })?;
    match handles::take(response_handle)?.into_pattern::<RequestResponseObject>() {
        Ok(RequestResponseObject::ResponseMut(response)) => send_response(response),
        _ => Err(Error::new(
            ErrorKind::InternalFailure,
            "the response changed its kind",
        )),
    }
}

/// Loans, copies in and sends a response in one native call.
pub fn active_request_send_copy(
    active_handle: Handle,
    payload: &[u8],
    user_header: &[u8],
) -> Result<()> {
    let (elements, flatbuffer) =
        with_object(active_handle, "ActiveRequest", |object| match object {
            RequestResponseObject::ActiveRequest(_, types) => Some(
                elements_of_copy(&types.response, payload, user_header, Message::Response)
                    .map(|elements| (elements, is_flatbuffer(&types.response.payload))),
            ),
            _ => None,
        })?;
    let (mut response, memory) = loan_response(active_handle, elements)?;
    // SAFETY: `memory` spans the response we just loaned and own; lengths checked above.
    unsafe { fill(&mut response, &memory, flatbuffer, payload, user_header)? };
    send_response(response)
}

impl Classify for ServerCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            ServerCreateError::ExceedsMaxSupportedServers => ErrorKind::LimitReached,
            _ => ErrorKind::InternalFailure,
        }
    }
}

/// Who sent a received request: upstream's request header.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "RequestHeader")]
pub struct RequestHeaderInfo {
    /// The sending client's id, as upstream prints it (hexadecimal; `Client.id` there).
    pub client_id: String,
    /// The id of the sending client's node (hexadecimal).
    pub node_id: String,
    /// How many payload elements the request carries (1 for a fixed-size payload).
    #[ts(type = "number")]
    pub number_of_elements: u64,
}

/// The header of the request an active request answers.
pub fn request_header(active: Handle) -> Result<RequestHeaderInfo> {
    with_object(active, "ActiveRequest", |object| match object {
        RequestResponseObject::ActiveRequest(request, _) => {
            let header = request.header();
            Some(Ok(RequestHeaderInfo {
                client_id: header.client_id().to_string(),
                node_id: header.node_id().to_string(),
                number_of_elements: header.number_of_elements(),
            }))
        }
        _ => None,
    })
}

/// The server's system-wide unique id, as upstream prints it (hexadecimal).
pub fn server_id(server: Handle) -> Result<String> {
    with_object(server, "Server", |object| match object {
        RequestResponseObject::Server(port, _) => Some(Ok(port.id().to_string())),
        _ => None,
    })
}

/// The server's settings (upstream's getters).
pub fn server_settings(server: Handle) -> Result<crate::sending::SendingPortSettings> {
    with_object(server, "Server", |object| match object {
        RequestResponseObject::Server(port, _) => Some(Ok(crate::sending::SendingPortSettings {
            initial_max_slice_len: port.initial_max_slice_len(),
            backpressure_strategy: crate::sending::backpressure_name(port.backpressure_strategy()),
            allocation_strategy: None,
            max_loaned_samples: None,
            max_active_requests: None,
        })),
        _ => None,
    })
}

/// Connects the server to clients that appeared since (a receive does it as well).
pub fn server_update_connections(server: Handle) -> Result<()> {
    use iceoryx2::port::update_connections::UpdateConnections;
    with_object(server, "Server", |object| match object {
        RequestResponseObject::Server(port, _) => Some(
            port.update_connections()
                .map_err(|e| e.into_error("cannot update connections")),
        ),
        _ => None,
    })
}
