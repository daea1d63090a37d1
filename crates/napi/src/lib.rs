//! Node-API front of iceoryx2-js: converts JavaScript values to and from `iox2js_core` calls.
//! No iceoryx2 logic lives here.
//!
//! Errors are thrown as JS `Error`s whose `code` is the core's error-kind name; `core-api`
//! turns them into `Iox2Error`s. Sample memory is handed out as an external `ArrayBuffer` over
//! shared memory and detached here before the sample is sent or released, so no JS view can
//! outlive the memory it points to.

use napi::bindgen_prelude::{ArrayBuffer, Env, Float64Array, Status, Uint8Array};
use napi_derive::napi;

use iox2js_core::{handles, Error, Handle, SampleMemory};

type JsResult<T> = napi::Result<T>;

/// Throws `error` as a JS `Error` whose `code` is the kind's name.
fn throw(env: &Env, error: Error) -> napi::Error {
    match env.throw_error(&error.message, Some(error.kind.name())) {
        Ok(()) => napi::Error::from_status(Status::PendingException),
        Err(failure) => failure,
    }
}

fn handle(env: &Env, value: f64) -> JsResult<Handle> {
    handles::from_f64(value).map_err(|e| throw(env, e))
}

fn count(env: &Env, value: f64, what: &str) -> JsResult<usize> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= u32::MAX as f64 {
        Ok(value as usize)
    } else {
        Err(throw(env, Error::invalid_argument(format!("{what} must be a non-negative integer, got {value}"))))
    }
}

/// Names of every error kind in code order (checked against `core-api`'s list by its tests).
#[napi]
pub fn error_kinds() -> Vec<String> {
    iox2js_core::ErrorKind::ALL.iter().map(|k| k.name().to_string()).collect()
}

/// The iceoryx2 crate version this addon links.
#[napi]
pub fn iceoryx2_version() -> String {
    iox2js_core::ICEORYX2_VERSION.to_string()
}

#[napi]
pub fn set_log_level(env: &Env, level: u32) -> JsResult<()> {
    iox2js_core::set_log_level(level).map_err(|e| throw(env, e))
}

/// Number of native objects open on this thread (for leak tests).
#[napi]
pub fn open_handle_count() -> u32 {
    handles::open_count() as u32
}

#[napi]
pub fn close(handle: f64) -> bool {
    handles::from_f64(handle).map(iox2js_core::close).unwrap_or(false)
}

/// Detaches a sample buffer whose sample is being closed with its parent.
#[napi]
pub fn detach(buffer: ArrayBuffer) -> JsResult<()> {
    if !buffer.is_detached()? {
        buffer.detach()?;
    }
    Ok(())
}

#[napi]
pub fn node_create(env: &Env, spec_json: String) -> JsResult<f64> {
    iox2js_core::node::node_create(&spec_json).map(|h| h as f64).map_err(|e| throw(env, e))
}

#[napi]
pub fn node_name(env: &Env, node: f64) -> JsResult<String> {
    iox2js_core::node::node_name(handle(env, node)?).map_err(|e| throw(env, e))
}

#[napi]
pub fn pubsub_service_open(env: &Env, node: f64, spec_json: String) -> JsResult<f64> {
    iox2js_core::pubsub::service_open(handle(env, node)?, &spec_json).map(|h| h as f64).map_err(|e| throw(env, e))
}

#[napi]
pub fn pubsub_service_info(env: &Env, service: f64) -> JsResult<String> {
    iox2js_core::pubsub::service_info(handle(env, service)?).map_err(|e| throw(env, e))
}

#[napi]
pub fn publisher_create(env: &Env, service: f64, spec_json: String) -> JsResult<f64> {
    iox2js_core::pubsub::publisher_create(handle(env, service)?, &spec_json).map(|h| h as f64).map_err(|e| throw(env, e))
}

#[napi]
pub fn subscriber_create(env: &Env, service: f64, spec_json: String) -> JsResult<f64> {
    iox2js_core::pubsub::subscriber_create(handle(env, service)?, &spec_json).map(|h| h as f64).map_err(|e| throw(env, e))
}

/// Writes the sample's handle and layout into `info` ([handle, payloadOffset, payloadLength,
/// userHeaderLength]) and returns one external ArrayBuffer over user header and payload.
fn expose<'env>(env: &'env Env, info: &mut Float64Array, sample: Handle, memory: SampleMemory) -> JsResult<ArrayBuffer<'env>> {
    if info.len() < 4 {
        iox2js_core::close(sample);
        return Err(throw(env, Error::invalid_argument("the sample info array needs 4 elements")));
    }
    // SAFETY: `info` is a Float64Array JS passed for this call; nothing else aliases it now.
    let info = unsafe { info.as_mut() };
    info[..4].copy_from_slice(&[sample as f64, memory.payload_offset as f64, memory.payload_len as f64, memory.user_header_len as f64]);
    if memory.len == 0 {
        return ArrayBuffer::from_data(env, Vec::<u8>::new());
    }
    // SAFETY: `memory` stays valid while the sample handle is open. JS never sees the handle
    // close without this buffer being detached first (`detach_then`), so the buffer can't be
    // read after the chunk is returned. The finalizer does nothing: the chunk is owned by the
    // handle table, not by the buffer.
    unsafe { ArrayBuffer::from_external(env, memory.base, memory.len, (), |_, _| {}) }.inspect_err(|_| {
        iox2js_core::close(sample);
    })
}

/// Detaches `buffer` (when it is still attached) and then runs `then` on the sample.
fn detach_then<T>(env: &Env, buffer: Option<ArrayBuffer>, then: impl FnOnce() -> iox2js_core::Result<T>) -> JsResult<T> {
    if let Some(buffer) = buffer {
        detach(buffer)?;
    }
    then().map_err(|e| throw(env, e))
}

#[napi]
pub fn publisher_loan<'env>(env: &'env Env, publisher: f64, elements: f64, zeroed: bool, info: Float64Array) -> JsResult<ArrayBuffer<'env>> {
    let mut info = info;
    let (sample, memory) = iox2js_core::pubsub::publisher_loan(handle(env, publisher)?, count(env, elements, "elements")?, zeroed).map_err(|e| throw(env, e))?;
    expose(env, &mut info, sample, memory)
}

/// Sends a loaned sample after detaching its buffer; returns the number of subscribers reached.
#[napi]
pub fn sample_send(env: &Env, sample: f64, buffer: Option<ArrayBuffer>) -> JsResult<u32> {
    let sample = handle(env, sample)?;
    detach_then(env, buffer, || iox2js_core::pubsub::sample_send(sample).map(|n| n as u32))
}

/// Releases a loaned or received sample after detaching its buffer.
#[napi]
pub fn sample_release(env: &Env, sample: f64, buffer: Option<ArrayBuffer>) -> JsResult<bool> {
    let sample = handle(env, sample)?;
    detach_then(env, buffer, || Ok(iox2js_core::close(sample)))
}

#[napi]
pub fn publisher_send_copy(env: &Env, publisher: f64, payload: Uint8Array, user_header: Option<Uint8Array>) -> JsResult<u32> {
    let user_header: &[u8] = user_header.as_deref().unwrap_or(&[]);
    iox2js_core::pubsub::publisher_send_copy(handle(env, publisher)?, &payload, user_header).map(|n| n as u32).map_err(|e| throw(env, e))
}

#[napi]
pub fn publisher_update_connections(env: &Env, publisher: f64) -> JsResult<()> {
    iox2js_core::pubsub::publisher_update_connections(handle(env, publisher)?).map_err(|e| throw(env, e))
}

/// Returns the next sample's buffer (layout in `info`), or null when none is waiting.
#[napi]
pub fn subscriber_receive<'env>(env: &'env Env, subscriber: f64, info: Float64Array) -> JsResult<Option<ArrayBuffer<'env>>> {
    let mut info = info;
    match iox2js_core::pubsub::subscriber_receive(handle(env, subscriber)?).map_err(|e| throw(env, e))? {
        Some((sample, memory)) => expose(env, &mut info, sample, memory).map(Some),
        None => Ok(None),
    }
}

#[napi]
pub fn subscriber_has_samples(env: &Env, subscriber: f64) -> JsResult<bool> {
    iox2js_core::pubsub::subscriber_has_samples(handle(env, subscriber)?).map_err(|e| throw(env, e))
}
