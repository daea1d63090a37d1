/**
 * The interop protocol of docs/interop.md, independent of iceoryx2: the command line, the value
 * of message `i` for every pattern, and the FNV-1a digest over the canonical encoding.
 */

export const ROLES = ["publisher", "subscriber", "notifier", "listener", "client", "server", "writer", "reader", "mismatch"] as const;
export type Role = (typeof ROLES)[number];

export const PAYLOADS = ["u64", "TransmissionData", "slice", "ComplexMessage", "Flatbuffer"] as const;
export type PayloadKind = (typeof PAYLOADS)[number];

export const MISMATCH_CASES = ["struct-size", "struct-alignment", "slice-vs-fixed", "wrong-primitive", "wrong-width"] as const;
export type MismatchCase = (typeof MISMATCH_CASES)[number];

/**
 * The `--payload` of the (Rust or Python) creator each mismatch case opens with a wrong type;
 * `TransmissionData-align4` is `TransmissionData` under `#pragma pack(4)`, which TS layouts
 * cannot express.
 */
export const MISMATCH_CREATOR_PAYLOADS: Record<MismatchCase, string> = {
  "struct-size": "TransmissionData",
  "struct-alignment": "TransmissionData-align4",
  "slice-vs-fixed": "TransmissionData",
  "wrong-primitive": "u64",
  "wrong-width": "u64",
};

export interface PeerOptions {
  role: Role;
  service: string;
  /** Without it, the node reads upstream's config files (see peer.ts). */
  prefix?: string;
  count: number;
  /** `--create` (true) or `--open` (false). */
  create: boolean;
  /** Publish-subscribe roles only. */
  payload?: PayloadKind;
  /** The `mismatch` role only. */
  mismatchCase?: MismatchCase;
}

export const USAGE =
  "usage: peer <role> --service <name> [--prefix <prefix>] --count <n> (--create | --open) [--payload u64|TransmissionData|slice|ComplexMessage|Flatbuffer] [--case <case>]";

/** Distinct event ids exist for at most this many messages. */
const MAX_EVENT_COUNT = 4000;
/** Keeps `i * 2654435761 + j * 40503` below 2^53, so slice elements are exact in doubles. */
const MAX_COUNT = 1_000_000;

function oneOf<T extends string>(values: readonly T[], value: string | undefined, what: string): T {
  if (value !== undefined && (values as readonly string[]).includes(value)) return value as T;
  throw new Error(`${what} must be one of ${values.join(", ")}, got ${value === undefined ? "nothing" : `'${value}'`}`);
}

/** Parses the command line; throws an Error that says what is wrong. */
export function parseOptions(argv: readonly string[]): PeerOptions {
  const [roleArgument, ...rest] = argv;
  const role = oneOf(ROLES, roleArgument, "role");
  const values = new Map<string, string>();
  let mode: "create" | "open" | undefined;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    if (flag === "--create" || flag === "--open") {
      if (mode !== undefined) throw new Error("give exactly one of --create and --open");
      mode = flag === "--create" ? "create" : "open";
    } else if (["--service", "--prefix", "--count", "--payload", "--case"].includes(flag) && i + 1 < rest.length) {
      if (values.has(flag)) throw new Error(`${flag} given twice`);
      values.set(flag, rest[++i]!);
    } else {
      throw new Error(`unexpected argument '${flag}'`);
    }
  }
  const service = values.get("--service");
  const prefix = values.get("--prefix");
  const countText = values.get("--count");
  if (service === undefined || countText === undefined || mode === undefined) {
    throw new Error("--service, --count and one of --create/--open are required");
  }
  const count = Number(countText);
  const maxCount = role === "notifier" || role === "listener" ? MAX_EVENT_COUNT : MAX_COUNT;
  if (!/^\d+$/.test(countText) || count > maxCount) throw new Error(`--count must be an integer in 0..${maxCount}, got '${countText}'`);

  const options: PeerOptions = { role, service, count, create: mode === "create", ...(prefix === undefined ? {} : { prefix }) };
  if (role === "publisher" || role === "subscriber") {
    options.payload = oneOf(PAYLOADS, values.get("--payload"), "--payload");
  } else if (role === "mismatch") {
    const probe = oneOf(MISMATCH_CASES, values.get("--case"), "--case");
    options.mismatchCase = probe;
    if (options.create) throw new Error("mismatch opens a service another peer created: use --open");
    // A runner may pass the creator's payload along; it must be the one the case probes.
    const payload = values.get("--payload");
    if (payload !== undefined && payload !== MISMATCH_CREATOR_PAYLOADS[probe]) {
      throw new Error(`--case ${probe} probes a ${MISMATCH_CREATOR_PAYLOADS[probe]} service, got --payload '${payload}'`);
    }
  } else if (values.has("--payload")) {
    throw new Error("--payload is for publisher, subscriber and mismatch only");
  }
  if (role !== "mismatch" && values.has("--case")) throw new Error("--case is for mismatch only");
  return options;
}

// ---------------------------------------------------------------------------------------------
// Values of message i
// ---------------------------------------------------------------------------------------------

const U64_MASK = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** `((i + 1) * 0x9E3779B97F4A7C15) mod 2^64` */
export function u64Value(i: number): bigint {
  return (BigInt(i + 1) * GOLDEN_GAMMA) & U64_MASK;
}

/** The plain value of upstream's example struct `TransmissionData {x: i32, y: i32, funky: f64}`. */
export interface TransmissionDataValue {
  x: number;
  y: number;
  funky: number;
}

/** Every product stays below 2^53, so `| 0` wraps the exact integer to i32. */
export function transmissionData(i: number): TransmissionDataValue {
  return { x: (i * 1000003 - 50000000) | 0, y: (-(i * 7919) - 1) | 0, funky: i * 812.12 + 0.25 };
}

export const ZERO_TRANSMISSION_DATA: TransmissionDataValue = { x: 0, y: 0, funky: 0 };

/** Field by field; `Object.is` so that even the sign of a zero `funky` counts, as the digest's bits do. */
export function sameTransmissionData(a: TransmissionDataValue, b: TransmissionDataValue): boolean {
  return a.x === b.x && a.y === b.y && Object.is(a.funky, b.funky);
}

export function sliceLength(i: number): number {
  return 1 + ((i * 7) % 64);
}

/** `element_ij = (i * 2654435761 + j * 40503) mod 2^32`, exact since the sum stays below 2^53. */
export function sliceElements(i: number): Uint32Array {
  const elements = new Uint32Array(sliceLength(i));
  for (let j = 0; j < elements.length; j++) elements[j] = (i * 2654435761 + j * 40503) % 0x1_0000_0000;
  return elements;
}

/** The user header of slice message `i`. */
export function sliceHeader(i: number, elements: Uint32Array): { version: number; timestamp: bigint } {
  return { version: i, timestamp: new Fnv1a64().u32s(elements).value };
}

/** `Status`, a `#[repr(u8)]` enum: variant `i % 3` of message `i`. */
export const STATUS_VARIANTS = ["Idle", "Running", "Failed"] as const;
export type StatusName = (typeof STATUS_VARIANTS)[number];

/** The plain value of `ComplexMessage {label: StaticString<32>, readings: StaticVec<Reading, 8>, status: Status, id: u128}`. */
export interface ComplexMessageValue {
  label: string;
  readings: { id: number; value: number }[];
  status: StatusName;
  id: bigint;
}

/**
 * Message `i`: label `msg-<i>`; `i mod 9` readings `{id: (i * 8 + j) mod 2^32, value: i + j / 4}`
 * (exact in doubles); status variant `i mod 3`; id `(i << 64) | ((i * 2654435761) mod 2^64)`.
 */
export function complexMessage(i: number): ComplexMessageValue {
  const readings = Array.from({ length: i % 9 }, (_, j) => ({ id: (i * 8 + j) % 0x1_0000_0000, value: i + j / 4 }));
  const index = BigInt(i);
  return { label: `msg-${i}`, readings, status: STATUS_VARIANTS[i % 3]!, id: (index << 64n) | ((index * 2654435761n) & U64_MASK) };
}

/** Field by field; floats compared with `Object.is`, as the digest's bits would. */
export function sameComplexMessage(a: ComplexMessageValue, b: ComplexMessageValue): boolean {
  return (
    a.label === b.label &&
    a.status === b.status &&
    a.id === b.id &&
    a.readings.length === b.readings.length &&
    a.readings.every((reading, j) => reading.id === b.readings[j]!.id && Object.is(reading.value, b.readings[j]!.value))
  );
}

/** The plain value of an `UnboundedData` flatbuffer (upstream's flatbuffer example table). */
export interface UnboundedDataValue {
  title: string;
  entries: { data1: number; data2: bigint }[];
}

/**
 * Flatbuffer message `i`: title `fb-<i>`; `i mod 5` entries `{data_1: i * 1000003 + j - 50000000
 * (i32), data_2: ((i + 1) * 0x9E3779B97F4A7C15 + j) mod 2^64}`; user header `u64` `i`.
 */
export function unboundedData(i: number): UnboundedDataValue {
  const entries = Array.from({ length: i % 5 }, (_, j) => ({
    data1: (i * 1000003 + j - 50000000) | 0,
    data2: (BigInt(i + 1) * 0x9e3779b97f4a7c15n + BigInt(j)) & U64_MASK,
  }));
  return { title: `fb-${i}`, entries };
}

export function sameUnboundedData(a: UnboundedDataValue, b: UnboundedDataValue): boolean {
  return (
    a.title === b.title &&
    a.entries.length === b.entries.length &&
    a.entries.every((entry, j) => entry.data1 === b.entries[j]!.data1 && entry.data2 === b.entries[j]!.data2)
  );
}

export function eventId(i: number): number {
  return 1 + ((i * 37) % 4000);
}

/** The one request of the request-response pattern. */
export function requestValue(count: number): bigint {
  return 0xc0ffee00n + BigInt(count);
}

// ---------------------------------------------------------------------------------------------
// Digest
// ---------------------------------------------------------------------------------------------

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/** FNV-1a (64 bit) over the canonical encoding: little-endian fields, no padding. */
export class Fnv1a64 {
  #hash = FNV_OFFSET_BASIS;
  readonly #scratch = new DataView(new ArrayBuffer(8));

  bytes(bytes: Uint8Array): this {
    let hash = this.#hash;
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & U64_MASK;
    this.#hash = hash;
    return this;
  }

  #scratchBytes(length: number): this {
    return this.bytes(new Uint8Array(this.#scratch.buffer, 0, length));
  }

  u32(value: number): this {
    this.#scratch.setUint32(0, value, true);
    return this.#scratchBytes(4);
  }

  i32(value: number): this {
    this.#scratch.setInt32(0, value, true);
    return this.#scratchBytes(4);
  }

  u64(value: bigint): this {
    this.#scratch.setBigUint64(0, value, true);
    return this.#scratchBytes(8);
  }

  f64(value: number): this {
    this.#scratch.setFloat64(0, value, true);
    return this.#scratchBytes(8);
  }

  u32s(values: Iterable<number>): this {
    for (const value of values) this.u32(value);
    return this;
  }

  /** x 4, y 4, funky 8. */
  transmissionData(value: TransmissionDataValue): this {
    return this.i32(value.x).i32(value.y).f64(value.funky);
  }

  /** version 4, timestamp 8, then each element 4. */
  sliceMessage(header: { version: number; timestamp: bigint }, elements: Iterable<number>): this {
    return this.i32(header.version).u64(header.timestamp).u32s(elements);
  }

  /**
   * label length (u64), label bytes, readings count (u64), each reading (id u32, value f64),
   * status (u8), id (u128, 16 bytes).
   */
  complexMessage(value: ComplexMessageValue): this {
    const label = new Uint8Array(value.label.length);
    for (let k = 0; k < label.length; k++) label[k] = value.label.charCodeAt(k); // ASCII only
    this.u64(BigInt(label.length)).bytes(label).u64(BigInt(value.readings.length));
    for (const reading of value.readings) this.u32(reading.id).f64(reading.value);
    return this.bytes(Uint8Array.of(STATUS_VARIANTS.indexOf(value.status))).u64(value.id & U64_MASK).u64(value.id >> 64n);
  }

  /** user header (u64), title length (u64), title bytes, entry count (u64), each entry (data_1 i32, data_2 u64). */
  unboundedData(header: bigint, value: UnboundedDataValue): this {
    const title = new Uint8Array(value.title.length);
    for (let k = 0; k < title.length; k++) title[k] = value.title.charCodeAt(k); // ASCII only
    this.u64(header).u64(BigInt(title.length)).bytes(title).u64(BigInt(value.entries.length));
    for (const entry of value.entries) this.i32(entry.data1).u64(entry.data2);
    return this;
  }

  get value(): bigint {
    return this.#hash;
  }

  /** 16 lowercase hex digits. */
  hex(): string {
    return this.#hash.toString(16).padStart(16, "0");
  }
}

/** A value for messages: bigints as decimal, strings quoted, arrays as `[...]`, objects as `{x: 1, ...}`. */
export function show(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .map(([key, field]) => `${key}: ${show(field)}`)
      .join(", ")}}`;
  }
  return String(value);
}
