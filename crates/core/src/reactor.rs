//! Waking JavaScript when a listener becomes readable, without blocking its event loop and
//! without spinning.
//!
//! One background thread per process waits (epoll/kqueue via `polling`) on the file descriptors
//! of listeners JavaScript awaits. It touches no iceoryx2 object: when a descriptor turns
//! readable it only calls the waking thread's [`Wake`] sink with the wait's token, and the JS
//! thread then takes the events itself (non-blocking) on its own handle table.
//!
//! A JS thread whose event loop can watch descriptors itself (Node's libuv) installs a
//! [`LoopPoll`] instead: its listeners are watched on that loop, so a wake-up is one thread
//! wake-up (the JS thread's own) rather than two (the reactor's, then the JS thread's). The
//! bookkeeping below (tokens, arming) is the same for both.
//!
//! A descriptor is registered once, on its first wait, as an [`Interest`] that lives as long as
//! its listener, and stays armed while waits follow each other: the reactor's registration is
//! edge-triggered (each arriving notification reports once), so consecutive waits cost no
//! system call as long as JavaScript drains the listener between a wake-up and the next wait
//! (it says so through [`Interest::draining`]). A readiness nobody waits for silences the
//! registration (one `epoll_ctl` modify); the next wait then re-arms it, as it does after a
//! wake-up that was not followed by a drain: re-arming also reports a readiness that is already
//! there, so no notification is missed. Where the poller has no edge mode, registrations are
//! one-shot and each wait after a wake-up re-arms. Each wait gets a fresh token; a wait that ends without a wake-up only
//! forgets its token. Tokens of one registration repeat only after 2^21 waits, long after any
//! late wake-up for an old one was delivered and ignored by JS.
//!
//! Safety of descriptors: registering, re-arming and deregistering happen under one mutex, and
//! a listener drops its [`Interest`] (deregistering under that mutex) before its descriptor
//! closes. So the poller never holds a descriptor number that was closed and reused.

use std::collections::HashMap;
use std::os::fd::{BorrowedFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use polling::{Event, Events, PollMode, Poller};

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
    /// The kernel reports this registration's readiness (not silenced, one-shot not spent).
    armed: bool,
    /// A readiness went to JavaScript and no drain started since: the descriptor may still be
    /// readable without a new edge to come, so the next wait re-arms to look.
    reported: bool,
    /// The token of the wait that wants the next readiness, if one does.
    wanted: Option<u64>,
    generation: u64,
}

struct Reactor {
    poller: Poller,
    /// Edge-triggered where the poller supports it, else one-shot.
    mode: PollMode,
    registrations: Mutex<HashMap<usize, Registration>>,
}

static REACTOR: OnceLock<std::result::Result<Arc<Reactor>, String>> = OnceLock::new();
static NEXT_KEY: AtomicUsize = AtomicUsize::new(1);

/// A JS thread's own event loop, watching descriptors for readability (Node's libuv). Every
/// call comes on that thread. A watch reports through [`loop_ready`] until it is stopped.
pub trait LoopPoll {
    /// Prepares a watch of `fd` under `key`, not yet started.
    fn open(&self, key: usize, fd: RawFd) -> Result<()>;
    /// Starts reporting `key`'s readiness (level-triggered: again on each loop turn while it
    /// stays readable).
    fn start(&self, key: usize) -> Result<()>;
    /// Stops reporting `key` until the next `start`.
    fn stop(&self, key: usize);
    /// Stops and releases the watch; its descriptor may close right after.
    fn close(&self, key: usize);
}

/// A registration on the JS thread's own loop.
struct LoopRegistration {
    /// The loop's watch is started (reports readiness).
    started: bool,
    wanted: Option<u64>,
    generation: u64,
}

thread_local! {
    /// The sink of the JS thread that runs on this OS thread (main thread or a Worker).
    static SINK: core::cell::RefCell<Option<Arc<dyn Wake>>> = const { core::cell::RefCell::new(None) };
    /// This thread's own event loop, when it can watch descriptors.
    static LOOP: core::cell::RefCell<Option<std::rc::Rc<dyn LoopPoll>>> = const { core::cell::RefCell::new(None) };
    static LOOP_REGISTRATIONS: core::cell::RefCell<HashMap<usize, LoopRegistration>> =
        core::cell::RefCell::new(HashMap::new());
}

fn reactor() -> Result<Arc<Reactor>> {
    let started = REACTOR.get_or_init(|| {
        let poller = Poller::new().map_err(|e| format!("cannot create the poller: {e}"))?;
        let mode = if poller.supports_edge() {
            PollMode::Edge
        } else {
            PollMode::Oneshot
        };
        let reactor = Arc::new(Reactor {
            poller,
            mode,
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
                    match registration.wanted.take() {
                        Some(token) => {
                            fired.push((token, registration.sink.clone()));
                            registration.armed = self.mode == PollMode::Edge;
                            registration.reported = true;
                        }
                        None => {
                            if self.mode == PollMode::Edge {
                                // Nobody waits: silence it until the next wait re-arms it.
                                // SAFETY: registered, hence open (see `Interest::register`).
                                let fd = unsafe { BorrowedFd::borrow_raw(registration.fd) };
                                let _ = self.poller.modify_with_mode(
                                    fd,
                                    Event::none(event.key),
                                    self.mode,
                                );
                            }
                            registration.armed = false;
                        }
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

/// Makes this thread's own event loop watch the listeners registered from now on (those
/// registered before stay with the reactor).
pub fn set_thread_loop(poll: std::rc::Rc<dyn LoopPoll>) {
    LOOP.with(|l| *l.borrow_mut() = Some(poll));
}

/// Called by the thread's [`LoopPoll`] when `key` is readable, or failed (`stopped`: the loop
/// stopped the watch itself): the token of the wait that wants it, for the loop to wake
/// JavaScript with, which then looks itself. Without one, the loop's watch is stopped until
/// the next wait (a readiness nobody waits for must not spin the loop).
pub fn loop_ready(key: usize, stopped: bool) -> Option<f64> {
    let (token, stop) = LOOP_REGISTRATIONS.with(|r| {
        let mut registrations = r.borrow_mut();
        let registration = registrations.get_mut(&key)?;
        let token = registration.wanted.take();
        if token.is_none() || stopped {
            registration.started = false;
        }
        Some((token, token.is_none() && !stopped))
    })?;
    if stop {
        if let Some(poll) = thread_loop() {
            poll.stop(key);
        }
    }
    token.map(|t| t as f64)
}

fn thread_loop() -> Option<std::rc::Rc<dyn LoopPoll>> {
    // `try_with`: also called from destructors while the thread's locals are torn down.
    LOOP.try_with(|l| l.borrow().clone()).ok().flatten()
}

fn next_key() -> Result<usize> {
    let key = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
    if key >= MAX_KEY {
        return Err(Error::new(
            ErrorKind::InternalFailure,
            "the reactor ran out of registration keys",
        ));
    }
    Ok(key)
}

fn lost_registration() -> Error {
    Error::new(
        ErrorKind::InternalFailure,
        "the reactor lost a registration",
    )
}

/// Opens a loop watch of `fd`, then restores the descriptor's status flags: libuv makes it
/// non-blocking, but iceoryx2 remembers the blocking mode it set last and would then skip
/// setting it for a blocking or timed wait.
fn open_keeping_flags(poll: &dyn LoopPoll, key: usize, fd: RawFd) -> Result<()> {
    // SAFETY: `fd` is open (its owner registers it); F_GETFL and F_SETFL touch only its flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    poll.open(key, fd)?;
    if flags >= 0 {
        // SAFETY: as above.
        unsafe { libc::fcntl(fd, libc::F_SETFL, flags) };
    }
    Ok(())
}

/// A descriptor's registration with the reactor or with the thread's own loop. Its owner drops
/// it before closing the descriptor; dropping deregisters.
pub(crate) struct Interest {
    key: usize,
    on_loop: bool,
}

impl Interest {
    /// Registers `fd` (armed) for the JS thread calling this; [`Interest::arm`] then starts
    /// each wait. `fd` must stay open until the interest is dropped.
    pub(crate) fn register(fd: RawFd) -> Result<Self> {
        let key = next_key()?;
        let sink = SINK.with(|s| s.borrow().clone());
        if let Some(poll) = thread_loop() {
            match open_keeping_flags(&*poll, key, fd) {
                Ok(()) => {
                    LOOP_REGISTRATIONS.with(|r| {
                        r.borrow_mut().insert(
                            key,
                            LoopRegistration {
                                started: false,
                                wanted: None,
                                generation: 0,
                            },
                        )
                    });
                    return Ok(Self { key, on_loop: true });
                }
                // The loop refused it (e.g. it is shutting down): the reactor can still watch.
                Err(error) if sink.is_none() => return Err(error),
                Err(_) => {}
            }
        }
        let sink = sink.ok_or_else(|| {
            Error::new(
                ErrorKind::InternalFailure,
                "no wake-up sink is installed on this thread",
            )
        })?;
        let reactor = reactor()?;
        let mut registrations = reactor.lock();
        // SAFETY: the owner of `fd` keeps it open until this interest is dropped, which
        // deregisters it (under this lock) first.
        unsafe {
            reactor
                .poller
                .add_with_mode(fd, Event::readable(key), reactor.mode)
        }
        .map_err(|e| watch_failure(fd, e))?;
        registrations.insert(
            key,
            Registration {
                fd,
                sink,
                armed: true,
                reported: false,
                wanted: None,
                generation: 0,
            },
        );
        Ok(Self {
            key,
            on_loop: false,
        })
    }

    /// Starts a wait: the next readiness of the descriptor (or a current one) wakes the JS
    /// thread with the returned token. Replaces the token of an earlier wait still pending.
    pub(crate) fn arm(&self) -> Result<f64> {
        if self.on_loop {
            return self.arm_on_loop();
        }
        let reactor = reactor()?;
        let mut registrations = reactor.lock();
        let registration = registrations
            .get_mut(&self.key)
            .ok_or_else(lost_registration)?;
        registration.generation = (registration.generation + 1) & GENERATION_MASK;
        let token = (self.key as u64) << GENERATION_BITS | registration.generation;
        if !registration.armed || registration.reported {
            // SAFETY: the descriptor is open while its interest lives (see `register`).
            let fd = unsafe { BorrowedFd::borrow_raw(registration.fd) };
            // Re-arming also reports a readiness that is already there.
            reactor
                .poller
                .modify_with_mode(fd, Event::readable(self.key), reactor.mode)
                .map_err(|e| watch_failure(registration.fd, e))?;
            registration.armed = true;
            registration.reported = false;
        }
        registration.wanted = Some(token);
        Ok(token as f64)
    }

    /// Called just before the owner drains the descriptor (takes every pending notification):
    /// a readiness reported earlier is consumed by it, so the next wait need not re-arm.
    pub(crate) fn draining(&self) {
        if self.on_loop {
            return;
        }
        let Some(Ok(reactor)) = REACTOR.get() else {
            return;
        };
        if let Some(registration) = reactor.lock().get_mut(&self.key) {
            registration.reported = false;
        }
    }

    fn arm_on_loop(&self) -> Result<f64> {
        let (token, start) = LOOP_REGISTRATIONS.with(|r| {
            let mut registrations = r.borrow_mut();
            let registration = registrations
                .get_mut(&self.key)
                .ok_or_else(lost_registration)?;
            registration.generation = (registration.generation + 1) & GENERATION_MASK;
            let token = (self.key as u64) << GENERATION_BITS | registration.generation;
            registration.wanted = Some(token);
            let start = !registration.started;
            registration.started = true;
            Ok::<_, Error>((token, start))
        })?;
        if start {
            // Level-triggered: a readiness that is already there reports on the next turn.
            let started = thread_loop()
                .ok_or_else(lost_registration)
                .and_then(|poll| poll.start(self.key));
            if let Err(error) = started {
                LOOP_REGISTRATIONS.with(|r| {
                    if let Some(registration) = r.borrow_mut().get_mut(&self.key) {
                        registration.started = false;
                        registration.wanted = None;
                    }
                });
                return Err(error);
            }
        }
        Ok(token as f64)
    }
}

impl Drop for Interest {
    fn drop(&mut self) {
        if self.on_loop {
            let _ = LOOP_REGISTRATIONS.try_with(|r| r.borrow_mut().remove(&self.key));
            if let Some(poll) = thread_loop() {
                poll.close(self.key);
            }
            return;
        }
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
    let token = token as u64;
    let key = (token >> GENERATION_BITS) as usize;
    let on_loop = LOOP_REGISTRATIONS.with(|r| {
        let mut registrations = r.borrow_mut();
        let registration = registrations.get_mut(&key)?;
        if registration.wanted == Some(token) {
            // Still started: the next readiness stops the loop's watch, or a later wait takes it.
            registration.wanted = None;
        }
        Some(())
    });
    if on_loop.is_some() {
        return;
    }
    let Some(Ok(reactor)) = REACTOR.get() else {
        return;
    };
    let mut registrations = reactor.lock();
    if let Some(registration) = registrations.get_mut(&key) {
        if registration.wanted == Some(token) {
            // Still armed: the next readiness silences it, or is taken by a later wait.
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
