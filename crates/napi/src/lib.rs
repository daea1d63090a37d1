//! Node-API front of iceoryx2-js: converts JavaScript values to and from `iox2js_core` calls.
//! No iceoryx2 logic lives here.
//!
//! Every entry point that reaches iceoryx2 catches panics (`catch_unwind`), so none can abort
//! the process. Operations are dispatched by shape (`iox2js_core::ops`): control (JSON), call (numbers),
//! memory (a span of shared memory), send-copy (bytes). Errors are thrown as JS `Error`s whose
//! `code` is the core's error-kind name; `core-api` turns them into `Iox2Error`s. Sample memory
//! is described by numbers (handle, layout, address); buffers over shared memory are made by the
//! view operations (`iox2js_core::spans`), and a sample's own buffer is detached here before the
//! sample is consumed, so no JS view can outlive the memory it points to.

use std::sync::Arc;

use napi::bindgen_prelude::{ArrayBuffer, Env, Function, Status, Uint8Array};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use iox2js_core::spans::SAMPLE_INFO_LEN;
use iox2js_core::{ops, Error};

type JsResult<T> = napi::Result<T>;

/// Throws `error` as a JS `Error` whose `code` is the kind's name.
fn throw(env: &Env, error: Error) -> napi::Error {
    // A NUL byte (e.g. from a user-supplied name) would make napi refuse the message.
    let message = error.message.replace('\0', "\\0");
    match env.throw_error(&message, Some(error.kind.name())) {
        Ok(()) => napi::Error::from_status(Status::PendingException),
        Err(failure) => failure,
    }
}

/// Names of every error kind in code order (checked against `core-api`'s list by its tests).
#[napi]
pub fn error_kinds() -> Vec<String> {
    iox2js_core::ErrorKind::ALL
        .iter()
        .map(|k| k.name().to_string())
        .collect()
}

/// The iceoryx2 crate version this addon links.
#[napi]
pub fn iceoryx2_version() -> String {
    iox2js_core::ICEORYX2_VERSION.to_string()
}

/// Detaches a sample buffer whose sample is being closed with its parent.
#[napi]
pub fn detach(buffer: ArrayBuffer) -> JsResult<()> {
    if !buffer.is_detached()? {
        buffer.detach()?;
    }
    Ok(())
}

thread_local! {
    /// Where memory and view operations describe their result to this thread's JavaScript, which
    /// reads it through the buffer `sampleInfoBuffer` returns (no array crosses per call). One
    /// allocation per thread, leaked on purpose: JS may hold the buffer until the thread ends.
    static INFO: *mut f64 = Box::leak(Box::new([0.0f64; SAMPLE_INFO_LEN])).as_mut_ptr();
}

/// Copies `values` into the front of this thread's info array.
fn write_info(values: &[f64]) {
    let count = values.len().min(SAMPLE_INFO_LEN);
    // SAFETY: INFO points to SAMPLE_INFO_LEN f64s owned by this thread for its lifetime; JS reads
    // them only between calls on this same thread, so nothing reads or writes them meanwhile.
    INFO.with(|info| unsafe { core::ptr::copy_nonoverlapping(values.as_ptr(), *info, count) });
}

/// This thread's info array as an ArrayBuffer of `SAMPLE_INFO_LEN` f64s (see `INFO`).
#[napi]
pub fn sample_info_buffer(env: &Env) -> JsResult<ArrayBuffer<'_>> {
    let data = INFO.with(|info| *info as *mut u8);
    // SAFETY: the array is never freed (see INFO), so the buffer can never outlive it.
    unsafe { ArrayBuffer::from_external(env, data, SAMPLE_INFO_LEN * 8, (), |_, _| {}) }
}

/// A control operation: JSON arguments in, JSON result out.
#[napi(catch_unwind)]
pub fn control(env: &Env, op: String, handle: f64, args_json: String) -> JsResult<String> {
    ops::control(&op, handle, &args_json).map_err(|e| throw(env, e))
}

/// A call operation on numbers.
#[napi(catch_unwind)]
pub fn call(env: &Env, op: u32, handle: f64, arg: f64) -> JsResult<f64> {
    ops::call(op, handle, arg).map_err(|e| throw(env, e))
}

/// A memory operation (loan, receive): writes the sample's handle, layout and address into
/// the info array (`iox2js_core::spans::sample_info`) and returns 1, or returns 0 when there is none.
#[napi(catch_unwind)]
pub fn memory(env: &Env, op: u32, handle: f64, a: f64, b: f64) -> JsResult<f64> {
    match ops::memory(op, handle, a, b).map_err(|e| throw(env, e))? {
        Some(values) => {
            write_info(&values);
            Ok(1.0)
        }
        None => Ok(0.0),
    }
}

/// A view operation: an external ArrayBuffer over the span it names; its start address goes
/// to the info array's first element.
#[napi(catch_unwind)]
pub fn view(env: &Env, op: u32, sample: f64) -> JsResult<ArrayBuffer<'_>> {
    let span = ops::view(op, sample).map_err(|e| throw(env, e))?;
    write_info(&[span.start as f64]);
    if span.len == 0 {
        return ArrayBuffer::from_data(env, Vec::<u8>::new());
    }
    // SAFETY: the span is mapped while its sample handle is open. core-api reads and writes a
    // mapping's buffer only through views that check their sample is still open; a sample's
    // own buffer (`sampleSpan`) is detached before the sample is consumed (`consume`) or closed
    // with its parent. The finalizer does nothing: iceoryx2 owns the memory, not the buffer.
    unsafe { ArrayBuffer::from_external(env, span.start as *mut u8, span.len, (), |_, _| {}) }
}

/// Detaches `buffer`, then runs call operation `op` on the object it viewed (send, release).
#[napi(catch_unwind)]
pub fn consume(
    env: &Env,
    op: u32,
    handle: f64,
    buffer: Option<ArrayBuffer>,
    arg: f64,
) -> JsResult<f64> {
    if let Some(buffer) = buffer {
        detach(buffer)?;
    }
    ops::call(op, handle, arg).map_err(|e| throw(env, e))
}

#[napi(catch_unwind)]
pub fn send_copy(
    env: &Env,
    op: u32,
    handle: f64,
    payload: Uint8Array,
    header: Option<Uint8Array>,
) -> JsResult<f64> {
    let header: &[u8] = header.as_deref().unwrap_or(&[]);
    ops::send_copy(op, handle, &payload, header).map_err(|e| throw(env, e))
}

/// Delivers reactor wake-ups to a JS function on this thread. Weak: it never keeps the event
/// loop alive by itself (`core-api` holds a timer while it awaits something).
struct NodeSink(ThreadsafeFunction<f64, (), f64, Status, false, true>);

impl iox2js_core::reactor::Wake for NodeSink {
    fn wake(&self, token: f64) {
        self.0.call(token, ThreadsafeFunctionCallMode::NonBlocking);
    }
}

#[napi]
pub fn waker_start(callback: Function<f64, ()>) -> JsResult<()> {
    let function = callback
        .build_threadsafe_function::<f64>()
        .weak::<true>()
        .build()?;
    iox2js_core::reactor::set_thread_sink(Arc::new(NodeSink(function)));
    Ok(())
}
