//! Panics and memory faults inside iceoryx2 become errors that say what happened.
//!
//! iceoryx2 panics when an invariant of its shared memory does not hold, which in practice means
//! another process corrupted a service's files. Every bridge operation runs under [`guarded`]:
//! the panic becomes an error carrying iceoryx2's message and location (recorded by a panic hook,
//! which prints nothing for these), and the object the call named is poisoned
//! ([`crate::handles::poison`]), so that closing it cannot run into the same memory again.
//! Garbage that sends iceoryx2 outside its mappings faults instead of panicking: the call is
//! escaped ([`crate::escape`]) and the objects it named are abandoned
//! ([`crate::handles::abandon`]).

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use crate::error::{Error, ErrorKind, Result};
use crate::handles;

/// This thread's native call, if one runs: its panics are reported as errors, and its warnings
/// counted ([`crate::logging`]).
#[derive(Clone, Copy)]
struct Call {
    running: bool,
    warnings: u32,
}

const NO_CALL: Call = Call {
    running: false,
    warnings: 0,
};

thread_local! {
    /// The running call (one thread-local, read once as a call starts and once as it ends).
    static CALL: Cell<Call> = const { Cell::new(NO_CALL) };
    /// The last guarded panic's message and location.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Counts a warning of this thread's native call and returns how many it logged; `None` outside
/// a call.
pub(crate) fn count_warning() -> Option<u32> {
    CALL.with(|call| {
        let mut now = call.get();
        if !now.running {
            return None;
        }
        now.warnings = now.warnings.saturating_add(1);
        call.set(now);
        Some(now.warnings)
    })
}

/// How much of iceoryx2's panic message an error carries.
const MESSAGE_CHARS: usize = 240;

fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CALL.with(|call| call.get().running) {
                return previous(info);
            }
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            // iceoryx2's fatal panics read "From: <the object's debug dump> ::: <message>"; the
            // dump of a corrupted structure is noise, the message is what it says.
            let message = match message.rsplit_once(" ::: ") {
                Some((from, said)) if from.starts_with("From: ") => said.to_owned(),
                _ => message,
            };
            // Some messages embed a dump themselves: the start says what happened.
            let message = if message.chars().count() > MESSAGE_CHARS {
                format!(
                    "{}…",
                    message.chars().take(MESSAGE_CHARS).collect::<String>()
                )
            } else {
                message
            };
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            LAST.with(|last| *last.borrow_mut() = Some(format!("{message}{location}")));
        }));
    });
}

/// Runs `body`; a panic becomes an error naming iceoryx2's report, and poisons `handle`; a
/// memory fault becomes an error naming the fault, and abandons `handle`.
pub(crate) fn guarded<T>(handle: f64, body: impl FnOnce() -> Result<T>) -> Result<T> {
    install_hook();
    let outer = CALL.with(|call| {
        call.replace(Call {
            running: true,
            warnings: 0,
        })
    });
    let outcome = crate::escape::run(|| catch_unwind(AssertUnwindSafe(body)));
    let ended = CALL.with(|call| call.replace(outer));
    crate::logging::end_call(ended.warnings);
    let named = || {
        handles::from_f64(handle)
            .ok()
            .filter(|&h| handles::parent(h).is_ok())
    };
    let outcome = match outcome {
        Ok(returned) => returned,
        Err(fault) => {
            // The abandoned frames may have held the table's loan; nothing else of this crate.
            handles::forget_abandoned_loan();
            let abandoned = named();
            if let Some(object) = abandoned {
                handles::abandon(object);
            }
            return Err(faulted(fault, abandoned.is_some()));
        }
    };
    outcome.unwrap_or_else(|_| {
        let report = LAST
            .with(|last| last.borrow_mut().take())
            .unwrap_or_else(|| "(no message)".into());
        match named() {
            Some(object) => {
                handles::poison(object);
                Err(Error::new(
                    ErrorKind::ServiceInCorruptedState,
                    format!(
                        "iceoryx2 stopped on a broken invariant of shared memory: {report}. The \
                         service's files are most likely corrupted (a broken or hostile process \
                         wrote into them). The object and the service it belongs to now fail \
                         safe: close them (their destructors are skipped, so their files stay \
                         until Node.cleanupDeadNodes or forceRemoveService removes them)"
                    ),
                ))
            }
            None => Err(Error::new(
                ErrorKind::InternalFailure,
                format!("iceoryx2 panicked: {report}"),
            )),
        }
    })
}

fn faulted(fault: crate::escape::Fault, named_an_object: bool) -> Error {
    use crate::escape::Fault;
    let what = match fault {
        Fault::Signal { signal, address } => {
            let name = if signal == libc::SIGBUS {
                "SIGBUS"
            } else {
                "SIGSEGV"
            };
            let at = match address {
                0 => "an address the processor would not name (a non-canonical pointer)".into(),
                address => format!("{address:#x}"),
            };
            format!(
                "iceoryx2 faulted ({name}) at {at} while following what it read from shared memory"
            )
        }
        Fault::Allocation { bytes } => format!(
            "iceoryx2 asked for {bytes} bytes of memory, a size it read from shared memory, and \
             the allocation failed"
        ),
        Fault::Runaway => format!(
            "iceoryx2 logged {} warnings in this one call, retrying a step that cannot succeed \
             (it would retry forever); the last: \"{}\"",
            crate::escape::RUNAWAY_WARNINGS,
            crate::logging::take_runaway_warning()
        ),
    };
    let then = if named_an_object {
        "The object the call was made on, the service and the node it belongs to are abandoned: \
         further calls on them fail, and closing them leaks them (their files stay until \
         Node.cleanupDeadNodes or forceRemoveService removes them). Create a new node; other \
         nodes of this process are unaffected"
    } else {
        "What the call had made so far is leaked"
    };
    Error::new(
        ErrorKind::ServiceInCorruptedState,
        format!(
            "{what}: a service's files hold garbage (a broken or hostile process wrote into \
             them), and the call was ended there. {then}"
        ),
    )
}
