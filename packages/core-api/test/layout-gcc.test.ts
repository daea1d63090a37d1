/**
 * Property-based check of the TS struct layouts against gcc: random struct
 * definitions are compiled into one C program that prints sizeof/_Alignof/offsetof
 * of every struct and field and dumps the bytes of structs filled with known
 * values. gcc is required: the test fails when it is missing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnyLayoutType, StructType } from "../src/layout/index.js";
import { array, bool, f32, f64, i16, i32, i64, i8, struct, u16, u32, u64, u8 } from "../src/layout/index.js";

// The package's tsconfig has `types: []` (src must stay runtime-agnostic), so the
// Node modules this test needs are loaded dynamically with minimal local types.
interface NodeApis {
  execFileSync(
    file: string,
    args: readonly string[],
    options: { encoding: "utf8"; maxBuffer?: number; stdio?: readonly string[]; timeout?: number },
  ): string;
  mkdtempSync(prefix: string): string;
  writeFileSync(path: string, data: string): void;
  rmSync(path: string, options: { recursive: boolean; force: boolean }): void;
  tmpdir(): string;
  join(...parts: string[]): string;
}

async function loadNodeApis(): Promise<NodeApis> {
  const load = async (id: string): Promise<Record<string, unknown>> =>
    (await import(/* @vite-ignore */ id)) as Record<string, unknown>;
  const [cp, fs, os, path] = await Promise.all([load("node:child_process"), load("node:fs"), load("node:os"), load("node:path")]);
  return { ...cp, ...fs, ...os, ...path } as unknown as NodeApis;
}

// ---------------------------------------------------------------------------
// Random definitions
// ---------------------------------------------------------------------------

const PRIMS = ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "bool"] as const;
type PrimName = (typeof PRIMS)[number];

type Def =
  | { readonly k: "prim"; readonly p: PrimName }
  | { readonly k: "array"; readonly elem: Def; readonly len: number }
  | { readonly k: "struct"; readonly fields: readonly Def[] };

const primArb: fc.Arbitrary<Def> = fc.constantFrom(...PRIMS).map((p) => ({ k: "prim", p }));
const primArrayArb: fc.Arbitrary<Def> = fc
  .tuple(primArb, fc.integer({ min: 1, max: 9 }))
  .map(([elem, len]) => ({ k: "array", elem, len }));

/** A field type at nesting `depth` (top-level struct fields have depth 0; structs nest up to depth 3). */
function fieldArb(depth: number): fc.Arbitrary<Def> {
  const leaf = fc.oneof({ arbitrary: primArb, weight: 5 }, { arbitrary: primArrayArb, weight: 2 });
  if (depth >= 3) return leaf;
  const nested = structArb(depth + 1, 1, 5);
  return fc.oneof(
    { arbitrary: leaf, weight: 10 },
    { arbitrary: nested, weight: 2 },
    // arrays of structs and arrays of arrays
    { arbitrary: fc.tuple(nested, fc.integer({ min: 1, max: 3 })).map(([elem, len]): Def => ({ k: "array", elem, len })), weight: 1 },
    { arbitrary: fc.tuple(primArrayArb, fc.integer({ min: 1, max: 3 })).map(([elem, len]): Def => ({ k: "array", elem, len })), weight: 1 },
  );
}

function structArb(depth: number, minFields: number, maxFields: number): fc.Arbitrary<Def> {
  return fc
    .array(fieldArb(depth), { minLength: minFields, maxLength: maxFields })
    .map((fields): Def => ({ k: "struct", fields }));
}

// ---------------------------------------------------------------------------
// Building TS types and C code from definitions
// ---------------------------------------------------------------------------

const TS_PRIMS: Record<PrimName, AnyLayoutType> = { u8, u16, u32, u64, i8, i16, i32, i64, f32, f64, bool };
const C_PRIMS: Record<PrimName, string> = {
  u8: "uint8_t",
  u16: "uint16_t",
  u32: "uint32_t",
  u64: "uint64_t",
  i8: "int8_t",
  i16: "int16_t",
  i32: "int32_t",
  i64: "int64_t",
  f32: "float",
  f64: "double",
  bool: "bool",
};

/** A struct definition with names, in a form both generators share. */
interface NamedStruct {
  readonly name: string;
  readonly fields: readonly { readonly name: string; readonly type: NamedType }[];
}
type NamedType =
  | { readonly k: "prim"; readonly p: PrimName }
  | { readonly k: "array"; readonly elem: NamedType; readonly len: number }
  | { readonly k: "struct"; readonly s: NamedStruct };

/** Names the structs of `def` (`S3`, `S3_1`, ...), appending every struct (children first) to `out`. */
function nameStruct(def: Def & { k: "struct" }, name: string, out: NamedStruct[]): NamedStruct {
  let counter = 0;
  const nameType = (d: Def): NamedType => {
    if (d.k === "prim") return d;
    if (d.k === "array") return { k: "array", elem: nameType(d.elem), len: d.len };
    return { k: "struct", s: nameStruct(d, `${name}_${++counter}`, out) };
  };
  const s: NamedStruct = { name, fields: [] };
  const fields = def.fields.map((d, i) => ({ name: `f${i}`, type: nameType(d) }));
  const named = { ...s, fields };
  out.push(named);
  return named;
}

const tsTypes = new Map<NamedStruct, StructType>();
function tsType(t: NamedType): AnyLayoutType {
  if (t.k === "prim") return TS_PRIMS[t.p];
  if (t.k === "array") return array(tsType(t.elem), t.len);
  return tsStruct(t.s);
}
function tsStruct(s: NamedStruct): StructType {
  let type = tsTypes.get(s);
  if (type === undefined) {
    type = struct(s.name, Object.fromEntries(s.fields.map((f) => [f.name, tsType(f.type)])));
    tsTypes.set(s, type);
  }
  return type;
}

/** C declaration of a field: `uint8_t f0[3][4]`, `struct S1_2 f1`. */
function cDeclaration(t: NamedType, name: string): string {
  let dims = "";
  let base = t;
  while (base.k === "array") {
    dims += `[${base.len}]`;
    base = base.elem;
  }
  const cBase = base.k === "prim" ? C_PRIMS[base.p] : `struct ${base.s.name}`;
  return `${cBase} ${name}${dims}`;
}

function cStructDefinition(s: NamedStruct): string {
  return `struct ${s.name} {\n${s.fields.map((f) => `  ${cDeclaration(f.type, f.name)};\n`).join("")}};\n`;
}

function cLayoutPrint(s: NamedStruct): string {
  const t = `struct ${s.name}`;
  const offsets = s.fields.map(() => "%zu").join(",");
  const json = `{\\"name\\":\\"${s.name}\\",\\"size\\":%zu,\\"align\\":%zu,\\"offsets\\":[${offsets}],\\"sizes\\":[${offsets}]}\\n`;
  const args = [
    `sizeof(${t})`,
    `_Alignof(${t})`,
    ...s.fields.map((f) => `offsetof(${t}, ${f.name})`),
    ...s.fields.map((f) => `sizeof(((${t} *)0)->${f.name})`),
  ];
  return `  printf("${json}", ${args.join(", ")});\n`;
}

// ---------------------------------------------------------------------------
// Known values for byte dumps
// ---------------------------------------------------------------------------

type Step = { readonly field: string } | { readonly index: number };
interface Leaf {
  readonly steps: readonly Step[];
  readonly p: PrimName;
}

function leavesOf(s: NamedStruct): Leaf[] {
  const out: Leaf[] = [];
  const walk = (t: NamedType, steps: Step[]): void => {
    if (t.k === "prim") out.push({ steps, p: t.p });
    else if (t.k === "array") for (let i = 0; i < t.len; i++) walk(t.elem, [...steps, { index: i }]);
    else for (const f of t.s.fields) walk(f.type, [...steps, { field: f.name }]);
  };
  walk({ k: "struct", s }, []);
  return out;
}

/** Deterministic value number `k` of a primitive, as JS value and C expression. */
function knownValue(p: PrimName, k: number): { js: number | bigint | boolean; c: string } {
  const K = BigInt(k);
  switch (p) {
    case "u8": {
      const n = (k * 37 + 11) % 256;
      return { js: n, c: `${n}` };
    }
    case "u16": {
      const n = (k * 4099 + 17) % 65536;
      return { js: n, c: `${n}` };
    }
    case "u32": {
      const n = Number(BigInt.asUintN(32, K * 2654435761n + 99n));
      return { js: n, c: `${n}u` };
    }
    case "u64": {
      const n = BigInt.asUintN(64, K * 0x9e3779b97f4a7c15n + 5n);
      return { js: n, c: `UINT64_C(${n})` };
    }
    case "i8": {
      const n = ((k * 37 + 11) % 256) - 128;
      return { js: n, c: `(${n})` };
    }
    case "i16": {
      const n = ((k * 4099 + 17) % 65536) - 32768;
      return { js: n, c: `(${n})` };
    }
    case "i32": {
      const n = Number(BigInt.asIntN(32, K * 2654435761n + 99n));
      return { js: n, c: n === -2147483648 ? "INT32_MIN" : `(${n})` };
    }
    case "i64": {
      const n = BigInt.asIntN(64, K * 0x9e3779b97f4a7c15n + 5n);
      const c = n === -(2n ** 63n) ? "INT64_MIN" : n < 0n ? `(-INT64_C(${-n}))` : `INT64_C(${n})`;
      return { js: n, c };
    }
    case "f32": {
      const n = ((k * 7) % 2000) * 0.25 - 250;
      return { js: n, c: `((float)(${n}))` };
    }
    case "f64": {
      const n = k * 1.5 - 1000.125;
      return { js: n, c: `(${n})` };
    }
    case "bool":
      return { js: k % 3 === 0, c: k % 3 === 0 ? "true" : "false" };
  }
}

function cPath(steps: readonly Step[]): string {
  return steps.map((s) => ("field" in s ? `.${s.field}` : `[${s.index}]`)).join("");
}

function cFillAndDump(s: NamedStruct, leaves: readonly Leaf[]): string {
  const assignments = leaves.map((l, k) => `    s${cPath(l.steps)} = ${knownValue(l.p, k).c};\n`).join("");
  return `  {\n    struct ${s.name} s;\n    memset(&s, 0, sizeof s);\n${assignments}    dump("${s.name}", &s, sizeof s);\n  }\n`;
}

/** The plain object the known values make. */
function knownPlain(s: NamedStruct): unknown {
  let k = 0;
  const build = (t: NamedType): unknown => {
    if (t.k === "prim") return knownValue(t.p, k++).js;
    if (t.k === "array") return Array.from({ length: t.len }, () => build(t.elem));
    return Object.fromEntries(t.s.fields.map((f) => [f.name, build(f.type)]));
  };
  return build({ k: "struct", s });
}

/** Writes every known value through the zero-copy accessors (field setters and ArrayView.set). */
function writeThroughAccessors(view: unknown, leaves: readonly Leaf[]): void {
  leaves.forEach((leaf, k) => {
    let cur = view as Record<string, unknown>;
    for (const step of leaf.steps.slice(0, -1)) {
      cur = ("field" in step ? cur[step.field] : (cur as unknown as { get(i: number): unknown }).get(step.index)) as Record<string, unknown>;
    }
    const last = leaf.steps[leaf.steps.length - 1]!;
    const value = knownValue(leaf.p, k).js;
    if ("field" in last) cur[last.field] = value;
    else (cur as unknown as { set(i: number, v: unknown): void }).set(last.index, value);
  });
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// ---------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------

const STRUCT_COUNT = 320;
const DUMP_COUNT = 60;
const MAX_DUMP_LEAVES = 400;

const SENSOR_DATA: NamedStruct = {
  name: "SensorData",
  fields: [
    { name: "timestampNs", type: { k: "prim", p: "u64" } },
    { name: "temperature", type: { k: "prim", p: "f64" } },
    { name: "pressure", type: { k: "prim", p: "f64" } },
    { name: "humidity", type: { k: "prim", p: "f32" } },
    { name: "status", type: { k: "prim", p: "u32" } },
    { name: "sensorId", type: { k: "array", elem: { k: "prim", p: "u8" }, len: 16 } },
  ],
};

const SENSOR_EXPLICIT_C = `  {
    struct SensorData s;
    memset(&s, 0, sizeof s);
    s.timestampNs = UINT64_C(1700000000123456789);
    s.temperature = 21.5;
    s.pressure = 1013.25;
    s.humidity = 45.5f;
    s.status = 0xDEADBEEFu;
    for (int i = 0; i < 16; i++) s.sensorId[i] = (uint8_t)(0xA0 + i);
    dump("SensorData:explicit", &s, sizeof s);
  }
`;

interface CLayout {
  name: string;
  size: number;
  align: number;
  offsets: number[];
  sizes: number[];
}

describe("struct layouts agree with gcc", () => {
  const seed = (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  const topLevel: NamedStruct[] = [];
  const allStructs: NamedStruct[] = [SENSOR_DATA];
  const dumped: NamedStruct[] = [SENSOR_DATA];
  const layouts = new Map<string, CLayout>();
  const dumps = new Map<string, string>();
  let node: NodeApis | undefined;
  let tempDir: string | undefined;
  let setupError: unknown;

  /** Fails the calling test (instead of skipping it) when gcc is missing or the C program failed. */
  function requireSetup(): void {
    if (setupError !== undefined) throw setupError;
  }

  beforeAll(async () => {
    try {
      await setUp();
    } catch (e) {
      setupError = e;
    }
  }, 120_000);

  async function setUp(): Promise<void> {
    node = await loadNodeApis();
    try {
      node.execFileSync("gcc", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      throw new Error(`gcc is required for this test but could not be run: ${String(e)}`);
    }

    const defs = fc.sample(structArb(0, 1, 12), { numRuns: STRUCT_COUNT, seed });
    defs.forEach((def, i) => {
      if (def.k !== "struct") throw new Error("expected a struct definition");
      topLevel.push(nameStruct(def, `S${i}`, allStructs));
    });
    for (const s of topLevel) {
      if (dumped.length > DUMP_COUNT) break;
      if (leavesOf(s).length <= MAX_DUMP_LEAVES) dumped.push(s);
    }

    const source = [
      "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n\n",
      ...allStructs.map(cStructDefinition),
      "\nstatic void dump(const char *name, const void *p, size_t n) {\n",
      "  const unsigned char *b = p;\n",
      '  printf("{\\"dump\\":\\"%s\\",\\"hex\\":\\"", name);\n',
      '  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);\n',
      '  printf("\\"}\\n");\n}\n\n',
      "int main(void) {\n",
      ...allStructs.map(cLayoutPrint),
      ...dumped.map((s) => cFillAndDump(s, leavesOf(s))),
      SENSOR_EXPLICIT_C,
      "  return 0;\n}\n",
    ].join("");

    tempDir = node.mkdtempSync(node.join(node.tmpdir(), "iox2-layout-gcc-"));
    const cFile = node.join(tempDir, "layouts.c");
    const exe = node.join(tempDir, "layouts");
    node.writeFileSync(cFile, source);
    try {
      node.execFileSync("gcc", ["-std=c11", "-O0", "-Wall", "-Wno-unused", "-o", exe, cFile], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 60_000,
      });
    } catch (e) {
      const stderr = (e as { stderr?: unknown }).stderr;
      throw new Error(`gcc failed (seed ${seed}): ${String(stderr ?? e)}`);
    }
    const output = node.execFileSync(exe, [], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 30_000 });
    for (const line of output.split("\n")) {
      if (line === "") continue;
      const record = JSON.parse(line) as CLayout | { dump: string; hex: string };
      if ("dump" in record) dumps.set(record.dump, record.hex);
      else layouts.set(record.name, record);
    }
  }

  afterAll(() => {
    if (node !== undefined && tempDir !== undefined) node.rmSync(tempDir, { recursive: true, force: true });
  });

  it(`generates ${STRUCT_COUNT} random struct definitions with nesting`, () => {
    requireSetup();
    expect(topLevel).toHaveLength(STRUCT_COUNT);
    const fieldCounts = topLevel.map((s) => s.fields.length);
    expect(Math.min(...fieldCounts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...fieldCounts)).toBeLessThanOrEqual(12);
    expect(allStructs.length).toBeGreaterThan(topLevel.length); // nested structs exist
    expect(allStructs.some((s) => /^S\d+_\d+_\d+_\d+$/.test(s.name))).toBe(true); // nesting depth 3
    expect(layouts.size).toBe(allStructs.length);
  });

  it("sizeof, _Alignof, offsetof and field sizes match for every struct and field", () => {
    requireSetup();
    let fieldsChecked = 0;
    for (const s of allStructs) {
      const c = layouts.get(s.name);
      const ts = tsStruct(s);
      const context = `struct ${s.name} (seed ${seed}):\n${cStructDefinition(s)}`;
      expect(c, context).toBeDefined();
      expect({ size: ts.size, align: ts.alignment }, context).toEqual({ size: c!.size, align: c!.align });
      expect(
        ts.fields.map((f) => f.offset),
        context,
      ).toEqual(c!.offsets);
      expect(
        ts.fields.map((f) => f.type.size),
        context,
      ).toEqual(c!.sizes);
      expect(ts.fields.map((f) => f.name)).toEqual(s.fields.map((f) => f.name));
      fieldsChecked += s.fields.length;
    }
    expect(fieldsChecked).toBeGreaterThan(STRUCT_COUNT);
  });

  it("SensorData written through the TS accessor has the bytes C stores", () => {
    requireSetup();
    const SensorData = struct("SensorData", {
      timestampNs: u64,
      temperature: f64,
      pressure: f64,
      humidity: f32,
      status: u32,
      sensorId: array(u8, 16),
    });
    const c = layouts.get("SensorData")!;
    expect([SensorData.size, SensorData.alignment]).toEqual([48, 8]);
    expect([c.size, c.align]).toEqual([48, 8]);
    expect(SensorData.fields.map((f) => f.offset)).toEqual(c.offsets);
    const bytes = new Uint8Array(SensorData.size);
    const v = SensorData.view(bytes);
    v.timestampNs = 1700000000123456789n;
    v.temperature = 21.5;
    v.pressure = 1013.25;
    v.humidity = 45.5;
    v.status = 0xdeadbeef;
    v.sensorId.typedArray().set(Array.from({ length: 16 }, (_, i) => 0xa0 + i));
    expect(hex(bytes)).toBe(dumps.get("SensorData:explicit"));

    const viaWrite = new Uint8Array(SensorData.size);
    SensorData.write(viaWrite, {
      timestampNs: 1700000000123456789n,
      temperature: 21.5,
      pressure: 1013.25,
      humidity: 45.5,
      status: 0xdeadbeef,
      sensorId: Array.from({ length: 16 }, (_, i) => 0xa0 + i),
    });
    expect(hex(viaWrite)).toBe(dumps.get("SensorData:explicit"));
  });

  it("random structs filled through TS (write, accessors) have the bytes C stores, and read back", () => {
    requireSetup();
    expect(dumped.length).toBeGreaterThan(DUMP_COUNT / 2);
    for (const s of dumped) {
      const type = tsStruct(s);
      const expected = dumps.get(s.name);
      const context = `struct ${s.name} (seed ${seed}):\n${cStructDefinition(s)}`;
      expect(expected, context).toBeDefined();
      const plain = knownPlain(s);

      const viaWrite = new Uint8Array(type.size);
      type.write(viaWrite, plain as never);
      expect(hex(viaWrite), context).toBe(expected);

      const viaAccessors = new Uint8Array(type.size);
      writeThroughAccessors(type.view(viaAccessors), leavesOf(s));
      expect(hex(viaAccessors), context).toBe(expected);

      expect(type.read(viaWrite), context).toEqual(plain);
    }
  });
});
