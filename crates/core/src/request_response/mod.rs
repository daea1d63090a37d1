//! Request-response: services, clients, servers, requests, responses and their streams.
//!
//! A client loans a request (`RequestMut`), sends it and gets a `PendingResponse`, which receives
//! the stream of `Response`s the servers send. A server receives an `ActiveRequest`, loans
//! `ResponseMut`s from it and sends them; dropping the `ActiveRequest` ends the stream, dropping
//! the `PendingResponse` tells the servers the client is no longer listening.
//!
//! Handles form the same tree: node → service → client → pending response → response, and
//! service → server → active request → response mut; closing a parent closes its children.

use std::cell::RefCell;
use std::rc::Rc;

use iceoryx2::active_request::ActiveRequest;
use iceoryx2::identifiers::{UniqueClientId, UniqueServerId};
use iceoryx2::pending_response::PendingResponse;
use iceoryx2::port::client::{Client, RequestSendError};
use iceoryx2::port::server::Server;
use iceoryx2::port::DataSegmentType;
use iceoryx2::prelude::PayloadHeader;
use iceoryx2::prelude::{CallbackProgression, MessagingPattern, PortFactory as _};
use iceoryx2::response::Response;
use iceoryx2::service::builder::request_response::{
    RequestResponseCreateError, RequestResponseOpenError, RequestResponseOpenOrCreateError,
};
use iceoryx2::service::marker::{CustomHeaderMarker, CustomPayloadMarker};
use iceoryx2::service::port_factory::client::ClientCreateError;
use iceoryx2::service::port_factory::request_response::PortFactory;
use iceoryx2::service::port_factory::server::ServerCreateError;
use iceoryx2::service::service_name::ServiceName;
use iceoryx2::service::static_config::messaging_pattern::MessagingPattern as StaticPattern;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::attributes::{to_list, AttributesSpec, KeyValue};
use crate::capacities::{create_port, declared, port_list, SenderCapacities};
use crate::error::{Classify, Error, ErrorKind, Result};
use crate::flatbuffer::{is_flatbuffer, received_payload, FlatbufferSpec};
use crate::handles::{self, wrong_kind, Handle};
use crate::limits::{self, check_count, effective, DataSegment};
use crate::node::{node_defaults, with_node};
use crate::objects::{Ipc, Object, RawRequestMut, RawResponseMut, SampleMemory};
use crate::pattern::{service_name, OpenMode};
use crate::pattern_tag::PatternTag;
use crate::sending::{
    allocation_strategy, check_elements, elements_of_copy, fill, loan_checked, loaned_elements,
    with_sending_options, zero, AllocationStrategyName, BackpressureName, Loan, Message,
};
use crate::types::{chunk_bytes, MessageTypes, SystemHeader, TypeSpec, Variant};

mod client;
mod server;

pub use client::*;
pub use server::*;

type Payload = [CustomPayloadMarker];

type Header = CustomHeaderMarker;

pub(crate) type RawFactory = PortFactory<Ipc, Payload, Header, Payload, Header>;

pub(crate) type RawClient = Client<Ipc, Payload, Header, Payload, Header>;

pub(crate) type RawServer = Server<Ipc, Payload, Header, Payload, Header>;

pub(crate) type RawPendingResponse = PendingResponse<Ipc, Payload, Header, Payload, Header>;

pub(crate) type RawResponse = Response<Ipc, Payload, Header>;

pub(crate) type RawActiveRequest = ActiveRequest<Ipc, Payload, Header, Payload, Header>;

/// The request and response types of a service, shared by its ports and messages, and what its
/// sending ports declared they can send.
pub(crate) struct ExchangeTypes {
    request: MessageTypes,
    response: MessageTypes,
    /// Set once the service is open.
    senders: std::cell::OnceCell<Senders>,
}

/// The slice capacities of a service's clients and servers, for the ports receiving their
/// requests and responses ([`crate::capacities`]).
struct Senders {
    clients: RefCell<SenderCapacities<UniqueClientId>>,
    servers: RefCell<SenderCapacities<UniqueServerId>>,
}

impl Senders {
    fn of(factory: &Rc<RawFactory>) -> Self {
        let listed = factory.clone();
        let clients = SenderCapacities::new("client", move |known| {
            listed.dynamic_config().list_clients(|details| {
                let capacity = declared(details.data_segment_type, details.max_slice_len);
                known.push((details.client_id, capacity));
                CallbackProgression::Continue
            });
        });
        let listed = factory.clone();
        let servers = SenderCapacities::new("server", move |known| {
            listed.dynamic_config().list_servers(|details| {
                let capacity = declared(details.data_segment_type, details.max_slice_len);
                known.push((details.server_id, capacity));
                CallbackProgression::Continue
            });
        });
        Self {
            clients: RefCell::new(clients),
            servers: RefCell::new(servers),
        }
    }
}

impl ExchangeTypes {
    /// Checks a received request's element count against what its client declared.
    fn check_request(&self, client: UniqueClientId, claimed: u64) -> Result<()> {
        match self.senders.get() {
            Some(senders) => senders.clients.borrow_mut().check(client, claimed),
            None => Ok(()),
        }
    }

    /// Checks a received response's element count against what its server declared.
    fn check_response(&self, server: UniqueServerId, claimed: u64) -> Result<()> {
        match self.senders.get() {
            Some(senders) => senders.servers.borrow_mut().check(server, claimed),
            None => Ok(()),
        }
    }
}

type Types = Rc<ExchangeTypes>;

pub(crate) enum RequestResponseObject {
    /// Shared with its ports' capacity checks (`ExchangeTypes::senders`).
    Service(Rc<RawFactory>, Types),
    Client(RawClient, Types),
    Server(RawServer, Types),
    RequestMut(RawRequestMut, Types),
    PendingResponse(RawPendingResponse, Types),
    Response(#[allow(dead_code)] RawResponse),
    ActiveRequest(RawActiveRequest, Types),
    ResponseMut(RawResponseMut),
}

impl crate::objects::PatternObject for RequestResponseObject {
    fn kind_name(&self) -> &'static str {
        match self {
            RequestResponseObject::Service(..) => "request-response Service",
            RequestResponseObject::Client(..) => "Client",
            RequestResponseObject::Server(..) => "Server",
            RequestResponseObject::RequestMut(..) => "RequestMut",
            RequestResponseObject::PendingResponse(..) => "PendingResponse",
            RequestResponseObject::Response(_) => "Response",
            RequestResponseObject::ActiveRequest(..) => "ActiveRequest",
            RequestResponseObject::ResponseMut(_) => "ResponseMut",
        }
    }
}

/// Quality of service of a request-response service (upstream's names). The setters of
/// `RequestResponseServiceBuilder` explain each value, its default, and how the response buffer,
/// safe overflow and lost responses interact. When creating, unset values take the config's
/// defaults; when opening, set values are requirements (counts are minimums, flags must match).
#[derive(Debug, Default, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct RequestResponseQos {
    /// Requests a client may have in flight at once (pending responses alive).
    pub max_active_requests_per_client: Option<usize>,
    /// Requests a client may have loaned at once (not yet sent).
    pub max_loaned_requests: Option<usize>,
    /// Responses a pending response can queue from each server.
    pub max_response_buffer_size: Option<usize>,
    /// The most servers the service supports at once.
    pub max_servers: Option<usize>,
    /// The most clients the service supports at once.
    pub max_clients: Option<usize>,
    /// The most nodes that may have the service open at once.
    pub max_nodes: Option<usize>,
    /// Responses a client can hold at once per pending response (received, not yet released).
    pub max_borrowed_responses_per_pending_response: Option<usize>,
    /// When a server's request buffer is full, replace the oldest request instead of failing delivery.
    pub enable_safe_overflow_for_requests: Option<bool>,
    /// When a pending response's buffer is full, replace the oldest response instead of failing delivery.
    pub enable_safe_overflow_for_responses: Option<bool>,
    /// Servers still receive requests whose client dropped the pending response (nobody hears the answer).
    pub enable_fire_and_forget_requests: Option<bool>,
}

impl RequestResponseQos {
    /// The QoS a service was created with, every value set.
    pub(crate) fn of(
        config: &iceoryx2::service::static_config::request_response::StaticConfig,
    ) -> Self {
        Self {
            max_active_requests_per_client: Some(config.max_active_requests_per_client()),
            max_loaned_requests: Some(config.max_loaned_requests()),
            max_response_buffer_size: Some(config.max_response_buffer_size()),
            max_servers: Some(config.max_servers()),
            max_clients: Some(config.max_clients()),
            max_nodes: Some(config.max_nodes()),
            max_borrowed_responses_per_pending_response: Some(
                config.max_borrowed_responses_per_pending_response(),
            ),
            enable_safe_overflow_for_requests: Some(config.has_safe_overflow_for_requests()),
            enable_safe_overflow_for_responses: Some(config.has_safe_overflow_for_responses()),
            enable_fire_and_forget_requests: Some(config.does_support_fire_and_forget_requests()),
        }
    }
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct RequestResponseServiceSpec {
    pub name: String,
    pub mode: OpenMode,
    pub request_payload: TypeSpec,
    pub request_user_header: Option<TypeSpec>,
    pub response_payload: TypeSpec,
    pub response_user_header: Option<TypeSpec>,
    #[serde(default)]
    #[ts(as = "Option<RequestResponseQos>")]
    pub qos: RequestResponseQos,
    /// Upstream's `request_payload_alignment`: at least this alignment for every request.
    #[serde(default)]
    pub request_payload_alignment: Option<usize>,
    /// Upstream's `response_payload_alignment`: at least this alignment for every response.
    #[serde(default)]
    pub response_payload_alignment: Option<usize>,
    /// The flatbuffer a request payload of type `iox2::Flatbuffer` carries.
    #[serde(default)]
    pub request_flatbuffer: Option<FlatbufferSpec>,
    /// The flatbuffer a response payload of type `iox2::Flatbuffer` carries.
    #[serde(default)]
    pub response_flatbuffer: Option<FlatbufferSpec>,
    #[serde(default)]
    #[ts(as = "Option<AttributesSpec>")]
    pub attributes: AttributesSpec,
}

/// What `reqres.serviceInfo` reports about an open service.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestResponseServiceInfo {
    pub name: String,
    /// The service's hash and this incarnation's unique id.
    #[serde(flatten)]
    #[ts(flatten)]
    pub identity: crate::pattern::ServiceIdentity,
    pub request_payload: TypeSpec,
    pub request_user_header: TypeSpec,
    pub response_payload: TypeSpec,
    pub response_user_header: TypeSpec,
    /// Every value set.
    #[ts(type = "Required<RequestResponseQos>")]
    pub qos: RequestResponseQos,
    pub attributes: Vec<KeyValue>,
}

fn message_types(
    payload: &TypeSpec,
    user_header: &Option<TypeSpec>,
    what: &str,
) -> Result<MessageTypes> {
    let types = MessageTypes {
        payload: payload.clone(),
        user_header: user_header.clone().unwrap_or_else(TypeSpec::unit),
    };
    types.payload.validate(&format!("{what} payload"))?;
    types.user_header.validate(&format!("{what} user header"))?;
    if types.user_header.variant == Variant::Dynamic {
        return Err(Error::invalid_argument(format!(
            "a {what} user header cannot be a slice"
        )));
    }
    Ok(types)
}

fn with_object<T>(
    handle: Handle,
    expected: &str,
    f: impl FnOnce(&mut RequestResponseObject) -> Option<Result<T>>,
) -> Result<T> {
    handles::with(handle, |object| {
        let found = object.pattern_mut::<RequestResponseObject>().and_then(f);
        found.unwrap_or_else(|| Err(wrong_kind(handle, expected, object)))
    })
}

/// The service counts that size the data segments of clients and servers.
struct ServiceCounts {
    servers: usize,
    clients: usize,
    active_requests: usize,
    loaned_requests: usize,
    response_buffer: usize,
    borrowed_responses: usize,
}

impl ServiceCounts {
    /// The counts of a service to be created: the QoS set, else the node config's defaults
    /// (checked against the limits as such).
    fn effective(
        qos: &RequestResponseQos,
        defaults: &iceoryx2::config::RequestResonse,
    ) -> Result<Self> {
        let key = |name: &str| format!("requestResponse.{name}");
        effective(
            qos.max_nodes,
            "maxNodes",
            defaults.max_nodes,
            &key("maxNodes"),
        )?;
        Ok(Self {
            servers: effective(
                qos.max_servers,
                "maxServers",
                defaults.max_servers,
                &key("maxServers"),
            )?,
            clients: effective(
                qos.max_clients,
                "maxClients",
                defaults.max_clients,
                &key("maxClients"),
            )?,
            active_requests: effective(
                qos.max_active_requests_per_client,
                "maxActiveRequestsPerClient",
                defaults.max_active_requests_per_client,
                &key("maxActiveRequestsPerClient"),
            )?,
            loaned_requests: effective(
                qos.max_loaned_requests,
                "maxLoanedRequests",
                defaults.max_loaned_requests,
                &key("maxLoanedRequests"),
            )?,
            response_buffer: effective(
                qos.max_response_buffer_size,
                "maxResponseBufferSize",
                defaults.max_response_buffer_size,
                &key("maxResponseBufferSize"),
            )?,
            borrowed_responses: effective(
                qos.max_borrowed_responses_per_pending_response,
                "maxBorrowedResponsesPerPendingResponse",
                defaults.max_borrowed_responses_per_pending_response,
                &key("maxBorrowedResponsesPerPendingResponse"),
            )?,
        })
    }

    fn of_service(factory: &RawFactory) -> Self {
        let config = factory.static_config();
        Self {
            servers: config.max_servers(),
            clients: config.max_clients(),
            active_requests: config.max_active_requests_per_client(),
            loaned_requests: config.max_loaned_requests(),
            response_buffer: config.max_response_buffer_size(),
            borrowed_responses: config.max_borrowed_responses_per_pending_response(),
        }
    }

    /// A client's request segment, for `active_requests` in flight at once (or `preallocation`
    /// requests, the client's override).
    fn client_segment(
        &self,
        active_requests: usize,
        preallocation: Option<usize>,
        request: &MessageTypes,
        initial_slice_len: usize,
        segments: usize,
    ) -> Result<DataSegment> {
        let (formula, chunks) = limits::preallocated(
            limits::client_chunks(self.servers, active_requests, self.loaned_requests),
            preallocation,
            "requestPreallocation",
        );
        Ok(DataSegment {
            owner: "the client's data segment",
            formula,
            chunks,
            chunk_bytes: chunk_bytes(SystemHeader::Request, request, initial_slice_len)?,
            segments,
            channels: 1,
            preallocation: Some("requestPreallocation"),
        })
    }

    /// A server's response segment; every connection to a client has a channel per request
    /// the service lets a client have in flight, each with bookkeeping for all of its chunks.
    fn server_segment(
        &self,
        loaned_responses: usize,
        preallocation: Option<usize>,
        response: &MessageTypes,
        initial_slice_len: usize,
        segments: usize,
    ) -> Result<DataSegment> {
        let (formula, chunks) = limits::preallocated(
            limits::server_chunks(
                self.clients,
                self.active_requests,
                self.response_buffer,
                self.borrowed_responses,
                loaned_responses,
            ),
            preallocation,
            "responsePreallocation",
        );
        let (_, channels) =
            limits::client_chunks(self.servers, self.active_requests, self.loaned_requests);
        Ok(DataSegment {
            owner: "the server's data segment",
            formula,
            chunks,
            chunk_bytes: chunk_bytes(SystemHeader::Response, response, initial_slice_len)?,
            segments,
            channels: channels.unwrap_or(usize::MAX),
            preallocation: Some("responsePreallocation"),
        })
    }
}

/// Sets a client's or server's degradation handlers: one action (and event stream) for both of
/// its directions, the requests and the responses.
macro_rules! with_degradation {
    ($builder:expr, $spec:expr, $events:expr) => {{
        let mut builder = $builder;
        if let Some(handler) =
            crate::port_events::degradation_handler($spec.degradation, $events.as_ref())
        {
            builder = builder.set_request_degradation_handler(handler);
        }
        if let Some(handler) =
            crate::port_events::degradation_handler($spec.degradation, $events.as_ref())
        {
            builder = builder.set_response_degradation_handler(handler);
        }
        builder
    }};
}
use with_degradation;

/// Opens and/or creates a request-response service from JSON-encoded
/// [`RequestResponseServiceSpec`].
pub fn service_open(node_handle: Handle, spec: RequestResponseServiceSpec) -> Result<Handle> {
    let name = service_name(&spec.name)?;
    let types = Rc::new(ExchangeTypes {
        request: message_types(&spec.request_payload, &spec.request_user_header, "request")?,
        response: message_types(
            &spec.response_payload,
            &spec.response_user_header,
            "response",
        )?,
        senders: std::cell::OnceCell::new(),
    });
    let request_payload = types.request.payload.to_detail("request payload")?;
    let request_header = types.request.user_header.to_detail("request user header")?;
    let response_payload = types.response.payload.to_detail("response payload")?;
    let response_header = types
        .response
        .user_header
        .to_detail("response user header")?;
    let qos = &spec.qos;
    check_count(
        qos.max_active_requests_per_client,
        "maxActiveRequestsPerClient",
    )?;
    check_count(qos.max_loaned_requests, "maxLoanedRequests")?;
    check_count(qos.max_response_buffer_size, "maxResponseBufferSize")?;
    check_count(qos.max_servers, "maxServers")?;
    check_count(qos.max_clients, "maxClients")?;
    check_count(qos.max_nodes, "maxNodes")?;
    check_count(
        qos.max_borrowed_responses_per_pending_response,
        "maxBorrowedResponsesPerPendingResponse",
    )?;

    let request_alignment =
        crate::types::alignment(spec.request_payload_alignment, "requestPayloadAlignment")?;
    let response_alignment =
        crate::types::alignment(spec.response_payload_alignment, "responsePayloadAlignment")?;
    let request_schema = FlatbufferSpec::resolve(
        spec.request_flatbuffer.as_ref(),
        &types.request.payload,
        "request payload",
    )?;
    let response_schema = FlatbufferSpec::resolve(
        spec.response_flatbuffer.as_ref(),
        &types.response.payload,
        "response payload",
    )?;
    let pattern = MessagingPattern::RequestResponse;
    let factory = with_node(node_handle, &name, pattern, |node| {
        if spec.mode != OpenMode::Open {
            let counts = ServiceCounts::effective(qos, &node.config().defaults.request_response)?;
            counts
                .client_segment(1, None, &types.request, 1, 1)?
                .check()?;
            counts
                .server_segment(1, None, &types.response, 1, 1)?
                .check()?;
        }
        let build = || {
            let builder = node
                .service_builder(&name)
                .request_response::<Payload, Payload>()
                .request_user_header::<Header>()
                .response_user_header::<Header>();
            // SAFETY: the type details describe the memory JS reads and writes; JS views are sized
            // from these same details, never from the marker types.
            let mut builder = unsafe {
                builder
                    .__internal_set_request_payload_type_details(&request_payload)
                    .__internal_set_response_payload_type_details(&response_payload)
                    .__internal_set_request_header_type_details(&request_header)
                    .__internal_set_response_header_type_details(&response_header)
            };
            if let Some(alignment) = request_alignment {
                builder = builder.request_payload_alignment(alignment);
            }
            if let Some(alignment) = response_alignment {
                builder = builder.response_payload_alignment(alignment);
            }
            if let Some((hint, file)) = &request_schema {
                builder = builder.__internal_request_type_definition_name_hint(hint);
                if let Some(file) = file {
                    // SAFETY: only a flatbuffer request payload (checked above) reaches this;
                    // upstream's typed builder offers the same setter for it.
                    builder = unsafe { builder.__internal_request_flatbuffer_schema_path(file) };
                }
            }
            if let Some((hint, file)) = &response_schema {
                builder = builder.__internal_response_type_definition_name_hint(hint);
                if let Some(file) = file {
                    // SAFETY: as for the request schema above.
                    builder = unsafe { builder.__internal_response_flatbuffer_schema_path(file) };
                }
            }
            if let Some(v) = qos.max_active_requests_per_client {
                builder = builder.max_active_requests_per_client(v);
            }
            if let Some(v) = qos.max_loaned_requests {
                builder = builder.max_loaned_requests(v);
            }
            if let Some(v) = qos.max_response_buffer_size {
                builder = builder.max_response_buffer_size(v);
            }
            if let Some(v) = qos.max_servers {
                builder = builder.max_servers(v);
            }
            if let Some(v) = qos.max_clients {
                builder = builder.max_clients(v);
            }
            if let Some(v) = qos.max_nodes {
                builder = builder.max_nodes(v);
            }
            if let Some(v) = qos.max_borrowed_responses_per_pending_response {
                builder = builder.max_borrowed_responses_per_pending_response(v);
            }
            if let Some(v) = qos.enable_safe_overflow_for_requests {
                builder = builder.enable_safe_overflow_for_requests(v);
            }
            if let Some(v) = qos.enable_safe_overflow_for_responses {
                builder = builder.enable_safe_overflow_for_responses(v);
            }
            if let Some(v) = qos.enable_fire_and_forget_requests {
                builder = builder.enable_fire_and_forget_requests(v);
            }
            builder
        };
        let context = format!("request-response service '{}'", spec.name);
        let result = crate::attributes::open_service!(build, spec.mode, &spec.attributes, &context);
        result.map_err(|error| {
            let error = crate::pattern::explain_open_failure(error, node, &name, pattern);
            let error =
                crate::pattern::explain_incompatible_qos(error, &context, &spec.qos, || {
                    crate::pattern::existing_static_config(node, &name, pattern)
                        .map(|config| RequestResponseQos::of(config.request_response()))
                });
            explain_incompatible_types(error, node, &name, &types)
        })
    })?;
    let (factory, tag) = PatternTag::of_opened(factory, pattern, node_handle)?;
    let factory = Rc::new(factory);
    let _ = types.senders.set(Senders::of(&factory));
    handles::insert_service(
        Object::from(RequestResponseObject::Service(factory, types)),
        node_handle,
        tag,
    )
}

/// iceoryx2 only says "IncompatibleRequestOrResponseType"; name both sides of every part that
/// differs so the user sees what to change.
fn explain_incompatible_types(
    error: Error,
    node: &iceoryx2::node::Node<Ipc>,
    name: &ServiceName,
    requested: &ExchangeTypes,
) -> Error {
    if error.kind != ErrorKind::IncompatibleTypes {
        return error;
    }
    let existing = <Ipc as iceoryx2::service::Service>::details(
        name,
        node.config(),
        MessagingPattern::RequestResponse,
    );
    let Ok(Some(details)) = existing else {
        return error;
    };
    let StaticPattern::RequestResponse(config) = details.static_details.messaging_pattern() else {
        return error;
    };
    let request = config.request_message_type_details();
    let response = config.response_message_type_details();
    let parts = [
        (
            "request payload",
            &request.payload,
            &requested.request.payload,
        ),
        (
            "request user header",
            &request.user_header,
            &requested.request.user_header,
        ),
        (
            "response payload",
            &response.payload,
            &requested.response.payload,
        ),
        (
            "response user header",
            &response.user_header,
            &requested.response.user_header,
        ),
    ];
    let differences: Vec<String> = parts
        .iter()
        .filter_map(|(what, existing, requested)| {
            let existing = TypeSpec::from_detail(existing);
            (existing != **requested).then(|| {
                format!(
                    "{what}: the service has {}, requested {}",
                    existing.describe(),
                    requested.describe()
                )
            })
        })
        .collect();
    if differences.is_empty() {
        let flatbuffers = crate::flatbuffer::is_flatbuffer(&requested.request.payload)
            || crate::flatbuffer::is_flatbuffer(&requested.response.payload);
        return if flatbuffers {
            crate::pattern::incompatible_schema(name)
        } else {
            error
        };
    }
    crate::pattern::incompatible_types(name, &differences)
}

/// The static configuration of an open service.
pub fn service_info(handle: Handle) -> Result<RequestResponseServiceInfo> {
    with_object(handle, "request-response Service", |object| match object {
        RequestResponseObject::Service(factory, _) => Some({
            let config = factory.static_config();
            let request = config.request_message_type_details();
            let response = config.response_message_type_details();
            Ok(RequestResponseServiceInfo {
                name: factory.name().as_str().to_string(),
                identity: crate::pattern::identity_of(&**factory),
                request_payload: TypeSpec::from_detail(&request.payload),
                request_user_header: TypeSpec::from_detail(&request.user_header),
                response_payload: TypeSpec::from_detail(&response.payload),
                response_user_header: TypeSpec::from_detail(&response.user_header),
                qos: RequestResponseQos::of(config),
                attributes: to_list(factory.attributes()),
            })
        }),
        _ => None,
    })
}

/// A client of a service as its dynamic config lists it (upstream's `ClientDetails`).
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClientInfo {
    /// The client's id (hexadecimal, as `Client.id`).
    pub id: String,
    /// Its port name ("" for none).
    pub name: String,
    /// The id of its node (hexadecimal).
    pub node_id: String,
    /// Requests its data segment holds.
    pub number_of_requests: usize,
    /// Responses it can queue per pending response.
    pub response_buffer_size: usize,
    /// The longest request slice it can loan now.
    pub max_slice_len: usize,
}

/// A server of a service as its dynamic config lists it (upstream's `ServerDetails`).
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServerInfo {
    /// The server's id (hexadecimal, as `Server.id`).
    pub id: String,
    /// Its port name ("" for none).
    pub name: String,
    /// The id of its node (hexadecimal).
    pub node_id: String,
    /// Requests it can queue.
    pub request_buffer_size: usize,
    /// Responses its data segment holds.
    pub number_of_responses: usize,
    /// The longest response slice it can loan now.
    pub max_slice_len: usize,
}

/// The ports a request-response service has now, in every process.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestResponsePorts {
    /// Every client.
    pub clients: Vec<ClientInfo>,
    /// Every server.
    pub servers: Vec<ServerInfo>,
}

/// Every client and server of the service, from its dynamic config.
pub fn service_ports(handle: Handle) -> Result<RequestResponsePorts> {
    with_object(handle, "request-response Service", |object| match object {
        RequestResponseObject::Service(factory, _) => Some({
            let config = factory.dynamic_config();
            Ok(RequestResponsePorts {
                clients: crate::pattern::listed(
                    |f| config.list_clients(f),
                    |c| ClientInfo {
                        id: c.client_id.to_string(),
                        name: c.client_name.as_str().to_string(),
                        node_id: c.node_id.to_string(),
                        number_of_requests: c.number_of_requests,
                        response_buffer_size: c.response_buffer_size,
                        max_slice_len: c.max_slice_len,
                    },
                ),
                servers: crate::pattern::listed(
                    |f| config.list_servers(f),
                    |s| ServerInfo {
                        id: s.server_id.to_string(),
                        name: s.server_name.as_str().to_string(),
                        node_id: s.node_id.to_string(),
                        request_buffer_size: s.request_buffer_size,
                        number_of_responses: s.number_of_responses,
                        max_slice_len: s.max_slice_len,
                    },
                ),
            })
        }),
        _ => None,
    })
}

/// The service's node config defaults, after checking `service_handle` names a service.
fn service_defaults(service_handle: Handle) -> Result<iceoryx2::config::RequestResonse> {
    with_object(
        service_handle,
        "request-response Service",
        |object| match object {
            RequestResponseObject::Service(..) => Some(Ok(())),
            _ => None,
        },
    )?;
    Ok(node_defaults(service_handle)?.request_response)
}

/// The chunk count and segment type of a sending port of `service`, from its dynamic config.
fn port_segment(
    service: Handle,
    find: impl Fn(&RawFactory) -> Option<(usize, DataSegmentType)>,
) -> Result<(usize, DataSegmentType)> {
    with_object(service, "request-response Service", |object| match object {
        RequestResponseObject::Service(factory, _) => Some(find(factory).ok_or_else(|| {
            Error::new(
                ErrorKind::InternalFailure,
                "the port is missing from its service's dynamic config",
            )
        })),
        _ => None,
    })
}

/// Checks a loan beyond a port's initial slice length against the limits, if the port grows.
fn check_growth(
    owner: &str,
    (chunks, segment_type): (usize, DataSegmentType),
    header: SystemHeader,
    types: &MessageTypes,
    elements: usize,
) -> Result<()> {
    // A static segment refuses the loan itself.
    if segment_type == DataSegmentType::Static {
        return Ok(());
    }
    let chunk_bytes = chunk_bytes(header, types, elements)?;
    limits::check_growth(owner, chunks, chunk_bytes, elements)
}

fn parent_of(handle: Handle, what: &str) -> Result<Handle> {
    handles::parent(handle)?.ok_or_else(|| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("a {what} without its parent"),
        )
    })
}

impl Classify for RequestResponseOpenError {
    fn kind(&self) -> ErrorKind {
        use RequestResponseOpenError as E;
        match self {
            E::Interrupt => ErrorKind::Interrupted,
            E::DoesNotExist => ErrorKind::ServiceNotFound,
            E::DoesNotSupportRequestedAmountOfClientRequestLoans
            | E::DoesNotSupportRequestedAmountOfActiveRequestsPerClient
            | E::DoesNotSupportRequestedResponseBufferSize
            | E::DoesNotSupportRequestedAmountOfServers
            | E::DoesNotSupportRequestedAmountOfClients
            | E::DoesNotSupportRequestedAmountOfNodes
            | E::DoesNotSupportRequestedAmountOfBorrowedResponsesPerPendingResponse
            | E::IncompatibleOverflowBehaviorForRequests
            | E::IncompatibleOverflowBehaviorForResponses
            | E::IncompatibleBehaviorForFireAndForgetRequests => ErrorKind::IncompatibleQos,
            E::ExceedsMaxNumberOfNodes => ErrorKind::LimitReached,
            E::HangsInCreation | E::IsMarkedForDestruction => ErrorKind::ServiceInFlux,
            E::IncompatibleRequestOrResponseType => ErrorKind::IncompatibleTypes,
            E::IncompatibleAttributes => ErrorKind::IncompatibleAttributes,
            E::IncompatibleMessagingPattern => ErrorKind::IncompatibleMessagingPattern,
            E::InsufficientPermissions => ErrorKind::PermissionDenied,
            E::ServiceInCorruptedState => ErrorKind::ServiceInCorruptedState,
            E::VersionMismatch => ErrorKind::VersionMismatch,
            E::UnableToAcquireTypeDefinition => ErrorKind::TypeDefinitionUnavailable,
            E::InvalidTypeDefinition => ErrorKind::InvalidArgument,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for RequestResponseCreateError {
    fn kind(&self) -> ErrorKind {
        use RequestResponseCreateError as E;
        match self {
            E::Interrupt => ErrorKind::Interrupted,
            E::AlreadyExists => ErrorKind::ServiceAlreadyExists,
            E::IsBeingCreatedByAnotherInstance | E::HangsInCreation => ErrorKind::ServiceInFlux,
            E::InsufficientPermissions => ErrorKind::PermissionDenied,
            E::ServiceInCorruptedState => ErrorKind::ServiceInCorruptedState,
            E::UnableToAcquireTypeDefinition => ErrorKind::TypeDefinitionUnavailable,
            E::InvalidTypeDefinition => ErrorKind::InvalidArgument,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for RequestResponseOpenOrCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            RequestResponseOpenOrCreateError::RequestResponseOpenError(e) => e.kind(),
            RequestResponseOpenOrCreateError::RequestResponseCreateError(e) => e.kind(),
            RequestResponseOpenOrCreateError::SystemInFlux => ErrorKind::ServiceInFlux,
        }
    }
}
