//! Blackboard through the core API, as both fronts drive it.

use iox2js_core::{blackboard, close, ErrorKind, Handle, SampleMemory};

mod support;
use support::{fixed, isolated as isolated_in, Isolated};

fn isolated() -> Isolated {
    isolated_in("bb")
}

fn u64_type() -> String {
    fixed("u64", 8, 8)
}

fn bytes_json(bytes: &[u8]) -> String {
    format!("{bytes:?}")
}

fn entry_json(key: u64, value_type: &str, initial: &[u8]) -> String {
    format!(
        r#"{{"key":{},"value":{value_type},"initial":{}}}"#,
        bytes_json(&key.to_le_bytes()),
        bytes_json(initial)
    )
}

fn create_spec(entries: &[String]) -> String {
    format!(
        r#"{{"name":"Core/Blackboard","mode":"create","key":{},"entries":[{}]}}"#,
        u64_type(),
        entries.join(",")
    )
}

fn request(key: u64, value_type: &str) -> String {
    format!(
        r#"{{"key":{},"value":{value_type}}}"#,
        bytes_json(&key.to_le_bytes())
    )
}

/// Creates a blackboard with key 1 → u64 7 and key 2 → u32 3.
fn two_entries(node: Handle) -> Handle {
    support::create(
        "blackboard.serviceOpen",
        node,
        &create_spec(&[
            entry_json(1, &u64_type(), &7u64.to_le_bytes()),
            entry_json(2, &fixed("u32", 4, 4), &3u32.to_le_bytes()),
        ]),
    )
    .unwrap()
}

/// Reads a reader entry: its generation counter and value bytes.
fn read(entry: Handle) -> (u64, Vec<u8>) {
    blackboard::entry_get(entry).unwrap();
    let (_, memory): (Handle, SampleMemory) = blackboard::entry_buffer(entry).unwrap();
    // SAFETY: the buffer belongs to the open entry and holds `len` bytes.
    let bytes = unsafe { core::slice::from_raw_parts(memory.base, memory.len) };
    let generation = u64::from_le_bytes(bytes[..8].try_into().unwrap());
    (generation, bytes[memory.payload_offset..].to_vec())
}

#[test]
fn readers_see_initial_values_and_updates() {
    let isolated = isolated();
    let service = two_entries(isolated.node);
    let writer = support::create("blackboard.writerCreate", service, "{}").unwrap();
    let reader = support::create("blackboard.readerCreate", service, "{}").unwrap();
    let number =
        support::create("blackboard.readerEntry", reader, &request(1, &u64_type())).unwrap();
    let small = support::create(
        "blackboard.readerEntry",
        reader,
        &request(2, &fixed("u32", 4, 4)),
    )
    .unwrap();
    let (first_generation, value) = read(number);
    assert_eq!(value, 7u64.to_le_bytes());
    assert_eq!(read(small).1, 3u32.to_le_bytes());

    let writable =
        support::create("blackboard.writerEntry", writer, &request(1, &u64_type())).unwrap();
    blackboard::entry_update(writable, &42u64.to_le_bytes()).unwrap();
    let (generation, value) = read(number);
    assert_eq!(value, 42u64.to_le_bytes());
    assert_ne!(generation, first_generation);
    assert_eq!(read(number).0, generation, "no update, same generation");
    // JS asks with the generation it read, written into the buffer's first 8 bytes.
    let ask = |generation: u64| {
        let (_, memory) = blackboard::entry_buffer(number).unwrap();
        // SAFETY: the buffer belongs to the open entry and starts with 8 bytes.
        unsafe { memory.base.cast::<u64>().write(generation) };
        blackboard::entry_is_up_to_date(number).unwrap()
    };
    assert!(ask(generation));
    assert!(!ask(first_generation));
    assert_eq!(
        blackboard::entry_id(writable).unwrap(),
        blackboard::entry_id(number).unwrap()
    );
    close(service);
    assert_eq!(
        blackboard::entry_get(number).unwrap_err().kind,
        ErrorKind::HandleClosed
    );
}

#[test]
fn loans_start_from_the_current_value_or_the_cell_as_is() {
    let isolated = isolated();
    let service = two_entries(isolated.node);
    let writer = support::create("blackboard.writerCreate", service, "{}").unwrap();
    let reader = support::create("blackboard.readerCreate", service, "{}").unwrap();
    let readable =
        support::create("blackboard.readerEntry", reader, &request(1, &u64_type())).unwrap();
    let writable =
        support::create("blackboard.writerEntry", writer, &request(1, &u64_type())).unwrap();
    // Several rounds, so both cells take their turn as the write cell.
    for round in 0..4u64 {
        let before = u64::from_le_bytes(read(readable).1.try_into().unwrap());
        let (loan, memory) = blackboard::entry_loan(writable, true).unwrap();
        // SAFETY: the loan is open and its memory holds 8 bytes.
        let cell = unsafe { core::slice::from_raw_parts_mut(memory.base, memory.len) };
        assert_eq!(u64::from_le_bytes(cell.try_into().unwrap()), before);
        assert_eq!(
            read(readable).1,
            before.to_le_bytes(),
            "invisible until update"
        );
        cell.copy_from_slice(&(before + round + 1).to_le_bytes());
        blackboard::entry_value_update(loan).unwrap();
        assert_eq!(read(readable).1, (before + round + 1).to_le_bytes());
    }
    // An uninitialized loan shows the cell as it was: the value before the current one.
    blackboard::entry_update(writable, &100u64.to_le_bytes()).unwrap();
    blackboard::entry_update(writable, &200u64.to_le_bytes()).unwrap();
    let (loan, memory) = blackboard::entry_loan(writable, false).unwrap();
    // SAFETY: as above.
    let cell = unsafe { core::slice::from_raw_parts(memory.base, memory.len) };
    assert_eq!(cell, 100u64.to_le_bytes());
    close(loan);
    assert_eq!(
        read(readable).1,
        200u64.to_le_bytes(),
        "a discarded loan publishes nothing"
    );
}

#[test]
fn one_loan_at_a_time_and_no_copy_during_a_loan() {
    let isolated = isolated();
    let service = two_entries(isolated.node);
    let writer = support::create("blackboard.writerCreate", service, "{}").unwrap();
    let writable =
        support::create("blackboard.writerEntry", writer, &request(1, &u64_type())).unwrap();
    let (loan, _) = blackboard::entry_loan(writable, true).unwrap();
    assert_eq!(
        blackboard::entry_loan(writable, true).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        blackboard::entry_update(writable, &1u64.to_le_bytes())
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );
    close(loan);
    blackboard::entry_update(writable, &1u64.to_le_bytes()).unwrap();
    assert_eq!(
        blackboard::entry_value_update(loan).unwrap_err().kind,
        ErrorKind::HandleClosed
    );
    assert_eq!(
        blackboard::entry_value_update(writable).unwrap_err().kind,
        ErrorKind::InvalidArgument,
        "a wrong kind of handle is refused and stays open"
    );
    blackboard::entry_update(writable, &2u64.to_le_bytes()).unwrap();
}

#[test]
fn missing_keys_and_mismatching_types_are_told_apart() {
    let isolated = isolated();
    let service = two_entries(isolated.node);
    let writer = support::create("blackboard.writerCreate", service, "{}").unwrap();
    let reader = support::create("blackboard.readerCreate", service, "{}").unwrap();
    for port in [writer, reader] {
        let entry = |spec: &str| {
            if port == writer {
                support::create("blackboard.writerEntry", port, spec)
            } else {
                support::create("blackboard.readerEntry", port, spec)
            }
        };
        assert_eq!(
            entry(&request(9, &u64_type())).unwrap_err().kind,
            ErrorKind::EntryNotFound
        );
        let mismatch = entry(&request(1, &fixed("i64", 8, 8))).unwrap_err();
        assert_eq!(mismatch.kind, ErrorKind::IncompatibleTypes);
        assert!(mismatch.message.contains("'i64'"), "{}", mismatch.message);
        assert_eq!(
            entry(r#"{"key":[1,0,0],"value":{"variant":"fixedSize","typeName":"u64","size":8,"alignment":8}}"#)
                .unwrap_err()
                .kind,
            ErrorKind::InvalidArgument
        );
    }
}

#[test]
fn keys_are_listed_and_must_be_unique() {
    let isolated = isolated();
    let service = two_entries(isolated.node);
    let keys = blackboard::list_keys(service).unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys.contains(&1u64.to_le_bytes().to_vec()));
    assert!(keys.contains(&2u64.to_le_bytes().to_vec()));
    close(service);

    let duplicate = support::create(
        "blackboard.serviceOpen",
        isolated.node,
        &create_spec(&[
            entry_json(5, &u64_type(), &[0; 8]),
            entry_json(5, &fixed("u32", 4, 4), &[0; 4]),
        ]),
    )
    .unwrap_err();
    assert_eq!(duplicate.kind, ErrorKind::InvalidArgument);
    assert!(
        duplicate.message.contains("repeats"),
        "{}",
        duplicate.message
    );
    assert_eq!(
        support::create("blackboard.serviceOpen", isolated.node, &create_spec(&[]))
            .unwrap_err()
            .kind,
        ErrorKind::InvalidArgument
    );
}

#[test]
fn one_writer_and_one_writable_handle_per_entry() {
    let isolated = isolated();
    let service = two_entries(isolated.node);
    let writer = support::create("blackboard.writerCreate", service, "{}").unwrap();
    assert_eq!(
        support::create("blackboard.writerCreate", service, "{}")
            .unwrap_err()
            .kind,
        ErrorKind::LimitReached
    );
    let writable =
        support::create("blackboard.writerEntry", writer, &request(1, &u64_type())).unwrap();
    assert_eq!(
        support::create("blackboard.writerEntry", writer, &request(1, &u64_type()))
            .unwrap_err()
            .kind,
        ErrorKind::LimitReached
    );
    close(writable);
    support::create("blackboard.writerEntry", writer, &request(1, &u64_type())).unwrap();
    close(writer);
    support::create("blackboard.writerCreate", service, "{}").unwrap();
}

#[test]
fn openers_need_the_same_key_type() {
    let isolated = isolated();
    let service = two_entries(isolated.node);
    let open = |key: &str| {
        support::create(
            "blackboard.serviceOpen",
            isolated.node,
            &format!(r#"{{"name":"Core/Blackboard","mode":"open","key":{key}}}"#),
        )
    };
    let opened = open(&u64_type()).unwrap();
    let info = blackboard::service_info(opened).unwrap();
    assert_eq!(info.key_type.type_name, "u64", "{info:?}");
    let reader = support::create("blackboard.readerCreate", opened, "{}").unwrap();
    let entry =
        support::create("blackboard.readerEntry", reader, &request(1, &u64_type())).unwrap();
    assert_eq!(read(entry).1, 7u64.to_le_bytes());

    let wrong = open(&fixed("u32", 4, 4)).unwrap_err();
    assert_eq!(wrong.kind, ErrorKind::IncompatibleTypes);
    assert!(
        wrong.message.contains("'u64'") && wrong.message.contains("'u32'"),
        "{}",
        wrong.message
    );
    let too_large = open(&fixed("Big", 72, 8)).unwrap_err();
    assert_eq!(too_large.kind, ErrorKind::InvalidArgument);
    close(service);
}

/// Upstream's `BlackboardKey { x: u32, y: i64, z: u16 }` (24 bytes, 10 of them padding) with the
/// padding filled with `padding`, as a Rust creator may leave it.
fn struct_key(x: u32, y: i64, z: u16, padding: u8) -> Vec<u8> {
    let mut key = vec![padding; 24];
    key[0..4].copy_from_slice(&x.to_le_bytes());
    key[8..16].copy_from_slice(&y.to_le_bytes());
    key[16..18].copy_from_slice(&z.to_le_bytes());
    key
}

#[test]
fn struct_keys_compare_field_by_field_ignoring_padding() {
    let isolated = isolated();
    let key_type = fixed("BlackboardKey", 24, 8);
    let entry = |key: Vec<u8>, initial: i32| {
        format!(
            r#"{{"key":{},"value":{},"initial":{}}}"#,
            bytes_json(&key),
            fixed("i32", 4, 4),
            bytes_json(&initial.to_le_bytes())
        )
    };
    let fields = "[[0,4],[8,8],[16,2]]";
    let spec = format!(
        r#"{{"name":"Core/Blackboard/StructKey","mode":"create","key":{key_type},"keyFields":{fields},"entries":[{},{}]}}"#,
        entry(struct_key(0, -4, 4, 0xAB), 3),
        entry(struct_key(1, -4, 4, 0xCD), 5),
    );
    let service = support::create("blackboard.serviceOpen", isolated.node, &spec).unwrap();
    let reader = support::create("blackboard.readerCreate", service, "{}").unwrap();
    let lookup = |key: Vec<u8>| {
        support::create(
            "blackboard.readerEntry",
            reader,
            &format!(
                r#"{{"key":{},"value":{}}}"#,
                bytes_json(&key),
                fixed("i32", 4, 4)
            ),
        )
    };
    // Zeroed padding (as JS writes keys) finds the entries whose padding is garbage.
    let (_, value) = read(lookup(struct_key(1, -4, 4, 0)).unwrap());
    assert_eq!(value[..4], 5i32.to_le_bytes());
    assert_eq!(
        lookup(struct_key(2, -4, 4, 0)).unwrap_err().kind,
        ErrorKind::EntryNotFound
    );

    // Keys that differ only in padding are the same key.
    let duplicate = format!(
        r#"{{"name":"Core/Blackboard/StructKeyDup","mode":"create","key":{key_type},"keyFields":{fields},"entries":[{},{}]}}"#,
        entry(struct_key(0, 1, 1, 0), 1),
        entry(struct_key(0, 1, 1, 0xFF), 2),
    );
    let error = support::create("blackboard.serviceOpen", isolated.node, &duplicate).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);

    // Compared bytewise (no keyFields: every byte counts), the same lookup misses, as openers here
    // did before keys were compared field by field.
    let bytewise = spec
        .replace(&format!(r#","keyFields":{fields}"#), "")
        .replace("StructKey\"", "StructKeyBytewise\"");
    let bytewise = support::create("blackboard.serviceOpen", isolated.node, &bytewise).unwrap();
    let bytewise_reader = support::create("blackboard.readerCreate", bytewise, "{}").unwrap();
    let missed = support::create(
        "blackboard.readerEntry",
        bytewise_reader,
        &format!(
            r#"{{"key":{},"value":{}}}"#,
            bytes_json(&struct_key(1, -4, 4, 0)),
            fixed("i32", 4, 4)
        ),
    );
    assert_eq!(missed.unwrap_err().kind, ErrorKind::EntryNotFound);
    close(bytewise);

    let outside = spec
        .replace(fields, "[[0,4],[20,8]]")
        .replace("StructKey\"", "StructKeyBad\"");
    let error = support::create("blackboard.serviceOpen", isolated.node, &outside).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert!(error.message.contains("20..28"), "{}", error.message);
    close(service);
}
