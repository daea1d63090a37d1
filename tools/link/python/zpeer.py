"""Plain-Zenoh peers of tools/link (PyPI eclipse-zenoh, no iceoryx2 at all).

    zpeer.py sub --connect <endpoint> --key <key expression>
        Prints `ready`, then `data <key> <hex bytes>` for every sample, until stdin ends.
    zpeer.py pong --listen <endpoint> [--connect <endpoint>]
        Answers every sample on link/zenoh/ping with the same bytes on link/zenoh/pong.
    zpeer.py ping --connect <endpoint> --size <bytes> --count <n> [--warmup <n>]
        Round trips through a pong peer; prints `result {"rtt_us": [...]}`.
    zpeer.py sink --listen <endpoint> [--connect <endpoint>]
        Counts samples on link/zenoh/flood; prints `first` at the first one and
        `result {"count", "bytes", "seconds"}` once none arrived for a second.
    zpeer.py source --connect <endpoint> --size <bytes> --count <n>
        Puts `count` samples of `size` bytes on link/zenoh/flood as fast as Zenoh takes them
        (congestion control BLOCK: none is dropped).

Every peer prints `ready` once its session and its declarations are up, and exits 2 on bad usage;
nothing waits longer than --timeout seconds (default 30).
"""

import argparse
import json
import sys
import threading
import time

import zenoh


def config(listen, connect):
    # No multicast scouting: peers meet only where they are told to, as over a routed network.
    conf = {"mode": "peer", "scouting": {"multicast": {"enabled": False}, "gossip": {"enabled": False}}}
    if listen:
        conf["listen"] = {"endpoints": [listen]}
    if connect:
        conf["connect"] = {"endpoints": [connect]}
    return zenoh.Config.from_json5(json.dumps(conf))


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def until_stdin_ends():
    for _ in sys.stdin:
        pass


def sub(args):
    session = zenoh.open(config(args.listen, args.connect))

    def on_sample(sample):
        say(f"data {sample.key_expr} {bytes(sample.payload.to_bytes()).hex()}")

    subscriber = session.declare_subscriber(args.key, on_sample)
    say("ready")
    until_stdin_ends()
    subscriber.undeclare()
    session.close()


def pong(args):
    session = zenoh.open(config(args.listen, args.connect))
    publisher = session.declare_publisher("link/zenoh/pong", congestion_control=zenoh.CongestionControl.BLOCK)
    subscriber = session.declare_subscriber("link/zenoh/ping", lambda sample: publisher.put(sample.payload))
    say("ready")
    until_stdin_ends()
    subscriber.undeclare()
    session.close()


def ping(args):
    session = zenoh.open(config(args.listen, args.connect))
    publisher = session.declare_publisher("link/zenoh/ping", congestion_control=zenoh.CongestionControl.BLOCK)
    answered = threading.Event()
    expected = [b""]

    def on_pong(sample):
        if bytes(sample.payload.to_bytes())[:8] == expected[0]:
            answered.set()

    subscriber = session.declare_subscriber("link/zenoh/pong", on_pong)
    say("ready")
    payload = bytearray(max(args.size, 8))
    rtts = []
    # Until the pong peer answers: the first round trips also find the route.
    deadline = time.monotonic() + args.timeout
    for i in range(args.warmup + args.count):
        payload[:8] = i.to_bytes(8, "little")
        expected[0] = bytes(payload[:8])
        answered.clear()
        start = time.perf_counter_ns()
        publisher.put(bytes(payload))
        while not answered.wait(0.2):
            if time.monotonic() > deadline:
                say(f"error no answer to round trip {i}")
                sys.exit(1)
            if i < args.warmup:
                publisher.put(bytes(payload))
        if i >= args.warmup:
            rtts.append((time.perf_counter_ns() - start) / 1000)
    say("result " + json.dumps({"rtt_us": rtts}))
    subscriber.undeclare()
    session.close()


def sink(args):
    session = zenoh.open(config(args.listen, args.connect))
    state = {"count": 0, "bytes": 0, "first": None, "last": None}
    lock = threading.Lock()

    def on_sample(sample):
        now = time.perf_counter()
        with lock:
            if state["first"] is None:
                state["first"] = now
                say("first")
            state["count"] += 1
            state["bytes"] += len(sample.payload)
            state["last"] = now

    subscriber = session.declare_subscriber("link/zenoh/flood", on_sample)
    say("ready")
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        time.sleep(0.1)
        with lock:
            if state["last"] is not None and time.perf_counter() - state["last"] > 1.0:
                break
    with lock:
        seconds = (state["last"] - state["first"]) if state["first"] is not None else 0
        say("result " + json.dumps({"count": state["count"], "bytes": state["bytes"], "seconds": seconds}))
    subscriber.undeclare()
    session.close()


def source(args):
    session = zenoh.open(config(args.listen, args.connect))
    # Blocking congestion control: as fast as the link takes them, none dropped (the engine's capacity).
    publisher = session.declare_publisher("link/zenoh/flood", congestion_control=zenoh.CongestionControl.BLOCK)
    # The sink subscribes before the source starts; matching status says the route is up.
    deadline = time.monotonic() + args.timeout
    while not publisher.matching_status.matching:
        if time.monotonic() > deadline:
            say("error the sink never matched")
            sys.exit(1)
        time.sleep(0.01)
    say("ready")
    payload = bytes(args.size)
    for _ in range(args.count):
        publisher.put(payload)
    say("sent")
    until_stdin_ends()
    session.close()


def main():
    parser = argparse.ArgumentParser(prog="zpeer.py")
    parser.add_argument("role", choices=["sub", "pong", "ping", "sink", "source"])
    parser.add_argument("--listen")
    parser.add_argument("--connect")
    parser.add_argument("--key", default="iox2/**")
    parser.add_argument("--size", type=int, default=8)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    {"sub": sub, "pong": pong, "ping": ping, "sink": sink, "source": source}[args.role](args)


if __name__ == "__main__":
    main()
