//! Counts and sizes beyond the core's limits fail with `InvalidArgument` before iceoryx2
//! allocates anything, counts within them work, and the node stays usable after a refusal.

use iox2js_core::limits::{self, MAX_EVENT_ID, MAX_QUEUE, MAX_SEGMENT_BYTES};
use iox2js_core::{bridge, close, pubsub, request_response as rr, ErrorKind};

mod support;
use support::{fixed, isolated, slice};

fn pubsub_spec(name: &str, payload: &str, qos: &str) -> String {
    format!(r#"{{"name":"Limits/{name}","mode":"create","payload":{payload},"qos":{{{qos}}}}}"#)
}

fn rr_spec(name: &str, request: &str, response: &str, qos: &str) -> String {
    format!(
        r#"{{"name":"Limits/{name}","mode":"create","requestPayload":{request},"responsePayload":{response},"qos":{{{qos}}}}}"#
    )
}

/// Asserts an `InvalidArgument` whose message holds every one of `parts`.
#[track_caller]
fn assert_refused<T: std::fmt::Debug>(result: iox2js_core::Result<T>, parts: &[&str]) {
    let error = result.expect_err("the limit must refuse this");
    assert_eq!(error.kind, ErrorKind::InvalidArgument, "{error}");
    for part in parts {
        assert!(
            error.message.contains(part),
            "'{part}' is missing from: {error}"
        );
    }
}

/// A u64 round trip: what must work after a refusal.
fn send_and_receive(service: u64, value: u64) {
    let publisher = support::create("pubsub.publisherCreate", service, "{}").unwrap();
    let subscriber = support::create("pubsub.subscriberCreate", service, "{}").unwrap();
    pubsub::publisher_send_copy(publisher, &value.to_ne_bytes(), &[]).unwrap();
    let (sample, memory) = pubsub::subscriber_receive(subscriber)
        .unwrap()
        .expect("a sample");
    // SAFETY: the sample's payload is one u64.
    assert_eq!(
        unsafe { (memory.base as *const u64).read_unaligned() },
        value
    );
    close(sample);
    close(subscriber);
    close(publisher);
}

#[test]
fn huge_loan_counts_are_refused_and_the_service_keeps_working() {
    let isolated = isolated("limits");
    let service = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &pubsub_spec("loans", &fixed("u64", 8, 8), ""),
    )
    .unwrap();
    for loans in [0xffff_ffffu64, 1 << 40, MAX_QUEUE as u64 + 1] {
        assert_refused(
            support::create(
                "pubsub.publisherCreate",
                service,
                &format!(r#"{{"maxLoanedSamples":{loans}}}"#),
            ),
            &["maxLoanedSamples", "1..=65536", &loans.to_string()],
        );
    }
    // A bound that real systems need, not a token one.
    let publisher = support::create(
        "pubsub.publisherCreate",
        service,
        r#"{"maxLoanedSamples":20000}"#,
    )
    .unwrap();
    close(publisher);
    send_and_receive(service, 28);
}

#[test]
fn every_count_option_of_every_pattern_has_its_bound() {
    let isolated = isolated("limits");
    let u64_type = fixed("u64", 8, 8);
    let pubsub_counts = [
        "historySize",
        "subscriberMaxBufferSize",
        "subscriberMaxBorrowedSamples",
        "maxPublishers",
        "maxSubscribers",
        "maxNodes",
    ];
    for option in pubsub_counts {
        let over = limits::limit_of(option).unwrap() + 1;
        let spec = pubsub_spec(option, &u64_type, &format!(r#""{option}":{over}"#));
        assert_refused(
            support::create("pubsub.serviceOpen", isolated.node, &spec),
            &[option],
        );
    }
    let rr_counts = [
        "maxActiveRequestsPerClient",
        "maxLoanedRequests",
        "maxResponseBufferSize",
        "maxServers",
        "maxClients",
        "maxNodes",
        "maxBorrowedResponsesPerPendingResponse",
    ];
    for option in rr_counts {
        let over = limits::limit_of(option).unwrap() + 1;
        let spec = rr_spec(
            option,
            &u64_type,
            &u64_type,
            &format!(r#""{option}":{over}"#),
        );
        assert_refused(
            support::create("reqres.serviceOpen", isolated.node, &spec),
            &[option],
        );
    }
    for option in [
        "maxNotifiers",
        "maxListeners",
        "maxNodes",
        "eventIdMaxValue",
    ] {
        let over = limits::limit_of(option).unwrap() + 1;
        let spec = format!(
            r#"{{"name":"Limits/event/{option}","mode":"create","qos":{{"{option}":{over}}}}}"#
        );
        assert_refused(
            bridge::control("event.serviceOpen", isolated.node as f64, &spec),
            &[option],
        );
    }
    for option in ["maxReaders", "maxNodes"] {
        let spec = format!(
            r#"{{"name":"Limits/bb","mode":"create","key":{u64_type},"entries":[{{"key":[1,0,0,0,0,0,0,0],"value":{u64_type},"initial":[0,0,0,0,0,0,0,0]}}],"qos":{{"{option}":4097}}}}"#
        );
        assert_refused(
            support::create("blackboard.serviceOpen", isolated.node, &spec),
            &[option],
        );
    }

    let pubsub_service = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &pubsub_spec("ports", &u64_type, ""),
    )
    .unwrap();
    for (option, over) in [("bufferSize", 65_537), ("historyRequest", 65_537)] {
        assert_refused(
            support::create(
                "pubsub.subscriberCreate",
                pubsub_service,
                &format!(r#"{{"{option}":{over}}}"#),
            ),
            &[option],
        );
    }
    let rr_service = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &rr_spec("ports", &u64_type, &u64_type, ""),
    )
    .unwrap();
    for (option, over) in [
        ("maxActiveRequests", 65_537),
        ("initialMaxSliceLen", MAX_SEGMENT_BYTES + 1),
    ] {
        assert_refused(
            support::create(
                "reqres.clientCreate",
                rr_service,
                &format!(r#"{{"{option}":{over}}}"#),
            ),
            &[option],
        );
    }
    assert_refused(
        support::create(
            "reqres.serverCreate",
            rr_service,
            r#"{"maxLoanedResponsesPerRequest":65537}"#,
        ),
        &["maxLoanedResponsesPerRequest"],
    );
    send_and_receive(pubsub_service, 1);
}

#[test]
fn products_of_counts_are_bounded_with_the_formula_in_the_message() {
    let isolated = isolated("limits");
    let u64_type = fixed("u64", 8, 8);
    // Each count is within its bound; together every publisher would need 2^28 chunks.
    let qos = r#""maxSubscribers":4096,"subscriberMaxBufferSize":65536"#;
    assert_refused(
        support::create(
            "pubsub.serviceOpen",
            isolated.node,
            &pubsub_spec("product", &u64_type, qos),
        ),
        &[
            "maxSubscribers 4096 × (subscriberMaxBufferSize 65536",
            "chunk slots",
        ],
    );

    // Generous counts that fit: tens of thousands of samples in flight.
    let qos = r#""subscriberMaxBufferSize":10000,"historySize":1000"#;
    let service = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &pubsub_spec("generous", &u64_type, qos),
    )
    .unwrap();
    close(
        support::create(
            "pubsub.publisherCreate",
            service,
            r#"{"maxLoanedSamples":10000}"#,
        )
        .unwrap(),
    );
    // The same segment with bookkeeping for 255 growing segments is too much.
    assert_refused(
        support::create(
            "pubsub.publisherCreate",
            service,
            r#"{"maxLoanedSamples":10000,"allocationStrategy":"powerOfTwo"}"#,
        ),
        &["= 91016 chunks × 255 segments", "chunk slots"],
    );

    // Bytes: 62 chunks of a slice of a sixteenth of the machine's limit exceed a segment.
    let too_long = (limits::segment_limit() / 16).min(MAX_SEGMENT_BYTES);
    let bytes = slice("u8", 1, 1);
    let service = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &pubsub_spec("bytes", &bytes, r#""maxSubscribers":15"#),
    )
    .unwrap();
    assert_refused(
        support::create(
            "pubsub.publisherCreate",
            service,
            &format!(r#"{{"initialMaxSliceLen":{too_long}}}"#),
        ),
        &[
            "chunks of",
            "bytes",
            "initial slice length",
            "samplePreallocation(",
        ],
    );
    close(
        support::create(
            "pubsub.publisherCreate",
            service,
            r#"{"initialMaxSliceLen":1048576}"#,
        )
        .unwrap(),
    );

    // Request-response: the server's responses × the channels of every connection to a client.
    let qos = r#""maxActiveRequestsPerClient":1024"#;
    assert_refused(
        support::create(
            "reqres.serviceOpen",
            isolated.node,
            &rr_spec("product", &u64_type, &u64_type, qos),
        ),
        &["maxActiveRequestsPerClient 1024", "response channels"],
    );
    let qos = r#""maxActiveRequestsPerClient":64,"maxResponseBufferSize":16"#; // 5.3 Mi slots
    let service = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &rr_spec("fits", &u64_type, &u64_type, qos),
    )
    .unwrap();
    close(support::create("reqres.clientCreate", service, "{}").unwrap());
    close(support::create("reqres.serverCreate", service, "{}").unwrap());
    assert_refused(
        support::create(
            "reqres.serverCreate",
            service,
            r#"{"maxLoanedResponsesPerRequest":1000}"#,
        ),
        &["maxLoanedResponsesPerRequest 1000"],
    );
}

#[test]
fn slice_loans_that_would_grow_a_segment_beyond_the_limit_are_refused() {
    let isolated = isolated("limits");
    let bytes = slice("u8", 1, 1);
    let service = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &pubsub_spec("grow", &bytes, ""),
    )
    .unwrap();
    let publisher = support::create(
        "pubsub.publisherCreate",
        service,
        r#"{"allocationStrategy":"powerOfTwo"}"#,
    )
    .unwrap();
    let subscriber = support::create("pubsub.subscriberCreate", service, "{}").unwrap();
    // 2^53 elements overflow nothing and map nothing.
    for elements in [1usize << 53, 1 << 40, MAX_SEGMENT_BYTES] {
        assert_refused(
            pubsub::publisher_loan(publisher, elements, true),
            &[&format!("{elements} elements")],
        );
    }
    // Growing within the limit works.
    let (sample, memory) = pubsub::publisher_loan(publisher, 100_000, true).unwrap();
    assert_eq!(memory.payload_len, 100_000);
    pubsub::sample_send(sample).unwrap();
    let (received, memory) = pubsub::subscriber_receive(subscriber).unwrap().unwrap();
    assert_eq!(memory.payload_len, 100_000);
    close(received);
    // A static publisher refuses a longer loan itself, as before.
    let fixed_size = support::create(
        "pubsub.publisherCreate",
        service,
        r#"{"initialMaxSliceLen":8}"#,
    )
    .unwrap();
    let error = pubsub::publisher_loan(fixed_size, 1 << 40, true).unwrap_err();
    assert_eq!(error.kind, ErrorKind::OutOfMemory, "{error}");

    // A client has 18 chunks (2 servers × 2 × 4 active requests + 2 loans), a server 384.
    let service = support::create(
        "reqres.serviceOpen",
        isolated.node,
        &rr_spec("grow", &bytes, &bytes, ""),
    )
    .unwrap();
    let client = support::create(
        "reqres.clientCreate",
        service,
        r#"{"allocationStrategy":"bestFit"}"#,
    )
    .unwrap();
    let server = support::create(
        "reqres.serverCreate",
        service,
        r#"{"allocationStrategy":"powerOfTwo"}"#,
    )
    .unwrap();
    assert_refused(
        rr::client_loan(client, limits::segment_limit() / 8, true),
        &["grow the client's data segment to 18 chunks"],
    );
    let (request, _) = rr::client_loan(client, 5000, true).unwrap();
    let (pending, _) = rr::request_send(request).unwrap();
    let (active, memory) = rr::server_receive(server).unwrap().expect("a request");
    assert_eq!(memory.payload_len, 5000);
    assert_refused(
        rr::active_request_loan(active, limits::segment_limit() / 256, true),
        &["grow the server's data segment to 384 chunks"],
    );
    let (response, memory) = rr::active_request_loan(active, 70_000, true).unwrap();
    assert_eq!(memory.payload_len, 70_000);
    rr::response_send(response).unwrap();
    let (_, memory) = rr::pending_response_receive(pending)
        .unwrap()
        .expect("a response");
    assert_eq!(memory.payload_len, 70_000);
}

#[test]
fn type_sizes_and_alignments_are_bounded() {
    let isolated = isolated("limits");
    let huge = fixed("Huge", limits::segment_limit() + 8, 8);
    assert_refused(
        support::create(
            "pubsub.serviceOpen",
            isolated.node,
            &pubsub_spec("huge", &huge, ""),
        ),
        &["Huge", "size"],
    );
    let aligned = fixed("Aligned", 8192, 8192);
    assert_refused(
        support::create(
            "pubsub.serviceOpen",
            isolated.node,
            &pubsub_spec("aligned", &aligned, ""),
        ),
        &["alignment 8192"],
    );
    // Alignment was the way to huge chunks with a zero-sized type.
    let empty = fixed("Empty", 0, 1 << 40);
    assert_refused(
        support::create(
            "pubsub.serviceOpen",
            isolated.node,
            &pubsub_spec("empty", &empty, ""),
        ),
        &["alignment"],
    );
}

#[test]
fn blackboard_entries_are_bounded_together() {
    let isolated = isolated("limits");
    let key = fixed("u64", 8, 8);
    // Two cells of 300 MB each: refused before the (missing) initial bytes are looked at.
    let value = fixed("Block", 300_000_000, 8);
    let spec = format!(
        r#"{{"name":"Limits/bb","mode":"create","key":{key},"entries":[{{"key":[1,0,0,0,0,0,0,0],"value":{value},"initial":[]}}]}}"#
    );
    assert_refused(
        support::create("blackboard.serviceOpen", isolated.node, &spec),
        &["entry 0", "536870912 bytes"],
    );
}

#[test]
fn config_defaults_are_bounded_when_set_and_when_loaded_from_a_file() {
    let isolated = isolated("limits");
    let node_spec = |defaults: &str| {
        format!(
            r#"{{"config":{{"prefix":"{}","defaults":{defaults}}}}}"#,
            isolated.prefix
        )
    };
    assert_refused(
        support::create(
            "node.create",
            0,
            &node_spec(r#"{"publishSubscribe":{"publisherMaxLoanedSamples":4294967295}}"#),
        ),
        &["publisherMaxLoanedSamples", "0..=65536"],
    );
    assert_refused(
        support::create(
            "node.create",
            0,
            &node_spec(r#"{"event":{"eventIdMaxValue":65536}}"#),
        ),
        &["eventIdMaxValue", "0..=65535"],
    );
    // Event ids themselves are not counts: only u32's bound applies.
    close(
        support::create(
            "node.create",
            0,
            &node_spec(r#"{"event":{"notifierCreatedEvent":70000}}"#),
        )
        .unwrap(),
    );

    // A config file is iceoryx2's own format; its values are checked where they are used.
    let file = std::env::temp_dir().join(format!("{}limits.toml", isolated.prefix));
    std::fs::write(
        &file,
        "[defaults.publish-subscribe]\npublisher-max-loaned-samples = 4294967295\n\
         [defaults.event]\nevent-id-max-value = 4294967295\n",
    )
    .unwrap();
    let node = support::create(
        "node.create",
        0,
        &format!(
            r#"{{"config":{{"prefix":"{}","file":"{}"}}}}"#,
            isolated.prefix,
            file.display()
        ),
    )
    .unwrap();
    std::fs::remove_file(&file).unwrap();
    let service = support::create(
        "pubsub.serviceOpen",
        node,
        &pubsub_spec("from-file", &fixed("u64", 8, 8), ""),
    )
    .unwrap();
    assert_refused(
        support::create("pubsub.publisherCreate", service, "{}"),
        &[
            "maxLoanedSamples is not set",
            "publishSubscribe.publisherMaxLoanedSamples",
            "4294967295",
        ],
    );
    close(
        support::create(
            "pubsub.publisherCreate",
            service,
            r#"{"maxLoanedSamples":4}"#,
        )
        .unwrap(),
    );
    assert_refused(
        bridge::control(
            "event.serviceOpen",
            node as f64,
            r#"{"name":"Limits/event","mode":"create"}"#,
        ),
        &["event.eventIdMaxValue"],
    );
    bridge::control(
        "event.serviceOpen",
        node as f64,
        r#"{"name":"Limits/event","mode":"create","qos":{"eventIdMaxValue":255}}"#,
    )
    .unwrap();
    close(node);
}

#[test]
fn services_created_elsewhere_beyond_the_limits_get_no_oversized_ports() {
    use iceoryx2::prelude::*;
    let isolated = isolated("limits");
    let mut config = iceoryx2::config::Config::default();
    config.global.prefix = FileName::new(isolated.prefix.as_bytes()).unwrap();
    let foreign = NodeBuilder::new()
        .config(&config)
        .create::<ipc::Service>()
        .unwrap();
    let _event = foreign
        .service_builder(&"Limits/foreign-event".try_into().unwrap())
        .event()
        .event_id_max_value(MAX_EVENT_ID + 1)
        .create()
        .unwrap();
    let _pubsub = foreign
        .service_builder(&"Limits/foreign-pubsub".try_into().unwrap())
        .publish_subscribe::<u64>()
        .subscriber_max_buffer_size(1 << 20)
        .max_subscribers(64)
        .create()
        .unwrap();

    let event = bridge::control(
        "event.serviceOpen",
        isolated.node as f64,
        r#"{"name":"Limits/foreign-event","mode":"open"}"#,
    )
    .unwrap();
    assert_refused(
        bridge::control("event.listenerCreate", event.parse().unwrap(), "{}"),
        &["65536", "65535"],
    );
    bridge::control("event.notifierCreate", event.parse().unwrap(), "{}").unwrap();

    let service = support::create("pubsub.serviceOpen", 
        isolated.node,
        r#"{"name":"Limits/foreign-pubsub","mode":"open","payload":{"variant":"fixedSize","typeName":"u64","size":8,"alignment":8}}"#,
    )
    .unwrap();
    assert_refused(
        support::create("pubsub.publisherCreate", service, "{}"),
        &["subscriberMaxBufferSize 1048576", "chunk slots"],
    );
    // A subscriber would take the service's buffer size, unless it asks for less.
    assert_refused(
        support::create("pubsub.subscriberCreate", service, "{}"),
        &[
            "bufferSize is not set",
            "subscriberMaxBufferSize is 1048576",
        ],
    );
    close(support::create("pubsub.subscriberCreate", service, r#"{"bufferSize":4}"#).unwrap());
}
