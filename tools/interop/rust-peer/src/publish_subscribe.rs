//! `publisher` → `subscriber`: `count` samples of `u64`, `TransmissionData`, `[u32]` with a
//! `CustomHeader` user header, `ComplexMessage`, or an `UnboundedData` flatbuffer with a `u64`
//! user header.

use core::fmt::Debug;

use iceoryx2::port::ReceiveError;
use iceoryx2::prelude::*;
use iceoryx2::service::builder::publish_subscribe::Builder;

use crate::protocol::{
    check_complex_message, complex_message, create_or_open, fill_complex_message, same,
    slice_element, slice_header, slice_len, transmission_data, transmission_data_align4, u64_value,
    unbounded_data, Canonical, ComplexMessage, Context, CustomHeader, Digest, Options, Outcome,
    Payload, Role, Session, UnboundedDataValue,
};
use crate::unbounded_data_generated::example::{
    Entry, EntryArgs, UnboundedData, UnboundedDataArgs,
};

/// Upper bound of the slice lengths the protocol uses (`1 + (i * 7 mod 64)`).
const MAX_SLICE_LEN: usize = 64;

pub fn run(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    match options.payload {
        Some(Payload::U64) => fixed(node, name, options, session, u64_value),
        Some(Payload::TransmissionData) => fixed(node, name, options, session, transmission_data),
        Some(Payload::TransmissionDataAlign4) => {
            fixed(node, name, options, session, transmission_data_align4)
        }
        Some(Payload::Slice) => slice(node, name, options, session),
        Some(Payload::ComplexMessage) => complex(node, name, options, session),
        Some(Payload::Flatbuffer) => flatbuffer(node, name, options, session),
        None => unreachable!("the command line requires --payload for publish-subscribe"),
    }
}

/// The settings of the protocol's table; an opener passes them as requirements.
pub fn settings<P: Debug + IceoryxSend + ?Sized, H: Debug + ZeroCopySend>(
    builder: Builder<P, H, ipc::Service>,
) -> Builder<P, H, ipc::Service> {
    builder
        .max_publishers(2)
        .max_subscribers(2)
        .history_size(0)
        .subscriber_max_buffer_size(256)
}

fn fixed<T: Debug + ZeroCopySend + Copy + Canonical + 'static>(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
    message: fn(u64) -> T,
) -> Outcome<()> {
    let builder = settings(node.service_builder(name).publish_subscribe::<T>());
    let service = create_or_open!(builder, options)?;
    let mut digest = Digest::new();
    if options.role == Role::Publisher {
        let publisher = service
            .publisher_builder()
            .name(&options.port_name)
            .create()
            .context("creating the publisher")?;
        session.port(publisher.id(), node.id())?;
        session.ready()?;
        for i in 0..options.count {
            let value = message(i);
            let sample = publisher.loan_uninit().context("loaning a sample")?;
            sample
                .write_payload(value)
                .send()
                .context("sending a sample")?;
            digest.add(&value);
        }
        session.finish(options.count, &digest)
    } else {
        let subscriber = service
            .subscriber_builder()
            .name(&options.port_name)
            .create()
            .context("creating the subscriber")?;
        session.port(subscriber.id(), node.id())?;
        receive_all(
            node,
            options,
            session,
            || subscriber.receive(),
            |i, sample| {
                let expected = message(i);
                if !same(sample.payload(), &expected) {
                    return Err(format!(
                        "sample {i}: got {:?}, expected {expected:?}",
                        sample.payload()
                    ));
                }
                digest.add(sample.payload());
                Ok(())
            },
        )?;
        session.finish(options.count, &digest)
    }
}

fn slice(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    let builder = settings(
        node.service_builder(name)
            .publish_subscribe::<[u32]>()
            .user_header::<CustomHeader>(),
    );
    let service = create_or_open!(builder, options)?;
    let mut digest = Digest::new();
    if options.role == Role::Publisher {
        let publisher = service
            .publisher_builder()
            .name(&options.port_name)
            .initial_max_slice_len(MAX_SLICE_LEN)
            .create()
            .context("creating the publisher")?;
        session.port(publisher.id(), node.id())?;
        session.ready()?;
        for i in 0..options.count {
            let elements: Vec<u32> = (0..slice_len(i)).map(|j| slice_element(i, j)).collect();
            let header = slice_header(i, &elements);
            let mut sample = publisher
                .loan_slice_uninit(elements.len())
                .context("loaning a sample")?;
            *sample.user_header_mut() = header;
            sample
                .write_from_slice(&elements)
                .send()
                .context("sending a sample")?;
            add_slice_message(&mut digest, &header, &elements);
        }
        session.finish(options.count, &digest)
    } else {
        let subscriber = service
            .subscriber_builder()
            .name(&options.port_name)
            .create()
            .context("creating the subscriber")?;
        session.port(subscriber.id(), node.id())?;
        receive_all(
            node,
            options,
            session,
            || subscriber.receive(),
            |i, sample| {
                let expected: Vec<u32> = (0..slice_len(i)).map(|j| slice_element(i, j)).collect();
                if sample.payload() != expected.as_slice() {
                    return Err(format!(
                        "sample {i}: got elements {:?}, expected {expected:?}",
                        sample.payload()
                    ));
                }
                // The header must carry the index and this side's own checksum of the elements.
                let header = *sample.user_header();
                if !same(&header, &slice_header(i, sample.payload())) {
                    return Err(format!(
                        "sample {i}: header {header:?} does not match the elements"
                    ));
                }
                add_slice_message(&mut digest, &header, sample.payload());
                Ok(())
            },
        )?;
        session.finish(options.count, &digest)
    }
}

/// `ComplexMessage`: not `Copy` (its `StaticVec` owns its elements), so the publisher builds each
/// message in the loaned sample as upstream's cross-language complex-type example does:
/// `loan_uninit`, `placement_default` in place, `assume_init`, then the fields.
fn complex(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    let builder = settings(
        node.service_builder(name)
            .publish_subscribe::<ComplexMessage>(),
    );
    let service = create_or_open!(builder, options)?;
    let mut digest = Digest::new();
    if options.role == Role::Publisher {
        let publisher = service
            .publisher_builder()
            .name(&options.port_name)
            .create()
            .context("creating the publisher")?;
        session.port(publisher.id(), node.id())?;
        session.ready()?;
        for i in 0..options.count {
            let mut sample = publisher.loan_uninit().context("loaning a sample")?;
            // SAFETY: the pointer is the loaned payload's, valid and not yet initialised.
            unsafe { ComplexMessage::placement_default(sample.payload_mut().as_mut_ptr()) };
            // SAFETY: `placement_default` initialised every field.
            let mut sample = unsafe { sample.assume_init() };
            fill_complex_message(sample.payload_mut(), i)?;
            digest.add(sample.payload());
            sample.send().context("sending a sample")?;
        }
        session.finish(options.count, &digest)
    } else {
        let subscriber = service
            .subscriber_builder()
            .name(&options.port_name)
            .create()
            .context("creating the subscriber")?;
        session.port(subscriber.id(), node.id())?;
        receive_all(
            node,
            options,
            session,
            || subscriber.receive(),
            |i, sample| {
                let message = sample.payload();
                check_complex_message(message)
                    .map_err(|problem| format!("sample {i}: {problem}"))?;
                let expected = complex_message(i)?;
                if !same(message, &expected) {
                    return Err(format!(
                        "sample {i}: got {message:?}, expected {expected:?}"
                    ));
                }
                digest.add(message);
                Ok(())
            },
        )?;
        session.finish(options.count, &digest)
    }
}

/// An `UnboundedData` flatbuffer with a `u64` user header, built in the loaned sample with
/// upstream's `loan_flatbuffer` (the schema comes from the config's flatbuffer schema path).
fn flatbuffer(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    let builder = settings(
        node.service_builder(name)
            .publish_subscribe::<Flatbuffer<UnboundedData<'static>>>()
            .user_header::<u64>(),
    );
    let service = create_or_open!(builder, options)?;
    let mut digest = Digest::new();
    if options.role == Role::Publisher {
        // Small on purpose: the first longer messages grow the chunks.
        let publisher = service
            .publisher_builder()
            .name(&options.port_name)
            .initial_reserved_memory(64)
            .allocation_strategy(AllocationStrategy::PowerOfTwo)
            .create()
            .context("creating the publisher")?;
        session.port(publisher.id(), node.id())?;
        session.ready()?;
        for i in 0..options.count {
            let value = unbounded_data(i);
            let mut sample = publisher.loan_flatbuffer().context("loaning a sample")?;
            let fb = sample.flatbuffer_builder();
            let title = fb.create_string(&value.title);
            let entries: Vec<_> = value
                .entries
                .iter()
                .map(|&(data_1, data_2)| Entry::create(fb, &EntryArgs { data_1, data_2 }))
                .collect();
            let entries = fb.create_vector(&entries);
            let root = UnboundedData::create(
                fb,
                &UnboundedDataArgs {
                    title: Some(title),
                    entries: Some(entries),
                },
            );
            let mut sample = sample.assume_init(root);
            *sample.user_header_mut() = value.header;
            digest.add(&value);
            sample.send().context("sending a sample")?;
        }
        session.finish(options.count, &digest)
    } else {
        let subscriber = service
            .subscriber_builder()
            .name(&options.port_name)
            .create()
            .context("creating the subscriber")?;
        session.port(subscriber.id(), node.id())?;
        receive_all(
            node,
            options,
            session,
            || subscriber.receive(),
            |i, sample| {
                let data = sample
                    .payload_root()
                    .map_err(|e| format!("sample {i}: no valid flatbuffer: {e:?}"))?;
                let value = UnboundedDataValue {
                    header: *sample.user_header(),
                    title: data.title().unwrap_or_default().to_string(),
                    entries: data
                        .entries()
                        .map(|entries| entries.iter().map(|e| (e.data_1(), e.data_2())).collect())
                        .unwrap_or_default(),
                };
                let expected = unbounded_data(i);
                if value != expected {
                    return Err(format!("sample {i}: got {value:?}, expected {expected:?}"));
                }
                digest.add(&value);
                Ok(())
            },
        )?;
        session.finish(options.count, &digest)
    }
}

/// Prints `ready` and hands samples `0..count` from `receive` to `check` in order; a sample
/// beyond `count` that is already queued at the end is an error. (`receive` is a closure because
/// iceoryx2 implements it separately for sized and slice payloads.)
fn receive_all<S>(
    node: &Node<ipc::Service>,
    options: &Options,
    session: &Session,
    mut receive: impl FnMut() -> Result<Option<S>, ReceiveError>,
    mut check: impl FnMut(u64, &S) -> Outcome<()>,
) -> Outcome<()> {
    session.ready()?;
    let mut received = 0;
    while received < options.count {
        match receive().context("receiving a sample")? {
            Some(sample) => {
                check(received, &sample)?;
                received += 1;
            }
            None => session.poll(node)?,
        }
    }
    if receive().context("receiving a sample")?.is_some() {
        return Err(format!("an extra sample after {received}"));
    }
    Ok(())
}

/// A slice message's canonical encoding: header (version, timestamp), then each element.
fn add_slice_message(digest: &mut Digest, header: &CustomHeader, elements: &[u32]) {
    digest.add(header);
    for element in elements {
        digest.add(element);
    }
}
