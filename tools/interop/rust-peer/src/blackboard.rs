//! `writer` → `reader` on a blackboard with `u64` keys: key 0 holds a `u64` progress counter,
//! key 1 the `TransmissionData` last written before it.

use iceoryx2::prelude::*;
use iceoryx2::service::port_factory::blackboard::PortFactory;

use crate::protocol::{
    same, transmission_data, Context, Digest, Options, Outcome, Role, Session, TransmissionData,
};

const PROGRESS: u64 = 0;
const DATA: u64 = 1;

pub fn run(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    let service = blackboard(node, name, options.create)?;
    if options.role == Role::Writer {
        let writer = service
            .writer_builder()
            .name(&options.port_name)
            .create()
            .context("creating the writer")?;
        let progress = writer.entry::<u64>(&PROGRESS).context("opening key 0")?;
        let data = writer
            .entry::<TransmissionData>(&DATA)
            .context("opening key 1")?;
        session.ready()?;
        let mut last = TransmissionData::ZERO;
        for i in 0..options.count {
            // Data first, then progress: a reader that sees progress k finds data k-1 or newer.
            last = transmission_data(i);
            data.update_with_copy(last);
            progress.update_with_copy(i + 1);
        }
        session.finish(options.count, &final_digest(options.count, &last))
    } else {
        let reader = service
            .reader_builder()
            .name(&options.port_name)
            .create()
            .context("creating the reader")?;
        let progress = reader.entry::<u64>(&PROGRESS).context("opening key 0")?;
        let data = reader
            .entry::<TransmissionData>(&DATA)
            .context("opening key 1")?;
        session.ready()?;
        loop {
            let seen = *progress.get();
            let value = *data.get();
            check(seen, &value, options.count)?;
            if seen == options.count {
                return session.finish(options.count, &final_digest(seen, &value));
            }
            session.poll(node)?;
        }
    }
}

/// Only the creator defines the entries; an opener takes them as they are.
fn blackboard(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    create: bool,
) -> Outcome<PortFactory<ipc::Service, u64>> {
    if create {
        node.service_builder(name)
            .blackboard_creator::<u64>()
            .add::<u64>(PROGRESS, 0)
            .add::<TransmissionData>(DATA, TransmissionData::ZERO)
            .create()
            .context("creating the service")
    } else {
        node.service_builder(name)
            .blackboard_opener::<u64>()
            .open()
            .context("opening the service")
    }
}

/// Progress `k > 0` means data `k-1` was written before it, so the data read afterwards is
/// `TransmissionData_j` with `k-1 <= j <= count-1`.
fn check(progress: u64, data: &TransmissionData, count: u64) -> Outcome<()> {
    if progress > count {
        return Err(format!("key 0 is {progress}, beyond the count {count}"));
    }
    if progress > 0 && !(progress - 1..count).any(|j| same(data, &transmission_data(j))) {
        return Err(format!(
            "key 0 is {progress} but key 1 is {data:?}, not TransmissionData_{}..{}",
            progress - 1,
            count - 1
        ));
    }
    Ok(())
}

fn final_digest(progress: u64, data: &TransmissionData) -> Digest {
    let mut digest = Digest::new();
    digest.add(&progress);
    digest.add(data);
    digest
}
