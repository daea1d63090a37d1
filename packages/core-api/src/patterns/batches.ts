import { RECEIVED_PER_CALL, SAMPLE_SLOTS, SampleInfo } from "../generated/contract.js";
import type { Handle } from "../native/backend.js";
import type { Native } from "../native/native.js";
import { Iox2Error } from "../base/errors.js";
import { err, ok, okCount, type Result } from "../base/result.js";
import type { AnyLayoutType, PayloadType } from "../layout/index.js";
import { needsInitWhenZeroed } from "../layout/index.js";
import { Resource } from "../ports/lifecycle.js";
import { rebindSample, Sample, SampleMut, type SampleBase, type SendingPort } from "../ports/sample.js";
import type { Publisher, Subscriber } from "./publish-subscribe.js";

export { RECEIVED_PER_CALL };

/** What a batch's cursor tells its batch: the sample it stands for is gone (released or sent). */
type OnGone = () => void;

/**
 * The received sample {@link ReceiveBatch.at} returns: one object per batch, standing for one
 * held sample at a time. Releasing it releases that sample only.
 */
class BatchSample<P extends PayloadType, H extends AnyLayoutType | undefined> extends Sample<P, H> {
  readonly #onGone: OnGone;

  constructor(batch: Resource, port: Subscriber<P, H>, native: Native, entries: Float64Array, base: number, onGone: OnGone) {
    super(batch, native, port.payloadType, port.userHeaderType, entries, base);
    this.#onGone = onGone;
  }

  override close(): void {
    if (!this.isClosed) this.#onGone();
    super.close();
  }

  /** Stops standing for its sample without releasing it. */
  forget(): void {
    this.markClosed();
  }
}

/**
 * The loaned sample {@link SendBatch.at} returns: one object per batch, standing for one loaned
 * sample at a time. Sending or releasing it does that to this sample only.
 */
class BatchSampleMut<P extends PayloadType, H extends AnyLayoutType | undefined> extends SampleMut<P, H> {
  readonly #onGone: OnGone;

  constructor(batch: Resource, port: Publisher<P, H>, native: Native, sending: SendingPort, entries: Float64Array, base: number, onGone: OnGone) {
    super(batch, native, port.payloadType, port.userHeaderType, sending, entries, base);
    this.#onGone = onGone;
  }

  override close(): void {
    if (!this.isClosed) this.#onGone();
    super.close();
  }

  override send(): Result<number> {
    if (!this.isClosed) this.#onGone();
    return super.send();
  }

  /** Stops standing for its sample without releasing it. */
  forget(): void {
    this.markClosed();
  }
}

/** The batch's one sample object: it can stop standing for a sample without releasing it. */
type Cursor<S> = S & { forget(): void };

/**
 * What both batches share: the last call's list of samples (`SAMPLE_SLOTS` numbers each; a
 * handle of 0 marks one gone), and the one sample object that stands for one of them at a time.
 */
abstract class Batch<S extends SampleBase<PayloadType, AnyLayoutType | undefined>> extends Resource {
  protected readonly entries = new Float64Array(RECEIVED_PER_CALL * SAMPLE_SLOTS);
  #length = 0;
  #cursor: Cursor<S> | undefined;
  #cursorIndex = -1;
  /** Marks the cursor's sample gone when it is released or sent through the cursor. */
  protected readonly cursorGone = (): void => {
    this.entries[this.#cursorIndex * SAMPLE_SLOTS + SampleInfo.handle] = 0;
    this.#cursorIndex = -1;
  };

  /** How many samples the last call took (gone ones included). */
  get length(): number {
    return this.#length;
  }

  /** Makes the cursor, standing for the sample described at `base` of the entries. */
  protected abstract makeCursor(base: number): Cursor<S>;

  /** Copies what the last memory operation listed into the entries; returns how many. */
  protected takeList(listed: boolean): number {
    const info = this.native.backend.sampleInfo;
    const count = listed ? info[SampleInfo.listed]! : 0;
    const entries = this.entries;
    for (let i = 0, n = count * SAMPLE_SLOTS; i < n; i++) entries[i] = info[SampleInfo.list + i]!;
    this.#length = count;
    return count;
  }

  /** Sample `index`'s cursor (see the subclasses' `at`). */
  protected cursorAt(index: number): S {
    const base = this.base(index);
    let cursor = this.#cursor;
    if (cursor !== undefined && this.#cursorIndex === index && !cursor.isClosed) return cursor;
    if (cursor === undefined) cursor = this.#cursor = this.makeCursor(base);
    else rebindSample(cursor, this.entries, base);
    this.#cursorIndex = index;
    return cursor;
  }

  /** Where sample `index` is described in the entries, checked. */
  protected base(index: number): number {
    if (this.isClosed) throw this.closedError();
    if (!Number.isInteger(index) || index < 0 || index >= this.#length) {
      throw new Iox2Error("OutOfBounds", `the last call took ${this.#length} samples, there is no sample ${String(index)}; index from 0 to ${this.#length - 1}`);
    }
    const base = index * SAMPLE_SLOTS;
    if (this.entries[base + SampleInfo.handle] === 0) {
      throw new Iox2Error("SampleReleased", `sample ${index} of the batch was released, sent or kept since; it is not the batch's any more`);
    }
    return base;
  }

  /** The cursor stops standing for sample `index` (or any, without one). */
  protected forgetCursor(index?: number): void {
    if (index !== undefined && this.#cursorIndex !== index) return;
    this.#cursor?.forget();
    this.#cursorIndex = -1;
  }

  /** All samples are gone (released or sent by the core). */
  protected emptied(): void {
    this.forgetCursor();
    this.#length = 0;
  }

  /** Releases the samples the batch holds; returns how many. The batch stays usable. */
  release(): Result<number> {
    try {
      const handle = this.handle;
      this.forgetCursor();
      const released = this.native.ops.sampleBatchRelease(handle, 0);
      this.#length = 0;
      return okCount(released);
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }

  /** The samples of the last call through the cursor (one object; see `at`). Not gone ones. */
  *[Symbol.iterator](): Iterator<S> {
    for (let i = 0; i < this.#length; i++) {
      if (this.entries[i * SAMPLE_SLOTS + SampleInfo.handle] !== 0) yield this.cursorAt(i);
    }
  }

  protected override onClosed(): void {
    this.#length = 0;
    this.#cursorIndex = -1;
  }
}

/**
 * Receives many samples per call into the native core: the batch form of `receive()` for
 * high-rate streams, made by {@link Subscriber.receiveBatch}. `receive()` first releases what
 * the batch still holds, then takes up to `max` waiting samples (at most
 * {@link RECEIVED_PER_CALL}) in one crossing and returns how many it took. `at(i)` reads them
 * through one reusable sample object, so a batch allocates nothing per sample; `keep(i)` makes a
 * sample of its own that outlives the batch.
 *
 * A batch holds its samples until its next `receive()`, `release()` or `close()`. They count
 * against the service's `subscriberMaxBorrowedSamples` (per publisher; upstream's default is 2),
 * which therefore bounds a batch: create the service with a larger value to take more per call.
 *
 * ```ts
 * const batch = subscriber.receiveBatch().unwrap();
 * for (let n = batch.receive().unwrap(); n > 0; n = batch.receive().unwrap()) {
 *   for (let i = 0; i < n; i++) total += batch.at(i).payload;
 * }
 * batch.release();
 * ```
 */
export class ReceiveBatch<P extends PayloadType, H extends AnyLayoutType | undefined> extends Batch<Sample<P, H>> {
  /**
   * @internal Made by {@link Subscriber.receiveBatch}.
   * @param subscriber The subscriber this batch receives from.
   */
  constructor(
    readonly subscriber: Subscriber<P, H>,
    native: Native,
    handle: Handle,
  ) {
    super(native, handle, subscriber);
  }

  protected get label(): string {
    return "ReceiveBatch";
  }

  protected makeCursor(base: number): BatchSample<P, H> {
    return new BatchSample(this, this.subscriber, this.native, this.entries, base, this.cursorGone);
  }

  /**
   * Releases the samples the batch holds, then takes up to `max` waiting samples (1 to
   * {@link RECEIVED_PER_CALL}; more counts as that many) and returns how many it took: 0 when
   * none wait. Stops early when the subscriber may borrow no more (`subscriberMaxBorrowedSamples`).
   * An error after the first sample ends the batch there and comes again on the next call;
   * otherwise fails as `Subscriber.receive()` does.
   */
  receive(max: number = RECEIVED_PER_CALL): Result<number> {
    if (!Number.isInteger(max) || max < 1) {
      return err(new Iox2Error("InvalidArgument", `a batch takes at least 1 sample per receive, got max ${String(max)}; pass a positive integer (up to ${RECEIVED_PER_CALL} per call)`));
    }
    try {
      const handle = this.handle;
      this.emptied();
      return okCount(this.takeList(this.native.ops.sampleBatchReceive(handle, Math.min(max, RECEIVED_PER_CALL), 0)));
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }

  /**
   * Sample `index` of the last receive: the batch's one sample object, made to stand for it.
   * It and its views are valid until `at()` is called for another index, `keep(index)`, or the
   * next `receive()`/`release()`; copy out what you need longer, or `keep()` the sample.
   * Throws `OutOfBounds` for an index the last receive did not take, `SampleReleased` for a
   * sample released or kept since, `HandleClosed` once the batch is closed.
   */
  at(index: number): Sample<P, H> {
    return this.cursorAt(index);
  }

  /**
   * Takes sample `index` out of the batch as a sample of its own: the batch no longer releases
   * it, its `release()` (or the subscriber closing) does. It keeps counting against
   * `subscriberMaxBorrowedSamples` until then. Fails as `at()` throws.
   */
  keep(index: number): Result<Sample<P, H>> {
    try {
      const base = this.base(index);
      this.forgetCursor(index);
      const native = this.native;
      const subscriber = this.subscriber;
      native.ops.sampleBatchKeep(this.handle, this.entries[base + SampleInfo.handle]!);
      const kept = new Sample(subscriber, native, subscriber.payloadType, subscriber.userHeaderType, this.entries, base);
      this.entries[base + SampleInfo.handle] = 0;
      return ok(kept);
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }
}

/** What a {@link SendBatch} needs of its publisher, shared with its samples. */
export interface BatchSending extends SendingPort {
  /** Why `length` does not fit the payload type (a slice needs one, a fixed type none). */
  readonly checkLength: (length: number | undefined) => Iox2Error | undefined;
}

/**
 * Loans many samples per call and sends them together: the batch form of `loan()` → write →
 * `send()` for bursts, made by {@link Publisher.sendBatch}. `loan(count)` first releases what
 * the batch still holds unsent, then loans `count` samples (at most {@link RECEIVED_PER_CALL})
 * in one crossing; `at(i)` writes them through one reusable sample object; `send()` sends them
 * all, in order, in one crossing, and notifies once (`notifyOnSend()`).
 *
 * The loans count against the publisher's `maxLoanedSamples` (default 2), which therefore
 * bounds a batch: build the publisher with a larger value to loan more per call.
 *
 * ```ts
 * const batch = publisher.sendBatch().unwrap();
 * const n = batch.loan(readings.length).unwrap();
 * for (let i = 0; i < n; i++) batch.at(i).payload = readings[i];
 * batch.send().unwrap();
 * ```
 */
export class SendBatch<P extends PayloadType, H extends AnyLayoutType | undefined> extends Batch<SampleMut<P, H>> {
  readonly #sending: BatchSending;
  readonly #zeroed: boolean;

  /**
   * @internal Made by {@link Publisher.sendBatch}.
   * @param publisher The publisher this batch loans from and sends through.
   */
  constructor(
    readonly publisher: Publisher<P, H>,
    native: Native,
    handle: Handle,
    sending: BatchSending,
    zeroed: boolean,
  ) {
    super(native, handle, publisher);
    this.#sending = sending;
    this.#zeroed = zeroed;
  }

  protected get label(): string {
    return "SendBatch";
  }

  protected makeCursor(base: number): BatchSampleMut<P, H> {
    return new BatchSampleMut(this, this.publisher, this.native, this.#sending, this.entries, base, this.cursorGone);
  }

  /**
   * Releases the samples the batch holds unsent, then loans `count` samples (1 to
   * {@link RECEIVED_PER_CALL}), each of `length` elements for a slice payload (omit it for a
   * fixed-size one); returns `count`. Zeroed unless the batch was made with `zeroed: false`.
   * All or nothing: when one loan fails (`ExceedsMaxLoans` beyond the publisher's
   * `maxLoanedSamples`, `OutOfMemory`), none is held and the error is returned.
   */
  loan(count: number, length?: number): Result<number> {
    if (!Number.isInteger(count) || count < 1 || count > RECEIVED_PER_CALL) {
      return err(new Iox2Error("InvalidArgument", `a send batch loans 1 to ${RECEIVED_PER_CALL} samples per call, got count ${String(count)}; loan in several batches`));
    }
    const invalid = this.#sending.checkLength(length);
    if (invalid !== undefined) return err(invalid);
    try {
      const handle = this.handle;
      this.emptied();
      const loaned = this.takeList(this.native.ops.sampleBatchLoan(handle, count, length ?? 1));
      const { payloadType, userHeaderType } = this.publisher;
      if (this.#zeroed && (needsInitWhenZeroed(payloadType) || needsInitWhenZeroed(userHeaderType))) {
        for (let i = 0; i < loaned; i++) this.cursorAt(i).initializeZeroed();
      }
      return okCount(loaned);
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }

  /**
   * Sample `index` of the last loan, writable: the batch's one sample object, made to stand for
   * it. It and its views are valid until `at()` is called for another index or the next
   * `loan()`/`send()`/`release()`. Throws `OutOfBounds` for an index the last loan did not make,
   * `SampleReleased` for a sample sent or released since, `HandleClosed` once the batch is closed.
   */
  at(index: number): SampleMut<P, H> {
    return this.cursorAt(index);
  }

  /**
   * Sends the samples the batch holds, in the order they were loaned, then notifies once
   * (`notifyOnSend()`); returns the deliveries they made (samples × subscribers reached). Every
   * sample is sent even when one fails; the first failure is returned then.
   */
  send(): Result<number> {
    try {
      const handle = this.handle;
      this.emptied();
      const delivered = this.native.ops.sampleBatchSend(handle, 0);
      const notified = this.#sending.afterSend?.();
      return notified?.isErr() ? err(notified.error) : okCount(delivered);
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }
}
