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

/** Where iceoryx2 keeps its files; see upstream's `config/iceoryx2.toml`. */
export interface ConfigOptions {
  /** A TOML config file; without it iceoryx2's built-in defaults are used. */
  file?: string;
  /** Prefix of every file iceoryx2 creates. Services under different prefixes never see each other. */
  prefix?: string;
  /** Directory for iceoryx2's service and node files (default `/tmp/iceoryx2/`). */
  rootPath?: string;
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

  config(options: ConfigOptions): this {
    this.#config = { ...options };
    return this;
  }

  create(): Result<Node> {
    if (this.#name !== undefined && typeof this.#name !== "string") {
      return err(new Iox2Error("InvalidName", `node name must be a string, got ${typeof this.#name}`));
    }
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
