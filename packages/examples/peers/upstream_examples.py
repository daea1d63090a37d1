"""Peers that behave like upstream iceoryx2's Python examples (PyPI iceoryx2, pinned version).

Written here, not copied: each role uses upstream's service name, types and values, polls with
``node.wait`` where upstream's example polls, notifies only where upstream's example notifies,
reads config files as upstream does (the node's default config lookup) and, on SIGINT or SIGTERM,
prints ``exit`` and returns 0 as upstream's examples do. The examples' tests pair every one of
them with the TypeScript counterpart in ``packages/examples/src`` on Node, Deno and Bun.

    python upstream_examples.py <example> <role> [--cycle-ms MS] [--name value]...

Lines are printed as ``key=value`` facts the tests parse (``sent x=3``), not in upstream's words:
what is compared is the data, not the phrasing.
"""

import ctypes
import os
import sys

import iceoryx2 as iox2

# flatc's classes for the flatbuffer examples' tables, named as upstream's examples name them.
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools", "flatbuffer-schemas", "python"))
from example_tables import DataProps, UnboundedData, build_data_props, build_unbounded_data, entries_of  # noqa: E402


class TransmissionData(ctypes.Structure):
    """Upstream's example payload."""

    _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_int32), ("funky", ctypes.c_double)]

    @staticmethod
    def type_name() -> str:
        return "TransmissionData"


class CustomHeader(ctypes.Structure):
    """Upstream's example user header."""

    _fields_ = [("version", ctypes.c_int32), ("timestamp", ctypes.c_uint64)]

    @staticmethod
    def type_name() -> str:
        return "CustomHeader"


class BlackboardKey(ctypes.Structure):
    """Upstream's blackboard example key, compared field by field."""

    _fields_ = [("x", ctypes.c_uint32), ("y", ctypes.c_int64), ("z", ctypes.c_uint16)]

    def __eq__(self, other):
        if not isinstance(other, BlackboardKey):
            return NotImplemented
        return (self.x, self.y, self.z) == (other.x, other.y, other.z)

    @staticmethod
    def type_name() -> str:
        return "BlackboardKey"


def say(*facts) -> None:
    print(" ".join(str(f) for f in facts), flush=True)


def data(value: TransmissionData) -> str:
    return f"x={value.x} y={value.y} funky={value.funky!r}"


def transmission_data(counter: int) -> TransmissionData:
    return TransmissionData(x=counter, y=counter * 3, funky=counter * 812.12)


class Example:
    """One role: the node, the cycle, and upstream's loop ``while node.wait(cycle)``."""

    def __init__(self, argv):
        self.cycle = iox2.Duration.from_millis(1000)
        self.named = {}
        for flag, value in zip(argv[::2], argv[1::2]):
            if flag == "--cycle-ms":
                self.cycle = iox2.Duration.from_millis(int(value))
            else:
                self.named.setdefault(flag[2:].replace("-", "_"), []).append(value)
        self.node = self.make_node(None)

    @staticmethod
    def make_node(prefix):
        if prefix is None:
            return iox2.NodeBuilder.new().create(iox2.ServiceType.Ipc)
        config = iox2.config.global_config()
        config.global_cfg.prefix = iox2.FileName.new(prefix)
        return iox2.NodeBuilder.new().config(config).create(iox2.ServiceType.Ipc)

    def cycles(self):
        counter = 0
        while True:
            try:
                self.node.wait(self.cycle)
            except iox2.NodeWaitFailure:
                return
            counter += 1
            yield counter

    def service(self, name):
        return self.node.service_builder(iox2.ServiceName.new(name))


# publish-subscribe ------------------------------------------------------------------------


def pubsub(example: Example, name: str, payload, header=None):
    builder = example.service(name).publish_subscribe(payload)
    if header is not None:
        builder = builder.user_header(header)
    return builder.open_or_create()


# Each fixed-size payload: its value in cycle `counter`, and its facts.
PAYLOADS = {
    TransmissionData: (transmission_data, data),
    ctypes.c_uint64: (ctypes.c_uint64, lambda value: f"value={value.value}"),
}


def publisher(example: Example, name: str, payload, header=None) -> None:
    make, facts = PAYLOADS[payload]
    port = pubsub(example, name, payload, header).publisher_builder().create()
    say("ready")
    for counter in example.cycles():
        sample = port.loan_uninit()
        if header is not None:
            sample.user_header().contents.version = 123
            sample.user_header().contents.timestamp = 80337 + counter
        sample.write_payload(make(counter)).send()
        say("sent", facts(make(counter)))


def subscriber(example: Example, name: str, payload, header=None) -> None:
    _, facts = PAYLOADS[payload]
    port = pubsub(example, name, payload, header).subscriber_builder().create()
    say("ready")
    for _ in example.cycles():
        while (sample := port.receive()) is not None:
            shown = [facts(sample.payload().contents)]
            if header is not None:
                h = sample.user_header().contents
                shown.append(f"version={h.version} timestamp={h.timestamp}")
            say("received", *shown)


def bytes_of(counter: int) -> int:
    return min(counter * counter, 1000000)


def filled(loaned, size: int, counter: int):
    """A loaned slice of `size` bytes filled as upstream's examples fill it: (i + counter) % 255."""
    payload = loaned.payload()
    for i in range(size):
        payload[i] = (i + counter) % 255
    return loaned.assume_init()


def dynamic_publisher(example: Example) -> None:
    service = pubsub(example, "Service With Dynamic Data", iox2.Slice[ctypes.c_uint8])
    port = service.publisher_builder().initial_max_slice_len(16).allocation_strategy(iox2.AllocationStrategy.PowerOfTwo).create()
    say("ready")
    for counter in example.cycles():
        size = bytes_of(counter)
        filled(port.loan_slice_uninit(size), size, counter).send()
        say("sent", f"bytes={size}")


def dynamic_subscriber(example: Example) -> None:
    port = pubsub(example, "Service With Dynamic Data", iox2.Slice[ctypes.c_uint8]).subscriber_builder().create()
    say("ready")
    for _ in example.cycles():
        while (sample := port.receive()) is not None:
            payload = sample.payload()
            size = payload.len()
            # The first byte tells the counter: payload[i] = (i + counter) % 255.
            intact = size == 0 or all(payload[i] == (i + payload[0]) % 255 for i in range(0, size, max(1, size // 64)))
            say("received", f"bytes={size}", f"intact={intact}")


# events -----------------------------------------------------------------------------------


def notifier(example: Example, name: str, fixed_id=None) -> None:
    service = example.service(name).event().open_or_create()
    maximum = service.static_config.event_id_max_value
    port = service.notifier_builder().create()
    say("ready")
    for counter in example.cycles():
        event_id = fixed_id if fixed_id is not None else counter % maximum
        port.notify_with_custom_event_id(iox2.EventId.new(event_id))
        say("sent", f"id={event_id}")


def listener(example: Example, name: str) -> None:
    port = example.service(name).event().open_or_create().listener_builder().create()
    say("ready")
    for _ in example.cycles():
        for event in port.try_wait():
            say("received", f"id={event.id.as_value}", f"count={event.count}")


# event-based communication: upstream's PubSubEvent protocol on the event service of the same name

PUBLISHER_CONNECTED, PUBLISHER_DISCONNECTED, SUBSCRIBER_CONNECTED, SUBSCRIBER_DISCONNECTED = 0, 1, 2, 3
SENT_SAMPLE, RECEIVED_SAMPLE, SENT_HISTORY = 4, 5, 6


def event_based(example: Example):
    name = "EventBasedCommService"
    service = example.service(name).publish_subscribe(TransmissionData).history_size(20).subscriber_max_buffer_size(20).open_or_create()
    events = example.service(name).event().open_or_create()
    return service, events.listener_builder().create(), events.notifier_builder().create()


def notify(port, event_id: int) -> None:
    port.notify_with_custom_event_id(iox2.EventId.new(event_id))


def attachments(waitset):
    """Upstream's WaitSet loop: the attachments that fired, round after round, until a termination request."""
    while True:
        notifications, result = waitset.wait_and_process()
        if result in (iox2.WaitSetRunResult.TerminationRequest, iox2.WaitSetRunResult.Interrupt):
            return
        yield from notifications


def event_based_publisher(example: Example) -> None:
    service, events, announce = event_based(example)
    port = service.publisher_builder().create()
    notify(announce, PUBLISHER_CONNECTED)
    waitset = iox2.WaitSetBuilder.new().create(iox2.ServiceType.Ipc)
    events_guard = waitset.attach_notification(events)
    cycle_guard = waitset.attach_interval(example.cycle)
    say("ready")
    counter = 0
    try:
        for attachment in attachments(waitset):
            if attachment.has_event_from(cycle_guard):
                counter += 1
                port.loan_uninit().write_payload(transmission_data(counter)).send()
                notify(announce, SENT_SAMPLE)
                say("sent", data(transmission_data(counter)))
            elif attachment.has_event_from(events_guard):
                for event in events.try_wait():
                    if event.id.as_value == SUBSCRIBER_CONNECTED:
                        port.update_connections()
                        notify(announce, SENT_HISTORY)
                    say("event", f"id={event.id.as_value}")
    finally:
        notify(announce, PUBLISHER_DISCONNECTED)


def event_based_subscriber(example: Example) -> None:
    service, events, announce = event_based(example)
    port = service.subscriber_builder().create()
    notify(announce, SUBSCRIBER_CONNECTED)
    waitset = iox2.WaitSetBuilder.new().create(iox2.ServiceType.Ipc)
    guard = waitset.attach_deadline(events, iox2.Duration.from_secs(2))
    say("ready")
    try:
        for attachment in attachments(waitset):
            if not attachment.has_event_from(guard):
                continue
            for event in events.try_wait():
                say("event", f"id={event.id.as_value}")
                if event.id.as_value in (SENT_SAMPLE, SENT_HISTORY):
                    while (sample := port.receive()) is not None:
                        notify(announce, RECEIVED_SAMPLE)
                        say("received", data(sample.payload().contents))
    finally:
        notify(announce, SUBSCRIBER_DISCONNECTED)


# request-response -------------------------------------------------------------------------


def request_response(example: Example):
    return example.service("My/Funk/ServiceName").request_response(ctypes.c_uint64, TransmissionData).open_or_create()


def client(example: Example) -> None:
    port = request_response(example).client_builder().create()
    say("ready")
    counter = 0
    pending = port.send_copy(ctypes.c_uint64(counter))
    say("sent", f"request={counter}")
    for _ in example.cycles():
        while (response := pending.receive()) is not None:
            say("received", f"request={counter}", data(response.payload().contents))
        counter += 1
        pending = port.loan_uninit().write_payload(ctypes.c_uint64(counter)).send()
        say("sent", f"request={counter}")


def server(example: Example) -> None:
    port = request_response(example).server_builder().create()
    say("ready")
    counter = 0
    for _ in example.cycles():
        while (active := port.receive()) is not None:
            value = active.payload().contents.value
            say("received", f"request={value}")
            active.send_copy(TransmissionData(x=5 + counter, y=6 * counter, funky=7.77))
            for n in range(value % 2):
                active.loan_uninit().write_payload(TransmissionData(x=counter * (n + 1), y=counter + n, funky=counter * 0.1234)).send()
            say("answered", f"request={value}", f"responses={1 + value % 2}")
            active.delete()
        counter += 1


def dynamic_request_response(example: Example):
    slice_type = iox2.Slice[ctypes.c_uint8]
    return example.service("example//dynamic_request_response").request_response(slice_type, slice_type).open_or_create()


def dynamic_client(example: Example) -> None:
    port = dynamic_request_response(example).client_builder().initial_max_slice_len(16).allocation_strategy(iox2.AllocationStrategy.PowerOfTwo).create()
    say("ready")
    counter = 1
    while True:
        size = bytes_of(counter)
        pending = filled(port.loan_slice_uninit(size), size, counter).send()
        say("sent", f"bytes={size}")
        try:
            example.node.wait(example.cycle)
        except iox2.NodeWaitFailure:
            return
        while (response := pending.receive()) is not None:
            say("received", f"bytes={response.payload().len()}")
        counter += 1


def dynamic_server(example: Example) -> None:
    port = dynamic_request_response(example).server_builder().initial_max_slice_len(16).allocation_strategy(iox2.AllocationStrategy.PowerOfTwo).create()
    say("ready")
    for counter in example.cycles():
        while (active := port.receive()) is not None:
            say("received", f"bytes={active.payload().len()}")
            size = bytes_of(counter)
            filled(active.loan_slice_uninit(size), size, counter).send()
            say("answered", f"bytes={size}")
            active.delete()


# blackboard -------------------------------------------------------------------------------

KEY_0 = BlackboardKey(x=0, y=-4, z=4)
KEY_1 = BlackboardKey(x=1, y=-4, z=4)


def blackboard_creator(example: Example) -> None:
    service = example.service("My/Funk/ServiceName").blackboard_creator(BlackboardKey).add(KEY_0, ctypes.c_int32(3)).add(KEY_1, ctypes.c_double(1.1)).create()
    writer = service.writer_builder().create()
    entry_0 = writer.entry(KEY_0, ctypes.c_int32)
    entry_1 = writer.entry(KEY_1, ctypes.c_double)
    say("ready")
    for counter in example.cycles():
        entry_0.update_with_copy(ctypes.c_int32(counter))
        entry_1 = entry_1.loan_uninit().update_with_copy(ctypes.c_double(1.1 * counter))
        say("sent", f"key0={counter}", f"key1={1.1 * counter!r}")


def blackboard_opener(example: Example) -> None:
    service = example.service("My/Funk/ServiceName").blackboard_opener(BlackboardKey).open()
    reader = service.reader_builder().create()
    entry_0 = reader.entry(KEY_0, ctypes.c_int32)
    entry_1 = reader.entry(KEY_1, ctypes.c_double)
    say("ready")
    for _ in example.cycles():
        say("received", f"key0={entry_0.get().decode_as(ctypes.c_int32).value}", f"key1={entry_1.get().decode_as(ctypes.c_double).value!r}")


def blackboard_event_creator(example: Example) -> None:
    service = example.service("My/Funk/ServiceName").blackboard_creator(ctypes.c_uint32).add(ctypes.c_uint32(0), ctypes.c_uint64(0)).add(ctypes.c_uint32(1), ctypes.c_uint64(0)).create()
    announce = example.service("My/Funk/ServiceName").event().open_or_create().notifier_builder().create()
    writer = service.writer_builder().create()
    entry = writer.entry(ctypes.c_uint32(0), ctypes.c_uint64)
    interesting = writer.entry(ctypes.c_uint32(1), ctypes.c_uint64)
    say("ready")
    for counter in example.cycles():
        interesting.update_with_copy(ctypes.c_uint64(counter))
        announce.notify_with_custom_event_id(interesting.entry_id)
        entry.update_with_copy(ctypes.c_uint64(2 * counter))
        announce.notify_with_custom_event_id(entry.entry_id)
        say("sent", f"key1={counter}", f"id={interesting.entry_id.as_value}")


def blackboard_event_opener(example: Example) -> None:
    service = example.service("My/Funk/ServiceName").blackboard_opener(ctypes.c_uint32).open()
    events = example.service("My/Funk/ServiceName").event().open_or_create().listener_builder().create()
    entry = service.reader_builder().create().entry(ctypes.c_uint32(1), ctypes.c_uint64)
    say("ready")
    while True:
        try:
            example.node.wait(iox2.Duration.from_millis(0))
        except iox2.NodeWaitFailure:
            return
        try:
            activations = events.timed_wait(example.cycle)
        except iox2.ListenerWaitError:  # a termination request, as upstream's listener ends
            return
        for event in activations:
            if event.id.as_value == entry.entry_id.as_value:
                say("received", f"key1={entry.get().decode_as(ctypes.c_uint64).value}", f"id={event.id.as_value}")


# service attributes, domains ----------------------------------------------------------------

ATTRIBUTES = [
    ("dds_service_mapping", "my_funky_service_name"),
    ("tcp_serialization_format", "cdr"),
    ("someip_service_mapping", "1/2/3"),
    ("camera_resolution", "1920x1080"),
]


def attributes_creator(example: Example) -> None:
    specifier = iox2.AttributeSpecifier.new()
    for key, value in ATTRIBUTES:
        specifier = specifier.define(iox2.AttributeKey.new(key), iox2.AttributeValue.new(value))
    service = example.service("Service/With/Properties").publish_subscribe(ctypes.c_uint64).create_with_attributes(specifier)
    port = service.publisher_builder().create()
    say("ready")
    for counter in example.cycles():
        port.loan_uninit().write_payload(ctypes.c_uint64(0)).send()
        say("sent", "value=0")


def attributes_opener(example: Example) -> None:
    verifier = iox2.AttributeVerifier.new().require(iox2.AttributeKey.new("camera_resolution"), iox2.AttributeValue.new("1920x1080")).require_key(iox2.AttributeKey.new("dds_service_mapping"))
    service = example.service("Service/With/Properties").publish_subscribe(ctypes.c_uint64).open_with_attributes(verifier)
    port = service.subscriber_builder().create()
    say("ready")
    for _ in example.cycles():
        while (sample := port.receive()) is not None:
            say("received", f"value={sample.payload().contents.value}")


# flatbuffers ------------------------------------------------------------------------------


def flatbuffer_node() -> iox2.Node:
    """Upstream's flatbuffer examples: the config lookup's config plus the schema path variable."""
    config = iox2.config.global_config()
    config.global_cfg.service.flatbuffer_schema_path = iox2.Path.new(os.environ["IOX2_FLATBUFFER_SCHEMA_PATH"])
    return iox2.NodeBuilder.new().config(config).create(iox2.ServiceType.Ipc)


def unbounded_data_entries(entries: int) -> list:
    """Upstream's example entries: (6i+5, 6i+7)."""
    return [(6 * i + 5, 6 * i + 7) for i in range(entries)]


def entry_facts(data) -> str:
    return " ".join(f"{data_1}/{data_2}" for data_1, data_2 in entries_of(data))


def flatbuffer_pubsub(example: Example):
    example.node = flatbuffer_node()
    return (
        example.service("My/Flatbuffer/Service")
        .publish_subscribe(iox2.Flatbuffer[UnboundedData])
        .user_header(ctypes.c_uint64)
        .open_or_create()
    )


def flatbuffer_publisher(example: Example) -> None:
    service = flatbuffer_pubsub(example)
    port = service.publisher_builder().initial_reserved_memory(1024).allocation_strategy(iox2.AllocationStrategy.PowerOfTwo).create()
    say("ready")
    for counter in example.cycles():
        sample = port.loan_flatbuffer()
        sample.user_header().contents.value = counter
        root = build_unbounded_data(sample.flatbuffer_builder(), "Hello World!", unbounded_data_entries(counter % 15))
        sample.assume_init(root).send()
        say("sent", f"header={counter}", f"entries={counter % 15}")


def flatbuffer_subscriber(example: Example) -> None:
    port = flatbuffer_pubsub(example).subscriber_builder().create()
    say("ready")
    for _ in example.cycles():
        while (sample := port.receive()) is not None:
            data = sample.payload_root()
            title = data.Title().decode("utf-8")
            say("received", f"title={title!r}", f"header={sample.user_header().contents.value}", f"entries={entry_facts(data)}")


def flatbuffer_request_response(example: Example):
    example.node = flatbuffer_node()
    return (
        example.service("Flatbuffer/Request/Response")
        .request_response(iox2.Flatbuffer[UnboundedData], iox2.Flatbuffer[DataProps])
        .request_header(ctypes.c_uint64)
        .response_header(ctypes.c_uint64)
        .open_or_create()
    )


def flatbuffer_client(example: Example) -> None:
    service = flatbuffer_request_response(example)
    port = service.client_builder().initial_reserved_memory(1024).allocation_strategy(iox2.AllocationStrategy.PowerOfTwo).create()
    say("ready")
    counter = 0
    while True:
        counter += 1
        request = port.loan_flatbuffer()
        request.user_header().contents.value = counter
        root = build_unbounded_data(request.flatbuffer_builder(), "Hello World!", unbounded_data_entries(counter % 3))
        pending = request.assume_init(root).send()
        say("sent", f"request={counter}", f"entries={counter % 3}")
        try:
            example.node.wait(example.cycle)
        except iox2.NodeWaitFailure:
            return
        while (response := pending.receive()) is not None:
            say("received", f"request={counter}", f"sum={response.payload_root().ReceivedEntriesLen()}")


def flatbuffer_server(example: Example) -> None:
    service = flatbuffer_request_response(example)
    port = service.server_builder().initial_reserved_memory(1024).allocation_strategy(iox2.AllocationStrategy.PowerOfTwo).create()
    say("ready")
    counter = 0
    for _ in example.cycles():
        while (active := port.receive()) is not None:
            data = active.payload_root()
            header = active.user_header().contents.value
            say("received", f"request={header}", f"title={data.Title().decode('utf-8')!r}", f"entries={entry_facts(data)}")
            for data_1, data_2 in entries_of(data):
                response = active.loan_flatbuffer()
                response.user_header().contents.value = counter
                root = build_data_props(response.flatbuffer_builder(), max(data_1, 0) + data_2)
                response.assume_init(root).send()
            say("answered", f"request={header}", f"responses={data.EntriesLength()}")
            active.delete()
        counter += 1


def domains(example: Example, role: str) -> None:
    domain = example.named.get("domain", ["iox2_"])[0]
    name = example.named.get("service", ["my_funky_service"])[0]
    example.node = Example.make_node(domain)
    if role == "publisher":
        publisher(example, name, TransmissionData)
    else:
        subscriber(example, name, TransmissionData)


ROLES = {
    ("publish_subscribe", "publisher"): lambda e: publisher(e, "My/Funk/ServiceName", TransmissionData),
    ("publish_subscribe", "subscriber"): lambda e: subscriber(e, "My/Funk/ServiceName", TransmissionData),
    ("publish_subscribe_with_user_header", "publisher"): lambda e: publisher(e, "ServiceWithUserHeader", ctypes.c_uint64, CustomHeader),
    ("publish_subscribe_with_user_header", "subscriber"): lambda e: subscriber(e, "ServiceWithUserHeader", ctypes.c_uint64, CustomHeader),
    ("cross_language_communication_basics", "publisher"): lambda e: publisher(e, "CrossLanguageBasics", TransmissionData, CustomHeader),
    ("cross_language_communication_basics", "subscriber"): lambda e: subscriber(e, "CrossLanguageBasics", TransmissionData, CustomHeader),
    ("publish_subscribe_dynamic_data", "publisher"): dynamic_publisher,
    ("publish_subscribe_dynamic_data", "subscriber"): dynamic_subscriber,
    ("event", "notifier"): lambda e: notifier(e, "MyEventName"),
    ("event", "listener"): lambda e: listener(e, "MyEventName"),
    ("event_multiplexing", "notifier"): lambda e: notifier(e, e.named["service"][0], int(e.named.get("event_id", ["0"])[0])),
    ("event_based_communication", "publisher"): event_based_publisher,
    ("event_based_communication", "subscriber"): event_based_subscriber,
    ("request_response", "client"): client,
    ("request_response", "server"): server,
    ("request_response_dynamic_data", "client"): dynamic_client,
    ("request_response_dynamic_data", "server"): dynamic_server,
    ("blackboard", "creator"): blackboard_creator,
    ("blackboard", "opener"): blackboard_opener,
    ("blackboard_event_based_communication", "creator"): blackboard_event_creator,
    ("blackboard_event_based_communication", "opener"): blackboard_event_opener,
    ("service_attributes", "creator"): attributes_creator,
    ("service_attributes", "opener"): attributes_opener,
    ("domains", "publisher"): lambda e: domains(e, "publisher"),
    ("domains", "subscriber"): lambda e: domains(e, "subscriber"),
    ("service_types", "ipc_publisher"): lambda e: publisher(e, "Service-Variants-Example", ctypes.c_uint64),
    ("service_types", "subscriber"): lambda e: subscriber(e, "Service-Variants-Example", ctypes.c_uint64),
    ("flatbuffer_publish_subscribe", "publisher"): flatbuffer_publisher,
    ("flatbuffer_publish_subscribe", "subscriber"): flatbuffer_subscriber,
    ("flatbuffer_request_response", "client"): flatbuffer_client,
    ("flatbuffer_request_response", "server"): flatbuffer_server,
}


def main() -> int:
    if len(sys.argv) < 3 or (sys.argv[1], sys.argv[2]) not in ROLES:
        roles = ", ".join(f"{e} {r}" for e, r in ROLES)
        print(f"usage: upstream_examples.py <example> <role> [--cycle-ms MS] ...; roles: {roles}", file=sys.stderr)
        return 2
    iox2.set_log_level_from_env_or(iox2.LogLevel.Warn)
    ROLES[(sys.argv[1], sys.argv[2])](Example(sys.argv[3:]))
    say("exit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
