//! Shared-memory files that iceoryx2 0.10 would wait on forever, found before a call opens them.
//!
//! iceoryx2 creates a shared-memory segment in two steps: `shm_open` creates an empty file,
//! `ftruncate` sizes it microseconds later. A process killed in between leaves a 0-byte file.
//! Whoever opens that segment later retries `MappingSizeIsZero` every millisecond without
//! looking at its timeout (`iceoryx2-cal`'s `posix_shared_memory::Builder::open_impl`), so the
//! call never returns. The segments a killed process can leave empty where others open them,
//! all named `<prefix><type hash>_<name><suffix>` in `/dev/shm`:
//!
//! * `node.<version>.global_mgmt`, the node-id segment of a prefix, world-writable by design:
//!   opened by every node creation.
//! * `<service id>.dynamic`, a service's dynamic config: opened by opening the service, by
//!   listing services and reading their details, and by cleaning up a dead node registered
//!   with the service.
//! * `<service id>.blackboard_mgmt`: opened with the blackboard service it belongs to.
//! * `<sender port id>_<receiver port id>.connection`: opened by cleaning up a dead node that
//!   owned one of the two ports (a port makes its connections before it registers with the
//!   service, so a port killed while making one is known only to its node's files).
//!
//! Dead nodes are cleaned up by node creation (all of them), service opening (those registered
//! with the service) and node closing (all of them): upstream's `cleanup_dead_nodes_on_*`, on
//! by default. Before those calls and before listing or reading services, [`refuse`] looks for
//! 0-byte files among the segments the call would open and refuses with
//! `ServiceInCorruptedState`, naming them. A file counts only once
//! it has been 0 bytes for [`GRACE`], so a segment another process is creating right now is not
//! mistaken for a leftover; the wait for that is bounded by [`GRACE`] and happens only when
//! such a file exists. Without empty files of the prefix in `/dev/shm` (the normal case) the
//! check is one directory listing. Closing a node cannot fail, so it skips the dead nodes whose
//! cleanup would wait instead ([`dead_nodes_held_up`], without waiting). Elsewhere than Linux
//! shared memory has no directory to look at, and nothing is checked.
//!
//! Dead-node cleanup and opening a service also read each dynamic config's messaging-pattern
//! tag, with a `match` that is undefined behaviour for a tag that is no pattern (garbage a
//! process wrote before it died, see [`crate::pattern_tag`]). Node creation, service opening
//! and `Node.cleanupDeadNodes` look for such tags among the dynamic configs they would read
//! (one `pread` of each dynamic config of the prefix) and refuse the same way, naming the
//! files; closing a node skips the dead nodes concerned.
//!
//! Creating a port needs no check: its connections are named after its own new id, and the
//! segments of other ports it opens (their data segments, a listener's event segment) are
//! complete before those ports register with the service.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path as StdPath, PathBuf};
use std::time::{Duration, SystemTime};

use iceoryx2::config::Config;
use iceoryx2::node::NodeState;
use iceoryx2::prelude::{CallbackProgression, MessagingPattern, ServiceName};
use iceoryx2::service::static_config::messaging_pattern::MessagingPattern as PatternConfig;
use iceoryx2::service::static_config::StaticConfig;

use crate::error::{Error, ErrorKind, Result};
use crate::objects::Ipc;

/// Where Linux shows POSIX shared memory as files (iceoryx2's `SHARED_MEMORY_DIRECTORY`).
pub const SHM_DIR: &str = "/dev/shm";
/// How long a segment must have been 0 bytes to count as a leftover. iceoryx2 sizes a
/// segment right after creating it; only a creator stopped or killed in between leaves it
/// empty this long.
pub const GRACE: Duration = Duration::from_secs(1);
/// The largest static service config read to find a service's id.
const MAX_STATIC_CONFIG_BYTES: u64 = 1024 * 1024;

/// What a call is about to do, and so which segments it would open.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Creating a node: the node-id segment, and the dead nodes it cleans up (all).
    NodeCreation,
    /// Opening or creating one service: its own segments, and the dead nodes registered with
    /// it, which upstream cleans up first (`cleanup_dead_nodes_on_open`).
    ServiceOpen(&'a ServiceName, MessagingPattern),
    /// Listing every service with its details.
    Services,
    /// Reading one service's details.
    Service(&'a ServiceName, MessagingPattern),
    /// Cleaning up dead nodes: all, or the one with this id (as `Node.list` shows it).
    DeadNodes(Option<&'a str>),
}

/// The role of a segment, from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    NodeIds,
    Dynamic(u128),
    BlackboardMgmt(u128),
    Connection(u128, u128),
}

/// Why iceoryx2 must not open a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// 0 bytes: iceoryx2 would wait on it forever.
    Empty,
    /// A dynamic config whose messaging-pattern tag (the value) is no pattern: iceoryx2's
    /// `match` on it, in dead-node cleanup among others, is undefined behaviour
    /// (`crate::pattern_tag`).
    InvalidTag(u32),
}

/// A segment file iceoryx2 must not open: empty, or a dynamic config with an invalid tag.
#[derive(Debug)]
struct Empty {
    path: PathBuf,
    segment: Segment,
    defect: Defect,
    inode: u64,
    owner: u32,
    /// How long ago it was last changed (created or truncated).
    age: Duration,
    changed: (i64, i64),
}

/// A service as its static config file says.
#[derive(Debug, Clone)]
struct ServiceEntry {
    name: String,
    pattern: Option<MessagingPattern>,
}

/// An empty segment the call would open: a leftover once [`GRACE`] has passed.
#[derive(Debug)]
pub struct Leftover {
    pub path: PathBuf,
    /// What the segment is, e.g. `the dynamic config of publish-subscribe service "a"`.
    pub what: String,
    owner: u32,
    age: Duration,
    inode: u64,
    changed: (i64, i64),
    is_dynamic_config: bool,
    pub defect: Defect,
}

/// The version tag iceoryx2 puts into the node-id segment's name (`.0_10_0`).
fn version_tag() -> String {
    format!(".{}", crate::ICEORYX2_VERSION.replace('.', "_"))
}

/// The version iceoryx2 stores in every segment it initialised (`PackageVersion::to_u64`).
pub(crate) fn version_value() -> u64 {
    let mut parts = crate::ICEORYX2_VERSION
        .split('.')
        .map(|p| p.parse::<u64>().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next() << 32) | (next() << 16) | next()
}

fn segment_of(config: &Config, rest: &str) -> Option<Segment> {
    let hash = rest.get(..40)?;
    if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let body = rest.get(40..)?.strip_prefix('_')?;
    let service = &config.global.service;
    let node_ids = format!(
        "node{}{}",
        version_tag(),
        config.global.node.global_mgmt_suffix
    );
    if body == node_ids {
        return Some(Segment::NodeIds);
    }
    let id = |suffix: &iceoryx2::prelude::FileName| {
        body.strip_suffix(suffix.to_string().as_str())
            .and_then(|id| id.parse::<u128>().ok())
    };
    if let Some(id) = id(&service.dynamic_config_storage_suffix) {
        return Some(Segment::Dynamic(id));
    }
    if let Some(id) = id(&service.blackboard_mgmt_suffix) {
        return Some(Segment::BlackboardMgmt(id));
    }
    let (sender, receiver) = body
        .strip_suffix(service.connection_suffix.to_string().as_str())?
        .split_once('_')?;
    Some(Segment::Connection(
        sender.parse().ok()?,
        receiver.parse().ok()?,
    ))
}

fn change_time(metadata: &std::fs::Metadata) -> (i64, i64) {
    (metadata.ctime(), metadata.ctime_nsec())
}

fn age_of(metadata: &std::fs::Metadata) -> Duration {
    let changed = SystemTime::UNIX_EPOCH
        + Duration::new(
            metadata.ctime().max(0) as u64,
            metadata.ctime_nsec().clamp(0, 999_999_999) as u32,
        );
    // A change time in the future (the clock was set back) counts as just now.
    SystemTime::now()
        .duration_since(changed)
        .unwrap_or(Duration::ZERO)
}

/// The segment files of `config`'s prefix in [`SHM_DIR`] (any size), with their metadata,
/// read without opening them.
fn segments(config: &Config) -> Vec<(PathBuf, Segment, std::fs::Metadata)> {
    let prefix = config.global.prefix.to_string();
    let Ok(entries) = std::fs::read_dir(SHM_DIR) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let rest = name.to_str()?.strip_prefix(prefix.as_str())?;
            let segment = segment_of(config, rest)?;
            let metadata = entry.metadata().ok()?;
            Some((entry.path(), segment, metadata))
        })
        .collect()
}

/// The segments of `config`'s prefix iceoryx2 must not open: the empty ones, and, with
/// `tags`, the dynamic configs whose pattern tag is no pattern (read with `pread`; a config
/// being created reads as zeros, a valid tag).
fn empty_segments(config: &Config, tags: bool) -> Vec<Empty> {
    segments(config)
        .into_iter()
        .filter(|(_, _, m)| m.is_file())
        .filter_map(|(path, segment, metadata)| {
            let defect = if metadata.len() == 0 {
                Defect::Empty
            } else if tags && matches!(segment, Segment::Dynamic(_)) {
                invalid_tag(&path).map(Defect::InvalidTag)?
            } else {
                return None;
            };
            Some(Empty {
                path,
                segment,
                defect,
                inode: metadata.ino(),
                owner: metadata.uid(),
                age: age_of(&metadata),
                changed: change_time(&metadata),
            })
        })
        .collect()
}

/// The pattern tag of dynamic config `path`, when it is none of the four patterns.
fn invalid_tag(path: &StdPath) -> Option<u32> {
    let tag = crate::pattern_tag::tag_in_file(path)?;
    let valid = crate::pattern::ALL.map(crate::pattern_tag::tag_value);
    (!valid.contains(&tag)).then_some(tag)
}

fn pattern_of(config: &StaticConfig) -> Option<MessagingPattern> {
    Some(match config.messaging_pattern() {
        PatternConfig::PublishSubscribe(_) => MessagingPattern::PublishSubscribe,
        PatternConfig::Event(_) => MessagingPattern::Event,
        PatternConfig::RequestResponse(_) => MessagingPattern::RequestResponse,
        PatternConfig::Blackboard(_) => MessagingPattern::Blackboard,
        _ => return None,
    })
}

/// Reads a static service config file: the service's id and name. Only regular files of a
/// sane size are read; one still being written (not readable yet) or malformed is skipped,
/// as iceoryx2 skips it.
fn read_static_config(path: &StdPath) -> Option<(u128, ServiceEntry)> {
    let metadata = std::fs::metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > MAX_STATIC_CONFIG_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let config: StaticConfig = toml::from_str(&text).ok()?;
    let id = u128::from_str_radix(&config.unique_service_id().to_string(), 16).ok()?;
    Some((
        id,
        ServiceEntry {
            name: config.name().as_str().to_string(),
            pattern: pattern_of(&config),
        },
    ))
}

fn static_config_path(config: &Config, hash: &str) -> PathBuf {
    PathBuf::from(config.global.service_dir().to_string()).join(format!(
        "{}{hash}{}",
        config.global.prefix, config.global.service.static_config_storage_suffix
    ))
}

/// Every service of the prefix by id.
fn all_services(config: &Config) -> BTreeMap<u128, ServiceEntry> {
    let prefix = config.global.prefix.to_string();
    let suffix = config
        .global
        .service
        .static_config_storage_suffix
        .to_string();
    let Ok(entries) = std::fs::read_dir(config.global.service_dir().to_string()) else {
        return BTreeMap::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(prefix.as_str()) && n.ends_with(suffix.as_str()))
        })
        .filter_map(|entry| read_static_config(&entry.path()))
        .collect()
}

/// What cleaning up a dead node would open besides its own files: the dynamic configs of the
/// services it is registered with (by id) and the connections of its ports.
struct DeadNode {
    id: String,
    services: BTreeMap<u128, ServiceEntry>,
    ports: BTreeSet<u128>,
}

impl DeadNode {
    /// Whether cleaning this node up opens `segment`.
    fn opens(&self, segment: Segment) -> bool {
        match segment {
            Segment::NodeIds => false,
            Segment::Dynamic(id) | Segment::BlackboardMgmt(id) => self.services.contains_key(&id),
            Segment::Connection(sender, receiver) => {
                self.ports.contains(&sender) || self.ports.contains(&receiver)
            }
        }
    }

    fn is_registered_with(&self, name: &ServiceName, pattern: MessagingPattern) -> bool {
        self.services
            .values()
            .any(|s| s.name == name.as_str() && s.pattern == Some(pattern))
    }
}

/// The dead nodes of `config`'s prefix (all, or the one with id `only`) with what their cleanup
/// would open, from their service and port tags.
fn dead_nodes(config: &Config, only: Option<&str>) -> Vec<DeadNode> {
    let mut ids = Vec::new();
    let _ = iceoryx2::node::Node::<Ipc>::list(config, |state| {
        if let NodeState::Dead(_) = &state {
            let id = state.node_id().to_string();
            if only.is_none_or(|only| only == id) {
                ids.push(id);
            }
        }
        CallbackProgression::Continue
    });
    let prefix = config.global.prefix.to_string();
    let node = &config.global.node;
    let service_tag = node.service_tag_suffix.to_string();
    let port_tag = node.port_tag_suffix.to_string();
    ids.into_iter()
        .filter_map(|id| {
            let value = u128::from_str_radix(&id, 16).ok()?;
            let directory =
                PathBuf::from(config.global.node_dir().to_string()).join(value.to_string());
            let mut dead = DeadNode {
                id,
                services: BTreeMap::new(),
                ports: BTreeSet::new(),
            };
            for entry in std::fs::read_dir(&directory).ok()?.flatten() {
                let name = entry.file_name();
                let Some(tag) = name.to_str().and_then(|n| n.strip_prefix(prefix.as_str())) else {
                    continue;
                };
                if let Some(hash) = tag.strip_suffix(service_tag.as_str()) {
                    if let Some((service_id, service)) =
                        read_static_config(&static_config_path(config, hash))
                    {
                        dead.services.insert(service_id, service);
                    }
                } else if let Some(port) = tag
                    .strip_suffix(port_tag.as_str())
                    .and_then(|p| p.parse::<u128>().ok())
                {
                    dead.ports.insert(port);
                }
            }
            Some(dead)
        })
        .collect()
}

fn describe_service(what: &str, service: &ServiceEntry) -> String {
    let pattern = service
        .pattern
        .map(|p| format!(" ({})", crate::pattern::name(p)))
        .unwrap_or_default();
    format!("{what} of service {:?}{pattern}", service.name)
}

/// The empty segments among those `scope` would open, not yet confirmed by [`GRACE`].
fn candidates(config: &Config, scope: Scope) -> Vec<Leftover> {
    // Pattern tags matter where iceoryx2 matches on them unchecked: dead-node cleanup, and
    // opening the service itself.
    let tags = matches!(
        scope,
        Scope::NodeCreation | Scope::ServiceOpen(..) | Scope::DeadNodes(_)
    );
    let empty = empty_segments(config, tags);
    if empty.is_empty() {
        return Vec::new();
    }
    // The dead nodes the call cleans up: all, one, or those registered with a service.
    let dead_nodes_cleaned = match scope {
        Scope::NodeCreation if config.global.node.cleanup_dead_nodes_on_creation => {
            Some((None, None))
        }
        Scope::ServiceOpen(name, pattern) if config.global.service.cleanup_dead_nodes_on_open => {
            Some((None, Some((name, pattern))))
        }
        Scope::DeadNodes(only) => Some((only, None)),
        _ => None,
    };
    let needs_services = empty
        .iter()
        .any(|e| matches!(e.segment, Segment::Dynamic(_) | Segment::BlackboardMgmt(_)));
    let services = match scope {
        Scope::Services if needs_services => all_services(config),
        Scope::Service(name, pattern) | Scope::ServiceOpen(name, pattern) if needs_services => {
            all_services(config)
                .into_iter()
                .filter(|(_, s)| s.name == name.as_str() && s.pattern == Some(pattern))
                .collect()
        }
        _ => BTreeMap::new(),
    };
    let dead: Vec<DeadNode> = match dead_nodes_cleaned {
        Some((only, registered_with)) if empty.iter().any(|e| e.segment != Segment::NodeIds) => {
            dead_nodes(config, only)
                .into_iter()
                .filter(|d| registered_with.is_none_or(|(n, p)| d.is_registered_with(n, p)))
                .collect()
        }
        _ => Vec::new(),
    };
    empty
        .into_iter()
        .filter_map(|e| {
            let opened_by = dead.iter().find(|d| d.opens(e.segment));
            let dead_service = |id: &u128| {
                let node = opened_by?;
                let registered = format!(", which dead node {} was registered with", node.id);
                node.services.get(id).map(|s| (s, registered))
            };
            let service = |id: &u128| {
                services
                    .get(id)
                    .map(|s| (s, String::new()))
                    .or_else(|| dead_service(id))
            };
            let what = match e.segment {
                Segment::NodeIds => matches!(scope, Scope::NodeCreation).then(|| {
                    format!(
                        "the node-id segment of config prefix {:?}, which every node creation \
                         under that prefix opens",
                        config.global.prefix.to_string()
                    )
                })?,
                Segment::Dynamic(id) => {
                    let (s, node) = service(&id)?;
                    describe_service("the dynamic config", s) + &node
                }
                Segment::BlackboardMgmt(id) => {
                    let (s, node) = service(&id)?;
                    describe_service("the management segment", s) + &node
                }
                Segment::Connection(sender, receiver) => {
                    let node = opened_by?;
                    let port = if node.ports.contains(&sender) {
                        sender
                    } else {
                        receiver
                    };
                    format!(
                        "the connection from port {sender} to port {receiver}; port {port} was \
                         dead node {}'s",
                        node.id
                    )
                }
            };
            Some(Leftover {
                path: e.path,
                what,
                owner: e.owner,
                age: e.age,
                inode: e.inode,
                changed: e.changed,
                is_dynamic_config: matches!(e.segment, Segment::Dynamic(_)),
                defect: e.defect,
            })
        })
        .collect()
}

/// The dead nodes of `config`'s prefix whose cleanup would open a 0-byte segment now, by id,
/// with those files. Never waits: for a call that cannot report an error (closing a node) and
/// skips these nodes instead, so a segment being created right now counts as well; skipping a
/// cleanup only defers it.
pub fn dead_nodes_held_up(config: &Config) -> BTreeMap<String, Vec<PathBuf>> {
    let empty = empty_segments(config, true);
    if empty.iter().all(|e| e.segment == Segment::NodeIds) {
        return BTreeMap::new();
    }
    dead_nodes(config, None)
        .into_iter()
        .filter_map(|dead| {
            let files: Vec<PathBuf> = empty
                .iter()
                .filter(|e| dead.opens(e.segment))
                .map(|e| e.path.clone())
                .collect();
            (!files.is_empty()).then_some((dead.id, files))
        })
        .collect()
}

/// The leftovers `scope` would wait on forever: its empty segments that have been empty for
/// [`GRACE`]. When one is younger, waits until it is that old (at most [`GRACE`]) and looks
/// again: a segment being created has its size by then.
pub fn find(config: &Config, scope: Scope) -> Vec<Leftover> {
    // An invalid tag needs no grace: a config being created reads as zeros, a valid tag.
    let (invalid, candidates): (Vec<Leftover>, Vec<Leftover>) = candidates(config, scope)
        .into_iter()
        .partition(|c| matches!(c.defect, Defect::InvalidTag(_)));
    if !invalid.is_empty() {
        return invalid;
    }
    let Some(youngest) = candidates.iter().map(|c| c.age).min() else {
        return Vec::new();
    };
    let waited = GRACE.saturating_sub(youngest);
    if !waited.is_zero() {
        std::thread::sleep(waited);
    }
    candidates
        .into_iter()
        .filter_map(|mut c| {
            let metadata = std::fs::symlink_metadata(&c.path).ok()?;
            if !metadata.is_file() || metadata.len() != 0 {
                return None;
            }
            let unchanged = metadata.ino() == c.inode && change_time(&metadata) == c.changed;
            // Unchanged, it has been empty at least since first seen; else only since its
            // change time (a clock set back makes that "just now").
            c.age = if unchanged {
                (c.age + waited).max(age_of(&metadata))
            } else {
                age_of(&metadata)
            };
            (c.age >= GRACE).then_some(c)
        })
        .collect()
}

/// A quoted path for a shell command.
fn quoted(path: &StdPath) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// The error for `leftovers` (not empty), after `context` (what the call was doing).
pub fn error(context: &str, leftovers: &[Leftover]) -> Error {
    if leftovers
        .iter()
        .any(|l| matches!(l.defect, Defect::InvalidTag(_)))
    {
        return invalid_tags_error(context, leftovers);
    }
    let described: Vec<String> = leftovers
        .iter()
        .map(|l| format!("{} ({})", l.path.display(), l.what))
        .collect();
    let (files, it, them) = if leftovers.len() == 1 {
        ("the shared-memory file", "it is empty (0 bytes)", "it")
    } else {
        (
            "the shared-memory files",
            "they are empty (0 bytes)",
            "them",
        )
    };
    let oldest = leftovers.iter().map(|l| l.age).max().unwrap_or_default();
    let paths: Vec<String> = leftovers.iter().map(|l| quoted(&l.path)).collect();
    // SAFETY: geteuid cannot fail and touches no memory of ours.
    let me = unsafe { libc::geteuid() };
    let owners: BTreeSet<u32> = leftovers
        .iter()
        .map(|l| l.owner)
        .filter(|o| *o != me)
        .collect();
    let owner_note = if owners.is_empty() {
        String::new()
    } else {
        let ids: Vec<String> = owners.iter().map(u32::to_string).collect();
        format!(
            " as the user that owns {them} (user id {}) or as root: {SHM_DIR} lets only a \
             file's owner remove it",
            ids.join(", ")
        )
    };
    let service_note = if leftovers.iter().any(|l| l.is_dynamic_config) {
        "; once a dynamic config is gone, the next dead-node cleanup removes the rest of its \
         service, or node.forceRemoveService() does"
    } else {
        ""
    };
    Error::new(
        ErrorKind::ServiceInCorruptedState,
        format!(
            "{context}: iceoryx2 would wait forever on {files} {}: {it} and {} been for at \
             least {:.1} s, so {} probably left by a process killed while creating {them}. \
             Remove {them} (rm {}){owner_note}, then retry{service_note}",
            described.join(", "),
            if leftovers.len() == 1 { "has" } else { "have" },
            oldest.as_secs_f64(),
            if leftovers.len() == 1 {
                "it was"
            } else {
                "they were"
            },
            paths.join(" "),
        ),
    )
}

/// The error for dynamic configs whose pattern tag is no pattern.
fn invalid_tags_error(context: &str, leftovers: &[Leftover]) -> Error {
    let described: Vec<String> = leftovers
        .iter()
        .filter_map(|l| match l.defect {
            Defect::InvalidTag(tag) => Some(format!(
                "{} ({}; its pattern tag holds {tag:#x})",
                l.path.display(),
                l.what
            )),
            Defect::Empty => None,
        })
        .collect();
    Error::new(
        ErrorKind::ServiceInCorruptedState,
        format!(
            "{context}: iceoryx2 would read garbage as a messaging pattern in {}, which another \
             process wrote into, and could corrupt this process's memory doing so. Remove the \
             service (node.forceRemoveService), then retry",
            described.join(", ")
        ),
    )
}

/// Refuses with [`error`] when `scope` would wait forever on leftovers of `config`'s prefix.
pub fn refuse(config: &Config, scope: Scope, context: &str) -> Result<()> {
    let found = find(config, scope);
    if found.is_empty() {
        Ok(())
    } else {
        Err(error(context, &found))
    }
}

/// The dynamic-config file of service `name` (`pattern`) under `config`'s prefix and the
/// version iceoryx2 wrote into it (its first 8 bytes), read with `pread`, never mapped: what a
/// version mismatch on opening the service actually found.
pub fn dynamic_config_version(
    config: &Config,
    name: &ServiceName,
    pattern: MessagingPattern,
) -> Option<(PathBuf, u64)> {
    let (id, _) = all_services(config)
        .into_iter()
        .find(|(_, s)| s.name == name.as_str() && s.pattern == Some(pattern))?;
    let (path, _, _) = segments(config)
        .into_iter()
        .find(|(_, segment, _)| *segment == Segment::Dynamic(id))?;
    let version = crate::pattern_tag::version_in_file(&path)?;
    Some((path, version))
}

/// A version as iceoryx2 stores it (`major << 32 | minor << 16 | patch`), when it is one a
/// release could have (from 0.1.0 on): garbage from another process almost never is.
pub fn release_of(version: u64) -> Option<String> {
    let (major, minor, patch) = (version >> 32, (version >> 16) & 0xffff, version & 0xffff);
    let plausible = major < 100 && minor < 1000 && patch < 1000 && (major, minor) != (0, 0);
    plausible.then(|| format!("{major}.{minor}.{patch}"))
}

/// Why the node-id segment of `config`'s prefix keeps iceoryx2 from generating node ids, if
/// it is damaged: not a regular file, shorter than its version field, not readable and
/// writable by this process, or holding another version than iceoryx2's (random bytes).
/// Read with `read`, never mapped, so a short file cannot fault.
pub fn damaged_node_ids(config: &Config) -> Option<(PathBuf, String)> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    segments(config)
        .into_iter()
        .filter(|(_, segment, _)| *segment == Segment::NodeIds)
        .find_map(|(path, _, metadata)| {
            let problem = if !metadata.is_file() {
                Some(format!(
                    "it is {}",
                    crate::config_file::file_type_name(metadata.file_type())
                ))
            } else {
                match std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
                    .open(&path)
                {
                    Err(e) => Some(format!(
                        "this process may not open it for reading and writing ({e}; it \
                         belongs to user id {} and has mode {:o})",
                        metadata.uid(),
                        metadata.mode() & 0o7777
                    )),
                    Ok(mut file) => {
                        let mut version = [0u8; 8];
                        match file.read_exact(&mut version) {
                            Err(_) => Some(format!(
                                "it is {} bytes long, too short to hold iceoryx2's version",
                                metadata.len()
                            )),
                            Ok(()) => {
                                let found = u64::from_ne_bytes(version);
                                (found != version_value()).then(|| {
                                    format!(
                                        "its version field reads {found:#x} instead of \
                                         iceoryx2 {}'s {:#x}: it holds bytes no iceoryx2 \
                                         {} wrote",
                                        crate::ICEORYX2_VERSION,
                                        version_value(),
                                        crate::ICEORYX2_VERSION
                                    )
                                })
                            }
                        }
                    }
                }
            };
            problem.map(|p| (path, p))
        })
}
