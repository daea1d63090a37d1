import type { Backend, Handle } from "./backend.js";
import { Iox2Error } from "./errors.js";

/** Operation names per shape, as the native `ops` control operation lists them. */
interface OpNames {
  call: string[];
  memory: string[];
  send_copy: string[];
  control: string[];
}

type Codes = Readonly<Record<string, number>>;

const codesOf = (names: string[]): Codes => Object.freeze(Object.fromEntries(names.map((name, i) => [name, i + 1])));

/**
 * The backend with operations named instead of numbered, and JSON encoded and decoded. One per
 * backend; everything in the public API talks to the native library through it.
 */
export class Native {
  readonly backend: Backend;
  readonly #call: Codes;
  readonly #memory: Codes;
  readonly #sendCopy: Codes;
  /** Native watches in flight by `op:handle`, and their keys by token. */
  readonly #watches = new Map<string, { token: number; wakers: Set<() => void> }>();
  readonly #keys = new Map<number, string>();
  #wakerStarted = false;

  constructor(backend: Backend) {
    this.backend = backend;
    const names = JSON.parse(backend.control("ops", 0, "")) as OpNames;
    this.#call = codesOf(names.call);
    this.#memory = codesOf(names.memory);
    this.#sendCopy = codesOf(names.send_copy);
  }

  /** The code of a call, memory or send-copy operation; a missing one means a stale library. */
  code(shape: "call" | "memory" | "sendCopy", name: string): number {
    const table = shape === "call" ? this.#call : shape === "memory" ? this.#memory : this.#sendCopy;
    const code = table[name];
    if (code === undefined) {
      throw new Iox2Error("LibraryLoadFailure", `the native library has no ${shape} operation '${name}'; rebuild it`);
    }
    return code;
  }

  /** Runs a control operation with `args` as JSON and decodes its JSON result. */
  control<T>(op: string, handle: Handle, args: unknown = {}): T {
    return JSON.parse(this.backend.control(op, handle, JSON.stringify(args))) as T;
  }

  call(op: string, handle: Handle, arg = 0): number {
    return this.backend.call(this.code("call", op), handle, arg);
  }

  memory(op: string, handle: Handle, a = 0, b = 0): ArrayBuffer | null {
    return this.backend.memory(this.code("memory", op), handle, a, b);
  }

  consume(op: string, handle: Handle, buffer: ArrayBuffer | null, arg = 0): number {
    return this.backend.consume(this.code("call", op), handle, buffer, arg);
  }

  sendCopy(op: string, handle: Handle, payload: Uint8Array, header: Uint8Array | null): number {
    return this.backend.sendCopy(this.code("sendCopy", op), handle, payload, header);
  }

  close(handle: Handle): boolean {
    return this.call("close", handle) === 1;
  }

  /**
   * Wakes `wake` on this thread's event loop once `handle` turns readable, through watch
   * operation `op` (e.g. `listenerWatch`). Waiters on the same handle share one native watch
   * (a descriptor can be watched once), and all of them wake. Returns the cancellation.
   */
  watch(op: string, handle: Handle, wake: () => void): () => void {
    if (!this.#wakerStarted) {
      this.backend.startWaker((token) => this.#fire(token));
      this.#wakerStarted = true;
    }
    const key = `${op}:${handle}`;
    let watch = this.#watches.get(key);
    if (watch === undefined) {
      watch = { token: this.call(op, handle), wakers: new Set() };
      this.#watches.set(key, watch);
      this.#keys.set(watch.token, key);
    }
    const entry = watch;
    const waker = () => wake();
    entry.wakers.add(waker);
    return () => {
      if (!entry.wakers.delete(waker) || entry.wakers.size > 0 || this.#watches.get(key) !== entry) return;
      this.#watches.delete(key);
      this.#keys.delete(entry.token);
      this.call("unwatch", 0, entry.token);
    };
  }

  #fire(token: number): void {
    const key = this.#keys.get(token);
    if (key === undefined) return;
    this.#keys.delete(token);
    const watch = this.#watches.get(key)!;
    this.#watches.delete(key);
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
