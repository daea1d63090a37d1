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
  readonly #wake = new Map<number, () => void>();
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
   * Runs watch operation `op` (e.g. `listenerWatch`) on `handle`: a one-shot wake-up whose
   * `wake` runs on this thread's event loop once the watched descriptor turns readable.
   * Returns the token that {@link cancelWake} takes.
   */
  watch(op: string, handle: Handle, wake: () => void): number {
    if (!this.#wakerStarted) {
      this.backend.startWaker((fired) => {
        const waiter = this.#wake.get(fired);
        this.#wake.delete(fired);
        waiter?.();
      });
      this.#wakerStarted = true;
    }
    const token = this.call(op, handle);
    this.#wake.set(token, wake);
    return token;
  }

  /** Cancels a wake-up that has not fired; a no-op once it fired. */
  cancelWake(token: number): void {
    if (this.#wake.delete(token)) this.call("unwatch", 0, token);
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
