//! Drives the C ABI exactly as the Deno and Bun adapters do: one symbol per operation, found by
//! its exported name, UTF-8 JSON by pointer and length, f64 handles, negated kind codes, and the
//! sample info array.

use iox2js_core::spans::SAMPLE_INFO_LEN;
use iox2js_ffi::*;

fn last_message() -> String {
    let len = unsafe { iox2js_last_message(core::ptr::null_mut(), 0) } as usize;
    let mut buffer = vec![0u8; len];
    unsafe { iox2js_last_message(buffer.as_mut_ptr(), buffer.len()) };
    String::from_utf8(buffer).unwrap()
}

fn control(op: &str, handle: f64, args: &str) -> Result<String, (f64, String)> {
    let result =
        unsafe { iox2js_control(op.as_ptr(), op.len(), handle, args.as_ptr(), args.len()) };
    if result < 0.0 {
        Err((result, last_message()))
    } else {
        Ok(last_message())
    }
}

fn create(op: &str, handle: f64, args: &str) -> f64 {
    control(op, handle, args).unwrap().parse().unwrap()
}

// The per-message symbols, by the names the library exports (as `C_ABI_SYMBOLS` lists them).
extern "C" {
    fn iox2js_publisher_loan(publisher: f64, elements: f64, zeroed: f64, info: *mut f64) -> f64;
    fn iox2js_subscriber_receive(subscriber: f64, a: f64, b: f64, info: *mut f64) -> f64;
    fn iox2js_sample_send(sample: f64) -> f64;
    fn iox2js_close(handle: f64) -> f64;
    fn iox2js_unmap_span(handle: f64, address: f64) -> f64;
    fn iox2js_subscriber_has_samples(subscriber: f64, arg: f64) -> f64;
    fn iox2js_sample_span(sample: f64, info: *mut f64) -> *mut u8;
    fn iox2js_mapping_around(sample: f64, info: *mut f64) -> *mut u8;
    fn iox2js_publisher_send_copy(
        publisher: f64,
        payload: *const u8,
        payload_len: f64,
        header: *const u8,
        header_len: f64,
    ) -> f64;
}

#[test]
fn every_operation_has_a_symbol_of_its_shape() {
    let symbols: Vec<&str> = OPERATION_SYMBOLS
        .iter()
        .flat_map(|s| s.iter())
        .map(|s| s.name)
        .collect();
    assert!(symbols.contains(&"iox2js_sample_send"));
    assert!(symbols.contains(&"iox2js_listener_take"));
    let mut unique = symbols.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), symbols.len());
    let listed: Vec<usize> = [
        iox2js_core::bridge::CALL.len(),
        iox2js_core::bridge::CONSUME.len(),
        iox2js_core::bridge::MEMORY.len(),
        iox2js_core::bridge::VIEW.len(),
        iox2js_core::bridge::SEND_COPY.len(),
    ]
    .to_vec();
    assert_eq!(
        OPERATION_SYMBOLS
            .iter()
            .map(|s| s.len())
            .collect::<Vec<_>>(),
        listed
    );
}

#[test]
fn publish_subscribe_round_trip_through_the_c_abi() {
    assert_eq!(iox2js_abi_version(), ABI_VERSION);
    let prefix = format!("iox2js_ffi_test_{}_", std::process::id());
    let node = create(
        "node.create",
        0.0,
        &format!(r#"{{"config":{{"prefix":"{prefix}"}}}}"#),
    );
    assert!(node > 0.0);

    let service_spec = r#"{"name":"Ffi/Test","mode":"create","payload":{"variant":"fixedSize","typeName":"TransmissionData","size":16,"alignment":8}}"#;
    let service = create("pubsub.serviceOpen", node, service_spec);
    assert!(control("pubsub.serviceInfo", service, "")
        .unwrap()
        .contains(r#""typeName":"TransmissionData""#));

    let publisher = create("pubsub.publisherCreate", service, "{}");
    let subscriber = create("pubsub.subscriberCreate", service, "{}");
    assert!(publisher > 0.0 && subscriber > 0.0);

    let mut info = [0f64; SAMPLE_INFO_LEN];
    let made = unsafe { iox2js_publisher_loan(publisher, 1.0, 1.0, info.as_mut_ptr()) };
    assert_eq!(made, 1.0, "{}", last_message());
    // [handle, payload offset, payload length, user-header length, address, span length]
    assert_eq!(&info[1..4], &[0.0, 16.0, 0.0]);
    assert_eq!(info[5], 16.0);
    let base = info[4] as usize as *mut u8;
    unsafe { core::ptr::copy_nonoverlapping([42u8; 16].as_ptr(), base, 16) };
    assert_eq!(unsafe { iox2js_sample_send(info[0]) }, 1.0);

    assert_eq!(
        unsafe { iox2js_subscriber_receive(subscriber, 0.0, 0.0, info.as_mut_ptr()) },
        1.0
    );
    let received = info[0];
    let mut span = [0f64; SAMPLE_INFO_LEN];
    let own = unsafe { iox2js_sample_span(received, span.as_mut_ptr()) };
    assert!(!own.is_null());
    assert_eq!(span[1], 16.0);
    assert_eq!(unsafe { core::slice::from_raw_parts(own, 16) }, &[42u8; 16]);
    let mapping = unsafe { iox2js_mapping_around(received, span.as_mut_ptr()) };
    assert!(!mapping.is_null() && span[0] <= info[4] && info[4] + 16.0 <= span[0] + span[1]);
    assert_eq!(unsafe { iox2js_unmap_span(0.0, own as usize as f64) }, 0.0);
    assert_eq!(unsafe { iox2js_close(received) }, 1.0);
    assert_eq!(
        unsafe { iox2js_subscriber_receive(subscriber, 0.0, 0.0, info.as_mut_ptr()) },
        0.0
    );
    assert_eq!(info[0], 0.0);
    assert!(unsafe { iox2js_sample_span(received, span.as_mut_ptr()) }.is_null());
    assert_eq!(span[0], -3.0, "a closed sample has no span");

    let payload = [1u8; 16];
    assert_eq!(
        unsafe {
            iox2js_publisher_send_copy(publisher, payload.as_ptr(), 16.0, core::ptr::null(), 0.0)
        },
        1.0
    );
    assert_eq!(
        unsafe { iox2js_subscriber_has_samples(subscriber, 0.0) },
        1.0
    );
    assert_eq!(unsafe { iox2js_close(node) }, 1.0);
    assert_eq!(unsafe { iox2js_close(node) }, 0.0);
    // iceoryx2 keeps one management segment per prefix; this test's prefix is its own.
    for entry in std::fs::read_dir("/dev/shm").unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
}

#[test]
fn failures_are_negated_kind_codes_with_a_message() {
    assert_eq!(unsafe { iox2js_sample_send(12345.0) }, -3.0);
    assert!(iox2js_error_kind_name(3) > 0.0);
    assert_eq!(last_message(), "HandleClosed");

    let (kind, message) = control("node.create", 0.0, "{not json").unwrap_err();
    assert_eq!(kind, -1.0);
    assert!(message.contains("invalid arguments for node.create"));
    assert_eq!(control("no.such.op", 0.0, "").unwrap_err().0, -1.0);

    let invalid_utf8 = [0xffu8, 0xfe];
    assert_eq!(
        unsafe { iox2js_control(b"node.create".as_ptr(), 11, 0.0, invalid_utf8.as_ptr(), 2) },
        -1.0
    );
    assert_eq!(
        unsafe { iox2js_control(core::ptr::null(), 5, 0.0, core::ptr::null(), 0) },
        -1.0
    );
    assert_eq!(
        unsafe { iox2js_publisher_loan(1.0, 1.0, 0.0, core::ptr::null_mut()) },
        -1.0
    );

    let mut info = [0f64; SAMPLE_INFO_LEN];
    assert_eq!(
        unsafe { iox2js_publisher_loan(f64::NAN, 1.0, 0.0, info.as_mut_ptr()) },
        -3.0
    );
    assert_eq!(info[0], -3.0);
    assert!(unsafe { iox2js_mapping_around(12345.0, info.as_mut_ptr()) }.is_null());
    assert_eq!(info[0], -3.0);
    assert!(unsafe { iox2js_mapping_around(1.0, core::ptr::null_mut()) }.is_null());
    for bad in [f64::NAN, -1.0, 0.5, f64::INFINITY] {
        assert_eq!(
            unsafe {
                iox2js_publisher_send_copy(1.0, core::ptr::null(), bad, core::ptr::null(), 0.0)
            },
            -1.0
        );
    }
    for forged in [-1.0, 0.0, 1e300, f64::INFINITY, 3.5, 9007199254740991.0] {
        assert_eq!(unsafe { iox2js_close(forged) }, 0.0);
        assert!(unsafe { iox2js_subscriber_has_samples(forged, 0.0) } < 0.0);
    }
    assert_eq!(iox2js_waker_start(None), -1.0);
    assert_eq!(
        iox2js_error_kind_count() as usize,
        iox2js_core::ErrorKind::ALL.len()
    );
}
