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
 * A JS object that owns one native handle. Closing it closes its children first (newest
 * first): samples, then ports, then services, then the node. The Rust core closes the native
 * objects in the same order; here the JS side marks its objects closed and detaches views.
 */
export abstract class Resource implements Disposable {
  readonly #native: Native;
  #handle: Handle;
  readonly #children = new Set<WeakRef<Resource>>();
  #parentLink: { parent: Resource; ref: WeakRef<Resource> } | undefined;

  /**
   * `reclaimWhenUnreachable` is the object whose collection releases the handle: the resource
   * itself, or for samples their buffer (views keep the buffer, not the sample, reachable).
   */
  protected constructor(native: Native, handle: Handle, parent: Resource | undefined, reclaimWhenUnreachable?: object) {
    this.#native = native;
    this.#handle = handle;
    let ref: WeakRef<Resource> | undefined;
    if (parent !== undefined) {
      ref = new WeakRef<Resource>(this);
      parent.#children.add(ref);
      this.#parentLink = { parent, ref };
    }
    reclaimer.register(reclaimWhenUnreachable ?? this, { native, handle, siblings: parent === undefined ? undefined : parent.#children, ref }, this);
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
    for (const ref of [...this.#children].reverse()) ref.deref()?.markClosed();
    this.#children.clear();
    this.#handle = 0;
    reclaimer.unregister(this);
    if (this.#parentLink !== undefined) {
      this.#parentLink.parent.#children.delete(this.#parentLink.ref);
      this.#parentLink = undefined;
    }
    this.onClosed();
  }

  /** Hook for subclasses that hold views (samples detach their buffers here). */
  protected onClosed(): void {}

  static {
    nativeOf = (resource) => ({ native: resource.#native, handle: resource.handle });
  }
}

