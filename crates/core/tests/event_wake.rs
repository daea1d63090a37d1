//! Listener wake-ups through the reactor and the numeric try-wait, as the fronts drive them
//! (operations by name, a sink that stands in for the JavaScript thread).

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use iox2js_core::spans::{slot, SAMPLE_INFO_LEN, TAKEN_EVENTS_PER_CALL};
use iox2js_core::{bridge, close, reactor, ErrorKind};

mod support;
use support::{isolated, Isolated};

/// Every wake-up must arrive within this; a missing one fails the test instead of hanging.
const WAKE_LIMIT: Duration = Duration::from_secs(10);

/// Queues wake-up tokens for the test thread, as a front queues them for the JS thread.
struct ChannelSink(Mutex<Sender<f64>>);

impl reactor::Wake for ChannelSink {
    fn wake(&self, token: f64) {
        let _ = self.0.lock().unwrap().send(token);
    }
}

struct Events {
    /// Closes the node and removes the prefix's shared memory when dropped.
    isolated: Isolated,
    service: f64,
    wakes: Receiver<f64>,
}

impl Events {
    fn new(label: &str) -> Self {
        let (sender, wakes) = channel();
        reactor::set_thread_sink(Arc::new(ChannelSink(Mutex::new(sender))));
        let isolated = isolated(&format!("event_wake_{label}"));
        let spec = r#"{"name":"Core/EventWake","mode":"create","qos":{"eventIdMaxValue":64}}"#;
        let service = control("event.serviceOpen", isolated.node as f64, spec);
        Self {
            isolated,
            service,
            wakes,
        }
    }

    fn listener(&self) -> f64 {
        control("event.listenerCreate", self.service, "{}")
    }

    fn notifier(&self) -> f64 {
        control("event.notifierCreate", self.service, "{}")
    }

    fn next_wake(&self) -> f64 {
        self.wakes
            .recv_timeout(WAKE_LIMIT)
            .expect("no wake-up within the limit")
    }
}

fn control(op: &str, handle: f64, args: &str) -> f64 {
    serde_json::from_str(&bridge::control(op, handle, args).unwrap()).unwrap()
}

fn call(name: &str, handle: f64, arg: f64) -> iox2js_core::Result<f64> {
    let operation = bridge::CALL
        .iter()
        .find(|op| op.name == name)
        .unwrap_or_else(|| panic!("no call operation {name}"));
    (operation.run)(handle, arg)
}

/// `listenerTake` from event index `from`: the number of ids taken and the pairs described.
fn take(listener: f64, from: f64) -> iox2js_core::Result<(usize, Vec<(f64, f64)>)> {
    let mut info = [0.0; SAMPLE_INFO_LEN];
    bridge::memory::listener_take(listener, from, 0.0, &mut info)?;
    let taken = info[slot::LISTED] as usize;
    let described = taken
        .saturating_sub(from as usize)
        .min(TAKEN_EVENTS_PER_CALL);
    let pairs = info[slot::LIST..]
        .chunks_exact(2)
        .take(described)
        .map(|pair| (pair[0], pair[1]))
        .collect();
    Ok((taken, pairs))
}

/// The `(id, count)` pairs one take found, in the order it reports them (paging past the first
/// `TAKEN_EVENTS_PER_CALL`).
fn try_wait(listener: f64) -> Vec<(f64, f64)> {
    let (taken, pairs) = take(listener, 0.0).unwrap();
    try_wait_after(listener, pairs, taken)
}

#[test]
fn each_wait_wakes_with_its_own_token() {
    let events = Events::new("token");
    let listener = events.listener();
    let notifier = events.notifier();
    for round in 0..3 {
        let token = call("listenerWatch", listener, 0.0).unwrap();
        call("notifierNotify", notifier, 2.0).unwrap();
        assert_eq!(events.next_wake(), token, "round {round}");
        assert_eq!(try_wait(listener), [(2.0, 1.0)]);
    }
}

#[test]
fn a_readiness_before_the_wait_wakes_it_at_once() {
    let events = Events::new("ready");
    let listener = events.listener();
    let notifier = events.notifier();
    // Registered and woken once, so the next wait has to re-arm the descriptor.
    let first = call("listenerWatch", listener, 0.0).unwrap();
    call("notifierNotify", notifier, 1.0).unwrap();
    assert_eq!(events.next_wake(), first);
    let second = call("listenerWatch", listener, 0.0).unwrap();
    assert_eq!(
        events.next_wake(),
        second,
        "the pending event wakes the re-armed wait"
    );
    assert_eq!(try_wait(listener), [(1.0, 1.0)]);
}

#[test]
fn a_cancelled_wait_is_never_woken() {
    let events = Events::new("cancel");
    let listener = events.listener();
    let notifier = events.notifier();
    let cancelled = call("listenerWatch", listener, 0.0).unwrap();
    call("unwatch", 0.0, cancelled).unwrap();
    call("notifierNotify", notifier, 3.0).unwrap();
    let next = call("listenerWatch", listener, 0.0).unwrap();
    assert_ne!(next, cancelled);
    assert_eq!(events.next_wake(), next);
    assert_eq!(try_wait(listener), [(3.0, 1.0)]);
}

#[test]
fn a_closed_listener_leaves_no_registration_behind() {
    let events = Events::new("close");
    let notifier = events.notifier();
    for _ in 0..5 {
        // Closed while armed: its descriptor number is free for the next listener to reuse.
        let closed = events.listener();
        call("listenerWatch", closed, 0.0).unwrap();
        assert!(close(closed as u64));
        let listener = events.listener();
        let token = call("listenerWatch", listener, 0.0).unwrap();
        call("notifierNotify", notifier, 4.0).unwrap();
        assert_eq!(events.next_wake(), token);
        assert_eq!(try_wait(listener), [(4.0, 1.0)]);
        assert!(close(listener as u64));
    }
    assert_eq!(
        call("listenerWatch", 1e9, 0.0).unwrap_err().kind,
        ErrorKind::HandleClosed
    );
}

#[test]
fn the_numeric_try_wait_reports_ids_with_counts() {
    let events = Events::new("numeric");
    let listener = events.listener();
    let notifier = events.notifier();
    assert_eq!(try_wait(listener), []);
    for id in [5.0, 1.0, 5.0, 16.0] {
        call("notifierNotify", notifier, id).unwrap();
    }
    let mut taken = try_wait(listener);
    taken.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(taken, [(1.0, 1.0), (5.0, 2.0), (16.0, 1.0)]);
    assert_eq!(take(listener, 3.0).unwrap().1, []);
    assert_eq!(
        take(listener, 4.0).unwrap_err().kind,
        ErrorKind::OutOfBounds
    );
    assert_eq!(
        take(listener, -1.0).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(try_wait(listener), []);
}

#[test]
fn one_take_describes_many_ids_and_pages_through_the_rest() {
    let events = Events::new("paging");
    let listener = events.listener();
    let notifier = events.notifier();
    let ids = TAKEN_EVENTS_PER_CALL + 8;
    for id in 0..ids {
        call("notifierNotify", notifier, id as f64).unwrap();
    }
    let (taken, first) = take(listener, 0.0).unwrap();
    assert_eq!((taken, first.len()), (ids, TAKEN_EVENTS_PER_CALL));
    let mut all = try_wait_after(listener, first, taken);
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let expected: Vec<(f64, f64)> = (0..ids).map(|id| (id as f64, 1.0)).collect();
    assert_eq!(all, expected);
}

/// The pairs after `first`, paged from the take that found `taken` ids.
fn try_wait_after(listener: f64, mut pairs: Vec<(f64, f64)>, taken: usize) -> Vec<(f64, f64)> {
    while pairs.len() < taken {
        pairs.extend(take(listener, pairs.len() as f64).unwrap().1);
    }
    pairs
}

#[test]
fn no_notification_is_missed_while_waits_follow_each_other() {
    const NOTIFICATIONS: u64 = 3000;
    let events = Events::new("race");
    let listener = events.listener();
    let prefix = events.isolated.prefix.clone();
    // Another thread (its own handle table and node) notifies as fast as it can, so
    // notifications land before, during and after each drain and re-arm.
    let notifying = std::thread::spawn(move || {
        let node = support::create(
            "node.create",
            0,
            &format!(r#"{{"name":"notifier","config":{{"prefix":"{prefix}"}}}}"#),
        )
        .unwrap();
        let spec = r#"{"name":"Core/EventWake","mode":"open"}"#;
        let service = control("event.serviceOpen", node as f64, spec);
        let notifier = control("event.notifierCreate", service, "{}");
        for _ in 0..NOTIFICATIONS {
            call("notifierNotify", notifier, 7.0).unwrap();
        }
        close(node);
    });
    let mut received = 0;
    while received < NOTIFICATIONS {
        let taken = try_wait(listener);
        if taken.is_empty() {
            let token = call("listenerWatch", listener, 0.0).unwrap();
            // Pending ones wake the wait at once; a missed one fails here instead of hanging.
            assert_eq!(events.next_wake(), token, "after {received} notifications");
            continue;
        }
        received += taken.iter().map(|&(_, count)| count as u64).sum::<u64>();
    }
    assert_eq!(received, NOTIFICATIONS);
    notifying.join().unwrap();
}
