//! Every operation JavaScript can run, declared once. The fronts dispatch to these tables by
//! shape, and the code generator writes their names, codes and (for control operations) typed
//! arguments and results into core-api. Adding an operation is one line here, the typed core
//! function it calls, and the TypeScript method that uses it.

use super::typescript::Declarations;
use super::{count, decode, encode, flag, handle, sample, CallOp, MemoryOp, SendCopyOp, ViewOp};
use crate::error::Result;
use crate::handles::Handle;
use crate::{blackboard, discovery, event, node, pubsub, reactor, request_response, spans};

/// One control operation: its name, what it does, how to run it on JSON, and its TypeScript
/// signature (from the Rust types it takes and returns).
pub struct ControlOperation {
    pub name: &'static str,
    pub doc: &'static str,
    /// The kind of object whose handle it acts on (`None`: the handle argument is ignored, and 0
    /// by convention), e.g. `"PubSubService"`.
    pub takes: Option<&'static str>,
    /// The kind of object whose handle it returns, if it creates one.
    pub makes: Option<&'static str>,
    pub(super) run: fn(f64, &str) -> Result<String>,
    /// The TypeScript names of its argument type (`None` when it takes none) and result type;
    /// their declarations go to the collector.
    pub signature: fn(&mut Declarations) -> (Option<String>, String),
}

/// Declares control operations:
/// `"name" (handle h: Kind, args a: Type) -> Result as Made = expression;` where `h` binds the
/// handle of an object of kind `Kind`, `a` the decoded arguments, `as Made` names the kind of
/// object a returned handle names, and the expression yields `Result<Result>`. Handle, arguments
/// and `as` may each be left out.
macro_rules! control_operations {
    (@kind) => { None };
    (@kind $kind:ident) => { Some(stringify!($kind)) };
    (@args $types:ident) => { None };
    (@args $types:ident $args_type:ty) => { Some($types.name_of::<$args_type>()) };
    ($(
        $(#[doc = $doc:literal])*
        $name:literal ( $(handle $handle:ident : $takes:ident)? $(,)? $(args $args:ident : $args_type:ty)? )
            -> $result:ty $(as $makes:ident)? = $body:expr;
    )*) => {
        pub(super) const CONTROL: &[ControlOperation] = &[$(
            ControlOperation {
                name: $name,
                doc: concat!($($doc, "\n"),*),
                takes: control_operations!(@kind $($takes)?),
                makes: control_operations!(@kind $($makes)?),
                run: |_handle: f64, _args: &str| -> Result<String> {
                    $(let $handle: Handle = handle(_handle)?;)?
                    $(let $args: $args_type = decode(_args, $name)?;)?
                    let result: $result = $body?;
                    encode(&result)
                },
                signature: |_types: &mut Declarations| {
                    let args = control_operations!(@args _types $($args_type)?);
                    (args, _types.name_of::<$result>())
                },
            },
        )*];
    };
}

control_operations! {
    /// The names of every operation of the loaded library, for core-api's load-time check.
    "ops" () -> super::OpNames = Ok(super::op_names());
    /// Creates a node; returns its handle.
    "node.create" (args spec: node::NodeSpec) -> Handle as Node = node::create(spec);
    /// The node's name ("" when it has none).
    "node.name" (handle node: Node) -> String = node::name(node);
    /// The node's unique id, as upstream prints it.
    "node.id" (handle node: Node) -> String = node::id(node);
    /// The config the node was created with.
    "node.config" (handle node: Node) -> node::ConfigJson = node::config(node);
    /// The config a node would get, with the file it came from.
    "config.resolve" (args spec: node::ConfigSpec) -> node::SourcedConfigJson =
        discovery::resolve_config(spec);
    /// Every service under a config's prefix.
    "discovery.listServices" (args args: discovery::ConfigArgs) -> Vec<discovery::ServiceInfo> =
        discovery::list_services(args);
    /// One service's details, or null when it does not exist.
    "discovery.serviceDetails" (args args: discovery::ServiceArgs)
        -> Option<discovery::ServiceInfo> = discovery::service_details(args);
    /// Whether a service exists.
    "discovery.doesExist" (args args: discovery::ServiceArgs) -> bool =
        discovery::does_exist(args);
    /// Every node under a config's prefix, dead ones included.
    "discovery.listNodes" (args args: discovery::ConfigArgs) -> Vec<discovery::NodeInfo> =
        discovery::list_nodes(args);
    /// Removes the stale resources of every dead node under a config's prefix.
    "discovery.cleanupDeadNodes" (args args: discovery::ConfigArgs) -> discovery::CleanupReport =
        discovery::cleanup_dead_nodes(args);
    /// Creates or opens a publish-subscribe service under a node.
    "pubsub.serviceOpen" (handle node: Node, args spec: pubsub::PubSubServiceSpec)
        -> Handle as PubSubService =
        pubsub::service_open(node, spec);
    /// What an open publish-subscribe service is.
    "pubsub.serviceInfo" (handle service: PubSubService) -> pubsub::PubSubServiceInfo =
        pubsub::service_info(service);
    "pubsub.publisherCreate" (handle service: PubSubService, args spec: pubsub::PublisherSpec)
        -> Handle as Publisher =
        pubsub::publisher_create(service, spec);
    "pubsub.subscriberCreate" (handle service: PubSubService, args spec: pubsub::SubscriberSpec)
        -> Handle as Subscriber =
        pubsub::subscriber_create(service, spec);
    /// The publisher's system-wide unique id (hexadecimal, as upstream prints it).
    "pubsub.publisherId" (handle publisher: Publisher) -> String = pubsub::publisher_id(publisher);
    /// The subscriber's system-wide unique id (hexadecimal, as upstream prints it).
    "pubsub.subscriberId" (handle subscriber: Subscriber) -> String = pubsub::subscriber_id(subscriber);
    /// Creates or opens an event service under a node.
    "event.serviceOpen" (handle node: Node, args spec: event::EventServiceSpec)
        -> Handle as EventService =
        event::service_open(node, spec);
    "event.serviceInfo" (handle service: EventService) -> event::EventServiceInfo =
        event::service_info(service);
    "event.notifierCreate" (handle service: EventService, args spec: event::NotifierSpec)
        -> Handle as Notifier =
        event::notifier_create(service, spec);
    "event.listenerCreate" (handle service: EventService, args spec: event::ListenerSpec)
        -> Handle as Listener =
        event::listener_create(service, spec);
    /// The events pending now, as `[id, count]` pairs.
    "event.listenerTryWait" (handle listener: Listener) -> Vec<(usize, u64)> =
        event::listener_wait(listener, event::Wait::Try);
    /// The events that arrive within a timeout, as `[id, count]` pairs.
    "event.listenerTimedWait" (handle listener: Listener, args spec: event::TimedWaitSpec)
        -> Vec<(usize, u64)> = event::listener_timed_wait(listener, spec);
    /// The events that arrive, waiting without bound, as `[id, count]` pairs.
    "event.listenerBlockingWait" (handle listener: Listener) -> Vec<(usize, u64)> =
        event::listener_wait(listener, event::Wait::Blocking);
    /// The service's deadline in milliseconds, or null.
    "event.listenerDeadline" (handle listener: Listener) -> Option<f64> = event::listener_deadline(listener);
    /// Creates or opens a request-response service under a node.
    "reqres.serviceOpen" (handle node: Node, args spec: request_response::RequestResponseServiceSpec)
        -> Handle as ReqResService = request_response::service_open(node, spec);
    "reqres.serviceInfo" (handle service: ReqResService) -> request_response::RequestResponseServiceInfo =
        request_response::service_info(service);
    "reqres.clientCreate" (handle service: ReqResService, args spec: request_response::ClientSpec)
        -> Handle as Client =
        request_response::client_create(service, spec);
    "reqres.serverCreate" (handle service: ReqResService, args spec: request_response::ServerSpec)
        -> Handle as Server =
        request_response::server_create(service, spec);
    /// Creates or opens a blackboard service under a node.
    "blackboard.serviceOpen" (handle node: Node, args spec: blackboard::BlackboardServiceSpec)
        -> Handle as BlackboardService = blackboard::service_open(node, spec);
    "blackboard.serviceInfo" (handle service: BlackboardService) -> blackboard::BlackboardServiceInfo =
        blackboard::service_info(service);
    /// Every key of the blackboard, as its bytes.
    "blackboard.listKeys" (handle service: BlackboardService) -> Vec<Vec<u8>> = blackboard::list_keys(service);
    "blackboard.writerCreate" (handle service: BlackboardService, args spec: blackboard::WriterSpec)
        -> Handle as Writer =
        blackboard::writer_create(service, spec);
    "blackboard.readerCreate" (handle service: BlackboardService, args spec: blackboard::ReaderSpec)
        -> Handle as Reader =
        blackboard::reader_create(service, spec);
    "blackboard.writerEntry" (handle writer: Writer, args request: blackboard::EntryRequest)
        -> Handle as WriterEntry =
        blackboard::writer_entry(writer, request);
    "blackboard.readerEntry" (handle reader: Reader, args request: blackboard::EntryRequest)
        -> Handle as ReaderEntry =
        blackboard::reader_entry(reader, request);
}

/// Call operations: `(handle, number) → number`.
pub(super) const CALL: &[(&str, CallOp)] = &[
    ("unmapSpan", |_, address| {
        spans::unmap_alias(count(address, "address")?);
        Ok(0.0)
    }),
    ("disconnectSpan", |_, address| {
        spans::disconnect_alias(count(address, "address")?);
        Ok(0.0)
    }),
    ("close", |any, _| {
        Ok(flag(handle(any).map(crate::close).unwrap_or(false)))
    }),
    ("openHandleCount", |_, _| {
        Ok(crate::handles::open_count() as f64)
    }),
    ("setLogLevel", |_, level| {
        crate::set_log_level(count(level, "log level")? as u32).map(|_| 0.0)
    }),
    ("unwatch", |_, token| {
        reactor::unwatch(token);
        Ok(0.0)
    }),
    ("sampleSend", |sample, _| {
        pubsub::sample_send(handle(sample)?).map(|n| n as f64)
    }),
    ("publisherUpdateConnections", |publisher, _| {
        pubsub::publisher_update_connections(handle(publisher)?).map(|_| 0.0)
    }),
    ("subscriberHasSamples", |subscriber, _| {
        pubsub::subscriber_has_samples(handle(subscriber)?).map(flag)
    }),
    ("notifierNotify", |notifier, id| {
        event::notify(handle(notifier)?, count(id, "event id")?).map(|n| n as f64)
    }),
    ("listenerWatch", |listener, _| {
        event::listener_watch(handle(listener)?)
    }),
    ("listenerIsReadable", |listener, _| {
        event::listener_is_readable(handle(listener)?).map(flag)
    }),
    ("responseSend", |response, _| {
        request_response::response_send(handle(response)?).map(|_| 0.0)
    }),
    ("pendingResponseIsConnected", |pending, _| {
        request_response::pending_query(handle(pending)?, |p| flag(p.is_connected()))
    }),
    ("pendingResponseHasResponse", |pending, _| {
        request_response::pending_query(handle(pending)?, |p| flag(p.has_response()))
    }),
    ("pendingResponseServerConnections", |pending, _| {
        request_response::pending_query(handle(pending)?, |p| {
            p.number_of_server_connections() as f64
        })
    }),
    ("pendingResponseSetDisconnectHint", |pending, _| {
        request_response::pending_query(handle(pending)?, |p| {
            p.set_disconnect_hint();
            0.0
        })
    }),
    ("activeRequestIsConnected", |active, _| {
        request_response::active_query(handle(active)?, |r| r.is_connected()).map(flag)
    }),
    ("activeRequestHasDisconnectHint", |active, _| {
        request_response::active_query(handle(active)?, |r| r.has_disconnect_hint()).map(flag)
    }),
    ("serverHasRequests", |server, _| {
        request_response::server_has_requests(handle(server)?).map(flag)
    }),
    ("blackboardEntryGet", |entry, _| {
        blackboard::entry_get(handle(entry)?).map(|_| 0.0)
    }),
    ("blackboardEntryIsUpToDate", |entry, _| {
        blackboard::entry_is_up_to_date(handle(entry)?).map(flag)
    }),
    ("blackboardEntryId", |entry, _| {
        blackboard::entry_id(handle(entry)?).map(|id| id as f64)
    }),
    ("blackboardEntryValueUpdate", |loan, _| {
        blackboard::entry_value_update(handle(loan)?).map(|_| 0.0)
    }),
];

/// Memory operations: `(handle, number, number) → a sample or nothing`.
pub(super) const MEMORY: &[(&str, MemoryOp)] = &[
    ("publisherLoan", |publisher, elements, zeroed, info| {
        let made = pubsub::publisher_loan(
            handle(publisher)?,
            count(elements, "elements")?,
            zeroed != 0.0,
        )?;
        sample(Some(made), info)
    }),
    ("subscriberReceive", |subscriber, _, _, info| {
        sample(pubsub::subscriber_receive(handle(subscriber)?)?, info)
    }),
    ("clientLoan", |client, elements, zeroed, info| {
        let made = request_response::client_loan(
            handle(client)?,
            count(elements, "elements")?,
            zeroed != 0.0,
        )?;
        sample(Some(made), info)
    }),
    ("requestSend", |request, _, _, info| {
        sample(
            Some(request_response::request_send(handle(request)?)?),
            info,
        )
    }),
    ("pendingResponseRequest", |pending, _, _, info| {
        let made = request_response::pending_response_request(handle(pending)?)?;
        sample(Some(made), info)
    }),
    ("pendingResponseReceive", |pending, _, _, info| {
        sample(
            request_response::pending_response_receive(handle(pending)?)?,
            info,
        )
    }),
    ("serverReceive", |server, _, _, info| {
        sample(request_response::server_receive(handle(server)?)?, info)
    }),
    ("activeRequestLoan", |active, elements, zeroed, info| {
        let made = request_response::active_request_loan(
            handle(active)?,
            count(elements, "elements")?,
            zeroed != 0.0,
        )?;
        sample(Some(made), info)
    }),
    ("blackboardEntryBuffer", |entry, _, _, info| {
        sample(Some(blackboard::entry_buffer(handle(entry)?)?), info)
    }),
    ("blackboardEntryLoan", |entry, from_current, _, info| {
        let made = blackboard::entry_loan(handle(entry)?, from_current != 0.0)?;
        sample(Some(made), info)
    }),
    // Takes the pending events (when `from` is 0) and describes up to TAKEN_EVENTS_PER_CALL of
    // them from index `from` on: one crossing per wake-up, however many ids it brings.
    ("listenerTake", |listener, from, _, info| {
        event::listener_take(handle(listener)?, count(from, "event index")?, info)
    }),
];

/// View operations: `sample handle → a span to make a buffer over`.
pub(super) const VIEW: &[(&str, ViewOp)] = &[
    ("mappingAround", |sample| {
        spans::mapping_around(spans::sample_span(sample)?)
    }),
    ("sampleSpan", |sample| {
        spans::sample_span(sample).map(spans::alias_of)
    }),
];

/// Send-copy operations: `(handle, bytes, bytes) → number`.
pub(super) const SEND_COPY: &[(&str, SendCopyOp)] = &[
    ("publisherSendCopy", |publisher, payload, header| {
        pubsub::publisher_send_copy(handle(publisher)?, payload, header).map(|n| n as f64)
    }),
    ("clientSendCopy", |client, payload, header| {
        request_response::client_send_copy(handle(client)?, payload, header).map(|h| h as f64)
    }),
    ("activeRequestSendCopy", |active, payload, header| {
        request_response::active_request_send_copy(handle(active)?, payload, header).map(|_| 0.0)
    }),
    ("blackboardEntryUpdate", |entry, value, _| {
        blackboard::entry_update(handle(entry)?, value).map(|_| 0.0)
    }),
];
