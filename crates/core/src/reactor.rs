//! Waking JavaScript when a listener becomes readable, without blocking its event loop and
//! without spinning.
//!
//! One background thread per process waits (epoll/kqueue via `polling`) on the file descriptors
//! of listeners JavaScript awaits. It touches no iceoryx2 object: when a descriptor turns
//! readable it only calls the waking thread's [`Wake`] sink with the watch's token, and the JS
//! thread then takes the events itself (non-blocking) on its own handle table.
//!
//! Interest is one-shot: a token fires at most once, then JS re-arms with a new watch. Tokens are
//! never reused, so a late wake for a cancelled watch is recognised and ignored by JS.
//!
//! Safety of descriptors: every registration, deregistration and the reactor's own removal of a
//! fired registration happen under one mutex, and a watched listener deregisters (under that
//! mutex) in its destructor before its descriptor closes. So the poller never holds a
//! descriptor number that was closed and reused.

use std::collections::HashMap;
use std::os::fd::{BorrowedFd, RawFd};
use std::sync::{Arc, Mutex, OnceLock};

use polling::{Event, Events, Poller};

use crate::error::{Error, ErrorKind, Result};

/// Where a front delivers wake-ups: a Node thread-safe function, a Deno/Bun thread-safe callback.
pub trait Wake: Send + Sync {
    /// Called on the reactor thread; must only queue `token` for the JS thread.
    fn wake(&self, token: f64);
}

struct Watch {
    fd: RawFd,
    sink: Arc<dyn Wake>,
}

struct Reactor {
    poller: Poller,
    watches: Mutex<HashMap<usize, Watch>>,
}

static REACTOR: OnceLock<std::result::Result<Arc<Reactor>, String>> = OnceLock::new();

thread_local! {
    /// The sink of the JS thread that runs on this OS thread (main thread or a Worker).
    static SINK: core::cell::RefCell<Option<Arc<dyn Wake>>> = const { core::cell::RefCell::new(None) };
    static NEXT_TOKEN: core::cell::Cell<u64> = const { core::cell::Cell::new(1) };
}

fn reactor() -> Result<Arc<Reactor>> {
    let started = REACTOR.get_or_init(|| {
        let reactor = Arc::new(Reactor {
            poller: Poller::new().map_err(|e| format!("cannot create the poller: {e}"))?,
            watches: Mutex::new(HashMap::new()),
        });
        let background = reactor.clone();
        std::thread::Builder::new()
            .name("iceoryx2-js-reactor".into())
            .spawn(move || background.run())
            .map_err(|e| format!("cannot start the reactor thread: {e}"))?;
        Ok(reactor)
    });
    started
        .clone()
        .map_err(|message| Error::new(ErrorKind::InternalFailure, message))
}

impl Reactor {
    fn run(&self) {
        let mut events = Events::new();
        loop {
            events.clear();
            if self.poller.wait(&mut events, None).is_err() {
                // EINTR and friends: wait again; nothing is lost, interest stays armed.
                continue;
            }
            let mut fired = Vec::new();
            {
                let mut watches = self.watches.lock().unwrap_or_else(|p| p.into_inner());
                for event in events.iter() {
                    if let Some(watch) = watches.remove(&event.key) {
                        self.deregister(watch.fd);
                        fired.push((event.key, watch.sink));
                    }
                }
            }
            for (token, sink) in fired {
                sink.wake(token as f64);
            }
        }
    }

    /// Must be called with `watches` locked (see the module docs).
    fn deregister(&self, fd: RawFd) {
        // SAFETY: `fd` is open: its owner deregisters under the same lock before closing it.
        let _ = self.poller.delete(unsafe { BorrowedFd::borrow_raw(fd) });
    }
}

/// Installs the sink that wakes the JS thread running on this OS thread.
pub fn set_thread_sink(sink: Arc<dyn Wake>) {
    SINK.with(|s| *s.borrow_mut() = Some(sink));
}

/// Arms a one-shot readability watch on `fd`; returns its token. The owner of `fd` must call
/// [`forget_fd`] before closing it.
pub(crate) fn watch(fd: RawFd) -> Result<f64> {
    let sink = SINK.with(|s| s.borrow().clone()).ok_or_else(|| {
        Error::new(
            ErrorKind::InternalFailure,
            "no wake-up sink is installed on this thread",
        )
    })?;
    let reactor = reactor()?;
    let token = NEXT_TOKEN.with(|next| {
        let token = next.get();
        next.set(token + 1);
        token
    });
    // Tokens are per thread; the thread id in the high bits keeps keys unique per process.
    let key = (thread_tag() << 40 | token) as usize;
    let mut watches = reactor.watches.lock().unwrap_or_else(|p| p.into_inner());
    // One watch per descriptor: a new wait replaces the previous one (whose waiter is gone).
    if let Some(old) = watches.iter().find(|(_, w)| w.fd == fd).map(|(k, _)| *k) {
        watches.remove(&old);
        reactor.deregister(fd);
    }
    // SAFETY: `fd` belongs to a live listener that calls `forget_fd` (under this lock) before
    // it closes the descriptor, so the poller never outlives it.
    unsafe { reactor.poller.add(fd, Event::readable(key)) }.map_err(|e| {
        Error::new(
            ErrorKind::InternalFailure,
            format!("cannot watch descriptor {fd}: {e}"),
        )
    })?;
    watches.insert(key, Watch { fd, sink });
    Ok(key as f64)
}

/// Cancels a watch; a no-op when it already fired or was cancelled.
pub(crate) fn unwatch(token: f64) {
    let Some(Ok(reactor)) = REACTOR.get() else {
        return;
    };
    let mut watches = reactor.watches.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(watch) = watches.remove(&(token as usize)) {
        reactor.deregister(watch.fd);
    }
}

/// Removes every watch on `fd`; called by its owner before the descriptor closes.
pub(crate) fn forget_fd(fd: RawFd) {
    let Some(Ok(reactor)) = REACTOR.get() else {
        return;
    };
    let mut watches = reactor.watches.lock().unwrap_or_else(|p| p.into_inner());
    let keys: Vec<usize> = watches
        .iter()
        .filter(|(_, w)| w.fd == fd)
        .map(|(k, _)| *k)
        .collect();
    for key in keys {
        watches.remove(&key);
        reactor.deregister(fd);
    }
}

/// A small per-thread number (1..2^12) so tokens of different JS threads never collide, and
/// keys stay below 2^53 for JavaScript.
fn thread_tag() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local!(static TAG: u64 = NEXT.fetch_add(1, Ordering::Relaxed) & 0xfff);
    TAG.with(|t| *t)
}

/// Whether `fd` is readable right now (a zero-timeout `poll`), e.g. to see which of several
/// watched listeners have events after one of them woke the thread.
pub(crate) fn is_readable(fd: RawFd) -> bool {
    let mut entry = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    // SAFETY: `entry` is one valid pollfd for the duration of the call; timeout 0 never blocks.
    let ready = unsafe { libc::poll(&mut entry, 1, 0) };
    ready > 0 && entry.revents & libc::POLLIN != 0
}
