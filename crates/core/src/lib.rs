//! iceoryx2-js core: every piece of iceoryx2 logic the JavaScript fronts need, written once.
//!
//! The pattern modules are a typed Rust library over iceoryx2; [`bridge`] declares every
//! operation JavaScript can run and is the only place that turns JSON and numbers into their
//! typed arguments. The fronts (`iceoryx2-js-napi` for Node, `iceoryx2-js-ffi` for Deno and
//! Bun) call the bridge's operations and nothing in iceoryx2 directly.

pub mod attributes;
pub mod blackboard;
pub mod bridge;
mod capacities;
pub mod config_file;
pub mod discovery;
pub mod error;
mod escape;
pub mod event;
pub mod flatbuffer;
pub mod handles;
pub mod leftovers;
pub mod limits;
pub mod logging;
pub mod node;
pub mod objects;
mod panics;
pub mod pattern;
pub mod pattern_tag;
pub mod port_events;
pub mod pubsub;
pub mod reactor;
mod record_queue;
pub mod request_response;
mod sending;
pub mod shm_guard;
pub mod spans;
mod system_report;
pub mod types;

pub use error::{Error, ErrorKind, Result};
pub use handles::{Handle, Span};
pub use objects::SampleMemory;

/// The iceoryx2 release this build links, from Cargo.lock (checked by the fronts' loaders).
pub const ICEORYX2_VERSION: &str = "0.10.0";

/// Releases any handle (node, service, port or sample) and everything created from it.
/// Returns `false` when it was already closed.
pub fn close(handle: Handle) -> bool {
    handles::close(handle)
}

/// Sets iceoryx2's log level: 0 trace, 1 debug, 2 info, 3 warn, 4 error, 5 fatal. Overrides
/// `IOX2_LOG_LEVEL`, which [`logging::init`] reads first.
pub fn set_log_level(level: u32) -> Result<()> {
    use iceoryx2::prelude::LogLevel;
    logging::init();
    let level = match level {
        0 => LogLevel::Trace,
        1 => LogLevel::Debug,
        2 => LogLevel::Info,
        3 => LogLevel::Warn,
        4 => LogLevel::Error,
        5 => LogLevel::Fatal,
        _ => {
            return Err(Error::invalid_argument(format!(
                "log level {level} is not 0..=5"
            )))
        }
    };
    logging::set_level(level);
    Ok(())
}

/// iceoryx2's log level now (0 trace … 5 fatal): from `IOX2_LOG_LEVEL` until set.
pub fn log_level() -> u32 {
    u32::from(logging::level())
}
