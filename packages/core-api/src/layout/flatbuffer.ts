import { Iox2Error } from "../base/errors.js";
import type { FlatbufferType } from "./index.js";
import { utf8Length } from "../base/text.js";

/** Every type {@link flatbuffer} made: recognised without touching a caller's object. */
const FLATBUFFER_TYPES = new WeakSet<object>();

/** Whether `value` is a flatbuffer payload type made by {@link flatbuffer}. */
export const isFlatbufferType = (value: unknown): value is FlatbufferType => FLATBUFFER_TYPES.has(value as object);

/** iceoryx2 keeps a flatbuffer's root type and namespace in 128 bytes each. */
const MAX_NAME_BYTES = 128;

/** Options of {@link flatbuffer}. */
export interface FlatbufferOptions {
  /**
   * The schema's namespace as iceoryx2 names it: the last part of the generated type's path
   * (Rust's module, e.g. `"example"` for `example::UnboundedData`). iceoryx2 first looks for
   * the schema in a subdirectory of that name. Python peers name none.
   * @defaultValue ""
   */
  namespace?: string;
}

function checkName(value: unknown, what: string, allowEmpty: boolean): string {
  if (typeof value !== "string") {
    throw new Iox2Error("InvalidArgument", `flatbuffer ${what} must be a string, got ${value === null ? "null" : typeof value}`);
  }
  if (!allowEmpty && value.length === 0) throw new Iox2Error("InvalidArgument", `flatbuffer ${what} is empty`);
  const bytes = utf8Length(value);
  if (bytes < 0) throw new Iox2Error("InvalidArgument", `flatbuffer ${what} '${value}' holds a lone surrogate`);
  if (bytes > MAX_NAME_BYTES) {
    throw new Iox2Error("InvalidArgument", `flatbuffer ${what} '${value}' is ${bytes} bytes long; iceoryx2 keeps at most ${MAX_NAME_BYTES}`);
  }
  return value;
}

/**
 * A FlatBuffers payload type whose root table is `rootType` (upstream's `Flatbuffer<T>`),
 * interoperable with upstream's FlatBuffers services in Rust, C++ and Python.
 *
 * Send a flatbuffer built with the `flatbuffers` package: `sendCopy(builder)` after
 * `builder.finish(root)` (or its bytes). A received `payload` is a `Uint8Array` of the
 * flatbuffer, for the generated code's `getRootAs…(new ByteBuffer(bytes))`. The service needs
 * the schema compiled by `flatc --binary --schema`: iceoryx2 finds `<rootType>.bfbs` under the
 * config's `flatbufferSchemaPath`, or takes the builder's `flatbufferSchemaPath(file)`.
 */
export function flatbuffer<const R extends string>(rootType: R, options: FlatbufferOptions = {}): FlatbufferType<R> {
  const type: FlatbufferType<R> = {
    kind: "flatbuffer",
    typeName: "iox2::Flatbuffer",
    size: 1,
    alignment: 1,
    rootType: checkName(rootType, "root type", false) as R,
    namespace: checkName(options.namespace ?? "", "namespace", true),
  };
  FLATBUFFER_TYPES.add(Object.freeze(type));
  return type;
}

/** What the native side needs to know of a flatbuffer payload besides its type details. */
export interface FlatbufferSpec {
  rootType: string;
  namespace: string;
  schemaPath: string | undefined;
}

export function flatbufferSpec(type: FlatbufferType, schemaPath: string | undefined): FlatbufferSpec {
  return { rootType: type.rootType, namespace: type.namespace, schemaPath };
}

/**
 * The bytes of a finished flatbuffer given to a send: a Uint8Array as it is, or what a
 * `flatbuffers` Builder holds after `finish(root)`.
 */
export function flatbufferBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "object" && value !== null && typeof (value as { asUint8Array?: unknown }).asUint8Array === "function") {
    // The flatbuffers Builder's own flag: its bytes are no flatbuffer before finish().
    if ((value as { finished?: unknown }).finished === false) {
      throw new Iox2Error("InvalidArgument", "the flatbuffers Builder is not finished: call builder.finish(root) before sending");
    }
    const bytes = (value as { asUint8Array(): unknown }).asUint8Array();
    if (bytes instanceof Uint8Array) return bytes;
  }
  const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
  throw new Iox2Error("InvalidArgument", `a flatbuffer payload must be a Uint8Array or a finished flatbuffers Builder, got ${got}`);
}

/**
 * Why a flatbuffer port has no loans: the `flatbuffers` package builds on its own heap, so a
 * flatbuffer reaches shared memory by one copy. `what` names the payload ("the request payload").
 */
export function flatbufferLoanRefused(what: string): Iox2Error {
  return new Iox2Error(
    "InvalidArgument",
    `${what} is a flatbuffer: build it with the flatbuffers package, then send it with sendCopy(builder) (one copy into shared memory)`,
  );
}
