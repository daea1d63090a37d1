//! The bridge between the typed core and JavaScript: every operation the fronts can run,
//! declared once in [`operations`], and the only place where numbers and JSON become typed
//! values. The pattern modules know nothing of it.
//!
//! Operations come in shapes; the fronts expose one entry point per shape, so a new operation
//! needs no front change:
//! - **control** (`name`, handle, JSON) → JSON: creation, configuration, discovery; never on a
//!   hot path. Each declares typed arguments and result, which the code generator turns into
//!   TypeScript types (`ControlOperations` in core-api's `generated/contract.ts`).
//! - **call** (`code`, handle, number) → number: hot calls on plain numbers (send, notify…).
//! - **memory** (`code`, handle, number, number) → true with numbers in the front's info array
//!   (a sample's handle and span for loan and receive, taken events for `listenerTake`), or
//!   false for nothing.
//! - **view** (`code`, sample handle) → a span of memory to make a JavaScript buffer over
//!   (`crate::spans`).
//! - **send copy** (`code`, handle, bytes, bytes) → number.
//!
//! Codes are positions (from 1) in [`operations`]' tables, generated into core-api as constants
//! (`OPERATION_CODES`); core-api checks at load, through the `ops` control operation, that the
//! library it loaded lists the same operations.

mod operations;
pub mod typescript;

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::handles::{Handle, Span};
use crate::objects::SampleMemory;

pub use operations::ControlOperation;

pub type CallOp = fn(f64, f64) -> Result<f64>;
pub type MemoryOp = fn(f64, f64, f64, &mut [f64]) -> Result<bool>;
pub type ViewOp = fn(f64) -> Result<Span>;
pub type SendCopyOp = fn(f64, &[u8], &[u8]) -> Result<f64>;

static CONTROL: LazyLock<HashMap<&'static str, &'static ControlOperation>> = LazyLock::new(|| {
    let mut table = HashMap::new();
    for operation in operations::CONTROL {
        assert!(
            table.insert(operation.name, operation).is_none(),
            "control operation {} declared twice",
            operation.name
        );
    }
    table
});

fn lookup<T: Copy>(table: &[(&'static str, T)], code: u32, shape: &str) -> Result<T> {
    table
        .get((code as usize).wrapping_sub(1))
        .map(|(_, op)| *op)
        .ok_or_else(|| Error::invalid_argument(format!("{code} is not a {shape} operation code")))
}

pub fn call(code: u32, handle: f64, arg: f64) -> Result<f64> {
    lookup(operations::CALL, code, "call")?(handle, arg)
}

/// Runs a memory operation, which describes what it made in `info` (the front's info array of
/// [`crate::spans::SAMPLE_INFO_LEN`] numbers); false when it made nothing.
pub fn memory(code: u32, handle: f64, a: f64, b: f64, info: &mut [f64]) -> Result<bool> {
    lookup(operations::MEMORY, code, "memory")?(handle, a, b, info)
}

/// A sample a memory operation handed out, described in `info`; false for none.
fn sample(made: Option<(Handle, SampleMemory)>, info: &mut [f64]) -> Result<bool> {
    match made {
        Some((handle, memory)) => crate::spans::sample_info(handle, &memory, info).map(|_| true),
        None => Ok(false),
    }
}

/// Runs a view operation: the span to make a buffer over.
pub fn view(code: u32, sample: f64) -> Result<Span> {
    lookup(operations::VIEW, code, "view")?(sample)
}

pub fn send_copy(code: u32, handle: f64, payload: &[u8], header: &[u8]) -> Result<f64> {
    lookup(operations::SEND_COPY, code, "send-copy")?(handle, payload, header)
}

/// Runs control operation `name` with JSON arguments; returns its JSON result.
pub fn control(name: &str, handle: f64, args_json: &str) -> Result<String> {
    let operation = CONTROL.get(name).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("'{name}' is not a control operation"),
        )
    })?;
    (operation.run)(handle, args_json)
}

/// Every control operation, in declaration order (for the code generator).
pub fn control_operations() -> &'static [ControlOperation] {
    operations::CONTROL
}

/// Every operation's name per shape: call, memory, view and send-copy in code order, control
/// sorted. The code generator writes them into core-api, which names operations only by these.
#[derive(Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OpNames {
    pub call: Vec<&'static str>,
    pub memory: Vec<&'static str>,
    pub view: Vec<&'static str>,
    pub send_copy: Vec<&'static str>,
    pub control: Vec<&'static str>,
}

/// The names of every operation (see [`OpNames`]).
pub fn op_names() -> OpNames {
    let mut control: Vec<_> = operations::CONTROL.iter().map(|op| op.name).collect();
    control.sort_unstable();
    OpNames {
        call: names(operations::CALL),
        memory: names(operations::MEMORY),
        view: names(operations::VIEW),
        send_copy: names(operations::SEND_COPY),
        control,
    }
}

/// The names of a coded table's operations, in code order.
fn names<T>(table: &[(&'static str, T)]) -> Vec<&'static str> {
    table.iter().map(|(name, _)| *name).collect()
}

/// Decodes the JSON arguments of control operation `operation`.
fn decode<T: DeserializeOwned>(json: &str, operation: &str) -> Result<T> {
    serde_json::from_str(json)
        .map_err(|e| Error::invalid_argument(format!("invalid arguments for {operation}: {e}")))
}

/// Encodes a control operation's result.
fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("cannot encode result: {e}"),
        )
    })
}

/// Converts a JS number that must be a non-negative integer (a count, an id, a size).
pub fn count(value: f64, what: &str) -> Result<usize> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9007199254740991.0 {
        Ok(value as usize)
    } else {
        Err(Error::invalid_argument(format!(
            "{what} must be a non-negative integer, got {value}"
        )))
    }
}

/// Converts a JS number that must be a handle.
fn handle(value: f64) -> Result<Handle> {
    crate::handles::from_f64(value)
}

/// Number results of call operations.
fn flag(value: bool) -> f64 {
    if value {
        1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique_per_shape() {
        let names = super::op_names();
        for names in [
            names.call,
            names.memory,
            names.view,
            names.send_copy,
            names.control,
        ] {
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(
                sorted.len(),
                names.len(),
                "duplicate operation name in {names:?}"
            );
        }
    }
}
