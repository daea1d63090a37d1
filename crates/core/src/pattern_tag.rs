//! The messaging pattern a service's dynamic config records, checked before iceoryx2 reads it.
//!
//! iceoryx2 keeps a service's dynamic config in shared memory as a `#[repr(C)]` struct whose
//! first field is a `#[repr(C)]` enum over the four patterns, and matches on that enum in most
//! port operations and in every port's destructor. When another process overwrote the enum's tag
//! with a value that is no variant, iceoryx2 takes its "cannot happen" branch, which formats a
//! debug dump of the enum: the derived formatter then jumps through a table indexed by the
//! invalid tag, to a garbage address. In fuzzing that corrupted this process's heap before
//! anything faulted (no escapable call can help once memory is corrupted). So every call on a
//! service's objects, and every destructor of them, first reads the tag here; a tag that is not
//! the one the service was opened with refuses the call and leaks the objects instead.
//!
//! A peer that writes the tag after this check and before iceoryx2's read (nanoseconds later)
//! is not caught; one whose garbage is already there when a call starts, is.

use core::ptr::NonNull;
use core::sync::atomic::{AtomicU32, Ordering};
use std::path::Path as StdPath;

use iceoryx2::service::dynamic_config as dynamic;
use iceoryx2::service::messaging_pattern::MessagingPattern;
use iceoryx2::service::port_factory::PortFactory;
use iceoryx2::service::Service;

use crate::error::{Error, ErrorKind, Result};
use crate::handles::Handle;
use crate::objects::Ipc;

type Bag = <Ipc as Service>::Bag;

/// The tag's value for each pattern: its variant's index in iceoryx2's dynamic-config enum
/// (`RequestResponse`, `PublishSubscribe`, `Event`, `Blackboard`, in that order; a
/// `#[repr(C)]` enum numbers its variants from 0). A test checks this against the files
/// iceoryx2 writes.
pub fn tag_value(pattern: MessagingPattern) -> u32 {
    match pattern {
        MessagingPattern::RequestResponse => 0,
        MessagingPattern::PublishSubscribe => 1,
        MessagingPattern::Event => 2,
        MessagingPattern::Blackboard => 3,
    }
}

/// Where the variant's fields start after the tag: a `#[repr(C)]` enum with fields is a C
/// `int` tag followed by a union of the variants, aligned as its most aligned variant.
fn variant_offset() -> usize {
    let align = core::mem::align_of::<dynamic::request_response::DynamicConfig<Bag>>()
        .max(core::mem::align_of::<
            dynamic::publish_subscribe::DynamicConfig<Bag>,
        >())
        .max(core::mem::align_of::<dynamic::event::DynamicConfig<Bag>>())
        .max(core::mem::align_of::<dynamic::blackboard::DynamicConfig<Bag>>());
    core::mem::size_of::<core::ffi::c_int>().next_multiple_of(align)
}

/// The tag of one open service's dynamic config, and the value it must hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PatternTag {
    address: NonNull<u32>,
    expected: u32,
}

impl PatternTag {
    /// The tag of the service `factory` just opened as `pattern`, read first from the service's
    /// dynamic-config file (never through iceoryx2's enum). A tag that is not the pattern's
    /// refuses the open.
    /// `None` (nothing checked) when the file is not among this process's mappings (no
    /// `/proc/self/maps`), or when the mapped tag is not where the layout above says, which a
    /// test rules out for this iceoryx2.
    pub(crate) fn of_opened<F: PortFactory>(
        factory: F,
        pattern: MessagingPattern,
        node: Handle,
    ) -> Result<(F, Option<Self>)> {
        let expected = tag_value(pattern);
        // The node opened the service a moment ago; its config names the file's suffix.
        let suffix = crate::node::node_ref(node, |node| {
            Ok(node
                .config()
                .global
                .service
                .dynamic_config_storage_suffix
                .to_string())
        })
        .unwrap_or_else(|_| ".dynamic".into());
        let Some(file) = DynamicConfigFile::of(&factory, &suffix) else {
            return Ok((factory, None));
        };
        // Its size now tells a later truncation by another process (crate::shm_guard).
        crate::shm_guard::remember_dynamic_config(&file.path);
        // The factory is leaked: its destructor would deregister from the same config.
        let refuse = |factory: F, found: u32| {
            core::mem::forget(factory);
            Err(broken(
                "the service was not opened",
                &file.path,
                found,
                expected,
            ))
        };
        if file.tag != expected {
            return refuse(factory, file.tag);
        }
        // The tag holds, so iceoryx2's accessor takes its valid branch.
        let variant = factory.dynamic_config() as *const F::DynamicConfig as *const u8;
        let address = variant.wrapping_sub(variant_offset());
        let in_file = (address as usize).checked_sub(offset_in_file());
        let Some(address) = NonNull::new(address as *mut u32)
            .filter(|_| in_file.is_some_and(|start| file.mapped_at.contains(&start)))
        else {
            return Ok((factory, None));
        };
        let tag = Self { address, expected };
        // Read again through the mapping: it may have changed since the file was read.
        let found = tag.read();
        if found != expected {
            return refuse(factory, found);
        }
        Ok((factory, Some(tag)))
    }

    /// Whether the tag still holds the pattern the service was opened with.
    #[inline]
    pub(crate) fn holds(&self) -> bool {
        self.read() == self.expected
    }

    #[inline]
    fn read(&self) -> u32 {
        // SAFETY: the address is the start of the dynamic config's enum, inside the service's
        // mapping, 4-aligned (the enum starts the struct, and the struct is at least as aligned
        // as its tag). The mapping lives as long as the service and every object made from it,
        // which are the only holders of this tag. Another process may write it at any time,
        // hence an atomic read; a truncated file reads as zeros (crate::shm_guard).
        unsafe { AtomicU32::from_ptr(self.address.as_ptr()) }.load(Ordering::Relaxed)
    }

    /// The error for a call on `kind` (an object's kind) refused because the tag changed.
    pub(crate) fn error(&self, kind: &str) -> Error {
        let address = self.address.as_ptr() as usize;
        let file = crate::spans::shm_mappings()
            .into_iter()
            .find(|(from, to, _)| (*from..*to).contains(&address))
            .map(|(_, _, path)| path)
            .unwrap_or_else(|| "in /dev/shm".into());
        let refused = format!("the call on the {kind} was refused");
        broken(&refused, &file, self.read(), self.expected)
    }
}

/// A service's dynamic-config file (named `…_<id><suffix>`), found among this process's
/// mappings by the service's id: its path, where it is mapped, and the tag it holds, read with
/// `pread`.
struct DynamicConfigFile {
    path: String,
    mapped_at: Vec<usize>,
    tag: u32,
}

impl DynamicConfigFile {
    fn of<F: PortFactory>(factory: &F, suffix: &str) -> Option<Self> {
        let id = u128::from_str_radix(&factory.unique_service_id().to_string(), 16).ok()?;
        let name = format!("_{id}{suffix}");
        let mappings: Vec<(usize, String)> = crate::spans::shm_mappings()
            .into_iter()
            .filter(|(_, _, path)| path.ends_with(&name))
            .map(|(from, _, path)| (from, path))
            .collect();
        let path = mappings.first()?.1.clone();
        let tag = tag_in_file(StdPath::new(&path))?;
        Some(Self {
            path,
            mapped_at: mappings.into_iter().map(|(from, _)| from).collect(),
            tag,
        })
    }
}

/// The error saying `refused` (what was not done) because `file` holds tag `found`.
fn broken(refused: &str, file: &str, found: u32, expected: u32) -> Error {
    Error::new(
        ErrorKind::ServiceInCorruptedState,
        format!(
            "{refused}: the service's dynamic config ({file}) no longer records the \
             service's messaging pattern (its tag holds {found:#x}, iceoryx2 wrote {expected}), \
             so another process wrote into it, and iceoryx2 would follow garbage. Close the \
             service's objects (they are leaked, not dropped) and remove the service \
             (node.forceRemoveService), then create it anew"
        ),
    )
}

/// The tag in dynamic-config file `path`, read with `pread` (never mapped, so a short file
/// cannot fault).
pub(crate) fn tag_in_file(path: &StdPath) -> Option<u32> {
    read_in_file(path, offset_in_file()).map(u32::from_ne_bytes)
}

/// The iceoryx2 version that dynamic-config file `path` records in its first 8 bytes (the
/// storage's version field, before the tag), read with `pread` as the tag is.
pub(crate) fn version_in_file(path: &StdPath) -> Option<u64> {
    read_in_file(path, 0).map(u64::from_ne_bytes)
}

fn read_in_file<const N: usize>(path: &StdPath, offset: usize) -> Option<[u8; N]> {
    use std::os::unix::fs::FileExt;
    let mut bytes = [0u8; N];
    let file = std::fs::File::open(path).ok()?;
    file.read_exact_at(&mut bytes, offset as u64).ok()?;
    Some(bytes)
}

/// Where the tag lies in a service's dynamic-config file: after the storage's 8-byte version
/// field, at the config's alignment.
pub fn offset_in_file() -> usize {
    core::mem::size_of::<u64>()
        .next_multiple_of(core::mem::align_of::<dynamic::DynamicConfig<Bag>>())
}
