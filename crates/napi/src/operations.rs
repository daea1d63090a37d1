//! Every per-message operation as its own Node-API function, generated from the core's
//! declaration (`iox2js_core::per_message_operations!`) and written against Node-API directly:
//! napi-rs's generated wrappers (argument conversion, borrow scopes) cost about as much as the
//! operation itself, on each of the four calls of a message.
//!
//! Each function reads plain numbers (and, per shape, an ArrayBuffer to detach or byte arrays),
//! runs its operation inside `catch_unwind`, and returns a number (a boolean for memory
//! operations, a buffer for view operations) or throws an `Error` whose `code` is an error-kind
//! name, exactly as the napi-rs front does.

use core::ffi::c_char;
use core::ptr;
use std::ffi::CString;
use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::{Env, JsObjectValue, Object};
use napi::sys;

use iox2js_core::bridge::{CallOp, ConsumeOp, MemoryOp, SendCopyOp, ViewOp};
use iox2js_core::spans::VIEW_START;
use iox2js_core::{bridge, Error, ErrorKind, Result};

use crate::with_info;

type Callback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// `{ sampleSend, publisherLoan, … }`: every per-message operation as a plain Node-API function,
/// under its JavaScript name (see the module comment).
pub fn operations(env: &Env) -> napi::Result<Object<'_>> {
    let mut object = Object::new(env)?;
    for (name, callback) in operation_functions::FUNCTIONS
        .iter()
        .flat_map(|shape| shape.iter())
    {
        let mut function = ptr::null_mut();
        // SAFETY: `env` is the live environment of this call; the name is valid UTF-8 of the
        // given length; `callback` has the Node-API callback signature and needs no data.
        let status = unsafe {
            sys::napi_create_function(
                env.raw(),
                name.as_ptr().cast::<c_char>(),
                name.len() as isize,
                Some(*callback),
                ptr::null_mut(),
                &mut function,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::from_reason(format!(
                "cannot create the operation function {name}"
            )));
        }
        object.set_named_property(name, function)?;
    }
    Ok(object)
}

/// Defines one Node-API function per operation from the core's declaration; each shape names the
/// runner that converts its arguments and result.
macro_rules! operation_functions {
    (@shape $shape:ident $runner:ident; $($(#[doc = $doc:literal])* $name:ident $js:literal = $body:expr;)*) => {
        pub mod $shape {
            use super::super::*;
            $(
                $(#[doc = $doc])*
                pub unsafe extern "C" fn $name(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
                    // SAFETY: Node-API passes this callback's env and info.
                    unsafe { $runner(env, info, bridge::$shape::$name) }
                }
            )*
            /// This shape's functions by JavaScript name.
            pub const FUNCTIONS: &[(&str, Callback)] = &[$(($js, $name)),*];
        }
    };
    (call { $($call:tt)* } consume { $($consume:tt)* } memory { $($memory:tt)* }
        view { $($view:tt)* } send_copy { $($send_copy:tt)* }) => {
        mod operation_functions {
            operation_functions!(@shape call run_call; $($call)*);
            operation_functions!(@shape consume run_consume; $($consume)*);
            operation_functions!(@shape memory run_memory; $($memory)*);
            operation_functions!(@shape view run_view; $($view)*);
            operation_functions!(@shape send_copy run_send_copy; $($send_copy)*);
            /// Every function, by shape.
            pub const FUNCTIONS: &[&[(&str, super::Callback)]] = &[
                call::FUNCTIONS, consume::FUNCTIONS, memory::FUNCTIONS, view::FUNCTIONS, send_copy::FUNCTIONS,
            ];
        }
    };
}

iox2js_core::per_message_operations!(operation_functions);

/// The call's arguments (at most `N`; missing ones are `undefined`).
///
/// # Safety
/// `env` and `info` must be the ones Node-API passed to the running callback.
unsafe fn arguments<const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> [sys::napi_value; N] {
    let mut count = N;
    let mut values = [ptr::null_mut(); N];
    // SAFETY: `values` has room for `count` values; unused out-pointers may be null.
    unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut count,
            values.as_mut_ptr(),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    values
}

/// Argument `index` as a number.
///
/// # Safety
/// As [`arguments`]; `value` comes from them.
unsafe fn number(env: sys::napi_env, value: sys::napi_value, index: usize) -> Result<f64> {
    let mut result = 0.0;
    // SAFETY: a value of this call; the status tells whether it was a number.
    match unsafe { sys::napi_get_value_double(env, value, &mut result) } {
        sys::Status::napi_ok => Ok(result),
        _ => Err(Error::invalid_argument(format!(
            "argument {index} must be a number"
        ))),
    }
}

/// Runs `body`; a panic becomes `InternalFailure`.
fn guarded<T>(body: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        Err(Error::new(
            ErrorKind::InternalFailure,
            "a native panic was caught",
        ))
    })
}

/// Throws `error` as an `Error` whose `code` is its kind's name; returns no value.
///
/// # Safety
/// `env` must be the environment of the running callback.
unsafe fn throw(env: sys::napi_env, error: Error) -> sys::napi_value {
    // NUL bytes (e.g. from a user-supplied name) cannot cross as C strings.
    let message = CString::new(error.message.replace('\0', "\\0")).unwrap_or_default();
    let kind = CString::new(error.kind.name()).unwrap_or_default();
    // SAFETY: both strings are NUL-terminated and outlive the call.
    unsafe { sys::napi_throw_error(env, kind.as_ptr(), message.as_ptr()) };
    ptr::null_mut()
}

/// Runs `body` and returns its number or throws its error.
///
/// # Safety
/// `env` must be the environment of the running callback.
unsafe fn finish(env: sys::napi_env, body: impl FnOnce() -> Result<f64>) -> sys::napi_value {
    match guarded(body) {
        Ok(value) => {
            let mut result = ptr::null_mut();
            // SAFETY: creating a number in the live environment.
            unsafe { sys::napi_create_double(env, value, &mut result) };
            result
        }
        // SAFETY: as this function's contract.
        Err(error) => unsafe { throw(env, error) },
    }
}

/// `(handle, arg) → number`.
///
/// # Safety
/// `env` and `info` must be the ones Node-API passed to the running callback.
#[inline(always)]
unsafe fn run_call(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    run: CallOp,
) -> sys::napi_value {
    // SAFETY: as this function's contract.
    unsafe {
        let [handle, arg] = arguments::<2>(env, info);
        finish(env, || run(number(env, handle, 0)?, number(env, arg, 1)?))
    }
}

/// `(handle, buffer | null) → number`: detaches `buffer` (the sample's own buffer, when it has
/// one), then runs the operation.
///
/// # Safety
/// As [`run_call`].
#[inline(always)]
unsafe fn run_consume(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    run: ConsumeOp,
) -> sys::napi_value {
    // SAFETY: as this function's contract.
    unsafe {
        let [handle, buffer] = arguments::<2>(env, info);
        finish(env, || {
            let handle = number(env, handle, 0)?;
            detach(env, buffer)?;
            run(handle)
        })
    }
}

/// `(handle, a, b) → boolean`: true with what it made described in the info array.
///
/// # Safety
/// As [`run_call`].
#[inline(always)]
unsafe fn run_memory(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    run: MemoryOp,
) -> sys::napi_value {
    // SAFETY: as this function's contract.
    unsafe {
        let [handle, a, b] = arguments::<3>(env, info);
        let outcome = guarded(|| {
            let (handle, a, b) = (
                number(env, handle, 0)?,
                number(env, a, 1)?,
                number(env, b, 2)?,
            );
            with_info(|info| run(handle, a, b, info))
        });
        match outcome {
            Ok(made) => {
                let mut result = ptr::null_mut();
                // SAFETY: getting a boolean in the live environment.
                sys::napi_get_boolean(env, made, &mut result);
                result
            }
            Err(error) => throw(env, error),
        }
    }
}

/// `(sample) → ArrayBuffer`: an external buffer over the span the operation names; its start
/// address goes to the info array.
///
/// # Safety
/// As [`run_call`].
#[inline(always)]
unsafe fn run_view(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    run: ViewOp,
) -> sys::napi_value {
    // SAFETY: as this function's contract.
    unsafe {
        let [sample] = arguments::<1>(env, info);
        let outcome = guarded(|| {
            let span = run(number(env, sample, 0)?)?;
            with_info(|info| info[VIEW_START] = span.start as f64);
            let mut buffer = ptr::null_mut();
            let status = if span.len == 0 {
                let mut data = ptr::null_mut();
                // SAFETY: an empty buffer owned by JavaScript.
                sys::napi_create_arraybuffer(env, 0, &mut data, &mut buffer)
            } else {
                // SAFETY: the span is mapped while its sample handle is open. core-api reads and
                // writes a mapping's buffer only through views that check their sample is still
                // open; a sample's own buffer (`sampleSpan`) is detached before the sample is
                // consumed or closed with its parent. No finalizer: iceoryx2 owns the memory.
                sys::napi_create_external_arraybuffer(
                    env,
                    span.start as *mut core::ffi::c_void,
                    span.len,
                    None,
                    ptr::null_mut(),
                    &mut buffer,
                )
            };
            if status == sys::Status::napi_ok {
                Ok(buffer)
            } else {
                Err(Error::new(
                    ErrorKind::InternalFailure,
                    "cannot make a buffer over the sample",
                ))
            }
        });
        outcome.unwrap_or_else(|error| throw(env, error))
    }
}

/// `(handle, payload: Uint8Array, header: Uint8Array | null) → number`.
///
/// # Safety
/// As [`run_call`].
#[inline(always)]
unsafe fn run_send_copy(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    run: SendCopyOp,
) -> sys::napi_value {
    // SAFETY: as this function's contract.
    unsafe {
        let [handle, payload, header] = arguments::<3>(env, info);
        finish(env, || {
            let handle = number(env, handle, 0)?;
            let payload = bytes(env, payload, 1)?;
            let header = bytes(env, header, 2)?;
            run(handle, payload, header)
        })
    }
}

/// A Uint8Array argument's bytes; null and undefined are no bytes.
///
/// # Safety
/// `env` must be the environment of the running callback, `value` one of its values; the bytes
/// are used only during the call (JavaScript cannot run meanwhile).
unsafe fn bytes<'a>(env: sys::napi_env, value: sys::napi_value, index: usize) -> Result<&'a [u8]> {
    let mut kind = 0;
    // SAFETY: a value of this call.
    unsafe { sys::napi_typeof(env, value, &mut kind) };
    if kind == sys::ValueType::napi_null || kind == sys::ValueType::napi_undefined {
        return Ok(&[]);
    }
    let (mut array_type, mut length, mut data) = (0, 0usize, ptr::null_mut());
    // SAFETY: a value of this call; the status tells whether it was a typed array; unused
    // out-pointers may be null.
    let status = unsafe {
        sys::napi_get_typedarray_info(
            env,
            value,
            &mut array_type,
            &mut length,
            &mut data,
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    if status != sys::Status::napi_ok || array_type != sys::TypedarrayType::uint8_array {
        return Err(Error::invalid_argument(format!(
            "argument {index} must be a Uint8Array"
        )));
    }
    if length == 0 || data.is_null() {
        return Ok(&[]);
    }
    // SAFETY: Node-API reports `length` bytes at `data` (offset included), alive for the call.
    Ok(unsafe { core::slice::from_raw_parts(data.cast::<u8>(), length) })
}

/// Detaches `value` if it is an ArrayBuffer that is not detached yet; null and undefined are
/// nothing to detach.
///
/// # Safety
/// `env` must be the environment of the running callback, `value` one of its values.
unsafe fn detach(env: sys::napi_env, value: sys::napi_value) -> Result<()> {
    let mut kind = 0;
    // SAFETY: a value of this call.
    unsafe { sys::napi_typeof(env, value, &mut kind) };
    if kind == sys::ValueType::napi_null || kind == sys::ValueType::napi_undefined {
        return Ok(());
    }
    let mut is_buffer = false;
    // SAFETY: as above.
    unsafe { sys::napi_is_arraybuffer(env, value, &mut is_buffer) };
    if !is_buffer {
        return Err(Error::invalid_argument(
            "argument 1 must be an ArrayBuffer or null",
        ));
    }
    let mut detached = false;
    // SAFETY: `value` is an ArrayBuffer of this call.
    unsafe { sys::napi_is_detached_arraybuffer(env, value, &mut detached) };
    // SAFETY: as above; a buffer that cannot be detached reports a status, not undefined behaviour.
    if !detached && unsafe { sys::napi_detach_arraybuffer(env, value) } != sys::Status::napi_ok {
        return Err(Error::new(
            ErrorKind::InternalFailure,
            "cannot detach the sample's buffer",
        ));
    }
    Ok(())
}
