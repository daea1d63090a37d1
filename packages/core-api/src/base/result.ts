import { Iox2Error } from "./errors.js";

/**
 * The outcome of a fallible operation: `Ok` with a value or `Err` with an error. Every fallible
 * method of this library returns one instead of throwing.
 */
export type Result<T, E = Iox2Error> = Ok<T, E> | Err<T, E>;

/**
 * The methods {@link Ok} and {@link Err} share, modelled on Rust's `Result`. Narrow with `ok`
 * (`if (result.ok) result.value`) or with `isOk()`/`isErr()`.
 */
export interface ResultMethods<T, E> {
  /** Whether this is an {@link Ok}; narrows the type so `value` can be read. */
  isOk(): this is Ok<T, E>;
  /** Whether this is an {@link Err}; narrows the type so `error` can be read. */
  isErr(): this is Err<T, E>;
  /** The value, or throws the error (an `Iox2Error` as is). */
  unwrap(): T;
  /** The value, or throws an `Iox2Error` whose message starts with `message` and whose cause is the error. */
  expect(message: string): T;
  /** The error, or throws if this is `Ok`. */
  unwrapErr(): E;
  /** The value, or `fallback` when this is an {@link Err} (the error is dropped). */
  unwrapOr(fallback: T): T;
  /** Calls `arms.ok` with the value or `arms.err` with the error and returns what it returns. */
  match<R>(arms: { ok: (value: T) => R; err: (error: E) => R }): R;
  /** `Ok(f(value))` for an {@link Ok}; an {@link Err} passes through unchanged (`f` is not called). */
  map<U>(f: (value: T) => U): Result<U, E>;
  /** `Err(f(error))` for an {@link Err}; an {@link Ok} passes through unchanged. */
  mapErr<F>(f: (error: E) => F): Result<T, F>;
  /** Chains a fallible step: `f(value)` for an {@link Ok}; an {@link Err} passes through (`f` is not called). */
  andThen<U>(f: (value: T) => Result<U, E>): Result<U, E>;
}

/** The successful {@link Result}: holds `value`. Build one with {@link ok}. */
export class Ok<T, E = Iox2Error> implements ResultMethods<T, E> {
  /** Always `true`: test `result.ok` to narrow a {@link Result} to `Ok`. */
  readonly ok = true as const;
  /**
   * Wraps `value` as a success.
   * @param value The operation's value.
   */
  constructor(readonly value: T) {}
  isOk(): this is Ok<T, E> {
    return true;
  }
  isErr(): this is Err<T, E> {
    return false;
  }
  unwrap(): T {
    return this.value;
  }
  expect(_message: string): T {
    return this.value;
  }
  unwrapErr(): E {
    throw new Iox2Error("InvalidArgument", "unwrapErr() called on an Ok result");
  }
  unwrapOr(_fallback: T): T {
    return this.value;
  }
  match<R>(arms: { ok: (value: T) => R; err: (error: E) => R }): R {
    return arms.ok(this.value);
  }
  map<U>(f: (value: T) => U): Result<U, E> {
    return new Ok(f(this.value));
  }
  mapErr<F>(_f: (error: E) => F): Result<T, F> {
    return this as unknown as Ok<T, F>;
  }
  andThen<U>(f: (value: T) => Result<U, E>): Result<U, E> {
    return f(this.value);
  }
}

/** The failed {@link Result}: holds `error` (an {@link Iox2Error} for this library's methods). Build one with {@link err}. */
export class Err<T, E = Iox2Error> implements ResultMethods<T, E> {
  /** Always `false`: test `result.ok` to narrow a {@link Result} to `Err`. */
  readonly ok = false as const;
  /**
   * Wraps `error` as a failure.
   * @param error Why the operation failed.
   */
  constructor(readonly error: E) {}
  isOk(): this is Ok<T, E> {
    return false;
  }
  isErr(): this is Err<T, E> {
    return true;
  }
  unwrap(): T {
    throw this.error instanceof Error ? this.error : new Iox2Error("InternalFailure", String(this.error), { cause: this.error });
  }
  expect(message: string): T {
    const detail = this.error instanceof Error ? this.error.message : String(this.error);
    const kind = this.error instanceof Iox2Error ? this.error.kind : "InternalFailure";
    throw new Iox2Error(kind, `${message}: ${detail}`, { cause: this.error });
  }
  unwrapErr(): E {
    return this.error;
  }
  unwrapOr(fallback: T): T {
    return fallback;
  }
  match<R>(arms: { ok: (value: T) => R; err: (error: E) => R }): R {
    return arms.err(this.error);
  }
  map<U>(_f: (value: T) => U): Result<U, E> {
    return this as unknown as Err<U, E>;
  }
  mapErr<F>(f: (error: E) => F): Result<T, F> {
    return new Err(f(this.error));
  }
  andThen<U>(_f: (value: T) => Result<U, E>): Result<U, E> {
    return this as unknown as Err<U, E>;
  }
}

/** A successful {@link Result} holding `value`, typed as `Result` (not `Ok`) for inference. */
export function ok<T, E = Iox2Error>(value: T): Result<T, E> {
  return new Ok(value);
}

/** Frozen `Ok`s of the counts sends return most (receivers reached), so a send allocates none. */
const OK_COUNTS: readonly Result<number>[] = Array.from({ length: 64 }, (_, count) => Object.freeze(new Ok<number>(count)));

/** `ok(count)` for a non-negative integer count, from a frozen cache for the common ones. */
export function okCount(count: number): Result<number> {
  return OK_COUNTS[count] ?? new Ok(count);
}

/** A failed {@link Result} holding `error`, typed as `Result` (not `Err`) for inference. */
export function err<T, E = Iox2Error>(error: E): Result<T, E> {
  return new Err(error);
}

/** Runs `f`, turning anything it throws into `Err(Iox2Error)`. */
export function attempt<T>(f: () => T): Result<T, Iox2Error> {
  try {
    return new Ok(f());
  } catch (error) {
    return new Err(Iox2Error.from(error));
  }
}
