import type { NativeOperations } from "../generated/operations.js";

/**
 * The small interface each runtime adapter implements over its native front (napi for Node,
 * the C ABI for Deno and Bun). The public API in this package is written once on top of it.
 *
 * Operations are declared once in the Rust core (`crates/core/src/bridge/operations.rs`):
 * - `control`: name + JSON in, JSON out (creation, configuration, discovery; never hot), one
 *   entry point addressed by name, typed by `generated/control.ts`;
 * - `operations`: every per-message operation as its own function (`sampleSend`,
 *   `publisherLoan`, …), typed by `generated/operations.ts`. The Node addon exports them; the
 *   C-ABI backends bind each to its symbol (`iox2js_sample_send`, …).
 * {@link Native} checks at load, through the `ops` control operation, that the library lists the
 * operations this package was generated for.
 *
 * Conventions: handles are integers below 2^53 carried as numbers; the Rust core rejects
 * unknown JSON fields; failures are thrown as errors whose `code` is an {@link ErrorKind} name.
 */
export type Handle = number;

/** Indices into {@link Backend.sampleInfo} (filled by `memory` operations), and where `view` writes its start. */
export { SampleInfo, SAMPLE_INFO_LENGTH, VIEW_START } from "../generated/contract.js";

/** The signature of every per-message operation. */
export type { NativeOperations };

export interface Backend {
  /** "node", "deno" or "bun". */
  readonly runtime: string;
  /** The iceoryx2 release the native library links. */
  readonly iceoryx2Version: string;
  /** Written by memory and view operations (see {@link SampleInfo}, {@link VIEW_START}). */
  readonly sampleInfo: Float64Array;

  /** Error-kind names in code order, as the native library knows them. */
  errorKinds(): readonly string[];
  /** Runs control operation `op`; returns its JSON result. */
  control(op: string, handle: Handle, argsJson: string): string;
  /** Every per-message operation (memory and view operations describe their result in `sampleInfo`). */
  readonly operations: NativeOperations;
  /** Detaches a buffer (used when a parent closes its samples). */
  detach(buffer: ArrayBuffer): void;
  /**
   * Routes the native reactor's wake-ups for this thread to `onWake(token)`. The route must not
   * keep the event loop alive by itself; `core-api` holds a timer while something is awaited.
   */
  startWaker(onWake: (token: number) => void): void;
}

/** What an adapter installs: its backend, or how to load it on first use. */
export type BackendSource = Backend | (() => Backend);

let source: BackendSource | undefined;
let loaded: Backend | undefined;

/**
 * Called by an adapter (`@iceoryx2-js/node`, `/deno`, `/bun`) when it is imported. A loader
 * function runs on first use, so a missing native library fails the first call that needs it
 * (as an error a caller can handle), not the import.
 */
export function installBackend(backend: BackendSource): void {
  source = backend;
  loaded = typeof backend === "function" ? undefined : backend;
}

/**
 * The adapter's backend, loaded on first use. Throws an `Iox2Error` (`LibraryLoadFailure`) when
 * the native library cannot be loaded (again on each call, so a fixed environment recovers), and
 * a plain error when no adapter was imported.
 */
export function currentBackend(): Backend {
  if (loaded !== undefined) return loaded;
  if (source === undefined) {
    throw new Error(
      "no iceoryx2 runtime adapter is loaded: import from @iceoryx2-js/node, @iceoryx2-js/deno or @iceoryx2-js/bun",
    );
  }
  loaded = (source as () => Backend)();
  return loaded;
}
