import { currentBackend } from "./backend.js";
import { Iox2Error } from "./errors.js";
import { isWellFormed } from "./text.js";
import type { EventQos } from "./event.js";
import { nativeFor } from "./native.js";
import type { ConfigOptions } from "./node.js";
import type { AllocationStrategy, BackpressureStrategy, PublishSubscribeQos } from "./publish-subscribe.js";
import { attempt, err, type Result } from "./result.js";
import type { Attribute } from "./service-builder.js";
import type { TypeDetails } from "./type-details.js";

/** Upstream's messaging patterns. A name may exist once per pattern: they are separate services. */
export type MessagingPattern = "publishSubscribe" | "event" | "requestResponse" | "blackboard";

export const MESSAGING_PATTERNS: readonly MessagingPattern[] = Object.freeze(["publishSubscribe", "event", "requestResponse", "blackboard"]);

/**
 * Upstream's `NodeState`: `alive`; `dead` (its process is gone, its resources stay until
 * {@link Node.cleanupDeadNodes}); `inaccessible` (no permission to tell); `undefined`
 * (inconsistent resources).
 */
export type NodeStateName = "alive" | "dead" | "inaccessible" | "undefined";

/** A node as `Node.list` sees it. Details (name, pid, executable) are null when unreadable. */
export interface NodeInfo {
  state: NodeStateName;
  /** The node's unique id, as upstream prints it (hexadecimal); the same as `node.id`. */
  id: string;
  name: string | null;
  pid: number | null;
  executable: string | null;
}

/** What `Node.cleanupDeadNodes` did. */
export interface CleanupReport {
  /** Dead nodes whose stale resources were removed. */
  removed: NodeInfo[];
  /** Dead nodes that could not be cleaned up (e.g. another process is at it), with iceoryx2's reason. */
  failed: { node: NodeInfo; reason: string }[];
}

/** The payload and user-header types of one direction of a request-response service. */
export interface MessageTypeDetails {
  payload: TypeDetails;
  userHeader: TypeDetails;
}

export interface RequestResponseServiceQos {
  enableSafeOverflowForRequests: boolean;
  enableSafeOverflowForResponses: boolean;
  enableFireAndForgetRequests: boolean;
  maxActiveRequestsPerClient: number;
  maxResponseBufferSize: number;
  maxBorrowedResponsesPerPendingResponse: number;
  maxLoanedRequests: number;
  maxServers: number;
  maxClients: number;
  maxNodes: number;
}

export interface BlackboardServiceQos {
  maxReaders: number;
  maxNodes: number;
}

export interface ServiceInfoBase {
  name: string;
  /** The service's hash: unique per name and pattern, the same in every process and language. */
  id: string;
  /** Sorted by key, then value. */
  attributes: Attribute[];
  /** The nodes that have the service open; null when they cannot be read. */
  nodes: NodeInfo[] | null;
}

/** A service's static configuration as `Service.list` and `Service.details` report it, by pattern. */
export type ServiceInfo =
  | (ServiceInfoBase & { pattern: "publishSubscribe"; payload: TypeDetails; userHeader: TypeDetails; qos: Required<PublishSubscribeQos> })
  | (ServiceInfoBase & { pattern: "event"; qos: Required<EventQos> })
  | (ServiceInfoBase & {
      pattern: "requestResponse";
      request: MessageTypeDetails;
      response: MessageTypeDetails;
      qos: RequestResponseServiceQos;
    })
  | (ServiceInfoBase & { pattern: "blackboard"; keyType: TypeDetails; qos: BlackboardServiceQos });

/** Upstream's `[defaults.publish-subscribe]`: what a service or port gets unless it says otherwise. */
export interface PublishSubscribeDefaults {
  maxSubscribers: number;
  maxPublishers: number;
  maxNodes: number;
  subscriberMaxBufferSize: number;
  subscriberMaxBorrowedSamples: number;
  publisherMaxLoanedSamples: number;
  publisherHistorySize: number;
  enableSafeOverflow: boolean;
  backpressureStrategy: BackpressureStrategy;
  subscriberExpiredConnectionBuffer: number;
  publisherAllocationStrategy: AllocationStrategy;
}

/** Upstream's `[defaults.event]`; `null` disables the deadline or an event id. */
export interface EventDefaults {
  maxListeners: number;
  maxNotifiers: number;
  maxNodes: number;
  eventIdMaxValue: number;
  deadlineMs: number | null;
  notifierCreatedEvent: number | null;
  notifierDroppedEvent: number | null;
  notifierDeadEvent: number | null;
}

/** Upstream's `[defaults.request-response]`. */
export interface RequestResponseDefaults {
  enableSafeOverflowForRequests: boolean;
  enableSafeOverflowForResponses: boolean;
  maxActiveRequestsPerClient: number;
  maxResponseBufferSize: number;
  maxServers: number;
  maxClients: number;
  maxNodes: number;
  maxBorrowedResponsesPerPendingResponse: number;
  maxLoanedRequests: number;
  serverMaxLoanedResponsesPerRequest: number;
  clientBackpressureStrategy: BackpressureStrategy;
  serverBackpressureStrategy: BackpressureStrategy;
  clientExpiredConnectionBuffer: number;
  enableFireAndForgetRequests: boolean;
  serverExpiredConnectionBuffer: number;
  clientAllocationStrategy: AllocationStrategy;
  serverAllocationStrategy: AllocationStrategy;
}

/** Upstream's `[defaults.blackboard]`. */
export interface BlackboardDefaults {
  maxReaders: number;
  maxNodes: number;
}

/** Every default of upstream's `[defaults]` tables, camelCase, durations in milliseconds. */
export interface Defaults {
  publishSubscribe: PublishSubscribeDefaults;
  event: EventDefaults;
  requestResponse: RequestResponseDefaults;
  blackboard: BlackboardDefaults;
}

/** Overrides of {@link Defaults} for {@link ConfigOptions.defaults}: any subset. Counts are integers in 0..2^32-1. */
export type DefaultsOverrides = { [P in keyof Defaults]?: Partial<Defaults[P]> };

/** The effective configuration of a node (upstream's `Config`, camelCase, durations in ms). */
export interface ResolvedConfig {
  global: {
    rootPath: string;
    prefix: string;
    creationTimeoutMs: number;
    service: {
      directory: string;
      flatbufferSchemaPath: string | null;
      dataSegmentSuffix: string;
      staticConfigStorageSuffix: string;
      dynamicConfigStorageSuffix: string;
      connectionSuffix: string;
      eventConnectionSuffix: string;
      blackboardMgmtSuffix: string;
      blackboardDataSuffix: string;
      typeDefinitionSuffix: string;
      cleanupDeadNodesOnOpen: boolean;
    };
    node: {
      directory: string;
      monitorSuffix: string;
      staticConfigSuffix: string;
      serviceTagSuffix: string;
      portTagSuffix: string;
      globalMgmtSuffix: string;
      cleanupDeadNodesOnCreation: boolean;
      cleanupDeadNodesOnDestruction: boolean;
    };
  };
  defaults: Defaults;
}

const CONFIG_KEYS = new Set(["file", "builtInDefaults", "prefix", "rootPath", "defaults"]);

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

function control<T>(op: string, args: object): T {
  return nativeFor(currentBackend()).control<T>(op, 0, args);
}

function checkServiceQuery(name: unknown, pattern: unknown, config: unknown): Iox2Error | undefined {
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

  /** Every service under `config` (default: iceoryx2's built-in config). */
  static list(config?: ConfigOptions): Result<ServiceInfo[]> {
    const invalid = checkConfigOptions(config);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => control<ServiceInfo[]>("discovery.listServices", { config: config ?? {} }));
  }

  /** The service `name` with messaging `pattern`, or null when it does not exist. */
  static details(name: string, pattern: MessagingPattern, config?: ConfigOptions): Result<ServiceInfo | null> {
    const invalid = checkServiceQuery(name, pattern, config);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => control<ServiceInfo | null>("discovery.serviceDetails", { name, pattern, config: config ?? {} }));
  }

  static doesExist(name: string, pattern: MessagingPattern, config?: ConfigOptions): Result<boolean> {
    const invalid = checkServiceQuery(name, pattern, config);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => control<boolean>("discovery.doesExist", { name, pattern, config: config ?? {} }));
  }
}

/** Every node under `config`, dead ones included (upstream's `Node::list`). */
export function listNodes(config?: ConfigOptions): Result<NodeInfo[]> {
  const invalid = checkConfigOptions(config);
  if (invalid !== undefined) return err(invalid);
  return attempt(() => control<NodeInfo[]>("discovery.listNodes", { config: config ?? {} }));
}

/** Removes the stale resources of every dead node under `config` (upstream's `DeadNodeView::try_remove_stale_resources`). */
export function cleanupDeadNodes(config?: ConfigOptions): Result<CleanupReport> {
  const invalid = checkConfigOptions(config);
  if (invalid !== undefined) return err(invalid);
  return attempt(() => control<CleanupReport>("discovery.cleanupDeadNodes", { config: config ?? {} }));
}

/**
 * The configuration a node built with `config` would get, and the file it came from (`source`,
 * null for iceoryx2's built-in defaults). Fails with `ConfigError` for a missing or malformed
 * file (the message names the file, line and column).
 */
export function resolveConfig(config?: ConfigOptions): Result<ResolvedConfig & { source: string | null }> {
  const invalid = checkConfigOptions(config);
  if (invalid !== undefined) return err(invalid);
  return attempt(() => control<ResolvedConfig & { source: string | null }>("config.resolve", config ?? {}));
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
