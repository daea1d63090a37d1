//! `ports`: prints the ports a service has, as its dynamic config lists them (upstream's
//! `dynamic_config().list_*`), so a runner can check what a program on upstream's API sees of
//! ports created in other processes: their ids, nodes and names.

use core::fmt::Display;

use iceoryx2::prelude::*;

use crate::event;
use crate::protocol::{
    create_or_open, say, ComplexMessage, CustomHeader, Digest, Options, Outcome, Pattern, Payload,
    Session, TransmissionData, TransmissionDataAlign4,
};
use crate::publish_subscribe::settings;
use crate::unbounded_data_generated::example::UnboundedData;

/// Opens the publish-subscribe service `$builder` makes (with the protocol's settings) and
/// reports its publishers and subscribers. A macro: each payload type has its own service type,
/// and iceoryx2 implements `open` separately for sized, slice and flatbuffer payloads.
macro_rules! publish_subscribe_ports {
    ($builder:expr, $node:expr, $options:expr, $session:expr) => {{
        let service = create_or_open!(settings($builder), $options)?;
        report($node, $options, $session, || {
            let config = service.dynamic_config();
            let mut lines = Vec::new();
            config.list_publishers(|p| {
                let (id, node, name) = (p.publisher_id, p.node_id, &p.publisher_name);
                lines.push(line("publisher", id, node, name));
                CallbackProgression::Continue
            });
            config.list_subscribers(|p| {
                let (id, node, name) = (p.subscriber_id, p.node_id, &p.subscriber_name);
                lines.push(line("subscriber", id, node, name));
                CallbackProgression::Continue
            });
            lines
        })
    }};
}

pub fn run(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    if options.pattern == Some(Pattern::Event) {
        return event_ports(node, name, options, session);
    }
    let builder = node.service_builder(name);
    match options.payload {
        Some(Payload::U64) => {
            publish_subscribe_ports!(builder.publish_subscribe::<u64>(), node, options, session)
        }
        Some(Payload::TransmissionData) => {
            let builder = builder.publish_subscribe::<TransmissionData>();
            publish_subscribe_ports!(builder, node, options, session)
        }
        Some(Payload::TransmissionDataAlign4) => {
            let builder = builder.publish_subscribe::<TransmissionDataAlign4>();
            publish_subscribe_ports!(builder, node, options, session)
        }
        Some(Payload::Slice) => {
            let builder = builder
                .publish_subscribe::<[u32]>()
                .user_header::<CustomHeader>();
            publish_subscribe_ports!(builder, node, options, session)
        }
        Some(Payload::ComplexMessage) => {
            let builder = builder.publish_subscribe::<ComplexMessage>();
            publish_subscribe_ports!(builder, node, options, session)
        }
        Some(Payload::Flatbuffer) => {
            let builder = builder
                .publish_subscribe::<Flatbuffer<UnboundedData<'static>>>()
                .user_header::<u64>();
            publish_subscribe_ports!(builder, node, options, session)
        }
        None => unreachable!("the command line requires --payload for publish-subscribe"),
    }
}

fn event_ports(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    let builder = event::settings(node.service_builder(name).event());
    let service = create_or_open!(builder, options)?;
    report(node, options, session, || {
        let config = service.dynamic_config();
        let mut lines = Vec::new();
        config.list_notifiers(|p| {
            lines.push(line("notifier", p.notifier_id, p.node_id, &p.notifier_name));
            CallbackProgression::Continue
        });
        config.list_listeners(|p| {
            lines.push(line("listener", p.listener_id, p.node_id, &p.listener_name));
            CallbackProgression::Continue
        });
        lines
    })
}

/// `portname <kind> <port id> <node id> <name>`: ids as upstream prints them (hexadecimal), the
/// name last and verbatim (it may contain spaces, or be empty).
fn line(kind: &str, port_id: impl Display, node_id: impl Display, name: &PortName) -> String {
    format!("portname {kind} {port_id} {node_id} {name}")
}

/// Polls `list` (about every millisecond, within the completion limit) until the service has at
/// least `count` ports, so that ports still being created elsewhere are not missed; then prints
/// one line per port and the result (count: the lines printed; digest: fnv1a64 over them, each
/// with its newline).
fn report(
    node: &Node<ipc::Service>,
    options: &Options,
    session: &Session,
    list: impl Fn() -> Vec<String>,
) -> Outcome<()> {
    session.ready()?;
    let lines = loop {
        let lines = list();
        if lines.len() as u64 >= options.count {
            break lines;
        }
        session.poll(node)?;
    };
    let mut digest = Digest::new();
    for text in &lines {
        say(text)?;
        for byte in text.bytes().chain([b'\n']) {
            digest.add(&byte);
        }
    }
    session.finish(lines.len() as u64, &digest)
}
