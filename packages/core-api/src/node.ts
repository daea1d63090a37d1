import { currentBackend, type Backend, type Handle } from "./backend.js";
import { nativeFor, type Native } from "./native.js";
import { Resource } from "./lifecycle.js";
import type { AnyLayoutType, PayloadType } from "./layout.js";
import { PublishSubscribeServiceBuilder } from "./publish-subscribe.js";
import { EventServiceBuilder } from "./event.js";
import { RequestResponseServiceBuilder } from "./request-response.js";
import { BlackboardCreator, BlackboardOpener } from "./blackboard.js";
import { attempt, err, type Result } from "./result.js";
import { Iox2Error } from "./errors.js";
import {
  checkConfigOptions,
  cleanupDeadNodes,
  listNodes,
  type CleanupReport,
  type DefaultsOverrides,
  type NodeInfo,
  type ResolvedConfig,
} from "./discovery.js";

/**
 * Upstream's `Config`: where iceoryx2 keeps its files and the defaults of every service. The base
 * is iceoryx2's built-in config unless `file` or `useDefaultSearchOrder` says otherwise; `prefix`,
 * `rootPath` and `defaults` then override it. `resolveConfig(options)` shows the result.
 */
export interface ConfigOptions {
  /** A TOML config file in upstream's format; a missing or malformed one fails with `ConfigError` naming file and line. */
  file?: string;
  /**
   * Load the first config file upstream's `Config::global_config()` finds: `config/iceoryx2.toml`
   * under the working directory, then `~/.config/iceoryx2/iceoryx2.toml`, then
   * `/etc/iceoryx2/iceoryx2.toml` (built-in defaults if none exists). Off by default so a
   * process's config never depends on stray files; cannot be combined with `file`.
   */
  useDefaultSearchOrder?: boolean;
  /**
   * Prefix of every file iceoryx2 creates: a domain. Services and nodes under different
   * prefixes never see each other. Root path and prefix may be 127 bytes long together.
   */
  prefix?: string;
  /** Directory for iceoryx2's service and node files (default `/tmp/iceoryx2/`). */
  rootPath?: string;
  /** Overrides of upstream's `[defaults.*]` tables, e.g. `{ publishSubscribe: { maxSubscribers: 4 } }`. */
  defaults?: DefaultsOverrides;
}

/** Creates a {@link Node}, the entry point to every service. Mirrors upstream's `NodeBuilder`. */
export class NodeBuilder {
  readonly #backend: Backend | undefined;
  #name: string | undefined;
  #signalHandling = false;
  #config: ConfigOptions = {};

  /** `backend` defaults to the one the imported runtime adapter installed. */
  constructor(backend?: Backend) {
    this.#backend = backend;
  }

  /** The node's name, visible to other processes when they list nodes. */
  name(value: string): this {
    this.#name = value;
    return this;
  }

  /**
   * Whether iceoryx2 installs its own SIGINT/SIGTERM handlers. Off by default: JavaScript
   * runtimes own their signals, and iceoryx2's handler would swallow them.
   */
  signalHandling(enabled: boolean): this {
    this.#signalHandling = enabled;
    return this;
  }

  /** The node's config; every service the node opens or creates uses it. */
  config(options: ConfigOptions): this {
    // A copy, so later changes to `options` do not reach the node; non-objects fail in create().
    this.#config = typeof options === "object" && options !== null ? { ...options } : options;
    return this;
  }

  create(): Result<Node> {
    if (this.#name !== undefined && typeof this.#name !== "string") {
      return err(new Iox2Error("InvalidName", `node name must be a string, got ${typeof this.#name}`));
    }
    const invalidConfig = checkConfigOptions(this.#config);
    if (invalidConfig !== undefined) return err(invalidConfig);
    return attempt(() => {
      const native = nativeFor(this.#backend ?? currentBackend());
      const spec = { name: this.#name, signalHandling: this.#signalHandling === true, config: this.#config };
      return new Node(native, native.control<Handle>("node.create", 0, spec));
    });
  }
}

/** A process's identity in iceoryx2; services and ports are created through it. */
export class Node extends Resource {
  /** @internal Created by {@link NodeBuilder.create}. */
  constructor(native: Native, handle: Handle) {
    super(native, handle, undefined);
  }

  protected get label(): string {
    return "Node";
  }

  /** The node's name ("" when it has none). */
  get name(): string {
    return this.native.control<string>("node.name", this.handle);
  }

  #id: string | undefined;
  #config: ResolvedConfig | undefined;

  /** The node's unique id (as `Node.list` shows it). Read once while open, then remembered. */
  get id(): string {
    return (this.#id ??= this.native.control<string>("node.id", this.handle));
  }

  /** The effective config the node uses. Read once while open, then remembered. */
  get config(): ResolvedConfig {
    return (this.#config ??= this.native.control<ResolvedConfig>("node.config", this.handle));
  }

  /** Every node under `config`, dead ones included (upstream's `Node::list`). */
  static list(config?: ConfigOptions): Result<NodeInfo[]> {
    return listNodes(config);
  }

  /**
   * Removes the stale resources of every dead node under `config` (nodes whose process died
   * without closing them). Creating and closing nodes does this as well, by upstream's defaults.
   */
  static cleanupDeadNodes(config?: ConfigOptions): Result<CleanupReport> {
    return cleanupDeadNodes(config);
  }

  /** Starts building the service `name` (e.g. `"My/Funk/ServiceName"`). */
  serviceBuilder(name: string): ServiceBuilder {
    return new ServiceBuilder(this, name);
  }
}

/** Chooses the messaging pattern of a service. */
export class ServiceBuilder {
  constructor(
    readonly node: Node,
    readonly name: string,
  ) {}

  /**
   * A publish-subscribe service carrying `payload`: a primitive (`u64`), an array, a
   * `struct(...)`, or a `slice(...)` for dynamic-length payloads.
   */
  publishSubscribe<P extends PayloadType>(payload: P): PublishSubscribeServiceBuilder<P, undefined> {
    return new PublishSubscribeServiceBuilder(this.node, this.name, payload, undefined);
  }

  /** An event service: notifiers wake listeners with event ids. */
  event(): EventServiceBuilder {
    return new EventServiceBuilder(this.node, this.name);
  }

  /**
   * A request-response service: clients send `request`s, servers answer each with a stream of
   * `response`s. Both are layouts as in `publishSubscribe` (primitives, arrays, structs, slices).
   */
  requestResponse<Req extends PayloadType, Res extends PayloadType>(
    request: Req,
    response: Res,
  ): RequestResponseServiceBuilder<Req, undefined, Res, undefined> {
    return new RequestResponseServiceBuilder(this.node, this.name, request, undefined, response, undefined);
  }

  /** Creates a blackboard whose keys are `keyType` values (a primitive, array or struct of at most 64 bytes). */
  blackboardCreator<K extends AnyLayoutType>(keyType: K): BlackboardCreator<K> {
    return new BlackboardCreator(this.node, this.name, keyType);
  }

  /** Opens an existing blackboard whose keys are `keyType` values. */
  blackboardOpener<K extends AnyLayoutType>(keyType: K): BlackboardOpener<K> {
    return new BlackboardOpener(this.node, this.name, keyType);
  }
}
