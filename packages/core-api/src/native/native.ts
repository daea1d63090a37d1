import type { Backend, Handle } from "./backend.js";
import { Iox2Error } from "../base/errors.js";
import { Mappings } from "./sample-memory.js";
import { OPERATIONS } from "../generated/contract.js";
import type { NativeOperations } from "../generated/operations.js";
import type { ControlOperationName, ControlOperations, OpNames } from "../generated/control.js";

/** The arguments after the handle of control operation `Op`: its JSON arguments, or none. */
type ControlArgs<Op extends ControlOperationName> = ControlOperations[Op]["args"] extends undefined ? [] : [args: ControlOperations[Op]["args"]];

/** What control operation `Op` returns. */
export type ControlResult<Op extends ControlOperationName> = ControlOperations[Op]["result"];

/**
 * Checks that the loaded library has exactly the operations this package was generated for (a
 * library built from other sources fails here, once, naming what differs, instead of failing
 * the first call of a missing operation).
 */
function checkOperations(names: OpNames): void {
  const shapes = [
    ["call", names.call],
    ["consume", names.consume],
    ["memory", names.memory],
    ["view", names.view],
    ["sendCopy", names.sendCopy],
    ["control", names.control],
  ] as const;
  for (const [shape, listed] of shapes) {
    const expected: readonly string[] = OPERATIONS[shape];
    const missing = expected.filter((name) => !listed.includes(name));
    const extra = listed.filter((name) => !expected.includes(name));
    if (missing.length + extra.length > 0) {
      throw new Iox2Error(
        "LibraryLoadFailure",
        `the native library's ${shape} operations differ from this package's` +
          (missing.length > 0 ? ` (missing: ${missing.join(", ")})` : "") +
          (extra.length > 0 ? ` (unknown: ${extra.join(", ")})` : "") +
          ": it was built from other sources; rebuild it (npm run build in a checkout) or install the matching version",
      );
    }
  }
}

/**
 * The backend with operations named instead of numbered, and JSON encoded and decoded. One per
 * backend; everything in the public API talks to the native library through it.
 */
export class Native {
  readonly backend: Backend;
  /**
   * Every per-message operation, each its own native function (`native.ops.sampleSend(…)`), so
   * every call site stays monomorphic.
   */
  readonly ops: NativeOperations;
  /** The shared-memory mappings samples live in, each viewed once. */
  readonly mappings: Mappings;
  /** Native watches in flight by handle (a handle's kind has one watch operation), and their handles by token. */
  readonly #watches = new Map<Handle, { token: number; wakers: Set<() => void> }>();
  readonly #watched = new Map<number, Handle>();
  #wakerStarted = false;

  constructor(backend: Backend) {
    this.backend = backend;
    this.ops = backend.operations;
    checkOperations(this.control("ops", 0));
    this.mappings = new Mappings(this);
  }

  /**
   * Runs a control operation with `args` as JSON and decodes its JSON result. Arguments and
   * result are typed by the Rust declaration (`generated/control.ts`); `handle` is 0 for the
   * operations that take none.
   */
  control<Op extends ControlOperationName>(op: Op, handle: Handle, ...args: ControlArgs<Op>): ControlResult<Op> {
    const json = args.length === 0 ? "" : JSON.stringify(args[0]);
    return JSON.parse(this.backend.control(op, handle, json)) as ControlResult<Op>;
  }

  close(handle: Handle): boolean {
    return this.ops.close(handle, null) === 1;
  }

  /**
   * Wakes `wake` on this thread's event loop once `handle` turns readable, through `arm`, its
   * kind's watch operation (a listener's by default; a log stream has its own). Waiters on the
   * same handle share one native watch (a descriptor has one registration), and all of them
   * wake. Returns the cancellation, which costs no system call (the native side only forgets
   * the token).
   */
  watch(handle: Handle, wake: () => void, arm: (native: Native, handle: Handle) => number = armListener): () => void {
    if (!this.#wakerStarted) {
      this.backend.startWaker((token) => this.#fire(token));
      this.#wakerStarted = true;
    }
    let watch = this.#watches.get(handle);
    if (watch === undefined) {
      watch = { token: arm(this, handle), wakers: new Set() };
      this.#watches.set(handle, watch);
      this.#watched.set(watch.token, handle);
    }
    const entry = watch;
    const waker = () => wake();
    entry.wakers.add(waker);
    return () => {
      if (!entry.wakers.delete(waker) || entry.wakers.size > 0 || this.#watches.get(handle) !== entry) return;
      this.#watches.delete(handle);
      this.#watched.delete(entry.token);
      this.ops.unwatch(0, entry.token);
    };
  }

  #fire(token: number): void {
    const handle = this.#watched.get(token);
    if (handle === undefined) return;
    this.#watched.delete(token);
    const watch = this.#watches.get(handle)!;
    this.#watches.delete(handle);
    for (const wake of watch.wakers) wake();
  }
}

/** Starts a listener's native watch (the default of {@link Native.watch}). */
const armListener = (native: Native, handle: Handle): number => native.ops.listenerWatch(handle, 0);

const natives = new WeakMap<Backend, Native>();

/** The one {@link Native} of `backend`. */
export function nativeFor(backend: Backend): Native {
  let native = natives.get(backend);
  if (native === undefined) {
    native = new Native(backend);
    natives.set(backend, native);
  }
  return native;
}
