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
use crate::error::{Classify, Error, ErrorKind, Result};
use crate::handles::{self, wrong_kind, Handle};
use crate::limits::{check_count, MAX_SEGMENT_BYTES};
use crate::node::with_node;
use crate::objects::{Ipc, Object, SampleMemory};
use crate::pattern::service_name;
use crate::types::{TypeSpec, Variant};

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

/// A writer's exclusive handle on one entry (iceoryx2 allows one per entry).
pub(crate) struct WritableEntry {
    handle: __InternalEntryHandleMut<Ipc>,
    value: TypeSpec,
    /// Set while JS holds the write cell (a [`LoanedValue`]): copies must not overwrite it.
    loaned: Cell<bool>,
}

impl WritableEntry {
    fn write_cell(&self) -> *mut u8 {
        // SAFETY: size and alignment are the entry's own value type (iceoryx2 checked them
        // when the handle was created); the cell lives as long as `handle`.
        unsafe {
            self.handle
                .__internal_get_ptr_to_write_cell(self.value.size, self.value.alignment)
        }
    }

    /// The cell readers currently see. iceoryx2 keeps two cells of `size` bytes back to back
    /// from an aligned start (`__internal_get_data_cell`); asking for the write cell of a
    /// zero-sized value yields that start, and the read cell is the one that is not the write cell.
    fn read_cell(&self) -> *const u8 {
        // SAFETY: as in `write_cell`; size 0 only changes the offset arithmetic.
        let first = unsafe {
            self.handle
                .__internal_get_ptr_to_write_cell(0, self.value.alignment)
        };
        let write = self.write_cell();
        if write == first {
            // SAFETY: the second cell starts `size` bytes after the first, inside the entry.
            unsafe { first.add(self.value.size) }
        } else {
            first
        }
    }

    fn publish(&self) {
        // SAFETY: the write cell holds a complete value: copied in, or written by JS through a
        // loan of plain-data bytes (every byte pattern is a valid value of a JS layout type).
        unsafe { self.handle.__internal_update_write_cell() }
    }

    fn refuse_while_loaned(&self) -> Result<()> {
        if self.loaned.get() {
            return Err(Error::invalid_argument(
                "a value of this entry is loaned: update() or discard() it first",
            ));
        }
        Ok(())
    }
}

/// The write cell of an entry lent to JS. Dropping it (discard, close) ends the loan without
/// publishing; readers never saw the cell.
pub(crate) struct LoanedValue {
    entry: Rc<WritableEntry>,
}

impl Drop for LoanedValue {
    fn drop(&mut self) {
        self.entry.loaned.set(false);
    }
}

/// A reader's handle on one entry, with the buffer `get` copies the generation counter and the
/// value into.
pub(crate) struct ReadableEntry {
    handle: __InternalEntryHandle<Ipc>,
    value: TypeSpec,
    /// `u64`s so the counter is aligned; accessed only through `buffer`, also by JS.
    _storage: Vec<u64>,
    buffer: *mut u8,
}

impl ReadableEntry {
    fn new(handle: __InternalEntryHandle<Ipc>, value: TypeSpec) -> Self {
        let words = (GENERATION_LEN + value.size).div_ceil(8);
        let mut storage = vec![0u64; words];
        // Taken once: moving the Vec never moves its heap buffer, so this stays valid.
        let buffer = storage.as_mut_ptr().cast::<u8>();
        Self {
            handle,
            value,
            _storage: storage,
            buffer,
        }
    }

    fn memory(&self) -> SampleMemory {
        SampleMemory {
            base: self.buffer,
            len: GENERATION_LEN + self.value.size,
            payload_offset: GENERATION_LEN,
            payload_len: self.value.size,
            user_header_len: GENERATION_LEN,
        }
    }

    /// Copies the generation counter and the current value into the buffer.
    fn load(&self) {
        // SAFETY: `buffer` holds 8 + size bytes, 8-aligned; size and alignment are the entry's
        // value type as iceoryx2 checked it; the entry's memory lives as long as `handle`.
        unsafe {
            self.handle.get(
                self.buffer.add(GENERATION_LEN),
                self.value.size,
                self.value.alignment,
                self.buffer.cast::<u64>(),
            )
        }
    }
}

/// Quality of service: when creating, unset values take the config's defaults; when opening,
/// set values are minimum requirements.
#[derive(Debug, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct BlackboardQos {
    pub max_readers: Option<usize>,
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
    let factory = match spec.mode {
        BlackboardMode::Create => {
            check_entries(&spec, &fields)?;
            with_node(node_handle, |node| {
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
            with_node(node_handle, |node| {
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
                    .map_err(|e| {
                        crate::pattern::explain_not_found(
                            e,
                            node,
                            &name,
                            iceoryx2::service::messaging_pattern::MessagingPattern::Blackboard,
                        )
                    })
                    .map_err(|e| explain_incompatible_key(e, node, &name, &spec.key))
            })?
        }
    };
    let key = Rc::new(TypeSpec::from_detail(
        factory.static_config().type_details(),
    ));
    handles::insert(
        Object::from(BlackboardObject::Service(factory, key, fields)),
        Some(node_handle),
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
                key_type: (**key).clone(),
                qos: BlackboardQos::of(config),
                attributes: to_list(factory.attributes()),
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

/// A writer takes no options yet; unknown ones are refused.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WriterSpec {}

/// A reader takes no options yet; unknown ones are refused.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReaderSpec {}

pub fn writer_create(service: Handle, _spec: WriterSpec) -> Result<Handle> {
    let (writer, key) = with_blackboard(service, "blackboard Service", |object| match object {
        BlackboardObject::Service(factory, key, _) => Some(
            factory
                .writer_builder()
                .create()
                .map(|writer| (writer, key.clone()))
                .map_err(|e| e.into_error("cannot create writer")),
        ),
        _ => None,
    })?;
    handles::insert(
        Object::from(BlackboardObject::Writer(writer, key)),
        Some(service),
    )
}

pub fn reader_create(service: Handle, _spec: ReaderSpec) -> Result<Handle> {
    let (reader, key) = with_blackboard(service, "blackboard Service", |object| match object {
        BlackboardObject::Service(factory, key, _) => Some(
            factory
                .reader_builder()
                .create()
                .map(|reader| (reader, key.clone()))
                .map_err(|e| e.into_error("cannot create reader")),
        ),
        _ => None,
    })?;
    handles::insert(
        Object::from(BlackboardObject::Reader(reader, key)),
        Some(service),
    )
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

/// A writer's handle on the entry `key` with value type `value`.
pub fn writer_entry(writer: Handle, request: EntryRequest) -> Result<Handle> {
    let detail = value_detail(&request)?;
    let entry = with_blackboard(writer, "Writer", |object| match object {
        BlackboardObject::Writer(writer, key) => Some((|| {
            check_len(&request.key, key.size, "the key", key)?;
            // SAFETY: the key has the service's key size (checked above).
            let handle = unsafe { writer.__internal_entry(request.key.as_ptr(), &detail) }
                .map_err(|e| e.into_error("cannot get entry"))?;
            Ok(WritableEntry {
                handle,
                value: request.value.clone(),
                loaned: Cell::new(false),
            })
        })()),
        _ => None,
    })
    .map_err(|e| explain_missing_entry(writer, &request, e))?;
    handles::insert(
        Object::from(BlackboardObject::EntryMut(Rc::new(entry))),
        Some(writer),
    )
}

/// A reader's handle on the entry `key` with value type `value`.
pub fn reader_entry(reader: Handle, request: EntryRequest) -> Result<Handle> {
    let detail = value_detail(&request)?;
    let entry = with_blackboard(reader, "Reader", |object| match object {
        BlackboardObject::Reader(reader, key) => Some((|| {
            check_len(&request.key, key.size, "the key", key)?;
            // SAFETY: the key has the service's key size (checked above).
            let handle = unsafe { reader.__internal_entry(request.key.as_ptr(), &detail) }
                .map_err(|e| e.into_error("cannot get entry"))?;
            Ok(ReadableEntry::new(handle, request.value.clone()))
        })()),
        _ => None,
    })
    .map_err(|e| explain_missing_entry(reader, &request, e))?;
    handles::insert(Object::from(BlackboardObject::Entry(entry)), Some(reader))
}

/// The buffer a reader entry's `get` fills: generation counter (8 bytes), then the value.
pub fn entry_buffer(entry: Handle) -> Result<(Handle, SampleMemory)> {
    with_blackboard(entry, "EntryHandle", |object| match object {
        BlackboardObject::Entry(entry) => Some(Ok(entry.memory())),
        _ => None,
    })
    .map(|memory| (entry, memory))
}

/// Copies the entry's generation counter and current value into its buffer.
pub fn entry_get(entry: Handle) -> Result<()> {
    with_blackboard(entry, "EntryHandle", |object| match object {
        BlackboardObject::Entry(entry) => Some(Ok(entry.load())),
        _ => None,
    })
}

/// Whether the entry still holds the value of the generation counter JS wrote into the first 8
/// bytes of the entry's buffer (a `u64` cannot cross as a number without losing precision).
pub fn entry_is_up_to_date(entry: Handle) -> Result<bool> {
    with_blackboard(entry, "EntryHandle", |object| match object {
        BlackboardObject::Entry(entry) => Some(Ok({
            // SAFETY: the buffer starts with an 8-aligned `u64` that only this thread touches.
            let generation = unsafe { entry.buffer.cast::<u64>().read() };
            entry.handle.is_up_to_date(generation)
        })),
        _ => None,
    })
}

/// The entry's id, the event id upstream suggests for notifying about changes of it.
pub fn entry_id(entry: Handle) -> Result<usize> {
    with_blackboard(
        entry,
        "EntryHandle or EntryHandleMut",
        |object| match object {
            BlackboardObject::Entry(entry) => Some(Ok(entry.handle.entry_id().as_value())),
            BlackboardObject::EntryMut(entry) => Some(Ok(entry.handle.entry_id().as_value())),
            _ => None,
        },
    )
}

/// Copies `value` (the bytes of the entry's value type) in and makes it visible to readers.
pub fn entry_update(entry: Handle, value: &[u8]) -> Result<()> {
    with_blackboard(entry, "EntryHandleMut", |object| match object {
        BlackboardObject::EntryMut(entry) => Some((|| {
            entry.refuse_while_loaned()?;
            check_len(value, entry.value.size, "the value", &entry.value)?;
            // SAFETY: the write cell has room for `size` bytes, and no JS view aliases it
            // (no loan is outstanding).
            unsafe {
                core::ptr::copy_nonoverlapping(value.as_ptr(), entry.write_cell(), value.len())
            };
            entry.publish();
            Ok(())
        })()),
        _ => None,
    })
}

/// Lends the entry's write cell to JS. With `from_current` it first holds the value readers see
/// now; otherwise whatever the cell held (the value before the current one, or zeros).
pub fn entry_loan(entry_handle: Handle, from_current: bool) -> Result<(Handle, SampleMemory)> {
    let (loan, memory) = with_blackboard(entry_handle, "EntryHandleMut", |object| match object {
        BlackboardObject::EntryMut(entry) => Some((|| {
            entry.refuse_while_loaned()?;
            let cell = entry.write_cell();
            if from_current {
                // SAFETY: both cells hold `size` bytes and never overlap; only this handle
                // writes either of them.
                unsafe {
                    core::ptr::copy_nonoverlapping(entry.read_cell(), cell, entry.value.size)
                };
            }
            entry.loaned.set(true);
            let memory = SampleMemory {
                base: cell,
                len: entry.value.size,
                payload_offset: 0,
                payload_len: entry.value.size,
                user_header_len: 0,
            };
            Ok((
                LoanedValue {
                    entry: entry.clone(),
                },
                memory,
            ))
        })()),
        _ => None,
    })?;
    let handle = handles::insert(
        Object::from(BlackboardObject::EntryValue(loan)),
        Some(entry_handle),
    )?;
    Ok((handle, memory))
}

/// Publishes a loaned value and ends the loan (its handle is closed).
pub fn entry_value_update(loan: Handle) -> Result<()> {
    with_blackboard(loan, "EntryValue", |object| match object {
        BlackboardObject::EntryValue(_) => Some(Ok(())),
        _ => None,
    })?;
    match handles::take(loan)?.into_pattern::<BlackboardObject>() {
        Ok(BlackboardObject::EntryValue(loan)) => {
            loan.entry.publish();
            Ok(())
        }
        _ => Err(Error::new(
            ErrorKind::InternalFailure,
            "the loaned value changed kind while it was taken",
        )),
    }
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

impl Classify for WriterCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            WriterCreateError::ExceedsMaxSupportedWriters => ErrorKind::LimitReached,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for ReaderCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            ReaderCreateError::ExceedsMaxSupportedReaders => ErrorKind::LimitReached,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for EntryHandleMutError {
    fn kind(&self) -> ErrorKind {
        match self {
            EntryHandleMutError::EntryDoesNotExist => ErrorKind::EntryNotFound,
            // One writable handle per entry, like one producer per unrestricted atomic.
            EntryHandleMutError::HandleAlreadyExists => ErrorKind::LimitReached,
        }
    }
}

impl Classify for EntryHandleError {
    fn kind(&self) -> ErrorKind {
        match self {
            EntryHandleError::EntryDoesNotExist => ErrorKind::EntryNotFound,
        }
    }
}
