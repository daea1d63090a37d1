import type { Backend, Handle } from "./backend.js";
import { Iox2Error } from "../base/errors.js";
import { Mappings } from "./sample-memory.js";
import { OPERATION_CODES, OPERATIONS } from "../generated/contract.js";
import type { ControlOperationName, ControlOperations, OpNames } from "../generated/control.js";

/**
 * The code of every call, memory, view and send-copy operation by name, generated from the Rust
 * declaration: every message is one constant-code crossing (`native.call(CALL.sampleSend, …)`).
 */
export const { call: CALL, memory: MEMORY, view: VIEW, sendCopy: SEND_COPY } = OPERATION_CODES;

/** The arguments after the handle of control operation `Op`: its JSON arguments, or none. */
type ControlArgs<Op extends ControlOperationName> = ControlOperations[Op]["args"] extends undefined ? [] : [args: ControlOperations[Op]["args"]];

/** What control operation `Op` returns. */
export type ControlResult<Op extends ControlOperationName> = ControlOperations[Op]["result"];

/**
 * Checks that the loaded library has exactly the operations this package was generated for, so
 * their codes are the generated constants (a library built from other sources fails here, once,
 * instead of calling the wrong operation).
 */
function checkOperations(names: OpNames): void {
  const shapes = [
    ["call", names.call],
    ["memory", names.memory],
    ["view", names.view],
    ["sendCopy", names.sendCopy],
    ["control", names.control],
  ] as const;
  for (const [shape, listed] of shapes) {
    const expected: readonly string[] = OPERATIONS[shape];
    if (listed.join() !== expected.join()) {
      const missing = expected.filter((name) => !listed.includes(name));
      const extra = listed.filter((name) => !expected.includes(name));
      throw new Iox2Error(
        "LibraryLoadFailure",
        `the native library's ${shape} operations differ from this package's` +
          (missing.length > 0 ? ` (missing: ${missing.join(", ")})` : "") +
          (extra.length > 0 ? ` (unknown: ${extra.join(", ")})` : "") +
          (missing.length + extra.length === 0 ? " (in another order)" : "") +
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
  /** The shared-memory mappings samples live in, each viewed once. */
  readonly mappings: Mappings;
  /** Native watches in flight by handle (a handle's kind has one watch operation), and their handles by token. */
  readonly #watches = new Map<Handle, { token: number; wakers: Set<() => void> }>();
  readonly #watched = new Map<number, Handle>();
  #wakerStarted = false;

  constructor(backend: Backend) {
    this.backend = backend;
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

  /** Runs call operation `code` ({@link CALL}). */
  call(code: number, handle: Handle, arg = 0): number {
    return this.backend.call(code, handle, arg);
  }

  /** Runs memory operation `code` ({@link MEMORY}); true when it handed out a sample (described in `backend.sampleInfo`). */
  memory(code: number, handle: Handle, a = 0, b = 0): boolean {
    return this.backend.memory(code, handle, a, b);
  }

  /** Runs view operation `code` ({@link VIEW}) on a sample. */
  view(code: number, sample: Handle): ArrayBuffer {
    return this.backend.view(code, sample);
  }

  /** Detaches `buffer` (when given), then runs call operation `code` on `handle`. */
  consume(code: number, handle: Handle, buffer: ArrayBuffer | null, arg = 0): number {
    return this.backend.consume(code, handle, buffer, arg);
  }

  /** Runs send-copy operation `code` ({@link SEND_COPY}). */
  sendCopy(code: number, handle: Handle, payload: Uint8Array, header: Uint8Array | null): number {
    return this.backend.sendCopy(code, handle, payload, header);
  }

  close(handle: Handle): boolean {
    return this.call(CALL.close, handle) === 1;
  }

  /**
   * Wakes `wake` on this thread's event loop once `handle` turns readable, through watch
   * operation `op` (e.g. `listenerWatch`). Waiters on the same handle share one native watch
   * (a descriptor has one registration), and all of them wake. Returns the cancellation, which
   * costs no system call (the native side only forgets the token).
   */
  watch(op: number, handle: Handle, wake: () => void): () => void {
    if (!this.#wakerStarted) {
      this.backend.startWaker((token) => this.#fire(token));
      this.#wakerStarted = true;
    }
    let watch = this.#watches.get(handle);
    if (watch === undefined) {
      watch = { token: this.call(op, handle), wakers: new Set() };
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
      this.call(CALL.unwatch, 0, entry.token);
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
