//! Peers that behave like upstream iceoryx2's Rust examples, written only against upstream's
//! typed API (the pinned crate). Each role uses upstream's service name, types and values,
//! creates its node as upstream's examples do (config files read, termination signals handled),
//! polls with `node.wait` where upstream polls, notifies only where upstream notifies, and prints
//! `exit` once SIGINT or SIGTERM ends its loop. Structs are written with their padding filled
//! with garbage, as Rust leaves padding unspecified. The examples' tests pair every role with
//! the TypeScript counterpart in `packages/examples/src` on Node, Deno and Bun.
//!
//!     iox2js-upstream-examples <example> <role> [--cycle-ms MS] [--name value]...
//!
//! Lines are `key=value` facts for the tests (the same as the Python peer's), not upstream's words.

use core::fmt::Debug;
use core::mem::MaybeUninit;
use core::time::Duration;
use std::collections::HashMap;
use std::process::ExitCode;

use iceoryx2::port::listener::ListenerWaitError;
use iceoryx2::port::update_connections::UpdateConnections;
use iceoryx2::prelude::*;
use iceoryx2_bb_container::string::{StaticString, String as _};
use iceoryx2_bb_container::vector::{StaticVec, Vector as _};

// flatc's output for packages/examples/flatbuffers/*.fbs (scripts/generate-flatbuffers.mjs).
#[path = "flatbuffers/unbounded_data_generated.rs"]
#[allow(clippy::all)]
#[rustfmt::skip]
mod unbounded_data_generated;
#[path = "flatbuffers/data_props_generated.rs"]
#[allow(clippy::all)]
#[rustfmt::skip]
mod data_props_generated;

use data_props_generated::example::{DataProps, DataPropsArgs};
use unbounded_data_generated::example::{Entry, EntryArgs, UnboundedData, UnboundedDataArgs};

type Outcome = Result<(), Box<dyn core::error::Error>>;

#[derive(Debug, Clone, Copy, ZeroCopySend)]
#[type_name("TransmissionData")]
#[repr(C)]
struct TransmissionData {
    x: i32,
    y: i32,
    funky: f64,
}

#[derive(Debug, Default, Clone, Copy, ZeroCopySend)]
#[type_name("CustomHeader")]
#[repr(C)]
struct CustomHeader {
    version: i32,
    timestamp: u64,
}

#[derive(Debug, Clone, Copy, ZeroCopySend, Hash, PartialEq, Eq)]
#[type_name("BlackboardKey")]
#[repr(C)]
struct BlackboardKey {
    x: u32,
    y: i64,
    z: u16,
}

/// A value whose padding bytes hold 0xAB, as uninitialised padding may: peers must compare and
/// read fields, never padding.
fn with_garbage_padding<T: Copy>(write_fields: impl FnOnce(*mut T)) -> T {
    let mut value = MaybeUninit::<T>::uninit();
    // SAFETY: every byte of the value is written (0xAB) before the fields are; the caller's
    // closure writes every field through the pointer, so the value is initialised afterwards.
    unsafe {
        core::ptr::write_bytes(
            value.as_mut_ptr().cast::<u8>(),
            0xAB,
            core::mem::size_of::<T>(),
        );
        write_fields(value.as_mut_ptr());
        value.assume_init()
    }
}

/// The name of upstream's cross-language complex-type example.
#[derive(Debug, Default, PlacementDefault, ZeroCopySend)]
#[repr(C)]
struct FullName {
    first_name: StaticString<256>,
    last_name: StaticString<256>,
}

/// Upstream's `ComplexType` (examples_common): about 9 MB, so it is built in place.
#[derive(Debug, Default, PlacementDefault, ZeroCopySend)]
#[type_name("ComplexType")]
#[repr(C)]
struct ComplexType {
    address_book: StaticVec<FullName, 16384>,
    some_matrix: StaticVec<StaticVec<f64, 8>, 8>,
    some_value: u16,
    another_value: u32,
}

fn key(x: u32, y: i64, z: u16) -> BlackboardKey {
    with_garbage_padding(|k: *mut BlackboardKey| unsafe {
        // SAFETY: `k` points to a live, writable BlackboardKey (see with_garbage_padding).
        (*k).x = x;
        (*k).y = y;
        (*k).z = z;
    })
}

fn transmission_data(counter: u64) -> TransmissionData {
    TransmissionData {
        x: counter as i32,
        y: counter as i32 * 3,
        funky: counter as f64 * 812.12,
    }
}

fn data(value: &TransmissionData) -> String {
    format!("x={} y={} funky={:?}", value.x, value.y, value.funky)
}

fn bytes_of(counter: u64) -> usize {
    (counter * counter).min(1_000_000) as usize
}

macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, $($arg)*);
        let _ = out.flush();
    }};
}

struct Example {
    node: Node<ipc::Service>,
    cycle: Duration,
    named: HashMap<String, String>,
}

impl Example {
    fn service(&self, name: &str) -> Result<ServiceName, Box<dyn core::error::Error>> {
        Ok(ServiceName::new(name)?)
    }

    fn named(&self, name: &str, default: &str) -> String {
        self.named
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }

    /// Upstream's `while node.wait(CYCLE_TIME).is_ok() { counter += 1; ... }`.
    fn cycles(&self, mut body: impl FnMut(u64) -> Outcome) -> Outcome {
        let mut counter = 0;
        while self.node.wait(self.cycle).is_ok() {
            counter += 1;
            body(counter)?;
        }
        Ok(())
    }
}

/// A fixed-size payload of the examples: its value in cycle `counter`, and its facts line.
trait ExamplePayload: Debug + Copy + ZeroCopySend + 'static {
    fn for_cycle(counter: u64) -> Self;
    fn facts(&self) -> String;
}

impl ExamplePayload for TransmissionData {
    fn for_cycle(counter: u64) -> Self {
        transmission_data(counter)
    }
    fn facts(&self) -> String {
        data(self)
    }
}

impl ExamplePayload for u64 {
    fn for_cycle(counter: u64) -> Self {
        counter
    }
    fn facts(&self) -> String {
        format!("value={self}")
    }
}

/// A user header of the examples (`()` for none): its value in cycle `counter`, and its facts.
trait ExampleHeader: Debug + Default + Copy + ZeroCopySend + 'static {
    fn for_cycle(counter: u64) -> Self;
    fn facts(&self) -> String;
}

impl ExampleHeader for () {
    fn for_cycle(_: u64) -> Self {}
    fn facts(&self) -> String {
        String::new()
    }
}

impl ExampleHeader for CustomHeader {
    fn for_cycle(counter: u64) -> Self {
        with_garbage_padding(|h: *mut CustomHeader| unsafe {
            // SAFETY: `h` points to a live, writable CustomHeader.
            (*h).version = 123;
            (*h).timestamp = 80337 + counter;
        })
    }
    fn facts(&self) -> String {
        format!(" version={} timestamp={}", self.version, self.timestamp)
    }
}

fn publisher<P: ExamplePayload, H: ExampleHeader>(e: &Example, name: &str) -> Outcome {
    let service = e
        .node
        .service_builder(&e.service(name)?)
        .publish_subscribe::<P>()
        .user_header::<H>()
        .open_or_create()?;
    let port = service.publisher_builder().create()?;
    say!("ready");
    e.cycles(|counter| {
        let mut sample = port.loan_uninit()?;
        *sample.user_header_mut() = H::for_cycle(counter);
        sample.write_payload(P::for_cycle(counter)).send()?;
        say!("sent {}", P::for_cycle(counter).facts());
        Ok(())
    })
}

fn subscriber<P: ExamplePayload, H: ExampleHeader>(e: &Example, name: &str) -> Outcome {
    let service = e
        .node
        .service_builder(&e.service(name)?)
        .publish_subscribe::<P>()
        .user_header::<H>()
        .open_or_create()?;
    let port = service.subscriber_builder().create()?;
    say!("ready");
    e.cycles(|_| {
        while let Some(sample) = port.receive()? {
            say!(
                "received {}{}",
                sample.facts(),
                sample.user_header().facts()
            );
        }
        Ok(())
    })
}

fn dynamic_publisher(e: &Example) -> Outcome {
    let service = e
        .node
        .service_builder(&e.service("Service With Dynamic Data")?)
        .publish_subscribe::<[u8]>()
        .open_or_create()?;
    let port = service
        .publisher_builder()
        .initial_max_slice_len(16)
        .allocation_strategy(AllocationStrategy::PowerOfTwo)
        .create()?;
    say!("ready");
    e.cycles(|counter| {
        let size = bytes_of(counter);
        let sample = port.loan_slice_uninit(size)?;
        sample.write_from_fn(payload_byte(counter)).send()?;
        say!("sent bytes={size}");
        Ok(())
    })
}

fn dynamic_subscriber(e: &Example) -> Outcome {
    let service = e
        .node
        .service_builder(&e.service("Service With Dynamic Data")?)
        .publish_subscribe::<[u8]>()
        .open_or_create()?;
    let port = service.subscriber_builder().create()?;
    say!("ready");
    e.cycles(|_| {
        while let Some(sample) = port.receive()? {
            let bytes = sample.payload();
            let intact = bytes
                .iter()
                .enumerate()
                .all(|(i, b)| *b as usize == (i + bytes[0] as usize) % 255);
            say!(
                "received bytes={} intact={}",
                bytes.len(),
                if intact { "True" } else { "False" }
            );
        }
        Ok(())
    })
}

fn notifier(e: &Example, name: &str, fixed_id: Option<usize>) -> Outcome {
    let service = e
        .node
        .service_builder(&e.service(name)?)
        .event()
        .open_or_create()?;
    let maximum = service.static_config().event_id_max_value();
    let port = service.notifier_builder().create()?;
    say!("ready");
    e.cycles(|counter| {
        let id = fixed_id.unwrap_or(counter as usize % maximum);
        port.notify_with_custom_event_id(EventId::new(id))?;
        say!("sent id={id}");
        Ok(())
    })
}

fn listener(e: &Example, name: &str) -> Outcome {
    let port = e
        .node
        .service_builder(&e.service(name)?)
        .event()
        .open_or_create()?
        .listener_builder()
        .create()?;
    say!("ready");
    while e.node.wait(Duration::ZERO).is_ok() {
        let waited = port.timed_wait(
            |event| say!("received id={} count={}", event.id.as_value(), event.count),
            e.cycle,
        );
        if ended_by_signal(waited)? {
            break;
        }
    }
    Ok(())
}

/// A signal that interrupts a blocking listener wait ends the loop as `node.wait` would
/// (upstream's example returns it as an error instead; a peer here ends with `exit`).
fn ended_by_signal<T>(waited: Result<T, ListenerWaitError>) -> Result<bool, ListenerWaitError> {
    match waited {
        Ok(_) => Ok(false),
        Err(ListenerWaitError::InterruptSignal) => Ok(true),
        Err(other) => Err(other),
    }
}

/// Upstream's event_multiplexing waiter: one WaitSet over a listener per `--services` name
/// (comma-separated here).
fn wait(e: &Example) -> Outcome {
    let names: Vec<String> = e
        .named("services", "")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let mut listeners = Vec::new();
    for name in &names {
        listeners.push((
            name.clone(),
            e.node
                .service_builder(&e.service(name)?)
                .event()
                .open_or_create()?
                .listener_builder()
                .create()?,
        ));
    }
    let waitset = WaitSetBuilder::new().create::<ipc::Service>()?;
    let mut guards = Vec::new();
    for (_, listener) in &listeners {
        guards.push(waitset.attach_notification(listener)?);
    }
    say!("ready");
    waitset.wait_and_process(|attachment| {
        for ((name, listener), guard) in listeners.iter().zip(&guards) {
            if attachment.has_event_from(guard) {
                let _ = listener.try_wait(|event| {
                    say!(
                        "received service={name} id={} count={}",
                        event.id.as_value(),
                        event.count
                    )
                });
            }
        }
        CallbackProgression::Continue
    })?;
    Ok(())
}

// Upstream's PubSubEvent protocol of its event-based communication example.
const PUBLISHER_CONNECTED: usize = 0;
const PUBLISHER_DISCONNECTED: usize = 1;
const SUBSCRIBER_CONNECTED: usize = 2;
const SUBSCRIBER_DISCONNECTED: usize = 3;
const SENT_SAMPLE: usize = 4;
const RECEIVED_SAMPLE: usize = 5;
const SENT_HISTORY: usize = 6;

type EventBasedServices = (
    iceoryx2::service::port_factory::publish_subscribe::PortFactory<
        ipc::Service,
        TransmissionData,
        (),
    >,
    iceoryx2::port::listener::Listener<ipc::Service>,
    iceoryx2::port::notifier::Notifier<ipc::Service>,
);

/// What both sides open: the publish-subscribe service (history 20) and, on the event service
/// of the same name, a listener and a notifier for upstream's PubSubEvent protocol.
fn event_based_services(e: &Example) -> Result<EventBasedServices, Box<dyn core::error::Error>> {
    let name = e.service("EventBasedCommService")?;
    let service = e
        .node
        .service_builder(&name)
        .publish_subscribe::<TransmissionData>()
        .history_size(20)
        .subscriber_max_buffer_size(20)
        .open_or_create()?;
    let events = e.node.service_builder(&name).event().open_or_create()?;
    Ok((
        service,
        events.listener_builder().create()?,
        events.notifier_builder().create()?,
    ))
}

fn event_based_publisher(e: &Example) -> Outcome {
    let (service, listener, notifier) = event_based_services(e)?;
    let port = service.publisher_builder().create()?;
    notifier.notify_with_custom_event_id(EventId::new(PUBLISHER_CONNECTED))?;
    let waitset = WaitSetBuilder::new().create::<ipc::Service>()?;
    let events_guard = waitset.attach_notification(&listener)?;
    let cycle_guard = waitset.attach_interval(e.cycle)?;
    say!("ready");
    let mut counter = 0;
    waitset.wait_and_process(|attachment| {
        if attachment.has_event_from(&cycle_guard) {
            counter += 1;
            let _ = port.send_copy(transmission_data(counter));
            let _ = notifier.notify_with_custom_event_id(EventId::new(SENT_SAMPLE));
            say!("sent {}", data(&transmission_data(counter)));
        } else if attachment.has_event_from(&events_guard) {
            let _ = listener.try_wait(|event| {
                if event.id.as_value() == SUBSCRIBER_CONNECTED {
                    let _ = port.update_connections();
                    let _ = notifier.notify_with_custom_event_id(EventId::new(SENT_HISTORY));
                }
                say!("event id={}", event.id.as_value());
            });
        }
        CallbackProgression::Continue
    })?;
    notifier.notify_with_custom_event_id(EventId::new(PUBLISHER_DISCONNECTED))?;
    Ok(())
}

fn event_based_subscriber(e: &Example) -> Outcome {
    let (service, listener, notifier) = event_based_services(e)?;
    let port = service.subscriber_builder().create()?;
    notifier.notify_with_custom_event_id(EventId::new(SUBSCRIBER_CONNECTED))?;
    let waitset = WaitSetBuilder::new().create::<ipc::Service>()?;
    let guard = waitset.attach_deadline(&listener, Duration::from_secs(2))?;
    say!("ready");
    waitset.wait_and_process(|attachment| {
        if attachment.has_event_from(&guard) {
            let _ = listener.try_wait(|event| {
                let id = event.id.as_value();
                say!("event id={id}");
                if id == SENT_SAMPLE || id == SENT_HISTORY {
                    while let Ok(Some(sample)) = port.receive() {
                        let _ = notifier.notify_with_custom_event_id(EventId::new(RECEIVED_SAMPLE));
                        say!("received {}", data(&sample));
                    }
                }
            });
        }
        CallbackProgression::Continue
    })?;
    notifier.notify_with_custom_event_id(EventId::new(SUBSCRIBER_DISCONNECTED))?;
    Ok(())
}

fn client(e: &Example) -> Outcome {
    let service = e
        .node
        .service_builder(&e.service("My/Funk/ServiceName")?)
        .request_response::<u64, TransmissionData>()
        .open_or_create()?;
    let port = service.client_builder().create()?;
    say!("ready");
    let mut counter: u64 = 0;
    let mut pending = port.send_copy(counter)?;
    say!("sent request={counter}");
    while e.node.wait(e.cycle).is_ok() {
        while let Some(response) = pending.receive()? {
            say!("received request={counter} {}", data(&response));
        }
        counter += 1;
        pending = port.loan_uninit()?.write_payload(counter).send()?;
        say!("sent request={counter}");
    }
    Ok(())
}

fn server(e: &Example) -> Outcome {
    let service = e
        .node
        .service_builder(&e.service("My/Funk/ServiceName")?)
        .request_response::<u64, TransmissionData>()
        .open_or_create()?;
    let port = service.server_builder().create()?;
    say!("ready");
    let mut counter = 0;
    while e.node.wait(e.cycle).is_ok() {
        while let Some(active) = port.receive()? {
            let value = *active;
            say!("received request={value}");
            active.send_copy(TransmissionData {
                x: 5 + counter,
                y: 6 * counter,
                funky: 7.77,
            })?;
            for n in 0..value % 2 {
                let response = TransmissionData {
                    x: counter * (n as i32 + 1),
                    y: counter + n as i32,
                    funky: counter as f64 * 0.1234,
                };
                active.loan_uninit()?.write_payload(response).send()?;
            }
            say!("answered request={value} responses={}", 1 + value % 2);
        }
        counter += 1;
    }
    Ok(())
}

type DynamicRequestResponse = iceoryx2::service::port_factory::request_response::PortFactory<
    ipc::Service,
    [u8],
    (),
    [u8],
    (),
>;

/// The byte-slice request-response service both dynamic-data roles open.
fn dynamic_request_response(
    e: &Example,
) -> Result<DynamicRequestResponse, Box<dyn core::error::Error>> {
    Ok(e.node
        .service_builder(&e.service("example//dynamic_request_response")?)
        .request_response::<[u8], [u8]>()
        .open_or_create()?)
}

/// Byte `i` of a dynamic-data payload in cycle `counter`, as upstream's examples fill them.
fn payload_byte(counter: u64) -> impl FnMut(usize) -> u8 {
    move |i| ((i as u64 + counter) % 255) as u8
}

fn dynamic_client(e: &Example) -> Outcome {
    let service = dynamic_request_response(e)?;
    let port = service
        .client_builder()
        .initial_max_slice_len(16)
        .allocation_strategy(AllocationStrategy::PowerOfTwo)
        .create()?;
    say!("ready");
    let mut counter: u64 = 1;
    loop {
        let size = bytes_of(counter);
        let pending = port
            .loan_slice_uninit(size)?
            .write_from_fn(payload_byte(counter))
            .send()?;
        say!("sent bytes={size}");
        if e.node.wait(e.cycle).is_err() {
            return Ok(());
        }
        while let Some(response) = pending.receive()? {
            say!("received bytes={}", response.payload().len());
        }
        counter += 1;
    }
}

fn dynamic_server(e: &Example) -> Outcome {
    let service = dynamic_request_response(e)?;
    let port = service
        .server_builder()
        .initial_max_slice_len(16)
        .allocation_strategy(AllocationStrategy::PowerOfTwo)
        .create()?;
    say!("ready");
    e.cycles(|counter| {
        while let Some(active) = port.receive()? {
            say!("received bytes={}", active.payload().len());
            let size = bytes_of(counter);
            active
                .loan_slice_uninit(size)?
                .write_from_fn(payload_byte(counter))
                .send()?;
            say!("answered bytes={size}");
        }
        Ok(())
    })
}

fn blackboard_creator(e: &Example) -> Outcome {
    // Keys with garbage in their 10 padding bytes: openers must compare them field by field.
    let (key_0, key_1) = (key(0, -4, 4), key(1, -4, 4));
    let service = e
        .node
        .service_builder(&e.service("My/Funk/ServiceName")?)
        .blackboard_creator::<BlackboardKey>()
        .add::<i32>(key_0, 3)
        .add::<f64>(key_1, 1.1)
        .create()?;
    let writer = service.writer_builder().create()?;
    let entry_0 = writer.entry::<i32>(&key_0)?;
    let mut entry_1 = writer.entry::<f64>(&key_1)?;
    say!("ready");
    let mut counter = 0;
    while e.node.wait(e.cycle).is_ok() {
        counter += 1;
        entry_0.update_with_copy(counter);
        entry_1 = entry_1.loan_uninit().update_with_copy(1.1 * counter as f64);
        say!("sent key0={counter} key1={:?}", 1.1 * counter as f64);
    }
    Ok(())
}

fn blackboard_opener(e: &Example) -> Outcome {
    let service = e
        .node
        .service_builder(&e.service("My/Funk/ServiceName")?)
        .blackboard_opener::<BlackboardKey>()
        .open()?;
    let reader = service.reader_builder().create()?;
    let entry_0 = reader.entry::<i32>(&key(0, -4, 4))?;
    let entry_1 = reader.entry::<f64>(&key(1, -4, 4))?;
    say!("ready");
    e.cycles(|_| {
        say!("received key0={} key1={:?}", *entry_0.get(), *entry_1.get());
        Ok(())
    })
}

fn blackboard_event_creator(e: &Example) -> Outcome {
    let name = e.service("My/Funk/ServiceName")?;
    let service = e
        .node
        .service_builder(&name)
        .blackboard_creator::<u32>()
        .add_with_default::<u64>(0)
        .add_with_default::<u64>(1)
        .create()?;
    let notifier = e
        .node
        .service_builder(&name)
        .event()
        .open_or_create()?
        .notifier_builder()
        .create()?;
    let writer = service.writer_builder().create()?;
    let entry = writer.entry::<u64>(&0)?;
    let interesting = writer.entry::<u64>(&1)?;
    say!("ready");
    e.cycles(|counter| {
        interesting.update_with_copy(counter);
        notifier.notify_with_custom_event_id(interesting.entry_id())?;
        entry.update_with_copy(2 * counter);
        notifier.notify_with_custom_event_id(entry.entry_id())?;
        say!(
            "sent key1={counter} id={}",
            interesting.entry_id().as_value()
        );
        Ok(())
    })
}

fn blackboard_event_opener(e: &Example) -> Outcome {
    let name = e.service("My/Funk/ServiceName")?;
    let service = e
        .node
        .service_builder(&name)
        .blackboard_opener::<u32>()
        .open()?;
    let listener = e
        .node
        .service_builder(&name)
        .event()
        .open_or_create()?
        .listener_builder()
        .create()?;
    let reader = service.reader_builder().create()?;
    let entry = reader.entry::<u64>(&1)?;
    say!("ready");
    while e.node.wait(Duration::ZERO).is_ok() {
        let waited = listener.timed_wait(
            |event| {
                if event.id == entry.entry_id() {
                    say!("received key1={} id={}", *entry.get(), event.id.as_value());
                }
            },
            e.cycle,
        );
        if ended_by_signal(waited)? {
            break;
        }
    }
    Ok(())
}

const ATTRIBUTES: [(&str, &str); 4] = [
    ("dds_service_mapping", "my_funky_service_name"),
    ("tcp_serialization_format", "cdr"),
    ("someip_service_mapping", "1/2/3"),
    ("camera_resolution", "1920x1080"),
];

fn attributes_creator(e: &Example) -> Outcome {
    let mut specifier = AttributeSpecifier::new();
    for (key, value) in ATTRIBUTES {
        specifier = specifier.define(&key.try_into()?, &value.try_into()?)?;
    }
    let service = e
        .node
        .service_builder(&e.service("Service/With/Properties")?)
        .publish_subscribe::<u64>()
        .create_with_attributes(&specifier)?;
    let port = service.publisher_builder().create()?;
    say!("ready");
    e.cycles(|_| {
        port.loan_uninit()?.write_payload(0).send()?;
        say!("sent value=0");
        Ok(())
    })
}

fn attributes_opener(e: &Example) -> Outcome {
    let verifier = AttributeVerifier::new()
        .require(&"camera_resolution".try_into()?, &"1920x1080".try_into()?)?
        .require_key(&"dds_service_mapping".try_into()?)?;
    let service = e
        .node
        .service_builder(&e.service("Service/With/Properties")?)
        .publish_subscribe::<u64>()
        .open_with_attributes(&verifier)?;
    let port = service.subscriber_builder().create()?;
    say!("ready");
    e.cycles(|_| {
        while let Some(sample) = port.receive()? {
            say!("received value={}", *sample);
        }
        Ok(())
    })
}

/// Upstream's cross_language_communication_container service: a `StaticVec<u64, 32>` with a
/// `StaticString<64>` user header, history 5, buffer 5, no safe overflow.
fn container_service(
    e: &Example,
) -> Result<
    iceoryx2::service::port_factory::publish_subscribe::PortFactory<
        ipc::Service,
        StaticVec<u64, 32>,
        StaticString<64>,
    >,
    Box<dyn core::error::Error>,
> {
    Ok(e.node
        .service_builder(&e.service("CrossLanguageContainer")?)
        .publish_subscribe::<StaticVec<u64, 32>>()
        .user_header::<StaticString<64>>()
        .history_size(5)
        .subscriber_max_buffer_size(5)
        .enable_safe_overflow(false)
        .open_or_create()?)
}

fn container_publisher(e: &Example) -> Outcome {
    let port = container_service(e)?.publisher_builder().create()?;
    say!("ready");
    e.cycles(|counter| {
        let mut sample = port.loan_uninit()?;
        sample
            .user_header_mut()
            .push_bytes(b"Are Hypnotoad and Kermit related like Fry and the Professor?")?;
        let values = [counter, counter + 1, counter + 2];
        sample
            .write_payload(StaticVec::try_from(values.as_slice())?)
            .send()?;
        say!("sent values={counter},{},{}", counter + 1, counter + 2);
        Ok(())
    })
}

fn container_subscriber(e: &Example) -> Outcome {
    let port = container_service(e)?.subscriber_builder().create()?;
    say!("ready");
    e.cycles(|_| {
        while let Some(sample) = port.receive()? {
            let values: Vec<String> = sample.payload().iter().map(u64::to_string).collect();
            say!(
                "received values={} header={}",
                values.join(","),
                core::str::from_utf8(sample.user_header().as_bytes())?
            );
        }
        Ok(())
    })
}

fn complex_types_service(
    e: &Example,
) -> Result<
    iceoryx2::service::port_factory::publish_subscribe::PortFactory<ipc::Service, ComplexType, ()>,
    Box<dyn core::error::Error>,
> {
    Ok(e.node
        .service_builder(&e.service("CrossLanguageComplexTypes")?)
        .publish_subscribe::<ComplexType>()
        .open_or_create()?)
}

fn complex_types_publisher(e: &Example) -> Outcome {
    let port = complex_types_service(e)?.publisher_builder().create()?;
    say!("ready");
    e.cycles(|counter| {
        let mut sample = port.loan_uninit()?;
        // SAFETY: placement_default initialises every field of the loaned payload in place.
        unsafe { ComplexType::placement_default(sample.payload_mut().as_mut_ptr()) };
        // SAFETY: the payload was initialised just above.
        let mut sample = unsafe { sample.assume_init() };
        sample.address_book.push(FullName {
            first_name: StaticString::from_bytes(b"Kermit")?,
            last_name: StaticString::from_bytes(b"The Frog")?,
        })?;
        sample.some_matrix.resize(8, StaticVec::new())?;
        for row in sample.some_matrix.iter_mut() {
            row.resize(8, 0.0)?;
        }
        sample.some_matrix[2][5] = counter as f64 * 0.8912;
        sample.some_value = 5;
        sample.send()?;
        say!("sent matrix25={:?}", counter as f64 * 0.8912);
        Ok(())
    })
}

fn complex_types_subscriber(e: &Example) -> Outcome {
    let port = complex_types_service(e)?.subscriber_builder().create()?;
    say!("ready");
    e.cycles(|_| {
        while let Some(sample) = port.receive()? {
            let first = &sample.address_book[0];
            say!(
                "received matrix25={:?} name={} {} value={}",
                sample.some_matrix[2][5],
                core::str::from_utf8(first.first_name.as_bytes())?,
                core::str::from_utf8(first.last_name.as_bytes())?,
                sample.some_value
            );
        }
        Ok(())
    })
}

/// Upstream's `UnboundedData`: "Hello World!" and `entries` entries (6i+5, 6i+7).
fn build_unbounded_data<'a, A: flatbuffers::Allocator + 'a>(
    builder: &mut flatbuffers::FlatBufferBuilder<'a, A>,
    entries: u64,
) -> flatbuffers::WIPOffset<UnboundedData<'a>> {
    let title = builder.create_string("Hello World!");
    let entries: Vec<_> = (0..entries)
        .map(|i| {
            Entry::create(
                builder,
                &EntryArgs {
                    data_1: (6 * i + 5) as i32,
                    data_2: 6 * i + 7,
                },
            )
        })
        .collect();
    let entries = builder.create_vector(&entries);
    UnboundedData::create(
        builder,
        &UnboundedDataArgs {
            title: Some(title),
            entries: Some(entries),
        },
    )
}

fn entry_facts(data: &UnboundedData<'_>) -> String {
    data.entries()
        .map(|entries| {
            entries
                .iter()
                .map(|e| format!("{}/{}", e.data_1(), e.data_2()))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn flatbuffer_pubsub(
    e: &Example,
) -> Result<
    iceoryx2::service::port_factory::publish_subscribe::PortFactory<
        ipc::Service,
        Flatbuffer<UnboundedData<'static>>,
        u64,
    >,
    Box<dyn core::error::Error>,
> {
    Ok(e.node
        .service_builder(&e.service("My/Flatbuffer/Service")?)
        .publish_subscribe::<Flatbuffer<UnboundedData<'static>>>()
        .user_header::<u64>()
        .open_or_create()?)
}

fn flatbuffer_publisher(e: &Example) -> Outcome {
    let service = flatbuffer_pubsub(e)?;
    let port = service
        .publisher_builder()
        .initial_reserved_memory(1024)
        .allocation_strategy(AllocationStrategy::PowerOfTwo)
        .create()?;
    say!("ready");
    e.cycles(|counter| {
        let mut sample = port.loan_flatbuffer()?;
        let root = build_unbounded_data(sample.flatbuffer_builder(), counter % 15);
        let mut sample = sample.assume_init(root);
        *sample.user_header_mut() = counter;
        sample.send()?;
        say!("sent header={counter} entries={}", counter % 15);
        Ok(())
    })
}

fn flatbuffer_subscriber(e: &Example) -> Outcome {
    let port = flatbuffer_pubsub(e)?.subscriber_builder().create()?;
    say!("ready");
    e.cycles(|_| {
        while let Some(sample) = port.receive()? {
            let data = sample.payload_root()?;
            say!(
                "received title={:?} header={} entries={}",
                data.title().unwrap_or_default(),
                sample.user_header(),
                entry_facts(&data)
            );
        }
        Ok(())
    })
}

type FlatbufferRequestResponse = iceoryx2::service::port_factory::request_response::PortFactory<
    ipc::Service,
    Flatbuffer<UnboundedData<'static>>,
    u64,
    Flatbuffer<DataProps<'static>>,
    u64,
>;

fn flatbuffer_request_response(
    e: &Example,
) -> Result<FlatbufferRequestResponse, Box<dyn core::error::Error>> {
    Ok(e.node
        .service_builder(&e.service("Flatbuffer/Request/Response")?)
        .request_response::<Flatbuffer<UnboundedData<'static>>, Flatbuffer<DataProps<'static>>>()
        .request_user_header::<u64>()
        .response_user_header::<u64>()
        .open_or_create()?)
}

fn flatbuffer_client(e: &Example) -> Outcome {
    let service = flatbuffer_request_response(e)?;
    let port = service
        .client_builder()
        .initial_reserved_memory(1024)
        .allocation_strategy(AllocationStrategy::PowerOfTwo)
        .create()?;
    say!("ready");
    let mut counter: u64 = 0;
    loop {
        counter += 1;
        let mut request = port.loan_flatbuffer()?;
        let root = build_unbounded_data(request.flatbuffer_builder(), counter % 3);
        let mut request = request.assume_init(root);
        *request.user_header_mut() = counter;
        let pending = request.send()?;
        say!("sent request={counter} entries={}", counter % 3);
        if e.node.wait(e.cycle).is_err() {
            return Ok(());
        }
        while let Some(response) = pending.receive()? {
            say!(
                "received request={counter} sum={}",
                response.payload_root()?.received_entries_len()
            );
        }
    }
}

fn flatbuffer_server(e: &Example) -> Outcome {
    let service = flatbuffer_request_response(e)?;
    let port = service
        .server_builder()
        .initial_reserved_memory(1024)
        .allocation_strategy(AllocationStrategy::PowerOfTwo)
        .create()?;
    say!("ready");
    let mut counter: u64 = 0;
    while e.node.wait(e.cycle).is_ok() {
        while let Some(active) = port.receive()? {
            let data = active.payload_root()?;
            let header = *active.user_header();
            say!(
                "received request={header} title={:?} entries={}",
                data.title().unwrap_or_default(),
                entry_facts(&data)
            );
            let entries: Vec<(i32, u64)> = data
                .entries()
                .map(|entries| entries.iter().map(|e| (e.data_1(), e.data_2())).collect())
                .unwrap_or_default();
            for (data_1, data_2) in &entries {
                let mut response = active.loan_flatbuffer()?;
                let builder = response.flatbuffer_builder();
                let props = DataProps::create(
                    builder,
                    &DataPropsArgs {
                        received_entries_len: data_1.max(&0).unsigned_abs() as u64 + data_2,
                    },
                );
                let mut response = response.assume_init(props);
                *response.user_header_mut() = counter;
                response.send()?;
            }
            say!("answered request={header} responses={}", entries.len());
        }
        counter += 1;
    }
    Ok(())
}

fn run(example: &str, role: &str, e: &Example) -> Option<Outcome> {
    Some(match (example, role) {
        ("publish_subscribe", "publisher") => {
            publisher::<TransmissionData, ()>(e, "My/Funk/ServiceName")
        }
        ("publish_subscribe", "subscriber") => {
            subscriber::<TransmissionData, ()>(e, "My/Funk/ServiceName")
        }
        ("publish_subscribe_with_user_header", "publisher") => {
            publisher::<u64, CustomHeader>(e, "ServiceWithUserHeader")
        }
        ("publish_subscribe_with_user_header", "subscriber") => {
            subscriber::<u64, CustomHeader>(e, "ServiceWithUserHeader")
        }
        ("cross_language_communication_basics", "publisher") => {
            publisher::<TransmissionData, CustomHeader>(e, "CrossLanguageBasics")
        }
        ("cross_language_communication_basics", "subscriber") => {
            subscriber::<TransmissionData, CustomHeader>(e, "CrossLanguageBasics")
        }
        ("cross_language_communication_container", "publisher") => container_publisher(e),
        ("cross_language_communication_container", "subscriber") => container_subscriber(e),
        ("cross_language_communication_complex_types", "publisher") => complex_types_publisher(e),
        ("cross_language_communication_complex_types", "subscriber") => complex_types_subscriber(e),
        ("publish_subscribe_dynamic_data", "publisher") => dynamic_publisher(e),
        ("publish_subscribe_dynamic_data", "subscriber") => dynamic_subscriber(e),
        ("event", "notifier") => notifier(e, "MyEventName", None),
        ("event", "listener") => listener(e, "MyEventName"),
        ("event_multiplexing", "notifier") => {
            let id = e.named("event_id", "0").parse().ok()?;
            notifier(e, &e.named("service", ""), Some(id))
        }
        ("event_multiplexing", "wait") => wait(e),
        ("event_based_communication", "publisher") => event_based_publisher(e),
        ("event_based_communication", "subscriber") => event_based_subscriber(e),
        ("request_response", "client") => client(e),
        ("request_response", "server") => server(e),
        ("request_response_dynamic_data", "client") => dynamic_client(e),
        ("request_response_dynamic_data", "server") => dynamic_server(e),
        ("blackboard", "creator") => blackboard_creator(e),
        ("blackboard", "opener") => blackboard_opener(e),
        ("blackboard_event_based_communication", "creator") => blackboard_event_creator(e),
        ("blackboard_event_based_communication", "opener") => blackboard_event_opener(e),
        ("service_attributes", "creator") => attributes_creator(e),
        ("service_attributes", "opener") => attributes_opener(e),
        ("domains", "publisher") => {
            publisher::<TransmissionData, ()>(e, &e.named("service", "my_funky_service"))
        }
        ("domains", "subscriber") => {
            subscriber::<TransmissionData, ()>(e, &e.named("service", "my_funky_service"))
        }
        ("service_types", "ipc_publisher") => publisher::<u64, ()>(e, "Service-Variants-Example"),
        ("service_types", "subscriber") => subscriber::<u64, ()>(e, "Service-Variants-Example"),
        ("flatbuffer_publish_subscribe", "publisher") => flatbuffer_publisher(e),
        ("flatbuffer_publish_subscribe", "subscriber") => flatbuffer_subscriber(e),
        ("flatbuffer_request_response", "client") => flatbuffer_client(e),
        ("flatbuffer_request_response", "server") => flatbuffer_server(e),
        _ => return None,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: iox2js-upstream-examples <example> <role> [--cycle-ms MS] [--name value]...";
    let (Some(example), Some(role)) = (args.first(), args.get(1)) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let mut cycle = Duration::from_secs(1);
    let mut named = HashMap::new();
    for pair in args[2..].chunks(2) {
        match pair {
            [flag, value] if flag == "--cycle-ms" => match value.parse() {
                Ok(ms) => cycle = Duration::from_millis(ms),
                Err(_) => {
                    eprintln!("{usage}");
                    return ExitCode::from(2);
                }
            },
            [flag, value] if flag.starts_with("--") => {
                let entry: &mut String = named.entry(flag[2..].replace('-', "_")).or_default();
                if !entry.is_empty() {
                    entry.push(',');
                }
                entry.push_str(value);
            }
            _ => {
                eprintln!("{usage}");
                return ExitCode::from(2);
            }
        }
    }
    set_log_level_from_env_or(LogLevel::Warn);
    // As upstream's examples: the global config (config files read), default signal handling;
    // the domains example sets its prefix on top.
    let node = match named.get("domain") {
        Some(domain) => FileName::new(domain.as_bytes())
            .map_err(|e| format!("{e:?}"))
            .and_then(|prefix| {
                let mut config = Config::global_config().clone();
                config.global.prefix = prefix;
                NodeBuilder::new()
                    .config(&config)
                    .create::<ipc::Service>()
                    .map_err(|e| format!("{e:?}"))
            }),
        // Upstream's flatbuffer examples add the schema path from IOX2_FLATBUFFER_SCHEMA_PATH.
        None if example.starts_with("flatbuffer_") => {
            let schemas = std::env::var("IOX2_FLATBUFFER_SCHEMA_PATH").unwrap_or_default();
            Path::new(schemas.as_bytes())
                .map_err(|e| format!("IOX2_FLATBUFFER_SCHEMA_PATH: {e:?}"))
                .and_then(|path| {
                    let mut config = Config::global_config().clone();
                    config.global.service.flatbuffer_schema_path = Some(path);
                    NodeBuilder::new()
                        .config(&config)
                        .create::<ipc::Service>()
                        .map_err(|e| format!("{e:?}"))
                })
        }
        None => NodeBuilder::new()
            .create::<ipc::Service>()
            .map_err(|e| format!("{e:?}")),
    };
    let node = match node {
        Ok(node) => node,
        Err(e) => {
            eprintln!("error creating the node: {e}");
            return ExitCode::FAILURE;
        }
    };
    let e = Example { node, cycle, named };
    match run(example, role, &e) {
        None => {
            eprintln!("{usage}: no role {example} {role}");
            ExitCode::from(2)
        }
        Some(Err(error)) => {
            eprintln!("error {error}");
            ExitCode::FAILURE
        }
        Some(Ok(())) => {
            say!("exit");
            ExitCode::SUCCESS
        }
    }
}
