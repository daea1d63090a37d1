"""Python interop peer: the protocol of docs/interop.md on PyPI's iceoryx2 (its public API only).

Run with the virtualenv that setup.sh prepares:
    tools/interop/.venv/bin/python tools/interop/python/peer.py publisher \
        --service S [--prefix P] --count 100 --create --payload u64
"""

import argparse
import ctypes
import json
import os
import struct
import sys
import threading
import time
import traceback

import iceoryx2 as iox2

# flatc's classes for the flatbuffer tables, named as upstream's examples name them.
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "flatbuffer-schemas", "python"))
from example_tables import UnboundedData, build_unbounded_data, entries_of  # noqa: E402

TIME_LIMIT_SECONDS = 20.0
POLL_SECONDS = 0.001
U64_MASK = (1 << 64) - 1
U32_MASK = (1 << 32) - 1
FNV_OFFSET_BASIS = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3

SENDING_ROLES = ("publisher", "notifier", "client", "writer")
PAYLOAD_KINDS = ("u64", "TransmissionData", "TransmissionData-align4", "slice", "ComplexMessage", "Flatbuffer")


class TransmissionData(ctypes.Structure):
    """`#[repr(C)] {x: i32, y: i32, funky: f64}`: 16 bytes, alignment 8."""

    _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_int32), ("funky", ctypes.c_double)]

    @classmethod
    def type_name(cls) -> str:
        return "TransmissionData"


class TransmissionDataAlign4(ctypes.Structure):
    """`TransmissionData` under `#pragma pack(4)`: 16 bytes, alignment 4 (the alignment probe's creator)."""

    _pack_ = 4
    _fields_ = TransmissionData._fields_

    @classmethod
    def type_name(cls) -> str:
        return "TransmissionData"


STRUCT_PAYLOADS = {"TransmissionData": TransmissionData, "TransmissionData-align4": TransmissionDataAlign4}


class CustomHeader(ctypes.Structure):
    """`#[repr(C)] {version: i32, timestamp: u64}`: 16 bytes, alignment 8."""

    _fields_ = [("version", ctypes.c_int32), ("timestamp", ctypes.c_uint64)]

    @classmethod
    def type_name(cls) -> str:
        return "CustomHeader"


# ---- ComplexMessage: iceoryx2's containers as Rust lays them out ----
#
# PyPI's iceoryx2 has no container types, so these ctypes structures spell out the memory of
# `iceoryx2-bb-container` 0.10's types (docs/interop.md). Only the payload's name, size and
# alignment are compared by iceoryx2; the field structures' names are not.

LABEL_CAPACITY = 32
READINGS_CAPACITY = 8
STATUS_VARIANTS = ("Idle", "Running", "Failed")


class StaticString32(ctypes.Structure):
    """`StaticString<32>`: 32 data bytes and a NUL terminator, padding to 8, `len: u64`; 48 bytes, alignment 8."""

    _fields_ = [("data", ctypes.c_uint8 * (LABEL_CAPACITY + 1)), ("len", ctypes.c_uint64)]


class Reading(ctypes.Structure):
    """`#[repr(C)] {id: u32, value: f64}`: 16 bytes, alignment 8."""

    _fields_ = [("id", ctypes.c_uint32), ("value", ctypes.c_double)]


class StaticVecReading8(ctypes.Structure):
    """`StaticVec<Reading, 8>`: storage for 8 readings, then `len: u64`; 136 bytes, alignment 8."""

    _fields_ = [("data", Reading * READINGS_CAPACITY), ("len", ctypes.c_uint64)]


class U128(ctypes.Structure):
    """Rust's `u128` (little-endian halves): 16 bytes, alignment 16.

    ctypes has no 128-bit integer, and `_align_` exists only from Python 3.13 on. A zero-length
    array of `c_longdouble` (alignment 16 on x86-64 and aarch64 Linux) adds no bytes but raises the
    structure's alignment to Rust's 16; the checks below refuse a platform where it does not.
    """

    _fields_ = [("_align16", ctypes.c_longdouble * 0), ("low", ctypes.c_uint64), ("high", ctypes.c_uint64)]

    @property
    def value(self) -> int:
        return self.low | (self.high << 64)

    @value.setter
    def value(self, value: int) -> None:
        self.low = value & U64_MASK
        self.high = (value >> 64) & U64_MASK


class ComplexMessage(ctypes.Structure):
    """`#[repr(C)] {label: StaticString<32>, readings: StaticVec<Reading, 8>, status: Status (u8), id: u128}`.

    208 bytes, alignment 16: label at 0, readings at 48, status at 184, id at 192.
    """

    _fields_ = [
        ("label", StaticString32),
        ("readings", StaticVecReading8),
        ("status", ctypes.c_uint8),
        ("id", U128),
    ]

    @classmethod
    def type_name(cls) -> str:
        return "ComplexMessage"


# Rust's layout (tools/interop/rust-peer asserts the same numbers at compile time). iceoryx2's Python
# binding passes ctypes.sizeof and ctypes.alignment to the service as they are.
_LAYOUT = (
    (ctypes.sizeof(StaticString32), ctypes.alignment(StaticString32), StaticString32.len.offset),
    (ctypes.sizeof(StaticVecReading8), ctypes.alignment(StaticVecReading8), StaticVecReading8.len.offset),
    (ctypes.sizeof(U128), ctypes.alignment(U128)),
    (ctypes.sizeof(ComplexMessage), ctypes.alignment(ComplexMessage)),
    (ComplexMessage.label.offset, ComplexMessage.readings.offset, ComplexMessage.status.offset, ComplexMessage.id.offset),
)
if _LAYOUT != ((48, 8, 40), (136, 8, 128), (16, 16), (208, 16), (0, 48, 184, 192)):
    raise RuntimeError(f"ctypes lays ComplexMessage out unlike Rust on this platform: {_LAYOUT}")


# ---- values and their canonical encoding (little-endian, no padding) ----


def wrap_i32(value: int) -> int:
    return ((value + (1 << 31)) & U32_MASK) - (1 << 31)


def u64_value(i: int) -> int:
    return ((i + 1) * 0x9E3779B97F4A7C15) & U64_MASK


def transmission_data(i: int) -> TransmissionData:
    # float(i) * 812.12 + 0.25 evaluates left to right in IEEE doubles, like every other peer.
    return TransmissionData(
        x=wrap_i32(i * 1000003 - 50000000), y=wrap_i32(-(i * 7919) - 1), funky=i * 812.12 + 0.25
    )


def slice_elements(i: int) -> list:
    return [(i * 2654435761 + j * 40503) & U32_MASK for j in range(1 + (i * 7) % 64)]


def complex_message(i: int) -> tuple:
    """Message `i` as plain values: (label bytes, [(id, value)], status byte, id)."""
    readings = [((i * 8 + j) & U32_MASK, i + j / 4) for j in range(i % 9)]
    return (f"msg-{i}".encode("ascii"), readings, i % 3, (i << 64) | ((i * 2654435761) & U64_MASK))


def fill_complex_message(message: ComplexMessage, i: int) -> None:
    """Writes message `i` field by field into `message` (the loaned sample's memory)."""
    label, readings, status, identifier = complex_message(i)
    # The unused data bytes and the terminator are zeroed, as the containers keep them.
    message.label.data[:] = list(label) + [0] * (LABEL_CAPACITY + 1 - len(label))
    message.label.len = len(label)
    for j, (reading_id, value) in enumerate(readings):
        message.readings.data[j].id = reading_id
        message.readings.data[j].value = value
    message.readings.len = len(readings)
    message.status = status
    message.id.value = identifier


def read_complex_message(message: ComplexMessage) -> tuple:
    """The message's plain values, refusing what iceoryx2's containers and the enum cannot hold."""
    label_len = message.label.len
    if label_len > LABEL_CAPACITY:
        raise PeerFailure(f"label length {label_len} exceeds the capacity {LABEL_CAPACITY}")
    label = bytes(message.label.data[:label_len])
    if any(byte == 0 or byte > 0x7F for byte in label):
        raise PeerFailure(f"label {label!r} is not ASCII U+0001..U+007F (iceoryx2 0.10's StaticString)")
    count = message.readings.len
    if count > READINGS_CAPACITY:
        raise PeerFailure(f"{count} readings exceed the capacity {READINGS_CAPACITY}")
    readings = [(message.readings.data[j].id, message.readings.data[j].value) for j in range(count)]
    if message.status >= len(STATUS_VARIANTS):
        raise PeerFailure(f"status byte {message.status} is no variant of Status")
    return (label, readings, message.status, message.id.value)


def describe_complex_message(value: tuple) -> str:
    label, readings, status, identifier = value
    shown = ", ".join(f"{{id: {reading_id}, value: {reading_value!r}}}" for reading_id, reading_value in readings)
    return f"ComplexMessage {{label: {label.decode()!r}, readings: [{shown}], status: {STATUS_VARIANTS[status]}, id: {identifier}}}"


def unbounded_data(i: int) -> tuple:
    """Flatbuffer message `i`: (user header, title, [(data_1, data_2)]) as docs/interop.md defines it."""
    entries = [(wrap_i32(i * 1000003 + j - 50000000), (u64_value(i) + j) % 2**64) for j in range(i % 5)]
    return (i, f"fb-{i}", entries)


def encode_unbounded_data(value: tuple) -> bytes:
    header, title, entries = value
    out = struct.pack("<QQ", header, len(title)) + title.encode() + struct.pack("<Q", len(entries))
    return out + b"".join(struct.pack("<iQ", data_1, data_2) for data_1, data_2 in entries)


def event_id(i: int) -> int:
    return 1 + (i * 37) % 4000


def request_value(count: int) -> int:
    return (0xC0FFEE00 + count) & U64_MASK


def encode_u64(value: int) -> bytes:
    return struct.pack("<Q", value)


def encode_transmission_data(value: TransmissionData) -> bytes:
    return struct.pack("<iid", value.x, value.y, value.funky)


def encode_elements(elements: list) -> bytes:
    return struct.pack(f"<{len(elements)}I", *elements)


def encode_slice_message(version: int, timestamp: int, elements: list) -> bytes:
    return struct.pack("<iQ", version, timestamp) + encode_elements(elements)


def encode_complex_message(value: tuple) -> bytes:
    """label length (u64), label bytes, readings count (u64), each (id u32, value f64), status u8, id u128."""
    label, readings, status, identifier = value
    encoded = struct.pack("<Q", len(label)) + label + struct.pack("<Q", len(readings))
    for reading_id, reading_value in readings:
        encoded += struct.pack("<Id", reading_id, reading_value)
    return encoded + struct.pack("<B", status) + identifier.to_bytes(16, "little")


def same_transmission_data(a: TransmissionData, b: TransmissionData) -> bool:
    return encode_transmission_data(a) == encode_transmission_data(b)


def describe(value: TransmissionData) -> str:
    return f"TransmissionData {{x: {value.x}, y: {value.y}, funky: {value.funky!r}}}"


class Fnv1a64:
    """FNV-1a 64 over a stream of bytes."""

    def __init__(self) -> None:
        self.state = FNV_OFFSET_BASIS

    def update(self, data: bytes) -> "Fnv1a64":
        state = self.state
        for byte in data:
            state = ((state ^ byte) * FNV_PRIME) & U64_MASK
        self.state = state
        return self

    def hex(self) -> str:
        return f"{self.state:016x}"


def fnv1a64(data: bytes) -> int:
    return Fnv1a64().update(data).state


# ---- the protocol around the pattern-specific work ----


class PeerFailure(Exception):
    """Anything unexpected; reported as `error <message>` on stderr, exit code 1."""


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def check(self, waiting_for: str) -> None:
        if time.monotonic() >= self.end:
            raise PeerFailure(f"no {waiting_for} within {self.seconds:g} s")

    def poll(self, attempt, waiting_for: str):
        """Calls `attempt` about every millisecond until it returns something other than None."""
        while True:
            result = attempt()
            if result is not None:
                return result
            self.check(waiting_for)
            time.sleep(POLL_SECONDS)


class StdinWatcher:
    """Reads stdin on a thread so that waits for `go` and for end of file stay bounded.

    Raw os.read, not sys.stdin: a thread blocked inside Python's buffered reader can abort
    interpreter shutdown when the peer exits early on an error.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._go = False
        self._eof = False
        self._unexpected = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        pending = b""
        while True:
            try:
                chunk = os.read(0, 4096)
            except OSError:  # a closed or unreadable stdin counts as its end
                chunk = b""
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop() if chunk else b""
            with self._changed:
                for line in lines:
                    text = line.decode(errors="replace").strip()
                    if text == "go":
                        self._go = True
                    elif text and self._unexpected is None:
                        self._unexpected = text
                self._eof = not chunk
                self._changed.notify_all()
            if not chunk:
                return

    def _wait_for(self, condition, deadline: Deadline, waiting_for: str) -> None:
        with self._changed:
            while True:
                if self._unexpected is not None:
                    raise PeerFailure(f"unexpected line on stdin: {self._unexpected!r}")
                if condition():
                    return
                if self._eof:
                    raise PeerFailure(f"stdin ended before {waiting_for}")
                deadline.check(waiting_for)
                self._changed.wait(deadline.remaining())

    def wait_for_go(self, deadline: Deadline) -> None:
        self._wait_for(lambda: self._go, deadline, "`go` on stdin")

    def wait_for_eof(self, deadline: Deadline) -> None:
        self._wait_for(lambda: self._eof, deadline, "end of stdin")


class Session:
    """One run of one role: arguments, node, the 20 s budget and the stdin protocol."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.role = args.role
        self.count = args.count
        self.deadline = Deadline(TIME_LIMIT_SECONDS)
        self.stdin = StdinWatcher()
        builder = iox2.NodeBuilder.new().name(iox2.NodeName.new(f"iox2js-interop-python-{self.role}"))
        if args.prefix is not None:
            config = iox2.config.default()
            config.global_cfg.prefix = iox2.FileName.new(args.prefix)
            # As upstream's flatbuffer examples: the schemas' directory from this variable.
            schemas = os.environ.get("IOX2_FLATBUFFER_SCHEMA_PATH")
            if schemas is not None:
                config.global_cfg.service.flatbuffer_schema_path = iox2.Path.new(schemas)
            builder = builder.config(config)
        # Without --prefix: the global config, config files read, as upstream's programs.
        self.node = builder.create(iox2.ServiceType.Ipc)
        self.service_name = iox2.ServiceName.new(args.service)

    def service_builder(self):
        return self.node.service_builder(self.service_name)

    def create_or_open(self, builder):
        """Both sides set the same settings; the opener's become requirements."""
        return builder.create() if self.args.create else builder.open()

    def named(self, port_factory):
        """The port factory with `--name` applied; without it, upstream's default (no name)."""
        if self.args.name is None:
            return port_factory
        return port_factory.name(iox2.PortName.new(self.args.name))

    def port(self, port_id) -> None:
        """Prints `port <port id> <node id>` in hexadecimal, as the Rust side prints ids."""
        emit(f"port {port_id.value:x} {self.node.id.value:x}")

    def ready(self) -> None:
        """Announces the finished setup; sending roles then wait for `go`."""
        emit("ready")
        if self.role in SENDING_ROLES:
            self.stdin.wait_for_go(self.deadline)

    def finish(self, digest: Fnv1a64, check_after_eof=None) -> None:
        """Prints the result, then keeps every port alive until stdin ends.

        `check_after_eof` runs once the runner closed stdin, which it does only after both
        results: by then the sender has sent everything, so anything left over is extra.
        """
        emit("result " + json.dumps({"role": self.role, "count": self.count, "digest": digest.hex()}))
        self.stdin.wait_for_eof(Deadline(TIME_LIMIT_SECONDS))
        if check_after_eof is not None:
            check_after_eof()


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ---- publish-subscribe ----


def open_publish_subscribe(session: Session):
    kind = session.args.payload
    payload_type = {
        "u64": ctypes.c_uint64,
        **STRUCT_PAYLOADS,
        "slice": iox2.Slice[ctypes.c_uint32],
        "ComplexMessage": ComplexMessage,
        "Flatbuffer": iox2.Flatbuffer[UnboundedData],
    }[kind]
    builder = session.service_builder().publish_subscribe(payload_type)
    if kind == "slice":
        builder = builder.user_header(CustomHeader)
    if kind == "Flatbuffer":
        builder = builder.user_header(ctypes.c_uint64)
    builder = builder.max_publishers(2).max_subscribers(2).history_size(0).subscriber_max_buffer_size(256)
    return session.create_or_open(builder)


def run_publisher(session: Session) -> None:
    kind = session.args.payload
    port_factory = session.named(open_publish_subscribe(session).publisher_builder())
    if kind == "slice":
        port_factory = port_factory.initial_max_slice_len(64)
    if kind == "Flatbuffer":
        # Small on purpose: the first longer messages grow the chunks.
        port_factory = port_factory.initial_reserved_memory(64).allocation_strategy(iox2.AllocationStrategy.PowerOfTwo)
    publisher = port_factory.create()
    session.port(publisher.id)
    session.ready()

    digest = Fnv1a64()
    for i in range(session.count):
        if kind == "u64":
            value = u64_value(i)
            publisher.send_copy(ctypes.c_uint64(value))
            digest.update(encode_u64(value))
        elif kind in STRUCT_PAYLOADS:
            value = transmission_data(i)
            publisher.send_copy(STRUCT_PAYLOADS[kind](value.x, value.y, value.funky))
            digest.update(encode_transmission_data(value))
        elif kind == "ComplexMessage":
            # In place in the loaned memory, as the slice publisher fills its elements.
            sample = publisher.loan_uninit()
            fill_complex_message(sample.payload().contents, i)
            sample.assume_init().send()
            digest.update(encode_complex_message(complex_message(i)))
        elif kind == "Flatbuffer":
            value = unbounded_data(i)
            sample = publisher.loan_flatbuffer()
            sample.user_header().contents.value = value[0]
            root = build_unbounded_data(sample.flatbuffer_builder(), value[1], value[2])
            sample.assume_init(root).send()
            digest.update(encode_unbounded_data(value))
        else:
            elements = slice_elements(i)
            timestamp = fnv1a64(encode_elements(elements))
            sample = publisher.loan_slice_uninit(len(elements))
            payload = sample.payload()
            for j, element in enumerate(elements):
                payload[j] = element
            header = sample.user_header().contents
            header.version = i
            header.timestamp = timestamp
            sample.assume_init().send()
            digest.update(encode_slice_message(i, timestamp, elements))
    session.finish(digest)


def check_sample(kind: str, i: int, sample) -> bytes:
    """Checks that `sample` is message `i`; returns its canonical encoding."""
    if kind == "u64":
        value = sample.payload().contents.value
        if value != u64_value(i):
            raise PeerFailure(f"sample {i}: got {value:#x}, expected {u64_value(i):#x}")
        return encode_u64(value)
    if kind in STRUCT_PAYLOADS:
        value = sample.payload().contents
        if not same_transmission_data(value, transmission_data(i)):
            raise PeerFailure(f"sample {i}: got {describe(value)}, expected {describe(transmission_data(i))}")
        return encode_transmission_data(value)
    if kind == "ComplexMessage":
        try:
            value = read_complex_message(sample.payload().contents)
        except PeerFailure as failure:
            raise PeerFailure(f"sample {i}: {failure}") from None
        # Canonical encodings compare the floats bit for bit.
        if encode_complex_message(value) != encode_complex_message(complex_message(i)):
            raise PeerFailure(
                f"sample {i}: got {describe_complex_message(value)}, expected {describe_complex_message(complex_message(i))}"
            )
        return encode_complex_message(value)
    if kind == "Flatbuffer":
        data = sample.payload_root()
        value = (sample.user_header().contents.value, (data.Title() or b"").decode(), entries_of(data))
        if value != unbounded_data(i):
            raise PeerFailure(f"sample {i}: got {value}, expected {unbounded_data(i)}")
        return encode_unbounded_data(value)
    payload = sample.payload()
    # iceoryx2 0.10.0's Slice.len() counts bytes, not elements, for element types wider than a
    # byte (upstream PR #1543); the sample header has the element count.
    elements = [payload[j] for j in range(sample.header.number_of_elements)]
    header = sample.user_header().contents
    expected = slice_elements(i)
    if len(elements) != len(expected):
        raise PeerFailure(f"sample {i}: {len(elements)} elements, expected {len(expected)}")
    for j, (got, want) in enumerate(zip(elements, expected)):
        if got != want:
            raise PeerFailure(f"sample {i}: element {j} is {got:#x}, expected {want:#x}")
    if header.version != i:
        raise PeerFailure(f"sample {i}: header version {header.version}")
    checksum = fnv1a64(encode_elements(elements))
    if header.timestamp != checksum:
        raise PeerFailure(f"sample {i}: header timestamp {header.timestamp:#x}, elements hash to {checksum:#x}")
    return encode_slice_message(header.version, header.timestamp, elements)


def run_subscriber(session: Session) -> None:
    kind = session.args.payload
    subscriber = session.named(open_publish_subscribe(session).subscriber_builder()).create()
    session.port(subscriber.id)
    session.ready()

    digest = Fnv1a64()
    for i in range(session.count):
        sample = session.deadline.poll(subscriber.receive, f"sample {i} of {session.count}")
        digest.update(check_sample(kind, i, sample))
        sample.delete()

    def no_extra_sample() -> None:
        if subscriber.receive() is not None:
            raise PeerFailure(f"received more than {session.count} samples")

    session.finish(digest, no_extra_sample)


# ---- event ----


def open_event(session: Session):
    builder = session.service_builder().event().event_id_max_value(4095).max_notifiers(2).max_listeners(2)
    return session.create_or_open(builder)


def event_digest(count: int) -> Fnv1a64:
    digest = Fnv1a64()
    for value in sorted(event_id(i) for i in range(count)):
        digest.update(encode_u64(value))
    return digest


def run_notifier(session: Session) -> None:
    notifier = session.named(open_event(session).notifier_builder()).create()
    session.port(notifier.id)
    session.ready()
    for i in range(session.count):
        if notifier.notify_with_custom_event_id(iox2.EventId.new(event_id(i))) == 0:
            raise PeerFailure(f"event id {event_id(i)} reached no listener")
    session.finish(event_digest(session.count))


def run_listener(session: Session) -> None:
    listener = session.named(open_event(session).listener_builder()).create()
    session.port(listener.id)
    session.ready()

    expected = {event_id(i) for i in range(session.count)}
    seen = set()

    def collect(activations) -> None:
        for activation in activations:
            value = activation.id.as_value
            if value not in expected:
                raise PeerFailure(f"unexpected event id {value}")
            seen.add(value)

    while len(seen) < len(expected):
        session.deadline.check(f"event ids ({len(seen)} of {len(expected)} seen)")
        wait = min(0.1, session.deadline.remaining())
        collect(listener.timed_wait(iox2.Duration.from_secs_f64(wait)))
    session.finish(event_digest(session.count), lambda: collect(listener.try_wait()))


# ---- request-response ----


def open_request_response(session: Session):
    builder = (
        session.service_builder()
        .request_response(ctypes.c_uint64, TransmissionData)
        .max_clients(2)
        .max_servers(2)
        .max_active_requests_per_client(2)
        .max_response_buffer_size(64)
    )
    return session.create_or_open(builder)


def run_client(session: Session) -> None:
    client = session.named(open_request_response(session).client_builder()).create()
    session.port(client.id)
    session.ready()

    request = request_value(session.count)
    pending = client.send_copy(ctypes.c_uint64(request))
    if pending.number_of_server_connections == 0:
        raise PeerFailure("the request reached no server")
    digest = Fnv1a64().update(encode_u64(request))
    received = 0
    while True:
        # Read the connection state before receiving: once the server is gone and nothing is
        # left to receive, the stream is complete.
        connected = pending.is_connected
        response = pending.receive()
        if response is None:
            if not connected:
                break
            session.deadline.check(f"response {received} of {session.count} or the end of the stream")
            time.sleep(POLL_SECONDS)
            continue
        value = response.payload().contents
        if received >= session.count:
            raise PeerFailure(f"received more than {session.count} responses")
        if not same_transmission_data(value, transmission_data(received)):
            raise PeerFailure(
                f"response {received}: got {describe(value)}, expected {describe(transmission_data(received))}"
            )
        digest.update(encode_transmission_data(value))
        response.delete()
        received += 1
    if received != session.count:
        raise PeerFailure(f"the stream ended after {received} of {session.count} responses")
    session.finish(digest)


def run_server(session: Session) -> None:
    server = session.named(open_request_response(session).server_builder()).create()
    session.port(server.id)
    session.ready()

    active = session.deadline.poll(server.receive, "request")
    request = active.payload().contents.value
    if request != request_value(session.count):
        raise PeerFailure(f"request {request:#x}, expected {request_value(session.count):#x}")
    digest = Fnv1a64().update(encode_u64(request))
    for i in range(session.count):
        value = transmission_data(i)
        active.send_copy(value)
        digest.update(encode_transmission_data(value))
    active.delete()  # ends the response stream

    def no_extra_request() -> None:
        if server.receive() is not None:
            raise PeerFailure("received more than one request")

    session.finish(digest, no_extra_request)


# ---- blackboard ----

KEY_COUNTER = 0
KEY_DATA = 1


def open_blackboard(session: Session):
    if session.args.create:
        builder = (
            session.service_builder()
            .blackboard_creator(ctypes.c_uint64)
            .add(ctypes.c_uint64(KEY_COUNTER), ctypes.c_uint64(0))
            .add(ctypes.c_uint64(KEY_DATA), TransmissionData())
        )
        return builder.create()
    return session.service_builder().blackboard_opener(ctypes.c_uint64).open()


def blackboard_digest(counter: int, data: TransmissionData) -> Fnv1a64:
    return Fnv1a64().update(encode_u64(counter)).update(encode_transmission_data(data))


def run_writer(session: Session) -> None:
    writer = session.named(open_blackboard(session).writer_builder()).create()
    counter = writer.entry(ctypes.c_uint64(KEY_COUNTER), ctypes.c_uint64)
    data = writer.entry(ctypes.c_uint64(KEY_DATA), TransmissionData)
    session.ready()

    for i in range(session.count):
        data.update_with_copy(transmission_data(i))
        counter.update_with_copy(ctypes.c_uint64(i + 1))
    final_data = transmission_data(session.count - 1) if session.count > 0 else TransmissionData()
    session.finish(blackboard_digest(session.count, final_data))


def run_reader(session: Session) -> None:
    reader = session.named(open_blackboard(session).reader_builder()).create()
    counter = reader.entry(ctypes.c_uint64(KEY_COUNTER), ctypes.c_uint64)
    data = reader.entry(ctypes.c_uint64(KEY_DATA), TransmissionData)
    session.ready()

    count = session.count
    while True:
        k = counter.get().decode_as(ctypes.c_uint64).value
        value = data.get().decode_as(TransmissionData)
        if k > count:
            raise PeerFailure(f"key 0 is {k}, beyond the count {count}")
        # The writer sets key 1 before key 0, so key 1 read after key 0 = k is at least message k-1.
        if k > 0 and not any(same_transmission_data(value, transmission_data(j)) for j in range(k - 1, count)):
            raise PeerFailure(f"key 0 is {k} but key 1 is {describe(value)}")
        if k == count:
            break
        session.deadline.check(f"key 0 = {count} (last seen {k})")
        time.sleep(POLL_SECONDS)
    if count == 0 and not same_transmission_data(value, TransmissionData()):
        raise PeerFailure(f"key 1 is {describe(value)} without any write")
    session.finish(blackboard_digest(k, value))


ROLES = {
    "publisher": run_publisher,
    "subscriber": run_subscriber,
    "notifier": run_notifier,
    "listener": run_listener,
    "client": run_client,
    "server": run_server,
    "writer": run_writer,
    "reader": run_reader,
}


# What the Rust peer does with upstream's Rust API and PyPI's iceoryx2 0.10 cannot express.
UNSUPPORTED = {
    "ports": "PyPI iceoryx2 0.10 lists no port details: its DynamicConfigPublishSubscribe and "
    "DynamicConfigEvent have only number_of_* counts (no list_publishers / list_listeners)",
    "--target-listener": "PyPI iceoryx2 0.10's Notifier has no targeted notify "
    "(no for_each_listener, notify_single_listener or ListenerKey)",
}
UNSUPPORTED_ROLES = ("ports",)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="iceoryx2 interop peer (docs/interop.md)")
    parser.add_argument("role", choices=[*ROLES.keys(), *UNSUPPORTED_ROLES])
    parser.add_argument("--service", required=True)
    parser.add_argument("--prefix")
    parser.add_argument("--count", required=True, type=int)
    side = parser.add_mutually_exclusive_group(required=True)
    side.add_argument("--create", action="store_true")
    side.add_argument("--open", action="store_true")
    parser.add_argument("--payload", choices=PAYLOAD_KINDS)
    parser.add_argument("--name", help="the name of this peer's port (upstream's PortName)")
    parser.add_argument("--target-listener", help="notifier: notify only the listener with this id (Rust peer only)")
    parser.add_argument("--pattern", choices=("publish-subscribe", "event"), help="ports: the service's pattern (Rust peer only)")
    args = parser.parse_args()
    # Both need an API PyPI's iceoryx2 0.10 lacks: refused by name rather than approximated.
    if args.role == "ports":
        parser.exit(2, f"error ports: {UNSUPPORTED['ports']}\n")
    if args.target_listener is not None:
        if args.role != "notifier":
            parser.error("--target-listener is for notifier only")
        parser.exit(2, f"error notifier: {UNSUPPORTED['--target-listener']}\n")
    if args.pattern is not None:
        parser.error("--pattern is for ports only")
    if args.count < 0:
        parser.error("--count must not be negative")
    if (args.role in ("publisher", "subscriber")) != (args.payload is not None):
        parser.error("--payload is required for publisher and subscriber, and only for them")
    return args


def main() -> int:
    args = parse_arguments()
    try:
        ROLES[args.role](Session(args))
    except PeerFailure as failure:
        print(f"error {args.role}: {failure}", file=sys.stderr, flush=True)
        return 1
    except Exception as failure:  # raised by iceoryx2 (or a bug): name it and the steps it came from
        steps = " > ".join(frame.name for frame in traceback.extract_tb(failure.__traceback__)[1:])
        print(f"error {args.role}: {type(failure).__name__}: {failure} (in {steps})", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
