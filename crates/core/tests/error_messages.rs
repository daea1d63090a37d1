//! Errors from iceoryx2 reach the user as a sentence that says what happened, with the values the
//! call site has, and what to do, and keep iceoryx2's variant name last: `(iceoryx2: Variant)`.

use iox2js_core::{close, pubsub, ErrorKind};

mod support;
use support::{fixed, isolated as isolated_in, Isolated};

fn isolated() -> Isolated {
    isolated_in("errors")
}

fn service(name: &str, mode: &str, qos: &str) -> String {
    format!(
        r#"{{"name":"{name}","mode":"{mode}","payload":{},"qos":{{{qos}}}}}"#,
        fixed("u64", 8, 8)
    )
}

#[test]
fn an_empty_service_name_says_it_is_empty() {
    let isolated = isolated();
    let error = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &service("", "create", ""),
    )
    .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidName);
    assert_eq!(
        error.message,
        "service name '' is invalid: it is empty; a service name needs at least one character \
         (iceoryx2: InvalidContent)"
    );
}

#[test]
fn service_names_name_the_offending_character_and_the_reserved_prefix() {
    let isolated = isolated();
    let accent = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &service("Caf\u{e9}", "create", ""),
    );
    let error = accent.unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidName);
    assert!(
        error.message.starts_with(
            "service name 'Caf\u{e9}' is invalid: it contains '\u{e9}' at byte 3; a service name \
             may hold only ASCII characters other than NUL"
        ),
        "{error}"
    );
    assert!(
        error.message.ends_with("(iceoryx2: InvalidContent)"),
        "{error}"
    );

    let internal = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &service("iox2://x", "create", ""),
    );
    let error = internal.unwrap_err();
    assert!(
        error
            .message
            .contains("it starts with \"iox2://\", which iceoryx2 reserves"),
        "{error}"
    );
}

#[test]
fn a_too_long_node_name_says_its_length_and_the_maximum() {
    let spec =
        serde_json::json!({ "name": "n".repeat(300), "config": { "builtInDefaults": true } });
    let error = support::create("node.create", 0, &spec.to_string()).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidName);
    assert!(
        error
            .message
            .starts_with(&format!("node name '{}...' is invalid: ", "n".repeat(64))),
        "{error}"
    );
    assert!(
        error.message.ends_with(
            "it is 300 bytes long, more than the 128 bytes a node name can hold; shorten it \
             (iceoryx2: ExceedsMaximumLength)"
        ),
        "{error}"
    );
}

#[test]
fn a_config_prefix_that_is_no_file_name_names_the_character() {
    let spec = serde_json::json!({ "config": { "builtInDefaults": true, "prefix": "team/a_" } });
    let error = support::create("node.create", 0, &spec.to_string()).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidName);
    assert_eq!(
        error.message,
        "config prefix 'team/a_' is invalid: it contains '/' at byte 4; a file name may not hold \
         any of / \\ < > \" | ? * (iceoryx2: InvalidContent)"
    );
}

#[test]
fn opening_a_missing_service_says_how_to_create_it() {
    let isolated = isolated();
    let error = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &service("Core/Missing", "open", ""),
    )
    .unwrap_err();
    assert_eq!(error.kind, ErrorKind::ServiceNotFound);
    assert_eq!(
        error.message,
        "cannot open publish-subscribe service 'Core/Missing': no such service exists; create \
         it first (create() or openOrCreate()), or check that name, config prefix and rootPath \
         match the creator's (iceoryx2: DoesNotExist)"
    );
}

#[test]
fn a_loan_beyond_max_loaned_samples_names_the_limit() {
    let isolated = isolated();
    let service = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &service("Core/Loans", "create", ""),
    )
    .unwrap();
    let publisher = support::create(
        "pubsub.publisherCreate",
        service,
        r#"{"maxLoanedSamples":2}"#,
    )
    .unwrap();
    let held = [
        pubsub::publisher_loan(publisher, 1, false).unwrap().0,
        pubsub::publisher_loan(publisher, 1, false).unwrap().0,
    ];
    let error = pubsub::publisher_loan(publisher, 1, false).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ExceedsMaxLoans);
    assert_eq!(
        error.message,
        "cannot loan a sample: this publisher's maxLoanedSamples is 2 and it holds that many \
         loans already; send or release one first, or create the publisher with a larger \
         maxLoanedSamples (iceoryx2: ExceedsMaxLoans)"
    );
    // Releasing one makes room again.
    close(held[0]);
    close(pubsub::publisher_loan(publisher, 1, false).unwrap().0);
}

#[test]
fn a_publisher_beyond_max_publishers_names_the_limit() {
    let isolated = isolated();
    let service = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &service("Core/Publishers", "create", r#""maxPublishers":1"#),
    )
    .unwrap();
    let _first = support::create("pubsub.publisherCreate", service, "{}").unwrap();
    let error = support::create("pubsub.publisherCreate", service, "{}").unwrap_err();
    assert_eq!(error.kind, ErrorKind::LimitReached);
    assert!(
        error.message.starts_with(
            "cannot create publisher: the service's maxPublishers is 1 and that many publishers \
             exist already"
        ),
        "{error}"
    );
    assert!(
        error.message.ends_with(
            "create the service with a larger maxPublishers (iceoryx2: \
             ExceedsMaxSupportedPublishers)"
        ),
        "{error}"
    );
}

#[test]
fn a_subscriber_asking_beyond_the_service_names_both_values() {
    let isolated = isolated();
    let qos = r#""subscriberMaxBufferSize":2,"historySize":1"#;
    let service = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &service("Core/Buffer", "create", qos),
    )
    .unwrap();
    let error =
        support::create("pubsub.subscriberCreate", service, r#"{"bufferSize":4}"#).unwrap_err();
    assert_eq!(error.kind, ErrorKind::IncompatibleQos);
    assert_eq!(
        error.message,
        "cannot create subscriber: bufferSize 4 exceeds the service's subscriberMaxBufferSize 2; \
         ask for at most 2, or create the service with a larger subscriberMaxBufferSize \
         (iceoryx2: BufferSizeExceedsMaxSupportedBufferSizeOfService)"
    );
    let error = support::create(
        "pubsub.subscriberCreate",
        service,
        r#"{"historyRequest":3}"#,
    )
    .unwrap_err();
    assert!(
        error.message.starts_with(
            "cannot create subscriber: historyRequest 3 exceeds the service's historySize 1; "
        ),
        "{error}"
    );
    assert!(
        error
            .message
            .ends_with("(iceoryx2: HistoryRequestExceedsHistorySizeOfService)"),
        "{error}"
    );
}

#[test]
fn receiving_beyond_max_borrowed_samples_says_to_release_samples() {
    let isolated = isolated();
    let qos = r#""subscriberMaxBorrowedSamples":1"#;
    let service = support::create(
        "pubsub.serviceOpen",
        isolated.node,
        &service("Core/Borrows", "create", qos),
    )
    .unwrap();
    let publisher = support::create("pubsub.publisherCreate", service, "{}").unwrap();
    let subscriber = support::create("pubsub.subscriberCreate", service, "{}").unwrap();
    for _ in 0..2 {
        let (sample, _) = pubsub::publisher_loan(publisher, 1, true).unwrap();
        pubsub::sample_send(sample).unwrap();
    }
    let (held, _) = pubsub::subscriber_receive(subscriber).unwrap().unwrap();
    let error = pubsub::subscriber_receive(subscriber).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ExceedsMaxBorrows);
    assert_eq!(
        error.message,
        "cannot receive: this subscriber already holds as many samples from each publisher as the \
         service's subscriberMaxBorrowedSamples allows; release received samples before \
         receiving more, or create the service with a larger subscriberMaxBorrowedSamples \
         (iceoryx2: ExceedsMaxBorrows)"
    );
    close(held);
    assert!(pubsub::subscriber_receive(subscriber).unwrap().is_some());
}
