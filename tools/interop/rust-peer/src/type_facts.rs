//! Prints, as JSON lines, how Rust and `iceoryx2-bb-container` 0.10 lay out the types a
//! TypeScript process must match byte for byte: name (as iceoryx2 compares it), size, alignment
//! and the offsets inside. `tools/interop/test/type-facts.test.ts` builds the same types with
//! the TS layout API and compares every fact.

use core::fmt::Debug;
use core::mem::{align_of, offset_of, size_of};

use iceoryx2::prelude::*;
use iceoryx2_bb_container::queue::FixedSizeQueue;
use iceoryx2_bb_container::string::{StaticString, StringMemoryLayoutMetrics};
use iceoryx2_bb_container::vector::{StaticVec, VectorMemoryLayoutMetrics};

/// The struct of upstream's cross-language complex-type example, with smaller capacities.
#[derive(Debug, Default, PlacementDefault, ZeroCopySend)]
#[repr(C)]
struct FullName {
    first_name: StaticString<15>,
    last_name: StaticString<15>,
}

#[derive(Debug, Default, PlacementDefault, ZeroCopySend)]
#[type_name("ComplexType")]
#[repr(C)]
struct ComplexType {
    address_book: StaticVec<FullName, 3>,
    some_matrix: StaticVec<StaticVec<f64, 2>, 2>,
    some_value: u16,
    another_value: u32,
    big: u128,
}

/// Upstream's complex_data_types example types, with smaller capacities.
#[derive(Debug, Default, PlacementDefault, ZeroCopySend)]
#[repr(C)]
struct ComplexData {
    name: StaticString<4>,
    data: StaticVec<u64, 4>,
}

#[derive(Debug, Default, PlacementDefault, ZeroCopySend)]
#[repr(C)]
struct ComplexDataType {
    plain_old_data: u64,
    text: StaticString<8>,
    vec_of_data: StaticVec<u64, 4>,
    vec_of_complex_data: StaticVec<ComplexData, 3>,
    a_queue_of_things: FixedSizeQueue<StaticString<4>, 2>,
}

#[allow(dead_code)] // only its layout is inspected
#[derive(Debug, Clone, Copy)]
#[repr(u8)]
enum Status {
    Idle = 0,
    Running = 1,
}

#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
#[repr(i32)]
enum Level {
    Low = -1,
    High = 1,
}

/// `iceoryx2`'s name for `T`, the one a service compares.
fn name<T: ZeroCopySend>() -> String {
    // SAFETY: reads the type's name; the caller's layouts are the subject being checked.
    unsafe { <T as ZeroCopySend>::type_name() }.to_string()
}

fn json_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn fact(
    case: &str,
    type_name: Option<String>,
    size: usize,
    alignment: usize,
    offsets: &[(&str, usize)],
) {
    let offsets: Vec<String> = offsets
        .iter()
        .map(|(field, offset)| format!("{}:{offset}", json_string(field)))
        .collect();
    let type_name = type_name.map_or("null".to_string(), |n| json_string(&n));
    println!(
        "{{\"case\":{},\"typeName\":{type_name},\"size\":{size},\"alignment\":{alignment},\"offsets\":{{{}}}}}",
        json_string(case),
        offsets.join(",")
    );
}

fn string_fact<const N: usize>() {
    let metrics = StringMemoryLayoutMetrics::from_string(&StaticString::<N>::new());
    fact(
        &format!("StaticString<{N}>"),
        Some(name::<StaticString<N>>()),
        metrics.string_size,
        metrics.string_alignment,
        &[("data", metrics.offset_data), ("len", metrics.offset_len)],
    );
}

fn vec_fact<T: ZeroCopySend, const N: usize>(case: &str) {
    let metrics = VectorMemoryLayoutMetrics::from_vector(&StaticVec::<T, N>::new());
    fact(
        case,
        Some(name::<StaticVec<T, N>>()),
        metrics.vector_size,
        metrics.vector_alignment,
        &[("data", metrics.offset_data), ("len", metrics.offset_len)],
    );
}

/// A queue's layout: its size and alignment, and where its first element lands (`data`).
fn queue_fact<T: Default + Debug, const N: usize>(case: &str) {
    let mut queue = FixedSizeQueue::<T, N>::default();
    assert!(queue.push(T::default()));
    let base = core::ptr::addr_of!(queue) as usize;
    let data = queue.peek().map(|first| first as *const T as usize - base);
    fact(
        case,
        None,
        size_of::<FixedSizeQueue<T, N>>(),
        align_of::<FixedSizeQueue<T, N>>(),
        &[("data", data.expect("one element was pushed"))],
    );
}

/// The state of a `FixedSizeQueue<u32, 3>` after push 1, 2, 3, pop, push 4, push with overflow
/// 5, as its memory holds it: distance, start, len, capacity, is_initialized, then the slots.
fn queue_state() {
    let mut queue = FixedSizeQueue::<u32, 3>::default();
    for value in [1, 2, 3] {
        assert!(queue.push(value));
    }
    assert_eq!(queue.pop(), Some(1));
    assert!(queue.push(4));
    assert_eq!(queue.push_with_overflow(5), Some(2));
    // SAFETY: reads the queue's own initialised bytes (padding 33..40 is skipped).
    let bytes = unsafe {
        core::slice::from_raw_parts(
            core::ptr::addr_of!(queue).cast::<u8>(),
            size_of::<FixedSizeQueue<u32, 3>>(),
        )
    };
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let slot = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    println!(
        "{{\"distance\":{},\"start\":{},\"len\":{},\"capacity\":{},\"initialized\":{},\"slots\":[{},{},{}]}}",
        word(0) as i64,
        word(8),
        word(16),
        word(24),
        bytes[32],
        slot(40),
        slot(44),
        slot(48)
    );
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--queue-state") {
        queue_state();
        return;
    }
    for (case, type_name, size, alignment) in [
        (
            "u128",
            name::<u128>(),
            size_of::<u128>(),
            align_of::<u128>(),
        ),
        (
            "i128",
            name::<i128>(),
            size_of::<i128>(),
            align_of::<i128>(),
        ),
        (
            "usize",
            name::<usize>(),
            size_of::<usize>(),
            align_of::<usize>(),
        ),
        (
            "isize",
            name::<isize>(),
            size_of::<isize>(),
            align_of::<isize>(),
        ),
        (
            "char",
            name::<char>(),
            size_of::<char>(),
            align_of::<char>(),
        ),
    ] {
        fact(case, Some(type_name), size, alignment, &[]);
    }
    string_fact::<1>();
    string_fact::<7>();
    string_fact::<8>();
    string_fact::<64>();
    string_fact::<256>();
    vec_fact::<u8, 1>("StaticVec<u8, 1>");
    vec_fact::<u8, 3>("StaticVec<u8, 3>");
    vec_fact::<u64, 32>("StaticVec<u64, 32>");
    vec_fact::<u128, 1>("StaticVec<u128, 1>");
    vec_fact::<StaticVec<f64, 8>, 8>("StaticVec<StaticVec<f64, 8>, 8>");
    vec_fact::<StaticString<64>, 4>("StaticVec<StaticString<64>, 4>");
    fact(
        "FullName",
        None,
        size_of::<FullName>(),
        align_of::<FullName>(),
        &[
            ("first_name", offset_of!(FullName, first_name)),
            ("last_name", offset_of!(FullName, last_name)),
        ],
    );
    fact(
        "ComplexType",
        Some(name::<ComplexType>()),
        size_of::<ComplexType>(),
        align_of::<ComplexType>(),
        &[
            ("address_book", offset_of!(ComplexType, address_book)),
            ("some_matrix", offset_of!(ComplexType, some_matrix)),
            ("some_value", offset_of!(ComplexType, some_value)),
            ("another_value", offset_of!(ComplexType, another_value)),
            ("big", offset_of!(ComplexType, big)),
        ],
    );
    fact(
        "Status",
        None,
        size_of::<Status>(),
        align_of::<Status>(),
        &[],
    );
    fact("Level", None, size_of::<Level>(), align_of::<Level>(), &[]);
    queue_fact::<u32, 3>("FixedSizeQueue<u32, 3>");
    queue_fact::<u128, 2>("FixedSizeQueue<u128, 2>");
    queue_fact::<StaticString<4>, 2>("FixedSizeQueue<StaticString<4>, 2>");
    fact(
        "ComplexDataType",
        None,
        size_of::<ComplexDataType>(),
        align_of::<ComplexDataType>(),
        &[
            (
                "plain_old_data",
                offset_of!(ComplexDataType, plain_old_data),
            ),
            ("text", offset_of!(ComplexDataType, text)),
            ("vec_of_data", offset_of!(ComplexDataType, vec_of_data)),
            (
                "vec_of_complex_data",
                offset_of!(ComplexDataType, vec_of_complex_data),
            ),
            (
                "a_queue_of_things",
                offset_of!(ComplexDataType, a_queue_of_things),
            ),
        ],
    );
}
