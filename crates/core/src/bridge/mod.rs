//! The bridge between the typed core and JavaScript: every operation the fronts can run,
//! declared once in [`operations`], and the only place where numbers and JSON become typed
//! values. The pattern modules know nothing of it.
//!
//! Operations come in shapes (see [`per_message_operations!`](crate::per_message_operations)):
//! - **control** (`name`, handle, JSON) → JSON: creation, configuration, discovery; never on a
//!   hot path, so one entry point addressed by name. Each declares typed arguments and result,
//!   which the code generator turns into TypeScript types (`generated/control.ts` in core-api).
//! - **call**, **consume**, **memory**, **view** and **send copy**: the per-message operations,
//!   one named function each (`bridge::call::sample_send`…), which each front exports under its
//!   own name (`iox2js_sample_send` in the C ABI, `sampleSend` in the addon's `operations()`).
//!
//! core-api checks at load, through the `ops` control operation, that the library it loaded
//! lists the operations it was generated for.

mod operations;
pub mod typescript;

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::handles::{Handle, Span};
use crate::objects::SampleMemory;

pub use operations::{
    call, consume, memory, send_copy, view, ControlOperation, Operation, CALL, CONSUME, MEMORY,
    SEND_COPY, VIEW,
};

pub type CallOp = fn(f64, f64) -> Result<f64>;
pub type ConsumeOp = fn(f64) -> Result<f64>;
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

/// A sample a memory operation handed out, described in `info`; false for none.
fn sample(made: Option<(Handle, SampleMemory)>, info: &mut [f64]) -> Result<bool> {
    match made {
        Some((handle, memory)) => crate::spans::sample_info(handle, &memory, info).map(|_| true),
        None => Ok(false),
    }
}

/// Runs control operation `name` with JSON arguments; returns its JSON result.
pub fn control(name: &str, handle: f64, args_json: &str) -> Result<String> {
    crate::logging::init();
    let operation = CONTROL.get(name).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("'{name}' is not a control operation"),
        )
    })?;
    crate::shm_guard::install();
    // A fault absorbed since the last call is reported before anything else runs.
    if let Some(fault) = crate::shm_guard::take_fault() {
        return Err(fault);
    }
    let mut result = crate::panics::guarded(handle, || (operation.run)(handle, args_json));
    // Full limits may be a truncated dynamic config read as zeros.
    if result
        .as_ref()
        .is_err_and(|e| e.kind == ErrorKind::LimitReached)
    {
        if let Some(truncated) = crate::shm_guard::truncated_dynamic_config() {
            result = Err(truncated);
        }
    }
    match crate::shm_guard::take_fault() {
        None => result,
        // The operation ran into memory that could not be backed (e.g. a full /dev/shm while
        // iceoryx2 set up a segment): what it made is unusable, so it is released.
        Some(fault) => {
            if let (Ok(made), Some(_)) = (&result, operation.makes) {
                if let Ok(made) = made.parse::<f64>().map(crate::handles::from_f64) {
                    made.map(crate::close).ok();
                }
            }
            Err(fault)
        }
    }
}

/// Every control operation, in declaration order (for the code generator).
pub fn control_operations() -> &'static [ControlOperation] {
    operations::CONTROL
}

/// Every operation's name per shape: the per-message shapes in declaration order, control
/// sorted. The code generator writes them into core-api, which names operations only by these.
#[derive(Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OpNames {
    pub call: Vec<&'static str>,
    pub consume: Vec<&'static str>,
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
        call: names(CALL),
        consume: names(CONSUME),
        memory: names(MEMORY),
        view: names(VIEW),
        send_copy: names(SEND_COPY),
        control,
    }
}

/// The names of a shape's operations, in declaration order.
fn names<T>(table: &[Operation<T>]) -> Vec<&'static str> {
    table.iter().map(|operation| operation.name).collect()
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
            names.consume,
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
