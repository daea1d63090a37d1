//! Blackboard: a key-value store in shared memory, its writer and readers.
//!
//! Keys and values are typed at run time, as in upstream's language bindings: the service
//! stores the key type's details and compares keys bytewise (JS writes keys into zeroed
//! buffers, so padding compares equal); every entry stores its value type's details, which an
//! `entry` request must match exactly (name, size, alignment).
//!
//! Values change under readers at any time, so a reader entry copies the current value into a
//! private buffer JS reads; a writer entry copies bytes in (`update`) or lends JS its write cell
//! (`loan`), which readers cannot see until the loan is updated.

use core::cell::Cell;
use std::rc::Rc;

use iceoryx2::constants::{MAX_BLACKBOARD_KEY_ALIGNMENT, MAX_BLACKBOARD_KEY_SIZE};
use iceoryx2::port::reader::{__InternalEntryHandle, EntryHandleError, Reader, ReaderCreateError};
use iceoryx2::port::writer::{
    __InternalEntryHandleMut, EntryHandleMutError, Writer, WriterCreateError,
};
use iceoryx2::prelude::{CallbackProgression, MessagingPattern, PortFactory as _};
use iceoryx2::service::builder::blackboard::{BlackboardCreateError, BlackboardOpenError};
use iceoryx2::service::marker::CustomKeyMarker;
use iceoryx2::service::port_factory::blackboard::PortFactory;
use iceoryx2::service::resource::blackboard::KeyMemory;
use iceoryx2::service::service_name::ServiceName;
use iceoryx2::service::static_config::message_type_details::TypeDetail;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::attributes::{to_list, AttributesSpec, KeyValue};
use crate::capacities::{create_port, port_list};
use crate::error::{Classify, Error, ErrorKind, Result};
use crate::handles::{self, wrong_kind, Handle};
use crate::limits::{check_count, MAX_SEGMENT_BYTES};
use crate::node::with_node;
use crate::objects::{Ipc, Object, SampleMemory};
use crate::pattern::{listed, port_name, service_name, PortInfo};
use crate::pattern_tag::PatternTag;
use crate::types::{TypeSpec, Variant};

mod reader;
mod writer;

pub use reader::*;
pub use writer::*;

type Factory = PortFactory<Ipc, CustomKeyMarker>;

type RawWriter = Writer<Ipc, CustomKeyMarker>;

type RawReader = Reader<Ipc, CustomKeyMarker>;

/// Bytes of the generation counter that precede the value in a reader entry's buffer.
const GENERATION_LEN: usize = 8;

/// Shared memory iceoryx2 needs per entry besides its two value cells: the key memory, the
/// value's type details and the cells' management (a generous round figure).
const ENTRY_OVERHEAD: usize = 512;

/// The bytes of a key type that hold its fields, as `(offset, length)` runs. Keys are equal when
/// these bytes are: padding is ignored, as upstream's field-wise `Eq` (Rust) and `__eq__`
/// (Python) ignore it, so a key a Rust creator wrote with uninitialised padding still matches.
#[derive(Debug)]
pub(crate) struct KeyFields(Vec<(usize, usize)>);

impl KeyFields {
    /// `runs` from the spec (the whole key when absent), checked to lie within `size` bytes.
    fn new(runs: Option<&[[usize; 2]]>, size: usize) -> Result<Self> {
        let Some(runs) = runs else {
            return Ok(Self(vec![(0, size)]));
        };
        let mut checked = Vec::with_capacity(runs.len());
        for &[offset, length] in runs {
            if length == 0 || offset.checked_add(length).is_none_or(|end| end > size) {
                return Err(Error::invalid_argument(format!(
                    "key field bytes {offset}..{} lie outside the key type's {size} bytes",
                    offset.saturating_add(length)
                )));
            }
            checked.push((offset, length));
        }
        Ok(Self(checked))
    }

    /// Whether two keys of the key type are equal field by field (a key too short is unequal).
    fn equal(&self, lhs: &[u8], rhs: &[u8]) -> bool {
        self.0.iter().all(|&(offset, length)| {
            let range = offset..offset + length;
            matches!((lhs.get(range.clone()), rhs.get(range)), (Some(l), Some(r)) if l == r)
        })
    }
}

pub(crate) enum BlackboardObject {
    Service(Factory, Rc<TypeSpec>, Rc<KeyFields>),
    Writer(RawWriter, Rc<TypeSpec>),
    Reader(RawReader, Rc<TypeSpec>),
    EntryMut(Rc<WritableEntry>),
    EntryValue(LoanedValue),
    Entry(ReadableEntry),
}

impl crate::objects::PatternObject for BlackboardObject {
    fn kind_name(&self) -> &'static str {
        match self {
            BlackboardObject::Service(..) => "blackboard Service",
            BlackboardObject::Writer(..) => "Writer",
            BlackboardObject::Reader(..) => "Reader",
            BlackboardObject::EntryMut(_) => "EntryHandleMut",
            BlackboardObject::EntryValue(_) => "EntryValue",
            BlackboardObject::Entry(_) => "EntryHandle",
        }
    }
}

/// Quality of service of a blackboard (upstream's names). When creating, unset values take the
/// config's defaults; when opening, set values are minimum requirements.
#[derive(Debug, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct BlackboardQos {
    /// The most readers the blackboard supports at once.
    pub max_readers: Option<usize>,
    /// The most nodes that may have the blackboard open at once.
    pub max_nodes: Option<usize>,
}

impl BlackboardQos {
    /// The QoS a service was created with, every value set.
    pub(crate) fn of(config: &iceoryx2::service::static_config::blackboard::StaticConfig) -> Self {
        Self {
            max_readers: Some(config.max_readers()),
            max_nodes: Some(config.max_nodes()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BlackboardMode {
    Create,
    Open,
}

/// One key-value pair a creator adds: key and initial value as the bytes of their types.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntrySpec {
    pub key: Vec<u8>,
    pub value: TypeSpec,
    pub initial: Vec<u8>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct BlackboardServiceSpec {
    pub name: String,
    pub mode: BlackboardMode,
    pub key: TypeSpec,
    /// The key's field bytes as `[offset, length]` runs, padding left out (default: all bytes).
    #[serde(default)]
    pub key_fields: Option<Vec<[usize; 2]>>,
    #[serde(default)]
    #[ts(as = "Option<Vec<EntrySpec>>")]
    pub entries: Vec<EntrySpec>,
    #[serde(default)]
    #[ts(as = "Option<BlackboardQos>")]
    pub qos: BlackboardQos,
    #[serde(default)]
    #[ts(as = "Option<AttributesSpec>")]
    pub attributes: AttributesSpec,
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BlackboardServiceInfo {
    pub name: String,
    /// The service's hash and this incarnation's unique id.
    #[serde(flatten)]
    #[ts(flatten)]
    pub identity: crate::pattern::ServiceIdentity,
    pub key_type: TypeSpec,
    /// Every value set.
    #[ts(type = "Required<BlackboardQos>")]
    pub qos: BlackboardQos,
    pub attributes: Vec<KeyValue>,
}

/// Which entry of a writer or reader: the key's bytes and the value type.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntryRequest {
    pub key: Vec<u8>,
    pub value: TypeSpec,
}

fn check_key_type(key: &TypeSpec) -> Result<()> {
    key.validate("key")?;
    if key.variant != Variant::FixedSize {
        return Err(Error::invalid_argument(format!(
            "key type {} must be fixed-size, not a slice",
            key.describe()
        )));
    }
    if key.size > MAX_BLACKBOARD_KEY_SIZE || key.alignment > MAX_BLACKBOARD_KEY_ALIGNMENT {
        return Err(Error::invalid_argument(format!(
            "key type {} is too large: blackboard keys have at most {MAX_BLACKBOARD_KEY_SIZE} \
             bytes and alignment {MAX_BLACKBOARD_KEY_ALIGNMENT}",
            key.describe()
        )));
    }
    Ok(())
}

fn check_value_type(value: &TypeSpec) -> Result<()> {
    value.validate("value")?;
    if value.variant != Variant::FixedSize {
        return Err(Error::invalid_argument(format!(
            "value type {} must be fixed-size, not a slice",
            value.describe()
        )));
    }
    Ok(())
}

fn check_len(bytes: &[u8], expected: usize, what: &str, type_: &TypeSpec) -> Result<()> {
    if bytes.len() != expected {
        return Err(Error::invalid_argument(format!(
            "{what} has {} bytes, but type {} has {expected}",
            bytes.len(),
            type_.describe()
        )));
    }
    Ok(())
}

/// Key equality for iceoryx2: field by field (see [`KeyFields`]).
fn key_eq(
    fields: &KeyFields,
    size: usize,
) -> Box<dyn Fn(*const u8, *const u8) -> bool + Send + Sync> {
    // iceoryx2 asks for `Send + Sync`, which the service's `Rc` is not: the closure owns a copy.
    let fields = KeyFields(fields.0.clone());
    Box::new(move |lhs, rhs| {
        KeyMemory::<MAX_BLACKBOARD_KEY_SIZE>::key_eq_comparison(lhs, rhs, &|lhs, rhs| {
            // SAFETY: iceoryx2 passes the data of two key memories of MAX_BLACKBOARD_KEY_SIZE
            // bytes, and `size` (which bounds every run) was checked not to exceed it.
            let (lhs, rhs) = unsafe {
                (
                    core::slice::from_raw_parts(lhs, size),
                    core::slice::from_raw_parts(rhs, size),
                )
            };
            fields.equal(lhs, rhs)
        })
    })
}

/// Creates or opens a blackboard service from JSON-encoded [`BlackboardServiceSpec`].
pub fn service_open(node_handle: Handle, spec: BlackboardServiceSpec) -> Result<Handle> {
    let name = service_name(&spec.name)?;
    check_key_type(&spec.key)?;
    let key_detail = spec.key.to_detail("key")?;
    let fields = Rc::new(KeyFields::new(spec.key_fields.as_deref(), spec.key.size)?);
    check_count(spec.qos.max_readers, "maxReaders")?;
    check_count(spec.qos.max_nodes, "maxNodes")?;
    let service = format!("blackboard service '{}'", spec.name);
    let context = format!("cannot open {service}");
    let pattern = iceoryx2::service::messaging_pattern::MessagingPattern::Blackboard;
    let factory = match spec.mode {
        BlackboardMode::Create => {
            check_entries(&spec, &fields)?;
            with_node(node_handle, &name, pattern, |node| {
                let builder = node
                    .service_builder(&name)
                    .blackboard_creator::<CustomKeyMarker>();
                // SAFETY: keys are the bytes of `spec.key` (lengths checked above) and the
                // comparison reads only that many bytes.
                let mut builder = unsafe {
                    builder
                        .__internal_set_key_type_details(&key_detail)
                        .__internal_set_key_eq_cmp_func(key_eq(&fields, spec.key.size))
                };
                if let Some(v) = spec.qos.max_readers {
                    builder = builder.max_readers(v);
                }
                if let Some(v) = spec.qos.max_nodes {
                    builder = builder.max_nodes(v);
                }
                for entry in &spec.entries {
                    let detail = entry.value.to_detail("value")?;
                    let mut initial = entry.initial.clone();
                    let initial_ptr = initial.as_mut_ptr();
                    // SAFETY: the key has the key type's size (checked); iceoryx2 copies
                    // `detail.size` bytes from `initial_ptr` when it creates the service, and
                    // the Vec lives until iceoryx2 drops the cleanup closure after that.
                    builder = unsafe {
                        builder.__internal_add(
                            entry.key.as_ptr(),
                            initial_ptr,
                            detail,
                            Box::new(move || drop(core::mem::take(&mut initial))),
                        )
                    };
                }
                let created = builder
                    .create_with_attributes(&spec.attributes.specifier()?)
                    .map_err(|e| e.into_error(&format!("cannot create {service}")));
                crate::pattern::explain_already_exists(created, &service)
            })?
        }
        BlackboardMode::Open => {
            if !spec.entries.is_empty() {
                return Err(Error::invalid_argument(
                    "entries are added only when a blackboard is created",
                ));
            }
            with_node(node_handle, &name, pattern, |node| {
                let builder = node
                    .service_builder(&name)
                    .blackboard_opener::<CustomKeyMarker>();
                // SAFETY: as for the creator.
                let mut builder = unsafe {
                    builder
                        .__internal_set_key_type_details(&key_detail)
                        .__internal_set_key_eq_cmp_func(key_eq(&fields, spec.key.size))
                };
                if let Some(v) = spec.qos.max_readers {
                    builder = builder.max_readers(v);
                }
                if let Some(v) = spec.qos.max_nodes {
                    builder = builder.max_nodes(v);
                }
                builder
                    .open_with_attributes(&spec.attributes.verifier(false)?)
                    .map_err(|e| e.into_error(&context))
                    .map_err(|e| crate::pattern::explain_open_failure(e, node, &name, pattern))
                    .map_err(|e| explain_incompatible_key(e, node, &name, &spec.key))
            })?
        }
    };
    let key = Rc::new(TypeSpec::from_detail(
        factory.static_config().type_details(),
    ));
    let (factory, tag) = PatternTag::of_opened(factory, pattern, node_handle)?;
    handles::insert_service(
        Object::from(BlackboardObject::Service(factory, key, fields)),
        node_handle,
        tag,
    )
}

fn check_entries(spec: &BlackboardServiceSpec, fields: &KeyFields) -> Result<()> {
    if spec.entries.is_empty() {
        return Err(Error::invalid_argument(
            "a blackboard needs at least one entry: add() a key-value pair before create()",
        ));
    }
    let mut bytes = 0usize;
    for (index, entry) in spec.entries.iter().enumerate() {
        check_len(&entry.key, spec.key.size, "a key", &spec.key)?;
        check_value_type(&entry.value)?;
        // Sizes are bounded by `check_value_type`, so this cannot overflow.
        bytes += 2 * entry.value.size + entry.value.alignment + ENTRY_OVERHEAD;
        if bytes > MAX_SEGMENT_BYTES {
            return Err(Error::invalid_argument(format!(
                "the blackboard's entries up to entry {index} need more than the limit of \
                 {MAX_SEGMENT_BYTES} bytes of shared memory"
            )));
        }
        check_len(
            &entry.initial,
            entry.value.size,
            "an initial value",
            &entry.value,
        )?;
        if spec.entries[..index]
            .iter()
            .any(|e| fields.equal(&e.key, &entry.key))
        {
            return Err(Error::invalid_argument(format!(
                "entry {index} repeats the key of an earlier entry: every key is added once"
            )));
        }
    }
    Ok(())
}

/// iceoryx2 only says "IncompatibleKeys"; name both key types.
fn explain_incompatible_key(
    error: Error,
    node: &iceoryx2::node::Node<Ipc>,
    name: &ServiceName,
    requested: &TypeSpec,
) -> Error {
    if error.kind != ErrorKind::IncompatibleTypes {
        return error;
    }
    let existing = <Ipc as iceoryx2::service::Service>::details(
        name,
        node.config(),
        MessagingPattern::Blackboard,
    );
    let Ok(Some(details)) = existing else {
        return error;
    };
    let key = TypeSpec::from_detail(details.static_details.blackboard().type_details());
    Error::new(
        ErrorKind::IncompatibleTypes,
        format!(
            "blackboard '{}' has key type {}, requested {}",
            name.as_str(),
            key.describe(),
            requested.describe()
        ),
    )
}

fn with_blackboard<T>(
    handle: Handle,
    expected: &str,
    f: impl FnOnce(&mut BlackboardObject) -> Option<Result<T>>,
) -> Result<T> {
    handles::with(handle, |object| {
        let found = object.pattern_mut::<BlackboardObject>().and_then(f);
        found.unwrap_or_else(|| Err(wrong_kind(handle, expected, object)))
    })
}

/// The static configuration, JSON-encoded [`BlackboardServiceInfo`].
pub fn service_info(service: Handle) -> Result<BlackboardServiceInfo> {
    with_blackboard(service, "blackboard Service", |object| match object {
        BlackboardObject::Service(factory, key, _) => Some({
            let config = factory.static_config();
            Ok(BlackboardServiceInfo {
                name: factory.name().as_str().to_string(),
                identity: crate::pattern::identity_of(factory),
                key_type: (**key).clone(),
                qos: BlackboardQos::of(config),
                attributes: to_list(factory.attributes()),
            })
        }),
        _ => None,
    })
}

/// The ports a blackboard service has now, in every process.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BlackboardPorts {
    /// Every writer (at most one).
    pub writers: Vec<PortInfo>,
    /// Every reader.
    pub readers: Vec<PortInfo>,
}

/// Every writer and reader of the service, from its dynamic config.
pub fn service_ports(service: Handle) -> Result<BlackboardPorts> {
    with_blackboard(service, "blackboard Service", |object| match object {
        BlackboardObject::Service(factory, ..) => Some({
            let config = factory.dynamic_config();
            Ok(BlackboardPorts {
                writers: listed(
                    |f| config.list_writers(f),
                    |w| PortInfo::new(w.writer_id, &w.writer_name, w.node_id),
                ),
                readers: listed(
                    |f| config.list_readers(f),
                    |r| PortInfo::new(r.reader_id, &r.reader_name, r.node_id),
                ),
            })
        }),
        _ => None,
    })
}

/// The bytes of every key, in the service's order.
pub fn list_keys(service: Handle) -> Result<Vec<Vec<u8>>> {
    with_blackboard(service, "blackboard Service", |object| match object {
        BlackboardObject::Service(factory, key, _) => Some({
            let mut keys = Vec::new();
            factory.__internal_list_keys(|data| {
                // SAFETY: `data` is a key memory of MAX_BLACKBOARD_KEY_SIZE bytes holding a
                // key of the service's key type, whose size is at most that.
                keys.push(unsafe { core::slice::from_raw_parts(data, key.size) }.to_vec());
                CallbackProgression::Continue
            });
            Ok(keys)
        }),
        _ => None,
    })
}

fn has_key(service: Handle, key: &[u8]) -> Result<bool> {
    let fields = with_blackboard(service, "blackboard Service", |object| match object {
        BlackboardObject::Service(_, _, fields) => Some(Ok(fields.clone())),
        _ => None,
    })?;
    Ok(list_keys(service)?
        .iter()
        .any(|k| k.len() == key.len() && fields.equal(k, key)))
}

/// iceoryx2 reports a missing key and a mismatching value type alike; the service's key list
/// tells them apart.
fn explain_missing_entry(port: Handle, request: &EntryRequest, error: Error) -> Error {
    if error.kind != ErrorKind::EntryNotFound {
        return error;
    }
    let service = match handles::parent(port) {
        Ok(Some(service)) => service,
        _ => return error,
    };
    match has_key(service, &request.key) {
        Ok(true) => Error::new(
            ErrorKind::IncompatibleTypes,
            format!(
                "the entry of this key holds another value type than the requested {}; name, \
                 size and alignment must match the type the entry was added with",
                request.value.describe()
            ),
        ),
        Ok(false) => Error::new(
            ErrorKind::EntryNotFound,
            "the blackboard has no entry with this key",
        ),
        Err(_) => error,
    }
}

/// The value type of an entry request, checked.
fn value_detail(request: &EntryRequest) -> Result<TypeDetail> {
    check_value_type(&request.value)?;
    request.value.to_detail("value")
}

impl Classify for BlackboardCreateError {
    fn kind(&self) -> ErrorKind {
        use BlackboardCreateError as E;
        match self {
            E::Interrupt => ErrorKind::Interrupted,
            E::AlreadyExists => ErrorKind::ServiceAlreadyExists,
            E::IsBeingCreatedByAnotherInstance | E::HangsInCreation => ErrorKind::ServiceInFlux,
            E::InsufficientPermissions => ErrorKind::PermissionDenied,
            E::ServiceInCorruptedState => ErrorKind::ServiceInCorruptedState,
            E::NoEntriesProvided => ErrorKind::InvalidArgument,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for BlackboardOpenError {
    fn kind(&self) -> ErrorKind {
        use BlackboardOpenError as E;
        match self {
            E::Interrupt => ErrorKind::Interrupted,
            E::DoesNotExist => ErrorKind::ServiceNotFound,
            E::ServiceInCorruptedState => ErrorKind::ServiceInCorruptedState,
            E::IncompatibleKeys => ErrorKind::IncompatibleTypes,
            E::IncompatibleAttributes => ErrorKind::IncompatibleAttributes,
            E::IncompatibleMessagingPattern => ErrorKind::IncompatibleMessagingPattern,
            E::DoesNotSupportRequestedAmountOfReaders | E::DoesNotSupportRequestedAmountOfNodes => {
                ErrorKind::IncompatibleQos
            }
            E::InsufficientPermissions => ErrorKind::PermissionDenied,
            E::HangsInCreation | E::IsMarkedForDestruction => ErrorKind::ServiceInFlux,
            E::ExceedsMaxNumberOfNodes => ErrorKind::LimitReached,
            E::VersionMismatch => ErrorKind::VersionMismatch,
            _ => ErrorKind::InternalFailure,
        }
    }
}
