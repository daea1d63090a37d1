//! A peer whose sample header claims more elements than it sent (or than can be addressed)
//! cannot wedge a subscriber or make it hand out other memory: the receive fails with
//! `InvalidPayload`, the bad sample is released, and valid samples keep arriving, beyond the
//! service's borrow limit. A claim beyond the publisher's declared slice capacity is refused even
//! when it stays inside the segment (it would read the neighbouring chunks); a publisher whose
//! segments grow is held to its segments' ends, and its larger samples arrive.

use iox2js_core::{close, pubsub, request_response, ErrorKind, Handle};

mod support;
use support::{isolated, slice};

/// Loans a `u32` slice of `elements`, rewrites the element count in its sample header to
/// `claimed` (as a broken or hostile publisher could: the header lies in its writable segment),
/// and sends it.
fn send_claiming(publisher: Handle, elements: usize, claimed: u64) {
    let (sample, memory) = pubsub::publisher_loan(publisher, elements, true).unwrap();
    claim(
        memory.base as usize + memory.payload_offset,
        elements,
        claimed,
    );
    pubsub::sample_send(sample).unwrap();
}

/// Rewrites the element count in the header of the message whose payload starts at `payload`.
fn claim(payload: usize, elements: usize, claimed: u64) {
    // The header precedes the payload in the chunk: its element count, then the payload offset
    // (0). Find that pair in the bytes before the payload.
    let mut patched = false;
    for back in (16..=256).step_by(8) {
        let at = (payload - back) as *mut u64;
        // SAFETY: the chunk's header lies within the 256 bytes before its payload, in this
        // publisher's own writable data segment; the probe reads and writes aligned u64s there.
        unsafe {
            if at.read() == elements as u64 && at.add(1).read() == 0 {
                at.write(claimed);
                patched = true;
                break;
            }
        }
    }
    assert!(patched, "the message header's element count was not found");
}

/// A service of `u32` slices (subscribers may borrow 2), a publisher made with
/// `publisher_spec`, and a subscriber.
fn u32_slices(node: Handle, publisher_spec: &str) -> (Handle, Handle, Handle) {
    let spec = format!(
        r#"{{"name":"Hostile/headers","mode":"create","payload":{},"qos":{{"subscriberMaxBufferSize":8,"subscriberMaxBorrowedSamples":2}}}}"#,
        slice("u32", 4, 4)
    );
    let service = support::create("pubsub.serviceOpen", node, &spec).unwrap();
    let publisher = support::create("pubsub.publisherCreate", service, publisher_spec).unwrap();
    let subscriber = support::create("pubsub.subscriberCreate", service, "{}").unwrap();
    (service, publisher, subscriber)
}

#[test]
fn a_header_that_claims_too_much_is_refused_and_never_wedges_the_subscriber() {
    let isolated = isolated("hostile_headers");
    let (service, publisher, subscriber) = u32_slices(
        isolated.node,
        r#"{"initialMaxSliceLen":16,"maxLoanedSamples":4}"#,
    );

    // Past the publisher's 16 elements but inside its segment; beyond the segment; an
    // overflowing count whose wrapped product looks small.
    for claimed in [17u64, 40, 1u64 << 30, (1u64 << 62) + 1, 1 << 40] {
        send_claiming(publisher, 9, claimed);
        let error = pubsub::subscriber_receive(subscriber).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidPayload, "{error}");
        assert!(
            error
                .message
                .contains(&format!("claims {claimed} elements")),
            "{error}"
        );
    }
    // More bad samples than the subscriber may borrow were refused: none is held, so valid ones
    // still arrive (a held one would make this fail with ExceedsMaxBorrows).
    for value in 0..4u32 {
        let (sample, memory) = pubsub::publisher_loan(publisher, 1, true).unwrap();
        // SAFETY: the loaned payload holds one u32.
        unsafe { ((memory.base as usize + memory.payload_offset) as *mut u32).write(value) };
        pubsub::sample_send(sample).unwrap();
        let (received, memory) = pubsub::subscriber_receive(subscriber)
            .unwrap()
            .expect("a sample");
        assert_eq!(memory.payload_len, 4);
        // SAFETY: the received payload holds one u32.
        let read = unsafe { ((memory.base as usize + memory.payload_offset) as *const u32).read() };
        assert_eq!(read, value);
        close(received);
    }
    close(subscriber);
    close(publisher);
    close(service);
}

#[test]
fn a_claim_within_the_publishers_capacity_arrives_and_a_growing_publisher_is_held_to_its_segments()
{
    let isolated = isolated("hostile_headers_capacity");
    let (service, publisher, subscriber) = u32_slices(
        isolated.node,
        r#"{"initialMaxSliceLen":16,"allocationStrategy":"powerOfTwo"}"#,
    );
    // Exactly the capacity (a header that says less than was written is the publisher's own
    // business), then more than the first segment held: the publisher grew, and said so.
    for (elements, claimed) in [(9usize, 16u64), (100, 100), (1000, 1000)] {
        send_claiming(publisher, elements, claimed);
        let (received, memory) = pubsub::subscriber_receive(subscriber)
            .unwrap()
            .expect("a sample");
        assert_eq!(memory.payload_len, claimed as usize * 4);
        close(received);
    }
    // A claim past the grown segment's end is still refused.
    send_claiming(publisher, 9, 1 << 24);
    let error = pubsub::subscriber_receive(subscriber).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidPayload, "{error}");
    assert!(error.message.contains("segment ends"), "{error}");
    close(subscriber);
    close(publisher);
    close(service);
}

#[test]
fn requests_and_responses_that_claim_more_than_their_sender_declared_are_refused() {
    let isolated = isolated("hostile_headers_requests");
    let u32s = slice("u32", 4, 4);
    let spec = format!(
        r#"{{"name":"Hostile/requests","mode":"create","requestPayload":{u32s},"responsePayload":{u32s}}}"#
    );
    let service = support::create("reqres.serviceOpen", isolated.node, &spec).unwrap();
    let (client, server) = support::slice_client_and_server(service, 16, 8);
    for (claimed, refused) in [(40u64, true), (16, false), (17, true)] {
        let (request, memory) = request_response::client_loan(client, 9, true).unwrap();
        claim(memory.base as usize + memory.payload_offset, 9, claimed);
        let (pending, _) = request_response::request_send(request).unwrap();
        let received = request_response::server_receive(server);
        if refused {
            let error = received.unwrap_err();
            assert_eq!(error.kind, ErrorKind::InvalidPayload, "{error}");
            assert!(error.message.contains("its client"), "{error}");
            close(pending);
            continue;
        }
        let (active, memory) = received.unwrap().expect("a request");
        assert_eq!(memory.payload_len, claimed as usize * 4);
        // The server's responses: within its 8 elements, then beyond them.
        for (claimed, refused) in [(8u64, false), (9, true)] {
            let (response, memory) =
                request_response::active_request_loan(active, 2, true).unwrap();
            claim(memory.base as usize + memory.payload_offset, 2, claimed);
            request_response::response_send(response).unwrap();
            let received = request_response::pending_response_receive(pending);
            if refused {
                let error = received.unwrap_err();
                assert_eq!(error.kind, ErrorKind::InvalidPayload, "{error}");
                assert!(error.message.contains("its server"), "{error}");
            } else {
                let (response, memory) = received.unwrap().expect("a response");
                assert_eq!(memory.payload_len, claimed as usize * 4);
                close(response);
            }
        }
        close(active);
        close(pending);
    }
    close(server);
    close(client);
    close(service);
}
