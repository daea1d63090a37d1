import type { ServiceIdentity } from "../ports/service-builder.js";
import { checkPortName, portName, withName } from "../ports/port-name.js";
import type { BlackboardPorts, BlackboardQos } from "../generated/control.js";
import { SampleInfo, type Handle } from "../native/backend.js";
import { Iox2Error } from "../base/errors.js";
import { readsAsValue } from "../layout/kinds.js";
import { fieldBytes, type AnyLayoutType, type InferInit, type InferView, type Plain } from "../layout/index.js";
import { nativeOf, Resource } from "../ports/lifecycle.js";
import type { Native } from "../native/native.js";
import type { Node } from "../node/node.js";
import { attempt, err, type Result } from "../base/result.js";
import { retireSpanBuffer, spanBuffer, type SpanBuffer } from "../native/sample-memory.js";
import { checkCounts, type Attribute } from "../ports/service-builder.js";
import { typeDetailsOf, type TypeDetails } from "../layout/type-details.js";

/**
 * Blackboard: a key-value store in shared memory with one writer and many readers (upstream's
 * `blackboard_creator::<KeyType>()` / `blackboard_opener::<KeyType>()`).
 *
 * Keys and values are layout types (`u64`, `array(...)`, `struct(...)`). Keys are compared by
 * their bytes, as every iceoryx2-js process writes them; an entry's value type must match the
 * type it was added with in name, size and alignment.
 */

/** Quality of service of a blackboard: declared once, in the Rust core. */
export type { BlackboardPorts, BlackboardQos };

/** The static configuration of an open blackboard, as iceoryx2 stores it. */
export interface BlackboardStaticConfig extends ServiceIdentity {
  /** The service name. */
  name: string;
  /** The key type. */
  keyType: TypeDetails;
  /** The QoS the blackboard was created with. */
  qos: Required<BlackboardQos>;
  /** The attributes the creator defined. */
  attributes: Attribute[];
}

/** Bytes of the generation counter in front of the value in a reader entry's buffer. */
const GENERATION_LENGTH = 8;

const FIXED_SIZE_KINDS: readonly unknown[] = ["primitive", "array", "struct", "string", "vec", "enum"];

function checkLayout(type: unknown, what: string): Iox2Error | undefined {
  const candidate = type as Partial<AnyLayoutType> | null;
  if (typeof candidate !== "object" || candidate === null || typeof candidate.set !== "function" || typeof candidate.toPlain !== "function") {
    return new Iox2Error("InvalidArgument", `${what} must be a layout type (u64, array(...), struct(...)), got ${describe(type)}`);
  }
  if (!FIXED_SIZE_KINDS.includes(candidate.kind)) {
    return new Iox2Error("InvalidArgument", `${what} must be fixed-size (not a slice), got a ${String(candidate.kind)}`);
  }
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null) return String(value);
  try {
    const text = JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    return text.length > 80 ? `${text.slice(0, 80)}...` : text;
  } catch {
    return "an object";
  }
}

/** The bytes of `value` as `type` lays it out, padding zero. */
function encode(type: AnyLayoutType, value: unknown): Uint8Array {
  const bytes = new Uint8Array(type.size);
  type.set(new DataView(bytes.buffer), 0, value);
  return bytes;
}

function decode<T extends AnyLayoutType>(type: T, bytes: readonly number[]): Plain<T> {
  return type.toPlain(new DataView(Uint8Array.from(bytes).buffer), 0) as Plain<T>;
}

function checkAttribute(what: string, text: unknown): Iox2Error | undefined {
  return typeof text === "string" && text.length > 0
    ? undefined
    : new Iox2Error("InvalidArgument", `${what} must be a non-empty string, got ${describe(text)}`);
}

function checkQos(qos: BlackboardQos): Iox2Error | undefined {
  return checkCounts(qos, () => 1);
}

/** Names the key in errors about it: native messages cannot show JS values. */
function aboutKey<T>(result: Result<T>, key: unknown): Result<T> {
  return result.mapErr((error) =>
    error.kind === "EntryNotFound" || error.kind === "IncompatibleTypes"
      ? new Iox2Error(error.kind, `key ${describe(key)}: ${error.message}`)
      : error,
  );
}

interface OpenSpec {
  name: string;
  mode: "create" | "open";
  key: TypeDetails;
  entries?: { key: number[]; value: TypeDetails; initial: number[] }[];
  qos: BlackboardQos;
  attributes: { define: Attribute[]; require: Attribute[]; requireKeys: string[] };
}

function openBlackboard<K extends AnyLayoutType>(node: Node, name: string, keyType: K, spec: Omit<OpenSpec, "name" | "key">): Result<BlackboardService<K>> {
  if (typeof name !== "string") return err(new Iox2Error("InvalidName", `service name must be a string, got ${typeof name}`));
  const invalid = checkLayout(keyType, "the key type");
  if (invalid !== undefined) return err(invalid);
  return attempt(() => {
    const { native, handle } = nativeOf(node);
    // Keys compare field by field, so keys written by peers with other padding bytes match.
    const keyFields = fieldBytes(keyType);
    const service = native.control("blackboard.serviceOpen", handle, { ...spec, name, key: typeDetailsOf(keyType), keyFields });
    return new BlackboardService(node, native, service, name, keyType);
  });
}

/**
 * Creates a blackboard with key type `K` (upstream's `Creator`): add every entry, then
 * `create()`. Fails with `ServiceAlreadyExists` when it exists.
 */
export class BlackboardCreator<K extends AnyLayoutType> {
  readonly #qos: BlackboardQos = {};
  readonly #define: Attribute[] = [];
  readonly #entries: { key: number[]; value: TypeDetails; initial: number[] }[] = [];
  #problem: Iox2Error | undefined;

  /**
   * @internal Created by `node.serviceBuilder(name).blackboardCreator(keyType)`.
   * @param node The node that creates the blackboard.
   * @param name The service name.
   * @param keyType The keys' layout type.
   */
  constructor(
    readonly node: Node,
    readonly name: string,
    readonly keyType: K,
  ) {}

  /**
   * Adds the entry `key` holding a `valueType` (any fixed-size layout type) that starts as
   * `initialValue`. A bad key or value makes `create()` fail with `InvalidArgument`; a key
   * added twice fails it too.
   */
  add<V extends AnyLayoutType>(key: InferInit<K>, valueType: V, initialValue: InferInit<V>): this {
    if (this.#problem !== undefined) return this;
    const invalid = checkLayout(this.keyType, "the key type") ?? checkLayout(valueType, `the value type of key ${describe(key)}`);
    if (invalid !== undefined) {
      this.#problem = invalid;
      return this;
    }
    try {
      this.#entries.push({
        key: Array.from(encode(this.keyType, key)),
        value: typeDetailsOf(valueType),
        initial: Array.from(encode(valueType, initialValue)),
      });
    } catch (error) {
      const cause = Iox2Error.from(error);
      this.#problem = new Iox2Error(cause.kind, `add(${describe(key)}): ${cause.message}`, { cause });
    }
    return this;
  }

  /**
   * The most readers the blackboard supports at once; creating one more fails with
   * `LimitReached`. An integer from 1 to 4096, else `create()` fails with `InvalidArgument`.
   * @defaultValue 8 (config `defaults.blackboard.max-readers`)
   */
  maxReaders(value: number): this {
    this.#qos.maxReaders = value;
    return this;
  }

  /**
   * The most nodes (in practice: processes) that may have the blackboard open at once; opening
   * it from one more fails with `LimitReached`. An integer from 1 to 4096, else `create()` fails
   * with `InvalidArgument`.
   * @defaultValue 20 (config `defaults.blackboard.max-nodes`)
   */
  maxNodes(value: number): this {
    this.#qos.maxNodes = value;
    return this;
  }

  /** An attribute openers can require. */
  defineAttribute(key: string, value: string): this {
    this.#define.push({ key, value });
    return this;
  }

  /**
   * Creates the blackboard with the added entries. Fails with `ServiceAlreadyExists` when it
   * exists, `InvalidArgument` without entries, for a bad entry (see `add`), a bad attribute or
   * QoS value, `InvalidName` for a bad name, `ServiceInFlux` when another process is creating or
   * removing it at the same moment.
   */
  create(): Result<BlackboardService<K>> {
    if (this.#problem !== undefined) return err(this.#problem);
    for (const { key, value } of this.#define) {
      const invalid = checkAttribute("attribute key", key) ?? checkAttribute("attribute value", value);
      if (invalid !== undefined) return err(invalid);
    }
    const invalid = checkQos(this.#qos);
    if (invalid !== undefined) return err(invalid);
    if (this.#entries.length === 0) {
      return err(new Iox2Error("InvalidArgument", "a blackboard needs at least one entry: add() a key-value pair before create()"));
    }
    return openBlackboard(this.node, this.name, this.keyType, {
      mode: "create",
      entries: this.#entries,
      qos: this.#qos,
      attributes: { define: this.#define, require: [], requireKeys: [] },
    });
  }
}

/**
 * Opens an existing blackboard whose key type is `K` (upstream's `Opener`). Fails with
 * `ServiceNotFound`, `IncompatibleTypes` (another key type), `IncompatibleQos`,
 * `IncompatibleAttributes`.
 */
export class BlackboardOpener<K extends AnyLayoutType> {
  readonly #qos: BlackboardQos = {};
  readonly #require: Attribute[] = [];
  readonly #requireKeys: string[] = [];

  /**
   * @internal Created by `node.serviceBuilder(name).blackboardOpener(keyType)`.
   * @param node The node that opens the blackboard.
   * @param name The service name.
   * @param keyType The keys' layout type; must match the creator's.
   */
  constructor(
    readonly node: Node,
    readonly name: string,
    readonly keyType: K,
  ) {}

  /**
   * The blackboard must support at least this many readers, else `open()` fails with
   * `IncompatibleQos`.
   * @defaultValue no requirement: any number the blackboard was created with
   */
  maxReaders(value: number): this {
    this.#qos.maxReaders = value;
    return this;
  }

  /**
   * The blackboard must support at least this many nodes, else `open()` fails with
   * `IncompatibleQos`.
   * @defaultValue no requirement: any number the blackboard was created with
   */
  maxNodes(value: number): this {
    this.#qos.maxNodes = value;
    return this;
  }

  /** The blackboard must have been created with this attribute. */
  requireAttribute(key: string, value: string): this {
    this.#require.push({ key, value });
    return this;
  }

  /** The blackboard must have an attribute with this key. */
  requireAttributeKey(key: string): this {
    this.#requireKeys.push(key);
    return this;
  }

  /**
   * Opens the blackboard. Fails with `ServiceNotFound`, `IncompatibleTypes` (another key type),
   * `IncompatibleQos`, `IncompatibleAttributes`, `IncompatibleMessagingPattern`, `LimitReached`
   * when `maxNodes` nodes have it open, `InvalidArgument` for a bad attribute or QoS value.
   */
  open(): Result<BlackboardService<K>> {
    for (const { key, value } of this.#require) {
      const invalid = checkAttribute("attribute key", key) ?? checkAttribute("attribute value", value);
      if (invalid !== undefined) return err(invalid);
    }
    for (const key of this.#requireKeys) {
      const invalid = checkAttribute("attribute key", key);
      if (invalid !== undefined) return err(invalid);
    }
    const invalid = checkQos(this.#qos);
    if (invalid !== undefined) return err(invalid);
    return openBlackboard(this.node, this.name, this.keyType, {
      mode: "open",
      qos: this.#qos,
      attributes: { define: [], require: this.#require, requireKeys: this.#requireKeys },
    });
  }
}

/** An open blackboard: its keys, and the factory of its writer and readers. */
export class BlackboardService<K extends AnyLayoutType> extends Resource {
  /**
   * @internal
   * @param name The service name.
   * @param keyType The keys' layout type.
   */
  constructor(
    node: Node,
    native: Native,
    handle: Handle,
    readonly name: string,
    readonly keyType: K,
  ) {
    super(native, handle, node);
  }

  protected get label(): string {
    return `Blackboard '${this.name}'`;
  }

  /** The key type, QoS and attributes, as stored by whoever created the blackboard. */
  staticConfig(): Result<BlackboardStaticConfig> {
    return attempt(() => this.native.control("blackboard.serviceInfo", this.handle));
  }

  /**
   * The writer and every reader the service has now, in every process, with ids, names and
   * nodes (upstream's dynamic config: `list_writers`, `list_readers`).
   */
  ports(): Result<BlackboardPorts> {
    return attempt(() => this.native.control("blackboard.servicePorts", this.handle));
  }

  /** Copies of every key, decoded with the key type. */
  listKeys(): Result<Plain<K>[]> {
    return attempt(() => this.native.control("blackboard.listKeys", this.handle).map((bytes) => decode(this.keyType, bytes)));
  }

  /** The blackboard has one writer at a time; a second fails with `LimitReached`. */
  writerBuilder(): WriterBuilder<K> {
    return new WriterBuilder(this);
  }

  /** Starts building a reader; beyond `maxReaders` readers, its `create()` fails with `LimitReached`. */
  readerBuilder(): ReaderBuilder<K> {
    return new ReaderBuilder(this);
  }
}

/** Validates `key` and `valueType` and asks port `op` for the entry's native handle. */
function entryHandle(port: Resource, op: "blackboard.writerEntry" | "blackboard.readerEntry", keyType: AnyLayoutType, key: unknown, valueType: unknown): Result<{ native: Native; handle: Handle }> {
  const invalid = checkLayout(valueType, "the value type");
  if (invalid !== undefined) return err(invalid);
  let keyBytes: Uint8Array;
  try {
    keyBytes = encode(keyType, key);
  } catch (error) {
    const cause = Iox2Error.from(error);
    return err(new Iox2Error(cause.kind, `the key: ${cause.message}`, { cause }));
  }
  return aboutKey(
    attempt(() => {
      const { native, handle } = nativeOf(port);
      const request = { key: Array.from(keyBytes), value: typeDetailsOf(valueType as AnyLayoutType) };
      return { native, handle: native.control(op, handle, request) };
    }),
    key,
  );
}

/** Builds the blackboard's {@link Writer} (upstream's `writer_builder()`); made by {@link BlackboardService.writerBuilder}. */
export class WriterBuilder<K extends AnyLayoutType> {
  /**
   * @internal
   * @param service The blackboard the writer will write.
   */
  constructor(readonly service: BlackboardService<K>) {}

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
   * Creates the writer. Fails with `LimitReached` while another writer exists, `HandleClosed`
   * when the blackboard is closed.
   */
  create(): Result<Writer<K>> {
    const invalid = checkPortName(this.#name);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      const { native, handle } = nativeOf(this.service);
      return withName(new Writer(this.service, native, native.control("blackboard.writerCreate", handle, { name: this.#name })), this.#name);
    });
  }
}

/** The blackboard's one writer: hands out one writable handle per entry. */
export class Writer<K extends AnyLayoutType> extends Resource {
  /** The keys' layout type. */
  readonly keyType: K;

  /** @internal */
  constructor(service: BlackboardService<K>, native: Native, handle: Handle) {
    super(native, handle, service);
    this.keyType = service.keyType;
  }

  protected get label(): string {
    return "Writer";
  }

  #id: string | undefined;

  /**
   * This writer's system-wide unique id, as upstream prints it (hexadecimal): the same in every
   * process and language that looks at it. Read once while open, then remembered.
   */
  get id(): string {
    return (this.#id ??= this.native.control("blackboard.writerId", this.handle));
  }

  /** The name the port was built with (`name(…)` on its builder); "" when it has none. */
  get name(): string {
    return portName(this);
  }

  /**
   * The writable handle of the entry `key`, whose value type must be `valueType`. Fails with
   * `EntryNotFound`, `IncompatibleTypes` (another value type), or `LimitReached` while another
   * handle of the entry is open.
   */
  entry<V extends AnyLayoutType>(key: InferInit<K>, valueType: V): Result<EntryHandleMut<V>> {
    return entryHandle(this, "blackboard.writerEntry", this.keyType, key, valueType).map(
      ({ native, handle }) => new EntryHandleMut(this, native, handle, valueType),
    );
  }
}

/** Write access to one entry: `update(value)`, or `loan()`, write in place, `update()`. */
export class EntryHandleMut<V extends AnyLayoutType> extends Resource {
  readonly #scratch: Uint8Array;
  readonly #scratchView: DataView;

  /**
   * @internal
   * @param valueType The entry's value type.
   */
  constructor(
    writer: Resource,
    native: Native,
    handle: Handle,
    readonly valueType: V,
  ) {
    super(native, handle, writer);
    this.#scratch = new Uint8Array(valueType.size);
    this.#scratchView = new DataView(this.#scratch.buffer);
  }

  protected get label(): string {
    return "EntryHandleMut";
  }

  /** Copies `value` into the entry; readers see it from now on (upstream's `update_with_copy`). */
  update(value: InferInit<V>): Result<void> {
    return attempt(() => {
      const handle = this.handle;
      this.valueType.set(this.#scratchView, 0, value);
      this.native.ops.blackboardEntryUpdate(handle, this.#scratch, null);
    });
  }

  /**
   * Lends the entry's next value in shared memory, starting as a copy of the current value:
   * change it in place, then `update()` it (or `discard()` it). Readers see nothing until then.
   * While it is loaned, `update(value)` and another loan fail with `InvalidArgument`.
   */
  loan(): Result<EntryValue<V>> {
    return this.#loan(true);
  }

  /**
   * Like {@link loan}, but the value starts as whatever the cell holds (upstream's
   * `loan_uninit`): write every byte before `update()`.
   */
  loanUninit(): Result<EntryValue<V>> {
    return this.#loan(false);
  }

  #loan(fromCurrent: boolean): Result<EntryValue<V>> {
    return attempt(() => {
      this.native.ops.blackboardEntryLoan(this.handle, fromCurrent ? 1 : 0, 0);
      return new EntryValue(this, this.native, this.valueType);
    });
  }

  /** The entry's id, e.g. as the event id of an event service that announces its changes. */
  entryId(): Result<number> {
    return attempt(() => this.native.ops.blackboardEntryId(this.handle, 0));
  }
}

/**
 * A loaned entry value: a writable view of shared memory that readers cannot see until
 * `update()`. After `update()`, `discard()` or `close()`, its views throw.
 */
export class EntryValue<V extends AnyLayoutType> extends Resource {
  readonly #span: SpanBuffer;
  readonly #view: DataView;
  #accessor: unknown;
  #detached = false;

  /**
   * @internal Created by `EntryHandleMut.loan()` / `loanUninit()`, right after the loan.
   * @param valueType The entry's value type.
   */
  constructor(
    entry: Resource,
    native: Native,
    readonly valueType: V,
  ) {
    const handle = native.backend.sampleInfo[SampleInfo.handle]!;
    super(native, handle, entry);
    // The buffer keeps this object reachable: garbage collection releases the loan only once no view can reach it.
    this.#span = spanBuffer(native, handle, this);
    this.#view = new DataView(this.#span.buffer);
  }

  protected get label(): string {
    return "EntryValue";
  }

  protected override closedError(): Iox2Error {
    return new Iox2Error("HandleClosed", "EntryValue was already updated or discarded");
  }

  /** The value: a number/bigint/boolean for primitives, a writable zero-copy accessor for arrays and structs. */
  get value(): InferView<V> {
    if (this.isClosed) throw this.closedError();
    if (readsAsValue(this.valueType)) return this.valueType.get(this.#view, 0) as InferView<V>;
    return (this.#accessor ??= this.valueType.get(this.#view, 0)) as InferView<V>;
  }

  /** Writes the whole value (checked against the type; throws `InvalidArgument` for a bad value). */
  set value(value: InferInit<V>) {
    if (this.isClosed) throw this.closedError();
    this.valueType.set(this.#view, 0, value);
  }

  /** Makes the value visible to readers and ends the loan. */
  update(): Result<void> {
    if (this.isClosed) return err(this.closedError());
    const handle = this.handle;
    this.#detached = true;
    const result = attempt(() => void retireSpanBuffer(this.native, this.#span, (buffer) => this.native.ops.blackboardEntryValueUpdate(handle, buffer)));
    this.markClosed();
    return result;
  }

  /** Ends the loan without publishing; same as `close()`. */
  discard(): void {
    this.close();
  }

  override close(): void {
    if (this.isClosed) return;
    const handle = this.handle;
    this.#detached = true;
    this.markClosed();
    retireSpanBuffer(this.native, this.#span, (buffer) => this.native.ops.close(handle, buffer));
  }

  protected override onClosed(): void {
    if (this.#detached) return;
    this.#detached = true;
    retireSpanBuffer(this.native, this.#span, (buffer) => this.native.backend.detach(buffer));
  }
}

/** Builds a {@link Reader} of the blackboard (upstream's `reader_builder()`); made by {@link BlackboardService.readerBuilder}. */
export class ReaderBuilder<K extends AnyLayoutType> {
  /**
   * @internal
   * @param service The blackboard the reader will read.
   */
  constructor(readonly service: BlackboardService<K>) {}

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
   * Creates the reader. Fails with `LimitReached` when the blackboard already has `maxReaders`
   * readers, `HandleClosed` when the blackboard is closed.
   */
  create(): Result<Reader<K>> {
    const invalid = checkPortName(this.#name);
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      const { native, handle } = nativeOf(this.service);
      return withName(new Reader(this.service, native, native.control("blackboard.readerCreate", handle, { name: this.#name })), this.#name);
    });
  }
}

/** Reads entries of the blackboard. */
export class Reader<K extends AnyLayoutType> extends Resource {
  /** The keys' layout type. */
  readonly keyType: K;

  /** @internal */
  constructor(service: BlackboardService<K>, native: Native, handle: Handle) {
    super(native, handle, service);
    this.keyType = service.keyType;
  }

  protected get label(): string {
    return "Reader";
  }

  #id: string | undefined;

  /**
   * This reader's system-wide unique id, as upstream prints it (hexadecimal): the same in every
   * process and language that looks at it. Read once while open, then remembered.
   */
  get id(): string {
    return (this.#id ??= this.native.control("blackboard.readerId", this.handle));
  }

  /** The name the port was built with (`name(…)` on its builder); "" when it has none. */
  get name(): string {
    return portName(this);
  }

  /**
   * The read handle of the entry `key`, whose value type must be `valueType`. Fails with
   * `EntryNotFound` or `IncompatibleTypes` (another value type).
   */
  entry<V extends AnyLayoutType>(key: InferInit<K>, valueType: V): Result<EntryHandle<V>> {
    return entryHandle(this, "blackboard.readerEntry", this.keyType, key, valueType).andThen(({ native, handle }) => {
      const entry = attempt(() => {
        native.ops.blackboardEntryBuffer(handle, 0, 0);
        return new EntryHandle(this, native, handle, valueType);
      });
      if (entry.isErr()) native.close(handle);
      return entry;
    });
  }
}

let generationOf: (value: BlackboardValue<unknown>) => { entry: object; generation: bigint };

/** A value read from an entry (a copy), with the entry's change counter at the time of reading. */
export class BlackboardValue<T> {
  readonly #entry: object;
  readonly #generation: bigint;

  /**
   * @internal Created by `EntryHandle.get()`.
   * @param value A copy of the entry's value when it was read.
   */
  constructor(
    readonly value: T,
    entry: object,
    generation: bigint,
  ) {
    this.#entry = entry;
    this.#generation = generation;
  }

  static {
    generationOf = (value) => ({ entry: value.#entry, generation: value.#generation });
  }
}

/** Read access to one entry. Values change under readers at any time: `get()` copies. */
export class EntryHandle<V extends AnyLayoutType> extends Resource {
  readonly #span: SpanBuffer;
  readonly #view: DataView;

  /**
   * @internal
   * @param valueType The entry's value type.
   */
  constructor(
    reader: Resource,
    native: Native,
    handle: Handle,
    readonly valueType: V,
  ) {
    super(native, handle, reader);
    this.#span = spanBuffer(native, handle, this);
    this.#view = new DataView(this.#span.buffer);
  }

  protected get label(): string {
    return "EntryHandle";
  }

  /** A copy of the current value (plain objects for structs, arrays for arrays). */
  get(): Result<BlackboardValue<Plain<V>>> {
    return attempt(() => {
      this.native.ops.blackboardEntryGet(this.handle, 0);
      const generation = this.#view.getBigUint64(0, true);
      return new BlackboardValue(this.valueType.toPlain(this.#view, GENERATION_LENGTH) as Plain<V>, this, generation);
    });
  }

  /** Whether the entry is unchanged since `previous` was read from this handle. */
  isUpToDate(previous: BlackboardValue<Plain<V>>): Result<boolean> {
    if (!(previous instanceof BlackboardValue)) {
      return err(new Iox2Error("InvalidArgument", `isUpToDate() takes a BlackboardValue from get(), got ${describe(previous)}`));
    }
    const { entry, generation } = generationOf(previous);
    if (entry !== this) return err(new Iox2Error("InvalidArgument", "isUpToDate() takes a value read from this EntryHandle"));
    return attempt(() => {
      const handle = this.handle;
      // The counter is a u64: it crosses through the buffer, not as a (lossy) number argument.
      this.#view.setBigUint64(0, generation, true);
      return this.native.ops.blackboardEntryIsUpToDate(handle, 0) === 1;
    });
  }

  /** The entry's id, as the writer's handle of the same entry reports it. */
  entryId(): Result<number> {
    return attempt(() => this.native.ops.blackboardEntryId(this.handle, 0));
  }

  protected override onClosed(): void {
    retireSpanBuffer(this.native, this.#span, (buffer) => this.native.backend.detach(buffer));
  }
}
