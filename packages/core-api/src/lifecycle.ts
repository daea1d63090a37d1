import type { Handle } from "./backend.js";
import type { Native } from "./native.js";
import { Iox2Error } from "./errors.js";

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
}

const reclaimer = new FinalizationRegistry<Reclaim>(({ native, handle, siblings, ref }) => {
  if (ref !== undefined) siblings?.delete(ref);
  try {
    native.close(handle);
  } catch {
    // Nothing can report a failure from a finalizer; the handle table stays consistent.
  }
});

/**
 * Passed as `reclaim` by objects that live only as long as their parent lets them: samples,
 * requests and responses. They are released explicitly (send, release, close, `using`) or with
 * their parent, never by the garbage collector: that bookkeeping (a WeakRef and a
 * FinalizationRegistry entry, 0.3–0.7 µs each on V8) would cost more than the message itself.
 * The parent holds them strongly; their number is bounded by the port's loan limits.
 */
export const OWNED_BY_PARENT = Symbol("iceoryx2-js owned by parent");

/** An {@link OWNED_BY_PARENT} child's place: its parent and its slot there. */
interface OwnedLink {
  readonly owner: Resource;
  readonly slot: number;
}

/** What a reclaimable resource keeps: its owned and weak children, and its link to its parent. */
interface Family {
  children: Set<WeakRef<Resource>> | undefined;
  owned: OwnedChildren | undefined;
  parentLink: { parent: Resource; ref: WeakRef<Resource> } | undefined;
}

/** Strongly held children, in slots so that adding and removing one costs no hashing. */
class OwnedChildren {
  readonly #slots: (Resource | undefined)[] = [];
  readonly #free: number[] = [];
  #count = 0;

  get size(): number {
    return this.#count;
  }

  add(child: Resource): number {
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
  list(): Resource[] {
    return this.#slots.filter((child): child is Resource => child !== undefined).reverse();
  }
}

/**
 * A JS object that owns one native handle. Closing it closes its children first (newest
 * first): samples, then ports, then services, then the node. The Rust core closes the native
 * objects in the same order; here the JS side marks its objects closed and detaches views.
 */
export abstract class Resource implements Disposable {
  // Few fields on purpose: their initializer is shared by every subclass, so once ports and
  // samples both pass through it V8 stores them megamorphically, each field costing a lookup.
  readonly #native: Native;
  #handle: Handle;
  /** Who holds this object (an owned child's parent and slot), or its own children. */
  #family: OwnedLink | Family | undefined;

  /**
   * Garbage collection releases the handle once this object is unreachable, unless `reclaim` is
   * {@link OWNED_BY_PARENT} (then `parent` is required and holds this object until it closes).
   */
  protected constructor(native: Native, handle: Handle, parent: Resource | undefined, reclaim?: typeof OWNED_BY_PARENT) {
    this.#native = native;
    this.#handle = handle;
    if (reclaim === OWNED_BY_PARENT) {
      const owner = parent!.#familyOf();
      this.#family = { owner: parent!, slot: (owner.owned ??= new OwnedChildren()).add(this) };
      return;
    }
    let ref: WeakRef<Resource> | undefined;
    let siblings: Set<WeakRef<Resource>> | undefined;
    const family: Family = { children: undefined, owned: undefined, parentLink: undefined };
    this.#family = family;
    if (parent !== undefined) {
      ref = new WeakRef<Resource>(this);
      siblings = parent.#familyOf().children ??= new Set();
      siblings.add(ref);
      family.parentLink = { parent, ref };
    }
    reclaimer.register(this, { native, handle, siblings, ref }, this);
  }

  /** This object's own family record (a parent of owned or weak children). */
  #familyOf(): Family {
    const family = this.#family;
    if (family === undefined || "owner" in family) {
      throw new Iox2Error("InternalFailure", `${this.label} cannot have children`);
    }
    return family;
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
    const family = this.#family;
    if (family !== undefined && "owner" in family) {
      family.owner.#familyOf().owned!.remove(family.slot);
      this.#family = undefined;
      this.onClosed();
      return;
    }
    if (family !== undefined) {
      if (family.owned !== undefined && family.owned.size > 0) {
        for (const child of family.owned.list()) child.markClosed();
      }
      if (family.children !== undefined && family.children.size > 0) {
        for (const ref of [...family.children].reverse()) ref.deref()?.markClosed();
        family.children.clear();
      }
      if (family.parentLink !== undefined) {
        family.parentLink.parent.#familyOf().children?.delete(family.parentLink.ref);
        family.parentLink = undefined;
      }
    }
    reclaimer.unregister(this);
    this.onClosed();
  }

  /** Hook for subclasses that hold views (samples detach their buffers here). */
  protected onClosed(): void {}

  static {
    nativeOf = (resource) => ({ native: resource.#native, handle: resource.handle });
  }
}

