import { Iox2Error } from "./errors.js";
import { checkCounts } from "./service-builder.js";

/** How a slice port's data segment grows when a loan exceeds it (upstream's `AllocationStrategy`). */
export type AllocationStrategy = "static" | "bestFit" | "powerOfTwo";
/** What a sender does when a receiver's buffer is full and safe overflow is off. */
export type BackpressureStrategy = "discardData" | "retryUntilDelivered";

const ALLOCATION_STRATEGIES: readonly string[] = ["static", "bestFit", "powerOfTwo"];
const BACKPRESSURE_STRATEGIES: readonly string[] = ["discardData", "retryUntilDelivered"];

/** The options every sending port (publisher, client, server) takes, plus its own counts. */
export interface SendingPortOptions {
  initialMaxSliceLen?: number;
  allocationStrategy?: AllocationStrategy;
  backpressure?: BackpressureStrategy;
}

/**
 * What the builders of publishers, clients and servers share: slice sizing, backpressure, and
 * `notifyOnSend()` (wake-ups on the event service of the same name, see `PubSubEvent` and
 * `RequestResponseEvent`).
 */
export abstract class SendingPortBuilder<O extends SendingPortOptions> {
  protected readonly options = {} as O;
  protected notifies = false;

  /** Slice payloads: the element count the data segment is first sized for. */
  initialMaxSliceLen(value: number): this {
    this.options.initialMaxSliceLen = value;
    return this;
  }
  /** Slice payloads: how to grow when a loan exceeds `initialMaxSliceLen` (default "static": fail). */
  allocationStrategy(value: AllocationStrategy): this {
    this.options.allocationStrategy = value;
    return this;
  }
  /** What to do when a receiver's buffer is full (and safe overflow is off). */
  backpressure(value: BackpressureStrategy): this {
    this.options.backpressure = value;
    return this;
  }
  /**
   * After every send, notify the event service of the same name (opened or created on demand):
   * publishers send `PubSubEvent.SentSample` (and, as upstream's event-based publisher,
   * `PublisherConnected` when created and `PublisherDisconnected` when closed), which wakes
   * `subscriber.samples()`; clients
   * `RequestResponseEvent.RequestSent`, which wakes `server.requests()`; servers `ResponseSent`
   * (also when a stream ends), which wakes `pendingResponse.responses()`. Without it, those
   * streams in other processes still see the data, up to their `pollInterval` later.
   */
  notifyOnSend(enabled = true): this {
    this.notifies = enabled === true;
    return this;
  }

  /** Checks the options before anything native runs; counts must be at least 1. */
  protected checkOptions(): Iox2Error | undefined {
    const { allocationStrategy, backpressure, ...counts } = this.options;
    const invalid = checkCounts(counts, () => 1);
    if (invalid !== undefined) return invalid;
    if (allocationStrategy !== undefined && !ALLOCATION_STRATEGIES.includes(allocationStrategy)) {
      return new Iox2Error("InvalidArgument", `allocationStrategy must be one of ${ALLOCATION_STRATEGIES.join(", ")}`);
    }
    if (backpressure !== undefined && !BACKPRESSURE_STRATEGIES.includes(backpressure)) {
      return new Iox2Error("InvalidArgument", `backpressure must be one of ${BACKPRESSURE_STRATEGIES.join(", ")}`);
    }
    return undefined;
  }
}
