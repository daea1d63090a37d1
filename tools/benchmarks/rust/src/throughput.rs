//! Publisher → subscriber as fast as both go, on `<service>/a2b` with a queue of `buffer`
//! samples. The subscriber acknowledges every `buffer / 4`-th message on `<service>/b2a`, and the
//! publisher keeps at most `buffer` messages unacknowledged, so the queue never overflows and
//! nothing is lost or waits in iceoryx2's backpressure sleep: the rate is that of the slower
//! side, spinning.

use std::time::Instant;

use iceoryx2::prelude::*;

use crate::case::{Case, Send, Wait};
use crate::message::{pubsub, Receiver, Sender, HEADER_SIZE, SPINS_PER_CLOCK_CHECK, STOP};
use crate::stats::throughput_json;
use crate::Outcome;

fn names(case: &Case) -> (String, String) {
    (
        format!("{}/a2b", case.service),
        format!("{}/b2a", case.service),
    )
}

fn ack_every(case: &Case) -> u64 {
    (case.buffer as u64 / 4).max(1)
}

pub struct PublisherSide {
    data: Sender,
    acks: Receiver,
}

pub struct SubscriberSide {
    data: Receiver,
    acks: Sender,
}

pub fn publisher(node: &Node<ipc::Service>, case: &Case) -> Outcome<PublisherSide> {
    let (data, acks) = names(case);
    let data_service = pubsub(node, &data, case.buffer, false)?;
    let ack_service = pubsub(node, &acks, 1, true)?;
    Ok(PublisherSide {
        data: Sender::new(node, &data_service, &data, case.size, case.send, Wait::Poll)?,
        acks: Receiver::new(node, &ack_service, &acks, Wait::Poll)?,
    })
}

pub fn subscriber(node: &Node<ipc::Service>, case: &Case) -> Outcome<SubscriberSide> {
    let (data, acks) = names(case);
    let data_service = pubsub(node, &data, case.buffer, false)?;
    let ack_service = pubsub(node, &acks, 1, true)?;
    Ok(SubscriberSide {
        data: Receiver::new(node, &data_service, &data, Wait::Poll)?,
        acks: Sender::new(
            node,
            &ack_service,
            &acks,
            HEADER_SIZE,
            Send::Loan,
            Wait::Poll,
        )?,
    })
}

impl PublisherSide {
    /// Sends `warmup_rounds` messages, then measured ones until `rounds` or the budget, then `STOP`.
    pub fn publish(&mut self, case: &Case) -> Outcome<()> {
        let deadline = Instant::now() + case.limit;
        let window = case.buffer as u64;
        let mut sent = 0u64;
        let mut confirmed = 0u64;
        let mut send = |sequence: u32| -> Outcome<()> {
            let mut spins = 0u32;
            while sent - confirmed >= window {
                if let Some(ack) = self.acks.try_receive()? {
                    confirmed = u64::from(ack) + 1;
                }
                spins = spins.wrapping_add(1);
                if spins.is_multiple_of(SPINS_PER_CLOCK_CHECK) && Instant::now() >= deadline {
                    return Err("timed out waiting for an acknowledgement".into());
                }
            }
            self.data.send(sequence)?;
            sent += 1;
            Ok(())
        };
        let mut sequence = 0u32;
        while u64::from(sequence) < case.warmup_rounds {
            send(sequence)?;
            sequence += 1;
        }
        let origin = Instant::now();
        let mut measured = 0u64;
        while measured < case.rounds
            && (measured < case.min_rounds || origin.elapsed() < case.budget)
        {
            send(sequence)?;
            sequence += 1;
            measured += 1;
        }
        send(STOP)
    }
}

impl SubscriberSide {
    /// Times the messages after the warm-up up to `STOP`; returns the `result` JSON.
    pub fn subscribe(&mut self, case: &Case) -> Outcome<String> {
        let deadline = Instant::now() + case.limit;
        let every = ack_every(case);
        let mut expected = 0u32;
        let mut start = None;
        loop {
            let sequence = self.data.receive(deadline)?;
            let now = Instant::now();
            if sequence == STOP {
                let start: Instant = start.ok_or("STOP came before the first measured message")?;
                // Messages after the one that started the clock.
                let messages = u64::from(expected) - case.warmup_rounds - 1;
                return Ok(throughput_json(
                    messages,
                    now.duration_since(start).as_secs_f64(),
                ));
            }
            if sequence != expected {
                return Err(format!("expected message {expected}, got {sequence}"));
            }
            if u64::from(sequence) == case.warmup_rounds {
                start = Some(now);
            }
            expected += 1;
            if u64::from(expected).is_multiple_of(every) {
                self.acks.send(sequence)?;
            }
        }
    }
}
