//! Native reference of the iceoryx2-js benchmarks (tools/benchmarks), on upstream's typed
//! iceoryx2 API as a Rust application would use it.
//!
//! `iox2js-bench <ping|pong|publisher|subscriber> --prefix <prefix>` follows the runner's
//! conversation on stdin/stdout, one case at a time:
//!   runner: `setup key=value ...`  → peer opens services and ports, prints `ready`
//!   runner: `go`                   → peer measures, prints `result {json}` (ping, subscriber)
//!                                     or `done` (pong, publisher), then closes the case's ports
//! and exits when stdin ends. Failures print `error <what>` and exit 1.
//!
//! `iox2js-bench idle --prefix <prefix> --service <name> --duration-ms <ms>` prints `ready` and
//! waits on a listener nobody notifies, for the runner to read its CPU time.
//!
//! `iox2js-bench calls --prefix <prefix> --service <name> --iterations <n>` times single calls
//! in one process and prints `result {json}`.

mod calls;
mod case;
mod message;
mod pingpong;
mod stats;
mod throughput;

use core::fmt::Debug;
use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Duration;

use iceoryx2::prelude::*;

use case::Case;

const USAGE: &str =
    "usage: iox2js-bench <ping|pong|publisher|subscriber> --prefix <prefix>\n       \
iox2js-bench idle --prefix <prefix> --service <name> --duration-ms <ms>\n       \
iox2js-bench calls --prefix <prefix> --service <name> --iterations <n>";

pub type Outcome<T> = Result<T, String>;

/// Turns an iceoryx2 error into `what: Variant`.
pub trait Context<T> {
    fn context(self, what: &str) -> Outcome<T>;
}

impl<T, E: Debug> Context<T> for Result<T, E> {
    fn context(self, what: &str) -> Outcome<T> {
        self.map_err(|error| format!("{what}: {error:?}"))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Ping,
    Pong,
    Publisher,
    Subscriber,
    Idle,
    Calls,
}

struct Options {
    role: Role,
    prefix: String,
    service: String,
    duration: Duration,
    iterations: u64,
}

fn parse(mut args: impl Iterator<Item = String>) -> Outcome<Options> {
    let role = match args.next().as_deref() {
        Some("ping") => Role::Ping,
        Some("pong") => Role::Pong,
        Some("publisher") => Role::Publisher,
        Some("subscriber") => Role::Subscriber,
        Some("idle") => Role::Idle,
        Some("calls") => Role::Calls,
        other => return Err(format!("unknown role {other:?}")),
    };
    let mut options = Options {
        role,
        prefix: String::new(),
        service: String::new(),
        duration: Duration::ZERO,
        iterations: 0,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--prefix" => options.prefix = value,
            "--service" => options.service = value,
            "--duration-ms" => {
                options.duration = Duration::from_millis(
                    value
                        .parse()
                        .map_err(|_| format!("--duration-ms {value}"))?,
                )
            }
            "--iterations" => {
                options.iterations = value.parse().map_err(|_| format!("--iterations {value}"))?
            }
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if options.prefix.is_empty() {
        return Err("--prefix is required".into());
    }
    if role == Role::Idle && (options.service.is_empty() || options.duration.is_zero()) {
        return Err("idle needs --service and --duration-ms".into());
    }
    if role == Role::Calls && (options.service.is_empty() || options.iterations == 0) {
        return Err("calls needs --service and --iterations".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("error {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(what) => {
            say(&format!("error {what}"));
            ExitCode::FAILURE
        }
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    // The runner reads lines as they come; a runner that went away ends this peer anyway.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn run(options: &Options) -> Outcome<()> {
    set_log_level(LogLevel::Error);
    let mut config = Config::default();
    config.global.prefix = FileName::new(options.prefix.as_bytes()).context("invalid --prefix")?;
    // The runner ends a peer that overruns its limit; upstream's handler would only note it.
    let node = NodeBuilder::new()
        .config(&config)
        .signal_handling_mode(SignalHandlingMode::Disabled)
        .create::<ipc::Service>()
        .context("creating the node")?;
    match options.role {
        Role::Idle => return idle(&node, options),
        Role::Calls => {
            say(&format!(
                "result {}",
                calls::run(&node, &options.service, options.iterations)?
            ));
            return Ok(());
        }
        _ => {}
    }
    let mut lines = std::io::stdin().lock().lines();
    let mut next_line = move || -> Outcome<Option<String>> {
        lines
            .next()
            .transpose()
            .map_err(|error| format!("reading stdin: {error}"))
    };
    while let Some(line) = next_line()? {
        let Some(setup) = line.strip_prefix("setup ") else {
            return Err(format!("expected 'setup ...', got '{line}'"));
        };
        let case = Case::parse(setup)?;
        run_case(&node, options.role, &case, || match next_line()? {
            Some(line) if line.trim() == "go" => Ok(()),
            other => Err(format!("expected 'go', got {other:?}")),
        })?;
    }
    Ok(())
}

/// Opens the case's ports, says `ready`, waits for `go`, measures; the ports close on return.
fn run_case(
    node: &Node<ipc::Service>,
    role: Role,
    case: &Case,
    go: impl FnOnce() -> Outcome<()>,
) -> Outcome<()> {
    match role {
        Role::Ping | Role::Pong => {
            let mut side = pingpong::Side::open(node, case, role == Role::Ping)?;
            say("ready");
            go()?;
            if role == Role::Ping {
                say(&format!("result {}", side.ping(case)?));
            } else {
                side.pong(case)?;
                say("done");
            }
        }
        Role::Publisher => {
            let mut side = throughput::publisher(node, case)?;
            say("ready");
            go()?;
            side.publish(case)?;
            say("done");
        }
        Role::Subscriber => {
            let mut side = throughput::subscriber(node, case)?;
            say("ready");
            go()?;
            say(&format!("result {}", side.subscribe(case)?));
        }
        Role::Idle | Role::Calls => unreachable!("idle and calls run without cases"),
    }
    Ok(())
}

/// Waits on a listener that nobody notifies, as an event-driven process does between messages.
fn idle(node: &Node<ipc::Service>, options: &Options) -> Outcome<()> {
    let service = node
        .service_builder(&ServiceName::new(&options.service).context("--service")?)
        .event()
        .open_or_create()
        .context("opening the event service")?;
    let listener = service
        .listener_builder()
        .create()
        .context("creating the listener")?;
    say("ready");
    listener
        .timed_wait(|_| {}, options.duration)
        .context("waiting")?;
    say("done");
    Ok(())
}
