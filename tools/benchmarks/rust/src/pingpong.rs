//! Upstream's ping-pong: ping sends on `<service>/a2b` and waits for the answer on
//! `<service>/b2a`; pong answers each message with its sequence number. One round trip is two
//! one-way latencies.

use std::time::Instant;

use iceoryx2::prelude::*;

use crate::case::Case;
use crate::message::{pubsub, Receiver, Sender, STOP};
use crate::stats::latency_json;
use crate::Outcome;

pub struct Side {
    sender: Sender,
    receiver: Receiver,
}

impl Side {
    /// Ping sends on a2b and receives on b2a; pong the other way round.
    pub fn open(node: &Node<ipc::Service>, case: &Case, ping: bool) -> Outcome<Self> {
        let (outgoing, incoming) = if ping { ("a2b", "b2a") } else { ("b2a", "a2b") };
        let outgoing = format!("{}/{outgoing}", case.service);
        let incoming = format!("{}/{incoming}", case.service);
        let out_service = pubsub(node, &outgoing, 1, true)?;
        let in_service = pubsub(node, &incoming, 1, true)?;
        Ok(Side {
            sender: Sender::new(
                node,
                &out_service,
                &outgoing,
                case.size,
                case.send,
                case.wait,
            )?,
            receiver: Receiver::new(node, &in_service, &incoming, case.wait)?,
        })
    }

    fn round(&mut self, sequence: u32, deadline: Instant) -> Outcome<()> {
        self.sender.send(sequence)?;
        let answer = self.receiver.receive(deadline)?;
        if answer != sequence {
            return Err(format!("sent {sequence}, got {answer} back"));
        }
        Ok(())
    }

    /// Warms up, measures round trips, ends the case; returns the `result` JSON.
    pub fn ping(&mut self, case: &Case) -> Outcome<String> {
        let deadline = Instant::now() + case.limit;
        let mut sequence = 0u32;
        let warmup_start = Instant::now();
        let mut warmed = 0;
        while warmed < case.warmup_rounds && (warmed == 0 || warmup_start.elapsed() < case.warmup) {
            self.round(sequence, deadline)?;
            sequence += 1;
            warmed += 1;
        }
        // One clock reading per round: each round trip is the distance between two readings.
        let mut round_trips = Vec::with_capacity(case.rounds as usize);
        let origin = Instant::now();
        let mut previous = 0u64;
        while (round_trips.len() as u64) < case.rounds
            && ((round_trips.len() as u64) < case.min_rounds || origin.elapsed() < case.budget)
        {
            self.round(sequence, deadline)?;
            sequence += 1;
            let now = origin.elapsed().as_nanos() as u64;
            round_trips.push(now - previous);
            previous = now;
        }
        self.round(STOP, deadline)?;
        if round_trips.is_empty() {
            return Err("no round was measured (rounds=0?)".into());
        }
        Ok(latency_json(&mut round_trips))
    }

    /// Answers every message until `STOP` (which it answers too).
    pub fn pong(&mut self, case: &Case) -> Outcome<()> {
        let deadline = Instant::now() + case.limit;
        loop {
            let sequence = self.receiver.receive(deadline)?;
            self.sender.send(sequence)?;
            if sequence == STOP {
                return Ok(());
            }
        }
    }
}
