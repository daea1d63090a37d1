//! One measurement as the runner describes it on a `setup` line: `setup key=value ...`
//! (tools/benchmarks/src/protocol.ts writes the same keys).

use std::time::Duration;

use crate::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Send {
    /// Loan a chunk and write only the 4-byte header (zero-copy).
    Loan,
    /// Copy a whole prepared buffer of `size` bytes into a loaned chunk.
    Copy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Spin on `receive()`.
    Poll,
    /// Sleep on a listener of the event service named like the publish-subscribe service.
    Event,
}

#[derive(Debug, Clone)]
pub struct Case {
    /// Base service name; ping-pong uses `<service>/a2b` and `<service>/b2a`.
    pub service: String,
    /// Payload bytes per message (at least the 4-byte header).
    pub size: usize,
    pub send: Send,
    pub wait: Wait,
    /// Measured rounds (round trips, or messages for throughput) at most ...
    pub rounds: u64,
    /// ... and at least, whatever the budget says.
    pub min_rounds: u64,
    /// Measurement stops after this long (once `min_rounds` are done).
    pub budget: Duration,
    pub warmup_rounds: u64,
    pub warmup: Duration,
    /// Subscriber buffer of the throughput service.
    pub buffer: usize,
    /// Every wait of the case ends in failure after this long.
    pub limit: Duration,
}

impl Case {
    pub fn parse(line: &str) -> Outcome<Self> {
        let mut case = Case {
            service: String::new(),
            size: 0,
            send: Send::Loan,
            wait: Wait::Poll,
            rounds: 0,
            min_rounds: 1,
            budget: Duration::ZERO,
            warmup_rounds: 0,
            warmup: Duration::ZERO,
            buffer: 1,
            limit: Duration::from_secs(60),
        };
        for pair in line.split_whitespace() {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("setup: '{pair}' is not key=value"))?;
            let number = || -> Outcome<u64> {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("setup: {key}={value} is not a number"))
            };
            match key {
                "service" => case.service = value.to_string(),
                "size" => case.size = number()? as usize,
                "send" => {
                    case.send = match value {
                        "loan" => Send::Loan,
                        "copy" => Send::Copy,
                        _ => return Err(format!("setup: unknown send={value}")),
                    }
                }
                "wait" => {
                    case.wait = match value {
                        "poll" => Wait::Poll,
                        "event" => Wait::Event,
                        _ => return Err(format!("setup: unknown wait={value}")),
                    }
                }
                "rounds" => case.rounds = number()?,
                "min_rounds" => case.min_rounds = number()?,
                "budget_ms" => case.budget = Duration::from_millis(number()?),
                "warmup_rounds" => case.warmup_rounds = number()?,
                "warmup_ms" => case.warmup = Duration::from_millis(number()?),
                "buffer" => case.buffer = number()? as usize,
                "limit_ms" => case.limit = Duration::from_millis(number()?),
                // Keys for the TypeScript peers only (e.g. which JS API to wait with).
                _ => {}
            }
        }
        if case.service.is_empty() {
            return Err("setup: service= is missing".into());
        }
        if case.size < crate::message::HEADER_SIZE {
            return Err(format!(
                "setup: size={} is below the {}-byte header",
                case.size,
                crate::message::HEADER_SIZE
            ));
        }
        Ok(case)
    }
}
