import type { ServiceIdentity } from "../ports/service-builder.js";
import { checkPortName, portName, withName } from "../ports/port-name.js";
import type { PortInfo, EventPorts, EventQos } from "../generated/control.js";

/** A notifier or listener, and the ports of an event service: declared once, in the Rust core. */
export type { PortInfo, EventPorts };
/** @deprecated The same type under its earlier name: use {@link PortInfo}. */
export type EventPortInfo = PortInfo;
import type { Handle } from "../native/backend.js";
import { Iox2Error } from "../base/errors.js";
import { nativeOf, Resource } from "../ports/lifecycle.js";
import type { Native } from "../native/native.js";
import { SampleInfo, TAKEN_EVENTS_PER_CALL } from "../generated/contract.js";
import type { Node } from "../node/node.js";
import { attempt, err, ok, type Result } from "../base/result.js";
import { checkCounts, COUNT_LIMITS, ServiceBuilderBase, type Attribute, type OpenMode } from "../ports/service-builder.js";
import { checkStreamOptions, checkWaitOptions, DEFAULT_POLL_INTERVAL_MS, PendingWaits, remaining, Trigger, type StreamOptions, type WaitOptions } from "../ports/waiting.js";

/**
 * An event id: a non-negative integer up to the service's `eventIdMaxValue`. Numbers, as in
 * upstream's other bindings' `EventId.new(value)` / `as_value`.
 */
export type EventId = number;

/**
 * The event ids of upstream's event-based publish-subscribe examples, carried by an event service
 * **with the same name** as the publish-subscribe service. Upstream's example publisher notifies
 * `PublisherConnected` when created, `SentSample` after each send, `SentHistory` in answer to
 * `SubscriberConnected` and `PublisherDisconnected` when dropped; its subscriber notifies
 * `SubscriberConnected`, `ReceivedSample` after each receive and `SubscriberDisconnected`.
 * Publishers built with `notifyOnSend()` here send `PublisherConnected`, `SentSample` after each
 * send and `PublisherDisconnected` when closed;
 * `subscriber.samples()` wakes on any id of that service (and polls for publishers that never
 * notify). `packages/examples/src/event_based_communication` speaks the whole protocol.
 */
export const PubSubEvent = {
  /** A publisher was created. */
  PublisherConnected: 0,
  /** A publisher is closing. */
  PublisherDisconnected: 1,
  /** A subscriber was created (upstream's publisher answers with its history). */
  SubscriberConnected: 2,
  /** A subscriber is closing. */
  SubscriberDisconnected: 3,
  /** A publisher sent a sample. */
  SentSample: 4,
  /** A subscriber received a sample. */
  ReceivedSample: 5,
  /** A publisher delivered its history, in answer to `SubscriberConnected`. */
  SentHistory: 6,
  /** A notifier's process died (upstream's health-monitoring example makes it the `notifierDeadEvent`). */
  ProcessDied: 7,
} as const;

/**
 * The event ids this library sends on the event service named like a request-response service.
 * This is an extra of this library, not an upstream convention: clients built with
 * `notifyOnSend()` send `RequestSent`, servers built with `notifyOnSend()` send `ResponseSent`
 * after each response and when a stream ends, so `server.requests()` and
 * `pendingResponse.responses()` in another iceoryx2-js process wake at once. Peers that do not
 * notify are seen by the streams' polling instead.
 */
export const RequestResponseEvent = {
  /** A client sent a request. */
  RequestSent: 0,
  /** A server sent a response or ended a response stream. */
  ResponseSent: 1,
} as const;

/**
 * @internal The service a {@link Companion} serves: a publish-subscribe or request-response
 * service, whose QoS sizes the companion when this process creates it.
 */
export interface CompanionOwner {
  readonly node: Node;
  readonly name: string;
  staticConfig(): Result<{
    qos: { maxNodes: number } & ({ maxPublishers: number; maxSubscribers: number } | { maxClients: number; maxServers: number });
  }>;
}

/** What a companion must allow for its owner's ports, and how that was worked out (for messages). */
interface CompanionNeeds {
  /** Listeners, and as many notifiers: each port of the owner may have one of each. */
  ports: number;
  nodes: number;
  /** The owner, e.g. "publish-subscribe service 'x'". */
  owner: string;
  /** The owner's port counts, e.g. "maxPublishers 2 + maxSubscribers 24". */
  counts: string;
}

/** How often opening and creating the companion is tried while other processes create or remove it at the same moment. */
const COMPANION_ATTEMPTS = 5;

/**
 * @internal A listener and a notifier on the event service named like another service (the
 * wake-up conventions above), opened on first use and closed with their owner.
 *
 * An existing event service is opened without requirements, whatever QoS its creator gave it
 * (upstream's event-based example creates it with the config's defaults). When none exists,
 * this process creates it with room for the owner's ports: upstream's event-based example gives
 * every publisher and subscriber a listener and a notifier, this library gives one of the two
 * to each of its ports (clients and servers: both), so it gets `maxListeners` and
 * `maxNotifiers` of the owner's port count (and `maxNodes` of the owner's), never less than the
 * config's defaults.
 */
export class Companion {
  #service: EventService | undefined;
  #listener: Listener | undefined;
  #notifier: Notifier | undefined;
  #needs: CompanionNeeds | undefined;

  constructor(readonly owner: CompanionOwner) {}

  get node(): Node {
    return this.owner.node;
  }

  get name(): string {
    return this.owner.name;
  }

  /** What the owner's QoS asks of the companion (throws when the owner is closed). */
  #required(): CompanionNeeds {
    if (this.#needs !== undefined) return this.#needs;
    const { qos } = this.owner.staticConfig().unwrap();
    const [pattern, counts] =
      "maxSubscribers" in qos
        ? ["publish-subscribe", { maxPublishers: qos.maxPublishers, maxSubscribers: qos.maxSubscribers }]
        : ["request-response", { maxClients: qos.maxClients, maxServers: qos.maxServers }];
    const listed = Object.entries(counts).map(([name, count]) => `${name} ${count}`).join(" + ");
    const ports = Object.values(counts).reduce((sum, count) => sum + count, 0);
    return (this.#needs = { ports, nodes: qos.maxNodes, owner: `${pattern} service '${this.name}'`, counts: listed });
  }

  #builder(): EventServiceBuilder {
    return this.node.serviceBuilder(this.name).event();
  }

  /** Opens the event service, or creates it sized for the owner when there is none. */
  #events(): EventService {
    if (this.#service !== undefined) return this.#service;
    for (let attempt = 1; ; attempt++) {
      const opened = this.#builder().open();
      if (opened.isOk()) return (this.#service = opened.value);
      // Retried: another process is creating or removing it right now.
      const inFlux = opened.error.kind === "ServiceInFlux";
      if (!inFlux && !isMissing(opened.error)) throw opened.error;
      if (!inFlux) {
        const created = this.#createSized();
        if (created.isOk()) return (this.#service = created.value);
        // Another process created it since the open above (or is creating it): open that one.
        if (created.error.kind !== "ServiceAlreadyExists" && created.error.kind !== "ServiceInFlux") throw created.error;
        if (attempt >= COMPANION_ATTEMPTS) throw created.error;
      } else if (attempt >= COMPANION_ATTEMPTS) {
        throw opened.error;
      }
    }
  }

  #createSized(): Result<EventService> {
    const needs = this.#required();
    const defaults = this.node.config.defaults.event;
    const limit = (count: number, fallback: number) => Math.min(Math.max(count, fallback), COUNT_LIMITS.maxListeners!);
    return this.#builder()
      .maxListeners(limit(needs.ports, defaults.maxListeners))
      .maxNotifiers(limit(needs.ports, defaults.maxNotifiers))
      .maxNodes(limit(needs.nodes, defaults.maxNodes))
      .create();
  }

  /**
   * `LimitReached` from creating a port of `kind` on the companion, said in plain words: which
   * service, what it allows, what the owner needs, and whether another process made it too small.
   */
  #explain(error: Iox2Error, kind: "listener" | "notifier"): Iox2Error {
    if (error.kind !== "LimitReached" || this.#service === undefined) return error;
    const config = this.#service.staticConfig();
    if (config.isErr()) return error;
    const setting = kind === "listener" ? "maxListeners" : "maxNotifiers";
    const allowed = config.value.qos[setting];
    const needs = attempt(() => this.#required());
    const what = `the wake-up event service '${this.name}'`;
    if (needs.isOk() && allowed < needs.value.ports) {
      const { owner, counts, ports } = needs.value;
      return new Iox2Error(
        "LimitReached",
        `cannot create a ${kind} on ${what} of ${owner}: the event service allows ${setting} ${allowed}, all in use, ` +
          `and ${ports} are needed (one per port of the ${owner}: ${counts}). It was created by another process ` +
          `(or by this program's own event service builder) with smaller limits, e.g. upstream's event-based example ` +
          `with the config's defaults. Create the event service '${this.name}' with ${setting}(${ports}) before any ` +
          `other process does, or raise defaults.event.${kind === "listener" ? "max-listeners" : "max-notifiers"} in the ` +
          `config of the process that creates it; an existing one keeps its limits until every process has closed it`,
        { cause: error },
      );
    }
    return new Iox2Error(
      "LimitReached",
      `cannot create a ${kind} on ${what}: the event service allows ${setting} ${allowed} and all are in use ` +
        `(by this and other processes); close a ${kind === "listener" ? "subscriber, client or server that waits" : "notifying port"} first`,
      { cause: error },
    );
  }

  /** The listener (throws when the event service cannot be opened). */
  listener(): Listener {
    if (this.#listener !== undefined) return this.#listener;
    const created = this.#events().listenerBuilder().create();
    if (created.isErr()) throw this.#explain(created.error, "listener");
    return (this.#listener = created.value);
  }

  /**
   * The listener when the event service already exists (a notifying peer made it), else
   * undefined: a receiver that only polls leaves no service behind that its peers would see.
   */
  existingListener(): Listener | undefined {
    if (this.#listener !== undefined) return this.#listener;
    if (this.#service === undefined) {
      const opened = this.#builder().open();
      if (opened.isErr()) {
        if (isMissing(opened.error)) return undefined;
        throw opened.error;
      }
      this.#service = opened.value;
    }
    return this.listener();
  }

  /** The notifier (throws when the event service cannot be opened). */
  notifier(): Notifier {
    if (this.#notifier !== undefined) return this.#notifier;
    const created = this.#events().notifierBuilder().create();
    if (created.isErr()) throw this.#explain(created.error, "notifier");
    return (this.#notifier = created.value);
  }

  /** Notifies `id`; a deadline someone configured on the event service is not this caller's failure. */
  notify(id: EventId): Result<void> {
    const notified = attempt(() => this.notifier()).andThen((n) => n.notifyWithCustomEventId(id));
    return notified.isErr() && notified.error.kind !== "MissedDeadline" ? err(notified.error) : ok(undefined);
  }

  close(): void {
    this.#service?.close();
    this.#service = this.#listener = this.#notifier = undefined;
  }
}

/**
 * Whether opening the companion failed because it does not exist. `IncompatibleMessagingPattern`
 * says so as well: the name exists, but only under the owner's pattern.
 */
function isMissing(error: Iox2Error): boolean {
  return error.kind === "ServiceNotFound" || error.kind === "IncompatibleMessagingPattern";
}

/** One id a listener received, with how often it was notified since the last wait. */
export interface EventActivation {
  /** The event id. */
  id: EventId;
  /** How many notifications with this id arrived since the listener last took its events (at least 1). */
  count: number;
}

/** Quality of service of an event service: declared once, in the Rust core. */
export type { EventQos };

/** The static configuration of an open event service, as iceoryx2 stores it. */
export interface EventStaticConfig extends ServiceIdentity {
  /** The service name. */
  name: string;
  /** The QoS the service was created with, every value set (`null`: disabled). */
  qos: Required<EventQos>;
  /** The attributes the creator defined. */
  attributes: Attribute[];
}

function checkEventId(value: unknown, what = "event id"): Iox2Error | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0
    ? undefined
    : new Iox2Error("InvalidArgument", `${what} must be a non-negative integer, got ${String(value)}`);
}

/**
 * Builds an event service (upstream's `service_builder(name).event()`).
 *
 * QoS setters only record a value; `create()`, `open()` and `openOrCreate()` check them. When
 * creating, a value not set comes from the node's config (`[defaults.event]`, see
 * {@link ConfigOptions}; the `@defaultValue` shown is iceoryx2's built-in value). When opening,
 * a value set is a requirement: counts and `eventIdMaxValue` are minimums, the deadline and the
 * notifier event ids must be the same; otherwise `IncompatibleQos`. A value not set is no
 * requirement. Counts must be integers from 1 up to 4096 (`eventIdMaxValue`: 0 to 65535), else
 * `InvalidArgument`.
 */
export class EventServiceBuilder extends ServiceBuilderBase<EventService> {
  readonly #qos: EventQos = {};

  /** @internal Created by `node.serviceBuilder(name).event()`. */
  constructor(node: Node, name: string) {
    super(node, name);
  }

  /**
   * The most notifiers the service supports at once; creating one more fails with `LimitReached`.
   * @defaultValue 16 (config `defaults.event.max-notifiers`)
   */
  maxNotifiers(value: number): this {
    this.#qos.maxNotifiers = value;
    return this;
  }
  /**
   * The most listeners the service supports at once; creating one more fails with `LimitReached`.
   * @defaultValue 16 (config `defaults.event.max-listeners`)
   */
  maxListeners(value: number): this {
    this.#qos.maxListeners = value;
    return this;
  }
  /**
   * The most nodes (in practice: processes) that may have the service open at once; opening it
   * from one more fails with `LimitReached`.
   * @defaultValue 36 (config `defaults.event.max-nodes`)
   */
  maxNodes(value: number): this {
    this.#qos.maxNodes = value;
    return this;
  }
  /**
   * The largest event id notifiers may send; `notifyWithCustomEventId` above it fails with
   * `OutOfBounds`. Creating fails with `InvalidArgument` when a notifier event id set here is larger.
   * @defaultValue 255 (config `defaults.event.event-id-max-value`)
   */
  eventIdMaxValue(value: number): this {
    this.#qos.eventIdMaxValue = value;
    return this;
  }
  /**
   * Milliseconds within which some notifier must notify, else listeners see a missed deadline
   * (a {@link WaitSet} deadline attachment fires; the late `notify()` still notifies and then
   * returns `MissedDeadline`). A non-negative finite number, else `InvalidArgument`.
   * @defaultValue none (config `defaults.event.deadline`)
   */
  deadline(ms: number): this {
    this.#qos.deadlineMs = ms;
    return this;
  }
  /**
   * Creates the service without a deadline: notifiers may stay silent for any time. When
   * opening, requires a service without one.
   * @defaultValue none (config `defaults.event.deadline`)
   */
  disableDeadline(): this {
    this.#qos.deadlineMs = null;
    return this;
  }
  /**
   * The event id iceoryx2 sends to the listeners whenever a notifier is created.
   * @defaultValue none (config `defaults.event.notifier-created-event`)
   */
  notifierCreatedEvent(id: EventId): this {
    this.#qos.notifierCreatedEvent = id;
    return this;
  }
  /**
   * No event when a notifier is created. When opening, requires a service that sends none.
   * @defaultValue none (config `defaults.event.notifier-created-event`)
   */
  disableNotifierCreatedEvent(): this {
    this.#qos.notifierCreatedEvent = null;
    return this;
  }
  /**
   * The event id iceoryx2 sends to the listeners whenever a notifier is closed.
   * @defaultValue none (config `defaults.event.notifier-dropped-event`)
   */
  notifierDroppedEvent(id: EventId): this {
    this.#qos.notifierDroppedEvent = id;
    return this;
  }
  /**
   * No event when a notifier is closed. When opening, requires a service that sends none.
   * @defaultValue none (config `defaults.event.notifier-dropped-event`)
   */
  disableNotifierDroppedEvent(): this {
    this.#qos.notifierDroppedEvent = null;
    return this;
  }
  /**
   * The event id iceoryx2 sends to the listeners when a notifier's process is found dead
   * (during dead-node cleanup).
   * @defaultValue none (config `defaults.event.notifier-dead-event`)
   */
  notifierDeadEvent(id: EventId): this {
    this.#qos.notifierDeadEvent = id;
    return this;
  }
  /**
   * No event when a notifier's process is found dead. When opening, requires a service that
   * sends none.
   * @defaultValue none (config `defaults.event.notifier-dead-event`)
   */
  disableNotifierDeadEvent(): this {
    this.#qos.notifierDeadEvent = null;
    return this;
  }

  protected override validate(): Iox2Error | undefined {
    const { deadlineMs, notifierCreatedEvent, notifierDroppedEvent, notifierDeadEvent, ...counts } = this.#qos;
    const invalid = checkCounts(counts, (name) => (name === "eventIdMaxValue" ? 0 : 1));
    if (invalid !== undefined) return invalid;
    if (deadlineMs !== undefined && deadlineMs !== null && !(typeof deadlineMs === "number" && deadlineMs >= 0 && Number.isFinite(deadlineMs))) {
      return new Iox2Error("InvalidArgument", `deadline must be a non-negative number of milliseconds, got ${String(deadlineMs)}`);
    }
    for (const [name, id] of Object.entries({ notifierCreatedEvent, notifierDroppedEvent, notifierDeadEvent })) {
      if (id !== undefined && id !== null) {
        const bad = checkEventId(id, name);
        if (bad !== undefined) return bad;
      }
    }
    return undefined;
  }

  protected openService(native: Native, node: Handle, spec: { name: string; mode: OpenMode }): EventService {
    const handle = native.control("event.serviceOpen", node, { ...spec, qos: this.#qos });
    return new EventService(this.node, native, handle, this.name);
  }
}

/** An open event service: the factory of its notifiers and listeners. */
export class EventService extends Resource {
  /**
   * @internal
   * @param node The node the service was opened or created through.
   * @param name The service name.
   */
  constructor(
    readonly node: Node,
    native: Native,
    handle: Handle,
    readonly name: string,
  ) {
    super(native, handle, node);
  }

  protected get label(): string {
    return `Event service '${this.name}'`;
  }

  /** The service's static configuration (QoS and attributes), as stored by whoever created it. */
  staticConfig(): Result<EventStaticConfig> {
    return attempt(() => this.native.control("event.serviceInfo", this.handle));
  }

  /**
   * Every notifier and listener the service has now, in every process, with ids, names and
   * nodes (upstream's dynamic config: `list_notifiers`, `list_listeners`).
   */
  ports(): Result<EventPorts> {
    return attempt(() => this.native.control("event.servicePorts", this.handle));
  }

  /** Starts building a notifier of this service. */
  notifierBuilder(): NotifierBuilder {
    return new NotifierBuilder(this);
  }

  /** Starts building a listener of this service. */
  listenerBuilder(): ListenerBuilder {
    return new ListenerBuilder(this);
  }
}

/** Builds a {@link Notifier} (upstream's `notifier_builder()`); made by {@link EventService.notifierBuilder}. */
export class NotifierBuilder {
  #defaultEventId: EventId = 0;
  #name: string | undefined;

  /**
   * Names the port (upstream's `PortName`: at most 64 ASCII characters without NUL, else `create()` fails with
   * `InvalidArgument`). Peers see it in the service's port details.
   * @defaultValue "" (no name)
   */
  name(value: string): this {
    this.#name = value;
    return this;
  }


  /**
   * @internal
   * @param service The service the notifier will notify on.
   */
  constructor(readonly service: EventService) {}

  /**
   * The id `notify()` sends (a non-negative integer, else `create()` fails with `InvalidArgument`).
   * @defaultValue 0 (as upstream's `EventId::default()`)
   */
  defaultEventId(id: EventId): this {
    this.#defaultEventId = id;
    return this;
  }

  /**
   * Creates the notifier. Fails with `LimitReached` when the service already has `maxNotifiers`
   * notifiers, `InvalidArgument` for a bad default event id, `HandleClosed` when the service is closed.
   */
  create(): Result<Notifier> {
    const invalid = checkEventId(this.#defaultEventId, "defaultEventId") ?? checkPortName(this.#name);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      const { native, handle } = nativeOf(this.service);
      const notifier = native.control("event.notifierCreate", handle, { defaultEventId: this.#defaultEventId, name: this.#name });
      return withName(new Notifier(this.service, native, notifier, this.#defaultEventId), this.#name);
    });
  }
}

/** Wakes the service's listeners with an event id. */
export class Notifier extends Resource {
  /**
   * @internal
   * @param service The service the notifier notifies on.
   * @param defaultEventId The id `notify()` sends.
   */
  constructor(
    readonly service: EventService,
    native: Native,
    handle: Handle,
    readonly defaultEventId: EventId,
  ) {
    super(native, handle, service);
  }

  protected get label(): string {
    return "Notifier";
  }

  #id: string | undefined;

  /**
   * This notifier's system-wide unique id, as upstream prints it (hexadecimal): the same in every
   * process and language that looks at it. Read once while open, then remembered.
   */
  get id(): string {
    return (this.#id ??= this.native.control("event.notifierId", this.handle));
  }

  /** The name the port was built with (`name(…)` on its builder); "" when it has none. */
  get name(): string {
    return portName(this);
  }

  /** The service's deadline in milliseconds, or null (upstream's `Notifier::deadline`). */
  get deadline(): number | null {
    return this.native.control("event.notifierDeadline", this.handle);
  }

  /** Connects to listeners that appeared since (upstream's `update_connections`; a notification does it as well). */
  updateConnections(): Result<void> {
    return attempt(() => void this.native.ops.notifierUpdateConnections(this.handle, 0));
  }

  /**
   * Notifies every listener with the default event id; returns how many were reached. When
   * the service has a deadline and this notifier missed it, the listeners are still notified
   * and the result is a `MissedDeadline` error.
   */
  notify(): Result<number> {
    return this.notifyWithCustomEventId(this.defaultEventId);
  }

  /** Notifies every listener with `id` (at most the service's `eventIdMaxValue`, else `OutOfBounds`). */
  notifyWithCustomEventId(id: EventId): Result<number> {
    const invalid = checkEventId(id);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => this.native.ops.notifierNotify(this.handle, id));
  }

  /**
   * The listeners this notifier reaches now, with their ids, port names and nodes (upstream's
   * `for_each_listener` details).
   */
  listeners(): Result<PortInfo[]> {
    return attempt(() => this.native.control("event.notifierListeners", this.handle));
  }

  /**
   * Notifies only the listener with id `listenerId` (its `Listener.id`, from any process), with
   * `eventId` or the default id (upstream's `notify_single_listener`). Returns 1 when that
   * listener was connected and notified, 0 when no connected listener has that id (it is gone,
   * or belongs to another service); other listeners are not woken.
   */
  notifyListener(listenerId: string, eventId: EventId = this.defaultEventId): Result<number> {
    const invalid = checkEventId(eventId) ?? (typeof listenerId === "string" ? undefined : new Iox2Error("InvalidArgument", `a listener id must be a string (Listener.id), got ${typeof listenerId}`));
    if (invalid !== undefined) return err(invalid);
    return attempt(() => this.native.control("event.notifyListener", this.handle, { listenerId, eventId }));
  }
}

/** Builds a {@link Listener} (upstream's `listener_builder()`); made by {@link EventService.listenerBuilder}. */
export class ListenerBuilder {
  /**
   * @internal
   * @param service The service the listener will listen on.
   */
  constructor(readonly service: EventService) {}

  #name: string | undefined;

  /**
   * Names the port (upstream's `PortName`: at most 64 ASCII characters without NUL, else `create()` fails with
   * `InvalidArgument`). Peers see it in the service's port details.
   * @defaultValue "" (no name)
   */
  name(value: string): this {
    this.#name = value;
    return this;
  }

  /**
   * Creates the listener. Fails with `LimitReached` when the service already has `maxListeners`
   * listeners, `HandleClosed` when the service is closed.
   */
  create(): Result<Listener> {
    const invalid = checkPortName(this.#name);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      const { native, handle } = nativeOf(this.service);
      return withName(new Listener(this.service, native, native.control("event.listenerCreate", handle, { name: this.#name })), this.#name);
    });
  }
}

/**
 * Receives event ids. `wait()` awaits them without blocking the event loop (the native reactor
 * wakes this thread); `tryWait()` never blocks; `timedWait()` and `blockingWait()` block the
 * calling thread as upstream's do (for scripts and workers).
 */
export class Listener extends Resource {
  readonly #waits = new PendingWaits();
  /**
   * Whether the last drain took events. A notification racing with that drain can leave
   * iceoryx2 in its "notified" state with nothing on the descriptor, and later notifications
   * are not signalled until the next drain; so a sleep after such a drain drains first.
   */
  #drainTook = true;

  /**
   * @internal
   * @param service The service the listener listens on.
   */
  constructor(
    readonly service: EventService,
    native: Native,
    handle: Handle,
  ) {
    super(native, handle, service);
  }

  protected get label(): string {
    return "Listener";
  }

  #id: string | undefined;

  /**
   * This listener's system-wide unique id, as upstream prints it (hexadecimal): the same in every
   * process and language that looks at it. Read once while open, then remembered.
   */
  get id(): string {
    return (this.#id ??= this.native.control("event.listenerId", this.handle));
  }

  /** The name the port was built with (`name(…)` on its builder); "" when it has none. */
  get name(): string {
    return portName(this);
  }

  /** The service's deadline in milliseconds, or null. */
  get deadline(): number | null {
    return this.native.control("event.listenerDeadline", this.handle);
  }

  /** The events received since the last wait; empty when none. Never blocks. */
  tryWait(): Result<EventActivation[]> {
    return attempt(() => {
      const { native, handle } = this;
      const taken = this.#take();
      const events: EventActivation[] = [];
      const info = native.backend.sampleInfo;
      for (let from = 0; from < taken; from += TAKEN_EVENTS_PER_CALL) {
        // More ids than one take describes: page through the rest of what it took.
        if (from > 0) native.ops.listenerTake(handle, from, 0);
        for (let i = 0, at = SampleInfo.list; i < TAKEN_EVENTS_PER_CALL && from + i < taken; i++, at += 2) {
          events.push({ id: info[at]!, count: info[at + 1]! });
        }
      }
      return events;
    });
  }

  /** Blocks the thread until events arrive or `timeoutMs` passes (then empty). */
  timedWait(timeoutMs: number): Result<EventActivation[]> {
    const invalid = checkWaitOptions({ timeout: timeoutMs });
    if (invalid !== undefined) return err(invalid);
    return attempt(() =>
      this.#activations(this.native.control("event.listenerTimedWait", this.handle, { timeoutMs })),
    );
  }

  /** Blocks the thread until events arrive (or a signal interrupts it: `Interrupted`). */
  blockingWait(): Result<EventActivation[]> {
    return attempt(() => this.#activations(this.native.control("event.listenerBlockingWait", this.handle)));
  }

  /**
   * Awaits events without blocking the event loop. Resolves with the events, or with an empty
   * list when `timeout` passes first; with an `Aborted` error when `signal` aborts or the
   * listener is closed meanwhile.
   */
  async wait(options?: WaitOptions): Promise<Result<EventActivation[]>> {
    const invalid = checkWaitOptions(options);
    if (invalid !== undefined) return err(invalid);
    const deadline = options?.timeout === undefined ? undefined : Date.now() + options.timeout;
    for (;;) {
      const events = this.tryWait();
      if (events.isErr() || events.value.length > 0) return events;
      if (deadline !== undefined && Date.now() >= deadline) return events;
      const trigger = new Trigger(this.native);
      const forget = this.#waits.add(trigger);
      trigger.abortOn(options?.signal);
      trigger.timeout(remaining(deadline));
      trigger.watch(this.handle, this);
      const outcome = await trigger.done;
      forget();
      if (outcome instanceof Iox2Error) return err(outcome);
      if (this.isClosed) return err(this.closedError());
    }
  }

  /**
   * The events as they arrive, one batch per wake-up, until `signal` aborts or the listener
   * closes (then the loop ends without an error).
   */
  async *events(options?: { signal?: WaitOptions["signal"] }): AsyncGenerator<EventActivation[], void, undefined> {
    for (;;) {
      const batch = await this.wait({ signal: options?.signal });
      if (batch.isErr()) {
        if (batch.error.kind === "Aborted" || batch.error.kind === "HandleClosed") return;
        throw batch.error;
      }
      yield batch.value;
    }
  }

  /** @internal Whether events are waiting right now (for WaitSet). */
  isReadable(): boolean {
    return this.native.ops.listenerIsReadable(this.handle, 0) === 1;
  }

  /**
   * @internal Awaits `check()` returning a value, sleeping on this listener between checks and
   * draining its events (several waiters may share one listener: each arms its wake-up before it
   * checks, so none misses a wake-up another one drained). Resolves `undefined` on timeout.
   */
  async waitFor<T>(check: () => T | undefined, options?: WaitOptions & { pollInterval?: number }): Promise<Result<T | undefined>> {
    const invalid = checkStreamOptions(options);
    if (invalid !== undefined) return err(invalid);
    const deadline = options?.timeout === undefined ? undefined : Date.now() + options.timeout;
    const pollInterval = options?.pollInterval ?? Infinity;
    for (;;) {
      if (this.isClosed) return err(this.closedError());
      const trigger = new Trigger(this.native);
      const forget = this.#waits.add(trigger);
      trigger.abortOn(options?.signal);
      const left = remaining(deadline);
      // Peers that never notify are seen by checking again after `pollInterval`.
      const polls = pollInterval < (left ?? Infinity);
      trigger.timeout(polls ? pollInterval : left);
      trigger.watch(this.handle, this);
      const value = attempt(check);
      if (value.isErr() || value.value !== undefined) {
        trigger.fail(new Iox2Error("Aborted", "no longer needed"));
        forget();
        return value;
      }
      if (this.#drainTook) {
        const taken = attempt(() => this.#take());
        if (taken.isErr() || taken.value > 0) {
          trigger.fail(new Iox2Error("Aborted", "no longer needed"));
          forget();
          if (taken.isErr()) return err(taken.error);
          // What the drain took may be what `check` waits for: check again before sleeping.
          continue;
        }
      }
      const outcome = await trigger.done;
      forget();
      if (outcome instanceof Iox2Error) return err(outcome);
      if (outcome === "timeout") {
        if (polls) continue;
        return attempt(check);
      }
      const drained = attempt(() => this.#take());
      if (drained.isErr()) return err(drained.error);
    }
  }

  /**
   * @internal Lets a WaitSet watch this listener with `trigger`, which fails when the listener
   * closes; returns the unregistration.
   */
  watchWith(trigger: Trigger, label: unknown): () => void {
    trigger.watch(this.handle, label);
    return this.#waits.add(trigger);
  }

  protected override onClosed(): void {
    this.#waits.failAll(new Iox2Error("Aborted", "the listener was closed while it was awaited"));
  }

  /**
   * Takes the pending events natively in one crossing, which describes the first
   * `TAKEN_EVENTS_PER_CALL` of them in the info array; returns how many ids it took.
   */
  #take(): number {
    const native = this.native;
    const taken = native.ops.listenerTake(this.handle, 0, 0) ? native.backend.sampleInfo[SampleInfo.listed]! : 0;
    this.#drainTook = taken > 0;
    return taken;
  }

  #activations(pairs: [number, number][]): EventActivation[] {
    this.#drainTook = pairs.length > 0;
    return pairs.map(([id, count]) => ({ id, count }));
  }
}

/** How often a polling stream looks again for the event service a notifying peer may create. */
const COMPANION_RETRY_MS = 1000;

/**
 * @internal The async iteration behind `samples()`, `requests()` and `responses()`: yields what
 * `next()` returns, and while it returns `undefined`, sleeps until a wake-up on the companion
 * event service or until `pollInterval` passed (peers that never notify). The companion is only
 * opened when a peer created it (looked for again every second), except with `pollInterval`
 * Infinity, which relies on it and creates it. Ends without error when `next()` returns `null`,
 * `signal` aborts or the listener closes. `release` runs on each item when the loop moves on.
 */
export async function* wokenBy<T>(
  companion: Companion,
  next: () => T | null | undefined,
  options: StreamOptions | undefined,
  release?: (item: T) => void,
): AsyncGenerator<T, void, undefined> {
  const invalid = checkStreamOptions(options);
  if (invalid !== undefined) throw invalid;
  const pollInterval = options?.pollInterval ?? DEFAULT_POLL_INTERVAL_MS;
  const eventsOnly = pollInterval === Infinity;
  const wait = { signal: options?.signal, pollInterval };
  let listener = eventsOnly ? companion.listener() : undefined;
  let lookedForListener = -Infinity;
  for (;;) {
    if (options?.signal?.aborted) return;
    if (listener === undefined && Date.now() - lookedForListener >= COMPANION_RETRY_MS) {
      lookedForListener = Date.now();
      listener = companion.existingListener();
    }
    const item = listener !== undefined ? await listener.waitFor(next, wait) : await pollOnce(next, pollInterval, options?.signal);
    if (item.isErr()) {
      if (item.error.kind === "Aborted" || item.error.kind === "HandleClosed") return;
      throw item.error;
    }
    if (item.value === null) return;
    if (item.value === undefined) continue;
    try {
      yield item.value;
    } finally {
      release?.(item.value);
    }
  }
}

/** `next()`'s value, or `undefined` after sleeping `ms` when it has none (`Aborted` on abort). */
async function pollOnce<T>(next: () => T | null | undefined, ms: number, signal: StreamOptions["signal"]): Promise<Result<T | null | undefined>> {
  const value = attempt(next);
  if (value.isErr() || value.value !== undefined) return value;
  const trigger = new Trigger();
  trigger.abortOn(signal);
  trigger.timeout(ms);
  const outcome = await trigger.done;
  return outcome instanceof Iox2Error ? err(outcome) : ok(undefined);
}
