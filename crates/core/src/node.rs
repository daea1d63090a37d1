//! Nodes and the configuration they carry.

use iceoryx2::config::Config;
use iceoryx2::prelude::{
    FileName, FilePath, NodeBuilder, NodeName, Path, SemanticString, SignalHandlingMode,
};
use serde::Deserialize;

use crate::error::{Classify, Error, ErrorKind, Result};
use crate::handles::{self, Handle};
use crate::objects::{Ipc, Object};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigSpec {
    /// A TOML config file; without it iceoryx2's defaults are used.
    pub file: Option<String>,
    /// Prefix of every file iceoryx2 creates: services under different prefixes never meet.
    pub prefix: Option<String>,
    /// Directory under which iceoryx2 keeps its service and node files.
    pub root_path: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSpec {
    pub name: Option<String>,
    /// Let iceoryx2 install SIGINT/SIGTERM handlers. Off by default: JS runtimes own signals.
    #[serde(default)]
    pub signal_handling: bool,
    #[serde(default)]
    pub config: ConfigSpec,
}

pub(crate) fn parse_json<'a, T: Deserialize<'a>>(json: &'a str, what: &str) -> Result<T> {
    serde_json::from_str(json)
        .map_err(|e| Error::invalid_argument(format!("invalid {what} options: {e}")))
}

impl ConfigSpec {
    pub fn build(&self) -> Result<Config> {
        let mut config = match &self.file {
            Some(file) => {
                let path = FilePath::new(file.as_bytes()).map_err(|e| {
                    Error::new(
                        ErrorKind::ConfigError,
                        format!("config file path '{file}' is invalid: {e:?}"),
                    )
                })?;
                Config::from_file(&path).map_err(|e| {
                    Error::new(
                        ErrorKind::ConfigError,
                        format!("cannot load config file '{file}': {e:?}"),
                    )
                })?
            }
            None => Config::default(),
        };
        if let Some(prefix) = &self.prefix {
            config.global.prefix = FileName::new(prefix.as_bytes()).map_err(|e| {
                Error::new(
                    ErrorKind::InvalidName,
                    format!("config prefix '{prefix}' is not a valid file name: {e:?}"),
                )
            })?;
        }
        if let Some(root) = &self.root_path {
            let path = Path::new(root.as_bytes()).map_err(|e| {
                Error::new(
                    ErrorKind::InvalidName,
                    format!("config root path '{root}' is invalid: {e:?}"),
                )
            })?;
            config.global.set_root_path(&path);
        }
        Ok(config)
    }
}

/// Creates a node from JSON-encoded [`NodeSpec`].
pub fn node_create(spec_json: &str) -> Result<Handle> {
    let spec: NodeSpec = parse_json(spec_json, "node")?;
    let config = spec.config.build()?;
    let mut builder =
        NodeBuilder::new()
            .config(&config)
            .signal_handling_mode(if spec.signal_handling {
                SignalHandlingMode::HandleTerminationRequests
            } else {
                SignalHandlingMode::Disabled
            });
    if let Some(name) = &spec.name {
        let name = NodeName::new(name).map_err(|e| {
            Error::new(
                ErrorKind::InvalidName,
                format!("node name '{name}' is invalid: {e:?}"),
            )
        })?;
        builder = builder.name(&name);
    }
    let node = builder
        .create::<Ipc>()
        .map_err(|e| e.into_error("cannot create node"))?;
    handles::insert(Object::Node(node), None)
}

pub(crate) fn with_node<T>(
    handle: Handle,
    f: impl FnOnce(&iceoryx2::node::Node<Ipc>) -> Result<T>,
) -> Result<T> {
    handles::with(handle, |object| match object {
        Object::Node(node) => f(node),
        other => Err(crate::objects::wrong_kind(handle, "Node", other)),
    })
}

/// The node's name ("" when it has none).
pub fn node_name(handle: Handle) -> Result<String> {
    with_node(handle, |node| Ok(node.name().as_str().to_string()))
}

pub(crate) const OPS: crate::ops::OpTable = crate::ops::OpTable {
    call: &[],
    memory: &[],
    send_copy: &[],
    control: &[
        ("node.create", |_, spec| {
            crate::ops::to_json(&node_create(spec)?)
        }),
        ("node.name", |node, _| {
            crate::ops::to_json(&node_name(handles::from_f64(node)?)?)
        }),
    ],
};
