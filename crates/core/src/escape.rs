//! A memory fault inside a native call ends that call, not the process.
//!
//! iceoryx2 follows offsets and indices it reads from shared memory. A process that writes
//! garbage into a service's files sends it to addresses outside any mapping (often
//! non-canonical ones, which fault without an address), where no page can be mapped to absorb
//! the access. Every bridge operation therefore runs as an *escapable* call: a SIGSEGV or SIGBUS
//! on the calling thread while it runs jumps back to the call's start (`native/escape.c`), and
//! the call fails instead of the process.
//!
//! The frames between the start and the fault are abandoned, not unwound: their destructors do
//! not run and what they held stays held. [`crate::panics::guarded`] accounts for what the core
//! itself holds (the handle table's borrow) and abandons the objects the call named, up to and
//! including their node (iceoryx2 may have held the node's lock), so nothing touches their
//! state again. Faults outside an escapable call (JavaScript, the runtime's own code) are
//! chained to the runtime's handlers untouched ([`crate::shm_guard`]).

use core::ffi::{c_int, c_void};

extern "C" {
    fn iox2js_escape_init() -> c_int;
    fn iox2js_run_escapable(
        body: extern "C" fn(*mut c_void),
        context: *mut c_void,
        address: *mut *mut c_void,
    ) -> c_int;
    fn iox2js_escapable() -> c_int;
    fn iox2js_escape(signal: c_int, address: *mut c_void) -> !;
}

/// A fault that ended an escapable call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fault {
    pub signal: c_int,
    /// The faulting address; 0 when the processor reported none (a non-canonical address).
    pub address: usize,
}

impl Fault {
    pub(crate) fn signal_name(&self) -> &'static str {
        match self.signal {
            libc::SIGSEGV => "SIGSEGV",
            libc::SIGBUS => "SIGBUS",
            _ => "a memory fault",
        }
    }
}

/// Prepares escapes; once per process, before the fault handler is installed. Without it (the
/// key could not be made) calls run unguarded, as they did before this module existed.
pub(crate) fn init() -> bool {
    // SAFETY: no preconditions; called once (under `shm_guard::install`'s `Once`).
    unsafe { iox2js_escape_init() == 0 }
}

/// Runs `body`, which must not unwind (wrap it in `catch_unwind`); returns its result, or the
/// fault that ended it. On a fault, whatever `body`'s frames held is leaked.
pub(crate) fn run<T, F: FnOnce() -> T>(body: F) -> Result<T, Fault> {
    struct Call<F, T> {
        body: Option<F>,
        result: Option<T>,
    }
    extern "C" fn call<F: FnOnce() -> T, T>(context: *mut c_void) {
        // SAFETY: `context` is the `Call` below, exclusively ours for the duration of the call.
        let call = unsafe { &mut *context.cast::<Call<F, T>>() };
        if let Some(body) = call.body.take() {
            call.result = Some(body());
        }
    }
    let mut state = Call {
        body: Some(body),
        result: None,
    };
    let mut address: *mut c_void = core::ptr::null_mut();
    // SAFETY: `call::<F, T>` matches `state`'s type; `state` and `address` outlive the call. The
    // body cannot unwind into C (the contract above; `extern "C"` aborts if it does). A fault
    // abandons `call`'s frames, which then own the moved-out body: leaked, never dropped twice.
    let signal = unsafe {
        iox2js_run_escapable(
            call::<F, T>,
            (&raw mut state).cast(),
            &raw mut address,
        )
    };
    if signal == 0 {
        Ok(state.result.expect("the body ran to its end"))
    } else {
        Err(Fault {
            signal,
            address: address as usize,
        })
    }
}

/// From a SIGSEGV or SIGBUS handler: ends the faulting thread's escapable call with this fault,
/// if the thread is inside one; returns otherwise (the fault is someone else's).
///
/// # Safety
/// Only from a handler of a synchronous fault, on the faulting thread.
pub(crate) unsafe fn escape_if_escapable(signal: c_int, address: usize) {
    if iox2js_escapable() != 0 {
        iox2js_escape(signal, address as *mut c_void);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_that_returns_gives_its_result() {
        assert_eq!(run(|| 6 * 7).unwrap(), 42);
    }
}
