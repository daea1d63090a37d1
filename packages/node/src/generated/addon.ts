// Generated from crates/napi/src/entry_points.rs by its test: do not edit. Regenerate with
// IOX2JS_REGENERATE=1 cargo test -p iceoryx2-js-napi (the test fails when this file differs).

/** The napi addon's exports. */
export interface Addon {
  /** Names of every error kind in code order. */
  errorKinds(): string[];
  /** The iceoryx2 crate version this addon links. */
  iceoryx2Version(): string;
  /** Detaches a sample buffer whose sample is being closed with its parent. */
  detach(buffer: ArrayBuffer): void;
  /** This thread's info array (`SAMPLE_INFO_LENGTH` numbers) as an ArrayBuffer. */
  sampleInfoBuffer(): ArrayBuffer;
  /** A control operation: JSON arguments in, JSON result out. */
  control(op: string, handle: number, argsJson: string): string;
  /** Every per-message operation as its own function, by name. */
  operations(): import("@iceoryx2-js/core-api/runtime").NativeOperations;
  /** Delivers reactor wake-ups to `callback` on this thread. */
  wakerStart(callback: (token: number) => void): void;
  /** Like `wakerStart`, with listener descriptors watched on this thread's libuv loop. */
  wakerStartOnLoop(callback: (token: number) => void): void;
}
