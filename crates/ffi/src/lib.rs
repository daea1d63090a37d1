//! C-ABI front of iceoryx2-js for `Deno.dlopen` and `bun:ffi`: a thin layer over
//! `iox2js_core`, shaped for JavaScript FFI.
//!
//! Conventions (see `docs/c-abi.md`):
//! - handles are `f64` holding an integer below 2^53, so JS passes plain numbers (fast paths);
//! - a call that yields a handle or a count returns it as `f64`; failures return the negated
//!   error-kind code (`-kind`), and `iox2js_last_message` copies the message out;
//! - memory operations (`iox2js_publisher_loan`, `iox2js_listener_take`…) return 1 (made), 0 (none) or
//!   `-kind`, and describe what they made in a caller-owned `f64[SAMPLE_INFO_LEN]` (a sample:
//!   `[handle, payload offset, payload length, user-header length, address, span length]`;
//!   taken events: their count, then (id, count) pairs);
//! - view operations return a pointer to make a buffer over (null on failure, `info[0] = -kind`)
//!   with `[start address, length]` in `info`;
//! - strings go in as (pointer, byte length) UTF-8, come out through `iox2js_last_message`;
//! - every per-message operation is its own symbol, `iox2js_<name>`, exported from the core's
//!   declaration (`iox2js_core::per_message_operations!`); control operations go through
//!   `iox2js_control` (name + JSON, result JSON as the last message);
//! - no structs by value, no panic unwinds across the boundary; the one callback is the wake-up
//!   sink (`iox2js_waker_start`), called from the reactor thread with a token.

use core::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use iox2js_core::spans::slot::LISTED;
use iox2js_core::spans::{SAMPLE_INFO_LEN, VIEW_START};
use iox2js_core::{bridge, Error, ErrorKind, Result};

/// Bumped whenever a symbol's signature or meaning changes; the JS loaders check it.
pub const ABI_VERSION: u32 = 5;

/// One exported symbol in `Deno.dlopen`'s vocabulary (Bun's adapter maps the type names).
pub struct Symbol {
    pub name: &'static str,
    pub parameters: &'static [&'static str],
    pub result: &'static str,
}

/// How a parameter type crosses: a number, or `buffer` (a typed array's bytes), or `function`.
pub trait Parameter {
    const NAME: &'static str;
}

/// How a result type crosses: a number, or `pointer`.
pub trait Returned {
    const NAME: &'static str;
}

macro_rules! crossing {
    ($trait:ident: $($type:ty => $name:literal),* $(,)?) => {
        $(impl $trait for $type {
            const NAME: &'static str = $name;
        })*
    };
}
crossing!(Parameter: u32 => "u32", i32 => "i32", f64 => "f64", usize => "usize",
    *const u8 => "buffer", *mut u8 => "buffer", *mut f64 => "buffer",
    Option<extern "C" fn(f64)> => "function");
crossing!(Returned: u32 => "u32", f64 => "f64", *mut u8 => "pointer");

/// Declares the symbol table from the functions' signatures, each checked against the function
/// it names at compile time: a signature written here that differs does not build.
macro_rules! symbols {
    ($($name:ident($($parameter:ty),*) -> $result:ty;)*) => {
        /// Every symbol of this library; the code generator writes it into core-api
        /// (`C_ABI_SYMBOLS`), the table the Deno and Bun adapters open the library with.
        pub const SYMBOLS: &[Symbol] = &[$(Symbol {
            name: stringify!($name),
            parameters: &[$(<$parameter as Parameter>::NAME),*],
            result: <$result as Returned>::NAME,
        },)*];
        $(const _: unsafe extern "C" fn($($parameter),*) -> $result = $name;)*
    };
}

symbols! {
    iox2js_abi_version() -> u32;
    iox2js_error_kind_count() -> u32;
    iox2js_error_kind_name(i32) -> f64;
    iox2js_iceoryx2_version() -> f64;
    iox2js_last_message(*mut u8, usize) -> f64;
    iox2js_control(*const u8, usize, f64, *const u8, usize) -> f64;
    iox2js_waker_start(Option<extern "C" fn(f64)>) -> f64;
}

thread_local! {
    /// The last error message or string result of this thread.
    static LAST_MESSAGE: RefCell<String> = const { RefCell::new(String::new()) };
}

fn set_message(message: String) {
    LAST_MESSAGE.with(|m| *m.borrow_mut() = message);
}

fn fail(error: Error) -> f64 {
    let code = error.kind.code();
    set_message(error.message);
    -(code as f64)
}

/// Runs `body`, turning errors and panics into the negated kind code.
fn guard(body: impl FnOnce() -> Result<f64>) -> f64 {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => value,
        Ok(Err(error)) => fail(error),
        Err(_) => fail(Error::new(
            ErrorKind::InternalFailure,
            "a native panic was caught",
        )),
    }
}

/// Borrows `len` bytes at `ptr` as UTF-8.
///
/// # Safety
/// `ptr` must be null (then `len` must be 0) or point to `len` readable bytes for the call.
unsafe fn utf8<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str> {
    let bytes = unsafe { bytes(ptr, len, what)? };
    core::str::from_utf8(bytes)
        .map_err(|e| Error::invalid_argument(format!("{what} is not valid UTF-8: {e}")))
}

/// # Safety
/// As [`utf8`].
unsafe fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8]> {
    match (ptr.is_null(), len) {
        (true, 0) => Ok(&[]),
        (true, _) => Err(Error::invalid_argument(format!(
            "{what} is a null pointer with length {len}"
        ))),
        // SAFETY: the caller guarantees `len` readable bytes at a non-null `ptr`.
        (false, _) => Ok(unsafe { core::slice::from_raw_parts(ptr, len) }),
    }
}

/// Runs `body` on the info array; returns its status, or `-kind` (also written to `info[0]`).
///
/// # Safety
/// `info` must be null or point to `SAMPLE_INFO_LEN` writable `f64`s.
unsafe fn with_info(info: *mut f64, body: impl FnOnce(&mut [f64]) -> Result<f64>) -> f64 {
    if info.is_null() {
        return fail(Error::invalid_argument("the info pointer is null"));
    }
    // SAFETY: checked non-null; the caller guarantees SAMPLE_INFO_LEN writable f64s.
    let info = unsafe { core::slice::from_raw_parts_mut(info, SAMPLE_INFO_LEN) };
    // A sample's slots start clear; the event slots are written before anything reads them.
    info[..LISTED].fill(0.0);
    let status = guard(|| body(info));
    if status < 0.0 {
        info[0] = status;
    }
    status
}

#[no_mangle]
pub extern "C" fn iox2js_abi_version() -> u32 {
    ABI_VERSION
}

/// Number of error kinds; kind codes are 1..=count.
#[no_mangle]
pub extern "C" fn iox2js_error_kind_count() -> u32 {
    ErrorKind::ALL.len() as u32
}

/// Stores the name of error kind `code` as the last message; returns its length or -1.
#[no_mangle]
pub extern "C" fn iox2js_error_kind_name(code: i32) -> f64 {
    match ErrorKind::from_code(code) {
        Some(kind) => {
            set_message(kind.name().into());
            kind.name().len() as f64
        }
        None => -1.0,
    }
}

/// Stores the linked iceoryx2 version as the last message; returns its length.
#[no_mangle]
pub extern "C" fn iox2js_iceoryx2_version() -> f64 {
    set_message(iox2js_core::ICEORYX2_VERSION.into());
    iox2js_core::ICEORYX2_VERSION.len() as f64
}

/// Copies up to `capacity` bytes of the last message (UTF-8) into `buffer`; returns the
/// message's full length (as `f64`, like every count this ABI returns).
///
/// # Safety
/// `buffer` must be null or point to `capacity` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn iox2js_last_message(buffer: *mut u8, capacity: usize) -> f64 {
    LAST_MESSAGE.with(|message| {
        let message = message.borrow();
        let n = message.len().min(capacity);
        if !buffer.is_null() && n > 0 {
            // SAFETY: the caller guarantees `capacity` writable bytes; n <= capacity.
            unsafe { core::ptr::copy_nonoverlapping(message.as_ptr(), buffer, n) };
        }
        message.len() as f64
    })
}

/// Runs control operation `op` (UTF-8 name) with JSON `args`; stores the JSON result as the
/// last message and returns its length, or `-kind`.
///
/// # Safety
/// `op` must point to `op_len` readable bytes and `args` to `args_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn iox2js_control(
    op: *const u8,
    op_len: usize,
    handle: f64,
    args: *const u8,
    args_len: usize,
) -> f64 {
    guard(|| {
        let op = unsafe { utf8(op, op_len, "operation name")? };
        let args = unsafe { utf8(args, args_len, "operation arguments")? };
        let result = bridge::control(op, handle, args)?;
        if op == "node.create" {
            exit_release::record_node(&result);
        }
        let len = result.len();
        set_message(result);
        Ok(len as f64)
    })
}

/// Nodes closed when the process ends by `quick_exit`.
///
/// Node and Deno end with `exit()`, which runs the exiting thread's thread-local destructors:
/// the handle table drops, and every node still open releases its shared memory and node files.
/// Bun ends with `quick_exit()` (normal end, `process.exit` and uncaught exceptions alike), which
/// runs neither those destructors nor `atexit` handlers, only `at_quick_exit` ones; without this
/// every node a Bun program left open would stay behind as a dead node. The handler runs after
/// the last JavaScript, so nothing can touch the memory it unmaps.
mod exit_release {
    use core::cell::RefCell;
    use std::panic::catch_unwind;

    use iox2js_core::handles;

    thread_local! {
        /// The nodes this thread created and has not closed (as far as the last creation saw).
        static NODES: RefCell<Vec<handles::Handle>> = const { RefCell::new(Vec::new()) };
    }

    /// Records the node `node.create` returned (`result`, its JSON: the handle).
    pub(super) fn record_node(result: &str) {
        let Some(node) = result
            .parse::<f64>()
            .ok()
            .and_then(|h| handles::from_f64(h).ok())
        else {
            return;
        };
        NODES.with(|nodes| {
            let mut nodes = nodes.borrow_mut();
            // Closed ones go, so a program that creates and closes nodes in a loop keeps none.
            nodes.retain(|&n| handles::parent(n).is_ok());
            nodes.push(node);
        });
        register();
    }

    #[cfg(target_os = "linux")]
    fn register() {
        extern "C" {
            fn at_quick_exit(handler: extern "C" fn()) -> core::ffi::c_int;
        }
        static REGISTER: std::sync::Once = std::sync::Once::new();
        // SAFETY: registers a plain function; glibc and musl both provide at_quick_exit.
        REGISTER.call_once(|| unsafe {
            at_quick_exit(release);
        });
    }

    /// Only Linux is known to end Bun with `quick_exit` (and to have `at_quick_exit` in every libc).
    #[cfg(not(target_os = "linux"))]
    fn register() {}

    /// Closes the exiting thread's nodes, each with everything created from it.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    extern "C" fn release() {
        // A panic must not unwind out of an exit handler (that aborts the process).
        let _ = catch_unwind(|| {
            let nodes = NODES.try_with(|nodes| core::mem::take(&mut *nodes.borrow_mut()));
            for node in nodes.unwrap_or_default() {
                handles::close(node);
            }
        });
    }
}

/// Runs a memory operation: 1 when it made something (described in `info`), 0 when not, or `-kind`.
///
/// # Safety
/// `info` must be null or point to `SAMPLE_INFO_LEN` writable `f64`s.
unsafe fn run_memory(info: *mut f64, run: impl FnOnce(&mut [f64]) -> Result<bool>) -> f64 {
    unsafe {
        with_info(info, |info| {
            run(info).map(|made| if made { 1.0 } else { 0.0 })
        })
    }
}

/// Runs a view operation: the start of the span to make a buffer over, with `[start address,
/// length]` in `info`; null with `info[0] == -kind` on failure.
///
/// # Safety
/// As [`run_memory`].
unsafe fn run_view(
    info: *mut f64,
    run: impl FnOnce() -> Result<iox2js_core::handles::Span>,
) -> *mut u8 {
    let mut start = core::ptr::null_mut();
    let status = unsafe {
        with_info(info, |info| {
            let span = run()?;
            start = span.start as *mut u8;
            info[VIEW_START] = span.start as f64;
            info[VIEW_START + 1] = span.len as f64;
            Ok(1.0)
        })
    };
    if status < 0.0 {
        core::ptr::null_mut()
    } else {
        start
    }
}

/// Runs a send-copy operation on `payload` and `header` (either may be null with length 0).
///
/// # Safety
/// `payload` must point to `payload_len` readable bytes, `header` to `header_len`.
unsafe fn run_send_copy(
    payload: *const u8,
    payload_len: f64,
    header: *const u8,
    header_len: f64,
    run: impl FnOnce(&[u8], &[u8]) -> Result<f64>,
) -> f64 {
    guard(|| {
        // Lengths cross as f64: Deno's fast path passes numbers, not 64-bit integers.
        let payload_len = bridge::count(payload_len, "payload length")?;
        let header_len = bridge::count(header_len, "header length")?;
        let payload = unsafe { bytes(payload, payload_len, "payload")? };
        let header = unsafe { bytes(header, header_len, "header")? };
        run(payload, header)
    })
}

/// Exports one symbol per operation, `iox2js_<name>`, from the core's declaration
/// (`iox2js_core::per_message_operations!`), and lists them in `OPERATION_SYMBOLS`. The
/// parameter types of each shape are written once, in its arm, for both.
macro_rules! operation_symbols {
    (@parameters ($($parameter:ident : $type:ty),*)) => { &[$(<$type as Parameter>::NAME),*] };
    (@shape $shape:ident $parameters:tt -> $result:ty = |$run:ident| $template:expr;
        $($(#[doc = $doc:literal])* $name:ident $js:literal = $body:expr;)*) => {
        pub mod $shape {
            use super::super::*;
            $(const _: () = {
                $(#[doc = $doc])*
                ///
                /// # Safety
                /// Pointer arguments must point to what the shape's runner documents.
                #[export_name = concat!("iox2js_", stringify!($name))]
                pub unsafe extern "C" fn symbol $parameters -> $result {
                    let $run = bridge::$shape::$name;
                    // SAFETY: the caller upholds the runner's pointer contract (see above).
                    #[allow(unused_unsafe)]
                    unsafe { $template }
                }
            };)*
            /// This shape's symbols.
            pub const SYMBOLS: &[Symbol] = &[$(Symbol {
                name: concat!("iox2js_", stringify!($name)),
                parameters: operation_symbols!(@parameters $parameters),
                result: <$result as Returned>::NAME,
            },)*];
        }
    };
    (call { $($call:tt)* } consume { $($consume:tt)* } memory { $($memory:tt)* }
        view { $($view:tt)* } send_copy { $($send_copy:tt)* }) => {
        mod operation_symbols {
            operation_symbols!(@shape call (handle: f64, arg: f64) -> f64 =
                |run| guard(|| run(handle, arg)); $($call)*);
            operation_symbols!(@shape consume (handle: f64) -> f64 =
                |run| guard(|| run(handle)); $($consume)*);
            operation_symbols!(@shape memory (handle: f64, a: f64, b: f64, info: *mut f64) -> f64 =
                |run| run_memory(info, |info| run(handle, a, b, info)); $($memory)*);
            operation_symbols!(@shape view (sample: f64, info: *mut f64) -> *mut u8 =
                |run| run_view(info, || run(sample)); $($view)*);
            operation_symbols!(@shape send_copy (handle: f64, payload: *const u8, payload_len: f64,
                header: *const u8, header_len: f64) -> f64 =
                |run| run_send_copy(payload, payload_len, header, header_len, |p, h| run(handle, p, h));
                $($send_copy)*);
            /// Every per-message operation's symbol, by shape.
            pub const OPERATION_SYMBOLS: &[&[super::Symbol]] =
                &[call::SYMBOLS, consume::SYMBOLS, memory::SYMBOLS, view::SYMBOLS, send_copy::SYMBOLS];
        }
    };
}

iox2js_core::per_message_operations!(operation_symbols);
pub use operation_symbols::OPERATION_SYMBOLS;

/// A wake-up sink that calls a C function pointer: Deno's `UnsafeCallback.threadSafe` and Bun's
/// threadsafe `JSCallback` both give pointers that may be called from any thread.
struct CallbackSink(extern "C" fn(f64));

impl iox2js_core::reactor::Wake for CallbackSink {
    fn wake(&self, token: f64) {
        (self.0)(token)
    }
}

/// Installs the calling thread's wake-up sink; returns 0, or `-kind` for a null pointer.
#[no_mangle]
pub extern "C" fn iox2js_waker_start(callback: Option<extern "C" fn(f64)>) -> f64 {
    guard(|| {
        let callback =
            callback.ok_or_else(|| Error::invalid_argument("the wake-up callback is null"))?;
        iox2js_core::reactor::set_thread_sink(std::sync::Arc::new(CallbackSink(callback)));
        Ok(0.0)
    })
}
