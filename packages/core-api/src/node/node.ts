import { currentBackend, type Backend, type Handle } from "../native/backend.js";
import { nativeFor, type Native } from "../native/native.js";
import { Resource } from "../ports/lifecycle.js";
import type { AnyLayoutType, PayloadType } from "../layout/index.js";
import { PublishSubscribeServiceBuilder } from "../patterns/publish-subscribe.js";
import { EventServiceBuilder } from "../patterns/event.js";
import { RequestResponseServiceBuilder } from "../patterns/request-response.js";
import { BlackboardCreator, BlackboardOpener } from "../patterns/blackboard.js";
import { attempt, err, ok, type Result } from "../base/result.js";
import { Iox2Error } from "../base/errors.js";
import { isWellFormed } from "../base/text.js";
import { timers, type AbortSignalLike } from "../ports/waiting.js";
import {
  checkConfigOptions,
  cleanupDeadNodes,
  listNodes,
  checkServiceQuery,
  type CleanupOptions,
  type CleanupReport,
  type MessagingPattern,
  type DefaultsOverrides,
  type NodeInfo,
  type ResolvedConfig,
} from "./discovery.js";

/**
 * Upstream's `Config`: where iceoryx2 keeps its files and the defaults of every service. The base
 * is what upstream's programs and the `iox2` CLI load, so they and this process see each other:
 * the first of `config/iceoryx2.toml` under the working directory,
 * `~/.config/iceoryx2/iceoryx2.toml` and `/etc/iceoryx2/iceoryx2.toml` that loads (a malformed
 * one is skipped with a warning naming its line, as upstream does), else iceoryx2's built-in
 * defaults. `file` or `builtInDefaults` choose another base; `prefix`, `rootPath` and `defaults`
 * then override it. `resolveConfig(options)` shows the result and the file it came from.
 */
export interface ConfigOptions {
  /** A TOML config file in upstream's format instead of the search; a missing or malformed one fails with `ConfigError` naming file and line. */
  file?: string;
  /**
   * iceoryx2's built-in defaults, ignoring every config file (tests and reproducible setups).
   * Cannot be combined with `file`.
   */
  builtInDefaults?: boolean;
  /**
   * Prefix of every file iceoryx2 creates: a domain. Services and nodes under different
   * prefixes never see each other. Root path and prefix may be 127 bytes long together.
   */
  prefix?: string;
  /** Directory for iceoryx2's service and node files (default `/tmp/iceoryx2/`). */
  rootPath?: string;
  /**
   * Where FlatBuffers services look for their binary schemas (`<rootType>.bfbs`, or in a
   * `<namespace>` subdirectory): upstream's `global.service.flatbuffer-schema-path`, which
   * upstream's examples set from `IOX2_FLATBUFFER_SCHEMA_PATH`.
   */
  flatbufferSchemaPath?: string;
  /** Overrides of upstream's `[defaults.*]` tables, e.g. `{ publishSubscribe: { maxSubscribers: 4 } }`. */
  defaults?: DefaultsOverrides;
}

/** Sets the backend a builder's node runs over (kept off the public class's signature). */
let useBackend: (builder: NodeBuilder, backend: Backend) => NodeBuilder;

/** A builder whose node runs over `backend` instead of the adapter's: for this project's tests. */
export function nodeBuilderOver(backend: Backend): NodeBuilder {
  return useBackend(new NodeBuilder(), backend);
}

/** Creates a {@link Node}, the entry point to every service. Mirrors upstream's `NodeBuilder`. */
export class NodeBuilder {
  #backend: Backend | undefined;
  #name: string | undefined;
  #config: ConfigOptions = {};

  static {
    useBackend = (builder, backend) => {
      builder.#backend = backend;
      return builder;
    };
  }

  /** Starts a node with no name and the default config (see {@link ConfigOptions}). */
  constructor() {}

  /** The node's name, visible to other processes when they list nodes. */
  name(value: string): this {
    this.#name = value;
    return this;
  }

  /** The node's config; every service the node opens or creates uses it. */
  config(options: ConfigOptions): this {
    // A copy, so later changes to `options` do not reach the node; non-objects fail in create().
    this.#config = typeof options === "object" && options !== null ? { ...options } : options;
    return this;
  }

  /**
   * Creates the node (upstream's `NodeBuilder::create`). Fails with `InvalidName` for a name
   * that is not a string or not valid for iceoryx2, `InvalidArgument` or `InvalidName` for
   * malformed config options, `ConfigError` for a config file that cannot be read or a root path
   * iceoryx2 cannot use, `PermissionDenied`, and `LibraryLoadFailure` when the native library
   * cannot be loaded.
   */
  create(): Result<Node> {
    if (this.#name !== undefined && typeof this.#name !== "string") {
      return err(new Iox2Error("InvalidName", `node name must be a string, got ${typeof this.#name}`));
    }
    if (this.#name !== undefined && !isWellFormed(this.#name)) {
      return err(new Iox2Error("InvalidName", `node name ${JSON.stringify(this.#name)} has a lone surrogate, so it is not valid Unicode`));
    }
    const invalidConfig = checkConfigOptions(this.#config);
    if (invalidConfig !== undefined) return err(invalidConfig);
    return attempt(() => {
      const native = nativeFor(this.#backend ?? currentBackend());
      const spec = { name: this.#name, config: this.#config };
      return new Node(native, native.control("node.create", 0, spec));
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
    return this.native.control("node.name", this.handle);
  }

  #id: string | undefined;
  #config: ResolvedConfig | undefined;

  /** The node's unique id (as `Node.list` shows it). Read once while open, then remembered. */
  get id(): string {
    return (this.#id ??= this.native.control("node.id", this.handle));
  }

  /** The effective config the node uses. Read once while open, then remembered. */
  get config(): ResolvedConfig {
    return (this.#config ??= this.native.control("node.config", this.handle));
  }

  /** Every node under `config`, dead ones included (upstream's `Node::list`). */
  static list(config?: ConfigOptions): Result<NodeInfo[]> {
    return listNodes(config);
  }

  /**
   * Removes the stale resources of every dead node under `config` (nodes whose process died
   * without closing them), or only of `options.nodeId`, or only of those registered with
   * `options.service`. Creating and closing nodes does this as well, by upstream's defaults. A node another process is cleaning up at the same time is
   * skipped, or waited for up to `options.timeoutMs`.
   */
  static cleanupDeadNodes(config?: ConfigOptions, options?: CleanupOptions): Result<CleanupReport> {
    return cleanupDeadNodes(config, options);
  }

  /**
   * Removes service `name` of messaging pattern `pattern` by force, with everything iceoryx2
   * keeps for it, under this node's config (upstream's `Node::force_remove_service`): for a
   * service a crash left in a state no process can open (`ServiceInCorruptedState`,
   * `ServiceInFlux`). Returns whether anything was removed. Refused with `ServiceInUse` while
   * a live node (this one included) has the service open: upstream requires that nobody uses
   * it, since their mappings would go away under them.
   */
  forceRemoveService(name: string, pattern: MessagingPattern): Result<boolean> {
    const invalid = checkServiceQuery(name, pattern, undefined);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => this.native.control("node.forceRemoveService", this.handle, { name, pattern }));
  }

  /** Starts building the service `name` (e.g. `"My/Funk/ServiceName"`). */
  serviceBuilder(name: string): ServiceBuilder {
    return new ServiceBuilder(this, name);
  }

  /**
   * Waits `ms` milliseconds without blocking the event loop: upstream's `node.wait(cycle)`, the
   * heart of its examples' loops. Resolves `Ok` after the time, or `Err` with kind `Interrupted`
   * as soon as SIGINT or SIGTERM arrives, and at once on every call after one arrived. Like an
   * upstream node, the first call takes SIGINT and SIGTERM over for the process: they no longer
   * end it by themselves, the loop does, so cleanup runs and the process exits 0:
   *
   * ```ts
   * while ((await node.wait(1000)).isOk()) { publisher.sendCopy(value).unwrap(); }
   * console.log("exit"); // a `using node` closes it, and with it every port and service
   * ```
   *
   * Fails with `InvalidArgument` for a negative or non-finite `ms`, with `HandleClosed` once the
   * node is closed, and with `InternalFailure` on a runtime without `process.on`.
   */
  async wait(ms: number): Promise<Result<void>> {
    if (typeof ms !== "number" || !(ms >= 0) || !Number.isFinite(ms)) {
      return err(new Iox2Error("InvalidArgument", `wait(ms): ms must be a non-negative finite number of milliseconds, got ${String(ms)}`));
    }
    if (this.isClosed) return err(this.closedError());
    const proc = runtimeProcess();
    if (proc === undefined) return err(new Iox2Error("InternalFailure", "node.wait needs process.on, which this runtime lacks"));
    return terminationRequests.wait(proc, ms);
  }

  #closeOnSignals: WeakRef<Node> | undefined;

  /**
   * Closes this node, and everything created from it, when SIGINT or SIGTERM asks the process to
   * end, so that no dead node is left behind for peers to clean up. Without it, a signal ends the
   * process as the runtime always does and the node's resources stay until a peer's dead-node
   * cleanup removes them.
   *
   * When the program has no listener of its own for the signal, the node is closed and the
   * signal then ends the process as it would have (killed by it; exit code 128 + signal number
   * where the runtime cannot re-raise it). When the program listens itself with `process.on`
   * (Node, Bun and Deno 2 all have it), its listener decides: the node stays open for it and is
   * closed when the process exits (`process.exit`, `Deno.exit` or the end of the program).
   * Listeners added with `Deno.addSignalListener` are not visible here; combine this with
   * `process.on` listeners on Deno. Nodes are built without iceoryx2's own signal handling, so
   * iceoryx2 never takes these signals from the runtime, with or without this.
   *
   * Calling it again does nothing; `close()` unregisters the node. Fails with `HandleClosed` on
   * a closed node and with `InternalFailure` on a runtime without `process.on`.
   */
  closeOnSignals(): Result<void> {
    if (this.isClosed) return err(this.closedError());
    const proc = runtimeProcess();
    if (proc === undefined) return err(new Iox2Error("InternalFailure", "closeOnSignals needs process.on, which this runtime lacks"));
    if (this.#closeOnSignals === undefined) {
      this.#closeOnSignals = new WeakRef(this);
      closingOnSignals.add(this.#closeOnSignals);
      installTerminationHooks(proc);
    }
    return ok(undefined);
  }

  protected override onClosed(): void {
    if (this.#closeOnSignals === undefined) return;
    closingOnSignals.delete(this.#closeOnSignals);
    this.#closeOnSignals = undefined;
    if (closingOnSignals.size === 0) uninstallTerminationHooks();
  }
}

/** The signals `Node.closeOnSignals` handles, with their numbers (exit code 128 + number). */
const TERMINATION_SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
type TerminationSignal = keyof typeof TERMINATION_SIGNALS;
/** How long a re-raised signal may take to end the process before it exits with 128 + number. */
const RERAISE_GRACE_MS = 1000;

/** The part of `process` used here (core-api compiles without Node's types). */
interface ProcessLike {
  readonly pid: number;
  on(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): unknown;
  exit(code: number): never;
}

/** Deno's `unload` event: it runs on `Deno.exit`, where `process`'s `exit` event does not. */
interface UnloadTarget {
  addEventListener(type: "unload", listener: () => void): void;
  removeEventListener(type: "unload", listener: () => void): void;
}

function runtimeProcess(): ProcessLike | undefined {
  const candidate = (globalThis as { process?: Partial<ProcessLike> }).process;
  const usable =
    typeof candidate?.on === "function" &&
    typeof candidate.off === "function" &&
    typeof candidate.listenerCount === "function" &&
    typeof candidate.kill === "function" &&
    typeof candidate.exit === "function";
  return usable ? (candidate as ProcessLike) : undefined;
}

function unloadTarget(): UnloadTarget | undefined {
  const target = globalThis as Partial<UnloadTarget>;
  return typeof target.addEventListener === "function" && typeof target.removeEventListener === "function"
    ? (target as UnloadTarget)
    : undefined;
}

/** Nodes registered by `closeOnSignals` (weakly: registering does not keep a node alive). */
const closingOnSignals = new Set<WeakRef<Node>>();

function closeRegisteredNodes(): void {
  for (const ref of [...closingOnSignals]) ref.deref()?.close();
  closingOnSignals.clear();
  uninstallTerminationHooks();
}

function endBySignal(signal: TerminationSignal): void {
  const proc = runtimeProcess()!;
  // Our listener is one of them: any other one belongs to the program, which then decides.
  if (proc.listenerCount(signal) > 1) return;
  // Closing removes this listener as well, so the signal's default action applies again.
  closeRegisteredNodes();
  try {
    proc.kill(proc.pid, signal);
    // Deno acts on the signal from another thread: this one waits, so no JavaScript runs after it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RERAISE_GRACE_MS);
  } catch {
    // Re-raising (or waiting) is not permitted here: the exit below reports the signal as shells do.
  }
  proc.exit(128 + TERMINATION_SIGNALS[signal]);
}

const terminationListeners = Object.fromEntries(
  Object.keys(TERMINATION_SIGNALS).map((signal) => [signal, () => endBySignal(signal as TerminationSignal)]),
) as Record<TerminationSignal, () => void>;
let terminationHooks: ProcessLike | undefined;

function installTerminationHooks(proc: ProcessLike): void {
  if (terminationHooks !== undefined) return;
  terminationHooks = proc;
  for (const [signal, listener] of Object.entries(terminationListeners)) proc.on(signal, listener);
  proc.on("exit", closeRegisteredNodes);
  unloadTarget()?.addEventListener("unload", closeRegisteredNodes);
}

function uninstallTerminationHooks(): void {
  const proc = terminationHooks;
  if (proc === undefined) return;
  terminationHooks = undefined;
  for (const [signal, listener] of Object.entries(terminationListeners)) proc.off(signal, listener);
  proc.off("exit", closeRegisteredNodes);
  unloadTarget()?.removeEventListener("unload", closeRegisteredNodes);
}

/** The web `AbortController` (core-api compiles without DOM types). */
interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

/**
 * SIGINT and SIGTERM as termination requests, once `node.wait` was called: the first one
 * arrived is kept (as upstream keeps it in a process-wide flag) and ends every wait.
 */
const terminationRequests = new (class TerminationRequests {
  #received: TerminationSignal | undefined;
  #listening = false;
  readonly #waiters = new Set<() => void>();
  #abort: AbortControllerLike | undefined;

  signal(proc: ProcessLike): AbortSignalLike {
    this.#listen(proc);
    if (this.#abort === undefined) {
      const { AbortController } = globalThis as unknown as { AbortController: new () => AbortControllerLike };
      const controller = new AbortController();
      if (this.#received !== undefined) controller.abort(this.#error());
      this.#abort = controller;
    }
    return this.#abort.signal;
  }

  wait(proc: ProcessLike, ms: number): Promise<Result<void>> {
    this.#listen(proc);
    if (this.#received !== undefined) return Promise.resolve(err(this.#error()));
    return new Promise((resolve) => {
      const timer = timers.setTimeout(() => {
        this.#waiters.delete(interrupt);
        resolve(ok(undefined));
      }, Math.min(ms, 0x7fff_ffff));
      const interrupt = () => {
        timers.clearTimeout(timer);
        resolve(err(this.#error()));
      };
      this.#waiters.add(interrupt);
    });
  }

  #listen(proc: ProcessLike): void {
    if (this.#listening) return;
    this.#listening = true;
    for (const signal of Object.keys(TERMINATION_SIGNALS) as TerminationSignal[]) {
      proc.on(signal, () => {
        this.#received ??= signal;
        for (const interrupt of this.#waiters) interrupt();
        this.#waiters.clear();
        if (this.#abort?.signal.aborted === false) this.#abort.abort(this.#error());
      });
    }
  }

  #error(): Iox2Error {
    return new Iox2Error("Interrupted", `node.wait: the process received ${this.#received} (a termination request); end the loop and let the nodes close`);
  }
})();

/**
 * An AbortSignal that aborts when SIGINT or SIGTERM arrives: pass it to `samples()`,
 * `requests()`, `responses()`, `listener.wait()` or `waitset.waitAndProcess()` so that loops end
 * on a termination request, as upstream's `WaitSet` and `node.wait` end. Like `node.wait`, the
 * first call takes SIGINT and SIGTERM over for the process (they no longer end it by
 * themselves); it does not keep the process alive. Fails with `InternalFailure` on a runtime
 * without `process.on`.
 */
export function terminationSignal(): Result<AbortSignalLike> {
  const proc = runtimeProcess();
  if (proc === undefined) return err(new Iox2Error("InternalFailure", "terminationSignal needs process.on, which this runtime lacks"));
  return ok(terminationRequests.signal(proc));
}

/**
 * Chooses the messaging pattern of a service (upstream's `node.service_builder(name)`); made by
 * {@link Node.serviceBuilder}. A name exists once per pattern: an event service and a
 * publish-subscribe service may share one.
 */
export class ServiceBuilder {
  /**
   * @param node The node that opens or creates the service.
   * @param name The service name, e.g. `"My/Funk/ServiceName"`.
   */
  constructor(
    readonly node: Node,
    readonly name: string,
  ) {}

  /**
   * A publish-subscribe service carrying `payload`: a primitive (`u64`), an array, a
   * `struct(...)`, a `slice(...)` for dynamic-length payloads, or a `flatbuffer(rootType)`.
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
   * `response`s. Both are types as in `publishSubscribe` (primitives, arrays, structs, slices,
   * flatbuffers).
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
