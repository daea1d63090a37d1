//! `notifier` → `listener`: event ids `1 + (i * 37 mod 4000)` for `i` in `0..count`. With
//! `--target-listener`, the notifier sends them to that one listener only (upstream's
//! `notify_single_listener`).

use std::collections::BTreeSet;

use iceoryx2::port::notifier::{ListenerKey, Notifier};
use iceoryx2::prelude::*;
use iceoryx2::service::builder::event::Builder;

use crate::protocol::{create_or_open, event_id, Context, Digest, Options, Outcome, Role, Session};

pub fn run(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    let service = create_or_open!(settings(node.service_builder(name).event()), options)?;
    let expected: BTreeSet<usize> = (0..options.count).map(event_id).collect();
    if options.role == Role::Notifier {
        let notifier = service
            .notifier_builder()
            .name(&options.port_name)
            .create()
            .context("creating the notifier")?;
        session.port(notifier.id(), node.id())?;
        session.ready()?;
        match options.target_listener {
            None => {
                for i in 0..options.count {
                    notifier
                        .notify_with_custom_event_id(EventId::new(event_id(i)))
                        .context("notifying")?;
                }
            }
            Some(target) => {
                let key = listener_key(&notifier, target)?;
                for i in 0..options.count {
                    notifier
                        .notify_single_listener_with_custom_event_id(
                            &key,
                            EventId::new(event_id(i)),
                        )
                        .context("notifying the target listener")?;
                }
            }
        }
        session.finish(options.count, &digest(&expected))
    } else {
        let listener = service
            .listener_builder()
            .name(&options.port_name)
            .create()
            .context("creating the listener")?;
        session.port(listener.id(), node.id())?;
        session.ready()?;
        let mut collected = Collected {
            expected: &expected,
            received: BTreeSet::new(),
            unexpected: Vec::new(),
        };
        while collected.received.len() < expected.len() {
            listener
                .timed_wait(
                    |activation| collected.take(activation),
                    session.remaining()?,
                )
                .context("waiting for events")?;
            collected.check()?;
        }
        // Anything already pending beyond the expected ids is an error too.
        listener
            .try_wait(|activation| collected.take(activation))
            .context("waiting for events")?;
        collected.check()?;
        session.finish(options.count, &digest(&collected.received))?;
        // Every notifier is done by the time the runner closes stdin, so anything pending now
        // reached this listener: an id it did not expect (any id for `--count 0`) is an error.
        // This is how a listener shows that a notification targeted elsewhere passed it by.
        listener
            .try_wait(|activation| collected.take(activation))
            .context("waiting for events")?;
        collected.check()
    }
}

/// The settings of the protocol's table; an opener passes them as requirements.
pub fn settings(builder: Builder<ipc::Service>) -> Builder<ipc::Service> {
    builder
        .event_id_max_value(4095)
        .max_notifiers(2)
        .max_listeners(2)
}

/// Upstream reaches one listener through the key `for_each_listener` hands out with each
/// connected listener's details; the target is the listener whose id matches.
fn listener_key(notifier: &Notifier<ipc::Service>, target: u128) -> Outcome<ListenerKey> {
    let mut key = None;
    notifier.for_each_listener(|monofier, details| {
        if details.listener_id.value() == target {
            key = Some(monofier.listener_key());
            CallbackProgression::Stop
        } else {
            CallbackProgression::Continue
        }
    });
    key.ok_or_else(|| format!("no connected listener has the id {target:x}"))
}

/// The distinct expected ids seen so far (notifications of one id may arrive merged, hence a
/// set) and any id outside the expected ones.
struct Collected<'a> {
    expected: &'a BTreeSet<usize>,
    received: BTreeSet<usize>,
    unexpected: Vec<usize>,
}

impl Collected<'_> {
    fn take(&mut self, activation: EventActivation) {
        let id = activation.id.as_value();
        if self.expected.contains(&id) {
            self.received.insert(id);
        } else {
            self.unexpected.push(id);
        }
    }

    fn check(&self) -> Outcome<()> {
        match self.unexpected.as_slice() {
            [] => Ok(()),
            ids => Err(format!("unexpected event ids {ids:?}")),
        }
    }
}

/// Both sides digest the ids as `u64`, ascending, whatever order they travelled in.
fn digest(ids: &BTreeSet<usize>) -> Digest {
    let mut digest = Digest::new();
    for &id in ids {
        digest.add(&(id as u64));
    }
    digest
}
