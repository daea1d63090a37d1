import { currentBackend } from "../native/backend.js";
import { Iox2Error } from "../base/errors.js";
import { isWellFormed } from "../base/text.js";
import type { BlackboardQos, EventQos, RequestResponseQos } from "../generated/control.js";
import { nativeFor, type Native } from "../native/native.js";
import type { ConfigOptions } from "./node.js";
import type { AllocationStrategy, BackpressureStrategy, PublishSubscribeQos } from "../patterns/publish-subscribe.js";
import { attempt, err, type Result } from "../base/result.js";
import type { Attribute } from "../ports/service-builder.js";
import type { TypeDetails } from "../layout/type-details.js";

/** Upstream's messaging patterns. A name may exist once per pattern: they are separate services. */
export type MessagingPattern = "publishSubscribe" | "event" | "requestResponse" | "blackboard";

/** Every {@link MessagingPattern}, e.g. to look a name up under each with {@link Service.details}. */
export const MESSAGING_PATTERNS: readonly MessagingPattern[] = Object.freeze(["publishSubscribe", "event", "requestResponse", "blackboard"]);

/**
 * Upstream's `NodeState`: `alive`; `dead` (its process is gone, its resources stay until
 * {@link Node.cleanupDeadNodes}); `inaccessible` (no permission to tell); `undefined`
 * (inconsistent resources).
 */
export type NodeStateName = "alive" | "dead" | "inaccessible" | "undefined";

/** A node as `Node.list` sees it. Details (name, pid, executable) are null when unreadable. */
export interface NodeInfo {
  /** Whether the node's process is alive (see {@link NodeStateName}). */
  state: NodeStateName;
  /** The node's unique id, as upstream prints it (hexadecimal); the same as `node.id`. */
  id: string;
  /** The node's name ("" when it has none). */
  name: string | null;
  /** The id of the process that created the node. */
  pid: number | null;
  /** The name of the program that created the node. */
  executable: string | null;
}

/** What `Node.cleanupDeadNodes` did. */
export interface CleanupReport {
  /** Dead nodes whose stale resources were removed. */
  removed: NodeInfo[];
  /** Dead nodes that could not be cleaned up (e.g. another process is at it), with iceoryx2's reason. */
  failed: {
    /** The dead node. */
    node: NodeInfo;
    /** iceoryx2's description of what went wrong. */
    reason: string
  }[];
}

/** The payload and user-header types of one direction of a request-response service. */
export interface MessageTypeDetails {
  /** The payload type. */
  payload: TypeDetails;
  /** The user header type; upstream's unit type `()` (size 0) when there is none. */
  userHeader: TypeDetails;
}

/** The QoS of a request-response service as discovery reports it: every value set. */
export type RequestResponseServiceQos = Required<RequestResponseQos>;

/** The QoS of a blackboard as discovery reports it: every value set. */
export type BlackboardServiceQos = Required<BlackboardQos>;

/** What {@link ServiceInfo} reports for every messaging pattern. */
export interface ServiceInfoBase {
  /** The service name. */
  name: string;
  /** The service's hash: unique per name and pattern, the same in every process and language. */
  id: string;
  /** The iceoryx2 version that created the service, as its static config stores it (e.g. "0.10.0"). */
  iceoryx2Version: string;
  /** Sorted by key, then value. */
  attributes: Attribute[];
  /** The nodes that have the service open; null when they cannot be read. */
  nodes: NodeInfo[] | null;
}

/** A service's static configuration as `Service.list` and `Service.details` report it, by pattern. */
export type ServiceInfo =
  | (ServiceInfoBase & {
      /** A publish-subscribe service. */
      pattern: "publishSubscribe";
      /** The payload type. */
      payload: TypeDetails;
      /** The user header type; upstream's unit type `()` (size 0) when there is none. */
      userHeader: TypeDetails;
      /** The QoS the service was created with. */
      qos: Required<PublishSubscribeQos>
    })
  | (ServiceInfoBase & {
      /** An event service. */
      pattern: "event";
      /** The QoS the service was created with (`null`: disabled). */
      qos: Required<EventQos>
    })
  | (ServiceInfoBase & {
      /** A request-response service. */
      pattern: "requestResponse";
      /** The request types. */
      request: MessageTypeDetails;
      /** The response types. */
      response: MessageTypeDetails;
      /** The QoS the service was created with. */
      qos: RequestResponseServiceQos;
    })
  | (ServiceInfoBase & {
      /** A blackboard. */
      pattern: "blackboard";
      /** The key type. */
      keyType: TypeDetails;
      /** The QoS the blackboard was created with. */
      qos: BlackboardServiceQos
    });

/** Upstream's `[defaults.publish-subscribe]`: what a service or port gets unless it says otherwise. */
export interface PublishSubscribeDefaults {
  /** `max-subscribers`: the default of `PublishSubscribeServiceBuilder.maxSubscribers`. */
  maxSubscribers: number;
  /** `max-publishers`: the default of `PublishSubscribeServiceBuilder.maxPublishers`. */
  maxPublishers: number;
  /** `max-nodes`: the default of `PublishSubscribeServiceBuilder.maxNodes`. */
  maxNodes: number;
  /** `subscriber-max-buffer-size`: the default of `PublishSubscribeServiceBuilder.subscriberMaxBufferSize`. */
  subscriberMaxBufferSize: number;
  /** `subscriber-max-borrowed-samples`: the default of `PublishSubscribeServiceBuilder.subscriberMaxBorrowedSamples`. */
  subscriberMaxBorrowedSamples: number;
  /** `publisher-max-loaned-samples`: the default of `PublisherBuilder.maxLoanedSamples`. */
  publisherMaxLoanedSamples: number;
  /** `publisher-history-size`: the default of `PublishSubscribeServiceBuilder.historySize`. */
  publisherHistorySize: number;
  /** `enable-safe-overflow`: the default of `PublishSubscribeServiceBuilder.enableSafeOverflow`. */
  enableSafeOverflow: boolean;
  /** `backpressure-strategy`: the default of a publisher's `backpressure`. */
  backpressureStrategy: BackpressureStrategy;
  /** `subscriber-expired-connection-buffer`: how many closed publishers' connections a subscriber keeps to drain their last samples. */
  subscriberExpiredConnectionBuffer: number;
  /** `publisher-allocation-strategy`: the default of a publisher's `allocationStrategy`. */
  publisherAllocationStrategy: AllocationStrategy;
}

/** Upstream's `[defaults.event]`; `null` disables the deadline or an event id. */
export interface EventDefaults {
  /** `max-listeners`: the default of `EventServiceBuilder.maxListeners`. */
  maxListeners: number;
  /** `max-notifiers`: the default of `EventServiceBuilder.maxNotifiers`. */
  maxNotifiers: number;
  /** `max-nodes`: the default of `EventServiceBuilder.maxNodes`. */
  maxNodes: number;
  /** `event-id-max-value`: the default of `EventServiceBuilder.eventIdMaxValue`. */
  eventIdMaxValue: number;
  /** `deadline`, in milliseconds: the default of `EventServiceBuilder.deadline`. */
  deadlineMs: number | null;
  /** `notifier-created-event`: the default of `EventServiceBuilder.notifierCreatedEvent`. */
  notifierCreatedEvent: number | null;
  /** `notifier-dropped-event`: the default of `EventServiceBuilder.notifierDroppedEvent`. */
  notifierDroppedEvent: number | null;
  /** `notifier-dead-event`: the default of `EventServiceBuilder.notifierDeadEvent`. */
  notifierDeadEvent: number | null;
}

/** Upstream's `[defaults.request-response]`. */
export interface RequestResponseDefaults {
  /** `enable-safe-overflow-for-requests`: the default of `RequestResponseServiceBuilder.enableSafeOverflowForRequests`. */
  enableSafeOverflowForRequests: boolean;
  /** `enable-safe-overflow-for-responses`: the default of `RequestResponseServiceBuilder.enableSafeOverflowForResponses`. */
  enableSafeOverflowForResponses: boolean;
  /** `max-active-requests-per-client`: the default of `RequestResponseServiceBuilder.maxActiveRequestsPerClient`. */
  maxActiveRequestsPerClient: number;
  /** `max-response-buffer-size`: the default of `RequestResponseServiceBuilder.maxResponseBufferSize`. */
  maxResponseBufferSize: number;
  /** `max-servers`: the default of `RequestResponseServiceBuilder.maxServers`. */
  maxServers: number;
  /** `max-clients`: the default of `RequestResponseServiceBuilder.maxClients`. */
  maxClients: number;
  /** `max-nodes`: the default of `RequestResponseServiceBuilder.maxNodes`. */
  maxNodes: number;
  /** `max-borrowed-responses-per-pending-response`: the default of `RequestResponseServiceBuilder.maxBorrowedResponsesPerPendingResponse`. */
  maxBorrowedResponsesPerPendingResponse: number;
  /** `max-loaned-requests`: the default of `RequestResponseServiceBuilder.maxLoanedRequests`. */
  maxLoanedRequests: number;
  /** `server-max-loaned-responses-per-request`: the default of `ServerBuilder.maxLoanedResponsesPerRequest`. */
  serverMaxLoanedResponsesPerRequest: number;
  /** `client-backpressure-strategy`: the default of a client's `backpressure`. */
  clientBackpressureStrategy: BackpressureStrategy;
  /** `server-backpressure-strategy`: the default of a server's `backpressure`. */
  serverBackpressureStrategy: BackpressureStrategy;
  /** `client-expired-connection-buffer`: how many closed servers' connections a client keeps to drain their last responses. */
  clientExpiredConnectionBuffer: number;
  /** `enable-fire-and-forget-requests`: the default of `RequestResponseServiceBuilder.enableFireAndForgetRequests`. */
  enableFireAndForgetRequests: boolean;
  /** `server-expired-connection-buffer`: how many closed clients' connections a server keeps to drain their last requests. */
  serverExpiredConnectionBuffer: number;
  /** `client-allocation-strategy`: the default of a client's `allocationStrategy`. */
  clientAllocationStrategy: AllocationStrategy;
  /** `server-allocation-strategy`: the default of a server's `allocationStrategy`. */
  serverAllocationStrategy: AllocationStrategy;
}

/** Upstream's `[defaults.blackboard]`. */
export interface BlackboardDefaults {
  /** `max-readers`: the default of `BlackboardCreator.maxReaders`. */
  maxReaders: number;
  /** `max-nodes`: the default of `BlackboardCreator.maxNodes`. */
  maxNodes: number;
}

/** Every default of upstream's `[defaults]` tables, camelCase, durations in milliseconds. */
export interface Defaults {
  /** `[defaults.publish-subscribe]`. */
  publishSubscribe: PublishSubscribeDefaults;
  /** `[defaults.event]`. */
  event: EventDefaults;
  /** `[defaults.request-response]`. */
  requestResponse: RequestResponseDefaults;
  /** `[defaults.blackboard]`. */
  blackboard: BlackboardDefaults;
}

/** Overrides of {@link Defaults} for {@link ConfigOptions.defaults}: any subset. Counts are integers in 0..2^32-1. */
export type DefaultsOverrides = { [P in keyof Defaults]?: Partial<Defaults[P]> };

/** The effective configuration of a node (upstream's `Config`, camelCase, durations in ms). */
export interface ResolvedConfig {
  /** Upstream's `[global]`: where iceoryx2 keeps its files; must match between processes that talk. */
  global: {
    /** `root-path`: the directory under which every iceoryx2 file is created. */
    rootPath: string;
    /** `prefix`: prefix of every file iceoryx2 creates (the domain). */
    prefix: string;
    /** `creation-timeout`, in milliseconds: how long opening waits for a service another process is still creating. */
    creationTimeoutMs: number;
    /** `[global.service]`: where and how service files are named. */
    service: {
      /** `directory`: the service files' directory under the root path. */
      directory: string;
      /** `flatbuffer-schema-path`: where iceoryx2 looks for flatbuffer schemas; `null` for none. */
      flatbufferSchemaPath: string | null;
      /** `data-segment-suffix`: of ports' data segments. */
      dataSegmentSuffix: string;
      /** `static-config-storage-suffix`: of a service's static config file. */
      staticConfigStorageSuffix: string;
      /** `dynamic-config-storage-suffix`: of a service's dynamic config file. */
      dynamicConfigStorageSuffix: string;
      /** `connection-suffix`: of connections between two ports. */
      connectionSuffix: string;
      /** `event-connection-suffix`: of event connections. */
      eventConnectionSuffix: string;
      /** `blackboard-mgmt-suffix`: of a blackboard's management segment. */
      blackboardMgmtSuffix: string;
      /** `blackboard-data-suffix`: of a blackboard's data segment. */
      blackboardDataSuffix: string;
      /** `type-definition-suffix`: of a service's type definition file. */
      typeDefinitionSuffix: string;
      /** `cleanup-dead-nodes-on-open`: opening a service first removes what dead nodes left behind. */
      cleanupDeadNodesOnOpen: boolean;
    };
    /** `[global.node]`: where and how node files are named. */
    node: {
      /** `directory`: the node files' directory under the root path. */
      directory: string;
      /** `monitor-suffix`: of a node's liveness token. */
      monitorSuffix: string;
      /** `static-config-suffix`: of a node's details file. */
      staticConfigSuffix: string;
      /** `service-tag-suffix`: of the tags marking the services a node uses. */
      serviceTagSuffix: string;
      /** `port-tag-suffix`: of the tags marking a node's ports. */
      portTagSuffix: string;
      /** `global-mgmt-suffix`: of the global management segment. */
      globalMgmtSuffix: string;
      /** `cleanup-dead-nodes-on-creation`: creating a node first removes what dead nodes left behind. */
      cleanupDeadNodesOnCreation: boolean;
      /** `cleanup-dead-nodes-on-destruction`: closing a node removes what dead nodes left behind. */
      cleanupDeadNodesOnDestruction: boolean;
    };
  };
  /** Upstream's `[defaults]`: what services and ports get unless the code sets otherwise. */
  defaults: Defaults;
}

const CONFIG_KEYS = new Set(["file", "builtInDefaults", "prefix", "rootPath", "flatbufferSchemaPath", "defaults"]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Checks the shape of config options before anything native runs; values inside `defaults` are
 * checked natively against upstream's config (unknown keys, ranges, strategy names).
 */
export function checkConfigOptions(options: unknown): Iox2Error | undefined {
  const invalid = (message: string) => new Iox2Error("InvalidArgument", `config: ${message}`);
  if (options === undefined) return undefined;
  if (!isPlainObject(options)) return invalid(`options must be an object, got ${options === null ? "null" : typeof options}`);
  for (const [key, value] of Object.entries(options)) {
    if (!CONFIG_KEYS.has(key)) return invalid(`unknown option '${key}'`);
    if (value === undefined) continue;
    if (key === "builtInDefaults") {
      if (typeof value !== "boolean") return invalid(`builtInDefaults must be a boolean, got ${typeof value}`);
    } else if (key === "defaults") {
      if (!isPlainObject(value)) return invalid(`defaults must be an object, got ${value === null ? "null" : typeof value}`);
      try {
        JSON.stringify(value);
      } catch {
        return invalid("defaults must hold plain numbers, booleans and strings (no bigints or cycles)");
      }
    } else if (typeof value !== "string" || value.length === 0) {
      return invalid(`${key} must be a non-empty string, got ${typeof value === "string" ? '""' : typeof value}`);
    } else if (!isWellFormed(value)) {
      return new Iox2Error("InvalidName", `config: ${key} ${JSON.stringify(value)} has a lone surrogate, so it is not a valid file name`);
    }
  }
  return undefined;
}

/** The native layer of the installed backend (discovery needs no node). */
function native(): Native {
  return nativeFor(currentBackend());
}

/** Checks a service name, messaging pattern and config before anything native runs. */
export function checkServiceQuery(name: unknown, pattern: unknown, config: unknown): Iox2Error | undefined {
  if (typeof name !== "string") return new Iox2Error("InvalidName", `service name must be a string, got ${typeof name}`);
  if (!MESSAGING_PATTERNS.includes(pattern as MessagingPattern)) {
    return new Iox2Error("InvalidArgument", `messaging pattern must be one of ${MESSAGING_PATTERNS.join(", ")}, got ${String(pattern)}`);
  }
  return checkConfigOptions(config);
}

/**
 * Upstream's service discovery (`Service::list`, `Service::details`, `Service::does_exist`)
 * under a config: only services under the config's prefix and root path are seen, no node is
 * needed. Uses the backend the imported runtime adapter installed.
 */
export abstract class Service {
  private constructor() {}

  /**
   * Every service under `config` (default: the config a node gets without options; see
   * {@link ConfigOptions}). Fails with `InvalidArgument` or `ConfigError` for bad config options.
   */
  static list(config?: ConfigOptions): Result<ServiceInfo[]> {
    const invalid = checkConfigOptions(config);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => native().control("discovery.listServices", 0, { config: config ?? {} }));
  }

  /** The service `name` with messaging `pattern`, or null when it does not exist. */
  static details(name: string, pattern: MessagingPattern, config?: ConfigOptions): Result<ServiceInfo | null> {
    const invalid = checkServiceQuery(name, pattern, config);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => native().control("discovery.serviceDetails", 0, { name, pattern, config: config ?? {} }));
  }

  /**
   * Whether the service `name` exists with messaging `pattern` under `config` (upstream's
   * `Service::does_exist`). Fails with `InvalidName` for a name that is not a string,
   * `InvalidArgument` for an unknown pattern or bad config options.
   */
  static doesExist(name: string, pattern: MessagingPattern, config?: ConfigOptions): Result<boolean> {
    const invalid = checkServiceQuery(name, pattern, config);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => native().control("discovery.doesExist", 0, { name, pattern, config: config ?? {} }));
  }
}

/** Every node under `config`, dead ones included (upstream's `Node::list`). */
export function listNodes(config?: ConfigOptions): Result<NodeInfo[]> {
  const invalid = checkConfigOptions(config);
  if (invalid !== undefined) return err(invalid);
  return attempt(() => native().control("discovery.listNodes", 0, { config: config ?? {} }));
}

/** Removes the stale resources of every dead node under `config` (upstream's `DeadNodeView::try_remove_stale_resources`). */
export function cleanupDeadNodes(config?: ConfigOptions, options: CleanupOptions = {}): Result<CleanupReport> {
  const invalid = checkConfigOptions(config);
  if (invalid !== undefined) return err(invalid);
  return attempt(() => native().control("discovery.cleanupDeadNodes", 0, { config: config ?? {}, ...options }));
}

/** What `Node.cleanupDeadNodes` covers and how long it may wait. */
export interface CleanupOptions {
  /** Only the dead node with this id (`NodeInfo.id`); absent: every dead node. */
  nodeId?: string;
  /**
   * Wait up to this many milliseconds for each dead node another process is cleaning up right
   * now (upstream's `blocking_remove_stale_resources`), blocking this thread that long at most
   * per node; absent: such nodes are skipped at once (listed under `failed`).
   */
  timeoutMs?: number;
  /**
   * Only dead nodes registered with this service (they had it open when they died), for a
   * service whose crashed users keep their ports' slots taken; absent: every dead node. A
   * service that does not exist has none.
   */
  service?: {
    /** The service's name. */
    name: string;
    /** Its messaging pattern. */
    pattern: MessagingPattern;
  };
}

/**
 * The configuration a node built with `config` would get, and the file it came from (`source`,
 * null for iceoryx2's built-in defaults). Fails with `ConfigError` for a missing or malformed
 * file (the message names the file, line and column).
 */
export function resolveConfig(config?: ConfigOptions): Result<ResolvedConfig & {
  /** The config file the result was loaded from; `null` for iceoryx2's built-in defaults. */
  source: string | null }> {
  const invalid = checkConfigOptions(config);
  if (invalid !== undefined) return err(invalid);
  return attempt(() => native().control("config.resolve", 0, config ?? {}));
}

let isolatedCount = 0;

/**
 * Config options for tests: a prefix no other process or test uses (services and nodes under it
 * are invisible to everything else) over the built-in defaults (no stray config file changes
 * them). `label` (letters, digits, `_`) helps find leftovers.
 */
export function isolatedConfig(label: string): ConfigOptions {
  const random = new Uint32Array(2);
  // Web Crypto is global in Node >= 19, Deno and Bun; core-api's lib types do not declare it.
  (globalThis as unknown as { crypto: { getRandomValues(array: Uint32Array): Uint32Array } }).crypto.getRandomValues(random);
  const tag = `${Date.now().toString(36)}${[...random].map((n) => n.toString(36)).join("")}${(isolatedCount++).toString(36)}`;
  return { prefix: `iox2js_${String(label).replace(/\W/g, "_").slice(0, 32)}_${tag}_`, builtInDefaults: true };
}
