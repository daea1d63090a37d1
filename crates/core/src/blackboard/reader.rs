//! Readers: creating them, their entries, and reading values with their generation.

use super::*;

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

/// A reader's options; unknown ones are refused.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ReaderSpec {
    /// The port's name (upstream's `PortName`, at most 64 bytes): peers see it in the
    /// service's port details; notifiers can address a listener by it.
    pub name: Option<String>,
}

pub fn reader_create(service: Handle, spec: ReaderSpec) -> Result<Handle> {
    let name = port_name(spec.name.as_deref())?;
    let (reader, key) = with_blackboard(service, "blackboard Service", |object| match object {
        BlackboardObject::Service(factory, key, _) => Some({
            let readers = port_list!(
                factory,
                "reader",
                factory.static_config().max_readers(),
                number_of_readers,
                list_readers
            );
            create_port(readers, || {
                factory
                    .reader_builder()
                    .name(
                        name.as_ref()
                            .unwrap_or(&iceoryx2::prelude::PortName::new_empty()),
                    )
                    .create()
                    .map_err(|e| e.into_error("cannot create reader"))
            })
            .map(|reader| (reader, key.clone()))
        }),
        _ => None,
    })?;
    handles::insert(
        Object::from(BlackboardObject::Reader(reader, key)),
        Some(service),
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

impl Classify for ReaderCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            ReaderCreateError::ExceedsMaxSupportedReaders => ErrorKind::LimitReached,
            _ => ErrorKind::InternalFailure,
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

/// The reader's system-wide unique id, as upstream prints it (hexadecimal).
pub fn reader_id(reader: Handle) -> Result<String> {
    with_blackboard(reader, "Reader", |object| match object {
        BlackboardObject::Reader(port, _) => Some(Ok(port.id().to_string())),
        _ => None,
    })
}
