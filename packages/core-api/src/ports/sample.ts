import { SampleInfo, type Handle } from "../native/backend.js";
import type { Native } from "../native/native.js";
import type { SampleHeader } from "../generated/control.js";

/** Who sent a received sample: declared once, in the Rust core. */
export type { SampleHeader };
import { Iox2Error } from "../base/errors.js";
import { initializeZeroed, needsInitWhenZeroed, rawElementBytes, sliceView, type AnyLayoutType, type InferInit, type InferView, type PayloadType, type SliceType } from "../layout/index.js";
import { readsAsValue } from "../layout/kinds.js";
import { Owned, type Resource } from "./lifecycle.js";
import { err, okCount, type Result } from "../base/result.js";
import { retireSpanBuffer, SampleBytes, spanBuffer, type Mapping, type SampleMemoryOwner, type SpanBuffer } from "../native/sample-memory.js";

/** What `sample.payload` is for a payload type: a value (primitives), an accessor (arrays, structs) or a slice view. */
export type PayloadView<P> = InferView<P>;
/** What `sample.payload = value` and `sendCopy(value)` accept. */
export type PayloadInit<P> = InferInit<P>;
/** The user header's view; `undefined` for services without one. */
export type HeaderView<H> = H extends AnyLayoutType ? PayloadView<H> : undefined;

/**
 * The bytes of a slice payload for a send-copy: `value` must be an array, a typed array or
 * another iterable of elements; each element is checked by the slice's element type.
 */
export function sliceCopyBytes(type: SliceType<any, any, any, any>, value: unknown): Uint8Array {
  // A TypedArray of the element type goes as it is: the native side copies it in one move.
  const direct = rawElementBytes(type.element, value);
  if (direct !== undefined) return direct;
  const iterable = typeof value === "object" && value !== null && typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === "function";
  if (!iterable) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw new Iox2Error("InvalidArgument", `a slice payload must be an array or another iterable of ${type.typeName} elements, got ${got}`);
  }
  const items = Array.from(value as Iterable<unknown>);
  const bytes = new Uint8Array(items.length * type.elementSize);
  type.view(bytes, items.length).write(items as never, 0);
  return bytes;
}

/**
 * Makes a sample stand for the one described in `info` from `base` on (default: the sample the
 * last memory operation handed out), forgetting the one it stood for without releasing it. For
 * the package's sample slots and batch cursors only: not exported from the package.
 */
export let rebindSample: (sample: SampleBase<PayloadType, AnyLayoutType | undefined>, info?: Float64Array, base?: number) => void;

/**
 * What every sample-like message shares: a user header and a payload in shared memory, read and
 * written through {@link SampleBytes} windows that stop working on release (see
 * native/sample-memory.ts). Samples, requests and responses are {@link Owned} by their port; pending
 * responses and active requests are resources of their own that hold a {@link RequestView}.
 */
export abstract class SampleBase<P extends PayloadType, H extends AnyLayoutType | undefined> extends Owned implements SampleMemoryOwner {
  readonly #payloadType: P;
  readonly #headerType: H;
  #mapping: Mapping;
  /** Offset of the span in the mapping. */
  #start: number;
  #payloadOffset: number;
  #payloadLength: number;
  /** The sample's own buffer, made for raw typed arrays only; detached on release. */
  #ownBuffer: SpanBuffer | undefined;
  #payloadBytes: SampleBytes | undefined;
  #headerBytes: SampleBytes | undefined;
  #payloadAccessor: unknown;
  #headerAccessor: unknown;

  /**
   * Describes the sample the last memory operation handed out: its slots in `info` from `base`
   * on (the sample-info array from 0, or a batch's copy of its list). If its mapping cannot be
   * found, the sample is released before the error is thrown, so a bad sample never stays
   * borrowed.
   */
  protected constructor(owner: Resource, native: Native, payloadType: P, headerType: H, info: Float64Array = native.backend.sampleInfo, base = 0) {
    // Read everything first: looking up an unknown mapping reuses sampleInfo.
    const handle = info[base + SampleInfo.handle]!;
    const address = info[base + SampleInfo.address]!;
    const length = info[base + SampleInfo.length]!;
    const payloadOffset = info[base + SampleInfo.payloadOffset]!;
    const payloadLength = info[base + SampleInfo.payloadLength]!;
    const mapping = mappingOrRelease(native, handle, address, length);
    super(native, handle, owner);
    this.#mapping = mapping;
    this.#start = address - mapping.start;
    this.#payloadOffset = payloadOffset;
    this.#payloadLength = payloadLength;
    this.#payloadType = payloadType;
    this.#headerType = headerType;
  }

  protected override closedError(): Iox2Error {
    return new Iox2Error("SampleReleased", `${this.label} was already sent or released`);
  }

  /**
   * Makes this released sample the one the last memory operation handed out (a sample slot's
   * next sample): the same object, windows and accessors, pointed at the new memory. A slice
   * view is made anew only when the length changed. Reached through {@link rebindSample} only.
   */
  #rebind(info: Float64Array, base: number): void {
    const handle = info[base + SampleInfo.handle]!;
    const address = info[base + SampleInfo.address]!;
    const length = info[base + SampleInfo.length]!;
    const payloadOffset = info[base + SampleInfo.payloadOffset]!;
    const payloadLength = info[base + SampleInfo.payloadLength]!;
    // Forget the sample it stood for (a batch's cursor moving on; a slot's was released).
    this.markClosed();
    // The mapping first: if finding it fails, the sample stays closed rather than pointing at
    // the chunk it released.
    const mapping = mappingOrRelease(this.native, handle, address, length);
    this.reopen(handle);
    const start = address - mapping.start;
    if (payloadLength !== this.#payloadLength || this.#payloadType.kind === "flatbuffer") this.#payloadAccessor = undefined;
    this.#mapping = mapping;
    this.#start = start;
    this.#payloadOffset = payloadOffset;
    this.#payloadLength = payloadLength;
    this.#payloadBytes?.retarget(mapping, start + payloadOffset, payloadLength, payloadOffset);
    this.#headerBytes?.retarget(mapping, start, this.#headerBytes.byteLength, 0);
    this.onRebound();
  }

  /** Hook for subclasses that cache something of the sample (its header). */
  protected onRebound(): void {}

  static {
    rebindSample = (sample, info = sample.native.backend.sampleInfo, base = 0) => sample.#rebind(info, base);
  }

  /** Whether views are read-only (received samples: subscribers map shared memory read-only). */
  protected abstract get readonly(): boolean;

  /** Number of payload elements: 1 for fixed-size payloads, the slice length otherwise. */
  get length(): number {
    const type = this.#payloadType;
    if (type.kind === "flatbuffer") return this.#payloadLength;
    return type.kind === "slice" ? this.#payloadLength / type.elementSize : 1;
  }

  /** @internal The sample's own buffer over user header and payload (made on first use). */
  ownBuffer(): ArrayBuffer {
    return (this.#ownBuffer ??= spanBuffer(this.native, this.handle, this)).buffer;
  }

  /** The payload's window; throws `SampleReleased` once released. */
  protected get payloadWindow(): SampleBytes {
    if (this.isClosed) throw this.closedError();
    return (this.#payloadBytes ??= new SampleBytes(
      this,
      this.#mapping,
      this.#start + this.#payloadOffset,
      this.#payloadLength,
      this.#payloadOffset,
      !this.readonly,
    ));
  }

  #headerWindow(type: AnyLayoutType): SampleBytes {
    if (this.isClosed) throw this.closedError();
    return (this.#headerBytes ??= new SampleBytes(this, this.#mapping, this.#start, type.size, 0, !this.readonly));
  }

  /**
   * The payload: a value for primitives, a zero-copy accessor for arrays and structs, a slice
   * view for slices; for a flatbuffer, its bytes (a copy, made once: a JS view of read-only
   * shared memory could fault on a write).
   */
  get payload(): PayloadView<P> {
    if (this.isClosed) throw this.closedError();
    const type = this.#payloadType;
    if (type.kind === "flatbuffer") return (this.#payloadAccessor ??= this.payloadCopy()) as PayloadView<P>;
    if (readsAsValue(type)) return (type as AnyLayoutType).get(this.payloadWindow, 0) as PayloadView<P>;
    return (this.#payloadAccessor ??=
      type.kind === "slice"
        ? sliceView(type, this.payloadWindow, this.length, this.readonly)
        : type.get(this.payloadWindow, 0, { readonly: this.readonly })) as PayloadView<P>;
  }

  /** The user header, as `payload` is; `undefined` when the service has none. */
  get userHeader(): HeaderView<H> {
    const type = this.#headerType;
    if (type === undefined) return undefined as HeaderView<H>;
    const window = this.#headerWindow(type);
    if (readsAsValue(type)) return type.get(window, 0) as HeaderView<H>;
    return (this.#headerAccessor ??= type.get(window, 0, { readonly: this.readonly })) as HeaderView<H>;
  }

  protected writePayload(value: PayloadInit<P>): void {
    const type = this.#payloadType;
    if (type.kind === "flatbuffer") throw new Iox2Error("InvalidArgument", "a flatbuffer is sent whole: use sendCopy(builder)");
    if (type.kind === "slice") (this.payload as InferView<typeof type>).write(value as never, 0);
    else type.set(this.payloadWindow, 0, value);
  }

  protected writeUserHeader(value: unknown): void {
    const type = this.#headerType;
    if (type === undefined) throw new Iox2Error("InvalidArgument", "this service has no user header");
    type.set(this.#headerWindow(type), 0, value);
  }

  /**
   * @internal After a zeroed loan: turns the zeroes into valid empty containers where zeroes are
   * none (iceoryx2's `FixedSizeQueue`, as Rust's `placement_default` leaves it). Costs nothing
   * for types without one.
   */
  initializeZeroed(): void {
    const header = this.#headerType;
    if (needsInitWhenZeroed(header)) initializeZeroed(header!, this.#headerWindow(header!), 0, 1);
    const type = this.#payloadType;
    if (type.kind !== "flatbuffer" && needsInitWhenZeroed(type)) {
      initializeZeroed(type, this.payloadWindow, 0, this.length);
    }
  }

  /** The payload's raw bytes over the sample's own buffer (made on first use, detached on release). */
  protected rawPayload(): Uint8Array {
    const window = this.payloadWindow;
    return new Uint8Array(window.buffer, window.byteOffset, window.byteLength);
  }

  /** A copy of the payload's bytes. */
  protected payloadCopy(): Uint8Array {
    return this.payloadWindow.copyBytes();
  }

  /** Returns the sample's memory to iceoryx2; every view of it becomes unusable. Same as `close()`. */
  release(): void {
    this.close();
  }

  /**
   * Releases in one native call, detaching the sample's own buffer if it has one. (The rare
   * paths with closures live in their own functions: a closure here would allocate its context
   * on every call.)
   */
  override close(): void {
    if (this.isClosed) return;
    const handle = this.handle;
    const own = this.#takeOwnBuffer();
    this.markClosed();
    if (own === undefined) this.native.ops.close(handle, null);
    else closeRetiring(this.native, handle, own);
  }

  #takeOwnBuffer(): SpanBuffer | undefined {
    const own = this.#ownBuffer;
    this.#ownBuffer = undefined;
    return own;
  }

  protected override onClosed(): void {
    const own = this.#takeOwnBuffer();
    if (own !== undefined) detachRetiring(this.native, own);
  }

  /**
   * Sends (for loaned samples) after detaching: `send` does the native part, given the sample's
   * own buffer to detach (null when it has none); the native sample is consumed either way.
   */
  protected consume(send: Consume): Result<number> {
    if (this.isClosed) return err(this.closedError());
    const handle = this.handle;
    const own = this.#takeOwnBuffer();
    const native = this.native;
    try {
      return okCount(own === undefined ? send(native, handle, null) : sendRetiring(native, handle, own, send));
    } catch (error) {
      return err(Iox2Error.from(error));
    } finally {
      this.markClosed();
    }
  }
}

/** The mapping around a sample just handed out; on failure the sample is released first. */
function mappingOrRelease(native: Native, handle: Handle, address: number, length: number): Mapping {
  try {
    return native.mappings.around(handle, address, length);
  } catch (error) {
    native.ops.close(handle, null);
    throw error;
  }
}

/** Closes `handle` after detaching its sample's own buffer `own`. */
function closeRetiring(native: Native, handle: Handle, own: SpanBuffer): void {
  retireSpanBuffer(native, own, (buffer) => native.ops.close(handle, buffer));
}

/** Detaches the own buffer `own` of a sample the native side released already. */
function detachRetiring(native: Native, own: SpanBuffer): void {
  retireSpanBuffer(native, own, (buffer) => native.backend.detach(buffer));
}

/** Consumes `handle` with `send` after detaching its sample's own buffer `own`. */
function sendRetiring(native: Native, handle: Handle, own: SpanBuffer, send: Consume): number {
  return retireSpanBuffer(native, own, (buffer) => send(native, handle, buffer));
}

/** The native part of consuming a sample: runs the operation, detaching `buffer` first. */
export type Consume = (native: Native, handle: Handle, buffer: ArrayBuffer | null) => number;

/** Sends a loaned sample (a constant function: nothing is allocated per send). */
const sendSample: Consume = (native, handle, buffer) => native.ops.sampleSend(handle, buffer);

/** What a loaned sample needs from its publisher to be sent, shared by all its samples. */
export interface SendingPort {
  /** Runs after a successful send (`notifyOnSend()`). */
  readonly afterSend: (() => Result<void>) | undefined;
}

/**
 * A loaned sample: its payload and user header are writable, zero-copy views into shared
 * memory. `send()` publishes it; `release()` (or `close()`) gives it back unsent. After either,
 * every view of it throws `SampleReleased`.
 */
export class SampleMut<P extends PayloadType, H extends AnyLayoutType | undefined> extends SampleBase<P, H> {
  readonly #sending: SendingPort;

  /** @internal Created by `Publisher.loan*()` (and a send batch, from its list). */
  constructor(parent: Resource, native: Native, payloadType: P, headerType: H, sending: SendingPort, info?: Float64Array, base?: number) {
    super(parent, native, payloadType, headerType, info, base);
    this.#sending = sending;
  }

  protected get label(): string {
    return "SampleMut";
  }

  protected get readonly(): boolean {
    return false;
  }

  override get payload(): PayloadView<P> {
    return super.payload;
  }

  /** Writes the whole payload (checked against the type). */
  override set payload(value: PayloadInit<P>) {
    this.writePayload(value);
  }

  override get userHeader(): HeaderView<H> {
    return super.userHeader;
  }

  /** Writes the whole user header (checked against the type). */
  override set userHeader(value: H extends AnyLayoutType ? PayloadInit<H> : never) {
    this.writeUserHeader(value);
  }

  /**
   * The payload's raw bytes: a writable zero-copy Uint8Array, detached after send/release. It is
   * a buffer of the sample's own, made on first use (0.2–1.3 µs, more for megabytes on Bun);
   * `payload` accessors and `payload.write(bytes)` need none.
   */
  get payloadBytes(): Uint8Array {
    return this.rawPayload();
  }

  /** Publishes the sample; returns how many subscribers it reached. */
  send(): Result<number> {
    const sent = this.consume(sendSample);
    const notified = sent.isOk() ? this.#sending.afterSend?.() : undefined;
    return notified?.isErr() ? err(notified.error) : sent;
  }
}

/**
 * A received sample: payload and user header are read-only zero-copy views into the
 * publisher's shared memory (subscribers map it read-only). `release()` returns it; afterwards
 * every view throws `SampleReleased`.
 */
export class Sample<P extends PayloadType, H extends AnyLayoutType | undefined> extends SampleBase<P, H> {
  /** @internal Created by `Subscriber.receive()` (and a receive batch, from its list). */
  constructor(parent: Resource, native: Native, payloadType: P, headerType: H, info?: Float64Array, base?: number) {
    super(parent, native, payloadType, headerType, info, base);
  }

  protected get label(): string {
    return "Sample";
  }

  protected get readonly(): boolean {
    return true;
  }

  /** A copy of the payload's bytes (the shared memory itself is read-only). */
  copyPayloadBytes(): Uint8Array {
    return this.payloadCopy();
  }

  #header: SampleHeader | undefined;

  protected override onRebound(): void {
    this.#header = undefined;
  }

  /**
   * Who sent it: upstream's sample header (publisher id, node id, element count), read once.
   * Throws `SampleReleased` after release.
   */
  get header(): SampleHeader {
    if (this.isClosed) throw this.closedError();
    return (this.#header ??= this.native.control("pubsub.sampleHeader", this.handle));
  }

  /** The id of the publisher that sent it (upstream's `origin()`): `header.publisherId`. */
  get origin(): string {
    return this.header.publisherId;
  }
}

/**
 * The request a pending response or active request was made from: read-only views of it, as
 * long as that resource is open. It shares its owner's native handle and never releases it
 * itself; its owner closing marks it closed (and detaches its own buffer, if one was made).
 */
export class RequestView<P extends PayloadType, H extends AnyLayoutType | undefined> extends SampleBase<P, H> {
  readonly #label: string;

  /** @internal Made right after the memory operation that described the request. */
  constructor(owner: Resource, native: Native, payloadType: P, headerType: H, label: string) {
    super(owner, native, payloadType, headerType);
    this.#label = label;
  }

  protected get label(): string {
    return this.#label;
  }

  protected get readonly(): boolean {
    return true;
  }

  protected override closedError(): Iox2Error {
    return new Iox2Error("HandleClosed", `${this.#label} is closed`);
  }

  /** A copy of the request's payload bytes. */
  copyPayloadBytes(): Uint8Array {
    return this.payloadCopy();
  }
}
