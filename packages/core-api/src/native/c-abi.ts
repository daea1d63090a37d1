import type { Backend } from "./backend.js";
import { ERROR_KINDS, Iox2Error } from "../base/errors.js";
import { C_ABI_SYMBOLS, C_ABI_VERSION, SAMPLE_INFO_LENGTH } from "../generated/contract.js";
import { bindCAbiOperations } from "../generated/operations.js";

/** The C ABI version this package speaks (`iox2js_abi_version()` of `crates/ffi`). */
export { C_ABI_VERSION };

/** Every symbol of `crates/ffi` (generated from its declaration there). */
export { C_ABI_SYMBOLS };

export type CAbiSymbolName = keyof typeof C_ABI_SYMBOLS;


/**
 * What a runtime adapter supplies: the loaded symbols (any calling convention that accepts
 * numbers and typed arrays and returns numbers or the runtime's pointer values) and how to turn
 * a native pointer into an external ArrayBuffer.
 */
export interface CAbiRuntime<Pointer> {
  readonly runtime: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly symbols: { readonly [K in CAbiSymbolName]: (...args: any[]) => any };
  /** A zero-copy ArrayBuffer over `length` bytes at `pointer` (never null here). */
  arrayBuffer(pointer: Pointer, length: number): ArrayBuffer;
  /** Whether a pointer result is null. */
  isNull(pointer: Pointer): boolean;
  /**
   * A C function pointer `void (*)(double)` that may be called from any thread and runs
   * `callback` on this thread's event loop, without keeping the loop alive by itself.
   */
  threadSafeCallback(callback: (token: number) => void): unknown;
}

const NO_BYTES = new Uint8Array(0);

/** Web APIs every supported runtime has, typed here because core-api compiles without DOM types. */
const web = globalThis as unknown as {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
};
const encoder = new web.TextEncoder();
const decoder = new web.TextDecoder();

/** ES2024 additions to ArrayBuffer that Deno and Bun have. */
type TransferableBuffer = ArrayBuffer & { readonly detached: boolean; transfer(length?: number): ArrayBuffer };

/**
 * Detaches `buffer` (ES2024 `transfer`): every view over it becomes empty or throws. A transfer
 * to length 0 moves no bytes (a same-length transfer copies an external buffer's bytes on Bun).
 */
function detach(buffer: ArrayBuffer): void {
  const transferable = buffer as TransferableBuffer;
  if (!transferable.detached) transferable.transfer(0);
}

/**
 * The backend over the C ABI, shared by the Deno and Bun adapters: checks the ABI version and
 * the error-kind list at load, turns `-kind` results into thrown errors with the native message.
 */
export function createCAbiBackend<Pointer>(native: CAbiRuntime<Pointer>): Backend {
  const s = native.symbols;
  const version = s.iox2js_abi_version();
  if (version !== C_ABI_VERSION) {
    throw new Iox2Error(
      "LibraryLoadFailure",
      `the iceoryx2-js native library speaks C ABI version ${version}, this package needs ${C_ABI_VERSION}`,
    );
  }
  let messageBuffer = new Uint8Array(1024);
  const lastMessage = (): string => {
    const length: number = s.iox2js_last_message(messageBuffer, messageBuffer.length);
    if (length > messageBuffer.length) {
      messageBuffer = new Uint8Array(length * 2);
      s.iox2js_last_message(messageBuffer, messageBuffer.length);
    }
    return decoder.decode(messageBuffer.subarray(0, length));
  };
  const fail = (result: number): never => {
    const kind = ERROR_KINDS[-result - 1] ?? "InternalFailure";
    throw new Iox2Error(kind, lastMessage());
  };
  const check = (result: number): number => (result < 0 ? fail(result) : result);
  const text = (length: number): string => (check(length), lastMessage());

  const nativeKinds = Array.from({ length: s.iox2js_error_kind_count() as number }, (_, i) => text(s.iox2js_error_kind_name(i + 1)));
  if (nativeKinds.join() !== ERROR_KINDS.join()) {
    throw new Iox2Error("LibraryLoadFailure", `the native library's error kinds differ from core-api's: ${nativeKinds.join(", ")}`);
  }

  const sampleInfo = new Float64Array(SAMPLE_INFO_LENGTH);
  /** Turns a view call's pointer into a buffer of `info[1]` bytes, or throws what `info[0]` reports. */
  const viewBuffer = (pointer: Pointer): ArrayBuffer => {
    if (sampleInfo[0]! < 0) fail(sampleInfo[0]!);
    const length = sampleInfo[1]!;
    return length === 0 || native.isNull(pointer) ? new ArrayBuffer(0) : native.arrayBuffer(pointer, length);
  };
  const opNames = new Map<string, Uint8Array>();
  const encodedName = (op: string): Uint8Array => {
    let bytes = opNames.get(op);
    if (bytes === undefined) opNames.set(op, (bytes = encoder.encode(op)));
    return bytes;
  };
  let waker: unknown;

  return {
    runtime: native.runtime,
    iceoryx2Version: text(s.iox2js_iceoryx2_version()),
    sampleInfo,
    errorKinds: () => nativeKinds,
    control: (op, handle, argsJson) => {
      const name = encodedName(op);
      const args = encoder.encode(argsJson);
      return text(s.iox2js_control(name, name.length, handle, args, args.length));
    },
    operations: bindCAbiOperations(s, {
      info: sampleInfo,
      noBytes: NO_BYTES,
      number: check,
      view: viewBuffer,
      detach: (buffer) => {
        if (buffer !== null) detach(buffer);
      },
    }),
    detach,
    startWaker: (onWake) => {
      // Kept referenced for the process's lifetime: the native side may call it at any time.
      waker = native.threadSafeCallback(onWake);
      check(s.iox2js_waker_start(waker));
    },
  };
}
