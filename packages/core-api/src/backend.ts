/**
 * The small interface each runtime adapter implements over its native front (napi for Node,
 * the C ABI for Deno and Bun). The public API in this package is written once on top of it.
 *
 * Conventions: handles are integers below 2^53 carried as numbers; configuration crosses as
 * JSON (the Rust core rejects unknown fields); failures are thrown as errors whose `code` is
 * an {@link ErrorKind} name (the public API converts them into `Iox2Error` results).
 */
export type Handle = number;

/** Indices into {@link Backend.sampleInfo}, filled by `publisherLoan` and `subscriberReceive`. */
export const SampleInfo = {
  handle: 0,
  payloadOffset: 1,
  payloadLength: 2,
  userHeaderLength: 3,
} as const;

export interface Backend {
  /** "node", "deno" or "bun". */
  readonly runtime: string;
  /** The iceoryx2 release the native library links. */
  readonly iceoryx2Version: string;
  /** Written by sample calls: handle, payload offset, payload length, user-header length. */
  readonly sampleInfo: Float64Array;

  /** Error-kind names in code order, as the native library knows them. */
  errorKinds(): readonly string[];
  /** Open native objects on this thread (for leak tests). */
  openHandleCount(): number;
  setLogLevel(level: number): void;
  /** Closes a handle and everything created from it; false if it was already closed. */
  close(handle: Handle): boolean;
  /** Detaches a sample buffer (used when a parent closes its samples). */
  detach(buffer: ArrayBuffer): void;

  nodeCreate(specJson: string): Handle;
  nodeName(node: Handle): string;
  pubSubServiceOpen(node: Handle, specJson: string): Handle;
  pubSubServiceInfo(service: Handle): string;
  publisherCreate(service: Handle, specJson: string): Handle;
  subscriberCreate(service: Handle, specJson: string): Handle;

  /** Loans a sample; returns one buffer spanning user header and payload (layout in sampleInfo). */
  publisherLoan(publisher: Handle, elements: number, zeroed: boolean): ArrayBuffer;
  /** Detaches `buffer`, then sends; returns the number of subscribers reached. */
  sampleSend(sample: Handle, buffer: ArrayBuffer): number;
  /** Detaches `buffer`, then releases the sample. */
  sampleRelease(sample: Handle, buffer: ArrayBuffer): void;
  publisherSendCopy(publisher: Handle, payload: Uint8Array, userHeader: Uint8Array | null): number;
  publisherUpdateConnections(publisher: Handle): void;
  /** The next sample's buffer (layout in sampleInfo), or null when none waits. */
  subscriberReceive(subscriber: Handle): ArrayBuffer | null;
  subscriberHasSamples(subscriber: Handle): boolean;
}

let installed: Backend | undefined;

/** Called by an adapter (`@iceoryx2-js/node`, `/deno`, `/bun`) when it is imported. */
export function installBackend(backend: Backend): void {
  installed = backend;
}

/** The adapter's backend; fails with a hint when no adapter was imported. */
export function currentBackend(): Backend {
  if (installed === undefined) {
    throw new Error(
      "no iceoryx2 runtime adapter is loaded: import from @iceoryx2-js/node, @iceoryx2-js/deno or @iceoryx2-js/bun",
    );
  }
  return installed;
}
