//! Clients: creating them, loaning and sending requests (copied or in place), and the pending
//! responses that receive the answers.

use super::*;

#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ClientSpec {
    /// Requests this client may have in flight at once (at most the service's
    /// `maxActiveRequestsPerClient`).
    pub max_active_requests: Option<usize>,
    /// For slice requests: the element count the data segment is first sized for.
    pub initial_max_slice_len: Option<usize>,
    pub allocation_strategy: Option<AllocationStrategyName>,
    /// What to do when a server's request buffer is full.
    pub backpressure: Option<BackpressureName>,
    /// How long a send may retry one receiver whose buffer stays full before it gives up on
    /// that receiver (`UnableToDeliver`); absent: 1000 ms, `null`: without bound (upstream).
    #[serde(default, deserialize_with = "crate::pattern::nullable")]
    #[ts(type = "number | null", optional)]
    pub send_timeout_ms: Option<Option<f64>>,
    /// The port's name (upstream's `PortName`, at most 64 bytes): peers see it in the
    /// service's port details; notifiers can address a listener by it.
    pub name: Option<String>,
    /// How many requests the data segment holds, instead of iceoryx2's worst case (upstream's
    /// `override_request_preallocation`; it takes at most that worst case).
    pub request_preallocation: Option<usize>,
    /// What the port does when a connection to a peer cannot be made or is corrupted
    /// (upstream's degradation handler's action); absent: `warn`, as upstream.
    pub degradation: Option<crate::port_events::DegradationActionName>,
    /// The port event stream (`portEvents.open`) its backpressure and degradation events go to.
    #[ts(type = "number", optional)]
    pub events: Option<Handle>,
}

pub fn client_create(service_handle: Handle, spec: ClientSpec) -> Result<Handle> {
    check_count(spec.max_active_requests, "maxActiveRequests")?;
    check_count(spec.initial_max_slice_len, "initialMaxSliceLen")?;
    let defaults = service_defaults(service_handle)?;
    let port_name = crate::pattern::port_name(spec.name.as_deref())?;
    check_count(spec.request_preallocation, "requestPreallocation")?;
    let events = crate::port_events::queue_of(spec.events)?;
    let retry = crate::sending::retry_policy(
        spec.backpressure.as_ref(),
        defaults.client_backpressure_strategy,
        spec.send_timeout_ms,
    )?;
    let strategy = spec
        .allocation_strategy
        .as_ref()
        .map_or(defaults.client_allocation_strategy, allocation_strategy);
    let (client, types) = with_object(service_handle, "request-response Service", |object| {
        let RequestResponseObject::Service(factory, types) = object else {
            return None;
        };
        let counts = ServiceCounts::of_service(factory);
        let checked = counts
            .client_segment(
                spec.max_active_requests.unwrap_or(counts.active_requests),
                spec.request_preallocation,
                &types.request,
                spec.initial_max_slice_len.unwrap_or(1),
                limits::segments_of(strategy),
            )
            .and_then(|segment| segment.check());
        if let Err(error) = checked {
            return Some(Err(error));
        }
        if let Err(error) = crate::capacities::check_request_response_ports(factory) {
            return Some(Err(error));
        }
        let create = || {
            let mut builder = factory.client_builder();
            if let Some(v) = spec.max_active_requests {
                builder = builder.max_active_requests(v);
            }
            if let Some(count) = spec.request_preallocation {
                builder = builder.override_request_preallocation(move |_| count);
            }
            builder = with_degradation!(builder, spec, events);
            let builder =
                with_sending_options!(builder, spec, retry, port_name.as_ref(), events.as_ref());
            builder
                .create()
                .map_err(|e| e.into_error("cannot create client"))
        };
        let clients = port_list!(
            factory,
            "client",
            factory.static_config().max_clients(),
            number_of_clients,
            list_clients
        );
        Some(create_port(clients, create).map(|client| (client, types.clone())))
    })?;
    crate::shm_guard::reserve_data_segment(client.id().value(), "client")?;
    handles::insert(
        Object::from(RequestResponseObject::Client(client, types)),
        Some(service_handle),
    )
}

pub(super) fn request_mut_memory(
    request: &mut RawRequestMut,
    types: &MessageTypes,
) -> Result<SampleMemory> {
    let user_header = request.user_header_mut() as *mut Header as *const u8;
    let payload = request.payload_mut();
    SampleMemory::new(
        user_header,
        types.user_header.size,
        payload.as_ptr().cast(),
        payload.len(),
    )
}

pub(super) fn loan_request(
    client_handle: Handle,
    elements: usize,
) -> Result<(RawRequestMut, Types)> {
    let loan = |growth_checked: bool| {
        with_object(client_handle, "Client", |object| match object {
            RequestResponseObject::Client(client, types) => Some((|| {
                let elements = check_elements(&types.request, elements, Message::Request)?;
                if !growth_checked && elements > client.initial_max_slice_len() {
                    return Ok(Loan::Grows((client.id(), types.clone())));
                }
                let loaned = loaned_elements(&types.request, elements);
                // SAFETY: `loaned` is 1 for fixed-size payloads (checked above), as
                // loan_custom_payload requires.
                let request = unsafe { client.loan_custom_payload(loaned) }
                    .map_err(|e| e.into_error("cannot loan a request"))?;
                Ok(Loan::Made((request, types.clone())))
            })()),
            _ => None,
        })
    };
    loan_checked(loan, |(id, types)| {
        let segment = port_segment(parent_of(client_handle, "client")?, |factory| {
            let mut found = None;
            factory.dynamic_config().list_clients(|details| {
                if details.client_id != id {
                    return CallbackProgression::Continue;
                }
                found = Some((details.number_of_requests, details.data_segment_type));
                CallbackProgression::Stop
            });
            found
        })?;
        check_growth(
            "client",
            segment,
            SystemHeader::Request,
            &types.request,
            elements,
        )
    })
}

/// Loans a request of `elements` payload elements (1 unless the payload is a slice), zeroed
/// when `zeroed`.
pub fn client_loan(
    client_handle: Handle,
    elements: usize,
    zeroed: bool,
) -> Result<(Handle, SampleMemory)> {
    let (mut request, types) = loan_request(client_handle, elements)?;
    let memory = request_mut_memory(&mut request, &types.request)?;
    if zeroed {
        // SAFETY: `memory` spans the message just loaned, which this thread owns exclusively.
        unsafe { zero(&memory) };
    }
    let handle = handles::insert(
        Object::from(RequestResponseObject::RequestMut(request, types)),
        Some(client_handle),
    )?;
    Ok((handle, memory))
}

pub(super) fn pending_response_memory(
    pending: &RawPendingResponse,
    types: &ExchangeTypes,
) -> Result<SampleMemory> {
    let user_header = pending.user_header() as *const Header as *const u8;
    let (payload, len) = received_payload(
        &types.request.payload,
        pending.header().number_of_elements(),
        pending.header().payload_offset(),
        || pending.payload(),
    )?;
    SampleMemory::new(user_header, types.request.user_header.size, payload, len)
}

pub(super) fn send_request(request: RawRequestMut) -> Result<RawPendingResponse> {
    // SAFETY: the payload was handed out either zeroed or for JS to fill; every byte pattern is
    // a valid value of the plain-data types JS layouts describe.
    let request = unsafe { request.assume_init() };
    request
        .send()
        .map_err(|e| e.into_error("cannot send request"))
}

/// Registers a pending response as a child of the client the request came from.
pub(super) fn insert_pending(
    client_handle: Handle,
    pending: RawPendingResponse,
    types: Types,
) -> Result<(Handle, SampleMemory)> {
    let memory = pending_response_memory(&pending, &types)?;
    let handle = handles::insert(
        Object::from(RequestResponseObject::PendingResponse(pending, types)),
        Some(client_handle),
    )?;
    Ok((handle, memory))
}

/// Sends a loaned request; returns the pending response (a child of the client) and the
/// request's memory, which stays readable through it. The request's handle is closed whether or
/// not sending succeeds (as in iceoryx2, `send` consumes the request).
///
/// Without any server the request is still sent: the pending response reports zero server
/// connections and is not connected.
pub fn request_send(request_handle: Handle) -> Result<(Handle, SampleMemory)> {
    // Checked before taking, so a wrongly passed handle stays with its owner.
    with_object(request_handle, "RequestMut", |object| match object {
        RequestResponseObject::RequestMut(..) => Some(Ok(())),
        _ => None,
    })?;
    let client_handle = handles::parent(request_handle)?
        .ok_or_else(|| Error::new(ErrorKind::InternalFailure, "a request without its client"))?;
    let Ok(RequestResponseObject::RequestMut(request, types)) =
        handles::take(request_handle)?.into_pattern::<RequestResponseObject>()
    else {
        return Err(Error::new(
            ErrorKind::InternalFailure,
            "the request changed its kind",
        ));
    };
    let pending = send_request(request)?;
    insert_pending(client_handle, pending, types)
}

/// Loans, copies `payload` and `user_header` in, and sends, all in one native call; returns the
/// pending response's handle.
pub fn client_send_copy(
    client_handle: Handle,
    payload: &[u8],
    user_header: &[u8],
) -> Result<Handle> {
    let elements = with_object(client_handle, "Client", |object| match object {
        RequestResponseObject::Client(_, types) => Some(elements_of_copy(
            &types.request,
            payload,
            user_header,
            Message::Request,
        )),
        _ => None,
    })?;
    let (mut request, types) = loan_request(client_handle, elements)?;
    let memory = request_mut_memory(&mut request, &types.request)?;
    let flatbuffer = is_flatbuffer(&types.request.payload);
    // SAFETY: `memory` spans the request we just loaned and own; lengths checked above.
    unsafe { fill(&mut request, &memory, flatbuffer, payload, user_header)? };
    let pending = send_request(request)?;
    insert_pending(client_handle, pending, types).map(|(handle, _)| handle)
}

/// The request memory of a pending response (read-only for JS), under the pending response's
/// own handle.
pub fn pending_response_request(pending_handle: Handle) -> Result<(Handle, SampleMemory)> {
    with_object(pending_handle, "PendingResponse", |object| match object {
        RequestResponseObject::PendingResponse(pending, types) => {
            Some(pending_response_memory(pending, types).map(|memory| (pending_handle, memory)))
        }
        _ => None,
    })
}

/// Takes the next response of the stream, if any (a child of the pending response).
pub fn pending_response_receive(pending_handle: Handle) -> Result<Option<(Handle, SampleMemory)>> {
    let received = with_object(pending_handle, "PendingResponse", |object| match object {
        RequestResponseObject::PendingResponse(pending, types) => Some((|| {
            // SAFETY: the service's response type details were set from the same `types`
            // the memory is sized with.
            let response = unsafe { pending.receive_custom_payload() }
                .map_err(|e| e.into_error("cannot receive a response"))?;
            let Some(response) = response else {
                return Ok(None);
            };
            types.check_response(
                response.header().server_id(),
                response.header().number_of_elements(),
            )?;
            let (payload, len) = received_payload(
                &types.response.payload,
                response.header().number_of_elements(),
                response.header().payload_offset(),
                || response.payload(),
            )?;
            let memory = SampleMemory::new(
                response.user_header() as *const Header as *const u8,
                types.response.user_header.size,
                payload,
                len,
            )?;
            Ok(Some((response, memory)))
        })()),
        _ => None,
    })?;
    let Some((response, memory)) = received else {
        return Ok(None);
    };
    let handle = handles::insert(
        Object::from(RequestResponseObject::Response(response)),
        Some(pending_handle),
    )?;
    Ok(Some((handle, memory)))
}

pub(crate) fn pending_query<T>(
    pending_handle: Handle,
    query: impl FnOnce(&RawPendingResponse) -> T,
) -> Result<T> {
    with_object(pending_handle, "PendingResponse", |object| match object {
        RequestResponseObject::PendingResponse(pending, _) => Some(Ok(query(pending))),
        _ => None,
    })
}

impl Classify for ClientCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            ClientCreateError::ExceedsMaxSupportedClients => ErrorKind::LimitReached,
            ClientCreateError::MaxActiveRequestsExceedsMaxSupportedActiveRequestsOfService => {
                ErrorKind::IncompatibleQos
            }
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for RequestSendError {
    fn kind(&self) -> ErrorKind {
        match self {
            // More pending responses alive than the client or service allows.
            RequestSendError::ExceedsMaxActiveRequests => ErrorKind::LimitReached,
            RequestSendError::SendError(e) => e.kind(),
        }
    }
}

/// Who sent a received response: upstream's response header.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ResponseHeader")]
pub struct ResponseHeaderInfo {
    /// The sending server's id, as upstream prints it (hexadecimal; `Server.id` there).
    pub server_id: String,
    /// The id of the sending server's node (hexadecimal).
    pub node_id: String,
    /// How many payload elements the response carries (1 for a fixed-size payload).
    #[ts(type = "number")]
    pub number_of_elements: u64,
}

/// The header of received response `response`.
pub fn response_header(response: Handle) -> Result<ResponseHeaderInfo> {
    with_object(response, "Response", |object| match object {
        RequestResponseObject::Response(received) => {
            let header = received.header();
            Some(Ok(ResponseHeaderInfo {
                server_id: header.server_id().to_string(),
                node_id: header.node_id().to_string(),
                number_of_elements: header.number_of_elements(),
            }))
        }
        _ => None,
    })
}

/// The client's system-wide unique id, as upstream prints it (hexadecimal).
pub fn client_id(client: Handle) -> Result<String> {
    with_object(client, "Client", |object| match object {
        RequestResponseObject::Client(port, _) => Some(Ok(port.id().to_string())),
        _ => None,
    })
}

/// The client's settings (upstream's getters).
pub fn client_settings(client: Handle) -> Result<crate::sending::SendingPortSettings> {
    with_object(client, "Client", |object| match object {
        RequestResponseObject::Client(port, _) => Some(Ok(crate::sending::SendingPortSettings {
            initial_max_slice_len: port.initial_max_slice_len(),
            backpressure_strategy: crate::sending::backpressure_name(port.backpressure_strategy()),
            allocation_strategy: None,
            max_loaned_samples: None,
            max_active_requests: Some(port.max_active_requests()),
        })),
        _ => None,
    })
}

/// Connects the client to servers that appeared since (a send does it as well).
pub fn client_update_connections(client: Handle) -> Result<()> {
    use iceoryx2::port::update_connections::UpdateConnections;
    with_object(client, "Client", |object| match object {
        RequestResponseObject::Client(port, _) => Some(
            port.update_connections()
                .map_err(|e| e.into_error("cannot update connections")),
        ),
        _ => None,
    })
}
