//! The ports of one side of a case and how a message goes out and comes in. A message is a
//! `[u8]` slice of `size` bytes whose first 4 bytes are a little-endian sequence number; the
//! rest is left as the chunk held it (zero-copy) or copied from a prepared buffer.

use std::time::Instant;

use iceoryx2::port::listener::Listener;
use iceoryx2::port::notifier::Notifier;
use iceoryx2::port::publisher::Publisher;
use iceoryx2::port::subscriber::Subscriber;
use iceoryx2::prelude::*;

use crate::case::{Send, Wait};
use crate::{Context, Outcome};

pub const HEADER_SIZE: usize = 4;
/// The sequence number that ends a case.
pub const STOP: u32 = u32::MAX;
/// Upstream's `PubSubEvent::SentSample`, as the JS side's `notifyOnSend()` convention uses.
const SENT_SAMPLE: usize = 4;
/// Empty polls between two looks at the clock.
pub const SPINS_PER_CLOCK_CHECK: u32 = 1024;

pub fn header(payload: &[u8]) -> u32 {
    u32::from_le_bytes([payload[0], payload[1], payload[2], payload[3]])
}

/// Publish-subscribe `[u8]` service `name`: one publisher, one subscriber; `buffer` samples queue
/// and the oldest is overwritten when `overflow` (upstream's ping-pong settings).
pub fn pubsub(
    node: &Node<ipc::Service>,
    name: &str,
    buffer: usize,
    overflow: bool,
) -> Outcome<PortFactoryOf> {
    node.service_builder(&ServiceName::new(name).context("service name")?)
        .publish_subscribe::<[u8]>()
        .max_publishers(1)
        .max_subscribers(1)
        .history_size(0)
        .subscriber_max_buffer_size(buffer)
        .enable_safe_overflow(overflow)
        .open_or_create()
        .context("opening the publish-subscribe service")
}

pub type PortFactoryOf =
    iceoryx2::service::port_factory::publish_subscribe::PortFactory<ipc::Service, [u8], ()>;

/// Sends messages of one case.
pub struct Sender {
    publisher: Publisher<ipc::Service, [u8], ()>,
    notifier: Option<Notifier<ipc::Service>>,
    size: usize,
    send: Send,
    /// The whole message for `Send::Copy`; its header is rewritten before each copy.
    prepared: Vec<u8>,
}

impl Sender {
    /// Messages of `size` bytes sent as `send` says, notifying after each when `wait` is `Event`.
    pub fn new(
        node: &Node<ipc::Service>,
        service: &PortFactoryOf,
        name: &str,
        size: usize,
        send: Send,
        wait: Wait,
    ) -> Outcome<Self> {
        let publisher = service
            .publisher_builder()
            .initial_max_slice_len(size)
            .create()
            .context("creating the publisher")?;
        let notifier = match wait {
            Wait::Poll => None,
            Wait::Event => Some(
                event_service(node, name)?
                    .notifier_builder()
                    .create()
                    .context("creating the notifier")?,
            ),
        };
        Ok(Sender {
            publisher,
            notifier,
            size,
            send,
            prepared: vec![0; if send == Send::Copy { size } else { 0 }],
        })
    }

    pub fn send(&mut self, sequence: u32) -> Outcome<()> {
        let mut sample = self
            .publisher
            .loan_slice_uninit(self.size)
            .context("loaning a sample")?;
        let sample = match self.send {
            Send::Loan => {
                for (slot, byte) in sample.payload_mut().iter_mut().zip(sequence.to_le_bytes()) {
                    slot.write(byte);
                }
                // SAFETY: `u8` has no invalid values, and the rest of the chunk holds bytes the
                // kernel zero-filled or an earlier message wrote: only the header is new, which
                // is what zero-copy measures (upstream's benchmark sends chunks as they are).
                unsafe { sample.assume_init() }
            }
            Send::Copy => {
                self.prepared[..HEADER_SIZE].copy_from_slice(&sequence.to_le_bytes());
                sample.write_from_slice(&self.prepared)
            }
        };
        sample.send().context("sending a sample")?;
        if let Some(notifier) = &self.notifier {
            notifier
                .notify_with_custom_event_id(EventId::new(SENT_SAMPLE))
                .context("notifying")?;
        }
        Ok(())
    }
}

/// Receives messages of one case, spinning or sleeping on a listener.
pub struct Receiver {
    subscriber: Subscriber<ipc::Service, [u8], ()>,
    listener: Option<Listener<ipc::Service>>,
}

impl Receiver {
    pub fn new(
        node: &Node<ipc::Service>,
        service: &PortFactoryOf,
        name: &str,
        wait: Wait,
    ) -> Outcome<Self> {
        let subscriber = service
            .subscriber_builder()
            .create()
            .context("creating the subscriber")?;
        let listener = match wait {
            Wait::Poll => None,
            Wait::Event => Some(
                event_service(node, name)?
                    .listener_builder()
                    .create()
                    .context("creating the listener")?,
            ),
        };
        Ok(Receiver {
            subscriber,
            listener,
        })
    }

    /// The sequence number of a message that is waiting, if any.
    pub fn try_receive(&self) -> Outcome<Option<u32>> {
        let sample = self.subscriber.receive().context("receiving")?;
        Ok(sample.map(|sample| header(sample.payload())))
    }

    /// The next message's sequence number; fails at `deadline`.
    pub fn receive(&self, deadline: Instant) -> Outcome<u32> {
        let mut spins = 0u32;
        loop {
            if let Some(sequence) = self.try_receive()? {
                return Ok(sequence);
            }
            match &self.listener {
                None => {
                    spins = spins.wrapping_add(1);
                    if spins.is_multiple_of(SPINS_PER_CLOCK_CHECK) && Instant::now() >= deadline {
                        return Err("timed out waiting for a message".into());
                    }
                }
                Some(listener) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err("timed out waiting for a notification".into());
                    }
                    listener.timed_wait(|_| {}, left).context("waiting")?;
                }
            }
        }
    }
}

fn event_service(
    node: &Node<ipc::Service>,
    name: &str,
) -> Outcome<iceoryx2::service::port_factory::event::PortFactory<ipc::Service>> {
    node.service_builder(&ServiceName::new(name).context("service name")?)
        .event()
        .open_or_create()
        .context("opening the event service")
}
