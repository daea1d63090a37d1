//! Drives the C ABI exactly as the Deno and Bun adapters do: operation codes learned by name,
//! UTF-8 JSON by pointer and length, f64 handles, negated kind codes, and the sample info array.

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

/// The code of operation `name` of `shape` ("call", "memory", "view", "sendCopy").
fn code(shape: &str, name: &str) -> u32 {
    let names: serde_json::Value = serde_json::from_str(&control("ops", 0.0, "").unwrap()).unwrap();
    let list = names[shape].as_array().unwrap();
    list.iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no {shape} op {name}")) as u32
        + 1
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
    let made = unsafe {
        iox2js_memory(
            code("memory", "publisherLoan"),
            publisher,
            1.0,
            1.0,
            info.as_mut_ptr(),
        )
    };
    assert_eq!(made, 1.0, "{}", last_message());
    // [handle, payload offset, payload length, user-header length, address, span length]
    assert_eq!(&info[1..4], &[0.0, 16.0, 0.0]);
    assert_eq!(info[5], 16.0);
    let base = info[4] as usize as *mut u8;
    unsafe { core::ptr::copy_nonoverlapping([42u8; 16].as_ptr(), base, 16) };
    assert_eq!(iox2js_call(code("call", "sampleSend"), info[0], 0.0), 1.0);

    let receive = code("memory", "subscriberReceive");
    assert_eq!(
        unsafe { iox2js_memory(receive, subscriber, 0.0, 0.0, info.as_mut_ptr()) },
        1.0
    );
    let received = info[0];
    let mut span = [0f64; SAMPLE_INFO_LEN];
    let own = unsafe { iox2js_view(code("view", "sampleSpan"), received, span.as_mut_ptr()) };
    assert!(!own.is_null());
    assert_eq!(span[1], 16.0);
    assert_eq!(unsafe { core::slice::from_raw_parts(own, 16) }, &[42u8; 16]);
    let mapping =
        unsafe { iox2js_view(code("view", "mappingAround"), received, span.as_mut_ptr()) };
    assert!(!mapping.is_null() && span[0] <= info[4] && info[4] + 16.0 <= span[0] + span[1]);
    let close = code("call", "close");
    assert_eq!(
        iox2js_call(code("call", "unmapSpan"), 0.0, own as usize as f64),
        0.0
    );
    assert_eq!(iox2js_call(close, received, 0.0), 1.0);
    assert_eq!(
        unsafe { iox2js_memory(receive, subscriber, 0.0, 0.0, info.as_mut_ptr()) },
        0.0
    );
    assert_eq!(info[0], 0.0);
    assert!(
        unsafe { iox2js_view(code("view", "sampleSpan"), received, span.as_mut_ptr()) }.is_null()
    );
    assert_eq!(span[0], -3.0, "a closed sample has no span");

    let payload = [1u8; 16];
    let send_copy = code("sendCopy", "publisherSendCopy");
    assert_eq!(
        unsafe {
            iox2js_send_copy(
                send_copy,
                publisher,
                payload.as_ptr(),
                16.0,
                core::ptr::null(),
                0.0,
            )
        },
        1.0
    );
    assert_eq!(
        iox2js_call(code("call", "subscriberHasSamples"), subscriber, 0.0),
        1.0
    );
    assert_eq!(iox2js_call(close, node, 0.0), 1.0);
    assert_eq!(iox2js_call(close, node, 0.0), 0.0);
    // iceoryx2 keeps one management segment per prefix; this test's prefix is its own.
    for entry in std::fs::read_dir("/dev/shm").unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
}

#[test]
fn failures_are_negated_kind_codes_with_a_message() {
    let code_of = |name| code("call", name);
    assert_eq!(iox2js_call(code_of("sampleSend"), 12345.0, 0.0), -3.0);
    assert!(iox2js_error_kind_name(3) > 0.0);
    assert_eq!(last_message(), "HandleClosed");

    let (kind, message) = control("node.create", 0.0, "{not json").unwrap_err();
    assert_eq!(kind, -1.0);
    assert!(message.contains("invalid arguments for node.create"));
    assert_eq!(control("no.such.op", 0.0, "").unwrap_err().0, -1.0);
    assert_eq!(iox2js_call(0, 1.0, 0.0), -1.0);
    assert_eq!(iox2js_call(u32::MAX, 1.0, 0.0), -1.0);

    let invalid_utf8 = [0xffu8, 0xfe];
    assert_eq!(
        unsafe { iox2js_control(b"node.create".as_ptr(), 11, 0.0, invalid_utf8.as_ptr(), 2) },
        -1.0
    );
    assert_eq!(
        unsafe { iox2js_control(core::ptr::null(), 5, 0.0, core::ptr::null(), 0) },
        -1.0
    );
    let loan = code("memory", "publisherLoan");
    assert_eq!(
        unsafe { iox2js_memory(loan, 1.0, 1.0, 0.0, core::ptr::null_mut()) },
        -1.0
    );

    let mut info = [0f64; SAMPLE_INFO_LEN];
    assert_eq!(
        unsafe { iox2js_memory(loan, f64::NAN, 1.0, 0.0, info.as_mut_ptr()) },
        -3.0
    );
    assert_eq!(info[0], -3.0);
    assert_eq!(
        unsafe { iox2js_memory(999, 1.0, 1.0, 0.0, info.as_mut_ptr()) },
        -1.0
    );
    assert_eq!(info[0], -1.0);
    assert!(unsafe { iox2js_view(1, 12345.0, info.as_mut_ptr()) }.is_null());
    assert_eq!(info[0], -3.0);
    assert!(unsafe { iox2js_view(1, 1.0, core::ptr::null_mut()) }.is_null());
    let send_copy = code("sendCopy", "publisherSendCopy");
    for bad in [f64::NAN, -1.0, 0.5, f64::INFINITY] {
        assert_eq!(
            unsafe {
                iox2js_send_copy(
                    send_copy,
                    1.0,
                    core::ptr::null(),
                    bad,
                    core::ptr::null(),
                    0.0,
                )
            },
            -1.0
        );
    }
    for forged in [-1.0, 0.0, 1e300, f64::INFINITY, 3.5, 9007199254740991.0] {
        assert_eq!(iox2js_call(code_of("close"), forged, 0.0), 0.0);
        assert!(iox2js_call(code_of("subscriberHasSamples"), forged, 0.0) < 0.0);
    }
    assert_eq!(iox2js_waker_start(None), -1.0);
    assert_eq!(
        iox2js_error_kind_count() as usize,
        iox2js_core::ErrorKind::ALL.len()
    );
}
