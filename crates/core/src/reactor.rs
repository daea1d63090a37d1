//! Waking JavaScript when a listener becomes readable, without blocking its event loop and
//! without spinning.
//!
//! One background thread per process waits (epoll/kqueue via `polling`) on the file descriptors
//! of listeners JavaScript awaits. It touches no iceoryx2 object: when a descriptor turns
//! readable it only calls the waking thread's [`Wake`] sink with the wait's token, and the JS
//! thread then takes the events itself (non-blocking) on its own handle table.
//!
//! A descriptor is registered once, on its first wait, as an [`Interest`] that lives as long as
//! its listener. The kernel side of it is one-shot: a readiness is reported once, then the
//! registration stays silent until a later wait re-arms it (one `epoll_ctl` modify, and none at
//! all while it is still armed). Each wait gets a fresh token; a wait that ends without a
//! wake-up only forgets its token, and a readiness nobody waits for is dropped here. Tokens of
//! one registration repeat only after 2^21 waits, long after any late wake-up for an old one was
//! delivered and ignored by JS.
//!
//! Safety of descriptors: registering, re-arming and deregistering happen under one mutex, and
//! a listener drops its [`Interest`] (deregistering under that mutex) before its descriptor
//! closes. So the poller never holds a descriptor number that was closed and reused.

use std::collections::HashMap;
use std::os::fd::{BorrowedFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use polling::{Event, Events, Poller};

use crate::error::{Error, ErrorKind, Result};

/// Where a front delivers wake-ups: a Node thread-safe function, a Deno/Bun thread-safe callback.
pub trait Wake: Send + Sync {
    /// Called on the reactor thread; must only queue `token` for the JS thread.
    fn wake(&self, token: f64);
}

/// Tokens are `key << GENERATION_BITS | generation`, kept below 2^53 for JavaScript.
const GENERATION_BITS: u32 = 21;
const GENERATION_MASK: u64 = (1 << GENERATION_BITS) - 1;
const MAX_KEY: usize = 1 << (53 - GENERATION_BITS);

struct Registration {
    fd: RawFd,
    sink: Arc<dyn Wake>,
    /// The kernel still holds this registration's one-shot interest (nothing reported since).
    armed: bool,
    /// The token of the wait that wants the next readiness, if one does.
    wanted: Option<u64>,
    generation: u64,
}

struct Reactor {
    poller: Poller,
    registrations: Mutex<HashMap<usize, Registration>>,
}

static REACTOR: OnceLock<std::result::Result<Arc<Reactor>, String>> = OnceLock::new();
static NEXT_KEY: AtomicUsize = AtomicUsize::new(1);

thread_local! {
    /// The sink of the JS thread that runs on this OS thread (main thread or a Worker).
    static SINK: core::cell::RefCell<Option<Arc<dyn Wake>>> = const { core::cell::RefCell::new(None) };
}

fn reactor() -> Result<Arc<Reactor>> {
    let started = REACTOR.get_or_init(|| {
        let reactor = Arc::new(Reactor {
            poller: Poller::new().map_err(|e| format!("cannot create the poller: {e}"))?,
            registrations: Mutex::new(HashMap::new()),
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
        let mut fired: Vec<(u64, Arc<dyn Wake>)> = Vec::new();
        loop {
            events.clear();
            if self.poller.wait(&mut events, None).is_err() {
                // EINTR and friends: wait again; nothing is lost, interest stays armed.
                continue;
            }
            {
                let mut registrations = self.lock();
                for event in events.iter() {
                    // Gone: deregistered after the kernel reported it.
                    let Some(registration) = registrations.get_mut(&event.key) else {
                        continue;
                    };
                    registration.armed = false;
                    if let Some(token) = registration.wanted.take() {
                        fired.push((token, registration.sink.clone()));
                    }
                }
            }
            for (token, sink) in fired.drain(..) {
                sink.wake(token as f64);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Registration>> {
        self.registrations.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn watch_failure(fd: RawFd, error: std::io::Error) -> Error {
    Error::new(
        ErrorKind::InternalFailure,
        format!("cannot watch descriptor {fd}: {error}"),
    )
}

/// Installs the sink that wakes the JS thread running on this OS thread.
pub fn set_thread_sink(sink: Arc<dyn Wake>) {
    SINK.with(|s| *s.borrow_mut() = Some(sink));
}

/// A descriptor's registration with the reactor. Its owner drops it before closing the
/// descriptor; dropping deregisters.
pub(crate) struct Interest {
    key: usize,
}

impl Interest {
    /// Registers `fd` (armed) for the JS thread calling this; [`Interest::arm`] then starts
    /// each wait. `fd` must stay open until the interest is dropped.
    pub(crate) fn register(fd: RawFd) -> Result<Self> {
        let sink = SINK.with(|s| s.borrow().clone()).ok_or_else(|| {
            Error::new(
                ErrorKind::InternalFailure,
                "no wake-up sink is installed on this thread",
            )
        })?;
        let reactor = reactor()?;
        let key = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
        if key >= MAX_KEY {
            return Err(Error::new(
                ErrorKind::InternalFailure,
                "the reactor ran out of registration keys",
            ));
        }
        let mut registrations = reactor.lock();
        // SAFETY: the owner of `fd` keeps it open until this interest is dropped, which
        // deregisters it (under this lock) first.
        unsafe { reactor.poller.add(fd, Event::readable(key)) }
            .map_err(|e| watch_failure(fd, e))?;
        registrations.insert(
            key,
            Registration {
                fd,
                sink,
                armed: true,
                wanted: None,
                generation: 0,
            },
        );
        Ok(Self { key })
    }

    /// Starts a wait: the next readiness of the descriptor (or a current one) wakes the JS
    /// thread with the returned token. Replaces the token of an earlier wait still pending.
    pub(crate) fn arm(&self) -> Result<f64> {
        let reactor = reactor()?;
        let mut registrations = reactor.lock();
        let registration = registrations.get_mut(&self.key).ok_or_else(|| {
            Error::new(
                ErrorKind::InternalFailure,
                "the reactor lost a registration",
            )
        })?;
        registration.generation = (registration.generation + 1) & GENERATION_MASK;
        let token = (self.key as u64) << GENERATION_BITS | registration.generation;
        if !registration.armed {
            // SAFETY: the descriptor is open while its interest lives (see `register`).
            let fd = unsafe { BorrowedFd::borrow_raw(registration.fd) };
            // A one-shot modify also reports a readiness that is already there.
            reactor
                .poller
                .modify(fd, Event::readable(self.key))
                .map_err(|e| watch_failure(registration.fd, e))?;
            registration.armed = true;
        }
        registration.wanted = Some(token);
        Ok(token as f64)
    }
}

impl Drop for Interest {
    fn drop(&mut self) {
        let Some(Ok(reactor)) = REACTOR.get() else {
            return;
        };
        let mut registrations = reactor.lock();
        if let Some(registration) = registrations.remove(&self.key) {
            // SAFETY: still open: the owner drops its interest before closing the descriptor.
            let fd = unsafe { BorrowedFd::borrow_raw(registration.fd) };
            let _ = reactor.poller.delete(fd);
        }
    }
}

/// Ends the wait with `token`; a no-op when it already woke or a later wait replaced it.
pub(crate) fn unwatch(token: f64) {
    let Some(Ok(reactor)) = REACTOR.get() else {
        return;
    };
    let token = token as u64;
    let mut registrations = reactor.lock();
    let key = (token >> GENERATION_BITS) as usize;
    if let Some(registration) = registrations.get_mut(&key) {
        if registration.wanted == Some(token) {
            // Still armed in the kernel: the next readiness is dropped, or taken by a later wait.
            registration.wanted = None;
        }
    }
}

/// Whether `fd` is readable right now (a zero-timeout `poll`), e.g. to see which of several
/// watched listeners have events after one of them woke the thread.
pub(crate) fn is_readable(fd: RawFd) -> bool {
    let mut entry = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: `entry` is one valid pollfd for the duration of the call; timeout 0 never blocks.
    let ready = unsafe { libc::poll(&mut entry, 1, 0) };
    ready > 0 && entry.revents & libc::POLLIN != 0
}
