import { ERROR_KINDS } from "../generated/contract.js";

/**
 * The one list of error kinds, in code order, each with its meaning: generated from the Rust
 * core's declaration (`crates/core/src/error.rs`). Kinds are append-only.
 */
export { ERROR_KINDS };

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
