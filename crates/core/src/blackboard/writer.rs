//! Writers: creating them, their entries, and updating values (copied, or loaned and written in
//! place).

use super::*;

/// A writer's exclusive handle on one entry (iceoryx2 allows one per entry).
pub(crate) struct WritableEntry {
    pub(super) handle: __InternalEntryHandleMut<Ipc>,
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

/// A writer's options; unknown ones are refused.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct WriterSpec {
    /// The port's name (upstream's `PortName`, at most 64 bytes): peers see it in the
    /// service's port details; notifiers can address a listener by it.
    pub name: Option<String>,
}

pub fn writer_create(service: Handle, spec: WriterSpec) -> Result<Handle> {
    let name = port_name(spec.name.as_deref())?;
    let (writer, key) = with_blackboard(service, "blackboard Service", |object| match object {
        BlackboardObject::Service(factory, key, _) => Some({
            // A blackboard has exactly one writer.
            let writers = port_list!(factory, "writer", 1, number_of_writers, list_writers);
            create_port(writers, || {
                factory
                    .writer_builder()
                    .name(
                        name.as_ref()
                            .unwrap_or(&iceoryx2::prelude::PortName::new_empty()),
                    )
                    .create()
                    .map_err(|e| e.into_error("cannot create writer"))
            })
            .map(|writer| (writer, key.clone()))
        }),
        _ => None,
    })?;
    handles::insert(
        Object::from(BlackboardObject::Writer(writer, key)),
        Some(service),
    )
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

impl Classify for WriterCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            WriterCreateError::ExceedsMaxSupportedWriters => ErrorKind::LimitReached,
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

/// The writer's system-wide unique id, as upstream prints it (hexadecimal).
pub fn writer_id(writer: Handle) -> Result<String> {
    with_blackboard(writer, "Writer", |object| match object {
        BlackboardObject::Writer(port, _) => Some(Ok(port.id().to_string())),
        _ => None,
    })
}
