//! Node-API front of iceoryx2-js: converts JavaScript values to and from `iox2js_core` calls.
//! No iceoryx2 logic lives here.
//!
//! Every entry point that reaches iceoryx2 catches panics (`catch_unwind`), so none can abort
//! the process. Operations are dispatched by shape (`iox2js_core::ops`): control (JSON), call (numbers),
//! memory (a span of shared memory), send-copy (bytes). Errors are thrown as JS `Error`s whose
//! `code` is the core's error-kind name; `core-api` turns them into `Iox2Error`s. Sample memory
//! is handed out as an external `ArrayBuffer` over shared memory and detached here before the
//! sample is consumed, so no JS view can outlive the memory it points to.

use std::sync::Arc;

use napi::bindgen_prelude::{ArrayBuffer, Env, Float64Array, Function, Status, Uint8Array};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use iox2js_core::{ops, Error, Handle, SampleMemory};

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

/// Writes the sample's handle and layout into `info` ([handle, payloadOffset, payloadLength,
/// userHeaderLength]) and returns one external ArrayBuffer over user header and payload.
fn expose<'env>(
    env: &'env Env,
    info: &mut Float64Array,
    sample: Handle,
    memory: SampleMemory,
) -> JsResult<ArrayBuffer<'env>> {
    if info.len() < 4 {
        iox2js_core::close(sample);
        return Err(throw(
            env,
            Error::invalid_argument("the sample info array needs 4 elements"),
        ));
    }
    // SAFETY: `info` is a Float64Array JS passed for this call; nothing else aliases it now.
    let info = unsafe { info.as_mut() };
    info[..4].copy_from_slice(&[
        sample as f64,
        memory.payload_offset as f64,
        memory.payload_len as f64,
        memory.user_header_len as f64,
    ]);
    if memory.len == 0 {
        return ArrayBuffer::from_data(env, Vec::<u8>::new());
    }
    // SAFETY: `memory` stays valid while the sample handle is open. JS never sees the handle
    // close without this buffer being detached first (`detach_then`), so the buffer can't be
    // read after the chunk is returned. The finalizer does nothing: the chunk is owned by the
    // handle table, not by the buffer.
    unsafe { ArrayBuffer::from_external(env, memory.base, memory.len, (), |_, _| {}) }.inspect_err(
        |_| {
            iox2js_core::close(sample);
        },
    )
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

/// A memory operation: the span's buffer (layout in `info`), or null when there is none.
#[napi(catch_unwind)]
pub fn memory<'env>(
    env: &'env Env,
    op: u32,
    handle: f64,
    a: f64,
    b: f64,
    info: Float64Array,
) -> JsResult<Option<ArrayBuffer<'env>>> {
    let mut info = info;
    match ops::memory(op, handle, a, b).map_err(|e| throw(env, e))? {
        Some((sample, memory)) => expose(env, &mut info, sample, memory).map(Some),
        None => Ok(None),
    }
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
