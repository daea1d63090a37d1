//! C-ABI front of iceoryx2-js for `Deno.dlopen` and `bun:ffi`: a thin layer over
//! `iox2js_core`, shaped for JavaScript FFI.
//!
//! Conventions (see `docs/c-abi.md`):
//! - handles are `f64` holding an integer below 2^53, so JS passes plain numbers (fast paths);
//! - a call that yields a handle or a count returns it as `f64`; failures return the negated
//!   error-kind code (`-kind`), and `iox2js_last_message` copies the message out;
//! - calls that yield sample memory return its base pointer (null for "none" or failure) and
//!   write `[handle or -kind, payload offset, payload length, user-header length, span length]`
//!   into a caller-owned `f64[5]`;
//! - strings go in as (pointer, byte length) UTF-8, come out through `iox2js_last_message`;
//! - no structs by value, no callbacks, and no panic unwinds across the boundary.

use core::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use iox2js_core::{handles, Error, ErrorKind, Handle, Result, SampleMemory};

/// Bumped whenever a symbol's signature or meaning changes; the JS loaders check it.
pub const ABI_VERSION: u32 = 1;

/// Length of the `info` array that sample calls fill.
pub const SAMPLE_INFO_LEN: usize = 5;

thread_local! {
    /// The last error message or string result of this thread.
    static LAST_MESSAGE: RefCell<String> = const { RefCell::new(String::new()) };
}

fn set_message(message: String) {
    LAST_MESSAGE.with(|m| *m.borrow_mut() = message);
}

fn fail(error: Error) -> f64 {
    let code = error.kind.code();
    set_message(error.message);
    -(code as f64)
}

/// Runs `body`, turning errors and panics into the negated kind code.
fn guard(body: impl FnOnce() -> Result<f64>) -> f64 {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => value,
        Ok(Err(error)) => fail(error),
        Err(_) => fail(Error::new(ErrorKind::InternalFailure, "a native panic was caught")),
    }
}

/// Borrows `len` bytes at `ptr` as UTF-8.
///
/// # Safety
/// `ptr` must be null (then `len` must be 0) or point to `len` readable bytes for the call.
unsafe fn utf8<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str> {
    let bytes = unsafe { bytes(ptr, len, what)? };
    core::str::from_utf8(bytes).map_err(|e| Error::invalid_argument(format!("{what} is not valid UTF-8: {e}")))
}

/// # Safety
/// As [`utf8`].
unsafe fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8]> {
    match (ptr.is_null(), len) {
        (true, 0) => Ok(&[]),
        (true, _) => Err(Error::invalid_argument(format!("{what} is a null pointer with length {len}"))),
        // SAFETY: the caller guarantees `len` readable bytes at a non-null `ptr`.
        (false, _) => Ok(unsafe { core::slice::from_raw_parts(ptr, len) }),
    }
}

fn count(value: f64, what: &str) -> Result<usize> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= u32::MAX as f64 {
        Ok(value as usize)
    } else {
        Err(Error::invalid_argument(format!("{what} must be a non-negative integer, got {value}")))
    }
}

fn handle_f64(handle: Handle) -> f64 {
    handle as f64
}

/// Writes sample layout to `info` and returns the span's base pointer; on failure writes `-kind`
/// to `info[0]` and returns null. `Ok(None)` ("no sample") writes 0.
///
/// # Safety
/// `info` must point to `SAMPLE_INFO_LEN` writable `f64`s.
unsafe fn sample_out(info: *mut f64, body: impl FnOnce() -> Result<Option<(Handle, SampleMemory)>>) -> *mut u8 {
    if info.is_null() {
        set_message("the sample info pointer is null".into());
        return core::ptr::null_mut();
    }
    // SAFETY: checked non-null; the caller guarantees SAMPLE_INFO_LEN writable f64s.
    let info = unsafe { core::slice::from_raw_parts_mut(info, SAMPLE_INFO_LEN) };
    let outcome = catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|_| Err(Error::new(ErrorKind::InternalFailure, "a native panic was caught")));
    match outcome {
        Ok(Some((handle, memory))) => {
            info.copy_from_slice(&[
                handle_f64(handle),
                memory.payload_offset as f64,
                memory.payload_len as f64,
                memory.user_header_len as f64,
                memory.len as f64,
            ]);
            memory.base
        }
        Ok(None) => {
            info.fill(0.0);
            core::ptr::null_mut()
        }
        Err(error) => {
            info.fill(0.0);
            info[0] = fail(error);
            core::ptr::null_mut()
        }
    }
}

#[no_mangle]
pub extern "C" fn iox2js_abi_version() -> u32 {
    ABI_VERSION
}

/// Number of error kinds; kind codes are 1..=count.
#[no_mangle]
pub extern "C" fn iox2js_error_kind_count() -> u32 {
    ErrorKind::ALL.len() as u32
}

/// Stores the name of error kind `code` as the last message; returns its length or -1.
#[no_mangle]
pub extern "C" fn iox2js_error_kind_name(code: i32) -> f64 {
    match ErrorKind::from_code(code) {
        Some(kind) => {
            set_message(kind.name().into());
            kind.name().len() as f64
        }
        None => -1.0,
    }
}

/// Stores the linked iceoryx2 version as the last message; returns its length.
#[no_mangle]
pub extern "C" fn iox2js_iceoryx2_version() -> f64 {
    set_message(iox2js_core::ICEORYX2_VERSION.into());
    iox2js_core::ICEORYX2_VERSION.len() as f64
}

/// Copies up to `capacity` bytes of the last message (UTF-8) into `buffer`; returns the
/// message's full length (as `f64`, like every count this ABI returns).
///
/// # Safety
/// `buffer` must be null or point to `capacity` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn iox2js_last_message(buffer: *mut u8, capacity: usize) -> f64 {
    LAST_MESSAGE.with(|message| {
        let message = message.borrow();
        let n = message.len().min(capacity);
        if !buffer.is_null() && n > 0 {
            // SAFETY: the caller guarantees `capacity` writable bytes; n <= capacity.
            unsafe { core::ptr::copy_nonoverlapping(message.as_ptr(), buffer, n) };
        }
        message.len() as f64
    })
}

#[no_mangle]
pub extern "C" fn iox2js_set_log_level(level: u32) -> f64 {
    guard(|| iox2js_core::set_log_level(level).map(|_| 0.0))
}

#[no_mangle]
pub extern "C" fn iox2js_open_handle_count() -> f64 {
    handles::open_count() as f64
}

/// Closes any handle and its children; returns 1 if it was open, 0 if already closed.
#[no_mangle]
pub extern "C" fn iox2js_close(handle: f64) -> f64 {
    guard(|| Ok(handles::from_f64(handle).map(iox2js_core::close).unwrap_or(false) as u8 as f64))
}

/// # Safety
/// `spec` must point to `spec_len` readable bytes (JSON `NodeSpec`).
#[no_mangle]
pub unsafe extern "C" fn iox2js_node_create(spec: *const u8, spec_len: usize) -> f64 {
    guard(|| {
        let spec = unsafe { utf8(spec, spec_len, "node spec")? };
        iox2js_core::node::node_create(spec).map(handle_f64)
    })
}

/// Stores the node's name as the last message; returns its length.
#[no_mangle]
pub extern "C" fn iox2js_node_name(node: f64) -> f64 {
    guard(|| {
        let name = iox2js_core::node::node_name(handles::from_f64(node)?)?;
        let len = name.len();
        set_message(name);
        Ok(len as f64)
    })
}

/// # Safety
/// `spec` must point to `spec_len` readable bytes (JSON `PubSubServiceSpec`).
#[no_mangle]
pub unsafe extern "C" fn iox2js_pubsub_service_open(node: f64, spec: *const u8, spec_len: usize) -> f64 {
    guard(|| {
        let spec = unsafe { utf8(spec, spec_len, "service spec")? };
        iox2js_core::pubsub::service_open(handles::from_f64(node)?, spec).map(handle_f64)
    })
}

/// Stores the service's static configuration (JSON) as the last message; returns its length.
#[no_mangle]
pub extern "C" fn iox2js_pubsub_service_info(service: f64) -> f64 {
    guard(|| {
        let info = iox2js_core::pubsub::service_info(handles::from_f64(service)?)?;
        let len = info.len();
        set_message(info);
        Ok(len as f64)
    })
}

/// # Safety
/// `spec` must point to `spec_len` readable bytes (JSON `PublisherSpec`).
#[no_mangle]
pub unsafe extern "C" fn iox2js_publisher_create(service: f64, spec: *const u8, spec_len: usize) -> f64 {
    guard(|| {
        let spec = unsafe { utf8(spec, spec_len, "publisher spec")? };
        iox2js_core::pubsub::publisher_create(handles::from_f64(service)?, spec).map(handle_f64)
    })
}

/// # Safety
/// `spec` must point to `spec_len` readable bytes (JSON `SubscriberSpec`).
#[no_mangle]
pub unsafe extern "C" fn iox2js_subscriber_create(service: f64, spec: *const u8, spec_len: usize) -> f64 {
    guard(|| {
        let spec = unsafe { utf8(spec, spec_len, "subscriber spec")? };
        iox2js_core::pubsub::subscriber_create(handles::from_f64(service)?, spec).map(handle_f64)
    })
}

/// Loans a sample of `elements` payload elements; see the module docs for `info`.
///
/// # Safety
/// `info` must point to `SAMPLE_INFO_LEN` writable `f64`s.
#[no_mangle]
pub unsafe extern "C" fn iox2js_publisher_loan(publisher: f64, elements: f64, zeroed: u32, info: *mut f64) -> *mut u8 {
    unsafe {
        sample_out(info, || {
            let elements = count(elements, "elements")?;
            iox2js_core::pubsub::publisher_loan(handles::from_f64(publisher)?, elements, zeroed != 0).map(Some)
        })
    }
}

/// Sends a loaned sample (the caller must have detached its views); returns subscribers reached.
#[no_mangle]
pub extern "C" fn iox2js_sample_send(sample: f64) -> f64 {
    guard(|| iox2js_core::pubsub::sample_send(handles::from_f64(sample)?).map(|n| n as f64))
}

/// Loans, copies `payload` and `user_header` (may be null with length 0) in, and sends.
///
/// # Safety
/// `payload` must point to `payload_len` readable bytes, `user_header` to `user_header_len`.
#[no_mangle]
pub unsafe extern "C" fn iox2js_publisher_send_copy(
    publisher: f64,
    payload: *const u8,
    payload_len: usize,
    user_header: *const u8,
    user_header_len: usize,
) -> f64 {
    guard(|| {
        let payload = unsafe { bytes(payload, payload_len, "payload")? };
        let user_header = unsafe { bytes(user_header, user_header_len, "user header")? };
        iox2js_core::pubsub::publisher_send_copy(handles::from_f64(publisher)?, payload, user_header)
            .map(|n| n as f64)
    })
}

#[no_mangle]
pub extern "C" fn iox2js_publisher_update_connections(publisher: f64) -> f64 {
    guard(|| iox2js_core::pubsub::publisher_update_connections(handles::from_f64(publisher)?).map(|_| 0.0))
}

/// Takes the next sample: returns its base pointer, or null with `info[0] == 0` when none waits
/// (`info[0] < 0` on failure).
///
/// # Safety
/// `info` must point to `SAMPLE_INFO_LEN` writable `f64`s.
#[no_mangle]
pub unsafe extern "C" fn iox2js_subscriber_receive(subscriber: f64, info: *mut f64) -> *mut u8 {
    unsafe { sample_out(info, || iox2js_core::pubsub::subscriber_receive(handles::from_f64(subscriber)?)) }
}

/// 1 when samples are waiting, 0 when not.
#[no_mangle]
pub extern "C" fn iox2js_subscriber_has_samples(subscriber: f64) -> f64 {
    guard(|| iox2js_core::pubsub::subscriber_has_samples(handles::from_f64(subscriber)?).map(|b| b as u8 as f64))
}
