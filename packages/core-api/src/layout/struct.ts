/**
 * Structs with C layout and their views.
 * @module
 */
import { Iox2Error } from "../base/errors.js";
import { utf8Length } from "../base/text.js";
import { checkElementType } from "./array.js";
import { TypeBase, isFixedType, readonlyOption } from "./base.js";
import { type PathKey, checkedView, describeThrown, describeValue, invalid, isInstance, joinPath, readError, readOnly, viewPart } from "./memory.js";
import type { ByteWindow, StructField, StructFields, StructType, ViewOptions } from "./types.js";

const VIEW: unique symbol = Symbol("iox2.layout.view");
const BASE: unique symbol = Symbol("iox2.layout.base");

/**
 * Shared prototype of all struct accessors. Instances are created by the per-struct
 * constructors of {@link accessorClass} and hold only the DataView and the base offset.
 *
 * Every accessor's prototype chain is: the instance → its struct's prototype (a getter and a
 * setter per field) → `StructAccessorBase.prototype` → {@link UNKNOWN_FIELD_GUARD} →
 * `Object.prototype`. Every string-keyed assignment is refused with InvalidArgument unless it
 * names a field: helper members refuse in their setters ({@link defineHelper}), any other name
 * reaches the guard.
 */
class StructAccessorBase {
  declare readonly $layout: StructTypeImpl;
  declare readonly $readonly: boolean;
  declare readonly [VIEW]: ByteWindow;
  declare readonly [BASE]: number;

  $toPlain(): unknown {
    return this.$layout._toPlain(this[VIEW], this[BASE]);
  }

  $set(value: unknown): void {
    if (this.$readonly) throw readOnly(this.$layout.typeName);
    this.$layout._set(this[VIEW], this[BASE], value, "", undefined);
  }

  $assign(values: unknown): void {
    if (this.$readonly) throw readOnly(this.$layout.typeName);
    this.$layout._assign(this[VIEW], this[BASE], values);
  }

  /** Lets `JSON.stringify(view)` serialize the plain copy (bigint fields need a replacer, as usual). */
  toJSON(): unknown {
    return this.$toPlain();
  }
}

/**
 * Defines a helper member (a method or `$layout`, `$readonly`, `constructor`) as a getter whose
 * setter refuses like an unknown field: a data property would be shadowed by an assignment, or
 * make it throw a plain TypeError once frozen.
 */
function defineHelper(proto: object, name: string, value: unknown): void {
  Object.defineProperty(proto, name, {
    get: () => value,
    set(this: unknown): void {
      throw unknownField(this, name);
    },
  });
}

for (const name of ["$toPlain", "$set", "$assign", "toJSON"] as const) defineHelper(StructAccessorBase.prototype, name, StructAccessorBase.prototype[name]);

Object.defineProperty(StructAccessorBase.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value(this: StructAccessorBase): unknown {
    try {
      return this.$toPlain();
    } catch (e) {
      return `[${this.$layout.typeName}: ${e instanceof Error ? e.message : String(e)}]`;
    }
  },
});

/**
 * The end of every accessor's prototype chain, before `Object.prototype`: a proxy whose only trap
 * refuses assignments of names found nowhere before it. Without it a typo (`payload.vallue = 1`)
 * would add a plain property to the accessor and the value would never reach shared memory.
 * Reading an unknown name still gives `undefined` (the proxy forwards it), because code probes
 * objects for `then`, `toJSON`, `Symbol.toPrimitive`, `$$typeof`, `asymmetricMatch` and the like.
 * Symbol keys cannot be typos of a field: they are assigned as on any object.
 */
const UNKNOWN_FIELD_GUARD: object = new Proxy(
  {},
  {
    set(target, key, value, receiver): boolean {
      if (typeof key === "symbol") return Reflect.set(target, key, value, receiver);
      throw unknownField(receiver, key);
    },
  },
);
Object.setPrototypeOf(StructAccessorBase.prototype, UNKNOWN_FIELD_GUARD);

function unknownField(receiver: unknown, key: string): Iox2Error {
  const shown = key.length > 64 ? `${key.slice(0, 64)}...` : key;
  let type: unknown;
  try {
    type = (receiver as StructAccessorBase).$layout;
  } catch {
    type = undefined; // a receiver that is no accessor (Reflect.set with a foreign receiver)
  }
  if (!isFixedType(type) || !(type instanceof StructTypeImpl)) {
    return new Iox2Error("InvalidArgument", `cannot set '${shown}': a struct view has only the fields of its struct`);
  }
  const names = type.fields.map((f) => f.name);
  const close = closestName(key, names);
  const listed = names.length <= 16 ? names.join(", ") : `${names.slice(0, 16).join(", ")}, ... (${names.length} in all)`;
  return new Iox2Error(
    "InvalidArgument",
    `struct '${type.typeName}' has no field '${shown}'${close === undefined ? "" : ` (did you mean '${close}'?)`}; its fields: ${listed}`,
  );
}

/**
 * The field name `key` is most likely a typo of: case ignored, at most a third of the name's
 * letters edited (one for short names), and never all of them.
 */
function closestName(key: string, names: readonly string[]): string | undefined {
  if (key.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    if (name.length > 64) continue;
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    const allowed = Math.min(Math.max(1, Math.floor(name.length / 3)), name.length - 1);
    if (distance <= allowed && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Names that cannot be struct fields (they would break JS objects or thenable detection). */
const RESERVED_FIELD_NAMES = new Set([
  "constructor",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toString",
  "toLocaleString",
  "valueOf",
  "then",
]);

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

export function checkTypeName(typeName: unknown): asserts typeName is string {
  if (typeof typeName !== "string" || typeName === "") {
    throw new Iox2Error("InvalidArgument", `struct(): typeName must be a non-empty string, got ${describeValue(typeName)}`);
  }
  const bytes = utf8Length(typeName);
  if (bytes < 0) throw new Iox2Error("InvalidArgument", "struct(): typeName contains a lone UTF-16 surrogate");
  if (bytes > 255) {
    throw new Iox2Error("InvalidArgument", `struct(): typeName must be at most 255 UTF-8 bytes, got ${bytes}`);
  }
  if (typeName.includes("\0")) throw new Iox2Error("InvalidArgument", "struct(): typeName must not contain NUL");
}

function checkFieldName(typeName: string, name: string): void {
  if (!IDENTIFIER.test(name)) {
    throw new Iox2Error("InvalidArgument", `struct '${typeName}': field name ${JSON.stringify(name)} is not a valid identifier`);
  }
  if (name === "NaN" || name === "Infinity") {
    throw new Iox2Error("InvalidArgument", `struct '${typeName}': field name '${name}' is numeric-like`);
  }
  if (name.startsWith("$") || RESERVED_FIELD_NAMES.has(name)) {
    throw new Iox2Error(
      "InvalidArgument",
      `struct '${typeName}': field name '${name}' is reserved (names starting with '$' and Object.prototype members cannot be used)`,
    );
  }
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

type AccessorClass = new () => StructAccessorBase;

/**
 * The DataView and base offset of the accessor being made (see `StructTypeImpl._get`): class
 * field initializers cannot see constructor arguments.
 */
let slotView: ByteWindow | undefined;
let slotBase = 0;

/**
 * Builds the accessor class of a struct: one prototype with a getter/setter per
 * field; instances hold only the DataView and the base offset.
 */
function accessorClass(
  type: StructTypeImpl,
  list: readonly { readonly name: string; readonly type: TypeBase; readonly offset: number }[],
  readonly: boolean,
): AccessorClass {
  // The slots are class fields of a base class (no super() call to pay for). Fields are defined
  // on the new object, not assigned: an assignment looks for a setter along the prototype chain
  // and meets the guard, and engines do not cache such stores (Bun took 60 ns per accessor
  // instead of 5). Each is written once: V8 keeps a field written twice as variable, not constant.
  const Accessor = class {
    readonly [VIEW] = slotView as ByteWindow;
    readonly [BASE] = slotBase;
  };
  Object.defineProperty(Accessor, "name", { value: type.typeName });
  const proto = Accessor.prototype as unknown as StructAccessorBase;
  Object.setPrototypeOf(proto, StructAccessorBase.prototype);
  defineHelper(proto, "constructor", Accessor);
  defineHelper(proto, "$layout", type);
  defineHelper(proto, "$readonly", readonly);
  Object.defineProperty(proto, Symbol.toStringTag, { value: type.typeName });
  for (const { name, type: fieldType, offset } of list) {
    Object.defineProperty(
      proto,
      name,
      readonly
        ? {
            enumerable: true,
            get(this: StructAccessorBase): unknown {
              return fieldType._get(this[VIEW], this[BASE] + offset, true);
            },
            set(): void {
              throw readOnly(`field '${name}'`);
            },
          }
        : {
            enumerable: true,
            get(this: StructAccessorBase): unknown {
              return fieldType._get(this[VIEW], this[BASE] + offset, false);
            },
            set(this: StructAccessorBase, value: unknown): void {
              fieldType._set(this[VIEW], this[BASE] + offset, value, "", name);
            },
          },
    );
  }
  Object.freeze(proto);
  return Accessor as unknown as AccessorClass;
}

/** Marks a field a partial write leaves alone. */
const ABSENT_FIELD: unique symbol = Symbol("iox2.layout.absent");

export class StructTypeImpl extends TypeBase {
  readonly kind = "struct" as const;
  readonly fields: readonly StructField[];
  private readonly _list: readonly { readonly name: string; readonly type: TypeBase; readonly offset: number }[];
  private readonly _names: ReadonlySet<string>;
  private readonly _Accessor: AccessorClass;
  private readonly _ReadonlyAccessor: AccessorClass;

  constructor(
    typeName: string,
    list: readonly { readonly name: string; readonly type: TypeBase; readonly offset: number }[],
    size: number,
    alignment: number,
  ) {
    super(typeName, size, alignment);
    this._list = list;
    this.fields = list;
    this._names = new Set(list.map((f) => f.name));
    this._needsInit = list.some((f) => f.type._needsInit);

    this._Accessor = accessorClass(this, list, false);
    this._ReadonlyAccessor = accessorClass(this, list, true);
    Object.freeze(this);
  }

  _get(view: ByteWindow, byteOffset: number, readonly: boolean): unknown {
    slotView = view;
    slotBase = byteOffset;
    // Two `new` sites, each seeing one class per struct type.
    const accessor = readonly ? new this._ReadonlyAccessor() : new this._Accessor();
    slotView = undefined; // holding the last view would keep its sample reachable
    return accessor;
  }

  _toPlain(view: ByteWindow, byteOffset: number): unknown {
    const out: Record<string, unknown> = {};
    for (const f of this._list) out[f.name] = f.type._toPlain(view, byteOffset + f.offset);
    return out;
  }

  override _init(view: ByteWindow, byteOffset: number): void {
    for (const f of this._list) if (f.type._needsInit) f.type._init(view, byteOffset + f.offset);
  }

  _prepare(value: unknown, parent: string, key: PathKey): unknown {
    return this._prepareFields(value, parent, key, false);
  }

  /**
   * Checks a plain object's fields against this struct and converts each for `_store`. Each field
   * is read once (a getter may answer differently the next time); whatever the value's own code
   * throws (getters, proxy traps) becomes InvalidArgument. With `partial`, absent fields are left
   * out ({@link ABSENT_FIELD} in the result) instead of refused.
   */
  _prepareFields(value: unknown, parent: string, key: PathKey, partial: boolean): unknown[] {
    try {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw invalid(this.typeName, parent, key, `expected an object with fields, got ${describeValue(value)}`);
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto === Object.prototype || proto === null) {
        for (const k of Object.keys(value)) {
          if (!this._names.has(k)) throw invalid(this.typeName, parent, key, `unknown field '${k}'`);
        }
      }
    } catch (e) {
      throw readError(e, this.typeName, parent, key);
    }
    const path = joinPath(parent, key);
    const list = this._list;
    const out = new Array<unknown>(list.length);
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      let v: unknown;
      try {
        v = (value as Record<string, unknown>)[f.name];
      } catch (e) {
        throw readError(e, f.type.typeName, path, f.name);
      }
      if (v === undefined) {
        if (partial) {
          out[i] = ABSENT_FIELD;
          continue;
        }
        throw invalid(this.typeName, parent, key, `missing field '${f.name}'`);
      }
      out[i] = f.type._prepare(v, path, f.name);
    }
    return out;
  }

  /** Writes the fields `value` names, all checked before any is written; the others keep their bytes. */
  _assign(view: ByteWindow, byteOffset: number, value: unknown): void {
    const values = this._prepareFields(value, "", undefined, true);
    const list = this._list;
    for (let i = 0; i < list.length; i++) {
      if (values[i] !== ABSENT_FIELD) list[i]!.type._store(view, byteOffset + list[i]!.offset, values[i]);
    }
  }

  _store(view: ByteWindow, byteOffset: number, prepared: unknown): void {
    const values = prepared as unknown[];
    const list = this._list;
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      f.type._store(view, byteOffset + f.offset, values[i]);
    }
  }

  view(bytes: Uint8Array, byteOffset = 0, options?: ViewOptions): unknown {
    const view = checkedView(bytes, byteOffset, this.size, this.typeName);
    return this._get(view, viewPart(bytes, "byteOffset") + byteOffset, readonlyOption(options));
  }

  read(bytes: Uint8Array, byteOffset = 0): unknown {
    const view = checkedView(bytes, byteOffset, this.size, this.typeName);
    return this._toPlain(view, viewPart(bytes, "byteOffset") + byteOffset);
  }

  write(bytes: Uint8Array, value: unknown, byteOffset = 0): void {
    const view = checkedView(bytes, byteOffset, this.size, this.typeName);
    this._store(view, viewPart(bytes, "byteOffset") + byteOffset, this._prepare(value, "", undefined));
  }
}

/**
 * Defines a C struct. Field order is the insertion order of `fields`; offsets,
 * size and alignment follow C rules. `typeName` is the cross-language name
 * (non-empty, at most 255 UTF-8 bytes). Field names must be JS identifiers,
 * must not start with `$` and must not be `Object.prototype` members or `then`.
 *
 * @example
 * const SensorData = struct("SensorData", { timestampNs: u64, temperature: f64, sensorId: array(u8, 16) });
 * const v = SensorData.view(bytes); v.temperature = 21.5; v.sensorId.typedArray().set(id);
 */
export function struct<F extends StructFields>(typeName: string, fields: F): StructType<F> {
  checkTypeName(typeName);
  // Each field's type is read once; whatever the definition's own code throws becomes InvalidArgument.
  let definitions: (readonly [string, unknown])[];
  try {
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
      throw new Iox2Error("InvalidArgument", `struct '${typeName}': fields must be an object literal, got ${describeValue(fields)}`);
    }
    if (Object.getOwnPropertySymbols(fields).length > 0) {
      throw new Iox2Error("InvalidArgument", `struct '${typeName}': field names must be strings, not symbols`);
    }
    definitions = Object.keys(fields).map((name) => [name, (fields as Record<string, unknown>)[name]] as const);
  } catch (e) {
    if (isInstance(e, Iox2Error)) throw e;
    throw new Iox2Error("InvalidArgument", `struct '${typeName}': reading the fields threw ${describeThrown(e)}`, { cause: e });
  }
  if (definitions.length === 0) {
    throw new Iox2Error("InvalidArgument", `struct '${typeName}': a struct needs at least one field (C has no empty structs)`);
  }
  const seen = new Set<string>();
  const list: { readonly name: string; readonly type: TypeBase; readonly offset: number }[] = [];
  let offset = 0;
  let alignment = 1;
  for (const [name, type] of definitions) {
    checkFieldName(typeName, name);
    if (seen.has(name)) throw new Iox2Error("InvalidArgument", `struct '${typeName}': duplicate field '${name}'`);
    seen.add(name);
    checkElementType(type, `struct '${typeName}' field '${name}'`);
    offset = alignUp(offset, type.alignment);
    list.push(Object.freeze({ name, type, offset }));
    offset += type.size;
    alignment = Math.max(alignment, type.alignment);
  }
  const size = alignUp(offset, alignment);
  return new StructTypeImpl(typeName, Object.freeze(list), size, alignment) as unknown as StructType<F>;
}
