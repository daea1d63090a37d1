import type { Backend } from "./backend.js";
import { ERROR_KINDS, Iox2Error } from "./errors.js";

/** The C ABI version this package speaks (`iox2js_abi_version()` of `crates/ffi`). */
export const C_ABI_VERSION = 1;

/**
 * Every symbol of `crates/ffi`, written once in `Deno.dlopen`'s vocabulary; the Bun adapter
 * maps the type names onto `bun:ffi`'s. Hot calls take and return only numbers and pointers.
 */
export const C_ABI_SYMBOLS = {
  iox2js_abi_version: { parameters: [], result: "u32" },
  iox2js_error_kind_count: { parameters: [], result: "u32" },
  iox2js_error_kind_name: { parameters: ["i32"], result: "f64" },
  iox2js_iceoryx2_version: { parameters: [], result: "f64" },
  iox2js_last_message: { parameters: ["buffer", "usize"], result: "f64" },
  iox2js_set_log_level: { parameters: ["u32"], result: "f64" },
  iox2js_open_handle_count: { parameters: [], result: "f64" },
  iox2js_close: { parameters: ["f64"], result: "f64" },
  iox2js_node_create: { parameters: ["buffer", "usize"], result: "f64" },
  iox2js_node_name: { parameters: ["f64"], result: "f64" },
  iox2js_pubsub_service_open: { parameters: ["f64", "buffer", "usize"], result: "f64" },
  iox2js_pubsub_service_info: { parameters: ["f64"], result: "f64" },
  iox2js_publisher_create: { parameters: ["f64", "buffer", "usize"], result: "f64" },
  iox2js_subscriber_create: { parameters: ["f64", "buffer", "usize"], result: "f64" },
  iox2js_publisher_loan: { parameters: ["f64", "f64", "u32", "buffer"], result: "pointer" },
  iox2js_sample_send: { parameters: ["f64"], result: "f64" },
  iox2js_publisher_send_copy: { parameters: ["f64", "buffer", "usize", "buffer", "usize"], result: "f64" },
  iox2js_publisher_update_connections: { parameters: ["f64"], result: "f64" },
  iox2js_subscriber_receive: { parameters: ["f64", "buffer"], result: "pointer" },
  iox2js_subscriber_has_samples: { parameters: ["f64"], result: "f64" },
} as const;

export type CAbiSymbolName = keyof typeof C_ABI_SYMBOLS;

/** Length of the `f64` array that sample calls fill (see docs/c-abi.md). */
const SAMPLE_INFO_LENGTH = 5;

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
}

/** Web APIs every supported runtime has, typed here because core-api compiles without DOM types. */
const web = globalThis as unknown as {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
};
const encoder = new web.TextEncoder();
const decoder = new web.TextDecoder();

/** ES2024 additions to ArrayBuffer that Deno and Bun have. */
type TransferableBuffer = ArrayBuffer & { readonly detached: boolean; transfer(): ArrayBuffer };

/** Detaches `buffer` (ES2024 `transfer`): every view over it becomes empty or throws. */
function detach(buffer: ArrayBuffer): void {
  const transferable = buffer as TransferableBuffer;
  if (!transferable.detached) transferable.transfer();
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
  /** Turns a sample call's pointer into its buffer, or throws what `info[0]` reports. */
  const sampleBuffer = (pointer: Pointer): ArrayBuffer | null => {
    if (native.isNull(pointer)) {
      if (sampleInfo[0]! < 0) fail(sampleInfo[0]!);
      return null;
    }
    return native.arrayBuffer(pointer, sampleInfo[4]!);
  };
  const withJson = (json: string, call: (bytes: Uint8Array, length: number) => number): number => {
    const bytes = encoder.encode(json);
    return check(call(bytes, bytes.length));
  };

  return {
    runtime: native.runtime,
    iceoryx2Version: text(s.iox2js_iceoryx2_version()),
    sampleInfo,
    errorKinds: () => nativeKinds,
    openHandleCount: () => s.iox2js_open_handle_count(),
    setLogLevel: (level) => void check(s.iox2js_set_log_level(level)),
    close: (handle) => s.iox2js_close(handle) === 1,
    detach,
    nodeCreate: (spec) => withJson(spec, (b, n) => s.iox2js_node_create(b, n)),
    nodeName: (node) => text(s.iox2js_node_name(node)),
    pubSubServiceOpen: (node, spec) => withJson(spec, (b, n) => s.iox2js_pubsub_service_open(node, b, n)),
    pubSubServiceInfo: (service) => text(s.iox2js_pubsub_service_info(service)),
    publisherCreate: (service, spec) => withJson(spec, (b, n) => s.iox2js_publisher_create(service, b, n)),
    subscriberCreate: (service, spec) => withJson(spec, (b, n) => s.iox2js_subscriber_create(service, b, n)),
    publisherLoan: (publisher, elements, zeroed) =>
      sampleBuffer(s.iox2js_publisher_loan(publisher, elements, zeroed ? 1 : 0, sampleInfo))!,
    sampleSend: (sample, buffer) => {
      detach(buffer);
      return check(s.iox2js_sample_send(sample));
    },
    sampleRelease: (sample, buffer) => {
      detach(buffer);
      s.iox2js_close(sample);
    },
    publisherSendCopy: (publisher, payload, userHeader) =>
      check(s.iox2js_publisher_send_copy(publisher, payload, payload.length, userHeader, userHeader?.length ?? 0)),
    publisherUpdateConnections: (publisher) => void check(s.iox2js_publisher_update_connections(publisher)),
    subscriberReceive: (subscriber) => sampleBuffer(s.iox2js_subscriber_receive(subscriber, sampleInfo)),
    subscriberHasSamples: (subscriber) => check(s.iox2js_subscriber_has_samples(subscriber)) === 1,
  };
}
