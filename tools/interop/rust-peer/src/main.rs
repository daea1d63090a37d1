//! Rust peer of the interop matrix (docs/interop.md), written only against upstream's typed
//! iceoryx2 API, the way a Rust application would use it.

mod blackboard;
mod event;
mod ports;
mod protocol;
mod publish_subscribe;
mod request_response;
// flatc's output for tools/flatbuffer-schemas/schemas/unbounded_data.fbs.
#[path = "flatbuffers/unbounded_data_generated.rs"]
#[allow(clippy::all)]
#[rustfmt::skip]
mod unbounded_data_generated;

use std::process::ExitCode;

use iceoryx2::prelude::*;

use protocol::{Context, Options, Outcome, Role, Session, USAGE};

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("error {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Every port, service and the node are dropped by the time `run` returns, also on failure.
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(what) => {
            eprintln!("error {what}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Outcome<()> {
    let session = Session::start(options);
    let node = match &options.prefix {
        // Default settings everywhere except the prefix, so each run lives in its own domain.
        // A runner that gives up terminates its peers; upstream's default handler would only
        // note the signal for the next `node.wait`, while a peer may be blocked on stdin.
        Some(prefix) => {
            let mut config = Config::default();
            config.global.prefix = FileName::new(prefix.as_bytes()).context("invalid --prefix")?;
            // As upstream's flatbuffer examples: the schemas' directory from this variable.
            if let Ok(schemas) = std::env::var("IOX2_FLATBUFFER_SCHEMA_PATH") {
                config.global.service.flatbuffer_schema_path = Some(
                    Path::new(schemas.as_bytes()).context("invalid IOX2_FLATBUFFER_SCHEMA_PATH")?,
                );
            }
            NodeBuilder::new()
                .config(&config)
                .signal_handling_mode(SignalHandlingMode::Disabled)
                .create::<ipc::Service>()
        }
        // As upstream's programs: the global config (config files read), default signal handling.
        None => NodeBuilder::new().create::<ipc::Service>(),
    }
    .context("creating the node")?;
    let service = ServiceName::new(&options.service).context("invalid --service")?;
    match options.role {
        Role::Publisher | Role::Subscriber => {
            publish_subscribe::run(&node, &service, options, &session)
        }
        Role::Notifier | Role::Listener => event::run(&node, &service, options, &session),
        Role::Client | Role::Server => request_response::run(&node, &service, options, &session),
        Role::Writer | Role::Reader => blackboard::run(&node, &service, options, &session),
        Role::Ports => ports::run(&node, &service, options, &session),
    }
}
