import type { Handle } from "../native/backend.js";
import type { Native } from "../native/native.js";
import { Iox2Error } from "../base/errors.js";
import type { BackpressureEvent, BackpressureOutcome, DegradationAction, DegradationCause, DegradationEvent, PortEvent } from "../generated/control.js";

export type { BackpressureEvent, BackpressureOutcome, DegradationAction, DegradationCause, DegradationEvent };

const DEGRADATION_ACTIONS: readonly string[] = ["ignore", "warn", "degradeAndFail"];

/** The port-event options a builder collects: the degradation action and the callbacks. */
export interface PortEventOptions {
  degradation?: DegradationAction;
  onBackpressure?: (event: BackpressureEvent) => void;
  onDegradation?: (event: DegradationEvent) => void;
}

/** Checks port-event options before anything native runs. */
export function checkPortEventOptions({ degradation, onBackpressure, onDegradation }: PortEventOptions): Iox2Error | undefined {
  if (degradation !== undefined && !DEGRADATION_ACTIONS.includes(degradation)) {
    return new Iox2Error("InvalidArgument", `degradation must be one of ${DEGRADATION_ACTIONS.join(", ")}, got ${String(degradation)}`);
  }
  for (const [name, handler] of [["onBackpressure", onBackpressure], ["onDegradation", onDegradation]] as const) {
    if (handler !== undefined && typeof handler !== "function") {
      return new Iox2Error("InvalidArgument", `${name} needs a function, got ${typeof handler}`);
    }
  }
  return undefined;
}

const armPortEvents = (native: Native, stream: Handle): number => native.ops.portEventsWatch(stream, 0);

/** A port collected without `close()` stops its delivery and closes its stream. */
const abandoned = new FinalizationRegistry<PortEvents>((events) => events.close());
/** The delivery of each open port that has one. */
const deliveries = new WeakMap<object, PortEvents>();

/** Ends the delivery of `port`'s events, if it has one (ports call this as they close). */
export function closePortEvents(port: object): void {
  deliveries.get(port)?.close();
}

/** Every supported runtime has a console; typed here because core-api compiles without DOM types. */
const { console } = globalThis as unknown as { console: { error(...data: unknown[]): void } };

/**
 * The delivery of one port's backpressure and degradation events to its callbacks: the native
 * handlers queue them during sends and connection updates (never running JavaScript inside
 * iceoryx2), and this delivers them on the event loop, in order, soon after.
 */
export class PortEvents {
  #cancel: (() => void) | undefined;
  #closed = false;
  /** The events taken last, and the index of the next one to deliver. */
  #batch: PortEvent[] = [];
  #next = 0;

  private constructor(
    private readonly native: Native,
    /** The native stream, named in the port's spec as `events`. */
    readonly stream: Handle,
    private readonly options: PortEventOptions,
    private readonly label: string,
  ) {}

  /** The stream for a port about to be created, or `undefined` when it has no callbacks. */
  static open(native: Native, options: PortEventOptions, label: string): PortEvents | undefined {
    if (options.onBackpressure === undefined && options.onDegradation === undefined) return undefined;
    // A copy: the builder may be reused with other callbacks for the next port.
    return new PortEvents(native, native.control("portEvents.open", 0), { ...options }, label);
  }

  /** Starts delivering, for as long as `port` is open (or reachable). */
  start(port: object): void {
    deliveries.set(port, this);
    abandoned.register(port, this, this);
    this.#watch();
  }

  /** Delivers what is still queued, then stops. Closing twice does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    abandoned.unregister(this);
    this.#cancel?.();
    try {
      this.#deliver();
    } finally {
      this.native.close(this.stream);
    }
  }

  #watch(): void {
    this.#cancel = this.native.watch(this.stream, () => {
      if (this.#closed) return;
      this.#deliver();
      if (!this.#closed) this.#watch();
    }, armPortEvents);
  }

  /** Takes what is queued and delivers it (and what an earlier batch left, see close()). */
  #deliver(): void {
    const { events, dropped } = this.native.control("portEvents.take", this.stream);
    if (dropped > 0) {
      console.error(`iceoryx2-js: ${dropped} events of ${this.label} were dropped: its callbacks fell behind by more than 1024 events`);
    }
    this.#drain();
    this.#batch = events;
    this.#next = 0;
    this.#drain();
  }

  /**
   * Calls the callbacks for the rest of the current batch. A callback that closes the port
   * re-enters here through close(), which so delivers the batch's rest before it returns.
   */
  #drain(): void {
    while (this.#next < this.#batch.length) {
      const event = this.#batch[this.#next++]!;
      const { onBackpressure, onDegradation } = this.options;
      try {
        if (event.kind === "backpressure") onBackpressure?.(event);
        else onDegradation?.(event);
      } catch (error) {
        console.error(`iceoryx2-js: the ${event.kind} callback of ${this.label} threw:`, error);
      }
    }
  }
}
