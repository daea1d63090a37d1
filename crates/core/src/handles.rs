//! Handles: the only way the fronts refer to native objects.
//!
//! A handle is an integer `generation << INDEX_BITS | index` below 2^30, so JavaScript carries it
//! as a small integer: V8 boxes every number outside that range when it is read from the
//! sample-info array or passed to a native call, a heap allocation per message (samples get a
//! new handle each). A closed or forged handle fails the generation or kind check and yields
//! `HandleClosed`; it can never reach freed memory. The table is per thread: iceoryx2's `ipc`
//! ports are not `Send`, and each JS isolate (main thread or Worker) gets its own table.
//!
//! Every object records its parent; closing an object closes its children first (newest first),
//! so a sample never outlives its port and a port never outlives its service or node.

use core::cell::{Cell, UnsafeCell};

use crate::error::{Error, ErrorKind, Result};
use crate::objects::Object;
use crate::pattern_tag::PatternTag;

pub type Handle = u64;

/// About a million objects open at once per thread.
const INDEX_BITS: u32 = 20;
const INDEX_MASK: u64 = (1 << INDEX_BITS) - 1;
const MAX_SLOTS: usize = 1 << INDEX_BITS;
/// Generations 1..=1023 (10 bits), so handles stay below 2^30, V8's small-integer range also
/// with pointer compression. A slot reused 1023 times hands out a handle again: a stale handle
/// that old could name a live object of any kind (never freed memory). The JavaScript objects
/// forget their handle when they close, and a garbage-collected one's finalizer closes its
/// handle only while no ancestor closed (`ports/lifecycle.ts`).
const GENERATION_BITS: u32 = 10;
const GENERATION_MASK: u32 = (1 << GENERATION_BITS) - 1;
/// Every handle is below this: 2^30.
const HANDLE_LIMIT: u64 = 1 << (INDEX_BITS + GENERATION_BITS);

struct Entry<O> {
    object: O,
    parent: Option<Handle>,
    children: Vec<Handle>,
    /// For samples: the shared-memory span JavaScript was given (see `crate::spans`).
    span: Option<Span>,
    /// iceoryx2 panicked on this object or one made from it (see [`poison`]).
    poisoned: bool,
    /// A memory fault abandoned a call on this object or one made from it (see [`abandon`]):
    /// calls on it are refused.
    abandoned: bool,
    /// The messaging-pattern tag of the service this object belongs to, checked before every
    /// call on it and before its destructor ([`crate::pattern_tag`]).
    tag: Option<PatternTag>,
}

impl<O> Entry<O> {
    /// Whether its service's dynamic config was overwritten under it.
    #[inline]
    fn tag_broken(&self) -> bool {
        self.tag.is_some_and(|tag| !tag.holds())
    }
}

/// A span of this process's memory: `len` bytes from `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub len: usize,
}

struct Slot<O> {
    generation: u32,
    entry: Option<Entry<O>>,
}

/// The generation-checked table, generic over what it holds (a thread's [`Object`]s below).
struct Table<O> {
    slots: Vec<Slot<O>>,
    free: Vec<u32>,
}

impl<O> Default for Table<O> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }
}

/// A thread's table: a `RefCell` that lends only exclusively, plus one thing a `RefCell` cannot
/// do: when a memory fault abandons a call ([`crate::escape`]), the loan that call held is
/// abandoned with it, and [`forget_abandoned_loan`] ends it.
struct TableCell {
    lent: Cell<bool>,
    table: UnsafeCell<Table<Object>>,
}

impl TableCell {
    #[inline]
    fn with<R>(&self, f: impl FnOnce(&mut Table<Object>) -> R) -> R {
        // Like `RefCell::borrow_mut`: a nested access is a bug of this crate, and panics.
        assert!(
            !self.lent.replace(true),
            "the handle table is accessed while already in use"
        );
        struct Return<'a>(&'a Cell<bool>);
        impl Drop for Return<'_> {
            fn drop(&mut self) {
                self.0.set(false);
            }
        }
        let _return = Return(&self.lent);
        // SAFETY: `lent` was false, so no other reference to the table exists: the cell is
        // thread-local, and every reference it lends lives only for one `f`, which sets `lent`
        // until it ends (returning, unwinding, or abandoned by a fault escape, after which
        // nothing refers to the table until `forget_abandoned_loan` clears `lent`).
        f(unsafe { &mut *self.table.get() })
    }
}

impl Drop for TableCell {
    /// At the thread's end (a process ending with `exit()` included): everything still open is
    /// closed as [`close`] closes it, children first, poisoned objects leaked, and a destructor
    /// that faults leaking the rest instead of crashing the exit.
    fn drop(&mut self) {
        let table = self.table.get_mut();
        let roots: Vec<Handle> = table
            .slots
            .iter()
            .enumerate()
            .filter(|(_, slot)| slot.entry.as_ref().is_some_and(|e| e.parent.is_none()))
            .map(|(index, slot)| ((slot.generation as u64) << INDEX_BITS) | index as u64)
            .collect();
        let mut dropped = Vec::new();
        for root in roots {
            table.remove_tree(root, &mut dropped);
        }
        // Outside any native call: a sample's faulting destructor ends this one.
        let _ = crate::escape::run(|| release_all(dropped));
    }
}

thread_local! {
    // Initialised in place (`const`): the cheapest thread-local access, on every call.
    static TABLE: TableCell = const {
        TableCell {
            lent: Cell::new(false),
            table: UnsafeCell::new(Table {
                slots: Vec::new(),
                free: Vec::new(),
            }),
        }
    };
}

/// Ends the loan of the table that a call abandoned by a memory fault held: the frames that
/// referred to the table are gone (see [`crate::escape`]).
pub(crate) fn forget_abandoned_loan() {
    TABLE.with(|cell| cell.lent.set(false));
}

fn split(handle: Handle) -> (usize, u32) {
    (
        (handle & INDEX_MASK) as usize,
        (handle >> INDEX_BITS) as u32,
    )
}

fn closed(handle: Handle) -> Error {
    Error::new(
        ErrorKind::HandleClosed,
        format!("handle {handle} is closed or was never valid"),
    )
}

impl<O> Table<O> {
    fn entry(&self, handle: Handle) -> Option<&Entry<O>> {
        let (index, generation) = split(handle);
        let slot = self.slots.get(index)?;
        (slot.generation == generation).then_some(slot.entry.as_ref()?)
    }

    fn entry_mut(&mut self, handle: Handle) -> Option<&mut Entry<O>> {
        let (index, generation) = split(handle);
        let slot = self.slots.get_mut(index)?;
        if slot.generation != generation {
            return None;
        }
        slot.entry.as_mut()
    }

    /// Registers `object` under `parent`; it checks `tag`, or else its parent's.
    fn insert(
        &mut self,
        object: O,
        parent: Option<Handle>,
        tag: Option<PatternTag>,
    ) -> Result<Handle> {
        let mut tag = tag;
        if let Some(parent) = parent {
            let parent = self.entry(parent).ok_or_else(|| closed(parent))?;
            tag = tag.or(parent.tag);
        }
        let index = match self.free.pop() {
            Some(index) => index as usize,
            None if self.slots.len() < MAX_SLOTS => {
                // Generation 0 is never handed out, so handle 0 is always invalid ("null").
                self.slots.push(Slot {
                    generation: 0,
                    entry: None,
                });
                self.slots.len() - 1
            }
            None => {
                return Err(Error::new(
                    ErrorKind::LimitReached,
                    format!("more than {MAX_SLOTS} native objects are open on this thread"),
                ))
            }
        };
        let slot = &mut self.slots[index];
        slot.generation = (slot.generation % GENERATION_MASK) + 1;
        slot.entry = Some(Entry {
            object,
            parent,
            children: Vec::new(),
            span: None,
            poisoned: false,
            abandoned: false,
            tag,
        });
        let handle = ((slot.generation as u64) << INDEX_BITS) | index as u64;
        if let Some(parent) = parent.and_then(|p| self.entry_mut(p)) {
            parent.children.push(handle);
        }
        Ok(handle)
    }

    /// Detaches `handle` if it has no children (a sample, usually) and returns its object and
    /// whether it is poisoned; `None` when it is closed or has children. Spares closing a sample
    /// the tree walk and its `Vec`.
    fn remove_leaf(&mut self, handle: Handle) -> Option<(O, bool)> {
        let (index, _) = split(handle);
        if !self.entry(handle)?.children.is_empty() {
            return None;
        }
        let poisoned = self.is_poisoned(handle) || self.entry(handle)?.tag_broken();
        let entry = self.slots[index].entry.take().expect("checked above");
        self.free.push(index as u32);
        self.unlink_from_parent(handle, entry.parent);
        Some((entry.object, poisoned))
    }

    /// Whether `handle` or an object it was made from is poisoned.
    fn is_poisoned(&self, handle: Handle) -> bool {
        let mut next = Some(handle);
        while let Some(entry) = next.and_then(|h| self.entry(h)) {
            if entry.poisoned {
                return true;
            }
            next = entry.parent;
        }
        false
    }

    /// Poisons `handle` and the objects it was made from, up to (not including) the first for
    /// which `stop` holds; marks them abandoned too if `abandon`.
    fn poison(&mut self, handle: Handle, stop: impl Fn(&O) -> bool, abandon: bool) {
        let mut next = Some(handle);
        while let Some(entry) = next.and_then(|h| self.entry_mut(h)) {
            if stop(&entry.object) {
                return;
            }
            entry.poisoned = true;
            entry.abandoned |= abandon;
            next = entry.parent;
        }
    }

    fn unlink_from_parent(&mut self, handle: Handle, parent: Option<Handle>) {
        if let Some(parent) = parent.and_then(|p| self.entry_mut(p)) {
            if let Some(position) = parent.children.iter().rposition(|c| *c == handle) {
                parent.children.swap_remove(position);
            }
        }
    }

    /// Detaches `handle` and all its descendants from the table, children first, and returns the
    /// objects in the order they must be dropped, each with whether it is poisoned.
    fn remove_tree(&mut self, handle: Handle, dropped: &mut Vec<(O, bool)>) {
        let poisoned = self.is_poisoned(handle);
        self.remove_subtree(handle, poisoned, dropped);
    }

    fn remove_subtree(&mut self, handle: Handle, inherited: bool, dropped: &mut Vec<(O, bool)>) {
        let (index, _) = split(handle);
        let Some(entry) = self.entry_mut(handle) else {
            return;
        };
        // A destructor would read the broken tag (see crate::pattern_tag): leaked instead.
        let poisoned = inherited || entry.poisoned || entry.tag_broken();
        let children = core::mem::take(&mut entry.children);
        for child in children.into_iter().rev() {
            self.remove_subtree(child, poisoned, dropped);
        }
        let entry = self.slots[index].entry.take().expect("checked above");
        self.free.push(index as u32);
        self.unlink_from_parent(handle, entry.parent);
        dropped.push((entry.object, poisoned));
    }
}

/// Runs `f` with this thread's table.
#[inline]
fn with_table<R>(f: impl FnOnce(&mut Table<Object>) -> R) -> R {
    TABLE.with(|cell| cell.with(f))
}

/// Registers `object` as a child of `parent` and returns its new handle.
pub(crate) fn insert(object: Object, parent: Option<Handle>) -> Result<Handle> {
    with_table(|table| table.insert(object, parent, None))
}

/// Registers service `object` of `node` and returns its new handle; it and every object made
/// from it check `tag` before each call.
pub(crate) fn insert_service(
    object: Object,
    node: Handle,
    tag: Option<PatternTag>,
) -> Result<Handle> {
    with_table(|table| table.insert(object, Some(node), tag))
}

/// Closes `handle` and everything created from it. Returns `false` if it was already closed.
pub fn close(handle: Handle) -> bool {
    // Dropped outside the table's loan, as below.
    if let Some(leaf) = with_table(|table| table.remove_leaf(handle)) {
        // A sample's destructor runs inside the caller's escapable call.
        release(leaf);
        return true;
    }
    let mut dropped = Vec::new();
    with_table(|table| table.remove_tree(handle, &mut dropped));
    let was_open = !dropped.is_empty();
    // Dropped outside the table's loan: iceoryx2 destructors never call back into the table,
    // but this keeps the table consistent even if one panics.
    release_all(dropped);
    was_open
}

/// Drops a closed object inside a catch_unwind, so that a destructor that panics cannot abort
/// the process by panicking again while another unwinds. A poisoned object is leaked instead:
/// its destructor would run into the same corrupted shared memory (its files stay until
/// `forceRemoveService` or dead-node cleanup removes them).
fn release((object, poisoned): (Object, bool)) {
    if poisoned {
        core::mem::forget(object);
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // Upstream's own cleanup on close could wait forever on a leftover: the core's never waits.
        if let Object::Node(node) = &object {
            crate::node::cleanup_dead_nodes_before_close(node);
        }
        drop(object)
    }));
}

/// Releases closed objects in order. Ports, services and nodes are each released in an escapable
/// call of their own: a destructor that faults ([`crate::escape`]) leaks its object and every
/// object after it (their ancestors among them, whose locks it may hold), and the close itself
/// succeeds. Samples, a batch's dozens among them, are released directly (an escapable call
/// costs moving the object, ~25 ns): a fault there ends the enclosing call.
fn release_all(objects: Vec<(Object, bool)>) {
    let mut objects = objects.into_iter();
    while let Some(next) = objects.next() {
        if matches!(next.0, Object::Sample(_) | Object::SampleMut(_)) {
            release(next);
        } else if crate::escape::run(|| release(next)).is_err() {
            objects.for_each(core::mem::forget);
            return;
        }
    }
}

/// Marks `handle` and the objects it was made from (its ports and service, never its node) as
/// poisoned: iceoryx2 panicked on it, so its shared memory is corrupted, and closing them leaks
/// them rather than running their destructors.
pub(crate) fn poison(handle: Handle) {
    with_table(|table| table.poison(handle, |object| matches!(object, Object::Node(_)), false));
}

/// Marks `handle` and every object it was made from, its node included, as poisoned and
/// abandoned: a memory fault ended a call on it halfway, so iceoryx2's state in them (and
/// perhaps a lock of their node) is as the fault left it. Calls on them are refused; closing
/// them leaks them.
pub(crate) fn abandon(handle: Handle) {
    with_table(|table| table.poison(handle, |_| false, true));
}

/// Closes every child of `handle` (and their descendants), keeping `handle` open. Returns how
/// many children were open; fails with `HandleClosed` when `handle` is.
pub(crate) fn close_children(handle: Handle) -> Result<usize> {
    let mut dropped = Vec::new();
    let count = with_table(|table| {
        let entry = table.entry_mut(handle).ok_or_else(|| closed(handle))?;
        let children = core::mem::take(&mut entry.children);
        let count = children.len();
        for child in children.into_iter().rev() {
            table.remove_tree(child, &mut dropped);
        }
        Ok::<_, Error>(count)
    })?;
    // Dropped outside the table's loan, as in `close`.
    release_all(dropped);
    Ok(count)
}

/// The open children of `handle`, oldest first.
pub(crate) fn children(handle: Handle) -> Result<Vec<Handle>> {
    with_table(|table| {
        let entry = table.entry(handle).ok_or_else(|| closed(handle))?;
        Ok(entry.children.clone())
    })
}

/// Moves `handle` from parent `from` to parent `to`, so that it outlives `from`. Fails with
/// `InvalidArgument` when `handle` is not `from`'s child, `HandleClosed` when one is closed.
pub(crate) fn reparent(handle: Handle, from: Handle, to: Handle) -> Result<()> {
    with_table(|table| {
        if table.entry(to).is_none() {
            return Err(closed(to));
        }
        let entry = table.entry_mut(handle).ok_or_else(|| closed(handle))?;
        if entry.parent != Some(from) {
            return Err(Error::invalid_argument(format!(
                "handle {handle} was not made by handle {from}"
            )));
        }
        entry.parent = Some(to);
        table.unlink_from_parent(handle, Some(from));
        table
            .entry_mut(to)
            .expect("checked above")
            .children
            .push(handle);
        Ok(())
    })
}

/// Removes `handle` (which must have no children) and returns its object by value, e.g. to
/// consume a sample on send.
pub(crate) fn take(handle: Handle) -> Result<Object> {
    // What is taken is used (sent), so it is refused as `with` refuses.
    with_table(|table| match table.entry(handle) {
        Some(entry) if entry.abandoned || entry.tag_broken() => Err(refusal(table, handle)),
        _ => Ok(()),
    })?;
    if let Some((leaf, _)) = with_table(|table| table.remove_leaf(handle)) {
        return Ok(leaf);
    }
    let mut dropped = Vec::new();
    with_table(|table| table.remove_tree(handle, &mut dropped));
    let taken = dropped.pop();
    release_all(dropped);
    match taken {
        None => Err(closed(handle)),
        Some((object, _)) => Ok(object),
    }
}

/// Runs `f` on the object `handle` names. `f` must not open or close handles itself (the table
/// is lent meanwhile): return what to register and insert it afterwards. Refused for an object
/// a memory fault abandoned.
pub(crate) fn with<T>(handle: Handle, f: impl FnOnce(&mut Object) -> Result<T>) -> Result<T> {
    with_table(|table| {
        let entry = table.entry_mut(handle).ok_or_else(|| closed(handle))?;
        if entry.abandoned || entry.tag_broken() {
            return Err(refusal(table, handle));
        }
        f(&mut entry.object)
    })
}

/// Why a call on open object `handle` is refused: a memory fault abandoned it, or its service's
/// pattern tag was overwritten (which poisons it and its service, so closing leaks them).
fn refusal(table: &mut Table<Object>, handle: Handle) -> Error {
    let entry = table.entry(handle).expect("open");
    if entry.abandoned {
        return abandoned(handle, &entry.object);
    }
    let error = match entry.tag {
        Some(tag) => tag.error(entry.object.kind_name()),
        None => closed(handle),
    };
    table.poison(handle, |object| matches!(object, Object::Node(_)), false);
    error
}

fn abandoned(handle: Handle, object: &Object) -> Error {
    Error::new(
        ErrorKind::ServiceInCorruptedState,
        format!(
            "the {} of handle {handle} is unusable: a memory fault in its service's shared \
             memory ended an earlier call on it (or on an object made from it) halfway. Close it \
             (it is leaked, not dropped); for a node, create a new one. Other nodes of this \
             process are unaffected",
            object.kind_name()
        ),
    )
}

/// Records the memory span JavaScript was given for sample `handle`.
pub(crate) fn set_span(handle: Handle, span: Span) -> Result<()> {
    with_table(|table| {
        let entry = table.entry_mut(handle).ok_or_else(|| closed(handle))?;
        entry.span = Some(span);
        Ok(())
    })
}

/// The span recorded for `handle`, which must be open and name a sample.
pub(crate) fn span(handle: Handle) -> Result<Span> {
    with_table(|table| {
        let entry = table.entry(handle).ok_or_else(|| closed(handle))?;
        entry.span.ok_or_else(|| {
            Error::invalid_argument(format!(
                "handle {handle} names a {}, not a sample",
                entry.object.kind_name()
            ))
        })
    })
}

/// The parent handle `handle` was created from.
pub fn parent(handle: Handle) -> Result<Option<Handle>> {
    with_table(|table| {
        table
            .entry(handle)
            .map(|e| e.parent)
            .ok_or_else(|| closed(handle))
    })
}

/// Number of open objects on this thread (for leak tests).
pub fn open_count() -> usize {
    with_table(|table| table.slots.iter().filter(|s| s.entry.is_some()).count())
}

/// Checks that a number coming from JavaScript is a well-formed handle (a positive integer below
/// 2^30, so no larger number can alias one by its low bits). Stale or forged values are still
/// rejected later by the generation check.
pub fn from_f64(value: f64) -> Result<Handle> {
    if value.is_finite() && value >= 1.0 && value.fract() == 0.0 && value < HANDLE_LIMIT as f64 {
        Ok(value as u64)
    } else {
        Err(Error::new(
            ErrorKind::HandleClosed,
            format!("{value} is not a handle"),
        ))
    }
}

/// The error for a handle that names an object of another kind than the call expects.
pub(crate) fn wrong_kind(handle: Handle, expected: &str, found: &Object) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!(
            "handle {handle} names a {}, expected a {expected}",
            found.kind_name()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_stay_small_integers_and_a_closed_one_is_refused_until_its_slot_wraps() {
        let mut table = Table::<u32>::default();
        let first = table.insert(0, None, None).unwrap();
        assert!(table.remove_leaf(first).is_some());
        assert!(
            table.entry(first).is_none(),
            "a closed handle names nothing"
        );
        // The same slot, reused: every handle is below 2^30 and none is 0.
        let mut again = 0;
        for n in 1..=GENERATION_MASK as u64 * 2 {
            let handle = table.insert(n as u32, None, None).unwrap();
            assert!(
                handle > 0 && handle < HANDLE_LIMIT,
                "handle {handle} is not a small integer"
            );
            assert_eq!(handle & INDEX_MASK, first & INDEX_MASK);
            if handle == first && again == 0 {
                again = n;
            }
            assert!(table.remove_leaf(handle).is_some());
        }
        // The slot's generations cycle through 1..=1023: the first handle comes back after 1023 uses.
        assert_eq!(again, GENERATION_MASK as u64);
    }

    #[test]
    fn numbers_at_or_above_the_limit_are_no_handles() {
        assert_eq!(HANDLE_LIMIT, 1 << 30);
        assert!(from_f64((HANDLE_LIMIT - 1) as f64).is_ok());
        // 2^52 + h would alias h by its low bits: refused before any lookup.
        for value in [
            HANDLE_LIMIT as f64,
            4503599627370497.0,
            0.0,
            -1.0,
            1.5,
            f64::NAN,
        ] {
            assert_eq!(from_f64(value).unwrap_err().kind, ErrorKind::HandleClosed);
        }
    }
}
