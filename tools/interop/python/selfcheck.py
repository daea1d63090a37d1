"""Runs interop peer pairs the way the matrix runner does (docs/interop.md) and compares digests.

    python3 tools/interop/python/selfcheck.py              # Python ↔ Python
    python3 tools/interop/python/selfcheck.py --pairs python:rust,rust:python

Python peers run in tools/interop/.venv (python/setup.sh); the Rust peer is
target/release/iox2js-interop-peer.

Every pattern runs once with the sender and once with the receiver creating the service. Exits 1
if any run fails, if digests of one pattern differ between runs, or if iceoryx2 files of a run
are left behind.
"""

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
LAUNCHERS = {
    "python": [os.path.join(HERE, "..", ".venv", "bin", "python"), os.path.join(HERE, "peer.py")],
    "rust": [os.path.join(ROOT, "target", "release", "iox2js-interop-peer")],
}
# (id, sender role, receiver role, count, extra options), as the matrix runs them.
PATTERNS = [
    ("pubsub-u64", "publisher", "subscriber", 100, ["--payload", "u64"]),
    ("pubsub-struct", "publisher", "subscriber", 100, ["--payload", "TransmissionData"]),
    ("pubsub-slice-header", "publisher", "subscriber", 100, ["--payload", "slice"]),
    ("pubsub-complex", "publisher", "subscriber", 100, ["--payload", "ComplexMessage"]),
    ("pubsub-flatbuffer", "publisher", "subscriber", 100, ["--payload", "Flatbuffer"]),
    ("event", "notifier", "listener", 100, []),
    ("request-response", "client", "server", 32, []),
    ("blackboard", "writer", "reader", 100, []),
]
STEP_TIMEOUT_SECONDS = 30.0
# The flatbuffer pattern's binary schemas, found as upstream's flatbuffer examples find them.
os.environ.setdefault("IOX2_FLATBUFFER_SCHEMA_PATH", os.path.join(ROOT, "tools", "flatbuffer-schemas", "bfbs"))


class RunFailed(Exception):
    pass


class Peer:
    """A peer process whose stdout lines are collected on a thread, so every wait has a timeout."""

    def __init__(self, language: str, args: list) -> None:
        self.description = f"{language} {' '.join(args)}"
        self.process = subprocess.Popen(
            LAUNCHERS[language] + args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines = queue.Queue()
        self.printed = []
        self.stderr = []
        threading.Thread(target=self._collect, args=(self.process.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._collect, args=(self.process.stderr, self.stderr.append), daemon=True).start()

    @staticmethod
    def _collect(stream, sink) -> None:
        for line in stream:
            sink(line.rstrip("\n"))
        sink(None)

    def describe(self) -> str:
        stderr = " | ".join(line for line in self.stderr if line is not None)
        return f"{self.description}\n    stdout: {' | '.join(self.printed)}\n    stderr: {stderr}"

    def line(self, prefix: str) -> str:
        end = time.monotonic() + STEP_TIMEOUT_SECONDS
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                raise RunFailed(f"timed out waiting for {prefix!r}\n  {self.describe()}") from None
            if line is None:
                self.process.wait()
                raise RunFailed(f"exited ({self.process.returncode}) before {prefix!r}\n  {self.describe()}")
            self.printed.append(line)
            if line.startswith(prefix):
                return line

    def send(self, line: str) -> None:
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # it exited; its exit code tells why

    def finish(self) -> int:
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.process.wait(timeout=STEP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            return -1

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def run_case(pattern, sender: str, receiver: str, creator: str, prefix: str, service: str) -> str:
    """Runs one pair to completion and returns the agreed digest."""
    _, sender_role, receiver_role, count, options = pattern
    common = ["--service", service, "--prefix", prefix, "--count", str(count)] + options

    def start(side: str) -> Peer:
        language, role = (sender, sender_role) if side == "sender" else (receiver, receiver_role)
        return Peer(language, [role] + common + ["--create" if side == creator else "--open"])

    peers = []
    try:
        first = start(creator)
        peers.append(first)
        first.line("ready")
        second = start("receiver" if creator == "sender" else "sender")
        peers.append(second)
        second.line("ready")
        sending, receiving = (first, second) if creator == "sender" else (second, first)
        sending.send("go")
        receiving.send("go")
        sent = sending.line("result ")
        received = receiving.line("result ")
        exit_codes = [sending.finish(), receiving.finish()]
        if exit_codes != [0, 0]:
            raise RunFailed(f"exit codes {exit_codes}\n  {sending.describe()}\n  {receiving.describe()}")
        sent_digest, received_digest = (parse_result(r) for r in (sent, received))
        if sent_digest != received_digest:
            raise RunFailed(f"digests differ: sent {sent}, received {received}")
        return sent_digest
    finally:
        for peer in peers:
            peer.kill()


def parse_result(line: str) -> str:
    return json.loads(line[len("result "):])["digest"]


def leftovers(prefix: str, with_global: bool) -> list:
    """Files of this prefix; iceoryx2 keeps one global management segment per prefix by design."""
    found = []
    for directory in ("/dev/shm", "/tmp/iceoryx2/nodes", "/tmp/iceoryx2/services"):
        try:
            entries = os.listdir(directory)
        except OSError:
            continue
        found += [
            os.path.join(directory, entry)
            for entry in entries
            if entry.startswith(prefix) and (with_global or not entry.endswith(".global_mgmt"))
        ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--pairs",
        default="python:python",
        help="comma-separated sender:receiver languages (python, rust); default python:python",
    )
    args = parser.parse_args()
    pairs = [tuple(pair.split(":")) for pair in args.pairs.split(",")]
    for pair in pairs:
        if len(pair) != 2 or not all(language in LAUNCHERS for language in pair):
            parser.error(f"bad pair {':'.join(pair)!r}; languages: {', '.join(LAUNCHERS)}")
    missing = {LAUNCHERS[language][0] for pair in pairs for language in pair if not os.path.exists(LAUNCHERS[language][0])}
    if missing:
        print(f"missing peer executables: {', '.join(sorted(missing))}", file=sys.stderr)
        return 1

    prefix = f"iox2js_selfcheck_{os.getpid()}_"
    failures = 0
    digests = {}
    run = 0
    try:
        for pattern in PATTERNS:
            for sender, receiver in pairs:
                for creator in ("sender", "receiver"):
                    run += 1
                    name = f"{pattern[0]}: {sender} → {receiver}, {creator} creates"
                    try:
                        digest = run_case(pattern, sender, receiver, creator, prefix, f"selfcheck/{pattern[0]}/{run}")
                        left = leftovers(prefix, with_global=False)
                        if left:
                            raise RunFailed(f"left behind: {', '.join(left)}")
                        digests.setdefault(pattern[0], set()).add(digest)
                        print(f"ok    {name}  {digest}", flush=True)
                    except RunFailed as failure:
                        failures += 1
                        print(f"FAIL  {name}\n  {failure}", flush=True)
    finally:
        for path in leftovers(prefix, with_global=True):
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.remove(path)

    for pattern_id, seen in digests.items():
        if len(seen) != 1:
            failures += 1
            print(f"FAIL  {pattern_id}: runs disagree on the digest: {', '.join(sorted(seen))}")
    print(f"{run - failures} of {run} runs passed" if failures == 0 else f"{failures} failure(s) in {run} runs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
