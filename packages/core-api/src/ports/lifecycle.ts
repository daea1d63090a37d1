import type { Handle } from "../native/backend.js";
import type { Native } from "../native/native.js";
import { Iox2Error } from "../base/errors.js";
import { timers } from "./waiting.js";

// `Symbol.dispose` and `Disposable` for consumers whose `lib` lacks `esnext.disposable` and who do
// not have `@types/node` (which declares the same): the classes here implement `Disposable`, so
// their declarations need it. These merge with TypeScript's own declarations where present.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
  interface Disposable {
    [Symbol.dispose](): void;
  }
}

/**
 * The native library and live handle of `resource` (throws `HandleClosed`), for the package's own
 * builders that create children. Not exported from the package.
 */
export let nativeOf: (resource: Resource) => { native: Native; handle: Handle };

/**
 * Native objects a JS object owns are released by `close()`, by `using` (`Symbol.dispose`) or,
 * as a last resort, when the JS object is garbage-collected.
 */
interface Reclaim {
  native: Native;
  handle: Handle;
  /** The parent's child set and this object's entry in it, to drop the dead entry. */
  siblings: Set<WeakRef<Resource>> | undefined;
  ref: WeakRef<Resource> | undefined;
  lineage: Lineage;
}

/**
 * Whether an object and its ancestors are still open, kept apart from the objects so that it
 * outlives them. Closing an object closes its native subtree, also the part the collector took
 * already, whose finalizers may run later: by then their handles can name newer objects (a
 * slot's handles repeat after 1023 reuses), so a finalizer closes only when no ancestor closed.
 */
interface Lineage {
  open: boolean;
  readonly parent: Lineage | undefined;
}

function stillOpen(lineage: Lineage | undefined): boolean {
  for (; lineage !== undefined; lineage = lineage.parent) if (!lineage.open) return false;
  return true;
}

const reclaimer = new FinalizationRegistry<Reclaim>(({ native, handle, siblings, ref, lineage }) => {
  if (ref !== undefined) siblings?.delete(ref);
  if (!stillOpen(lineage)) return;
  lineage.open = false;
  try {
    native.close(handle);
  } catch {
    // Nothing can report a failure from a finalizer; the handle table stays consistent.
  }
});

/** Strongly held children, in slots so that adding and removing one costs no hashing. */
class OwnedChildren {
  readonly #slots: (Owned | undefined)[] = [];
  readonly #free: number[] = [];
  #count = 0;

  get size(): number {
    return this.#count;
  }

  add(child: Owned): number {
    const slot = this.#free.pop() ?? this.#slots.length;
    this.#slots[slot] = child;
    this.#count++;
    return slot;
  }

  remove(slot: number): void {
    this.#slots[slot] = undefined;
    this.#free.push(slot);
    this.#count--;
  }

  /** The children, newest slot first. */
  list(): Owned[] {
    return this.#slots.filter((child): child is Owned => child !== undefined).reverse();
  }
}

/**
 * What a resource keeps of its family: owned, weak and young children, and its link to its
 * parent. A child is *young* until the job that made it ends: held strongly, without a
 * `WeakRef`, because every `WeakRef` made keeps its target alive until the job ends, so a
 * synchronous loop that creates and closes objects would keep every one of them. A child closed
 * while young never gets one; one still open when the job ends gets its `WeakRef` on the next
 * turn of the event loop ({@link matureYoungResources}).
 */
interface Family {
  children: Set<WeakRef<Resource>> | undefined;
  young: Set<Resource> | undefined;
  owned: OwnedChildren | undefined;
  parentLink: { parent: Resource; ref: WeakRef<Resource> | undefined } | undefined;
}

/** Young resources of every parent, made weak together on the next turn of the event loop. */
const youngResources = new Set<Resource>();
/** Whether {@link matureYoungResources} is queued to run on the next turn. */
let maturingQueued = false;
/** Makes a young resource weak (see {@link Family}). */
let mature: (resource: Resource) => void;

function matureYoungResources(): void {
  maturingQueued = false;
  const young = [...youngResources];
  youngResources.clear();
  for (const resource of young) mature(resource);
}

/** Registers `child` with `owner`; returns its slot. */
let adopt: (owner: Resource, child: Owned) => number;
/** Drops the owned child in `slot` of `owner`. */
let disown: (owner: Resource, slot: number) => void;
/** Marks an owned child closed because its owner closes. */
let closeOwned: (child: Owned) => void;

/**
 * A JS object that owns one native handle. Closing it closes its children first (newest
 * first): samples, then ports, then services, then the node. The Rust core closes the native
 * objects in the same order; here the JS side marks its objects closed and detaches views.
 */
export abstract class Resource implements Disposable {
  readonly #native: Native;
  #handle: Handle;
  readonly #family: Family = { children: undefined, young: undefined, owned: undefined, parentLink: undefined };
  readonly #lineage: Lineage;
  /** What the finalizer gets; its weak link to the parent is filled in when this matures. */
  readonly #reclaim: Reclaim;

  /** Garbage collection releases the handle once this object is unreachable. */
  protected constructor(native: Native, handle: Handle, parent: Resource | undefined) {
    this.#native = native;
    this.#handle = handle;
    this.#lineage = { open: true, parent: parent === undefined ? undefined : parent.#lineage };
    this.#reclaim = { native, handle, siblings: undefined, ref: undefined, lineage: this.#lineage };
    if (parent !== undefined) {
      (parent.#family.young ??= new Set()).add(this);
      this.#family.parentLink = { parent, ref: undefined };
      youngResources.add(this);
      if (!maturingQueued) {
        maturingQueued = true;
        // A timer, not a microtask: on Bun, ports whose WeakRef was made in a microtask were
        // not collected within 50 turns of forced collections.
        timers.setTimeout(matureYoungResources, 0);
      }
    }
    reclaimer.register(this, this.#reclaim, this);
  }

  /** Trades the parent's strong hold on this young resource for a `WeakRef`. */
  #mature(): void {
    const link = this.#family.parentLink;
    if (this.#handle === 0 || link === undefined) return;
    const family = link.parent.#family;
    family.young?.delete(this);
    const ref = new WeakRef<Resource>(this);
    const siblings = (family.children ??= new Set());
    siblings.add(ref);
    link.ref = ref;
    this.#reclaim.ref = ref;
    this.#reclaim.siblings = siblings;
  }

  /** What this object is called in error messages ("Publisher", "Node", ...). */
  protected abstract get label(): string;

  protected get native(): Native {
    return this.#native;
  }

  /** True once closed, by `close()`, by its parent's close, or by being consumed (a sent sample). */
  get isClosed(): boolean {
    return this.#handle === 0;
  }

  /** The native handle, or throws `HandleClosed`. */
  protected get handle(): Handle {
    if (this.#handle === 0) throw this.closedError();
    return this.#handle;
  }

  protected closedError(): Iox2Error {
    return new Iox2Error("HandleClosed", `${this.label} is closed`);
  }

  /** Closes this object and everything created from it. Closing twice does nothing. */
  close(): void {
    if (this.#handle === 0) return;
    const handle = this.#handle;
    this.markClosed();
    this.#native.close(handle);
  }

  /** Same as `close()`, so that `using x = ...` closes the object at the end of its scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Forgets the handle on the JS side only (the native side already released it, e.g. a sent
   * sample, or closes it with the parent), children first.
   */
  protected markClosed(): void {
    if (this.#handle === 0) return;
    this.#handle = 0;
    this.#lineage.open = false;
    const family = this.#family;
    if (family.owned !== undefined && family.owned.size > 0) {
      for (const child of family.owned.list()) closeOwned(child);
    }
    // The young are the newest.
    if (family.young !== undefined && family.young.size > 0) {
      for (const child of [...family.young].reverse()) child.markClosed();
      family.young.clear();
    }
    if (family.children !== undefined && family.children.size > 0) {
      for (const ref of [...family.children].reverse()) ref.deref()?.markClosed();
      family.children.clear();
    }
    if (family.parentLink !== undefined) {
      const { parent, ref } = family.parentLink;
      if (ref === undefined) {
        parent.#family.young?.delete(this);
        youngResources.delete(this);
      } else {
        parent.#family.children?.delete(ref);
      }
      family.parentLink = undefined;
    }
    reclaimer.unregister(this);
    this.onClosed();
  }

  /** Hook for subclasses that hold views (samples detach their buffers here). */
  protected onClosed(): void {}

  static {
    mature = (resource) => resource.#mature();
    nativeOf = (resource) => ({ native: resource.#native, handle: resource.handle });
    adopt = (owner, child) => (owner.#family.owned ??= new OwnedChildren()).add(child);
    disown = (owner, slot) => owner.#family.owned!.remove(slot);
  }
}

/**
 * A JS object that owns one native handle and lives only as long as its owner lets it: samples,
 * requests and responses. It is released explicitly (send, release, close, `using`) or with its
 * owner, never by the garbage collector: a `WeakRef` and a finalizer entry per message (0.3–0.7 µs
 * each on V8) would cost more than the message. The owner holds it strongly; how many there are
 * is bounded by the port's loan limits.
 *
 * Not a {@link Resource}, on purpose: the per-message path then runs no code that ports,
 * services and nodes also run, so V8 sees one or two classes at its sites instead of all of
 * them (megamorphic stores cost a second pub-sub service 460 ns per message).
 */
export abstract class Owned implements Disposable {
  readonly #native: Native;
  #handle: Handle;
  readonly #owner: Resource;
  #slot: number;

  protected constructor(native: Native, handle: Handle, owner: Resource) {
    this.#native = native;
    this.#handle = handle;
    this.#owner = owner;
    this.#slot = adopt(owner, this);
  }

  /** What this object is called in error messages ("Sample", "ResponseMut", ...). */
  protected abstract get label(): string;

  protected get native(): Native {
    return this.#native;
  }

  /** True once sent, released or closed, or when its owner closed. */
  get isClosed(): boolean {
    return this.#handle === 0;
  }

  /** The native handle, or throws this object's closed error. */
  protected get handle(): Handle {
    if (this.#handle === 0) throw this.closedError();
    return this.#handle;
  }

  protected closedError(): Iox2Error {
    return new Iox2Error("HandleClosed", `${this.label} is closed`);
  }

  /** Releases the native object. Closing twice does nothing. */
  close(): void {
    if (this.#handle === 0) return;
    const handle = this.#handle;
    this.markClosed();
    this.#native.close(handle);
  }

  /** Same as `close()`, so that `using x = ...` releases the object at the end of its scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Forgets the handle on the JS side only (the native side released it or will, with the owner). */
  protected markClosed(): void {
    if (this.#handle === 0) return;
    this.#handle = 0;
    disown(this.#owner, this.#slot);
    this.onClosed();
  }

  /** Hook for subclasses that hold views (samples detach their own buffers here). */
  protected onClosed(): void {}

  /**
   * Makes this closed object stand for a new native handle of the same owner (a sample slot's
   * next sample), so that a steady stream allocates no object per message.
   */
  protected reopen(handle: Handle): void {
    if (this.#handle !== 0) throw new Iox2Error("InternalFailure", `${this.label} reopened while open`);
    this.#handle = handle;
    this.#slot = adopt(this.#owner, this);
  }

  static {
    closeOwned = (child) => child.markClosed();
  }
}

