//! The operations the fronts dispatch to, by shape. Each messaging-pattern module lists its own;
//! the fronts expose one entry point per shape, so a new operation needs no front change.
//!
//! - **control** (`name`, handle, JSON) → JSON: creation, configuration, discovery; named by
//!   string, never on a hot path.
//! - **call** (`code`, handle, number) → number: hot calls on plain numbers (send, notify…).
//! - **memory** (`code`, handle, number, number) → a span of shared memory and its handle
//!   (loan, receive), or nothing.
//! - **view** (`code`, sample handle) → a span of memory to make a JavaScript buffer over
//!   (`crate::spans`).
//! - **send copy** (`code`, handle, bytes, bytes) → number.
//!
//! Codes are positions (from 1) in the tables below; JavaScript learns them by name from the
//! `ops` control operation once at load, so the names are the contract, not the numbers. The
//! names are generated into core-api (`OPERATIONS` in `generated/contract.ts`), whose calls are
//! typed by them: a misspelt operation does not compile.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::handles::{Handle, Span};
use crate::objects::SampleMemory;

pub type CallOp = fn(f64, f64) -> Result<f64>;
pub type MemoryOp = fn(f64, f64, f64) -> Result<Option<(Handle, SampleMemory)>>;
pub type ViewOp = fn(f64) -> Result<Span>;
pub type SendCopyOp = fn(f64, &[u8], &[u8]) -> Result<f64>;
pub type ControlOp = fn(f64, &str) -> Result<String>;

/// One module's operations.
pub(crate) struct OpTable {
    pub call: &'static [(&'static str, CallOp)],
    pub memory: &'static [(&'static str, MemoryOp)],
    pub send_copy: &'static [(&'static str, SendCopyOp)],
    pub control: &'static [(&'static str, ControlOp)],
}

struct Tables {
    call: Vec<(&'static str, CallOp)>,
    memory: Vec<(&'static str, MemoryOp)>,
    view: Vec<(&'static str, ViewOp)>,
    send_copy: Vec<(&'static str, SendCopyOp)>,
    control: HashMap<&'static str, ControlOp>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let modules = [
        GENERAL,
        crate::node::OPS,
        crate::pubsub::OPS,
        crate::event::OPS,
        crate::request_response::OPS,
        crate::blackboard::OPS,
        crate::discovery::OPS,
    ];
    let mut tables = Tables {
        call: Vec::new(),
        memory: Vec::new(),
        view: crate::spans::VIEW_OPS.to_vec(),
        send_copy: Vec::new(),
        control: HashMap::new(),
    };
    tables.control.insert("ops", ops_control as ControlOp);
    tables.call.extend_from_slice(crate::spans::CALL_OPS);
    for module in modules {
        tables.call.extend_from_slice(module.call);
        tables.memory.extend_from_slice(module.memory);
        tables.send_copy.extend_from_slice(module.send_copy);
        for (name, op) in module.control {
            assert!(
                tables.control.insert(name, *op).is_none(),
                "control operation {name} listed twice"
            );
        }
    }
    tables
});

fn lookup<T: Copy>(table: &[(&'static str, T)], code: u32, shape: &str) -> Result<T> {
    table
        .get((code as usize).wrapping_sub(1))
        .map(|(_, op)| *op)
        .ok_or_else(|| Error::invalid_argument(format!("{code} is not a {shape} operation code")))
}

pub fn call(code: u32, handle: f64, arg: f64) -> Result<f64> {
    lookup(&TABLES.call, code, "call")?(handle, arg)
}

/// Runs a memory operation; a sample it hands out is described by [`crate::spans::sample_info`].
pub fn memory(
    code: u32,
    handle: f64,
    a: f64,
    b: f64,
) -> Result<Option<[f64; crate::spans::SAMPLE_INFO_LEN]>> {
    match lookup(&TABLES.memory, code, "memory")?(handle, a, b)? {
        Some((sample, memory)) => crate::spans::sample_info(sample, &memory).map(Some),
        None => Ok(None),
    }
}

/// Runs a view operation: the span to make a buffer over.
pub fn view(code: u32, sample: f64) -> Result<Span> {
    lookup(&TABLES.view, code, "view")?(sample)
}

pub fn send_copy(code: u32, handle: f64, payload: &[u8], header: &[u8]) -> Result<f64> {
    lookup(&TABLES.send_copy, code, "send-copy")?(handle, payload, header)
}

pub fn control(name: &str, handle: f64, args_json: &str) -> Result<String> {
    let op = TABLES.control.get(name).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("'{name}' is not a control operation"),
        )
    })?;
    op(handle, args_json)
}

/// Operations on any handle, and on the library itself.
const GENERAL: OpTable = OpTable {
    call: &[
        ("close", |handle, _| {
            Ok(flag(
                crate::handles::from_f64(handle)
                    .map(crate::close)
                    .unwrap_or(false),
            ))
        }),
        ("openHandleCount", |_, _| {
            Ok(crate::handles::open_count() as f64)
        }),
        ("setLogLevel", |_, level| {
            crate::set_log_level(count(level, "log level")? as u32).map(|_| 0.0)
        }),
        ("unwatch", |_, token| {
            crate::reactor::unwatch(token);
            Ok(0.0)
        }),
    ],
    memory: &[],
    send_copy: &[],
    control: &[],
};

/// Every operation's name per shape: call, memory, view and send-copy in code order, control
/// sorted. The code generator writes them into core-api, which names operations only by these.
#[derive(Serialize)]
pub struct OpNames {
    pub call: Vec<&'static str>,
    pub memory: Vec<&'static str>,
    pub view: Vec<&'static str>,
    pub send_copy: Vec<&'static str>,
    pub control: Vec<&'static str>,
}

/// The names of every operation (see [`OpNames`]).
pub fn op_names() -> OpNames {
    let mut control: Vec<_> = TABLES.control.keys().copied().collect();
    control.sort_unstable();
    OpNames {
        call: TABLES.call.iter().map(|(n, _)| *n).collect(),
        memory: TABLES.memory.iter().map(|(n, _)| *n).collect(),
        view: TABLES.view.iter().map(|(n, _)| *n).collect(),
        send_copy: TABLES.send_copy.iter().map(|(n, _)| *n).collect(),
        control,
    }
}

/// `ops`: [`op_names`] as JSON, for core-api to learn the codes of the library it loaded.
fn ops_control(_: f64, _: &str) -> Result<String> {
    to_json(&op_names())
}

pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
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

/// Number results of call operations.
pub(crate) fn flag(value: bool) -> f64 {
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
        let t = &*super::TABLES;
        for names in [
            t.call.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            t.memory.iter().map(|(n, _)| *n).collect(),
            t.view.iter().map(|(n, _)| *n).collect(),
            t.send_copy.iter().map(|(n, _)| *n).collect(),
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
