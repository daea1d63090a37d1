import { SampleInfo, type Handle } from "./backend.js";
import type { Native } from "./native.js";
import { Iox2Error } from "./errors.js";
import type { AnyLayoutType, InferInit, InferView, PayloadType, SliceType } from "./layout.js";
import { Resource } from "./lifecycle.js";
import { attempt, err, type Result } from "./result.js";

/** What `sample.payload` is for a payload type: a value (primitives), an accessor (arrays, structs) or a slice view. */
export type PayloadView<P> = InferView<P>;
/** What `sample.payload = value` and `sendCopy(value)` accept. */
export type PayloadInit<P> = InferInit<P>;
/** The user header's view; `undefined` for services without one. */
export type HeaderView<H> = H extends AnyLayoutType ? PayloadView<H> : undefined;

const KEEPS_PARENT_ALIVE = Symbol("iceoryx2-js parent");

/**
 * The bytes of a slice payload for a send-copy: `value` must be an array, a typed array or
 * another iterable of elements; each element is checked by the slice's element type.
 */
export function sliceCopyBytes(type: SliceType<any, any, any, any>, value: unknown): Uint8Array {
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

/** Reads the layout the backend wrote into `sampleInfo` for the buffer it just returned. */
export function readSampleInfo(native: Native): { handle: Handle; payloadOffset: number; payloadLength: number; userHeaderLength: number } {
  const info = native.backend.sampleInfo;
  return {
    handle: info[SampleInfo.handle]!,
    payloadOffset: info[SampleInfo.payloadOffset]!,
    payloadLength: info[SampleInfo.payloadLength]!,
    userHeaderLength: info[SampleInfo.userHeaderLength]!,
  };
}

/** What every sample-like message shares: one buffer over user header and payload, detached on release. */
export abstract class SampleBase<P extends PayloadType, H extends AnyLayoutType | undefined> extends Resource {
  readonly #buffer: ArrayBuffer;
  #detached = false;
  readonly #payloadType: P;
  readonly #headerType: H;
  readonly #payloadOffset: number;
  readonly #payloadLength: number;
  #payloadView: DataView | undefined;
  #headerView: DataView | undefined;
  #payloadAccessor: unknown;
  #headerAccessor: unknown;

  protected constructor(parent: Resource, native: Native, buffer: ArrayBuffer, payloadType: P, headerType: H) {
    const info = readSampleInfo(native);
    // Garbage collection releases the sample only once its buffer is unreachable, i.e. when no
    // view can read its memory any more.
    super(native, info.handle, parent, buffer);
    // The buffer (and so every view) keeps the parent reachable: otherwise a view could outlive
    // both the sample and its port, whose finalizer would release the memory under the view.
    Object.defineProperty(buffer, KEEPS_PARENT_ALIVE, { value: parent });
    this.#buffer = buffer;
    this.#payloadType = payloadType;
    this.#headerType = headerType;
    this.#payloadOffset = info.payloadOffset;
    this.#payloadLength = info.payloadLength;
  }

  protected override closedError(): Iox2Error {
    return new Iox2Error("SampleReleased", `${this.label} was already sent or released`);
  }

  /** Whether views are read-only (received samples: subscribers map shared memory read-only). */
  protected abstract get readonly(): boolean;

  /** Number of payload elements: 1 for fixed-size payloads, the slice length otherwise. */
  get length(): number {
    const type = this.#payloadType;
    return type.kind === "slice" ? this.#payloadLength / type.elementSize : 1;
  }

  protected get buffer(): ArrayBuffer {
    if (this.isClosed) throw this.closedError();
    return this.#buffer;
  }

  #payloadDataView(): DataView {
    if (this.isClosed) throw this.closedError();
    return (this.#payloadView ??= new DataView(this.#buffer, this.#payloadOffset, this.#payloadLength));
  }

  /** The payload: a value for primitives, a zero-copy accessor for arrays and structs, a slice view for slices. */
  get payload(): PayloadView<P> {
    if (this.isClosed) throw this.closedError();
    const type = this.#payloadType;
    if (type.kind === "primitive") return type.get(this.#payloadDataView(), 0) as PayloadView<P>;
    if (this.#payloadAccessor === undefined) {
      const view = this.#payloadDataView();
      this.#payloadAccessor =
        type.kind === "slice"
          ? type.view(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), this.length, { readonly: this.readonly })
          : type.get(view, 0, { readonly: this.readonly });
    }
    return this.#payloadAccessor as PayloadView<P>;
  }

  /** The user header, as `payload` is; `undefined` when the service has none. */
  get userHeader(): HeaderView<H> {
    const type = this.#headerType;
    if (type === undefined) return undefined as HeaderView<H>;
    if (this.isClosed) throw this.closedError();
    const view = (this.#headerView ??= new DataView(this.#buffer, 0, type.size));
    if (type.kind === "primitive") return type.get(view, 0) as HeaderView<H>;
    return (this.#headerAccessor ??= type.get(view, 0, { readonly: this.readonly })) as HeaderView<H>;
  }

  protected writePayload(value: PayloadInit<P>): void {
    const type = this.#payloadType;
    if (type.kind === "slice") (this.payload as InferView<typeof type>).write(value as never, 0);
    else type.set(this.#payloadDataView(), 0, value);
  }

  protected writeUserHeader(value: unknown): void {
    const type = this.#headerType;
    if (type === undefined) throw new Iox2Error("InvalidArgument", "this service has no user header");
    if (this.isClosed) throw this.closedError();
    type.set((this.#headerView ??= new DataView(this.#buffer, 0, type.size)), 0, value);
  }

  protected get payloadRange(): { offset: number; length: number } {
    return { offset: this.#payloadOffset, length: this.#payloadLength };
  }

  /** Returns the sample's memory to iceoryx2; every view of it becomes unusable. Same as `close()`. */
  release(): void {
    this.close();
  }

  /** Detaches and releases in one native call. */
  override close(): void {
    if (this.isClosed) return;
    const handle = this.handle;
    this.#detached = true;
    this.markClosed();
    this.native.consume("close", handle, this.#buffer);
  }

  /** Detaches the buffer once; later reads through any view throw `SampleReleased`. */
  protected detachBuffer(): void {
    if (this.#detached) return;
    this.#detached = true;
    this.native.backend.detach(this.#buffer);
  }

  protected override onClosed(): void {
    this.detachBuffer();
  }

  /** Sends (for loaned samples) after detaching; the native sample is consumed either way. */
  protected consume(send: (native: Native, handle: Handle, buffer: ArrayBuffer) => number): Result<number> {
    const handle = this.isClosed ? 0 : this.handle;
    if (handle === 0) return attempt(() => { throw this.closedError(); });
    this.#detached = true;
    const result = attempt(() => send(this.native, handle, this.#buffer));
    this.markClosed();
    return result;
  }
}

/**
 * A loaned sample: its payload and user header are writable, zero-copy views into shared
 * memory. `send()` publishes it; `release()` (or `close()`) gives it back unsent. After either,
 * every view of it throws `SampleReleased`.
 */
export class SampleMut<P extends PayloadType, H extends AnyLayoutType | undefined> extends SampleBase<P, H> {
  readonly #afterSend: (() => Result<void>) | undefined;

  /** @internal Created by `Publisher.loan*()`; `afterSend` runs after a successful send. */
  constructor(parent: Resource, native: Native, buffer: ArrayBuffer, payloadType: P, headerType: H, afterSend?: () => Result<void>) {
    super(parent, native, buffer, payloadType, headerType);
    this.#afterSend = afterSend;
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

  /** The payload's raw bytes: a writable zero-copy view (detached after send/release). */
  get payloadBytes(): Uint8Array {
    const { offset, length } = this.payloadRange;
    return new Uint8Array(this.buffer, offset, length);
  }

  /** Publishes the sample; returns how many subscribers it reached. */
  send(): Result<number> {
    const sent = this.consume((native, handle, buffer) => native.consume("sampleSend", handle, buffer));
    const notified = sent.isOk() ? this.#afterSend?.() : undefined;
    return notified?.isErr() ? err(notified.error) : sent;
  }
}

/**
 * A received sample: payload and user header are read-only zero-copy views into the
 * publisher's shared memory (subscribers map it read-only). `release()` returns it; afterwards
 * every view throws `SampleReleased`.
 */
export class Sample<P extends PayloadType, H extends AnyLayoutType | undefined> extends SampleBase<P, H> {
  /** @internal Created by `Subscriber.receive()`. */
  constructor(parent: Resource, native: Native, buffer: ArrayBuffer, payloadType: P, headerType: H) {
    super(parent, native, buffer, payloadType, headerType);
  }

  protected get label(): string {
    return "Sample";
  }

  protected get readonly(): boolean {
    return true;
  }

  /** A copy of the payload's bytes (the shared memory itself is read-only). */
  copyPayloadBytes(): Uint8Array {
    const { offset, length } = this.payloadRange;
    return new Uint8Array(this.buffer, offset, length).slice();
  }
}
