import { VIEW_START, type Handle } from "./backend.js";
import type { Native } from "./native.js";
import { Iox2Error } from "../base/errors.js";
import { BULK_WINDOW } from "../layout/memory.js";
import type { BulkByteWindow } from "../layout/types.js";

/**
 * Sample memory without a buffer per sample.
 *
 * Creating and detaching an ArrayBuffer per sample costs more than the rest of a message
 * (0.3–1.3 µs per buffer, and on Bun tens of µs for megabyte payloads), so a sample's payload
 * and user header are read and written through {@link SampleBytes}: a DataView-compatible window
 * onto one buffer per shared-memory *mapping*, made once, that checks on every access that its
 * sample is still held. The mapping buffer itself never reaches user code. Raw typed arrays
 * (`payloadBytes`, `typedArray()`) still get a buffer of the sample's own, detached on release.
 */

/** One shared-memory mapping of this process, viewed once. */
export interface Mapping {
  readonly start: number;
  readonly end: number;
  readonly data: DataView;
  readonly bytes: Uint8Array;
}

/** Older mappings are forgotten beyond this many; live samples keep their own reference. */
const MAX_KNOWN_MAPPINGS = 64;

/** The mappings samples were found in, looked up by address. */
export class Mappings {
  readonly #native: Native;
  #known: Mapping[] = [];

  constructor(native: Native) {
    this.#native = native;
  }

  /**
   * The mapping holding `length` bytes at `address`, the span of open sample `sample`. A known
   * mapping may have been unmapped and another mapped over part of its range since; that is
   * harmless, because its buffer is only accessed at live samples' addresses, which are mapped.
   */
  around(sample: Handle, address: number, length: number): Mapping {
    const end = address + length;
    const known = this.#known;
    for (let i = known.length - 1; i >= 0; i--) {
      const mapping = known[i]!;
      if (mapping.start <= address && end <= mapping.end) return mapping;
    }
    return this.#add(sample);
  }

  #add(sample: Handle): Mapping {
    const buffer = this.#native.ops.mappingAround(sample);
    const start = this.#native.backend.sampleInfo[VIEW_START]!;
    const mapping: Mapping = { start, end: start + buffer.byteLength, data: new DataView(buffer), bytes: new Uint8Array(buffer) };
    // The kernel never maps two things at one address: known mappings overlapping the new one are gone.
    const kept = this.#known.filter((m) => m.end <= mapping.start || m.start >= mapping.end);
    kept.push(mapping);
    this.#known = kept.length > MAX_KNOWN_MAPPINGS ? kept.slice(-MAX_KNOWN_MAPPINGS) : kept;
    return mapping;
  }
}

/** What a {@link SampleBytes} window belongs to: a sample that is held until released. */
export interface SampleMemoryOwner {
  readonly isClosed: boolean;
  /** A buffer over the owner's whole span, detached when it is released (made on first use). */
  ownBuffer(): ArrayBuffer;
}

/** Keeps an object (and so its port and memory) reachable from a buffer over its memory. */
const KEEPS_OWNER_ALIVE = Symbol("iceoryx2-js owner");

/** A buffer over the whole span of one sample or blackboard value: see {@link spanBuffer}. */
export interface SpanBuffer {
  readonly buffer: ArrayBuffer;
  /** Where the buffer starts (in the library's private alias of the pages, for shared memory). */
  readonly start: number;
}

/**
 * A buffer over the whole span of `handle` (a sample or blackboard value) that keeps `owner`
 * reachable: the owner's finalizer must not release the memory while a view of the buffer
 * exists. Release it with {@link retireSpanBuffer} before or as the handle is released.
 */
export function spanBuffer(native: Native, handle: Handle, owner: object): SpanBuffer {
  const buffer = native.ops.sampleSpan(handle);
  Object.defineProperty(buffer, KEEPS_OWNER_ALIVE, { value: owner });
  return { buffer, start: native.backend.sampleInfo[VIEW_START]! };
}

/** Whether someone else detached the buffer (e.g. `transfer()` moved it out of our reach). */
function detachedElsewhere(span: SpanBuffer): boolean {
  const flag = (span.buffer as { detached?: unknown }).detached;
  return typeof flag === "boolean" ? flag : span.buffer.byteLength === 0;
}

/**
 * Ends a span buffer: `release(buffer)` detaches it while releasing the native object (e.g. a
 * `consume` call), then the core unmaps the private alias behind it. When the user moved the
 * buffer away first (`transfer()`), the core turns the alias into private memory instead: the
 * moved buffer can neither fault nor reach shared memory (its pages are leaked, a few KiB).
 */
export function retireSpanBuffer<T>(native: Native, span: SpanBuffer, release: (buffer: ArrayBuffer) => T): T {
  const escaped = detachedElsewhere(span);
  try {
    return release(span.buffer);
  } finally {
    if (escaped) native.ops.disconnectSpan(0, span.start);
    else native.ops.unmapSpan(0, span.start);
  }
}

export function sampleReleased(): Iox2Error {
  return new Iox2Error("SampleReleased", "cannot access payload: memory released (the sample was sent or released)");
}

/**
 * A window of `byteLength` bytes of a sample (its payload or user header), with DataView's
 * accessors (little-endian flag included), usable only while the sample is held: afterwards every
 * access throws `SampleReleased`. Offsets outside the window throw `OutOfBounds`; writes to a
 * received sample's window throw `InvalidArgument` (the mapping is read-only: a write would fault).
 *
 * `buffer` and `byteOffset` describe the same bytes within the sample's own buffer, for raw
 * typed arrays.
 */
export class SampleBytes implements BulkByteWindow {
  /** Layout types copy runs of bytes through {@link copyBytes} and {@link setBytes}. */
  get [BULK_WINDOW](): true {
    return true;
  }

  /** The window's size (changes only when a sample slot's next sample is smaller or larger). */
  byteLength: number;
  /** Offset of this window in the owner's own buffer ({@link SampleMemoryOwner.ownBuffer}). */
  byteOffset: number;
  readonly #owner: SampleMemoryOwner;
  #mapping: Mapping;
  #data: DataView;
  /** Offset of this window in the mapping. */
  #start: number;
  readonly #writable: boolean;

  constructor(owner: SampleMemoryOwner, mapping: Mapping, start: number, byteLength: number, byteOffset: number, writable: boolean) {
    this.#owner = owner;
    this.#mapping = mapping;
    this.#data = mapping.data;
    this.#start = start;
    this.byteLength = byteLength;
    this.byteOffset = byteOffset;
    this.#writable = writable;
  }

  /** Points the window at the same part of its owner's next sample (a sample slot's reuse). */
  retarget(mapping: Mapping, start: number, byteLength: number, byteOffset: number): void {
    this.#mapping = mapping;
    this.#data = mapping.data;
    this.#start = start;
    this.byteLength = byteLength;
    this.byteOffset = byteOffset;
  }

  /** The sample's own buffer (detached on release), for typed arrays over these bytes. */
  get buffer(): ArrayBuffer {
    if (this.#owner.isClosed) throw sampleReleased();
    return this.#owner.ownBuffer();
  }

  /** The mapping offset of `size` bytes at `offset`, once the sample is known to be held. */
  #at(offset: number, size: number): number {
    if (this.#owner.isClosed) throw sampleReleased();
    if (!(offset >= 0 && offset + size <= this.byteLength)) {
      throw new Iox2Error("OutOfBounds", `cannot access ${size} byte(s) at offset ${String(offset)}: the view has ${this.byteLength} byte(s)`);
    }
    return this.#start + offset;
  }

  #writableAt(offset: number, size: number): number {
    const at = this.#at(offset, size);
    if (!this.#writable) throw new Iox2Error("InvalidArgument", "cannot write a received sample: its memory is read-only");
    return at;
  }

  /** Copies `source` into the window at `offset` in one move. */
  setBytes(offset: number, source: Uint8Array): void {
    this.#mapping.bytes.set(source, this.#writableAt(offset, source.byteLength));
  }

  /** A copy of `length` bytes at `offset`. */
  copyBytes(offset = 0, length = this.byteLength - offset): Uint8Array {
    const at = this.#at(offset, length);
    return this.#mapping.bytes.slice(at, at + length);
  }

  getInt8(offset: number): number {
    return this.#data.getInt8(this.#at(offset, 1));
  }
  getUint8(offset: number): number {
    return this.#data.getUint8(this.#at(offset, 1));
  }
  getInt16(offset: number, littleEndian?: boolean): number {
    return this.#data.getInt16(this.#at(offset, 2), littleEndian);
  }
  getUint16(offset: number, littleEndian?: boolean): number {
    return this.#data.getUint16(this.#at(offset, 2), littleEndian);
  }
  getInt32(offset: number, littleEndian?: boolean): number {
    return this.#data.getInt32(this.#at(offset, 4), littleEndian);
  }
  getUint32(offset: number, littleEndian?: boolean): number {
    return this.#data.getUint32(this.#at(offset, 4), littleEndian);
  }
  getFloat32(offset: number, littleEndian?: boolean): number {
    return this.#data.getFloat32(this.#at(offset, 4), littleEndian);
  }
  getFloat64(offset: number, littleEndian?: boolean): number {
    return this.#data.getFloat64(this.#at(offset, 8), littleEndian);
  }
  getBigInt64(offset: number, littleEndian?: boolean): bigint {
    return this.#data.getBigInt64(this.#at(offset, 8), littleEndian);
  }
  getBigUint64(offset: number, littleEndian?: boolean): bigint {
    return this.#data.getBigUint64(this.#at(offset, 8), littleEndian);
  }

  setInt8(offset: number, value: number): void {
    this.#data.setInt8(this.#writableAt(offset, 1), value);
  }
  setUint8(offset: number, value: number): void {
    this.#data.setUint8(this.#writableAt(offset, 1), value);
  }
  setInt16(offset: number, value: number, littleEndian?: boolean): void {
    this.#data.setInt16(this.#writableAt(offset, 2), value, littleEndian);
  }
  setUint16(offset: number, value: number, littleEndian?: boolean): void {
    this.#data.setUint16(this.#writableAt(offset, 2), value, littleEndian);
  }
  setInt32(offset: number, value: number, littleEndian?: boolean): void {
    this.#data.setInt32(this.#writableAt(offset, 4), value, littleEndian);
  }
  setUint32(offset: number, value: number, littleEndian?: boolean): void {
    this.#data.setUint32(this.#writableAt(offset, 4), value, littleEndian);
  }
  setFloat32(offset: number, value: number, littleEndian?: boolean): void {
    this.#data.setFloat32(this.#writableAt(offset, 4), value, littleEndian);
  }
  setFloat64(offset: number, value: number, littleEndian?: boolean): void {
    this.#data.setFloat64(this.#writableAt(offset, 8), value, littleEndian);
  }
  setBigInt64(offset: number, value: bigint, littleEndian?: boolean): void {
    this.#data.setBigInt64(this.#writableAt(offset, 8), value, littleEndian);
  }
  setBigUint64(offset: number, value: bigint, littleEndian?: boolean): void {
    this.#data.setBigUint64(this.#writableAt(offset, 8), value, littleEndian);
  }
}
