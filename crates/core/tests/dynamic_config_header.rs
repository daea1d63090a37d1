//! Another process overwrites the start of a service's dynamic config:
//! * its messaging-pattern tag: every call on the service's objects is refused with
//!   `ServiceInCorruptedState` before iceoryx2 reads the tag (its reaction to an invalid tag is
//!   undefined behaviour), closing them leaks them, and the node keeps working. Also checks that
//!   the tag lies where `pattern_tag` computes, for each pattern, in the file iceoryx2 writes;
//! * its version field: opening the service says whether another release wrote it, or another
//!   process overwrote it (garbage, or a release other than the one this process found there).

use std::os::unix::fs::FileExt;

use iceoryx2::service::messaging_pattern::MessagingPattern;
use iox2js_core::pattern_tag::{offset_in_file, tag_value};
use iox2js_core::{close, pubsub, ErrorKind};

mod support;
use support::{fixed, isolated};

/// A service of each pattern: the pattern, the op that creates the service and its spec, the
/// op that creates a port, and an op on that port.
type Case = (
    MessagingPattern,
    &'static str,
    String,
    &'static str,
    &'static str,
);

fn services() -> [Case; 4] {
    let u64 = fixed("u64", 8, 8);
    let u32 = fixed("u32", 4, 4);
    [
        (
            MessagingPattern::PublishSubscribe,
            "pubsub.serviceOpen",
            format!(r#"{{"name":"Tag/pubsub","mode":"create","payload":{u64}}}"#),
            "pubsub.publisherCreate",
            "pubsub.publisherId",
        ),
        (
            MessagingPattern::Event,
            "event.serviceOpen",
            r#"{"name":"Tag/event","mode":"create"}"#.into(),
            "event.notifierCreate",
            "event.notifierId",
        ),
        (
            MessagingPattern::RequestResponse,
            "reqres.serviceOpen",
            format!(
                r#"{{"name":"Tag/reqres","mode":"create","requestPayload":{u64},"responsePayload":{u64}}}"#
            ),
            "reqres.clientCreate",
            "reqres.clientId",
        ),
        (
            MessagingPattern::Blackboard,
            "blackboard.serviceOpen",
            format!(
                r#"{{"name":"Tag/blackboard","mode":"create","key":{u64},"entries":[{{"key":[1,0,0,0,0,0,0,0],"value":{u32},"initial":[7,0,0,0]}}]}}"#
            ),
            "blackboard.writerCreate",
            "blackboard.writerId",
        ),
    ]
}

/// The one dynamic-config file under `prefix` in /dev/shm, open for reading and writing.
fn dynamic_config(prefix: &str) -> std::fs::File {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(file_of("/dev/shm", prefix, ".dynamic"))
        .unwrap()
}

/// The one file under `dir` whose name starts with `prefix` and ends with `suffix`.
fn file_of(dir: &str, prefix: &str, suffix: &str) -> std::path::PathBuf {
    let paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(suffix)
        })
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    paths[0].clone()
}

#[test]
fn an_overwritten_pattern_tag_refuses_every_call_and_closing_leaks() {
    for (pattern, service_op, service_spec, port_op, port_call) in services() {
        let isolated = isolated("dynamic_config_header");
        let service = support::create(service_op, isolated.node, &service_spec).unwrap();
        let port = support::create(port_op, service, "{}").unwrap();

        // A sample loaned before the damage, sent after it.
        let loaned = (pattern == MessagingPattern::PublishSubscribe)
            .then(|| pubsub::publisher_loan(port, 1, true).unwrap().0);

        let file = dynamic_config(&isolated.prefix);
        let mut tag = [0u8; 4];
        file.read_exact_at(&mut tag, offset_in_file() as u64)
            .unwrap();
        assert_eq!(
            u32::from_ne_bytes(tag),
            tag_value(pattern),
            "the tag of a {pattern:?} service is not where pattern_tag looks"
        );

        // What a hostile process could write: no variant of the enum.
        file.write_all_at(&0x5eed_u32.to_ne_bytes(), offset_in_file() as u64)
            .unwrap();
        let mut calls = vec![
            iox2js_core::bridge::control(port_op, service as f64, "{}").map(|_| ()),
            iox2js_core::bridge::control(port_call, port as f64, "{}").map(|_| ()),
        ];
        calls.extend(loaned.map(|sample| pubsub::sample_send(sample).map(|_| ())));
        for call in calls {
            let error = call.unwrap_err();
            assert_eq!(error.kind, ErrorKind::ServiceInCorruptedState, "{error}");
            assert!(
                error.message.contains("no longer records")
                    && error.message.contains("0x5eed")
                    && error.message.contains(".dynamic"),
                "{error}"
            );
        }
        // Closing runs no destructor into the garbage (the port's would match on the tag).
        assert!(close(port));
        assert!(close(service));

        // Opening the service again is refused before anything reads the enum.
        let open_spec = match service_spec.find(r#","entries""#) {
            Some(entries) => format!("{}}}", &service_spec[..entries]),
            None => service_spec.clone(),
        };
        let open_spec = open_spec.replace(r#""mode":"create""#, r#""mode":"open""#);
        let error = support::create(service_op, isolated.node, &open_spec).unwrap_err();
        assert_eq!(error.kind, ErrorKind::ServiceInCorruptedState, "{error}");
        assert!(error.message.contains("0x5eed"), "{error}");

        // The node is unaffected: a service under another name works.
        let other = support::create(
            service_op,
            isolated.node,
            &service_spec.replace("Tag/", "Other/"),
        )
        .unwrap();
        close(support::create(port_op, other, "{}").unwrap());
        close(other);
    }
}

#[test]
fn a_version_field_is_reported_as_another_release_or_as_garbage() {
    let isolated = isolated("dynamic_config_header");
    let (_, service_op, spec, _, _) = services().into_iter().next().unwrap();
    let service = support::create(service_op, isolated.node, &spec).unwrap();
    let file = dynamic_config(&isolated.prefix);
    let open = spec.replace(r#""mode":"create""#, r#""mode":"open""#);
    // 0.9.0 as iceoryx2 stores a release: major << 32 | minor << 16 | patch.
    let release_0_9_0 = (9u64 << 16).to_ne_bytes();

    // This process opened the service with 0.10.0 in that field: another process rewrote it.
    file.write_all_at(&release_0_9_0, 0).unwrap();
    let error = support::create(service_op, isolated.node, &open).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ServiceInCorruptedState, "{error}");
    assert!(
        error
            .message
            .contains("now says iceoryx2 0.9.0, but it said 0.10.0 when this process opened"),
        "{error}"
    );

    file.write_all_at(&0x9e37_79b9_7f4a_7c15u64.to_ne_bytes(), 0)
        .unwrap();
    let error = support::create(service_op, isolated.node, &open).unwrap_err();
    assert_eq!(error.kind, ErrorKind::ServiceInCorruptedState, "{error}");
    assert!(
        error
            .message
            .contains("holds no iceoryx2 version (0x9e3779b97f4a7c15"),
        "{error}"
    );

    // A service this process never opened, as another release leaves it: its files are written
    // anew (other inodes) after this process's service is gone.
    file.write_all_at(&release_0_9_0, 0).unwrap();
    let dynamic_path = file_of("/dev/shm", &isolated.prefix, ".dynamic");
    let static_path = file_of("/tmp/iceoryx2/services", &isolated.prefix, ".service");
    let (dynamic, statics) = (
        std::fs::read(&dynamic_path).unwrap(),
        std::fs::read(&static_path).unwrap(),
    );
    close(service);
    for (path, bytes) in [(&dynamic_path, &dynamic), (&static_path, &statics)] {
        let _ = std::fs::remove_file(path);
        std::fs::write(path, bytes).unwrap();
    }
    let error = support::create(service_op, isolated.node, &open).unwrap_err();
    assert_eq!(error.kind, ErrorKind::VersionMismatch, "{error}");
    assert!(
        error.message.contains("created by iceoryx2 0.9.0") && error.message.contains("0.10.0"),
        "{error}"
    );
    std::fs::remove_file(&static_path).unwrap();
}
