/**
 * Field-level layout check for struct types, beyond upstream: iceoryx2 compares only a type's
 * name, size, alignment and variant, so two structs with the same name and size but different
 * fields (or field order) would connect and misread each other's bytes.
 *
 * A process that creates a publish-subscribe or request-response service records, for each of
 * its types that is a struct (or an array or slice of structs), one service attribute:
 *
 * - key: `iox2js.layout.<role>`, role one of `payload`, `user-header` (publish-subscribe),
 *   `request`, `response`, `request-header`, `response-header` (request-response);
 * - value (ASCII, at most 256 bytes, tokens separated by one space):
 *   `v1 <hash> <count> <leaf> <leaf> ...`
 *   - `v1`: the format version;
 *   - `<hash>`: FNV-1a 64 of ALL leaves joined by one space, 16 lowercase hex digits;
 *   - `<count>`: how many leaves the struct has; fewer are listed when they do not fit in 256
 *     bytes (the list is cut between leaves, never inside one);
 *   - `<leaf>`: `path:type@offset`, one per primitive or primitive array, in declaration order,
 *     nested structs flattened depth-first:
 *     - `path`: field names joined by `.`; a field that is an array of structs adds its lengths
 *       and describes the first element's fields once (`pts[4].x`, `grid[2][3].v`);
 *     - `type`: the primitive's name (`u8` … `f64`, `bool`), an array of primitives as
 *       `[u8;16]` (nested: `[[f32;3];2]`), `StaticString<64>`, `StaticVec<f64,8>` (a vec of
 *       structs names the struct, then adds its first element's fields under `path[]`); an enum
 *       is its integer repr (`u8`), since variant names are no part of the layout;
 *     - `offset`: the byte offset from the start of the struct, in decimal;
 *     - characters outside printable ASCII in field names are written `\u{hex}`.
 *
 * Example, `struct("TransmissionData", { x: i32, y: i32, funky: f64 })` as a payload:
 * `iox2js.layout.payload` = `v1 <16 hex digits> 3 x:i32@0 y:i32@4 funky:f64@8`.
 * A slice or array of a struct records that struct's fields (iceoryx2 already compares the
 * container's name, which includes the lengths). Nested struct names are not part of the layout.
 *
 * An opener whose type of that role is a struct compares hashes; on a difference the open fails
 * with `IncompatibleTypes` naming the first differing leaf on both sides. Services without the
 * attribute (created by Rust, Python, C or C++ peers, or by older iceoryx2-js versions) and values
 * of another format version open as before. The attributes count toward iceoryx2's 8 per
 * service. Blackboard services are not covered: their values are typed per entry, not per
 * service.
 * @module
 */
import { Iox2Error } from "../base/errors.js";
import { isFlatbufferType } from "./flatbuffer.js";
import { describeLayout, type FieldDescription, type LayoutDescription, type PayloadType } from "./index.js";

/** Which of a service's types an attribute describes. */
export type LayoutRole = "payload" | "user-header" | "request" | "response" | "request-header" | "response-header";

/** Keys under this prefix are written and read by the layout check; users cannot define them. */
export const LAYOUT_ATTRIBUTE_PREFIX = "iox2js.layout.";

const FORMAT_VERSION = "v1";
/** iceoryx2's `MAX_ATTRIBUTE_VALUE_LENGTH`. */
const MAX_VALUE_LENGTH = 256;

/** The recorded layout of one struct type of a service. */
export interface LayoutRecord {
  readonly role: LayoutRole;
  readonly key: string;
  /** The struct's name (the element's, for arrays and slices of structs). */
  readonly structName: string;
  /** Every leaf, in declaration order. */
  readonly leaves: readonly string[];
  readonly hash: string;
  /** The attribute value: version, hash, count and as many leaves as fit. */
  readonly value: string;
}

/** FNV-1a 64 of the ASCII text `text`, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
  const mask = (1n << 64n) - 1n;
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash = ((hash ^ BigInt(text.charCodeAt(i) & 0xff)) * 0x100000001b3n) & mask;
  }
  return hash.toString(16).padStart(16, "0");
}

function escapeName(name: string): string {
  let out = "";
  for (const char of name) {
    const code = char.codePointAt(0)!;
    out += code > 0x20 && code < 0x7f ? char : `\\u{${code.toString(16)}}`;
  }
  return out;
}

/** The struct a type is, or holds as (nested) array, slice, `StaticVec` or `FixedSizeQueue` element; undefined for none. */
function innermostStruct(description: LayoutDescription): Extract<LayoutDescription, { kind: "struct" }> | undefined {
  let d = description;
  while (d.kind === "array" || d.kind === "slice" || d.kind === "vec" || d.kind === "queue") d = d.element;
  return d.kind === "struct" ? d : undefined;
}

/**
 * A leaf's type, compact and without spaces: `[u8;16]`, `[[f32;3];2]`, `StaticString<64>`,
 * `StaticVec<f64,8>`, an enum as its repr (`u8`); a struct inside a container by its (escaped) name.
 */
function leafType(description: LayoutDescription): string {
  switch (description.kind) {
    case "array":
      return `[${leafType(description.element)};${description.length}]`;
    case "string":
      return `StaticString<${description.capacity}>`;
    case "vec":
      return `StaticVec<${leafType(description.element)},${description.capacity}>`;
    case "queue":
      return `FixedSizeQueue<${leafType(description.element)},${description.capacity}>`;
    case "enum":
      return description.repr; // the same bytes as its integer: a peer may declare it either way
    default:
      return escapeName(description.typeName);
  }
}

function addLeaves(fields: readonly FieldDescription[], prefix: string, base: number, out: string[]): void {
  for (const field of fields) addTypeLeaves(field, prefix + escapeName(field.name), base + field.offset, out);
}

/**
 * The leaves of a value of type `d` at `offset`: a struct's fields (an array of structs adds its
 * lengths and describes the first element once), else one leaf; a `StaticVec` that holds structs
 * adds its first element's fields under `path[]`.
 */
function addTypeLeaves(d: LayoutDescription, path: string, offset: number, out: string[]): void {
  let lengths = "";
  let inner = d;
  while (inner.kind === "array") {
    lengths += `[${inner.length}]`;
    inner = inner.element;
  }
  if (inner.kind === "struct") {
    addLeaves(inner.fields, `${path}${lengths}.`, offset, out);
    return;
  }
  out.push(`${path}:${leafType(d)}@${offset}`);
  if ((inner.kind === "vec" || inner.kind === "queue") && innermostStruct(inner.element) !== undefined) {
    addTypeLeaves(inner.element, `${path}${lengths}[]`, offset, out);
  }
}

/** The leaves of `type`'s struct, or undefined when `type` holds no struct. */
export function layoutLeaves(type: PayloadType): { structName: string; leaves: string[] } | undefined {
  if (isFlatbufferType(type)) return undefined; // its schema is checked by iceoryx2 itself
  const struct = innermostStruct(describeLayout(type));
  if (struct === undefined) return undefined;
  const leaves: string[] = [];
  addLeaves(struct.fields, "", 0, leaves);
  return { structName: struct.typeName, leaves };
}

/** The layout attribute of `type` in `role`, or undefined when `type` holds no struct. */
export function layoutRecord(role: LayoutRole, type: PayloadType): LayoutRecord | undefined {
  const layout = layoutLeaves(type);
  if (layout === undefined) return undefined;
  const { structName, leaves } = layout;
  const hash = fnv1a64(leaves.join(" "));
  let value = `${FORMAT_VERSION} ${hash} ${leaves.length}`;
  for (const leaf of leaves) {
    if (value.length + 1 + leaf.length > MAX_VALUE_LENGTH) break;
    value += ` ${leaf}`;
  }
  return { role, key: LAYOUT_ATTRIBUTE_PREFIX + role, structName, leaves, hash, value };
}

/** The layout records of those of `types` that hold a struct. */
export function layoutRecords(types: readonly { role: LayoutRole; type: PayloadType | undefined }[]): LayoutRecord[] {
  const records: LayoutRecord[] = [];
  for (const { role, type } of types) {
    const record = type === undefined ? undefined : layoutRecord(role, type);
    if (record !== undefined) records.push(record);
  }
  return records;
}

/** A recorded value in the v1 format: hash, leaf count and the listed leaves. */
interface RecordedLayout {
  readonly hash: string;
  readonly count: number;
  readonly listed: readonly string[];
}

/** Parses a value; `undefined` for another format version, a string saying what is malformed. */
function parse(value: string): RecordedLayout | string | undefined {
  const [version, hash, count, ...listed] = value.split(" ");
  if (version !== FORMAT_VERSION) return undefined;
  if (hash === undefined || !/^[0-9a-f]{16}$/.test(hash)) return "its hash is not 16 hex digits";
  if (count === undefined || !/^\d+$/.test(count)) return "its field count is not a number";
  const total = Number(count);
  if (listed.length > total || listed.some((leaf) => !/^.+:.+@\d+$/.test(leaf))) return "its field list is malformed";
  return { hash, count: total, listed };
}

/** Why `recorded` (a service's attribute value) differs from `local`, or undefined if it does not. */
function difference(local: LayoutRecord, recorded: string): string | undefined {
  const service = parse(recorded);
  if (service === undefined) return undefined;
  const what = `${local.role.replace("-", " ")} struct '${local.structName}'`;
  if (typeof service === "string") return `the service's layout of the ${what} is malformed (${service}): '${recorded}'`;
  if (service.hash === local.hash && service.count === local.leaves.length) return undefined;
  const listed = service.listed;
  for (let i = 0; i < listed.length; i++) {
    const here = local.leaves[i];
    if (here === listed[i]) continue;
    const hereText = here === undefined ? "no such field" : `'${here}'`;
    return `${what} differs from the service's at field ${i}: here ${hereText}, service '${listed[i]}'`;
  }
  if (listed.length < service.count) {
    return (
      `${what} differs from the service's beyond the ${listed.length} fields its layout attribute lists ` +
      `(the service's struct has ${service.count} leaf fields, here ${local.leaves.length})`
    );
  }
  if (local.leaves.length > listed.length) {
    return `${what} differs from the service's at field ${listed.length}: here '${local.leaves[listed.length]}', service has no such field`;
  }
  return `${what} has the same fields as the service's but a different layout hash (service ${service.hash}, here ${local.hash})`;
}

/**
 * Compares `records` with a service's attributes; returns `IncompatibleTypes` for the first role
 * whose recorded layout differs. Roles the service has no attribute for are not checked; when a
 * key has several values, one matching value suffices.
 */
export function checkLayouts(
  serviceName: string,
  records: readonly LayoutRecord[],
  attributes: readonly { key: string; value: string }[],
): Iox2Error | undefined {
  for (const record of records) {
    const values = attributes.filter((a) => a.key === record.key).map((a) => a.value);
    const differences = values.map((value) => difference(record, value));
    if (differences.length === 0 || differences.includes(undefined)) continue;
    return new Iox2Error("IncompatibleTypes", `cannot open service '${serviceName}': ${differences[0]!}`);
  }
  return undefined;
}
