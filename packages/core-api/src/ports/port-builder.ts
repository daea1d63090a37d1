import { Iox2Error } from "../base/errors.js";
import { checkCounts } from "./service-builder.js";
import { checkPortName } from "./port-name.js";

/**
 * How a slice port's data segment grows when a loan exceeds it (upstream's `AllocationStrategy`):
 * `"static"` never grows (the loan fails with `OutOfMemory`), `"bestFit"` grows to what the loan
 * needs, `"powerOfTwo"` grows to the next power of two.
 */
export type AllocationStrategy = "static" | "bestFit" | "powerOfTwo";
/**
 * What a sender does when a receiver's buffer is full and safe overflow is off (upstream's
 * `BackpressureStrategy`): `"retryUntilDelivered"` retries until the receiver makes room or
 * disconnects, for at most `sendTimeout` per receiver; `"discardData"` does not deliver to that
 * receiver and goes on.
 */
export type BackpressureStrategy = "discardData" | "retryUntilDelivered";

const ALLOCATION_STRATEGIES: readonly string[] = ["static", "bestFit", "powerOfTwo"];
const BACKPRESSURE_STRATEGIES: readonly string[] = ["discardData", "retryUntilDelivered"];

/** The options every sending port (publisher, client, server) takes, plus its own counts. */
export interface SendingPortOptions {
  /** Slice payloads: the element count the data segment is first sized for. */
  initialMaxSliceLen?: number;
  /** Slice payloads: how the data segment grows beyond `initialMaxSliceLen`. */
  allocationStrategy?: AllocationStrategy;
  /** What to do when a receiver's buffer is full and safe overflow is off. */
  backpressure?: BackpressureStrategy;
  /** How long a send may retry one full receiver, in ms; `null`: without bound. */
  sendTimeoutMs?: number | null;
  /** The port's name. */
  name?: string;
}

/**
 * What the builders of publishers, clients and servers share: slice sizing, backpressure, and
 * `notifyOnSend()` (wake-ups on the event service of the same name, see `PubSubEvent` and
 * `RequestResponseEvent`).
 */
export abstract class SendingPortBuilder<O extends SendingPortOptions> {
  protected readonly options = {} as O;
  protected notifies = false;

  /**
   * Slice payloads: the element count the port's data segment is first sized for (1 to
   * 536870912). A loan of more elements fails with `OutOfMemory` under the `"static"` allocation
   * strategy; the other strategies map a bigger segment. Leave it unset for fixed-size payloads:
   * a larger value only makes every chunk that many payloads big.
   * @defaultValue 1 (iceoryx2's fixed initial value, not a config setting)
   */
  initialMaxSliceLen(value: number): this {
    this.options.initialMaxSliceLen = value;
    return this;
  }
  /**
   * Flatbuffer payloads: the bytes each chunk first holds (upstream's
   * `initial_reserved_memory`, the same setting as `initialMaxSliceLen`). A larger flatbuffer
   * fails with `OutOfMemory` under the `"static"` allocation strategy; the other strategies
   * grow the chunk (upstream's examples use 1024 and `"powerOfTwo"`).
   * @defaultValue 1 (iceoryx2's fixed initial value, not a config setting)
   */
  initialReservedMemory(bytes: number): this {
    return this.initialMaxSliceLen(bytes);
  }
  /**
   * Slice payloads: how the data segment grows when a loan exceeds `initialMaxSliceLen`
   * (`"static"`: it does not, the loan fails with `OutOfMemory`). The default is the node
   * config's value for this kind of port: publisher, client or server (one key each, below).
   * @defaultValue "static" (config `defaults.publish-subscribe.publisher-allocation-strategy`)
   * @defaultValue "static" (config `defaults.request-response.client-allocation-strategy`)
   * @defaultValue "static" (config `defaults.request-response.server-allocation-strategy`)
   */
  allocationStrategy(value: AllocationStrategy): this {
    this.options.allocationStrategy = value;
    return this;
  }
  /**
   * What a send does when a receiver's buffer is full and the service's safe overflow is off
   * (upstream's `backpressure_strategy`): `"retryUntilDelivered"` blocks the calling thread (and
   * so the event loop) until the receiver makes room or disconnects, for at most
   * {@link sendTimeout} per full receiver. `"discardData"` skips that receiver, without an error.
   * With safe overflow on (the usual default), a full buffer loses its oldest entry instead and
   * this setting has no effect. The default is the node config's value for this kind of port:
   * publisher, client or server (one key each, below).
   * @defaultValue "retryUntilDelivered" (config `defaults.publish-subscribe.backpressure-strategy`)
   * @defaultValue "retryUntilDelivered" (config `defaults.request-response.client-backpressure-strategy`)
   * @defaultValue "retryUntilDelivered" (config `defaults.request-response.server-backpressure-strategy`)
   */
  backpressure(value: BackpressureStrategy): this {
    this.options.backpressure = value;
    return this;
  }
  /**
   * Names the port (upstream's `PortName`: at most 64 bytes of UTF-8, else `create()` fails with
   * `InvalidArgument`). Peers see it in the service's port details.
   * @defaultValue "" (no name)
   */
  name(value: string): this {
    this.options.name = value;
    return this;
  }
  /**
   * Bounds how long a send blocks on a receiver whose buffer stays full (backpressure
   * `"retryUntilDelivered"`, safe overflow off): after `ms` milliseconds the send gives up on
   * that receiver and fails with `UnableToDeliver`; every other receiver got the data, and the
   * sample counts as sent. Each full receiver can take this long, one after the other.
   * `Infinity` retries without bound, as upstream's ports do: a stalled or stopped receiver then
   * freezes this thread (and its event loop) until it makes room. This is an addition of this
   * library (a backpressure handler); peers see nothing of it.
   * @defaultValue 1000
   */
  sendTimeout(ms: number): this {
    this.options.sendTimeoutMs = ms === Infinity ? null : ms;
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
   * This is an addition of this library; upstream's ports have no such setting.
   * @defaultValue off: a port whose builder never calls it sends no wake-ups (`notifyOnSend()` alone turns it on)
   */
  notifyOnSend(enabled = true): this {
    this.notifies = enabled === true;
    return this;
  }

  /** Checks the options before anything native runs; counts must be at least 1. */
  protected checkOptions(): Iox2Error | undefined {
    const { allocationStrategy, backpressure, sendTimeoutMs, name, ...counts } = this.options;
    const invalid = checkCounts(counts, () => 1) ?? checkPortName(name);
    if (invalid !== undefined) return invalid;
    if (sendTimeoutMs !== undefined && sendTimeoutMs !== null && !(typeof sendTimeoutMs === "number" && sendTimeoutMs >= 0 && Number.isFinite(sendTimeoutMs))) {
      return new Iox2Error("InvalidArgument", `sendTimeout must be a non-negative number of milliseconds or Infinity, got ${String(sendTimeoutMs)}`);
    }
    if (allocationStrategy !== undefined && !ALLOCATION_STRATEGIES.includes(allocationStrategy)) {
      return new Iox2Error("InvalidArgument", `allocationStrategy must be one of ${ALLOCATION_STRATEGIES.join(", ")}`);
    }
    if (backpressure !== undefined && !BACKPRESSURE_STRATEGIES.includes(backpressure)) {
      return new Iox2Error("InvalidArgument", `backpressure must be one of ${BACKPRESSURE_STRATEGIES.join(", ")}`);
    }
    return undefined;
  }
}
