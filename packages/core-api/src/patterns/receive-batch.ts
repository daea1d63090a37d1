import { RECEIVED_PER_CALL, SAMPLE_SLOTS, SampleInfo } from "../generated/contract.js";
import type { Handle } from "../native/backend.js";
import type { Native } from "../native/native.js";
import { Iox2Error } from "../base/errors.js";
import { err, ok, okCount, type Result } from "../base/result.js";
import type { AnyLayoutType, PayloadType } from "../layout/index.js";
import { Resource } from "../ports/lifecycle.js";
import { rebindSample, Sample } from "../ports/sample.js";
import type { Subscriber } from "./publish-subscribe.js";

export { RECEIVED_PER_CALL };

/**
 * The sample {@link ReceiveBatch.at} returns: one object per batch, standing for one held sample
 * at a time. Releasing it releases that sample only; the batch moves on without it.
 */
class BatchSample<P extends PayloadType, H extends AnyLayoutType | undefined> extends Sample<P, H> {
  /** Told before the sample it stands for is released through it. */
  readonly #onRelease: () => void;

  constructor(batch: ReceiveBatch<P, H>, native: Native, payloadType: P, headerType: H, entries: Float64Array, base: number, onRelease: () => void) {
    super(batch, native, payloadType, headerType, entries, base);
    this.#onRelease = onRelease;
  }

  override close(): void {
    if (!this.isClosed) this.#onRelease();
    super.close();
  }

  /** Stops standing for its sample without releasing it (the batch or a kept sample holds it). */
  forget(): void {
    this.markClosed();
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
export class ReceiveBatch<P extends PayloadType, H extends AnyLayoutType | undefined> extends Resource {
  /** The last receive's list: `SAMPLE_SLOTS` numbers per sample; a handle of 0 marks one gone. */
  readonly #entries = new Float64Array(RECEIVED_PER_CALL * SAMPLE_SLOTS);
  #length = 0;
  #cursor: BatchSample<P, H> | undefined;
  #cursorIndex = -1;
  /** Marks the cursor's sample gone when it is released through the cursor. */
  readonly #cursorReleased = (): void => {
    this.#entries[this.#cursorIndex * SAMPLE_SLOTS + SampleInfo.handle] = 0;
    this.#cursorIndex = -1;
  };

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

  /** How many samples the last `receive()` took (kept or released ones included). */
  get length(): number {
    return this.#length;
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
      const native = this.native;
      const handle = this.handle;
      this.#forgetSamples();
      const taken = native.ops.sampleBatchReceive(handle, Math.min(max, RECEIVED_PER_CALL), 0) ? native.backend.sampleInfo[SampleInfo.listed]! : 0;
      const info = native.backend.sampleInfo;
      const entries = this.#entries;
      for (let i = 0, n = taken * SAMPLE_SLOTS; i < n; i++) entries[i] = info[SampleInfo.list + i]!;
      this.#length = taken;
      return okCount(taken);
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
    const base = this.#base(index);
    const cursor = this.#cursor;
    if (cursor !== undefined && this.#cursorIndex === index && !cursor.isClosed) return cursor;
    if (cursor === undefined) {
      this.#cursor = new BatchSample(this, this.native, this.subscriber.payloadType, this.subscriber.userHeaderType, this.#entries, base, this.#cursorReleased);
    } else {
      rebindSample(cursor, this.#entries, base);
    }
    this.#cursorIndex = index;
    return this.#cursor!;
  }

  /**
   * Takes sample `index` out of the batch as a sample of its own: the batch no longer releases
   * it, its `release()` (or the subscriber closing) does. It keeps counting against
   * `subscriberMaxBorrowedSamples` until then. Fails as `at()` throws.
   */
  keep(index: number): Result<Sample<P, H>> {
    try {
      const base = this.#base(index);
      if (this.#cursorIndex === index) {
        this.#cursor?.forget();
        this.#cursorIndex = -1;
      }
      const native = this.native;
      native.ops.sampleBatchKeep(this.handle, this.#entries[base + SampleInfo.handle]!);
      const kept = new Sample(this.subscriber, native, this.subscriber.payloadType, this.subscriber.userHeaderType, this.#entries, base);
      this.#entries[base + SampleInfo.handle] = 0;
      return ok(kept);
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }

  /** Releases the samples the batch holds (those not kept); returns how many. The batch stays usable. */
  release(): Result<number> {
    try {
      const handle = this.handle;
      this.#forgetSamples();
      this.#length = 0;
      return okCount(this.native.ops.sampleBatchRelease(handle, 0));
    } catch (error) {
      return err(Iox2Error.from(error));
    }
  }

  /** The samples of the last receive through {@link at} (one object; see there). Not kept ones. */
  *[Symbol.iterator](): Iterator<Sample<P, H>> {
    for (let i = 0; i < this.#length; i++) {
      if (this.#entries[i * SAMPLE_SLOTS + SampleInfo.handle] !== 0) yield this.at(i);
    }
  }

  /** Where sample `index` is described in the entries, checked. */
  #base(index: number): number {
    if (this.isClosed) throw this.closedError();
    if (!Number.isInteger(index) || index < 0 || index >= this.#length) {
      throw new Iox2Error("OutOfBounds", `the last receive took ${this.#length} samples, there is no sample ${String(index)}; index from 0 to ${this.#length - 1}`);
    }
    const base = index * SAMPLE_SLOTS;
    if (this.#entries[base + SampleInfo.handle] === 0) {
      throw new Iox2Error("SampleReleased", `sample ${index} of the batch was released or kept since the receive; use what keep(${index}) returned`);
    }
    return base;
  }

  /** The cursor stops standing for a sample before the core releases the batch's samples. */
  #forgetSamples(): void {
    this.#cursor?.forget();
    this.#cursorIndex = -1;
  }

  protected override onClosed(): void {
    this.#length = 0;
    this.#cursorIndex = -1;
  }
}
