import type { ServiceIdentity } from "../ports/service-builder.js";
import { checkPortName, portName, withName } from "../ports/port-name.js";
import type { PubSubPorts, PublisherInfo, PublishSubscribeQos, SendingPortSettings, SubscriberInfo } from "../generated/control.js";

/** The ports a publish-subscribe service has: declared once, in the Rust core. */
export type { PubSubPorts, PublisherInfo, SubscriberInfo };
import type { Handle } from "../native/backend.js";
import type { Native } from "../native/native.js";
import { Iox2Error } from "../base/errors.js";
import type { AnyLayoutType, PayloadType } from "../layout/index.js";
import { nativeOf, Resource } from "../ports/lifecycle.js";
import type { Node } from "../node/node.js";
import { attempt, err, ok, okCount, type Result } from "../base/result.js";
import { Companion, PubSubEvent, wokenBy } from "./event.js";
import type { StreamOptions } from "../ports/waiting.js";
import { ReceiveBatch, SendBatch } from "./batches.js";
import { rebindSample, Sample, SampleMut, sliceCopyBytes, type PayloadInit, type SendingPort } from "../ports/sample.js";
import { headerDetailsOf, typeDetailsOf, type TypeDetails } from "../layout/type-details.js";
import { ConnectedPortBuilder, SendingPortBuilder, type AllocationStrategy, type BackpressureStrategy, type SendingPortOptions } from "../ports/port-builder.js";
import { closePortEvents } from "../ports/port-events.js";
import type { LayoutRole } from "../layout/attribute.js";
import { flatbufferBytes, flatbufferLoanRefused, flatbufferSpec } from "../layout/flatbuffer.js";
import { checkAlignment, checkCounts, checkSchemaPath, MAX_COUNT, ServiceBuilderBase, type Attribute, type OpenMode } from "../ports/service-builder.js";

/** Quality of service of a publish-subscribe service: declared once, in the Rust core. */
export type { PublishSubscribeQos };

/** The static configuration of an open service, as iceoryx2 stores it. */
export interface PublishSubscribeStaticConfig extends ServiceIdentity {
  /** The service name. */
  name: string;
  /** The payload type as the creator declared it. */
  payload: TypeDetails;
  /** The user header type; upstream's unit type `()` (size 0) when the service has none. */
  userHeader: TypeDetails;
  /** The QoS the service was created with, every value set. */
  qos: Required<PublishSubscribeQos>;
  /** The attributes the creator defined. */
  attributes: Attribute[];
}

/**
 * Builds a publish-subscribe service (upstream's `service_builder(name).publish_subscribe::<P>()`).
 *
 * QoS setters only record a value; `create()`, `open()` and `openOrCreate()` check them. When
 * creating, a value not set comes from the node's config (`[defaults.publish-subscribe]`, see
 * {@link ConfigOptions}; the `@defaultValue` shown is iceoryx2's built-in value). When opening,
 * a value set is a requirement: counts are minimums, `enableSafeOverflow` must match; otherwise
 * `IncompatibleQos`. A value not set is no requirement. Counts must be integers from 1 (0 for
 * `historySize`) up to this library's limit (65536; 4096 for `maxPublishers`, `maxSubscribers`
 * and `maxNodes`), else `InvalidArgument`.
 */
export class PublishSubscribeServiceBuilder<P extends PayloadType, H extends AnyLayoutType | undefined> extends ServiceBuilderBase<
  PublishSubscribeService<P, H>
> {
  readonly #qos: PublishSubscribeQos = {};
  #payloadAlignment: number | undefined;
  #schemaPath: string | undefined;

  /**
   * @internal Created by `node.serviceBuilder(name).publishSubscribe(type)`.
   * @param payloadType The payload's layout type.
   * @param userHeaderType The user header's layout type; `undefined` without one.
   */
  constructor(
    node: Node,
    name: string,
    readonly payloadType: P,
    readonly userHeaderType: H,
  ) {
    super(node, name);
  }

  /** Adds a user header of type `header` to every sample (upstream's `user_header::<T>()`). */
  userHeader<H2 extends AnyLayoutType>(header: H2): PublishSubscribeServiceBuilder<P, H2> {
    const next = new PublishSubscribeServiceBuilder(this.node, this.name, this.payloadType, header);
    Object.assign(next.#qos, this.#qos);
    next.#payloadAlignment = this.#payloadAlignment;
    next.#schemaPath = this.#schemaPath;
    this.copyAttributesTo(next);
    return next;
  }

  /**
   * How many of its latest samples each publisher keeps for subscribers that join later; a new
   * subscriber receives up to its `historyRequest` of them. 0 disables the history. Creating
   * with safe overflow off and a history larger than `subscriberMaxBufferSize` fails with
   * `InvalidArgument`. Upstream's `history_size`; the config key says `publisher-history-size`.
   * @defaultValue 0 (config `defaults.publish-subscribe.publisher-history-size`)
   */
  historySize(value: number): this {
    this.#qos.historySize = value;
    return this;
  }
  /**
   * The longest queue a subscriber may have (samples received by the subscriber's port but not
   * yet taken with `receive()`). Each subscriber picks its own queue length up to this with
   * `SubscriberBuilder.bufferSize`. What happens when a queue is full: see `enableSafeOverflow`.
   * @defaultValue 2 (config `defaults.publish-subscribe.subscriber-max-buffer-size`)
   */
  subscriberMaxBufferSize(value: number): this {
    this.#qos.subscriberMaxBufferSize = value;
    return this;
  }
  /**
   * How many samples a subscriber may hold at once (received, not yet released); `receive()`
   * beyond that fails with `ExceedsMaxBorrows` until one is released.
   * @defaultValue 2 (config `defaults.publish-subscribe.subscriber-max-borrowed-samples`)
   */
  subscriberMaxBorrowedSamples(value: number): this {
    this.#qos.subscriberMaxBorrowedSamples = value;
    return this;
  }
  /**
   * The most publishers the service supports at once; creating one more fails with `LimitReached`.
   * @defaultValue 2 (config `defaults.publish-subscribe.max-publishers`)
   */
  maxPublishers(value: number): this {
    this.#qos.maxPublishers = value;
    return this;
  }
  /**
   * The most subscribers the service supports at once; creating one more fails with `LimitReached`.
   * @defaultValue 8 (config `defaults.publish-subscribe.max-subscribers`)
   */
  maxSubscribers(value: number): this {
    this.#qos.maxSubscribers = value;
    return this;
  }
  /**
   * The most nodes (in practice: processes) that may have the service open at once; opening it
   * from one more fails with `LimitReached`.
   * @defaultValue 20 (config `defaults.publish-subscribe.max-nodes`)
   */
  maxNodes(value: number): this {
    this.#qos.maxNodes = value;
    return this;
  }
  /**
   * What a send does when a subscriber's queue is full. Enabled, the new sample replaces the
   * oldest one the subscriber has not received yet: that one is lost to it, without an error.
   * Disabled, the publisher's `backpressure` strategy decides: `"retryUntilDelivered"` blocks the
   * sending thread (and so the event loop) until the subscriber makes room or disconnects,
   * `"discardData"` skips that subscriber for this sample (`send()` counts only the subscribers
   * reached). When opening, the service's setting must be the same.
   * @defaultValue true (config `defaults.publish-subscribe.enable-safe-overflow`)
   */
  enableSafeOverflow(value: boolean): this {
    this.#qos.enableSafeOverflow = value;
    return this;
  }

  /**
   * Aligns every payload to at least `bytes` (a power of two up to 4096), beyond its type's own
   * alignment: for SIMD loads or DMA. Upstream's `payload_alignment`; the service's payload type
   * then has this alignment, so peers must ask for the same. When opening, the service must
   * have at least this alignment.
   * @defaultValue the payload type's own alignment
   */
  payloadAlignment(bytes: number): this {
    this.#payloadAlignment = bytes;
    return this;
  }

  /**
   * The binary schema (`.bfbs`, from `flatc --binary --schema`) of a flatbuffer payload:
   * absolute, or relative to the config's `flatbufferSchemaPath`. Upstream's
   * `flatbuffer_schema_path`; without it iceoryx2 looks for `<rootType>.bfbs` under the config's
   * path. Every process on the service must use a byte-identical schema.
   * @defaultValue none (looked up by root type)
   */
  flatbufferSchemaPath(path: string): this {
    this.#schemaPath = path;
    return this;
  }

  protected override validate(): Iox2Error | undefined {
    const schema = checkSchemaPath("flatbufferSchemaPath", this.#schemaPath, this.payloadType);
    if (schema !== undefined) return schema;
    const alignment = checkAlignment("payloadAlignment", this.#payloadAlignment);
    if (alignment !== undefined) return alignment;
    if (this.#qos.enableSafeOverflow !== undefined && typeof this.#qos.enableSafeOverflow !== "boolean") {
      return new Iox2Error("InvalidArgument", "enableSafeOverflow must be a boolean");
    }
    return checkCounts(this.#qos, (name) => (name === "historySize" ? 0 : 1));
  }

  protected override layoutTypes(): readonly { role: LayoutRole; type: PayloadType | undefined }[] {
    return [
      { role: "payload", type: this.payloadType },
      { role: "user-header", type: this.userHeaderType },
    ];
  }

  protected openService(native: Native, node: Handle, spec: { name: string; mode: OpenMode }): PublishSubscribeService<P, H> {
    const service = native.control("pubsub.serviceOpen", node, {
      ...spec,
      payload: typeDetailsOf(this.payloadType),
      userHeader: headerDetailsOf(this.userHeaderType),
      qos: this.#qos,
      payloadAlignment: this.#payloadAlignment,
      flatbuffer: this.payloadType.kind === "flatbuffer" ? flatbufferSpec(this.payloadType, this.#schemaPath) : undefined,
    });
    return new PublishSubscribeService(this.node, native, service, this.name, this.payloadType, this.userHeaderType);
  }
}

/** An open publish-subscribe service: the factory of its publishers and subscribers. */
export class PublishSubscribeService<P extends PayloadType, H extends AnyLayoutType | undefined> extends Resource {
  /**
   * @internal
   * @param node The node the service was opened or created through.
   * @param name The service name.
   * @param payloadType The payload's layout type.
   * @param userHeaderType The user header's layout type; `undefined` without one.
   */
  constructor(
    readonly node: Node,
    native: Native,
    handle: Handle,
    readonly name: string,
    readonly payloadType: P,
    readonly userHeaderType: H,
  ) {
    super(native, handle, node);
  }

  protected get label(): string {
    return `Service '${this.name}'`;
  }

  /** The service's static configuration (types and QoS), as stored by whoever created it. */
  staticConfig(): Result<PublishSubscribeStaticConfig> {
    return attempt(() => this.native.control("pubsub.serviceInfo", this.handle));
  }

  /**
   * Every publisher and subscriber the service has now, in every process, with ids, names,
   * nodes and settings (upstream's dynamic config: `list_publishers`, `list_subscribers`).
   */
  ports(): Result<PubSubPorts> {
    return attempt(() => this.native.control("pubsub.servicePorts", this.handle));
  }

  /** Starts building a publisher of this service. */
  publisherBuilder(): PublisherBuilder<P, H> {
    return new PublisherBuilder(this);
  }

  /** Starts building a subscriber of this service. */
  subscriberBuilder(): SubscriberBuilder<P, H> {
    return new SubscriberBuilder(this);
  }
}

export type { AllocationStrategy, BackpressureStrategy } from "../ports/port-builder.js";

/** The options a {@link PublisherBuilder} collects; its setters explain each one. */
export interface PublisherOptions extends SendingPortOptions {
  /** Samples the publisher can have loaned at once. */
  maxLoanedSamples?: number;
  /** Samples the data segment holds instead of iceoryx2's worst case. */
  samplePreallocation?: number;
}

/**
 * Builds a {@link Publisher} (upstream's `publisher_builder()`); made by
 * {@link PublishSubscribeService.publisherBuilder}. Setters only record a value; `create()`
 * checks them (counts are integers from 1 up to this library's limit, else `InvalidArgument`).
 */
export class PublisherBuilder<P extends PayloadType, H extends AnyLayoutType | undefined> extends SendingPortBuilder<PublisherOptions> {
  /**
   * @internal
   * @param service The service the publisher will send on.
   */
  constructor(readonly service: PublishSubscribeService<P, H>) {
    super();
  }

  /**
   * How many samples this publisher can have loaned at once (loaned, not yet sent or released);
   * one more `loan()` fails with `ExceedsMaxLoans`. Upstream's `max_loaned_samples`; the config
   * key says `publisher-max-loaned-samples`.
   * @defaultValue 2 (config `defaults.publish-subscribe.publisher-max-loaned-samples`)
   */
  maxLoanedSamples(value: number): this {
    this.options.maxLoanedSamples = value;
    return this;
  }

  /**
   * How many samples the publisher's data segment holds (upstream's
   * `override_sample_preallocation`). By default iceoryx2 preallocates for the worst case,
   * `maxSubscribers × (subscriberMaxBufferSize + subscriberMaxBorrowedSamples) + historySize +
   * maxLoanedSamples` (34 at default QoS): for big payloads (video frames) that can be far more
   * memory than the stream ever uses at once. Fewer samples save that memory; when all are in
   * use (queued, borrowed or loaned), `loan()` fails with `OutOfMemory` until subscribers
   * release some. Values above the worst case are lowered to it.
   * @defaultValue the worst case above
   */
  samplePreallocation(samples: number): this {
    this.options.samplePreallocation = samples;
    return this;
  }

  /**
   * Creates the publisher. Fails with `LimitReached` when the service already has
   * `maxPublishers` publishers, `InvalidArgument` for an option out of range (or a data segment
   * that would exceed this library's size limit), `HandleClosed` when the service is closed; with
   * `notifyOnSend()`, also with the errors of opening the event service of the same name.
   */
  create(): Result<Publisher<P, H>> {
    const invalid = this.checkOptions();
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      const { native, handle } = nativeOf(this.service);
      const companion = this.notifies ? new Companion(this.service) : undefined;
      try {
        companion?.notifier(); // opened now, so a failure shows at create()
        return this.withPortEvents(native, "Publisher", (events) => {
          const publisher = native.control("pubsub.publisherCreate", handle, { ...this.options, ...events });
          // Upstream's event-based publisher announces itself; subscribers waiting on events wake.
          companion?.notify(PubSubEvent.PublisherConnected).unwrap();
          return withName(new Publisher(this.service, native, publisher, companion), this.options.name);
        });
      } catch (error) {
        companion?.close();
        throw error;
      }
    });
  }
}

/** A slot's one sample, made on its first loan or receive, and the `Ok` every later one returns. */
interface SlotState<S> {
  sample: S | undefined;
  result: Result<S> | undefined;
}

function fill<S>(slot: SlotState<S>, sample: S): void {
  slot.sample = sample;
  slot.result = Object.freeze(ok(sample));
}

let slotLoan: <P extends PayloadType, H extends AnyLayoutType | undefined>(
  publisher: Publisher<P, H>,
  slot: SlotState<SampleMut<P, H>>,
  length: number | undefined,
  zeroed: boolean,
) => Result<SampleMut<P, H>>;

let slotReceive: <P extends PayloadType, H extends AnyLayoutType | undefined>(
  subscriber: Subscriber<P, H>,
  slot: SlotState<Sample<P, H>>,
) => Result<Sample<P, H> | null>;

/** Sends samples: loan, fill in place, send; or `sendCopy(value)`. */
export class Publisher<P extends PayloadType, H extends AnyLayoutType | undefined> extends Resource {
  /** The service's payload type. */
  readonly payloadType: P;
  /** The service's user header type; `undefined` without one. */
  readonly userHeaderType: H;
  #scratch: { bytes: Uint8Array; view: DataView } | undefined;
  readonly #companion: Companion | undefined;
  /** What its samples need to be sent. */
  readonly #sending: SendingPort;

  /** @internal `companion` is the event service to notify after each send (`notifyOnSend()`). */
  constructor(service: PublishSubscribeService<P, H>, native: Native, handle: Handle, companion?: Companion) {
    super(native, handle, service);
    this.payloadType = service.payloadType;
    this.userHeaderType = service.userHeaderType;
    this.#companion = companion;
    this.#sending = {
      afterSend: companion === undefined ? undefined : () => companion.notify(PubSubEvent.SentSample),
    };
  }

  protected override onClosed(): void {
    this.#companion?.notify(PubSubEvent.PublisherDisconnected); // best effort: closing never fails
    this.#companion?.close();
    closePortEvents(this);
  }

  protected get label(): string {
    return "Publisher";
  }

  #loan(elements: number, zeroed: boolean, slot?: SlotState<SampleMut<P, H>>): Result<SampleMut<P, H>> {
    try {
      this.native.ops.publisherLoan(this.handle, elements, zeroed ? 1 : 0);
      let sample = slot?.sample;
      if (sample === undefined) {
        sample = new SampleMut(this, this.native, this.payloadType, this.userHeaderType, this.#sending);
        if (slot !== undefined) fill(slot, sample);
      } else {
        rebindSample(sample);
      }
      if (zeroed) sample.initializeZeroed();
      return slot === undefined ? ok(sample) : slot.result!;
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }

  /** A loan into `slot`: checked as the matching `loan*()`, after releasing a loan still held there. */
  #slotLoan(slot: SlotState<SampleMut<P, H>>, length: number | undefined, zeroed: boolean): Result<SampleMut<P, H>> {
    const invalid =
      length === undefined ? this.#requireFixed(zeroed ? "loanSlice(length)" : "loanSliceUninit(length)") : this.#requireSlice(length);
    if (invalid !== undefined) return err(invalid);
    try {
      slot.sample?.release(); // one loan at a time (nothing happens when it was sent)
    } catch (error) {
      return err(Iox2Error.from(error));
    }
    return this.#loan(length ?? 1, zeroed, slot);
  }

  /**
   * A slot that loans into one reusable sample: the zero-garbage form of `loan*()` → write →
   * `send()` for steady streams (see {@link LoanSlot}).
   */
  loanSlot(): LoanSlot<P, H> {
    return new LoanSlot(this);
  }

  /**
   * A batch that loans many samples per call (up to `RECEIVED_PER_CALL`, within
   * `maxLoanedSamples`) and sends them together: the form of `loan()` → `send()` for bursts
   * (see {@link SendBatch}). Its loans are zeroed unless `zeroed` is false (as `loanUninit()`).
   * Fails with `HandleClosed` once the publisher is closed, `InvalidArgument` for a bad option.
   */
  sendBatch(options: { zeroed?: boolean } = {}): Result<SendBatch<P, H>> {
    const zeroed = (options as { zeroed?: unknown } | null | undefined)?.zeroed ?? true;
    if (typeof zeroed !== "boolean") return err(new Iox2Error("InvalidArgument", `zeroed must be a boolean, got ${typeof zeroed}`));
    return attempt(() => {
      const handle = this.native.control("pubsub.sendBatchCreate", this.handle, { zeroed });
      const sending = {
        afterSend: this.#sending.afterSend,
        checkLength: (length: number | undefined) => (length === undefined ? this.#requireFixed("loan(count, length)") : this.#requireSlice(length)),
      };
      return new SendBatch(this, this.native, handle, sending, zeroed);
    });
  }

  static {
    slotLoan = (publisher, slot, length, zeroed) => publisher.#slotLoan(slot, length, zeroed);
  }

  #requireFixed(what: string): Iox2Error | undefined {
    if (this.payloadType.kind === "flatbuffer") return flatbufferLoanRefused("the payload");
    return this.payloadType.kind === "slice"
      ? new Iox2Error("InvalidArgument", `the payload is a slice of '${this.payloadType.typeName}': use ${what}`)
      : undefined;
  }

  #requireSlice(length: number): Iox2Error | undefined {
    if (this.payloadType.kind === "flatbuffer") return flatbufferLoanRefused("the payload");
    if (this.payloadType.kind !== "slice") {
      return new Iox2Error("InvalidArgument", `the payload '${this.payloadType.typeName}' is not a slice: use loan()`);
    }
    if (!Number.isInteger(length) || length < 1 || length > MAX_COUNT) {
      return new Iox2Error("InvalidArgument", `slice length must be an integer in 1..${MAX_COUNT}, got ${String(length)}`);
    }
    return undefined;
  }

  /**
   * Loans a sample whose payload and user header start zeroed. Fails with `ExceedsMaxLoans`
   * when `maxLoanedSamples` samples are already loaned, `OutOfMemory` when the data segment has
   * no free chunk, `InvalidArgument` for a slice payload (use `loanSlice`).
   */
  loan(): Result<SampleMut<P, H>> {
    const invalid = this.#requireFixed("loanSlice(length)");
    return invalid === undefined ? this.#loan(1, true) : err(invalid);
  }

  /** Loans a sample without clearing it: the bytes are whatever the chunk held before. */
  loanUninit(): Result<SampleMut<P, H>> {
    const invalid = this.#requireFixed("loanSliceUninit(length)");
    return invalid === undefined ? this.#loan(1, false) : err(invalid);
  }

  /**
   * Loans a slice sample of `length` elements, zeroed. Fails like `loan()`, and with
   * `OutOfMemory` when `length` exceeds `initialMaxSliceLen` under the `"static"` allocation
   * strategy; `InvalidArgument` for a fixed-size payload or a `length` below 1.
   */
  loanSlice(length: number): Result<SampleMut<P, H>> {
    const invalid = this.#requireSlice(length);
    return invalid === undefined ? this.#loan(length, true) : err(invalid);
  }

  /** Loans a slice sample of `length` elements without clearing it. */
  loanSliceUninit(length: number): Result<SampleMut<P, H>> {
    const invalid = this.#requireSlice(length);
    return invalid === undefined ? this.#loan(length, false) : err(invalid);
  }

  /**
   * Copies `value` (and `userHeader`) into a new sample and sends it in one native call;
   * returns how many subscribers it reached. Fails like `loan()` and `SampleMut.send()`, and
   * with `InvalidArgument` for a value that does not fit the payload type.
   */
  sendCopy(value: PayloadInit<P>, userHeader?: H extends AnyLayoutType ? PayloadInit<H> : never): Result<number> {
    let reached: number;
    try {
      reached = this.native.ops.publisherSendCopy(this.handle, this.#payloadBytes(value), this.#headerBytes(userHeader));
    } catch (error) {
      return err(Iox2Error.from(error));
    }
    const notified = this.#sending.afterSend?.();
    return notified?.isErr() ? err(notified.error) : okCount(reached);
  }

  /** `value` encoded: as it is for a typed array of a slice's element, else in a scratch buffer. */
  #payloadBytes(value: unknown): Uint8Array {
    const type = this.payloadType;
    if (type.kind === "slice") return sliceCopyBytes(type, value);
    if (type.kind === "flatbuffer") return flatbufferBytes(value);
    const scratch = (this.#scratch ??= scratchFor(type.size));
    type.set(scratch.view, 0, value);
    return scratch.bytes;
  }

  #headerBytes(userHeader: unknown): Uint8Array | null {
    if (userHeader === undefined) return null;
    const headerType = this.userHeaderType;
    if (headerType === undefined) throw new Iox2Error("InvalidArgument", "this service has no user header");
    const scratch = scratchFor(headerType.size);
    headerType.set(scratch.view, 0, userHeader);
    return scratch.bytes;
  }

  #id: string | undefined;

  /**
   * This publisher's system-wide unique id, as upstream prints it (hexadecimal): the same in every
   * process and language that looks at it. Read once while open, then remembered.
   */
  get id(): string {
    return (this.#id ??= this.native.control("pubsub.publisherId", this.handle));
  }

  /** The name the port was built with (`name(…)` on its builder); "" when it has none. */
  get name(): string {
    return portName(this);
  }

  #settings: SendingPortSettings | undefined;
  /** Its settings, read once while open, then remembered (they never change). */
  #portSettings(): SendingPortSettings {
    return (this.#settings ??= this.native.control("pubsub.publisherSettings", this.handle));
  }
  /** Samples it may have loaned at once (`maxLoanedSamples` on its builder). */
  get maxLoanedSamples(): number {
    return this.#portSettings().maxLoanedSamples!;
  }
  /** Slice payloads: the element count its data segment was first sized for. */
  get initialMaxSliceLen(): number {
    return this.#portSettings().initialMaxSliceLen;
  }
  /** How its data segment grows for slices beyond `initialMaxSliceLen`. */
  get allocationStrategy(): AllocationStrategy {
    return this.#portSettings().allocationStrategy!;
  }
  /** What a send does when a subscriber's buffer is full (the effective `backpressure`). */
  get backpressureStrategy(): BackpressureStrategy {
    return this.#portSettings().backpressureStrategy;
  }

  /** Connects to subscribers that joined since the last send and delivers their history. */
  updateConnections(): Result<void> {
    return attempt(() => void this.native.ops.publisherUpdateConnections(this.handle, 0));
  }
}

/** The result of every empty `receive()`: one shared object, no allocation. */
const NOTHING_RECEIVED: Result<null> = Object.freeze(ok(null));

/**
 * Loans from a publisher into one reusable {@link SampleMut} (made by
 * {@link Publisher.loanSlot}): the zero-garbage form of `loan*()` → write → `send()` for steady
 * streams. Every loan returns the same sample object, in the same `Ok`, pointed at a new chunk;
 * its payload and header views are the same objects too (a slice view is made anew only when
 * the length changes). One loan at a time: loaning again releases a loan not yet sent.
 *
 * Between a sample's `send()` (or `release()`) and the next loan, the sample and its views
 * throw `SampleReleased`; the next loan makes them stand for the new sample. So do not keep
 * them across loans: what the plain `loan*()` methods return is yours to keep, this is not.
 *
 * ```ts
 * const slot = publisher.loanSlot();
 * for (const reading of readings) {
 *   const sample = slot.loan().unwrap();
 *   sample.payload.temperature = reading; // the same accessor every time
 *   sample.send().unwrap();
 * }
 * ```
 */
export class LoanSlot<P extends PayloadType, H extends AnyLayoutType | undefined> {
  readonly #slot: SlotState<SampleMut<P, H>> = { sample: undefined, result: undefined };

  /**
   * @internal Made by {@link Publisher.loanSlot}.
   * @param publisher The publisher this slot loans from.
   */
  constructor(readonly publisher: Publisher<P, H>) {}

  /** As {@link Publisher.loan}, into this slot's sample. */
  loan(): Result<SampleMut<P, H>> {
    return slotLoan(this.publisher, this.#slot, undefined, true);
  }
  /** As {@link Publisher.loanUninit}, into this slot's sample. */
  loanUninit(): Result<SampleMut<P, H>> {
    return slotLoan(this.publisher, this.#slot, undefined, false);
  }
  /** As {@link Publisher.loanSlice}, into this slot's sample. */
  loanSlice(length: number): Result<SampleMut<P, H>> {
    return slotLoan(this.publisher, this.#slot, length, true);
  }
  /** As {@link Publisher.loanSliceUninit}, into this slot's sample. */
  loanSliceUninit(length: number): Result<SampleMut<P, H>> {
    return slotLoan(this.publisher, this.#slot, length, false);
  }
}

/**
 * Receives into one reusable {@link Sample} (made by {@link Subscriber.receiveSlot}): the
 * zero-garbage form of `receive()` → read → `release()` for steady streams. Every sample
 * received returns the same object, in the same `Ok`, pointed at the new chunk; its views are
 * the same objects too (a slice view is made anew only when the length changes). One sample at
 * a time: receiving again releases the sample still held (so a loop need not release).
 *
 * Between a `release()` and the next sample, the sample and its views throw `SampleReleased`;
 * the next sample makes them stand for it. So do not keep them across receives: what
 * `Subscriber.receive()` returns is yours to keep, this is not.
 *
 * ```ts
 * const slot = subscriber.receiveSlot();
 * for (let sample = slot.receive().unwrap(); sample !== null; sample = slot.receive().unwrap()) {
 *   total += sample.payload.temperature;
 * }
 * ```
 */
export class ReceiveSlot<P extends PayloadType, H extends AnyLayoutType | undefined> {
  readonly #slot: SlotState<Sample<P, H>> = { sample: undefined, result: undefined };

  /**
   * @internal Made by {@link Subscriber.receiveSlot}.
   * @param subscriber The subscriber this slot receives from.
   */
  constructor(readonly subscriber: Subscriber<P, H>) {}

  /** As {@link Subscriber.receive}, into this slot's sample (releasing the one held before). */
  receive(): Result<Sample<P, H> | null> {
    return slotReceive(this.subscriber, this.#slot);
  }
}

function scratchFor(size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(size);
  return { bytes, view: new DataView(bytes.buffer) };
}

interface SubscriberOptions {
  bufferSize?: number;
  historyRequest?: number;
}

/**
 * Builds a {@link Subscriber} (upstream's `subscriber_builder()`); made by
 * {@link PublishSubscribeService.subscriberBuilder}. Setters only record a value; `create()`
 * checks them.
 */
export class SubscriberBuilder<P extends PayloadType, H extends AnyLayoutType | undefined> extends ConnectedPortBuilder {
  readonly #options: SubscriberOptions = {};
  #name: string | undefined;

  /**
   * Names the port (upstream's `PortName`: at most 64 ASCII characters without NUL, else `create()` fails with
   * `InvalidArgument`). Peers see it in the service's port details; notifiers list listeners
   * with their names (`Notifier.listeners()`).
   * @defaultValue "" (no name)
   */
  name(value: string): this {
    this.#name = value;
    return this;
  }


  /**
   * @internal
   * @param service The service the subscriber will receive from.
   */
  constructor(readonly service: PublishSubscribeService<P, H>) {
    super();
  }

  /**
   * How many samples this subscriber's queue holds (1 up to the service's
   * `subscriberMaxBufferSize`; more fails `create()` with `IncompatibleQos`).
   * @defaultValue the service's `subscriberMaxBufferSize`, as the service was created
   */
  bufferSize(value: number): this {
    this.#options.bufferSize = value;
    return this;
  }

  /**
   * How many past samples to receive from each publisher's history on connecting (0 up to the
   * service's `historySize` and this subscriber's `bufferSize`; more fails `create()` with
   * `IncompatibleQos`).
   * @defaultValue the smaller of the service's `historySize` and this subscriber's buffer size
   */
  historyRequest(value: number): this {
    this.#options.historyRequest = value;
    return this;
  }

  /**
   * Creates the subscriber. Fails with `LimitReached` when the service already has
   * `maxSubscribers` subscribers, `IncompatibleQos` for a `bufferSize` or `historyRequest` the
   * service does not support, `InvalidArgument` for a value that is not a count, `HandleClosed`
   * when the service is closed.
   */
  create(): Result<Subscriber<P, H>> {
    const invalid = checkCounts({ ...this.#options }, (name) => (name === "historyRequest" ? 0 : 1)) ?? checkPortName(this.#name) ?? this.checkPortEvents();
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      const { native, handle } = nativeOf(this.service);
      return this.withPortEvents(native, "Subscriber", (events) => {
        const subscriber = native.control("pubsub.subscriberCreate", handle, { ...this.#options, name: this.#name, ...events });
        return withName(new Subscriber(this.service, native, subscriber), this.#name);
      });
    });
  }
}

/** Receives samples as read-only zero-copy views. */
export class Subscriber<P extends PayloadType, H extends AnyLayoutType | undefined> extends Resource {
  /** The service's payload type. */
  readonly payloadType: P;
  /** The service's user header type; `undefined` without one. */
  readonly userHeaderType: H;

  /**
   * @internal
   * @param service The service the subscriber receives from.
   */
  constructor(
    readonly service: PublishSubscribeService<P, H>,
    native: Native,
    handle: Handle,
  ) {
    super(native, handle, service);
    this.payloadType = service.payloadType;
    this.userHeaderType = service.userHeaderType;
    this.#companion = new Companion(service);
  }

  /** The event service of the same name, whose listener wakes `samples()`. */
  readonly #companion: Companion;

  protected get label(): string {
    return "Subscriber";
  }

  /**
   * The next sample, or `null` when none is waiting (never blocks). Release it when done: while
   * `subscriberMaxBorrowedSamples` samples are held, it fails with `ExceedsMaxBorrows`. Fails
   * with `ConnectionFailure` when a publisher's connection broke, `HandleClosed` once closed.
   */
  receive(): Result<Sample<P, H> | null> {
    try {
      if (!this.native.ops.subscriberReceive(this.handle, 0, 0)) return NOTHING_RECEIVED;
      return ok(new Sample(this, this.native, this.payloadType, this.userHeaderType));
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }

  /** A receive into `slot`, after releasing the sample still held there. */
  #slotReceive(slot: SlotState<Sample<P, H>>): Result<Sample<P, H> | null> {
    try {
      slot.sample?.release();
      if (!this.native.ops.subscriberReceive(this.handle, 0, 0)) return NOTHING_RECEIVED;
      const sample = slot.sample;
      if (sample === undefined) fill(slot, new Sample(this, this.native, this.payloadType, this.userHeaderType));
      else rebindSample(sample);
      return slot.result!;
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }

  /**
   * A slot that receives into one reusable sample: the zero-garbage form of `receive()` → read
   * → `release()` for steady streams (see {@link ReceiveSlot}).
   */
  receiveSlot(): ReceiveSlot<P, H> {
    return new ReceiveSlot(this);
  }

  /**
   * A batch that takes many samples per call (up to `RECEIVED_PER_CALL`, within
   * `subscriberMaxBorrowedSamples`) and reads them through one reusable sample: the form of
   * `receive()` for the highest rates (see {@link ReceiveBatch}). Fails with `HandleClosed` once
   * the subscriber is closed.
   */
  receiveBatch(): Result<ReceiveBatch<P, H>> {
    return attempt(() => new ReceiveBatch(this, this.native, this.native.control("pubsub.batchCreate", this.handle)));
  }

  static {
    slotReceive = (subscriber, slot) => subscriber.#slotReceive(slot);
  }

  #id: string | undefined;

  /**
   * This subscriber's system-wide unique id, as upstream prints it (hexadecimal). Read once while
   * open, then remembered.
   */
  get id(): string {
    return (this.#id ??= this.native.control("pubsub.subscriberId", this.handle));
  }

  /** The name the port was built with (`name(…)` on its builder); "" when it has none. */
  get name(): string {
    return portName(this);
  }

  #bufferSize: number | undefined;
  /** How many samples it queues (`bufferSize` on its builder, else the service's maximum). Read once while open. */
  get bufferSize(): number {
    return (this.#bufferSize ??= this.native.control("pubsub.subscriberBufferSize", this.handle));
  }

  /** Connects to publishers that appeared since (upstream's `update_connections`; `receive()` does it as well). */
  updateConnections(): Result<void> {
    return attempt(() => void this.native.ops.subscriberUpdateConnections(this.handle, 0));
  }

  /** Whether samples are waiting. */
  hasSamples(): Result<boolean> {
    return attempt(() => this.native.ops.subscriberHasSamples(this.handle, 0) === 1);
  }

  /**
   * The samples as they arrive, without blocking the event loop or spinning: drains
   * `receive()`, then sleeps until a wake-up on the event service of the same name (any id; see
   * `PubSubEvent`, sent by publishers built with `notifyOnSend()`) or until `pollInterval`
   * (default 10 ms) has passed, so publishers that never notify are seen too. Each sample is
   * released when the loop moves on (copy out what you keep). Ends without error when `signal`
   * aborts or the subscriber closes. When this process is the first to need that event service,
   * it creates it with a listener and a notifier for every port of this service
   * (`maxPublishers + maxSubscribers`); one that another process created smaller is opened as it
   * is, and fails with `LimitReached` once its listeners are all in use.
   */
  samples(options?: StreamOptions): AsyncGenerator<Sample<P, H>, void, undefined> {
    return wokenBy(
      this.#companion,
      () => (this.isClosed ? null : (this.receive().unwrap() ?? undefined)),
      options,
      (sample) => sample.release(),
    );
  }

  protected override onClosed(): void {
    this.#companion.close();
    closePortEvents(this);
  }
}

