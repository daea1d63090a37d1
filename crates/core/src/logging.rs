//! iceoryx2's log records. Upstream's programs print them to stderr at the level
//! `IOX2_LOG_LEVEL` names (info when unset); this library does the same, in the same format, and
//! while JavaScript subscribes (a [`LogStream`]) it queues them for JavaScript instead.
//!
//! The logger is installed, and the level read from the environment, on first use of the
//! library ([`init`], called by every control operation and by [`crate::set_log_level`]), so an
//! explicit `setLogLevel` always wins over the environment.
//!
//! iceoryx2 itself always logs warnings to this logger, whatever level the user chose (which
//! this logger applies): a call that warns [`crate::escape::RUNAWAY_WARNINGS`] times is stuck
//! in one of iceoryx2's retry loops on corrupted memory, and is ended ([`crate::escape`]).

use std::cell::RefCell;
use std::fmt::Arguments;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, Once};

use iceoryx2_log::{Log, LogLevel};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::handles::{self, Handle};
use crate::objects::PatternObject;
use crate::record_queue::{self, RecordQueue, RecordStream, StreamObject};

type Queue = RecordQueue<LogRecord>;

/// Records a stream keeps before it drops the oldest (it counts them).
pub const LOG_QUEUE_CAPACITY: usize = 4096;

/// Upstream's level names, in order (the index is iceoryx2's level number).
pub const LEVEL_NAMES: [&str; 6] = ["trace", "debug", "info", "warn", "error", "fatal"];

/// One log record of iceoryx2.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LogRecord {
    /// Upstream's level name.
    #[ts(type = "\"trace\" | \"debug\" | \"info\" | \"warn\" | \"error\" | \"fatal\"")]
    pub level: &'static str,
    /// Where in iceoryx2 it was logged (often the debug form of the object that logged); may be
    /// empty.
    pub origin: String,
    /// What happened.
    pub message: String,
}

/// What a take returns: the records in order, and how many were dropped before them because the
/// queue was full.
#[derive(Debug, Serialize, TS)]
pub struct TakenLogRecords {
    pub records: Vec<LogRecord>,
    pub dropped: u64,
}

/// Every live subscription; `SUBSCRIBED` mirrors whether there is one, so that the logger of a
/// process without subscribers does not lock.
static QUEUES: Mutex<Vec<Arc<Queue>>> = Mutex::new(Vec::new());
static SUBSCRIBED: AtomicBool = AtomicBool::new(false);

struct Logger {
    counter: AtomicU64,
}

static LOGGER: Logger = Logger {
    counter: AtomicU64::new(0),
};

/// The level the user chose (`IOX2_LOG_LEVEL` or `setLogLevel`); iceoryx2's own is at most warn.
static LEVEL: AtomicU8 = AtomicU8::new(LogLevel::Info as u8);

thread_local! {
    /// The warning that made a call count as stuck, for its error.
    static RUNAWAY_WARNING: RefCell<String> = const { RefCell::new(String::new()) };
}

/// How much of the warning a stuck call's error quotes.
const QUOTED_CHARS: usize = 200;

/// Warnings (and errors) of one call that are shown; further ones are counted, and one record
/// says how many when the call ends. Repeats are what a call warns about beyond a few, and the
/// retry loops this module detects would otherwise print megabytes first.
const SHOWN_PER_CALL: u32 = 16;

/// Ends a native call that logged `count` warnings: says how many of them were not shown.
pub(crate) fn end_call(count: u32) {
    if count > SHOWN_PER_CALL {
        emit(
            LogLevel::Warn,
            format_args!(""),
            format_args!(
                "{} more warnings or errors of the same call were not shown",
                count - SHOWN_PER_CALL
            ),
        );
    }
}

/// The warning that ended the last stuck call on this thread.
pub(crate) fn take_runaway_warning() -> String {
    RUNAWAY_WARNING.with(|warning| core::mem::take(&mut *warning.borrow_mut()))
}

/// Counts a warning of the current native call, if one runs, and returns how many it logged;
/// ends the call when it is one too many.
fn count_warning(message: &Arguments) -> Option<u32> {
    let count = crate::panics::count_warning()?;
    if count >= crate::escape::RUNAWAY_WARNINGS {
        // Up to the first dump of a structure: the words say what failed.
        let text = message.to_string();
        let words = text.split(" {").next().unwrap_or_default();
        let quoted: String = words.chars().take(QUOTED_CHARS).collect();
        RUNAWAY_WARNING.with(|warning| *warning.borrow_mut() = quoted);
        crate::escape::escape_runaway();
    }
    Some(count)
}

/// Sets the level the user chose.
pub(crate) fn set_level(level: LogLevel) {
    init();
    LEVEL.store(level as u8, Ordering::Relaxed);
    iceoryx2::prelude::set_log_level(level.min(LogLevel::Warn));
}

/// The level the user chose.
pub(crate) fn level() -> u8 {
    init();
    LEVEL.load(Ordering::Relaxed)
}

impl Log for Logger {
    fn log(&self, level: LogLevel, origin: Arguments, message: Arguments) {
        // Counted within a native call only: nothing else ends, or is ended, there.
        let shown = level < LogLevel::Warn
            || count_warning(&message).is_none_or(|count| count <= SHOWN_PER_CALL);
        if !shown {
            return;
        }
        emit(level, origin, message);
    }
}

/// Hands a record at or above the user's level to the log streams, or prints it.
fn emit(level: LogLevel, origin: Arguments, message: Arguments) {
    if (level as u8) < LEVEL.load(Ordering::Relaxed) {
        return;
    }
    let counter = LOGGER.counter.fetch_add(1, Ordering::Relaxed);
    if SUBSCRIBED.load(Ordering::Acquire) {
        let record = LogRecord {
            level: LEVEL_NAMES[level as usize],
            origin: origin.to_string(),
            message: message.to_string(),
        };
        let queues = QUEUES.lock().unwrap_or_else(|e| e.into_inner());
        if !queues.is_empty() {
            for queue in queues.iter() {
                queue.push(record.clone());
            }
            return;
        }
    }
    print_record(counter, level, &origin.to_string(), &message.to_string());
}

/// Writes a record to stderr as upstream's console logger does: a counter, the level letter,
/// the origin on its own line when there is one, then the message.
fn print_record(counter: u64, level: LogLevel, origin: &str, message: &str) {
    let letter = ["T", "D", "I", "W", "E", "F"][level as usize];
    let line = if origin.is_empty() {
        format!("{counter} [{letter}] {message}\n")
    } else {
        format!("{counter} [{letter}] {origin}\n| {message}\n")
    };
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

static INIT: Once = Once::new();

/// Installs the logger and takes the level from `IOX2_LOG_LEVEL` (info when unset), as
/// upstream's programs do at start; runs once per process.
pub fn init() {
    INIT.call_once(|| {
        // False when something else installed a logger first; its records then go there.
        iceoryx2::prelude::set_logger(&LOGGER);
        iceoryx2::prelude::set_log_level_from_env_or(LogLevel::Info);
        let chosen = iceoryx2_log::get_log_level();
        LEVEL.store(chosen, Ordering::Relaxed);
        if chosen > LogLevel::Warn as u8 {
            iceoryx2::prelude::set_log_level(LogLevel::Warn);
        }
    });
}

/// A subscription to the log records of this process: while one is open, records go to it
/// instead of stderr. Owned by the JS thread that opened it.
pub(crate) struct LogStream(RecordStream<LogRecord>);

impl PatternObject for LogStream {
    fn kind_name(&self) -> &'static str {
        Self::KIND
    }
}

impl StreamObject for LogStream {
    type Record = LogRecord;
    const KIND: &'static str = "LogStream";
    fn stream(&mut self) -> &mut RecordStream<LogRecord> {
        &mut self.0
    }
}

impl Drop for LogStream {
    fn drop(&mut self) {
        let mut queues = QUEUES.lock().unwrap_or_else(|e| e.into_inner());
        queues.retain(|queue| !Arc::ptr_eq(queue, self.0.queue()));
        SUBSCRIBED.store(!queues.is_empty(), Ordering::Release);
    }
}

/// Opens a log stream: from now on this process's iceoryx2 records queue for it.
pub fn subscribe() -> Result<Handle> {
    init();
    let queue = Queue::new(LOG_QUEUE_CAPACITY, "log stream")?;
    let handle = handles::insert(LogStream(RecordStream::new(queue.clone())).into(), None)?;
    let mut queues = QUEUES.lock().unwrap_or_else(|e| e.into_inner());
    queues.push(queue);
    SUBSCRIBED.store(true, Ordering::Release);
    Ok(handle)
}

/// Every record queued since the last take.
pub fn take(stream: Handle) -> Result<TakenLogRecords> {
    let (records, dropped) = record_queue::take::<LogStream>(stream)?;
    Ok(TakenLogRecords { records, dropped })
}

/// Starts a wait for the next record (registering the stream with the reactor on the first);
/// returns the wake-up token.
pub fn watch(stream: Handle) -> Result<f64> {
    record_queue::watch::<LogStream>(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_the_oldest_and_counts() {
        init();
        let stream = subscribe().unwrap();
        for i in 0..LOG_QUEUE_CAPACITY + 3 {
            LOGGER.log(
                LogLevel::Warn,
                format_args!("test"),
                format_args!("record {i}"),
            );
        }
        let taken = take(stream).unwrap();
        assert_eq!(taken.dropped, 3);
        assert_eq!(taken.records.len(), LOG_QUEUE_CAPACITY);
        assert_eq!(taken.records[0].message, "record 3");
        assert_eq!(taken.records[0].level, "warn");
        assert_eq!(taken.records[0].origin, "test");
        assert!(take(stream).unwrap().records.is_empty());

        // One test with the above: log streams are process-wide.
        a_call_shows_its_first_warnings_and_one_that_never_stops_warning_is_ended(stream);
        crate::close(stream);
    }

    fn a_call_shows_its_first_warnings_and_one_that_never_stops_warning_is_ended(stream: Handle) {
        crate::shm_guard::install();
        let warn = |round: u32| {
            LOGGER.log(
                LogLevel::Warn,
                format_args!("test"),
                format_args!("cannot reclaim {{ round {round} }}"),
            )
        };
        // 40 warnings: 16 shown, then one record counting the rest.
        crate::panics::guarded(0.0, || {
            (0..40).for_each(warn);
            Ok(())
        })
        .unwrap();
        let taken = take(stream).unwrap().records;
        assert_eq!(taken.len(), SHOWN_PER_CALL as usize + 1);
        assert_eq!(
            taken.last().unwrap().message,
            "24 more warnings or errors of the same call were not shown"
        );
        // A loop that warns forever is ended, quoting what it warned about.
        let mut rounds = 0;
        let error = crate::panics::guarded(0.0, || loop {
            rounds += 1;
            warn(rounds);
        })
        .map(|()| ())
        .unwrap_err();
        assert_eq!(rounds, crate::escape::RUNAWAY_WARNINGS);
        assert_eq!(error.kind, crate::ErrorKind::ServiceInCorruptedState);
        assert!(
            error.message.contains("100000 warnings")
                && error.message.contains("\"cannot reclaim\""),
            "{error}"
        );
        assert_eq!(
            take(stream).unwrap().records.len(),
            SHOWN_PER_CALL as usize + 1
        );
    }
}
