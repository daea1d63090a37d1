/**
 * The one list of error kinds. The Rust core (`crates/core/src/error.rs`) defines the same
 * names with codes 1..n in this order; the adapters' tests check both lists are equal.
 * Kinds are append-only.
 */
export const ERROR_KINDS = [
  /** A value of the wrong type or out of range was passed. */
  "InvalidArgument",
  /** A service, node or port name is empty, too long or has invalid characters. */
  "InvalidName",
  /** The handle was closed (or never valid), or the object was closed with its parent. */
  "HandleClosed",
  /** `open()` of a service that does not exist. */
  "ServiceNotFound",
  /** `create()` of a service that already exists. */
  "ServiceAlreadyExists",
  /** The service exists with another payload or header type (name, size, alignment or variant), or a struct of another field layout (`layout-attribute.ts`). */
  "IncompatibleTypes",
  /** The service exists with another messaging pattern. */
  "IncompatibleMessagingPattern",
  /** The service's attributes do not satisfy the requirements. */
  "IncompatibleAttributes",
  /** The service exists but does not offer the requested quality of service. */
  "IncompatibleQos",
  /** The service's resources are corrupted or half-removed. */
  "ServiceInCorruptedState",
  /** Another process is creating or removing the service right now; retry. */
  "ServiceInFlux",
  /** The process lacks permissions for the shared-memory or service files. */
  "PermissionDenied",
  /** The maximum number of nodes, publishers, subscribers or other ports is reached. */
  "LimitReached",
  /** More samples loaned (publisher) than the configured maximum. */
  "ExceedsMaxLoans",
  /** More samples held (subscriber) than the configured maximum borrowed samples. */
  "ExceedsMaxBorrows",
  /** The data segment has no memory left for this loan, or it exceeds the maximum slice length. */
  "OutOfMemory",
  /** The sample was already sent or released; its memory views are detached. */
  "SampleReleased",
  /** An index or write reaches past the end of a slice or array. */
  "OutOfBounds",
  /** A connection to a peer port could not be established or broke. */
  "ConnectionFailure",
  /** A sample could not be delivered to a subscriber. */
  "UnableToDeliver",
  /** The configuration file could not be read or parsed, or its paths cannot be used (too long, or a root path iceoryx2 cannot create its directories under). */
  "ConfigError",
  /** The operation was interrupted by a signal. */
  "Interrupted",
  /** The service was created by an incompatible iceoryx2 version. */
  "VersionMismatch",
  /** The native library is missing, has the wrong version or cannot be loaded. */
  "LibraryLoadFailure",
  /** A failure inside iceoryx2 or the operating system that the caller cannot fix. */
  "InternalFailure",
  /** A notifier stayed silent longer than the event service's deadline (reported after the notification went out). */
  "MissedDeadline",
  /** The peer is gone: no server for a request, or the client dropped the pending response a server answers. */
  "Disconnected",
  /** An awaited operation was cancelled by its AbortSignal or by closing the object it waited on. */
  "Aborted",
  /** A blackboard key that the service does not hold. */
  "EntryNotFound",
  /** Received bytes that are no valid value of their type: a container length beyond its capacity, an enum value that names no variant, text that is not what the type holds. Reading that value fails; the sample itself stays usable. */
  "InvalidPayload",
  /** A FlatBuffers service's binary schema (`.bfbs`) was not found: no `flatbufferSchemaPath` in the config or on the builder, or no file there fits the root type. */
  "TypeDefinitionUnavailable",
] as const;

/**
 * The name of one kind of failure, one of {@link ERROR_KINDS} (e.g. `"ServiceNotFound"`). Every
 * {@link Iox2Error} carries one in `kind`; branch on it, not on the message.
 */
export type ErrorKind = (typeof ERROR_KINDS)[number];

const KIND_SET: ReadonlySet<string> = new Set(ERROR_KINDS);

/** Whether `value` names one of the {@link ERROR_KINDS}. */
export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === "string" && KIND_SET.has(value);
}

/** Every failure of this library: a documented {@link ErrorKind}, a message and an optional cause. */
export class Iox2Error extends Error {
  /** Always `"Iox2Error"`, also when a bundler renamed the class. */
  override readonly name = "Iox2Error";
  /** What failed, as one of {@link ERROR_KINDS}; stable across releases, unlike the message. */
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }

  /**
   * Converts anything thrown by a backend into an `Iox2Error`: native errors carry their kind
   * in `code`; anything else becomes `InternalFailure` with the original as `cause`.
   */
  static from(error: unknown): Iox2Error {
    if (error instanceof Iox2Error) return error;
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      if (isErrorKind(code)) return new Iox2Error(code, error.message);
      return new Iox2Error("InternalFailure", error.message, { cause: error });
    }
    return new Iox2Error("InternalFailure", String(error), { cause: error });
  }
}

// Bundlers may rename the class (e.g. `class _Iox2Error`); uncaught errors and stack traces print
// the constructor's name, so it is fixed here.
Object.defineProperty(Iox2Error, "name", { value: "Iox2Error" });
