//! Node-API front of iceoryx2-js: converts JavaScript values to and from `iox2js_core` calls.
//! No iceoryx2 logic lives here.
//!
//! Every entry point that reaches iceoryx2 catches panics (`catch_unwind`), so none can abort
//! the process. Control operations (JSON) go through one function by name; every per-message
//! operation is a function of its own (`operations.rs`). Errors are thrown as JS `Error`s whose
//! `code` is the core's error-kind name; `core-api` turns them into `Iox2Error`s. Sample memory
//! is described by numbers (handle, layout, address); buffers over shared memory are made by the
//! view operations (`iox2js_core::spans`), and a sample's own buffer is detached here before the
//! sample is consumed, so no JS view can outlive the memory it points to.

use std::sync::Arc;

use napi::bindgen_prelude::{ArrayBuffer, Env, Function, Object, Status};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

pub mod entry_points;
mod operations;

use iox2js_core::spans::SAMPLE_INFO_LEN;
use iox2js_core::{bridge, Error};

type JsResult<T> = napi::Result<T>;

/// Throws `error` as a JS `Error` whose `code` is the kind's name.
fn throw(env: &Env, error: Error) -> napi::Error {
    // A NUL byte (e.g. from a user-supplied name) would make napi refuse the message.
    let message = error.message.replace('\0', "\\0");
    match env.throw_error(&message, Some(error.kind.name())) {
        Ok(()) => napi::Error::from_status(Status::PendingException),
        Err(failure) => failure,
    }
}

/// Names of every error kind in code order (checked against `core-api`'s list by its tests).
#[napi]
pub fn error_kinds() -> Vec<String> {
    iox2js_core::ErrorKind::ALL
        .iter()
        .map(|k| k.name().to_string())
        .collect()
}

/// The iceoryx2 crate version this addon links.
#[napi]
pub fn iceoryx2_version() -> String {
    iox2js_core::ICEORYX2_VERSION.to_string()
}

/// Detaches a sample buffer whose sample is being closed with its parent.
#[napi]
pub fn detach(buffer: ArrayBuffer) -> JsResult<()> {
    if !buffer.is_detached()? {
        buffer.detach()?;
    }
    Ok(())
}

thread_local! {
    /// Where memory and view operations describe their result to this thread's JavaScript, which
    /// reads it through the buffer `sampleInfoBuffer` returns (no array crosses per call). One
    /// allocation per thread, leaked on purpose: JS may hold the buffer until the thread ends.
    static INFO: *mut f64 = Box::leak(Box::new([0.0f64; SAMPLE_INFO_LEN])).as_mut_ptr();
}

/// Runs `f` on this thread's info array.
pub(crate) fn with_info<T>(f: impl FnOnce(&mut [f64]) -> T) -> T {
    // SAFETY: INFO points to SAMPLE_INFO_LEN f64s owned by this thread for its lifetime; JS reads
    // them only between calls on this same thread, and `f` cannot call back into JS, so nothing
    // else reads or writes them while the slice lives.
    INFO.with(|info| f(unsafe { core::slice::from_raw_parts_mut(*info, SAMPLE_INFO_LEN) }))
}

/// This thread's info array as an ArrayBuffer of `SAMPLE_INFO_LEN` f64s (see `INFO`).
#[napi]
pub fn sample_info_buffer(env: &Env) -> JsResult<ArrayBuffer<'_>> {
    let data = INFO.with(|info| *info as *mut u8);
    // SAFETY: the array is never freed (see INFO), so the buffer can never outlive it.
    unsafe { ArrayBuffer::from_external(env, data, SAMPLE_INFO_LEN * 8, (), |_, _| {}) }
}

/// A control operation: JSON arguments in, JSON result out.
#[napi(catch_unwind)]
pub fn control(env: &Env, op: String, handle: f64, args_json: String) -> JsResult<String> {
    bridge::control(&op, handle, &args_json).map_err(|e| throw(env, e))
}

/// `{ sampleSend, publisherLoan, … }`: every per-message operation as its own function
/// (`operations.rs`), under the names and with the signatures of core-api's `NativeOperations`.
#[napi(ts_return_type = "import(\"@iceoryx2-js/core-api/runtime\").NativeOperations")]
pub fn operations(env: &Env) -> JsResult<Object<'_>> {
    operations::operations(env)
}

/// Delivers reactor wake-ups to a JS function on this thread. Weak: it never keeps the event
/// loop alive by itself (`core-api` holds a timer while it awaits something).
struct NodeSink(ThreadsafeFunction<f64, (), f64, Status, false, true>);

impl iox2js_core::reactor::Wake for NodeSink {
    fn wake(&self, token: f64) {
        self.0.call(token, ThreadsafeFunctionCallMode::NonBlocking);
    }
}

#[napi]
pub fn waker_start(callback: Function<f64, ()>) -> JsResult<()> {
    let function = callback
        .build_threadsafe_function::<f64>()
        .weak::<true>()
        .build()?;
    iox2js_core::reactor::set_thread_sink(Arc::new(NodeSink(function)));
    Ok(())
}

/// Like `waker_start`, and listener descriptors are then watched on this thread's own libuv
/// loop (`uv_poll`): a wake-up runs on the JS thread directly, without the reactor thread and
/// its hop through the thread-safe function (which stays installed for descriptors the loop
/// refuses). The watches never keep the loop alive (`core-api` holds a timer while it awaits).
#[napi]
pub fn waker_start_on_loop(env: &Env, callback: Function<f64, ()>) -> JsResult<()> {
    use napi::JsValue;
    let wake = callback.raw();
    waker_start(callback)?;
    uv_loop::install(env.raw(), wake).map_err(|e| throw(env, e))
}

/// Node's libuv loop as the core's [`iox2js_core::reactor::LoopPoll`] for one JS thread.
mod uv_loop {
    use std::alloc::{alloc_zeroed, dealloc, Layout};
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use std::ffi::{c_char, c_int, c_void, CStr};
    use std::os::fd::RawFd;
    use std::ptr::null_mut;
    use std::rc::Rc;

    use napi::sys;

    use iox2js_core::reactor::{loop_ready, set_thread_loop, LoopPoll};
    use iox2js_core::{Error, ErrorKind, Result};

    /// `UV_POLL` in libuv's `uv_handle_type` (checked by name at install).
    const UV_POLL: c_int = 8;
    const UV_READABLE: c_int = 1;
    /// How async hooks name the wake-up callbacks.
    const RESOURCE_NAME: &CStr = c"iceoryx2-js wake-up";

    type PollCallback = unsafe extern "C" fn(*mut c_void, c_int, c_int);
    type CloseCallback = unsafe extern "C" fn(*mut c_void);

    // libuv as the Node executable exports it (resolved when the addon loads, like napi_*).
    extern "C" {
        fn uv_handle_size(kind: c_int) -> usize;
        fn uv_handle_type_name(kind: c_int) -> *const c_char;
        fn uv_poll_init(event_loop: *mut sys::uv_loop_s, handle: *mut c_void, fd: c_int) -> c_int;
        fn uv_poll_start(handle: *mut c_void, events: c_int, callback: PollCallback) -> c_int;
        fn uv_poll_stop(handle: *mut c_void) -> c_int;
        fn uv_close(handle: *mut c_void, callback: Option<CloseCallback>);
        fn uv_unref(handle: *mut c_void);
        fn uv_strerror(error: c_int) -> *const c_char;
    }

    thread_local! {
        static LOOP: RefCell<Option<Rc<UvLoop>>> = const { RefCell::new(None) };
    }

    struct UvLoop {
        env: sys::napi_env,
        event_loop: *mut sys::uv_loop_s,
        /// The JS function wake-ups call, and the async context they run in.
        wake: Cell<sys::napi_ref>,
        context: sys::napi_async_context,
        /// `uv_poll_t` handles by registration key; each is freed by its close callback.
        polls: RefCell<HashMap<usize, *mut c_void>>,
        layout: Layout,
        /// The environment is being torn down: every handle is closed, none is opened again.
        torn_down: Cell<bool>,
        /// Handles closed at tear-down whose close callback has not run, and the hook that
        /// waits for them (Node closes the loop only after it is removed).
        closing: Cell<usize>,
        cleanup: Cell<sys::napi_async_cleanup_hook_handle>,
    }

    fn failure(what: &str, status: c_int) -> Error {
        // SAFETY: uv_strerror returns a static NUL-terminated string for any code.
        let reason = unsafe { CStr::from_ptr(uv_strerror(status)) }.to_string_lossy();
        Error::new(ErrorKind::InternalFailure, format!("{what}: {reason}"))
    }

    fn napi_failure(what: &str) -> Error {
        Error::new(
            ErrorKind::InternalFailure,
            format!("Node-API failed to {what}"),
        )
    }

    /// Installs this thread's loop (once; a later call only replaces the JS function).
    pub(super) fn install(env: sys::napi_env, wake: sys::napi_value) -> Result<()> {
        let mut reference = null_mut();
        // SAFETY: `env` and `wake` are the current call's; the reference keeps `wake` alive.
        if unsafe { sys::napi_create_reference(env, wake, 1, &mut reference) }
            != sys::Status::napi_ok
        {
            return Err(napi_failure("reference the wake-up function"));
        }
        if let Some(existing) = LOOP.with(|l| l.borrow().clone()) {
            let previous = existing.wake.replace(reference);
            // SAFETY: `previous` was created on this env and is no longer used.
            unsafe { sys::napi_delete_reference(env, previous) };
            return Ok(());
        }
        // SAFETY: the type number is checked by name before any handle of that type is made.
        let poll_type = unsafe { CStr::from_ptr(uv_handle_type_name(UV_POLL)) };
        let size = unsafe { uv_handle_size(UV_POLL) };
        let layout = Layout::from_size_align(size, 16)
            .ok()
            .filter(|_| poll_type.to_bytes() == b"poll" && size > 0);
        let mut event_loop = null_mut();
        let mut context = null_mut();
        let mut name = null_mut();
        // SAFETY: plain Node-API calls on the current env with out-pointers to locals.
        let ready = unsafe {
            sys::napi_get_uv_event_loop(env, &mut event_loop) == sys::Status::napi_ok
                && !event_loop.is_null()
                && sys::napi_create_string_utf8(
                    env,
                    RESOURCE_NAME.as_ptr(),
                    RESOURCE_NAME.count_bytes() as isize,
                    &mut name,
                ) == sys::Status::napi_ok
                && sys::napi_async_init(env, null_mut(), name, &mut context) == sys::Status::napi_ok
        };
        let (Some(layout), true) = (layout, ready) else {
            // SAFETY: created above on this env.
            unsafe { sys::napi_delete_reference(env, reference) };
            return Err(napi_failure("reach the libuv loop"));
        };
        let uv = Rc::new(UvLoop {
            env,
            event_loop,
            wake: Cell::new(reference),
            context,
            polls: RefCell::new(HashMap::new()),
            layout,
            torn_down: Cell::new(false),
            closing: Cell::new(0),
            cleanup: Cell::new(null_mut()),
        });
        let mut cleanup = null_mut();
        // SAFETY: the hook runs on this thread while the env is torn down; `arg` is unused.
        if unsafe {
            sys::napi_add_async_cleanup_hook(env, Some(tear_down), null_mut(), &mut cleanup)
        } != sys::Status::napi_ok
        {
            uv.release_js();
            return Err(napi_failure("register the environment's cleanup"));
        }
        uv.cleanup.set(cleanup);
        LOOP.with(|l| *l.borrow_mut() = Some(uv.clone()));
        set_thread_loop(uv);
        Ok(())
    }

    impl UvLoop {
        fn handle(&self, key: usize) -> Result<*mut c_void> {
            self.polls.borrow().get(&key).copied().ok_or_else(|| {
                Error::new(
                    ErrorKind::InternalFailure,
                    "the loop has no watch with this key",
                )
            })
        }

        /// Calls the wake-up function with `token` as libuv callbacks call JavaScript: in a
        /// handle scope, through `napi_make_callback` (which runs the microtasks after it).
        fn wake_js(&self, token: f64) {
            let env = self.env;
            // SAFETY: on the JS thread inside a libuv callback, outside any other JS call; every
            // value lives in the scope opened here.
            unsafe {
                let mut scope = null_mut();
                if sys::napi_open_handle_scope(env, &mut scope) != sys::Status::napi_ok {
                    return;
                }
                let (mut function, mut global, mut argument, mut result) =
                    (null_mut(), null_mut(), null_mut(), null_mut());
                if sys::napi_get_reference_value(env, self.wake.get(), &mut function)
                    == sys::Status::napi_ok
                    && sys::napi_get_global(env, &mut global) == sys::Status::napi_ok
                    && sys::napi_create_double(env, token, &mut argument) == sys::Status::napi_ok
                    && sys::napi_make_callback(
                        env,
                        self.context,
                        global,
                        function,
                        1,
                        &argument,
                        &mut result,
                    ) == sys::Status::napi_pending_exception
                {
                    // Thrown by JavaScript: reported like any callback's uncaught exception.
                    let mut exception = null_mut();
                    if sys::napi_get_and_clear_last_exception(env, &mut exception)
                        == sys::Status::napi_ok
                    {
                        sys::napi_fatal_exception(env, exception);
                    }
                }
                sys::napi_close_handle_scope(env, scope);
            }
        }

        fn release_js(&self) {
            // SAFETY: both were created on this env, which is still alive (install or tear-down).
            unsafe {
                sys::napi_delete_reference(self.env, self.wake.get());
                sys::napi_async_destroy(self.env, self.context);
            }
        }
    }

    impl LoopPoll for UvLoop {
        fn open(&self, key: usize, fd: RawFd) -> Result<()> {
            if self.torn_down.get() {
                return Err(Error::new(
                    ErrorKind::InternalFailure,
                    "the event loop is shutting down",
                ));
            }
            // SAFETY: `layout` has uv_poll_t's size; the memory is freed by `closed` only.
            let handle = unsafe { alloc_zeroed(self.layout) } as *mut c_void;
            if handle.is_null() {
                return Err(Error::new(
                    ErrorKind::InternalFailure,
                    "out of memory for a loop watch",
                ));
            }
            // SAFETY: `handle` is zeroed memory of uv_poll_t's size; `fd` is open.
            let status = unsafe { uv_poll_init(self.event_loop, handle, fd) };
            if status != 0 {
                // SAFETY: never initialised, so libuv holds no reference to it.
                unsafe { dealloc(handle as *mut u8, self.layout) };
                return Err(failure(
                    &format!("cannot watch descriptor {fd} on the loop"),
                    status,
                ));
            }
            // SAFETY: `data` is the first field of every libuv handle; the key rides in it.
            unsafe {
                *(handle as *mut *mut c_void) = key as *mut c_void;
                uv_unref(handle);
            }
            self.polls.borrow_mut().insert(key, handle);
            Ok(())
        }

        fn start(&self, key: usize) -> Result<()> {
            let handle = self.handle(key)?;
            // SAFETY: an initialised, open poll handle of this loop.
            let status = unsafe { uv_poll_start(handle, UV_READABLE, readable) };
            if status != 0 {
                return Err(failure("cannot start a loop watch", status));
            }
            Ok(())
        }

        fn stop(&self, key: usize) {
            if let Ok(handle) = self.handle(key) {
                // SAFETY: as in `start`.
                unsafe { uv_poll_stop(handle) };
            }
        }

        fn close(&self, key: usize) {
            let handle = self.polls.borrow_mut().remove(&key);
            if let Some(handle) = handle {
                // Removes the descriptor from the loop's epoll set at once; memory goes later.
                // SAFETY: an open handle of this loop, closed once (it left `polls`).
                unsafe { uv_close(handle, Some(closed)) };
            }
        }
    }

    unsafe extern "C" fn readable(handle: *mut c_void, status: c_int, _events: c_int) {
        // SAFETY: libuv passes the handle `open` made, whose `data` holds the key.
        let key = unsafe { *(handle as *mut *mut c_void) } as usize;
        let Some(token) = loop_ready(key, status < 0) else {
            return;
        };
        if let Ok(Some(uv)) = LOOP.try_with(|l| l.borrow().clone()) {
            uv.wake_js(token);
        }
    }

    unsafe extern "C" fn closed(handle: *mut c_void) {
        let Ok(Some(uv)) = LOOP.try_with(|l| l.borrow().clone()) else {
            return;
        };
        // SAFETY: allocated by `open` with this layout; libuv is done with it.
        unsafe { dealloc(handle as *mut u8, uv.layout) };
        if uv.torn_down.get() {
            uv.closing.set(uv.closing.get() - 1);
            if uv.closing.get() == 0 {
                // SAFETY: the hook's handle, removed once, after its last handle closed.
                unsafe { sys::napi_remove_async_cleanup_hook(uv.cleanup.get()) };
            }
        }
    }

    /// The environment goes away: close every watch, and let Node continue once they closed.
    unsafe extern "C" fn tear_down(_: sys::napi_async_cleanup_hook_handle, _: *mut c_void) {
        let Ok(Some(uv)) = LOOP.try_with(|l| l.borrow().clone()) else {
            return;
        };
        uv.torn_down.set(true);
        uv.release_js();
        let handles: Vec<_> = uv.polls.borrow_mut().drain().map(|(_, h)| h).collect();
        uv.closing.set(handles.len());
        if handles.is_empty() {
            // SAFETY: the hook's own handle, removed once.
            unsafe { sys::napi_remove_async_cleanup_hook(uv.cleanup.get()) };
            return;
        }
        for handle in handles {
            // SAFETY: open handles of this loop, each closed once (they left `polls`).
            unsafe { uv_close(handle, Some(closed)) };
        }
    }
}
