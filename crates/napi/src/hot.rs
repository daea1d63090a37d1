//! The entry points every message goes through (`call`, `memory`, `consume`), written against
//! Node-API directly: napi-rs's generated wrappers (argument conversion, borrow scopes) cost
//! about as much as the operation itself, on each of the four calls of a message.
//!
//! Each function reads plain numbers (and, for `consume`, an optional ArrayBuffer), runs one core
//! operation inside `catch_unwind`, and returns a number or throws an `Error` whose `code` is an
//! error-kind name, exactly as the napi-rs front does.

use core::ffi::c_char;
use core::ptr;
use std::ffi::CString;
use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::{Env, JsObjectValue, Object};
use napi::sys;

use iox2js_core::{bridge, Error, ErrorKind, Result};

use crate::with_info;

type Callback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// `{ call, memory, consume }` as plain Node-API functions (see the module comment).
pub fn entry_points(env: &Env) -> napi::Result<Object<'_>> {
    let mut object = Object::new(env)?;
    let functions: [(&str, Callback); 3] =
        [("call", call), ("memory", memory), ("consume", consume)];
    for (name, callback) in functions {
        let mut function = ptr::null_mut();
        // SAFETY: `env` is the live environment of this call; the name is valid UTF-8 of the
        // given length; `callback` has the Node-API callback signature and needs no data.
        let status = unsafe {
            sys::napi_create_function(
                env.raw(),
                name.as_ptr().cast::<c_char>(),
                name.len() as isize,
                Some(callback),
                ptr::null_mut(),
                &mut function,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::from_reason(format!(
                "cannot create the hot function {name}"
            )));
        }
        object.set_named_property(name, function)?;
    }
    Ok(object)
}

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

/// An operation code: codes are small positive integers; anything else names no operation.
fn code(value: f64) -> u32 {
    if value.is_finite() && value >= 0.0 && value <= u32::MAX as f64 {
        value as u32
    } else {
        0
    }
}

/// Runs `body` (panics become `InternalFailure`) and returns its number or throws its error.
///
/// # Safety
/// `env` must be the environment of the running callback.
unsafe fn finish(env: sys::napi_env, body: impl FnOnce() -> Result<f64>) -> sys::napi_value {
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        Err(Error::new(
            ErrorKind::InternalFailure,
            "a native panic was caught",
        ))
    });
    match outcome {
        Ok(value) => {
            let mut result = ptr::null_mut();
            // SAFETY: creating a number in the live environment.
            unsafe { sys::napi_create_double(env, value, &mut result) };
            result
        }
        Err(error) => {
            // NUL bytes (e.g. from a user-supplied name) cannot cross as C strings.
            let message = CString::new(error.message.replace('\0', "\\0")).unwrap_or_default();
            let kind = CString::new(error.kind.name()).unwrap_or_default();
            // SAFETY: both strings are NUL-terminated and outlive the call.
            unsafe { sys::napi_throw_error(env, kind.as_ptr(), message.as_ptr()) };
            ptr::null_mut()
        }
    }
}

/// `call(op, handle, arg)`: a call operation on numbers.
unsafe extern "C" fn call(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: Node-API passes this callback's env and info.
    unsafe {
        let [op, handle, arg] = arguments::<3>(env, info);
        finish(env, || {
            bridge::call(
                code(number(env, op, 0)?),
                number(env, handle, 1)?,
                number(env, arg, 2)?,
            )
        })
    }
}

/// `memory(op, handle, a, b)`: 1 with what it made described in the info array, or 0.
unsafe extern "C" fn memory(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: Node-API passes this callback's env and info.
    unsafe {
        let [op, handle, a, b] = arguments::<4>(env, info);
        finish(env, || {
            let (op, handle, a, b) = (
                code(number(env, op, 0)?),
                number(env, handle, 1)?,
                number(env, a, 2)?,
                number(env, b, 3)?,
            );
            with_info(|info| bridge::memory(op, handle, a, b, info)).map(|made| {
                if made {
                    1.0
                } else {
                    0.0
                }
            })
        })
    }
}

/// `consume(op, handle, buffer | null, arg)`: detaches `buffer` (a sample's own buffer, when it
/// has one), then runs call operation `op`.
unsafe extern "C" fn consume(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: Node-API passes this callback's env and info.
    unsafe {
        let [op, handle, buffer, arg] = arguments::<4>(env, info);
        finish(env, || {
            let (op, handle, arg) = (
                code(number(env, op, 0)?),
                number(env, handle, 1)?,
                number(env, arg, 3)?,
            );
            detach(env, buffer)?;
            bridge::call(op, handle, arg)
        })
    }
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
            "argument 2 must be an ArrayBuffer or null",
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
