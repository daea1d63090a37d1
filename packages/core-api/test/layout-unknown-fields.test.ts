/**
 * Struct accessors refuse assignments to names their struct does not have (a typo such as
 * `payload.vallue = 1` would otherwise add a plain property and never reach shared memory), in
 * strict and sloppy code, while everything else JS does with objects keeps working: reads of
 * unknown names, the probes libraries make, serialization, inspection, symbol-keyed properties.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Iox2Error } from "../src/base/errors.js";
import { array, f64, struct, u32, u64, u8 } from "../src/layout/index.js";

const Inner = struct("Inner", { x: f64, y: u32 });
const Reading = struct("Reading", { id: u32, count: u64, value: f64, valid: u8, inner: Inner, tags: array(u8, 4) });

function fresh() {
  const bytes = new Uint8Array(Reading.size);
  const view = Reading.view(bytes);
  view.$set({ id: 7, count: 8n, value: 1.5, valid: 1, inner: { x: 2.5, y: 3 }, tags: [1, 2, 3, 4] });
  return { bytes, view, before: bytes.slice() };
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

/** `view[name] = 1` in sloppy-mode code (Function-constructor code is sloppy unless it says "use strict"). */
const sloppyAssign = new Function("view", "name", "view[name] = 1;") as (view: unknown, name: string) => void;

function expectRefused(action: () => unknown, message: RegExp): void {
  const error = thrown(action);
  expect(error).toBeInstanceOf(Iox2Error);
  expect((error as Iox2Error).kind).toBe("InvalidArgument");
  expect((error as Iox2Error).message).toMatch(message);
}

describe("assigning a name the struct does not have", () => {
  it("throws InvalidArgument naming the struct, the name, the closest field and every field, and changes nothing", () => {
    const { bytes, view, before } = fresh();
    expectRefused(() => {
      (view as unknown as Record<string, unknown>).vallue = 1;
    }, /^struct 'Reading' has no field 'vallue' \(did you mean 'value'\?\); its fields: id, count, value, valid, inner, tags$/);
    expect(Object.getOwnPropertyNames(view)).toEqual([]);
    expect((view as unknown as Record<string, unknown>).vallue).toBeUndefined();
    expect(bytes).toEqual(before);
  });

  it("suggests a field only for a likely typo: case, a swap, a few letters", () => {
    const { view } = fresh();
    const target = view as unknown as Record<string, unknown>;
    expectRefused(() => (target.Count = 1), /did you mean 'count'\?/);
    expectRefused(() => (target.vlaue = 1), /did you mean 'value'\?/);
    expectRefused(() => (target.tag = 1), /did you mean 'tags'\?/);
    expectRefused(() => (target.temperature = 1), /^struct 'Reading' has no field 'temperature'; its fields: /);
    expectRefused(() => (target[0] = 1), /has no field '0';/);
    expectRefused(() => (target[`${"x".repeat(100)}`] = 1), /has no field 'x{64}\.\.\.'/);
  });

  it("throws in sloppy-mode code too, where a failed assignment would otherwise be silent", () => {
    const { bytes, view, before } = fresh();
    expectRefused(() => sloppyAssign(view, "vallue"), /has no field 'vallue'/);
    expectRefused(() => sloppyAssign(view.inner, "vallue"), /^struct 'Inner' has no field 'vallue'/);
    expect(bytes).toEqual(before);
  });

  it("throws through Reflect.set, Object.assign and nested accessors", () => {
    const { view } = fresh();
    expectRefused(() => Reflect.set(view, "idd", 1), /did you mean 'id'\?/);
    expectRefused(() => {
      (view.inner as unknown as Record<string, unknown>).z = 1;
    }, /^struct 'Inner' has no field 'z'; its fields: x, y$/);
    // Object.assign assigns in order: the known field before the typo is written.
    expectRefused(() => Object.assign(view, { id: 9, vallue: 2 }), /has no field 'vallue'/);
    expect(view.id).toBe(9);
  });

  it("is refused on read-only accessors too, while known fields keep their read-only error", () => {
    const { bytes } = fresh();
    const received = Reading.view(bytes, 0, { readonly: true });
    expectRefused(() => {
      (received as unknown as Record<string, unknown>).vallue = 1;
    }, /has no field 'vallue'/);
    expectRefused(() => {
      received.value = 2;
    }, /cannot write field 'value': the view is read-only/);
    expectRefused(() => {
      (received.inner as unknown as Record<string, unknown>).x = 1;
    }, /cannot write field 'x': the view is read-only/);
  });

  it("helper members and Object.prototype names are refused the same way, and keep working", () => {
    const { view, bytes, before } = fresh();
    for (const name of ["$set", "$toPlain", "$layout", "$readonly", "toJSON", "constructor", "toString", "hasOwnProperty", "__proto__"]) {
      expectRefused(() => {
        (view as unknown as Record<string, unknown>)[name] = {};
      }, new RegExp(`^struct 'Reading' has no field '${name.replace("$", "\\$")}'`));
      expectRefused(() => sloppyAssign(view, name), /has no field/);
    }
    expect(Object.getOwnPropertyNames(view)).toEqual([]);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(view))).not.toBeNull();
    expect(view.$layout).toBe(Reading);
    expect(view.$readonly).toBe(false);
    expect(view.$toPlain().id).toBe(7);
    expect(bytes).toEqual(before);
  });

  it("lists the first 16 fields of a large struct", () => {
    const Wide = struct("Wide", Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, u8])));
    const view = Wide.view(new Uint8Array(Wide.size)) as unknown as Record<string, unknown>;
    expectRefused(() => (view.g = 1), /its fields: f0, f1, .*, f15, \.\.\. \(20 in all\)$/);
  });
});

describe("everything else stays ordinary JS", () => {
  it("known fields read and write shared memory; reads of unknown names give undefined", () => {
    const { bytes, view } = fresh();
    view.value = 4.25;
    expect(new DataView(bytes.buffer).getFloat64(Reading.fields[2]!.offset, true)).toBe(4.25);
    const probe = view as unknown as Record<PropertyKey, unknown>;
    for (const name of ["vallue", "then", "$$typeof", "asymmetricMatch", "nodeType", "@@__IMMUTABLE_ITERABLE__@@"]) {
      expect(probe[name], name).toBeUndefined();
    }
    expect(probe[Symbol.toPrimitive]).toBeUndefined();
    expect(probe[Symbol.iterator]).toBeUndefined();
    expect("vallue" in view).toBe(false);
    expect("value" in view).toBe(true);
    expect(`${view as unknown as string}`).toBe("[object Reading]");
  });

  it("accessors are objects as before: prototype checks, Object.prototype methods, promises", async () => {
    const { view } = fresh();
    expect(view instanceof Object).toBe(true);
    expect(Object.prototype.isPrototypeOf(view)).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(view, "value")).toBe(false);
    expect(view.hasOwnProperty("value" as never)).toBe(false);
    expect(view.constructor.name).toBe("Reading");
    // Not a thenable: awaiting or resolving with an accessor gives the accessor.
    expect(await Promise.resolve(view)).toBe(view);
    expect(await (async () => view)()).toBe(view);
  });

  it("symbol-keyed properties and Object.defineProperty work as on any object", () => {
    const { view, bytes, before } = fresh();
    const tag = Symbol("tag");
    (view as unknown as Record<symbol, unknown>)[tag] = "mine";
    expect((view as unknown as Record<symbol, unknown>)[tag]).toBe("mine");
    expect(Object.getOwnPropertySymbols(view)).toContain(tag);
    // Defining a property is deliberate, not a typo: it is allowed as on any extensible object.
    Object.defineProperty(view, "note", { value: "defined", enumerable: false });
    expect((view as unknown as Record<string, unknown>).note).toBe("defined");
    expect(bytes).toEqual(before);
  });

  it("serializes, inspects and copies as before", () => {
    const { view } = fresh();
    const plain = view.$toPlain();
    expect(Object.keys(view)).toEqual([]);
    const fields: string[] = [];
    for (const name in view) fields.push(name);
    expect(fields).toEqual(Reading.fields.map((f) => f.name));
    expect(JSON.parse(JSON.stringify(view, (_, v: unknown) => (typeof v === "bigint" ? Number(v) : v)))).toEqual({ ...plain, count: 8 });
    expect(inspect(view)).toBe(inspect(plain));
    // Fields live on the prototype: spreading and structured cloning copy no fields (use $toPlain()).
    expect(Object.keys({ ...view })).toEqual([]);
    expect(structuredClone(view)).toEqual({});
  });

  it("the accessor's own slots stay the only own properties", () => {
    const { view } = fresh();
    const other = Reading.view(new Uint8Array(Reading.size), 0, { readonly: true });
    for (const accessor of [view, other, view.inner]) {
      expect(Object.getOwnPropertyNames(accessor)).toEqual([]);
      expect(Reflect.ownKeys(accessor)).toHaveLength(2);
    }
  });
});
