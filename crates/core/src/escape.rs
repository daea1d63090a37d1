//! A memory fault inside a native call ends that call, not the process.
//!
//! iceoryx2 follows offsets, indices and sizes it reads from shared memory. A process that
//! writes garbage into a service's files sends it to addresses outside any mapping (often
//! non-canonical ones, which fault without an address), where no page can be mapped to absorb
//! the access; to allocations no machine has; or round a loop that retries forever. Every bridge
//! operation therefore runs as an *escapable* call, and the call fails instead of the process:
//! - a SIGSEGV or SIGBUS on the calling thread while it runs jumps back to the call's start
//!   (`native/escape.c`);
//! - so does an allocation that fails ([`EscapingAllocator`]), which would otherwise abort;
//! - and a call that logs [`RUNAWAY_WARNINGS`] warnings: iceoryx2 warns on each round of its
//!   retry loops, and one call that warned that often is in one that never ends
//!   ([`crate::logging`]).
//!
//! The frames between the start and the fault are abandoned, not unwound: their destructors do
//! not run and what they held stays held. [`crate::panics::guarded`] accounts for what the core
//! itself holds (the handle table's loan) and abandons the objects the call named, up to and
//! including their node (iceoryx2 may have held the node's lock), so nothing touches their
//! state again. Faults outside an escapable call (JavaScript, the runtime's own code) are
//! chained to the runtime's handlers untouched ([`crate::shm_guard`]).

use core::ffi::{c_int, c_void};

extern "C" {
    fn iox2js_escape_init() -> c_int;
    fn iox2js_run_escapable(
        body: extern "C" fn(*mut c_void),
        context: *mut c_void,
        value: *mut *mut c_void,
    ) -> c_int;
    fn iox2js_escapable() -> c_int;
    fn iox2js_escape(reason: c_int, value: *mut c_void) -> !;
}

/// Warnings one call may log before it counts as stuck in a loop. A working service's call warns
/// at most a few times per connection (a service has at most a few thousand ports), and all but
/// the first of a call's warnings are only counted, so the loop reaches this within milliseconds.
pub(crate) const RUNAWAY_WARNINGS: u32 = 100_000;

/// Why an escapable call ended early.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fault {
    /// SIGSEGV or SIGBUS at `address` (0 when the processor named none: a non-canonical one).
    Signal { signal: c_int, address: usize },
    /// An allocation of `bytes` failed.
    Allocation { bytes: usize },
    /// The call logged [`RUNAWAY_WARNINGS`] warnings.
    Runaway,
}

/// The reasons of the core's own, passed through `native/escape.c` as negative numbers.
const ALLOCATION: c_int = -1;
const RUNAWAY: c_int = -2;

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
    let signal =
        unsafe { iox2js_run_escapable(call::<F, T>, (&raw mut state).cast(), &raw mut address) };
    match signal {
        0 => Ok(state.result.expect("the body ran to its end")),
        ALLOCATION => Err(Fault::Allocation {
            bytes: address as usize,
        }),
        RUNAWAY => Err(Fault::Runaway),
        signal => Err(Fault::Signal {
            signal,
            address: address as usize,
        }),
    }
}

/// Ends the calling thread's escapable call as stuck in a loop, if it is inside one.
pub(crate) fn escape_runaway() {
    // SAFETY: normal code, on the thread whose call it ends; escapes only from inside one.
    unsafe {
        if iox2js_escapable() != 0 {
            iox2js_escape(RUNAWAY, core::ptr::null_mut());
        }
    }
}

/// The system allocator, except that a failed allocation inside an escapable call ends that call
/// instead of aborting the process (Rust's reaction to a failed allocation). The sizes that
/// fail are the ones garbage asks for: more than this machine has.
pub struct EscapingAllocator;

impl EscapingAllocator {
    fn failed(bytes: usize) {
        // SAFETY: normal code, on the thread whose call it ends; escapes only from inside one.
        unsafe {
            if iox2js_escapable() != 0 {
                iox2js_escape(ALLOCATION, bytes as *mut c_void);
            }
        }
    }
}

// SAFETY: every call is forwarded to `System` unchanged; a failure either escapes (never
// returning a pointer) or is returned as it is.
unsafe impl core::alloc::GlobalAlloc for EscapingAllocator {
    unsafe fn alloc(&self, layout: core::alloc::Layout) -> *mut u8 {
        let pointer = std::alloc::System.alloc(layout);
        if pointer.is_null() {
            Self::failed(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: core::alloc::Layout) -> *mut u8 {
        let pointer = std::alloc::System.alloc_zeroed(layout);
        if pointer.is_null() {
            Self::failed(layout.size());
        }
        pointer
    }

    unsafe fn realloc(
        &self,
        pointer: *mut u8,
        layout: core::alloc::Layout,
        new_size: usize,
    ) -> *mut u8 {
        let moved = std::alloc::System.realloc(pointer, layout, new_size);
        if moved.is_null() {
            Self::failed(new_size);
        }
        moved
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: core::alloc::Layout) {
        std::alloc::System.dealloc(pointer, layout)
    }
}

#[global_allocator]
static ALLOCATOR: EscapingAllocator = EscapingAllocator;

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

    #[test]
    fn an_allocation_no_machine_has_ends_the_call_and_the_next_call_runs() {
        crate::shm_guard::install();
        let outcome = run(|| {
            let mut huge = Vec::<u8>::new();
            huge.reserve_exact(isize::MAX as usize / 2);
            huge.len()
        });
        assert!(
            matches!(outcome, Err(Fault::Allocation { bytes }) if bytes >= isize::MAX as usize / 2)
        );
        assert_eq!(run(|| 1).unwrap(), 1);
    }

    #[test]
    fn a_null_read_ends_the_call_with_its_address() {
        crate::shm_guard::install();
        let outcome = run(|| {
            let wild = core::hint::black_box(8usize) as *const u64;
            // SAFETY: not safe: the fault is the point; the escape ends the call at the read.
            unsafe { wild.read_volatile() }
        });
        assert!(matches!(
            outcome,
            Err(Fault::Signal {
                signal: libc::SIGSEGV,
                address: 8
            })
        ));
        assert_eq!(run(|| 2).unwrap(), 2);
    }
}
