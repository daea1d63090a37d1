//! Drives the C ABI exactly as the Deno and Bun adapters do: UTF-8 specs by pointer and length,
//! f64 handles, negated kind codes, and the sample info array.

use iox2js_ffi::*;

fn last_message() -> String {
    let len = unsafe { iox2js_last_message(core::ptr::null_mut(), 0) } as usize;
    let mut buffer = vec![0u8; len];
    unsafe { iox2js_last_message(buffer.as_mut_ptr(), buffer.len()) };
    String::from_utf8(buffer).unwrap()
}

fn json(text: &str) -> (*const u8, usize) {
    (text.as_ptr(), text.len())
}

#[test]
fn publish_subscribe_round_trip_through_the_c_abi() {
    assert_eq!(iox2js_abi_version(), ABI_VERSION);
    let prefix = format!("iox2js_ffi_test_{}_", std::process::id());
    let node_spec = format!(r#"{{"config":{{"prefix":"{prefix}"}}}}"#);
    let (ptr, len) = json(&node_spec);
    let node = unsafe { iox2js_node_create(ptr, len) };
    assert!(node > 0.0, "{}", last_message());

    let service_spec = r#"{"name":"Ffi/Test","mode":"create","payload":{"variant":"fixedSize","typeName":"TransmissionData","size":16,"alignment":8}}"#;
    let (ptr, len) = json(service_spec);
    let service = unsafe { iox2js_pubsub_service_open(node, ptr, len) };
    assert!(service > 0.0, "{}", last_message());
    assert!(iox2js_pubsub_service_info(service) > 0.0);
    assert!(last_message().contains(r#""typeName":"TransmissionData""#));

    let publisher = unsafe { iox2js_publisher_create(service, b"{}".as_ptr(), 2) };
    let subscriber = unsafe { iox2js_subscriber_create(service, b"{}".as_ptr(), 2) };
    assert!(publisher > 0.0 && subscriber > 0.0);

    let mut info = [0f64; SAMPLE_INFO_LEN];
    let base = unsafe { iox2js_publisher_loan(publisher, 1.0, 1, info.as_mut_ptr()) };
    assert!(!base.is_null(), "{}", last_message());
    assert_eq!(&info[1..], &[0.0, 16.0, 0.0, 16.0]);
    unsafe { core::ptr::copy_nonoverlapping([42u8; 16].as_ptr(), base, 16) };
    assert_eq!(iox2js_sample_send(info[0]), 1.0);

    let base = unsafe { iox2js_subscriber_receive(subscriber, info.as_mut_ptr()) };
    assert!(!base.is_null());
    assert_eq!(unsafe { core::slice::from_raw_parts(base, 16) }, &[42u8; 16]);
    assert_eq!(iox2js_close(info[0]), 1.0);
    assert!(unsafe { iox2js_subscriber_receive(subscriber, info.as_mut_ptr()) }.is_null());
    assert_eq!(info[0], 0.0);

    let payload = [1u8; 16];
    assert_eq!(unsafe { iox2js_publisher_send_copy(publisher, payload.as_ptr(), 16, core::ptr::null(), 0) }, 1.0);
    assert_eq!(iox2js_subscriber_has_samples(subscriber), 1.0);
    assert_eq!(iox2js_close(node), 1.0);
    assert_eq!(iox2js_close(node), 0.0);
    // iceoryx2 keeps one management segment per prefix; this test's prefix is its own.
    for entry in std::fs::read_dir("/dev/shm").unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
}

#[test]
fn failures_are_negated_kind_codes_with_a_message() {
    let code = iox2js_sample_send(12345.0);
    assert_eq!(code, -3.0);
    assert!(iox2js_error_kind_name(3) > 0.0);
    assert_eq!(last_message(), "HandleClosed");

    let bad = b"{not json";
    let code = unsafe { iox2js_node_create(bad.as_ptr(), bad.len()) };
    assert_eq!(code, -1.0);
    assert!(last_message().contains("invalid node options"));

    let invalid_utf8 = [0xffu8, 0xfe];
    assert_eq!(unsafe { iox2js_node_create(invalid_utf8.as_ptr(), 2) }, -1.0);
    assert_eq!(unsafe { iox2js_node_create(core::ptr::null(), 5) }, -1.0);
    assert!(unsafe { iox2js_publisher_loan(1.0, 1.0, 0, core::ptr::null_mut()) }.is_null());

    let mut info = [0f64; SAMPLE_INFO_LEN];
    assert!(unsafe { iox2js_publisher_loan(f64::NAN, 1.0, 0, info.as_mut_ptr()) }.is_null());
    assert_eq!(info[0], -3.0);
    for forged in [-1.0, 0.0, 1e300, f64::INFINITY, 3.5, 9007199254740991.0] {
        assert_eq!(iox2js_close(forged), 0.0);
        assert!(iox2js_subscriber_has_samples(forged) < 0.0);
    }
    assert_eq!(iox2js_error_kind_count() as usize, iox2js_core::ErrorKind::ALL.len());
}
