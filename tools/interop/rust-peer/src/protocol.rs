//! The shared part of the interop protocol (docs/interop.md): command line, the values every
//! peer derives from the message index, the digest, and the stdin/stdout conversation.

use core::fmt::Debug;
use core::mem::{align_of, offset_of, size_of};
use core::time::Duration;
use std::io::{BufRead, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Instant;

use iceoryx2::prelude::*;
use iceoryx2_bb_container::string::{StaticString, String as _};
use iceoryx2_bb_container::vector::{StaticVec, Vector as _};

pub const USAGE: &str = "usage: iox2js-interop-peer <role> --service <name> [--prefix <prefix>] \
--count <n> (--create | --open) [--payload u64|TransmissionData|TransmissionData-align4|slice|ComplexMessage|Flatbuffer] \
[--name <port name>] [--target-listener <listener id>] [--pattern publish-subscribe|event] [--timeout-ms <ms>]\n\
roles: publisher subscriber notifier listener client server writer reader ports";

/// Completion limit of the protocol; `--timeout-ms` shortens it for tests of the failure path.
const DEFAULT_LIMIT: Duration = Duration::from_secs(20);

/// How often polling receivers look again; the protocol asks for about a millisecond.
pub const POLL_INTERVAL: Duration = Duration::from_millis(1);

pub type Outcome<T> = Result<T, String>;

/// Turns any iceoryx2 error into the `error <what>` text, keeping upstream's variant name.
/// `builder.create()` for the creator, `builder.open()` for the opener (every pattern's builder
/// has both, with its own error types, so this is a macro rather than a function).
macro_rules! create_or_open {
    ($builder:expr, $options:expr) => {{
        use $crate::protocol::Context as _;
        if $options.create {
            $builder.create().context("creating the service")
        } else {
            $builder.open().context("opening the service")
        }
    }};
}
pub(crate) use create_or_open;

pub trait Context<T> {
    fn context(self, what: &str) -> Outcome<T>;
}

impl<T, E: Debug> Context<T> for Result<T, E> {
    fn context(self, what: &str) -> Outcome<T> {
        self.map_err(|error| format!("{what}: {error:?}"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Publisher,
    Subscriber,
    Notifier,
    Listener,
    Client,
    Server,
    Writer,
    Reader,
    /// Lists the ports of a service (`--pattern`) as its dynamic config shows them.
    Ports,
}

impl Role {
    fn parse(text: &str) -> Outcome<Self> {
        Ok(match text {
            "publisher" => Role::Publisher,
            "subscriber" => Role::Subscriber,
            "notifier" => Role::Notifier,
            "listener" => Role::Listener,
            "client" => Role::Client,
            "server" => Role::Server,
            "writer" => Role::Writer,
            "reader" => Role::Reader,
            "ports" => Role::Ports,
            "mismatch" => {
                return Err("the mismatch role is implemented by the TS peers only".into())
            }
            other => return Err(format!("unknown role '{other}'")),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Publisher => "publisher",
            Role::Subscriber => "subscriber",
            Role::Notifier => "notifier",
            Role::Listener => "listener",
            Role::Client => "client",
            Role::Server => "server",
            Role::Writer => "writer",
            Role::Reader => "reader",
            Role::Ports => "ports",
        }
    }

    /// Sending roles start only after the runner's `go`, once both sides are ready.
    fn sends(self) -> bool {
        matches!(
            self,
            Role::Publisher | Role::Notifier | Role::Client | Role::Writer
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    U64,
    TransmissionData,
    /// Only for creators of the alignment probe (docs/interop.md).
    TransmissionDataAlign4,
    Slice,
    ComplexMessage,
    /// `Flatbuffer<UnboundedData>` with a `u64` user header.
    Flatbuffer,
}

/// The messaging pattern of the service the `ports` role lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    PublishSubscribe,
    Event,
}

#[derive(Debug)]
pub struct Options {
    pub role: Role,
    pub service: String,
    /// Without it, the node is made as upstream's programs make theirs (see main.rs).
    pub prefix: Option<String>,
    pub count: u64,
    pub create: bool,
    /// Set exactly for `publisher`, `subscriber` and `ports --pattern publish-subscribe`.
    pub payload: Option<Payload>,
    /// The name of the port this peer creates. Without `--name` it is upstream's default, the
    /// empty name, so passing it to every port builder is the same as not naming the port.
    pub port_name: PortName,
    /// `notifier` only: notify just the listener with this id instead of every listener.
    pub target_listener: Option<u128>,
    /// Set exactly for `ports`.
    pub pattern: Option<Pattern>,
    pub limit: Duration,
}

impl Options {
    pub fn parse(mut args: impl Iterator<Item = String>) -> Outcome<Self> {
        let role = Role::parse(&args.next().ok_or("missing role")?)?;
        let (mut service, mut prefix, mut count, mut create, mut payload) =
            (None, None, None, None, None);
        let (mut port_name, mut target_listener, mut pattern) = (PortName::new_empty(), None, None);
        let mut limit = DEFAULT_LIMIT;
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--service" => service = Some(value()?),
                "--prefix" => prefix = Some(value()?),
                "--count" => count = Some(number(&flag, &value()?)?),
                "--create" | "--open" if create.is_some() => {
                    return Err("give exactly one of --create and --open".into());
                }
                "--create" => create = Some(true),
                "--open" => create = Some(false),
                "--payload" => {
                    payload = Some(match value()?.as_str() {
                        "u64" => Payload::U64,
                        "TransmissionData" => Payload::TransmissionData,
                        "TransmissionData-align4" => Payload::TransmissionDataAlign4,
                        "slice" => Payload::Slice,
                        "ComplexMessage" => Payload::ComplexMessage,
                        "Flatbuffer" => Payload::Flatbuffer,
                        other => return Err(format!("unknown payload '{other}'")),
                    })
                }
                "--name" => {
                    let text = value()?;
                    port_name = PortName::new(&text)
                        .map_err(|error| format!("invalid --name '{text}': {error:?}"))?;
                }
                "--target-listener" => {
                    // Hexadecimal, as upstream prints ids and the `port` lines carry them.
                    let text = value()?;
                    target_listener = Some(u128::from_str_radix(&text, 16).map_err(|_| {
                        format!("--target-listener needs a hexadecimal listener id, got '{text}'")
                    })?);
                }
                "--pattern" => {
                    pattern = Some(match value()?.as_str() {
                        "publish-subscribe" => Pattern::PublishSubscribe,
                        "event" => Pattern::Event,
                        other => return Err(format!("unknown pattern '{other}'")),
                    })
                }
                "--timeout-ms" => limit = Duration::from_millis(number(&flag, &value()?)?),
                other => return Err(format!("unknown option '{other}'")),
            }
        }
        if (role == Role::Ports) != pattern.is_some() {
            return Err("--pattern is for ports, and ports needs it".into());
        }
        let pubsub = matches!(role, Role::Publisher | Role::Subscriber)
            || pattern == Some(Pattern::PublishSubscribe);
        if pubsub && payload.is_none() {
            return Err(format!("{} needs --payload", role.name()));
        }
        if !pubsub && payload.is_some() {
            return Err(
                "--payload is for publisher, subscriber and ports --pattern publish-subscribe only"
                    .into(),
            );
        }
        if target_listener.is_some() && role != Role::Notifier {
            return Err("--target-listener is for notifier only".into());
        }
        let count = count.ok_or("missing --count")?;
        if matches!(role, Role::Notifier | Role::Listener) && count > 4000 {
            return Err("event ids are distinct only for --count <= 4000".into());
        }
        Ok(Options {
            role,
            service: service.ok_or("missing --service")?,
            prefix,
            count,
            create: create.ok_or("missing --create or --open")?,
            payload,
            port_name,
            target_listener,
            pattern,
            limit,
        })
    }
}

fn number(flag: &str, text: &str) -> Outcome<u64> {
    text.parse()
        .map_err(|_| format!("{flag} needs a non-negative integer, got '{text}'"))
}

#[derive(Debug, Clone, Copy, ZeroCopySend)]
#[type_name("TransmissionData")]
#[repr(C)]
pub struct TransmissionData {
    pub x: i32,
    pub y: i32,
    pub funky: f64,
}

impl TransmissionData {
    /// The blackboard's initial value of key 1.
    pub const ZERO: Self = TransmissionData {
        x: 0,
        y: 0,
        funky: 0.0,
    };
}

/// `TransmissionData` as a C compiler lays it out under `#pragma pack(4)`: same name, fields and
/// size, alignment 4. A service of it must refuse an opener that needs alignment 8.
/// Implemented by hand: the derive checks fields through references, which a packed struct forbids.
#[derive(Debug, Clone, Copy)]
#[repr(C, packed(4))]
pub struct TransmissionDataAlign4 {
    pub x: i32,
    pub y: i32,
    pub funky: f64,
}

// SAFETY: plain old data (`i32`s and an `f64`, fixed C layout, no pointers), so it may live in
// shared memory; the name is the one every peer uses for these fields.
unsafe impl ZeroCopySend for TransmissionDataAlign4 {
    unsafe fn type_name() -> &'static str {
        "TransmissionData"
    }
}

pub fn transmission_data_align4(i: u64) -> TransmissionDataAlign4 {
    let TransmissionData { x, y, funky } = transmission_data(i);
    TransmissionDataAlign4 { x, y, funky }
}

/// `Default` because upstream default-initialises the user header of every slice loan.
#[derive(Debug, Clone, Copy, Default, ZeroCopySend)]
#[type_name("CustomHeader")]
#[repr(C)]
pub struct CustomHeader {
    pub version: i32,
    pub timestamp: u64,
}

/// An element of `ComplexMessage::readings`: 16 bytes, alignment 8 (its name is not compared:
/// iceoryx2 compares the payload's name, size and alignment only).
#[derive(Debug, Clone, Copy, Default, PlacementDefault, ZeroCopySend)]
#[repr(C)]
pub struct Reading {
    pub id: u32,
    pub value: f64,
}

/// A C-like enum stored as one byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    #[default]
    Idle = 0,
    Running = 1,
    Failed = 2,
}

impl Status {
    /// The variant of a stored byte, `None` for a byte no variant has.
    pub fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            0 => Some(Status::Idle),
            1 => Some(Status::Running),
            2 => Some(Status::Failed),
            _ => None,
        }
    }
}

// SAFETY: a fieldless `#[repr(u8)]` enum is one byte: no pointers, no heap, no `Drop`, and every
// peer stores it as that byte with these values. Implemented by hand because iceoryx2 0.10's
// derive accepts only `#[repr(C)]`, which would make the enum a 4-byte C `int`. Its name is not
// compared (it is only ever a field).
unsafe impl ZeroCopySend for Status {}

impl PlacementDefault for Status {
    unsafe fn placement_default(ptr: *mut Self) {
        // SAFETY: the caller guarantees `ptr` is valid for a write of `Self`.
        unsafe { ptr.write(Status::default()) }
    }
}

/// The fourth publish-subscribe payload: iceoryx2's containers, an enum and a `u128`.
/// 208 bytes, alignment 16 (the `u128`'s).
#[derive(Debug, Default, PlacementDefault, ZeroCopySend)]
#[type_name("ComplexMessage")]
#[repr(C)]
pub struct ComplexMessage {
    pub label: StaticString<32>,
    pub readings: StaticVec<Reading, 8>,
    pub status: Status,
    pub id: u128,
}

// The layout docs/interop.md states and the Python peer spells out with ctypes.
const _: () = {
    assert!(size_of::<Reading>() == 16 && align_of::<Reading>() == 8);
    assert!(size_of::<StaticString<32>>() == 48 && size_of::<StaticVec<Reading, 8>>() == 136);
    assert!(size_of::<ComplexMessage>() == 208 && align_of::<ComplexMessage>() == 16);
    assert!(offset_of!(ComplexMessage, label) == 0 && offset_of!(ComplexMessage, readings) == 48);
    assert!(offset_of!(ComplexMessage, status) == 184 && offset_of!(ComplexMessage, id) == 192);
};

pub const COMPLEX_LABEL_CAPACITY: usize = 32;
pub const COMPLEX_READINGS_CAPACITY: usize = 8;

/// Writes message `i` into `message` (an initialised one: placement-defaulted or `default()`).
pub fn fill_complex_message(message: &mut ComplexMessage, i: u64) -> Outcome<()> {
    message.label.clear();
    message
        .label
        .push_bytes(format!("msg-{i}").as_bytes())
        .context("writing the label")?;
    message.readings.clear();
    for j in 0..i % 9 {
        message
            .readings
            .push(Reading {
                id: i.wrapping_mul(8).wrapping_add(j) as u32,
                value: i as f64 + j as f64 / 4.0,
            })
            .context("adding a reading")?;
    }
    message.status = match i % 3 {
        0 => Status::Idle,
        1 => Status::Running,
        _ => Status::Failed,
    };
    message.id = (u128::from(i) << 64) | u128::from(i.wrapping_mul(2_654_435_761));
    Ok(())
}

/// Message `i` as a value (the subscriber's expectation).
pub fn complex_message(i: u64) -> Outcome<ComplexMessage> {
    let mut message = ComplexMessage::default();
    fill_complex_message(&mut message, i)?;
    Ok(message)
}

/// Checks what a peer may have written wrongly before anything reads the message through its
/// types: lengths beyond the capacities (the containers would read past their storage) and a
/// status byte no variant has (invalid for the Rust enum).
pub fn check_complex_message(message: &ComplexMessage) -> Outcome<()> {
    if message.label.len() > COMPLEX_LABEL_CAPACITY {
        return Err(format!(
            "label length {} exceeds the capacity {COMPLEX_LABEL_CAPACITY}",
            message.label.len()
        ));
    }
    if message.readings.len() > COMPLEX_READINGS_CAPACITY {
        return Err(format!(
            "{} readings exceed the capacity {COMPLEX_READINGS_CAPACITY}",
            message.readings.len()
        ));
    }
    // SAFETY: reads the byte the enum is stored as, without claiming it is a valid `Status`.
    let status = unsafe { core::ptr::addr_of!(message.status).cast::<u8>().read() };
    if Status::from_byte(status).is_none() {
        return Err(format!("status byte {status} is no variant of Status"));
    }
    Ok(())
}

/// The values of an `UnboundedData` flatbuffer message and its `u64` user header.
#[derive(Debug, PartialEq, Eq)]
pub struct UnboundedDataValue {
    pub header: u64,
    pub title: String,
    /// `(data_1, data_2)` of each entry.
    pub entries: Vec<(i32, u64)>,
}

/// Message `i`: title `fb-<i>`; `i mod 5` entries `{data_1: i * 1000003 + j - 50000000 (i32),
/// data_2: ((i + 1) * 0x9E3779B97F4A7C15 + j) mod 2^64}`; user header `i`.
pub fn unbounded_data(i: u64) -> UnboundedDataValue {
    let entries = (0..i % 5)
        .map(|j| {
            let data_1 = (i as i32)
                .wrapping_mul(1_000_003)
                .wrapping_add(j as i32)
                .wrapping_sub(50_000_000);
            (data_1, u64_value(i).wrapping_add(j))
        })
        .collect();
    UnboundedDataValue {
        header: i,
        title: format!("fb-{i}"),
        entries,
    }
}

pub fn u64_value(i: u64) -> u64 {
    i.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

pub fn transmission_data(i: u64) -> TransmissionData {
    let index = i as i32;
    TransmissionData {
        x: index.wrapping_mul(1_000_003).wrapping_sub(50_000_000),
        y: index.wrapping_mul(7919).wrapping_neg().wrapping_sub(1),
        funky: i as f64 * 812.12 + 0.25,
    }
}

pub fn slice_len(i: u64) -> usize {
    1 + (i.wrapping_mul(7) % 64) as usize
}

pub fn slice_element(i: u64, j: usize) -> u32 {
    i.wrapping_mul(2_654_435_761)
        .wrapping_add((j as u64).wrapping_mul(40_503)) as u32
}

/// The slice message's header: its index and the checksum of its elements.
pub fn slice_header(i: u64, elements: &[u32]) -> CustomHeader {
    let mut checksum = Digest::new();
    for element in elements {
        checksum.add(element);
    }
    CustomHeader {
        version: i as i32,
        timestamp: checksum.value(),
    }
}

pub fn event_id(i: u64) -> usize {
    1 + (i * 37 % 4000) as usize
}

pub fn request_value(count: u64) -> u64 {
    count.wrapping_add(0xC0FF_EE00)
}

/// The canonical encoding: little-endian fields, no padding.
pub trait Canonical {
    fn encode(&self, out: &mut Vec<u8>);

    fn canonical(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

impl Canonical for u8 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
}

impl Canonical for u32 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Canonical for u64 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Canonical for TransmissionData {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.x.to_le_bytes());
        out.extend_from_slice(&self.y.to_le_bytes());
        out.extend_from_slice(&self.funky.to_le_bytes());
    }
}

impl Canonical for TransmissionDataAlign4 {
    fn encode(&self, out: &mut Vec<u8>) {
        // Copies, not references: fields of a packed struct may be unaligned.
        let Self { x, y, funky } = *self;
        TransmissionData { x, y, funky }.encode(out);
    }
}

impl Canonical for CustomHeader {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.version.to_le_bytes());
        out.extend_from_slice(&self.timestamp.to_le_bytes());
    }
}

/// label length (u64), label bytes, readings count (u64), each reading (id u32, value f64),
/// status (u8), id (u128, 16 bytes).
impl Canonical for ComplexMessage {
    fn encode(&self, out: &mut Vec<u8>) {
        (self.label.len() as u64).encode(out);
        out.extend_from_slice(self.label.as_bytes());
        (self.readings.len() as u64).encode(out);
        for reading in self.readings.iter() {
            reading.id.encode(out);
            out.extend_from_slice(&reading.value.to_le_bytes());
        }
        out.push(self.status as u8);
        out.extend_from_slice(&self.id.to_le_bytes());
    }
}

/// user header (u64), title length (u64), title bytes, entry count (u64), each entry (data_1
/// i32, data_2 u64).
impl Canonical for UnboundedDataValue {
    fn encode(&self, out: &mut Vec<u8>) {
        self.header.encode(out);
        (self.title.len() as u64).encode(out);
        out.extend_from_slice(self.title.as_bytes());
        (self.entries.len() as u64).encode(out);
        for (data_1, data_2) in &self.entries {
            out.extend_from_slice(&data_1.to_le_bytes());
            data_2.encode(out);
        }
    }
}

/// `true` when both encode to the same bytes: compares floats bit for bit, as the protocol does.
pub fn same<T: Canonical>(a: &T, b: &T) -> bool {
    a.canonical() == b.canonical()
}

/// fnv1a64, fed incrementally with canonical encodings.
pub struct Digest(u64);

impl Digest {
    pub fn new() -> Self {
        Digest(0xcbf2_9ce4_8422_2325)
    }

    pub fn add(&mut self, value: &impl Canonical) {
        for byte in value.canonical() {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn value(&self) -> u64 {
        self.0
    }
}

enum Input {
    Line(String),
    End,
}

/// The conversation with the runner plus the completion deadline every wait is bounded by.
pub struct Session {
    role: Role,
    limit: Duration,
    deadline: Instant,
    input: Receiver<Input>,
}

impl Session {
    /// Starts the clock and a thread that forwards stdin, so that every wait on it has a timeout.
    pub fn start(options: &Options) -> Self {
        let (sender, input) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if sender.send(Input::Line(line)).is_err() {
                    return;
                }
            }
            let _ = sender.send(Input::End);
        });
        Session {
            role: options.role,
            limit: options.limit,
            deadline: Instant::now() + options.limit,
            input,
        }
    }

    /// Time left until the completion deadline, or the timeout error once it has passed.
    pub fn remaining(&self) -> Outcome<Duration> {
        match self.deadline.checked_duration_since(Instant::now()) {
            Some(left) if !left.is_zero() => Ok(left),
            _ => Err(format!(
                "no completion within {} ms",
                self.limit.as_millis()
            )),
        }
    }

    /// One polling step of a receiver: fails past the deadline, otherwise sleeps briefly on the
    /// node (which also reports termination signals).
    pub fn poll(&self, node: &Node<ipc::Service>) -> Outcome<()> {
        node.wait(POLL_INTERVAL.min(self.remaining()?))
            .context("waiting on the node")
    }

    /// Prints `port <port id> <node id>`, as upstream prints the ids (hexadecimal), so a runner
    /// can check what the other side sees as the message's origin.
    pub fn port(
        &self,
        port_id: impl core::fmt::Display,
        node_id: impl core::fmt::Display,
    ) -> Outcome<()> {
        say(&format!("port {port_id} {node_id}"))
    }

    /// Prints `ready`; sending roles then hold until the runner's `go`.
    pub fn ready(&self) -> Outcome<()> {
        say("ready")?;
        if !self.role.sends() {
            return Ok(());
        }
        loop {
            match self.next_input(self.remaining()?)? {
                Input::Line(line) if line.trim() == "go" => return Ok(()),
                Input::Line(_) => continue,
                Input::End => return Err("stdin ended before 'go'".into()),
            }
        }
    }

    /// Prints the result and keeps the caller's ports alive until the runner closes stdin, so
    /// that the other side can finish with this one still connected.
    pub fn finish(&self, count: u64, digest: &Digest) -> Outcome<()> {
        say(&format!(
            r#"result {{"role": "{}", "count": {count}, "digest": "{:016x}"}}"#,
            self.role.name(),
            digest.value()
        ))?;
        // A fresh limit: the runner closes stdin only once the other side has its result too.
        let deadline = Instant::now() + self.limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if let Input::End = self.next_input(left)? {
                return Ok(());
            }
        }
    }

    fn next_input(&self, timeout: Duration) -> Outcome<Input> {
        match self.input.recv_timeout(timeout) {
            Ok(input) => Ok(input),
            Err(RecvTimeoutError::Disconnected) => Ok(Input::End),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "stdin gave neither the expected line nor end of file within {} ms",
                self.limit.as_millis()
            )),
        }
    }
}

/// Writes one protocol line to stdout, flushed at once.
pub fn say(line: &str) -> Outcome<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .context("writing to stdout")
}
