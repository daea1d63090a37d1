//! `notifier` → `listener`: event ids `1 + (i * 37 mod 4000)` for `i` in `0..count`.

use std::collections::BTreeSet;

use iceoryx2::prelude::*;

use crate::protocol::{create_or_open, event_id, Context, Digest, Options, Outcome, Role, Session};

pub fn run(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    let builder = node
        .service_builder(name)
        .event()
        .event_id_max_value(4095)
        .max_notifiers(2)
        .max_listeners(2);
    let service = create_or_open!(builder, options)?;
    let expected: BTreeSet<usize> = (0..options.count).map(event_id).collect();
    if options.role == Role::Notifier {
        let notifier = service
            .notifier_builder()
            .create()
            .context("creating the notifier")?;
        session.ready()?;
        for i in 0..options.count {
            notifier
                .notify_with_custom_event_id(EventId::new(event_id(i)))
                .context("notifying")?;
        }
        session.finish(options.count, &digest(&expected))
    } else {
        let listener = service
            .listener_builder()
            .create()
            .context("creating the listener")?;
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
        session.finish(options.count, &digest(&collected.received))
    }
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
