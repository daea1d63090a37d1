import { Iox2Error } from "../base/errors.js";
import { checkCounts } from "./service-builder.js";
import { checkPortName } from "./port-name.js";
import { checkPortEventOptions, PortEvents, type BackpressureEvent, type DegradationAction, type DegradationEvent, type PortEventOptions } from "./port-events.js";
import type { Native } from "../native/native.js";

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

/** The fields of a port's spec that configure its events. */
interface PortEventSpec {
  degradation?: DegradationAction;
  events?: number;
}

/**
 * What the builders of ports with connections share (publishers, subscribers, clients and
 * servers): what to do about a connection that cannot be made or is corrupted, and callbacks
 * that report it.
 */
export abstract class ConnectedPortBuilder {
  protected readonly portEvents: PortEventOptions = {};

  /**
   * What the port does when a connection to a peer cannot be made or turns out corrupted
   * (upstream's `DegradationAction`, answered by this library's degradation handler):
   * `"ignore"` goes on without that peer, `"warn"` goes on and logs a warning, `"degradeAndFail"`
   * fails the operation that found it (a send, receive or `updateConnections`). Clients and
   * servers apply it to both directions (requests and responses).
   * @defaultValue "warn" (upstream's default handler)
   */
  degradation(action: DegradationAction): this {
    this.portEvents.degradation = action;
    return this;
  }
  /**
   * Calls `handler` for every degradation of the port (upstream's degradation handler, here as
   * an event): which connection, why, and what the port did (its {@link degradation} action).
   * Events arrive asynchronously on this thread's event loop, in order, soon after the
   * operation that found them; the callback cannot change the action. An exception it throws
   * is caught and written to stderr. Delivery ends when the port closes (what is queued then
   * is delivered first).
   */
  onDegradation(handler: (event: DegradationEvent) => void): this {
    this.portEvents.onDegradation = handler;
    return this;
  }

  /**
   * Creates a port with its events: `create` makes the native port, from a spec that includes
   * `spec` (the degradation action and the event stream, when there are callbacks), and its JS
   * object; delivery then runs while the port is open.
   */
  protected withPortEvents<T extends { close(): void }>(native: Native, label: string, create: (spec: PortEventSpec) => T): T {
    const events = PortEvents.open(native, this.portEvents, label);
    let port: T | undefined;
    try {
      port = create({ degradation: this.portEvents.degradation, events: events?.stream });
      events?.start(port);
      return port;
    } catch (error) {
      port?.close(); // created, but its events could not start: no half-made port is left behind
      events?.close();
      throw error;
    }
  }

  /** Checks the port-event options before anything native runs. */
  protected checkPortEvents(): Iox2Error | undefined {
    return checkPortEventOptions(this.portEvents);
  }
}

/**
 * What the builders of publishers, clients and servers share: slice sizing, backpressure, and
 * `notifyOnSend()` (wake-ups on the event service of the same name, see `PubSubEvent` and
 * `RequestResponseEvent`).
 */
export abstract class SendingPortBuilder<O extends SendingPortOptions> extends ConnectedPortBuilder {
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
   * Names the port (upstream's `PortName`: at most 64 ASCII characters without NUL, else `create()` fails with
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
   * Calls `handler` when a send finds a receiver's buffer full (upstream's backpressure
   * handler, here as an event): once per send and receiver with outcome `"retrying"` (the send
   * retries, up to {@link sendTimeout}) or `"discarded"` (backpressure `"discardData"`), and
   * `"gaveUp"` when the send timeout passed (the send then fails with `UnableToDeliver`). Events
   * arrive asynchronously on this thread's event loop, in order, after the send returned; the
   * callback cannot change what the send does (that is {@link backpressure} and
   * {@link sendTimeout}). With safe overflow on (the usual default), buffers never fill and no
   * event comes. An exception it throws is caught and written to stderr.
   */
  onBackpressure(handler: (event: BackpressureEvent) => void): this {
    this.portEvents.onBackpressure = handler;
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
    const invalid = checkCounts(counts, () => 1) ?? checkPortName(name) ?? this.checkPortEvents();
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
