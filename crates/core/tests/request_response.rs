//! Request-response through the core API, as both fronts drive it.

use iox2js_core::{close, handles, request_response as rr, ErrorKind, SampleMemory};

mod support;
use support::{fixed, isolated as isolated_in, slice, Isolated};

fn isolated() -> Isolated {
    isolated_in("rr")
}

fn spec(mode: &str, request: &str, response: &str, extra: &str) -> String {
    format!(
        r#"{{"name":"Core/RequestResponse","mode":"{mode}","requestPayload":{request},"responsePayload":{response}{extra}}}"#
    )
}

fn read_u64(memory: &SampleMemory) -> u64 {
    assert_eq!(memory.payload_len, 8);
    // SAFETY: the span is 8 payload bytes of a message the test holds open.
    unsafe { (memory.base.add(memory.payload_offset) as *const u64).read_unaligned() }
}

fn write_u64(memory: &SampleMemory, value: u64) {
    // SAFETY: the span is 8 payload bytes of a loaned message the test owns.
    unsafe { (memory.base.add(memory.payload_offset) as *mut u64).write_unaligned(value) }
}

#[test]
fn a_request_gets_a_stream_of_responses() {
    let isolated = isolated();
    let u64_type = fixed("u64", 8, 8);
    // The default buffer holds 2 responses and overwrites the oldest when full.
    let qos = r#","qos":{"maxResponseBufferSize":4}"#;
    let service = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &spec("create", &u64_type, &u64_type, qos),
    )
    .unwrap();
    let client = support::create("reqres.clientCreate", service, "{}").unwrap();
    let server = support::create("reqres.serverCreate", service, "{}").unwrap();

    let (request, memory) = rr::client_loan(client, 1, true).unwrap();
    assert_eq!(read_u64(&memory), 0);
    write_u64(&memory, 40);
    let (pending, request_memory) = rr::request_send(request).unwrap();
    assert_eq!(read_u64(&request_memory), 40, "the request stays readable");
    assert_eq!(
        rr::request_send(request).unwrap_err().kind,
        ErrorKind::HandleClosed
    );
    assert_eq!(handles::parent(pending).unwrap(), Some(client));

    let (active, memory) = rr::server_receive(server).unwrap().expect("a request");
    assert_eq!(read_u64(&memory), 40);
    for offset in 0..3 {
        let (response, memory) = rr::active_request_loan(active, 1, true).unwrap();
        write_u64(&memory, 40 + offset);
        rr::response_send(response).unwrap();
    }
    rr::active_request_send_copy(active, &43u64.to_ne_bytes(), &[]).unwrap();
    assert!(close(active), "closing ends the stream");

    let mut received = Vec::new();
    while let Some((response, memory)) = rr::pending_response_receive(pending).unwrap() {
        received.push(read_u64(&memory));
        close(response);
    }
    assert_eq!(received, [40, 41, 42, 43]);
    assert!(rr::server_receive(server).unwrap().is_none());
}

#[test]
fn user_headers_and_slices_share_one_span_on_both_sides() {
    let isolated = isolated();
    let header = r#","requestUserHeader":{"variant":"fixedSize","typeName":"Hdr","size":4,"alignment":4},"responseUserHeader":{"variant":"fixedSize","typeName":"u16","size":2,"alignment":2}"#;
    let service = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &spec("create", &slice("u16", 2, 2), &slice("u8", 1, 1), header),
    )
    .unwrap();
    let (client, server) = support::slice_client_and_server(service, 4, 8);

    let (request, memory) = rr::client_loan(client, 3, true).unwrap();
    assert_eq!((memory.user_header_len, memory.payload_len), (4, 6));
    assert!(memory.payload_offset >= 4);
    let (pending, _) = rr::request_send(request).unwrap();
    let (active, memory) = rr::server_receive(server).unwrap().unwrap();
    assert_eq!((memory.user_header_len, memory.payload_len), (4, 6));

    let (response, memory) = rr::active_request_loan(active, 8, false).unwrap();
    assert_eq!((memory.user_header_len, memory.payload_len), (2, 8));
    rr::response_send(response).unwrap();
    assert_eq!(
        rr::active_request_loan(active, 9, true).unwrap_err().kind,
        ErrorKind::OutOfMemory
    );
    let (_, memory) = rr::pending_response_receive(pending).unwrap().unwrap();
    assert_eq!((memory.user_header_len, memory.payload_len), (2, 8));
    assert_eq!(
        rr::client_send_copy(client, &[1, 2, 3], &[])
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument,
        "3 bytes are not a whole number of u16s"
    );
}

#[test]
fn without_server_a_request_is_sent_to_nobody() {
    let isolated = isolated();
    let u8_type = fixed("u8", 1, 1);
    let service = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &spec("create", &u8_type, &u8_type, ""),
    )
    .unwrap();
    let client = support::create("reqres.clientCreate", service, "{}").unwrap();
    let pending = rr::client_send_copy(client, &[7], &[]).unwrap();
    let (same, memory) = rr::pending_response_request(pending).unwrap();
    assert_eq!(same, pending);
    assert_eq!(memory.payload_len, 1);
    // SAFETY: one payload byte of the request the pending response holds.
    assert_eq!(unsafe { *memory.base.add(memory.payload_offset) }, 7);
    assert!(rr::pending_response_receive(pending).unwrap().is_none());
}

#[test]
fn opening_with_other_types_names_both_sides() {
    let isolated = isolated();
    let service = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &spec("create", &fixed("u64", 8, 8), &fixed("Answer", 16, 8), ""),
    )
    .unwrap();
    let error = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &spec("open", &fixed("u64", 8, 8), &fixed("u32", 4, 4), ""),
    )
    .unwrap_err();
    assert_eq!(error.kind, ErrorKind::IncompatibleTypes);
    assert!(
        error.message.contains(
            "response payload: the service has 'Answer' (fixed size, size 16, alignment 8), requested 'u32' (fixed size, size 4, alignment 4)"
        ),
        "{}",
        error.message
    );
    assert!(
        !error.message.contains("request payload"),
        "{}",
        error.message
    );
    close(service);
}

#[test]
fn bad_input_gives_typed_errors() {
    let isolated = isolated();
    let u8_type = fixed("u8", 1, 1);
    let kind = |json: &str| {
        support::create("reqres.serviceOpen", isolated.node, json)
            .unwrap_err()
            .kind
    };
    assert_eq!(kind("{"), ErrorKind::InvalidArgument);
    assert_eq!(
        kind(&spec(
            "create",
            &u8_type,
            &u8_type,
            r#","qos":{"maxServers":0}"#
        )),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(&spec(
            "create",
            &u8_type,
            &u8_type,
            r#","qos":{"unknown":1}"#
        )),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(&spec(
            "create",
            &u8_type,
            &u8_type,
            r#","requestUserHeader":{"variant":"dynamic","typeName":"u8","size":1,"alignment":1}"#
        )),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(&spec("create", &fixed("x", 3, 2), &u8_type, "")),
        ErrorKind::InvalidArgument
    );

    let service = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &spec("create", &u8_type, &u8_type, ""),
    )
    .unwrap();
    let client = support::create("reqres.clientCreate", service, "{}").unwrap();
    assert_eq!(
        rr::client_loan(client, 2, true).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        support::create("reqres.clientCreate", service, r#"{"maxActiveRequests":0}"#)
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );
    // A handle of another kind is refused and stays usable.
    assert_eq!(
        rr::request_send(client).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        rr::response_send(client).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        rr::server_receive(client).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert!(rr::client_send_copy(client, &[1], &[]).is_ok());
    assert_eq!(
        support::create("reqres.serverCreate", isolated.node, "{}")
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );
}

#[test]
fn closing_the_service_closes_ports_and_messages() {
    let isolated = isolated();
    let u8_type = fixed("u8", 1, 1);
    let baseline = handles::open_count();
    let service = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &spec("create", &u8_type, &u8_type, ""),
    )
    .unwrap();
    let client = support::create("reqres.clientCreate", service, "{}").unwrap();
    let server = support::create("reqres.serverCreate", service, "{}").unwrap();
    let pending = rr::client_send_copy(client, &[1], &[]).unwrap();
    let (loaned, _) = rr::client_loan(client, 1, true).unwrap();
    let (active, _) = rr::server_receive(server).unwrap().unwrap();
    let (response, _) = rr::active_request_loan(active, 1, true).unwrap();
    rr::active_request_send_copy(active, &[2], &[]).unwrap();
    let (received, _) = rr::pending_response_receive(pending).unwrap().unwrap();
    assert_eq!(handles::open_count(), baseline + 8);
    assert!(close(service));
    assert_eq!(handles::open_count(), baseline);
    for handle in [client, server, pending, loaned, active, response, received] {
        assert!(!close(handle));
    }
}
