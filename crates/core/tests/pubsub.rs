//! Publish-subscribe through the core API, as both fronts drive it.

use iox2js_core::{close, handles, pubsub, ErrorKind};

mod support;
use support::{isolated as isolated_in, Isolated};

fn isolated() -> Isolated {
    isolated_in("test")
}

fn service_spec(mode: &str, type_name: &str, size: usize, alignment: usize, extra: &str) -> String {
    format!(
        r#"{{"name":"Core/Test","mode":"{mode}","payload":{{"variant":"fixedSize","typeName":"{type_name}","size":{size},"alignment":{alignment}}}{extra}}}"#
    )
}

#[test]
fn samples_travel_from_publisher_to_subscriber() {
    let isolated = isolated();
    let node = isolated.node;
    let service = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("create", "u64", 8, 8, ""),
    )
    .unwrap();
    let publisher = support::create("pubsub.publisherCreate", service, "{}").unwrap();
    let subscriber = support::create("pubsub.subscriberCreate", service, "{}").unwrap();

    let (sample, memory) = pubsub::publisher_loan(publisher, 1, true).unwrap();
    assert_eq!(
        (
            memory.payload_offset,
            memory.payload_len,
            memory.user_header_len
        ),
        (0, 8, 0)
    );
    unsafe { (memory.base as *mut u64).write(0xdead_beef) };
    assert_eq!(pubsub::sample_send(sample).unwrap(), 1);
    assert_eq!(
        pubsub::sample_send(sample).unwrap_err().kind,
        ErrorKind::HandleClosed
    );

    let (received, memory) = pubsub::subscriber_receive(subscriber)
        .unwrap()
        .expect("a sample");
    assert_eq!(unsafe { (memory.base as *const u64).read() }, 0xdead_beef);
    assert!(close(received));
    assert!(pubsub::subscriber_receive(subscriber).unwrap().is_none());

    assert_eq!(
        pubsub::publisher_send_copy(publisher, &7u64.to_le_bytes(), &[]).unwrap(),
        1
    );
    let (received, memory) = pubsub::subscriber_receive(subscriber).unwrap().unwrap();
    assert_eq!(unsafe { (memory.base as *const u64).read() }, 7);
    close(received);
    assert!(close(node));
}

#[test]
fn user_header_and_slices_share_one_span() {
    let isolated = isolated();
    let node = isolated.node;
    let spec = r#"{"name":"Core/Slice","mode":"create",
        "payload":{"variant":"dynamic","typeName":"u32","size":4,"alignment":4},
        "userHeader":{"variant":"fixedSize","typeName":"CustomHeader","size":16,"alignment":8}}"#;
    let service = support::create("pubsub.serviceOpen", node, spec).unwrap();
    let publisher = support::create(
        "pubsub.publisherCreate",
        service,
        r#"{"initialMaxSliceLen":32}"#,
    )
    .unwrap();
    let subscriber = support::create("pubsub.subscriberCreate", service, "{}").unwrap();
    let (sample, memory) = pubsub::publisher_loan(publisher, 10, true).unwrap();
    assert_eq!(memory.user_header_len, 16);
    assert_eq!(memory.payload_len, 40);
    assert!(memory.payload_offset >= 16);
    assert_eq!(memory.len, memory.payload_offset + 40);
    pubsub::sample_send(sample).unwrap();
    let (_, received) = pubsub::subscriber_receive(subscriber).unwrap().unwrap();
    assert_eq!((received.payload_len, received.user_header_len), (40, 16));
    assert_eq!(
        pubsub::publisher_loan(publisher, 33, false)
            .unwrap_err()
            .kind,
        ErrorKind::OutOfMemory
    );
    close(node);
}

#[test]
fn opening_with_other_types_names_both() {
    let isolated = isolated();
    let node = isolated.node;
    let _service = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("create", "SensorData", 48, 8, ""),
    )
    .unwrap();
    let error = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("open", "SensorData", 40, 8, ""),
    )
    .unwrap_err();
    assert_eq!(error.kind, ErrorKind::IncompatibleTypes);
    assert!(
        error.message.contains("size 48") && error.message.contains("size 40"),
        "{}",
        error.message
    );
    close(node);
}

#[test]
fn bad_input_gives_typed_errors() {
    let isolated = isolated();
    let node = isolated.node;
    let missing = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("open", "u64", 8, 8, ""),
    )
    .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::ServiceNotFound);
    let bad_name = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("create", "u64", 8, 8, "").replace("Core/Test", ""),
    )
    .unwrap_err();
    assert_eq!(bad_name.kind, ErrorKind::InvalidName);
    let bad_alignment = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("create", "u64", 8, 3, ""),
    )
    .unwrap_err();
    assert_eq!(bad_alignment.kind, ErrorKind::InvalidArgument);
    let unknown_option = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("create", "u64", 8, 8, r#","qos":{"historySise":1}"#),
    )
    .unwrap_err();
    assert_eq!(unknown_option.kind, ErrorKind::InvalidArgument);
    let long_name = format!(r#"{{"name":"{}"}}"#, "n".repeat(1000));
    assert_eq!(
        support::create("node.create", 0, &long_name)
            .unwrap_err()
            .kind,
        ErrorKind::InvalidName
    );
    assert_eq!(
        support::create("pubsub.publisherCreate", node, "{}")
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );

    let service = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("create", "u64", 8, 8, ""),
    )
    .unwrap();
    let publisher = support::create(
        "pubsub.publisherCreate",
        service,
        r#"{"maxLoanedSamples":2}"#,
    )
    .unwrap();
    pubsub::publisher_loan(publisher, 1, false).unwrap();
    pubsub::publisher_loan(publisher, 1, false).unwrap();
    assert_eq!(
        pubsub::publisher_loan(publisher, 1, false)
            .unwrap_err()
            .kind,
        ErrorKind::ExceedsMaxLoans
    );
    assert_eq!(
        pubsub::publisher_loan(publisher, 2, false)
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );
    close(node);
    assert_eq!(
        pubsub::publisher_loan(publisher, 1, false)
            .unwrap_err()
            .kind,
        ErrorKind::HandleClosed
    );
}

#[test]
fn closing_a_node_closes_everything_created_from_it() {
    let before = handles::open_count();
    let isolated = isolated();
    let node = isolated.node;
    let service = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("create", "u64", 8, 8, ""),
    )
    .unwrap();
    let publisher = support::create("pubsub.publisherCreate", service, "{}").unwrap();
    let subscriber = support::create("pubsub.subscriberCreate", service, "{}").unwrap();
    let (sample, _) = pubsub::publisher_loan(publisher, 1, true).unwrap();
    assert_eq!(handles::open_count(), before + 5);
    assert!(close(node));
    assert_eq!(handles::open_count(), before);
    for handle in [service, publisher, subscriber, sample] {
        assert!(!close(handle));
    }
    assert_eq!(
        handles::from_f64(0.5).unwrap_err().kind,
        ErrorKind::HandleClosed
    );
}

#[test]
fn late_subscribers_get_history() {
    let isolated = isolated();
    let node = isolated.node;
    let qos = r#","qos":{"historySize":3,"subscriberMaxBufferSize":4}"#;
    let service = support::create(
        "pubsub.serviceOpen",
        node,
        &service_spec("create", "u64", 8, 8, qos),
    )
    .unwrap();
    let publisher = support::create("pubsub.publisherCreate", service, "{}").unwrap();
    for value in 1u64..=5 {
        pubsub::publisher_send_copy(publisher, &value.to_le_bytes(), &[]).unwrap();
    }
    let subscriber = support::create(
        "pubsub.subscriberCreate",
        service,
        r#"{"historyRequest":3}"#,
    )
    .unwrap();
    pubsub::publisher_update_connections(publisher).unwrap();
    let mut seen = Vec::new();
    while let Some((sample, memory)) = pubsub::subscriber_receive(subscriber).unwrap() {
        seen.push(unsafe { (memory.base as *const u64).read() });
        close(sample);
    }
    assert_eq!(seen, vec![3, 4, 5]);
    close(node);
}
