//! `client` → `server`: one `u64` request, answered by a stream of `count` `TransmissionData`
//! responses that ends when the server drops the active request.

use iceoryx2::prelude::*;

use crate::protocol::{
    create_or_open, request_value, same, transmission_data, Context, Digest, Options, Outcome,
    Role, Session, TransmissionData,
};

pub fn run(
    node: &Node<ipc::Service>,
    name: &ServiceName,
    options: &Options,
    session: &Session,
) -> Outcome<()> {
    let builder = node
        .service_builder(name)
        .request_response::<u64, TransmissionData>()
        .max_clients(2)
        .max_servers(2)
        .max_active_requests_per_client(2)
        .max_response_buffer_size(64);
    let service = create_or_open!(builder, options)?;
    let request = request_value(options.count);
    let mut digest = Digest::new();
    digest.add(&request);
    if options.role == Role::Client {
        let client = service
            .client_builder()
            .name(&options.port_name)
            .create()
            .context("creating the client")?;
        session.port(client.id(), node.id())?;
        session.ready()?;
        let pending = client.send_copy(request).context("sending the request")?;
        let mut received = 0;
        loop {
            // Read the connection state first: responses sent before the server let go are
            // already queued, so an empty queue after a disconnect means the stream is over.
            let connected = pending.is_connected();
            match pending.receive().context("receiving a response")? {
                Some(response) => {
                    if received == options.count {
                        return Err(format!("an extra response after {received}"));
                    }
                    let expected = transmission_data(received);
                    if !same(response.payload(), &expected) {
                        return Err(format!(
                            "response {received}: got {:?}, expected {expected:?}",
                            response.payload()
                        ));
                    }
                    digest.add(response.payload());
                    received += 1;
                }
                None if !connected => break,
                None => session.poll(node)?,
            }
        }
        if received != options.count {
            return Err(format!(
                "the stream ended after {received} of {} responses",
                options.count
            ));
        }
        session.finish(received, &digest)
    } else {
        let server = service
            .server_builder()
            .name(&options.port_name)
            .create()
            .context("creating the server")?;
        session.port(server.id(), node.id())?;
        session.ready()?;
        let active = loop {
            match server.receive().context("receiving the request")? {
                Some(active) => break active,
                None => session.poll(node)?,
            }
        };
        if *active.payload() != request {
            return Err(format!(
                "got request {:#x}, expected {request:#x}",
                active.payload()
            ));
        }
        for i in 0..options.count {
            let response = transmission_data(i);
            active
                .loan_uninit()
                .context("loaning a response")?
                .write_payload(response)
                .send()
                .context("sending a response")?;
            digest.add(&response);
        }
        // Dropping the active request is what ends the client's stream.
        drop(active);
        if server.receive().context("receiving requests")?.is_some() {
            return Err("an extra request".into());
        }
        session.finish(options.count, &digest)
    }
}
