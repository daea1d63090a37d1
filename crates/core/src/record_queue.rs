//! A queue of records that native code fills on any thread and one JavaScript thread drains,
//! with an eventfd that is readable while records wait, so the reactor can wake that thread.
//! Log records and port events travel this way.

use std::collections::VecDeque;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, ErrorKind, Result};
use crate::handles::{self, wrong_kind, Handle};
use crate::objects::PatternObject;
use crate::reactor::Interest;

/// A bounded queue: when full, a push drops the oldest record and counts it.
pub(crate) struct RecordQueue<T> {
    records: Mutex<VecDeque<T>>,
    capacity: usize,
    dropped: AtomicU64,
    /// Readable while records wait.
    ready: OwnedFd,
}

impl<T> RecordQueue<T> {
    /// A new queue of at most `capacity` records; `what` names it in the error.
    pub(crate) fn new(capacity: usize, what: &str) -> Result<Arc<Self>> {
        // SAFETY: eventfd takes no pointers; a negative result is an error, checked below.
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        if fd < 0 {
            return Err(Error::new(
                ErrorKind::InternalFailure,
                format!(
                    "cannot create the {what}'s event descriptor: {}",
                    std::io::Error::last_os_error()
                ),
            ));
        }
        Ok(Arc::new(Self {
            records: Mutex::new(VecDeque::new()),
            capacity,
            dropped: AtomicU64::new(0),
            // SAFETY: `fd` is a new descriptor nothing else owns.
            ready: unsafe { OwnedFd::from_raw_fd(fd) },
        }))
    }

    pub(crate) fn push(&self, record: T) {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if records.len() == self.capacity {
            records.pop_front();
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        records.push_back(record);
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a live u64 to the eventfd this queue owns; a full counter
        // (EAGAIN) only means it is readable already.
        unsafe {
            libc::write(
                self.ready.as_raw_fd(),
                (&one as *const u64).cast(),
                core::mem::size_of::<u64>(),
            )
        };
    }

    /// Every record queued since the last take, in order, and how many were dropped before them.
    fn take(&self) -> (Vec<T>, u64) {
        let mut counter: u64 = 0;
        // SAFETY: reads at most 8 bytes into a live u64 from the nonblocking eventfd this queue
        // owns; EAGAIN (nothing signalled) leaves it untouched.
        unsafe {
            libc::read(
                self.ready.as_raw_fd(),
                (&mut counter as *mut u64).cast(),
                core::mem::size_of::<u64>(),
            )
        };
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        (
            records.drain(..).collect(),
            self.dropped.swap(0, Ordering::Relaxed),
        )
    }
}

/// The JavaScript thread's end of a queue: takes records and arms wake-ups.
pub(crate) struct RecordStream<T> {
    queue: Arc<RecordQueue<T>>,
    interest: Option<Interest>,
}

impl<T> RecordStream<T> {
    pub(crate) fn new(queue: Arc<RecordQueue<T>>) -> Self {
        Self {
            queue,
            interest: None,
        }
    }

    pub(crate) fn queue(&self) -> &Arc<RecordQueue<T>> {
        &self.queue
    }

    /// Every record queued since the last take, and how many were dropped before them.
    pub(crate) fn take(&mut self) -> (Vec<T>, u64) {
        if let Some(interest) = &self.interest {
            interest.draining();
        }
        self.queue.take()
    }

    /// Starts a wait for the next record (registering with the reactor on the first); returns
    /// the wake-up token.
    pub(crate) fn watch(&mut self) -> Result<f64> {
        match &self.interest {
            Some(interest) => interest.arm(),
            None => {
                let interest = Interest::register(self.queue.ready.as_raw_fd())?;
                let token = interest.arm();
                self.interest = Some(interest);
                token
            }
        }
    }
}

/// A handle-table object that is a record stream: a log stream or a port's event stream.
pub(crate) trait StreamObject: PatternObject {
    type Record;
    /// The kind's name, in errors.
    const KIND: &'static str;
    fn stream(&mut self) -> &mut RecordStream<Self::Record>;
}

/// Runs `f` on the stream of kind `S` that `handle` names, or fails naming the kind found.
pub(crate) fn with_stream<S: StreamObject, T>(
    handle: Handle,
    f: impl FnOnce(&mut RecordStream<S::Record>) -> Result<T>,
) -> Result<T> {
    handles::with(handle, |object| match object.pattern_mut::<S>() {
        Some(found) => f(found.stream()),
        None => Err(wrong_kind(handle, S::KIND, object)),
    })
}

/// Every record the stream `handle` names queued since the last take, and how many were
/// dropped before them.
pub(crate) fn take<S: StreamObject>(handle: Handle) -> Result<(Vec<S::Record>, u64)> {
    with_stream::<S, _>(handle, |stream| Ok(stream.take()))
}

/// Starts a wait for the stream's next record; returns the wake-up token.
pub(crate) fn watch<S: StreamObject>(handle: Handle) -> Result<f64> {
    with_stream::<S, _>(handle, |stream| stream.watch())
}

impl<T> Drop for RecordStream<T> {
    fn drop(&mut self) {
        // The interest goes before the descriptor it watches can close (with the last queue).
        self.interest = None;
    }
}
