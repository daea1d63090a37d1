//! Single calls timed in one process (no peer), with the labels the TypeScript peer's `calls`
//! role uses, so the report lines Rust up with the runtimes: what one message costs on the
//! critical path without waiting or crossing cores.

use std::time::{Duration, Instant};

use iceoryx2::port::publisher::Publisher;
use iceoryx2::port::subscriber::Subscriber;
use iceoryx2::prelude::*;

use crate::message::{header, pubsub};
use crate::{Context, Outcome};

const CYCLE_SIZES: [usize; 3] = [8, 64 * 1024, 4 * 1024 * 1024];
const WARMUP: Duration = Duration::from_millis(200);
const BUDGET: Duration = Duration::from_secs(1);

fn size_label(size: usize) -> String {
    if size >= 1024 * 1024 {
        format!("{} MiB", size / 1024 / 1024)
    } else if size >= 1024 {
        format!("{} KiB", size / 1024)
    } else {
        format!("{size} B")
    }
}

/// Mean nanoseconds per call of `body`: up to `iterations` calls or about a second.
fn time(iterations: u64, mut body: impl FnMut(u64) -> Outcome<()>) -> Outcome<f64> {
    let warmup_end = Instant::now() + WARMUP;
    let mut i = 0;
    while i < iterations.min(20_000) && Instant::now() < warmup_end {
        body(i)?;
        i += 1;
    }
    let start = Instant::now();
    let mut done = 0;
    while done < iterations && (done == 0 || start.elapsed() < BUDGET) {
        let batch = 64.min(iterations - done);
        for j in 0..batch {
            body(done + j)?;
        }
        done += batch;
    }
    Ok((start.elapsed().as_nanos() as f64 / done as f64 * 10.0).round() / 10.0)
}

fn cycle(
    publisher: &Publisher<ipc::Service, [u8], ()>,
    subscriber: &Subscriber<ipc::Service, [u8], ()>,
    size: usize,
    sequence: u64,
) -> Outcome<()> {
    let mut sample = publisher.loan_slice_uninit(size).context("loaning")?;
    for (slot, byte) in sample
        .payload_mut()
        .iter_mut()
        .zip((sequence as u32).to_le_bytes())
    {
        slot.write(byte);
    }
    // SAFETY: as in message.rs, `u8` has no invalid values and the chunk's bytes are initialized.
    unsafe { sample.assume_init() }.send().context("sending")?;
    let received = subscriber
        .receive()
        .context("receiving")?
        .ok_or("the message did not arrive")?;
    if header(received.payload()) != sequence as u32 {
        return Err("read the wrong message".into());
    }
    Ok(())
}

/// Prints `result {json}` with nanoseconds per call.
pub fn run(node: &Node<ipc::Service>, service: &str, iterations: u64) -> Outcome<String> {
    let bytes = pubsub(node, service, 2, true)?;
    let publisher = bytes
        .publisher_builder()
        .initial_max_slice_len(CYCLE_SIZES[CYCLE_SIZES.len() - 1])
        .create()
        .context("creating the publisher")?;
    let subscriber = bytes
        .subscriber_builder()
        .create()
        .context("creating the subscriber")?;
    let notifier = node
        .service_builder(&ServiceName::new(&format!("{service}/event")).context("service name")?)
        .event()
        .open_or_create()
        .context("opening the event service")?
        .notifier_builder()
        .create()
        .context("creating the notifier")?;
    let prepared = [0u8; 8];
    let mut rows: Vec<(String, f64)> = vec![
        (
            "receive(), none waiting".into(),
            time(iterations, |_| {
                subscriber.receive().context("receiving").map(drop)
            })?,
        ),
        (
            "loanSliceUninit(8) + release()".into(),
            time(iterations, |_| {
                publisher.loan_slice_uninit(8).context("loaning").map(drop)
            })?,
        ),
        (
            "notify, no listener attached".into(),
            time(iterations, |_| {
                notifier
                    .notify_with_custom_event_id(EventId::new(4))
                    .context("notifying")
                    .map(drop)
            })?,
        ),
        (
            "copy-send 8 B + receive + release".into(),
            time(iterations, |_| {
                publisher
                    .loan_slice_uninit(8)
                    .context("loaning")?
                    .write_from_slice(&prepared)
                    .send()
                    .context("sending")?;
                subscriber.receive().context("receiving").map(drop)
            })?,
        ),
    ];
    for size in CYCLE_SIZES {
        rows.push((
            format!(
                "loan + header + send + receive + read header + release, {}",
                size_label(size)
            ),
            time(iterations, |i| cycle(&publisher, &subscriber, size, i))?,
        ));
    }
    let fields: Vec<String> = rows
        .iter()
        .map(|(label, ns)| format!("\"{label}\":{ns:.1}"))
        .collect();
    Ok(format!("{{{}}}", fields.join(",")))
}
