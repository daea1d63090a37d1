//! Every operation JavaScript can run, declared once. The fronts dispatch to these tables by
//! shape, and the code generator writes their names, codes and (for control operations) typed
//! arguments and results into core-api. Adding an operation is one line here, the typed core
//! function it calls, and the TypeScript method that uses it.

use super::typescript::Declarations;
use super::{
    count, decode, encode, flag, handle, sample, CallOp, ConsumeOp, MemoryOp, SendCopyOp, ViewOp,
};
use crate::error::Result;
use crate::handles::{Handle, Span};
use crate::{
    blackboard, discovery, event, logging, node, port_events, pubsub, reactor, request_response,
    spans,
};

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
    /// Opens a log stream: iceoryx2's records queue for it instead of going to stderr.
    "log.subscribe" () -> Handle as LogStream = logging::subscribe();
    /// The records queued for a log stream since the last take.
    "log.take" (handle stream: LogStream) -> logging::TakenLogRecords = logging::take(stream);
    /// Opens a stream for the backpressure and degradation events of a port about to be created.
    "portEvents.open" () -> Handle as PortEventStream = port_events::open();
    /// The events queued for a port event stream since the last take.
    "portEvents.take" (handle stream: PortEventStream) -> port_events::TakenPortEvents =
        port_events::take(stream);
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
    /// Removes a service by force (for one a crash left unusable); refused while live nodes use it.
    "node.forceRemoveService" (handle node: Node, args target: discovery::NamedService) -> bool =
        discovery::force_remove_service(node, target);
    /// Removes the stale resources of every dead node under a config's prefix.
    "discovery.cleanupDeadNodes" (args args: discovery::CleanupArgs) -> discovery::CleanupReport =
        discovery::cleanup_dead_nodes(args);
    /// Creates or opens a publish-subscribe service under a node.
    "pubsub.serviceOpen" (handle node: Node, args spec: pubsub::PubSubServiceSpec)
        -> Handle as PubSubService =
        pubsub::service_open(node, spec);
    /// What an open publish-subscribe service is.
    "pubsub.serviceInfo" (handle service: PubSubService) -> pubsub::PubSubServiceInfo =
        pubsub::service_info(service);
    /// Every publisher and subscriber the service has now, in every process.
    "pubsub.servicePorts" (handle service: PubSubService) -> pubsub::PubSubPorts =
        pubsub::service_ports(service);
    "pubsub.publisherCreate" (handle service: PubSubService, args spec: pubsub::PublisherSpec)
        -> Handle as Publisher =
        pubsub::publisher_create(service, spec);
    "pubsub.subscriberCreate" (handle service: PubSubService, args spec: pubsub::SubscriberSpec)
        -> Handle as Subscriber =
        pubsub::subscriber_create(service, spec);
    /// A receive batch: many samples per call (`sampleBatchReceive`), released together.
    "pubsub.batchCreate" (handle subscriber: Subscriber) -> Handle as ReceiveBatch =
        pubsub::batch_create(subscriber);
    /// A send batch: many loans per call (`sampleBatchLoan`), sent together (`sampleBatchSend`).
    "pubsub.sendBatchCreate" (handle publisher: Publisher, args spec: pubsub::SendBatchSpec)
        -> Handle as SendBatch =
        pubsub::send_batch_create(publisher, spec);
    /// The publisher's system-wide unique id (hexadecimal, as upstream prints it).
    "pubsub.publisherId" (handle publisher: Publisher) -> String = pubsub::publisher_id(publisher);
    /// The publisher's settings.
    "pubsub.publisherSettings" (handle publisher: Publisher) -> crate::sending::SendingPortSettings =
        pubsub::publisher_settings(publisher);
    /// The subscriber's system-wide unique id (hexadecimal, as upstream prints it).
    "pubsub.subscriberId" (handle subscriber: Subscriber) -> String = pubsub::subscriber_id(subscriber);
    /// How many samples the subscriber queues.
    "pubsub.subscriberBufferSize" (handle subscriber: Subscriber) -> usize =
        pubsub::subscriber_buffer_size(subscriber);
    /// Who sent a received sample: publisher id, node id, element count.
    "pubsub.sampleHeader" (handle sample: Sample) -> pubsub::SampleHeader = pubsub::sample_header(sample);
    /// Creates or opens an event service under a node.
    "event.serviceOpen" (handle node: Node, args spec: event::EventServiceSpec)
        -> Handle as EventService =
        event::service_open(node, spec);
    "event.serviceInfo" (handle service: EventService) -> event::EventServiceInfo =
        event::service_info(service);
    /// Every notifier and listener the service has now, in every process.
    "event.servicePorts" (handle service: EventService) -> event::EventPorts =
        event::service_ports(service);
    "event.notifierCreate" (handle service: EventService, args spec: event::NotifierSpec)
        -> Handle as Notifier =
        event::notifier_create(service, spec);
    /// Every listener the notifier is connected to now: id, name, node id.
    "event.notifierListeners" (handle notifier: Notifier) -> Vec<crate::pattern::PortInfo> =
        event::notifier_listeners(notifier);
    /// Notifies one listener by id; 1 when it was connected and notified, 0 when not.
    "event.notifyListener" (handle notifier: Notifier, args target: event::ListenerTarget) -> usize =
        event::notify_listener(notifier, target);
    /// The notifier's system-wide unique id (hexadecimal, as upstream prints it).
    "event.notifierId" (handle notifier: Notifier) -> String = event::notifier_id(notifier);
    /// The service's deadline in milliseconds, or null.
    "event.notifierDeadline" (handle notifier: Notifier) -> Option<f64> = event::notifier_deadline(notifier);
    /// The listener's system-wide unique id (hexadecimal, as upstream prints it).
    "event.listenerId" (handle listener: Listener) -> String = event::listener_id(listener);
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
    /// Every client and server the service has now, in every process.
    "reqres.servicePorts" (handle service: ReqResService) -> request_response::RequestResponsePorts =
        request_response::service_ports(service);
    "reqres.serviceInfo" (handle service: ReqResService) -> request_response::RequestResponseServiceInfo =
        request_response::service_info(service);
    "reqres.clientCreate" (handle service: ReqResService, args spec: request_response::ClientSpec)
        -> Handle as Client =
        request_response::client_create(service, spec);
    "reqres.serverCreate" (handle service: ReqResService, args spec: request_response::ServerSpec)
        -> Handle as Server =
        request_response::server_create(service, spec);
    /// The client's system-wide unique id (hexadecimal, as upstream prints it).
    "reqres.clientId" (handle client: Client) -> String = request_response::client_id(client);
    /// The client's settings.
    "reqres.clientSettings" (handle client: Client) -> crate::sending::SendingPortSettings =
        request_response::client_settings(client);
    /// The server's system-wide unique id (hexadecimal, as upstream prints it).
    "reqres.serverId" (handle server: Server) -> String = request_response::server_id(server);
    /// The server's settings.
    "reqres.serverSettings" (handle server: Server) -> crate::sending::SendingPortSettings =
        request_response::server_settings(server);
    /// Who sent the request an active request answers: client id, node id, element count.
    "reqres.requestHeader" (handle active: ActiveRequest) -> request_response::RequestHeaderInfo =
        request_response::request_header(active);
    /// Who sent a received response: server id, node id, element count.
    "reqres.responseHeader" (handle response: Response) -> request_response::ResponseHeaderInfo =
        request_response::response_header(response);
    /// Creates or opens a blackboard service under a node.
    "blackboard.serviceOpen" (handle node: Node, args spec: blackboard::BlackboardServiceSpec)
        -> Handle as BlackboardService = blackboard::service_open(node, spec);
    /// Every writer and reader the service has now, in every process.
    "blackboard.servicePorts" (handle service: BlackboardService) -> blackboard::BlackboardPorts =
        blackboard::service_ports(service);
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
    /// The writer's system-wide unique id (hexadecimal, as upstream prints it).
    "blackboard.writerId" (handle writer: Writer) -> String = blackboard::writer_id(writer);
    /// The reader's system-wide unique id (hexadecimal, as upstream prints it).
    "blackboard.readerId" (handle reader: Reader) -> String = blackboard::reader_id(reader);
    "blackboard.writerEntry" (handle writer: Writer, args request: blackboard::EntryRequest)
        -> Handle as WriterEntry =
        blackboard::writer_entry(writer, request);
    "blackboard.readerEntry" (handle reader: Reader, args request: blackboard::EntryRequest)
        -> Handle as ReaderEntry =
        blackboard::reader_entry(reader, request);
}

/// Every per-message operation, declared once, one named function each. The list is handed to
/// `$callback`, a macro that receives it in the form below: the core defines the functions and
/// their tables from it (`define_operations`, in this file), the C-ABI front exports one symbol
/// per operation (`iox2js_<name>`), the Node-API front one function per operation. Bodies are
/// expanded only here; the fronts use the names.
///
/// Shapes:
/// - `call` `(handle, number) → number`: plain numbers in and out;
/// - `consume` `(handle) → number`: runs on a sample or entry whose own buffer the front detaches
///   first (send, release);
/// - `memory` `(handle, number, number, info) → made?`: describes what it made in the front's
///   info array (a sample's handle and span, or taken events);
/// - `view` `(sample) → span`: memory to make a JavaScript buffer over (`crate::spans`);
/// - `send_copy` `(handle, bytes, bytes) → number`.
#[macro_export]
macro_rules! per_message_operations {
    ($callback:ident) => {
        $callback! {
            call {
                /// Unmaps a sample's private alias once JavaScript dropped its buffer.
                unmap_span "unmapSpan" = |_, address| {
                    spans::unmap_alias(count(address, "address")?);
                    Ok(0.0)
                };
                /// Points a sample's private alias at nothing, so a kept buffer reads zeros.
                disconnect_span "disconnectSpan" = |_, address| {
                    spans::disconnect_alias(count(address, "address")?);
                    Ok(0.0)
                };
                /// How many handles are open (for leak checks).
                open_handle_count "openHandleCount" = |_, _| {
                    Ok(crate::handles::open_count() as f64)
                };
                /// Sets iceoryx2's log level (0 trace … 5 fatal).
                set_log_level "setLogLevel" = |_, level| {
                    crate::set_log_level(count(level, "log level")? as u32).map(|_| 0.0)
                };
                /// iceoryx2's log level now (0 trace … 5 fatal).
                log_level "logLevel" = |_, _| Ok(f64::from(crate::log_level()));
                /// Watches a log stream: its token is delivered to the waker once records wait.
                log_stream_watch "logStreamWatch" = |stream, _| logging::watch(handle(stream)?);
                /// Watches a port event stream: its token is delivered to the waker once events wait.
                port_events_watch "portEventsWatch" = |stream, _| port_events::watch(handle(stream)?);
                /// Forgets a watch token; its wake-up, if any, is dropped.
                unwatch "unwatch" = |_, token| {
                    reactor::unwatch(token);
                    Ok(0.0)
                };
                /// Connects a publisher to subscribers that appeared since.
                publisher_update_connections "publisherUpdateConnections" = |publisher, _| {
                    pubsub::publisher_update_connections(handle(publisher)?).map(|_| 0.0)
                };
                /// Connects a subscriber to publishers that appeared since.
                subscriber_update_connections "subscriberUpdateConnections" = |subscriber, _| {
                    pubsub::subscriber_update_connections(handle(subscriber)?).map(|_| 0.0)
                };
                /// Connects a client to servers that appeared since.
                client_update_connections "clientUpdateConnections" = |client, _| {
                    request_response::client_update_connections(handle(client)?).map(|_| 0.0)
                };
                /// Connects a server to clients that appeared since.
                server_update_connections "serverUpdateConnections" = |server, _| {
                    request_response::server_update_connections(handle(server)?).map(|_| 0.0)
                };
                /// Connects a notifier to listeners that appeared since.
                notifier_update_connections "notifierUpdateConnections" = |notifier, _| {
                    event::notifier_update_connections(handle(notifier)?).map(|_| 0.0)
                };
                /// Releases the samples a receive or send batch holds; returns how many.
                sample_batch_release "sampleBatchRelease" = |batch, _| {
                    pubsub::batch_release(handle(batch)?).map(|n| n as f64)
                };
                /// Sends the samples a send batch holds; returns the deliveries they made.
                sample_batch_send "sampleBatchSend" = |batch, _| {
                    pubsub::batch_send(handle(batch)?).map(|n| n as f64)
                };
                /// Moves a sample out of its receive batch: the user releases it.
                sample_batch_keep "sampleBatchKeep" = |batch, sample| {
                    pubsub::batch_keep(handle(batch)?, handle(sample)?).map(|_| 0.0)
                };
                /// 1 when the subscriber has samples to receive.
                subscriber_has_samples "subscriberHasSamples" = |subscriber, _| {
                    pubsub::subscriber_has_samples(handle(subscriber)?).map(flag)
                };
                /// Notifies the service's listeners with an event id; returns how many were reached.
                notifier_notify "notifierNotify" = |notifier, id| {
                    event::notify(handle(notifier)?, count(id, "event id")?).map(|n| n as f64)
                };
                /// Watches a listener: its token is delivered to the waker once it turns readable.
                listener_watch "listenerWatch" = |listener, _| {
                    event::listener_watch(handle(listener)?)
                };
                /// 1 when the listener has events to take.
                listener_is_readable "listenerIsReadable" = |listener, _| {
                    event::listener_is_readable(handle(listener)?).map(flag)
                };
                /// 1 while a pending response's request still reaches a server.
                pending_response_is_connected "pendingResponseIsConnected" = |pending, _| {
                    request_response::pending_query(handle(pending)?, |p| flag(p.is_connected()))
                };
                /// 1 when a pending response has a response to receive.
                pending_response_has_response "pendingResponseHasResponse" = |pending, _| {
                    request_response::pending_query(handle(pending)?, |p| flag(p.has_response()))
                };
                /// How many servers received the request.
                pending_response_server_connections "pendingResponseServerConnections" = |pending, _| {
                    request_response::pending_query(handle(pending)?, |p| {
                        p.number_of_server_connections() as f64
                    })
                };
                /// Asks the servers to stop responding.
                pending_response_set_disconnect_hint "pendingResponseSetDisconnectHint" = |pending, _| {
                    request_response::pending_query(handle(pending)?, |p| {
                        p.set_disconnect_hint();
                        0.0
                    })
                };
                /// 1 while the client still waits for responses to an active request.
                active_request_is_connected "activeRequestIsConnected" = |active, _| {
                    request_response::active_query(handle(active)?, |r| r.is_connected()).map(flag)
                };
                /// 1 when the client asked the server to stop responding.
                active_request_has_disconnect_hint "activeRequestHasDisconnectHint" = |active, _| {
                    request_response::active_query(handle(active)?, |r| r.has_disconnect_hint()).map(flag)
                };
                /// 1 when the server has requests to receive.
                server_has_requests "serverHasRequests" = |server, _| {
                    request_response::server_has_requests(handle(server)?).map(flag)
                };
                /// Reads a blackboard entry's value into its buffer.
                blackboard_entry_get "blackboardEntryGet" = |entry, _| {
                    blackboard::entry_get(handle(entry)?).map(|_| 0.0)
                };
                /// 1 when the entry's buffer holds the latest value.
                blackboard_entry_is_up_to_date "blackboardEntryIsUpToDate" = |entry, _| {
                    blackboard::entry_is_up_to_date(handle(entry)?).map(flag)
                };
                /// The entry's id.
                blackboard_entry_id "blackboardEntryId" = |entry, _| {
                    blackboard::entry_id(handle(entry)?).map(|id| id as f64)
                };
            }
            consume {
                /// Closes a handle (a sample, a port, a node…): 1 when it was open.
                close "close" = |any| Ok(flag(handle(any).map(crate::close).unwrap_or(false)));
                /// Sends a loaned sample; returns how many subscribers it reached.
                sample_send "sampleSend" = |sample| {
                    pubsub::sample_send(handle(sample)?).map(|n| n as f64)
                };
                /// Sends a loaned response.
                response_send "responseSend" = |response| {
                    request_response::response_send(handle(response)?).map(|_| 0.0)
                };
                /// Publishes a loaned blackboard value.
                blackboard_entry_value_update "blackboardEntryValueUpdate" = |loan| {
                    blackboard::entry_value_update(handle(loan)?).map(|_| 0.0)
                };
            }
            memory {
                /// Loans a sample of `elements` (zeroed on request).
                publisher_loan "publisherLoan" = |publisher, elements, zeroed, info| {
                    let made = pubsub::publisher_loan(
                        handle(publisher)?,
                        count(elements, "elements")?,
                        zeroed != 0.0,
                    )?;
                    sample(Some(made), info)
                };
                /// Receives the next sample, if any.
                subscriber_receive "subscriberReceive" = |subscriber, _, _, info| {
                    sample(pubsub::subscriber_receive(handle(subscriber)?)?, info)
                };
                /// Releases what a receive batch holds, then receives up to `max` samples (at most
                /// `RECEIVED_PER_CALL`) and describes them from `SampleInfo.list` on.
                sample_batch_receive "sampleBatchReceive" = |batch, max, _, info| {
                    pubsub::batch_receive(handle(batch)?, count(max, "max")?, info)
                };
                /// Releases what a send batch holds, then loans `count` samples of `elements`
                /// each and describes them from `SampleInfo.list` on.
                sample_batch_loan "sampleBatchLoan" = |batch, count_arg, elements, info| {
                    pubsub::batch_loan(
                        handle(batch)?,
                        count(count_arg, "count")?,
                        count(elements, "elements")?,
                        info,
                    )
                };
                /// Loans a request of `elements` (zeroed on request).
                client_loan "clientLoan" = |client, elements, zeroed, info| {
                    let made = request_response::client_loan(
                        handle(client)?,
                        count(elements, "elements")?,
                        zeroed != 0.0,
                    )?;
                    sample(Some(made), info)
                };
                /// Sends a loaned request; describes the pending response it made.
                request_send "requestSend" = |request, _, _, info| {
                    sample(Some(request_response::request_send(handle(request)?)?), info)
                };
                /// The request a pending response was made from.
                pending_response_request "pendingResponseRequest" = |pending, _, _, info| {
                    let made = request_response::pending_response_request(handle(pending)?)?;
                    sample(Some(made), info)
                };
                /// Receives the next response, if any.
                pending_response_receive "pendingResponseReceive" = |pending, _, _, info| {
                    sample(request_response::pending_response_receive(handle(pending)?)?, info)
                };
                /// Receives the next request as an active request, if any.
                server_receive "serverReceive" = |server, _, _, info| {
                    sample(request_response::server_receive(handle(server)?)?, info)
                };
                /// Loans a response of `elements` (zeroed on request).
                active_request_loan "activeRequestLoan" = |active, elements, zeroed, info| {
                    let made = request_response::active_request_loan(
                        handle(active)?,
                        count(elements, "elements")?,
                        zeroed != 0.0,
                    )?;
                    sample(Some(made), info)
                };
                /// The entry's value buffer.
                blackboard_entry_buffer "blackboardEntryBuffer" = |entry, _, _, info| {
                    sample(Some(blackboard::entry_buffer(handle(entry)?)?), info)
                };
                /// Loans the entry's value (a copy of the current one on request).
                blackboard_entry_loan "blackboardEntryLoan" = |entry, from_current, _, info| {
                    let made = blackboard::entry_loan(handle(entry)?, from_current != 0.0)?;
                    sample(Some(made), info)
                };
                /// Takes the pending events (when `from` is 0) and describes up to
                /// `TAKEN_EVENTS_PER_CALL` of them from index `from` on: one crossing per
                /// wake-up, however many ids it brings.
                listener_take "listenerTake" = |listener, from, _, info| {
                    event::listener_take(handle(listener)?, count(from, "event index")?, info)
                };
            }
            view {
                /// The shared-memory mapping around a sample, viewed once per mapping.
                mapping_around "mappingAround" = |sample| {
                    spans::mapping_around(spans::sample_span(sample)?)
                };
                /// A sample's own span (a private alias), detached when the sample is consumed.
                sample_span "sampleSpan" = |sample| {
                    spans::sample_span(sample).map(spans::alias_of)
                };
            }
            send_copy {
                /// Copies a payload (and user header) into a new sample and sends it.
                publisher_send_copy "publisherSendCopy" = |publisher, payload, header| {
                    pubsub::publisher_send_copy(handle(publisher)?, payload, header).map(|n| n as f64)
                };
                /// Copies a request into a new one and sends it; returns the pending response.
                client_send_copy "clientSendCopy" = |client, payload, header| {
                    request_response::client_send_copy(handle(client)?, payload, header).map(|h| h as f64)
                };
                /// Copies a response into a new one and sends it.
                active_request_send_copy "activeRequestSendCopy" = |active, payload, header| {
                    request_response::active_request_send_copy(handle(active)?, payload, header).map(|_| 0.0)
                };
                /// Writes a blackboard entry's value.
                blackboard_entry_update "blackboardEntryUpdate" = |entry, value, _| {
                    blackboard::entry_update(handle(entry)?, value).map(|_| 0.0)
                };
            }
        }
    };
}

/// One per-message operation: its JavaScript name, its symbol (`iox2js_<symbol>` in the C ABI),
/// what it does, and the function that runs it.
pub struct Operation<F> {
    pub name: &'static str,
    pub symbol: &'static str,
    pub doc: &'static str,
    pub run: F,
}

/// Defines every per-message operation as a public function of its shape's module
/// (`bridge::call::sample_send`…) and lists them in that shape's table.
macro_rules! define_operations {
    (@shape $module:ident $table:ident $type:ty, $first:ident $parameters:tt $arguments:tt $types:tt -> $result:ty {
        $($(#[doc = $doc:literal])* $name:ident $js:literal = $body:expr;)*
    }) => {
        pub mod $module {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[doc = $doc])*
                #[inline]
                pub fn $name $parameters -> $result {
                    let run: fn $types -> $result = $body;
                    // A shared-memory fault absorbed since the last call is reported first.
                    if let Some(fault) = crate::shm_guard::take_fault() {
                        return Err(fault);
                    }
                    crate::panics::guarded($first, || run $arguments)
                }
            )*
        }
        pub const $table: &[Operation<$type>] = &[$(Operation {
            name: $js,
            symbol: stringify!($name),
            doc: concat!($($doc, "\n"),*),
            run: $module::$name,
        },)*];
    };
    (call { $($call:tt)* } consume { $($consume:tt)* } memory { $($memory:tt)* }
        view { $($view:tt)* } send_copy { $($send_copy:tt)* }) => {
        define_operations!(@shape call CALL CallOp, handle
            (handle: f64, arg: f64) (handle, arg) (f64, f64) -> Result<f64> { $($call)* });
        define_operations!(@shape consume CONSUME ConsumeOp, handle
            (handle: f64) (handle) (f64) -> Result<f64> { $($consume)* });
        define_operations!(@shape memory MEMORY MemoryOp, handle
            (handle: f64, a: f64, b: f64, info: &mut [f64]) (handle, a, b, info)
            (f64, f64, f64, &mut [f64]) -> Result<bool> { $($memory)* });
        define_operations!(@shape view VIEW ViewOp, handle (handle: f64) (handle) (f64) -> Result<Span> { $($view)* });
        define_operations!(@shape send_copy SEND_COPY SendCopyOp, handle
            (handle: f64, payload: &[u8], header: &[u8]) (handle, payload, header)
            (f64, &[u8], &[u8]) -> Result<f64> { $($send_copy)* });
    };
}

per_message_operations!(define_operations);
