//! Rust ↔ Rust pairs of the interop peer, driven exactly like the matrix runner drives them
//! (docs/interop.md), plus the failure paths. The expected digests are the protocol's reference
//! values, recomputed independently from the spec, so other peers can be checked against them.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const PEER: &str = env!("CARGO_BIN_EXE_iox2js-interop-peer");
/// Bound for every wait of the test itself; the peers give up after their own 20 s.
const WAIT: Duration = Duration::from_secs(30);

const U64_100: &str = "71e6f2fea9177e90";
const TRANSMISSION_DATA_100: &str = "daf46885b45d0db6";
const SLICE_100: &str = "d90ba035e79e0745";
const EVENT_100: &str = "7c33ed2f09ee8ee5";
const REQUEST_RESPONSE_32: &str = "fc319fae055002eb";
const BLACKBOARD_100: &str = "d5f6da65ca52d333";

/// An isolated iceoryx2 domain (own prefix, own service name); removes its shared memory at the end.
struct Domain {
    prefix: String,
    service: String,
}

impl Domain {
    fn new(test: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let id = format!(
            "{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Domain {
            prefix: format!("iox2js_peer_{id}_"),
            service: format!("interop-peer-test/{test}/{id}"),
        }
    }

    fn spawn(&self, role: &str, count: u64, create: bool, extra: &[&str]) -> Peer {
        let mut child = Command::new(PEER)
            .arg(role)
            .args(["--service", &self.service, "--prefix", &self.prefix])
            .args(["--count", &count.to_string()])
            .arg(if create { "--create" } else { "--open" })
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the peer binary starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        Peer {
            stdin: child.stdin.take(),
            child,
            lines,
        }
    }
}

impl Drop for Domain {
    fn drop(&mut self) {
        for entry in std::fs::read_dir("/dev/shm")
            .into_iter()
            .flatten()
            .flatten()
        {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(&self.prefix)
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

struct Peer {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

impl Peer {
    /// The next stdout line, or `None` once stdout closed.
    fn line(&self) -> Option<String> {
        match self.lines.recv_timeout(WAIT) {
            Ok(line) => Some(line),
            Err(mpsc::RecvTimeoutError::Disconnected) => None,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("no line from the peer within {WAIT:?}"),
        }
    }

    /// Expects `ready`, after the optional `port <port id> <node id>` line of sending ports.
    fn expect_ready(&self) {
        let mut line = self.line();
        if let Some(port) = line.as_deref().and_then(|l| l.strip_prefix("port ")) {
            let ids: Vec<&str> = port.split(' ').collect();
            assert!(
                ids.len() == 2 && ids.iter().all(|id| u128::from_str_radix(id, 16).is_ok()),
                "port line {port:?}"
            );
            line = self.line();
        }
        assert_eq!(line.as_deref(), Some("ready"));
    }

    fn go(&mut self) {
        writeln!(self.stdin.as_mut().unwrap(), "go").unwrap();
    }

    /// Reads the `result` line, checks its shape and returns the digest.
    fn result(&self, role: &str, count: u64) -> String {
        let line = self.line().expect("a result line");
        let digest = line
            .split(r#""digest": ""#)
            .nth(1)
            .and_then(|rest| rest.get(..16))
            .unwrap_or_else(|| panic!("no digest in {line:?}"))
            .to_string();
        assert_eq!(
            line,
            format!(r#"result {{"role": "{role}", "count": {count}, "digest": "{digest}"}}"#)
        );
        digest
    }

    /// Closes stdin and waits (bounded) for the exit; returns the status and stderr.
    fn close(mut self) -> (ExitStatus, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the peer did not exit within {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        let mut stderr = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        (status, stderr)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        // Only matters when an assertion failed midway: never leave a peer behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs one pair the way the runner does and returns both digests after checking both exits.
fn pair(test: &str, creator: &str, opener: &str, count: u64, extra: &[&str]) -> (String, String) {
    let domain = Domain::new(test);
    let mut first = domain.spawn(creator, count, true, extra);
    first.expect_ready();
    let mut second = domain.spawn(opener, count, false, extra);
    second.expect_ready();
    first.go();
    second.go();
    let digests = (first.result(creator, count), second.result(opener, count));
    for peer in [first, second] {
        let (status, stderr) = peer.close();
        assert!(status.success(), "exit {status}, stderr {stderr:?}");
    }
    digests
}

/// Both creator orders must agree with each other and with the reference digest.
fn both_orders(
    test: &str,
    sender: &str,
    receiver: &str,
    count: u64,
    extra: &[&str],
    expected: &str,
) {
    for (creator, opener) in [(sender, receiver), (receiver, sender)] {
        let (a, b) = pair(test, creator, opener, count, extra);
        assert_eq!(
            (a.as_str(), b.as_str()),
            (expected, expected),
            "{creator} created"
        );
    }
}

#[test]
fn publish_subscribe_u64() {
    both_orders(
        "pubsub-u64",
        "publisher",
        "subscriber",
        100,
        &["--payload", "u64"],
        U64_100,
    );
}

#[test]
fn publish_subscribe_transmission_data() {
    let payload = ["--payload", "TransmissionData"];
    both_orders(
        "pubsub-td",
        "publisher",
        "subscriber",
        100,
        &payload,
        TRANSMISSION_DATA_100,
    );
}

#[test]
fn publish_subscribe_slice_with_user_header() {
    both_orders(
        "pubsub-slice",
        "publisher",
        "subscriber",
        100,
        &["--payload", "slice"],
        SLICE_100,
    );
}

#[test]
fn event() {
    both_orders("event", "notifier", "listener", 100, &[], EVENT_100);
}

#[test]
fn request_response() {
    both_orders("rr", "client", "server", 32, &[], REQUEST_RESPONSE_32);
}

#[test]
fn blackboard() {
    both_orders("blackboard", "writer", "reader", 100, &[], BLACKBOARD_100);
}

#[test]
fn a_receiver_without_a_sender_times_out() {
    let domain = Domain::new("timeout");
    let started = Instant::now();
    let subscriber = domain.spawn(
        "subscriber",
        1,
        true,
        &["--payload", "u64", "--timeout-ms", "300"],
    );
    subscriber.expect_ready();
    assert_eq!(subscriber.line(), None, "no result line");
    let (status, stderr) = subscriber.close();
    assert_eq!(status.code(), Some(1));
    assert_eq!(stderr, "error no completion within 300 ms\n");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn a_wrong_request_fails_both_sides() {
    let domain = Domain::new("wrong-request");
    let mut server = domain.spawn("server", 31, true, &[]);
    server.expect_ready();
    let mut client = domain.spawn("client", 32, false, &[]);
    client.expect_ready();
    server.go();
    client.go();
    let (status, stderr) = server.close();
    assert_eq!(status.code(), Some(1));
    assert_eq!(
        stderr,
        "error got request 0xc0ffee20, expected 0xc0ffee1f\n"
    );
    // The server let go of the request without a response: the client's stream ended early.
    let (status, stderr) = client.close();
    assert_eq!(status.code(), Some(1));
    assert_eq!(stderr, "error the stream ended after 0 of 32 responses\n");
}

#[test]
fn an_incompatible_payload_type_cannot_open() {
    let domain = Domain::new("incompatible");
    let publisher = domain.spawn("publisher", 1, true, &["--payload", "TransmissionData"]);
    publisher.expect_ready();
    let subscriber = domain.spawn("subscriber", 1, false, &["--payload", "u64"]);
    assert_eq!(subscriber.line(), None, "the subscriber never gets ready");
    let (status, stderr) = subscriber.close();
    assert_eq!(status.code(), Some(1));
    assert_eq!(stderr, "error opening the service: IncompatibleTypes\n");
    let (status, _) = publisher.close();
    assert_eq!(status.code(), Some(1), "stdin ended before 'go'");
}

#[test]
fn a_usage_error_exits_with_2() {
    let output = Command::new(PEER)
        .args([
            "publisher",
            "--service",
            "s",
            "--prefix",
            "p",
            "--count",
            "1",
            "--create",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error publisher needs --payload\nusage: "),
        "{stderr:?}"
    );
}
