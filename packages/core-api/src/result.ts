import { Iox2Error } from "./errors.js";

/**
 * The outcome of a fallible operation: `Ok` with a value or `Err` with an error. Every fallible
 * method of this library returns one instead of throwing.
 */
export type Result<T, E = Iox2Error> = Ok<T, E> | Err<T, E>;

export interface ResultMethods<T, E> {
  isOk(): this is Ok<T, E>;
  isErr(): this is Err<T, E>;
  /** The value, or throws the error (an `Iox2Error` as is). */
  unwrap(): T;
  /** The value, or throws an `Iox2Error` whose message starts with `message` and whose cause is the error. */
  expect(message: string): T;
  /** The error, or throws if this is `Ok`. */
  unwrapErr(): E;
  unwrapOr(fallback: T): T;
  match<R>(arms: { ok: (value: T) => R; err: (error: E) => R }): R;
  map<U>(f: (value: T) => U): Result<U, E>;
  mapErr<F>(f: (error: E) => F): Result<T, F>;
  andThen<U>(f: (value: T) => Result<U, E>): Result<U, E>;
}

export class Ok<T, E = Iox2Error> implements ResultMethods<T, E> {
  readonly ok = true as const;
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

export class Err<T, E = Iox2Error> implements ResultMethods<T, E> {
  readonly ok = false as const;
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

export function ok<T, E = Iox2Error>(value: T): Result<T, E> {
  return new Ok(value);
}

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
