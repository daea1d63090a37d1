/** iceoryx2's FixedSizeQueue<T, N>: layout, ring-buffer semantics as Rust's, init of zeroed memory, a peer's invalid state. */
import { describe, expect, it } from "vitest";
import { expectKind } from "./expect-kind.js";
import { layoutRecord } from "../src/layout/attribute.js";
import { describeLayout, fieldBytes, fixedSizeQueue, initializeZeroed, staticString, struct, u128, u32, u64, u8 } from "../src/layout/index.js";

const zeroed = (size: number) => {
  const bytes = new Uint8Array(size);
  return { bytes, view: new DataView(bytes.buffer) };
};

describe("fixedSizeQueue", () => {
  it("lays out as iceoryx2-bb-container 0.10: 40 bytes of state, then the ring buffer", () => {
    const q = fixedSizeQueue(u32, 3);
    expect([q.kind, q.size, q.alignment, q.capacity]).toEqual(["queue", 56, 8, 3]);
    expect(q.typeName).toBe("iceoryx2_bb_container::queue::FixedSizeQueue<u32, 3>");
    expect([fixedSizeQueue(u128, 2).size, fixedSizeQueue(u128, 2).alignment]).toEqual([80, 16]);
    expect(fixedSizeQueue(staticString(4), 2).size).toBe(72);
    expect(describeLayout(q)).toMatchObject({ kind: "queue", capacity: 3, element: { typeName: "u32" } });
  });

  it("pushes, pops and wraps around as Rust's queue does, state bytes included", () => {
    const q = fixedSizeQueue(u32, 3);
    const { view } = zeroed(q.size);
    initializeZeroed(q, view, 0, 1);
    const queue = q.get(view, 0);
    expect([queue.length, queue.peek(), queue.pop()]).toEqual([0, undefined, undefined]);
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expectKind(() => queue.push(4), "OutOfBounds", "full");
    expect(queue.pop()).toBe(1);
    queue.push(4); // lands in slot 0, as Rust's `start % capacity`
    expect([...queue]).toEqual([2, 3, 4]);
    expect(queue.pushWithOverflow(5)).toBe(2);
    expect(queue.toArray()).toEqual([3, 4, 5]);
    expect(queue.peek()).toBe(3);
    // distance 40, start 5 (every push), len 3, capacity 3, initialized; ring [4, 5, 3].
    expect([view.getBigInt64(0, true), view.getBigUint64(8, true), view.getBigUint64(16, true), view.getBigUint64(24, true), view.getUint8(32)]).toEqual([
      40n,
      5n,
      3n,
      3n,
      1,
    ]);
    expect([view.getUint32(40, true), view.getUint32(44, true), view.getUint32(48, true)]).toEqual([4, 5, 3]);
    queue.clear();
    expect(queue.length).toBe(0);
  });

  it("writes whole values oldest first and refuses more than the capacity before writing", () => {
    const Holder = struct("Holder", { id: u8, items: fixedSizeQueue(u64, 2) });
    const { view } = zeroed(Holder.size);
    Holder.set(view, 0, { id: 1, items: [7n, 8n] });
    expect(Holder.toPlain(view, 0)).toEqual({ id: 1, items: [7n, 8n] });
    expectKind(() => Holder.set(view, 0, { id: 2, items: [1n, 2n, 3n] }), "InvalidArgument", "at most 2");
    expect(Holder.toPlain(view, 0)).toEqual({ id: 1, items: [7n, 8n] });
  });

  it("initialises zeroed memory where zeroes are no queue, in structs and arrays", () => {
    const Holder = struct("Holder", { id: u8, items: fixedSizeQueue(u64, 2) });
    const { view } = zeroed(Holder.size);
    expectKind(() => Holder.get(view, 0).items.length, "InvalidPayload", "not initialised");
    initializeZeroed(Holder, view, 0, 1);
    expect(Holder.get(view, 0).items.length).toBe(0);
    expect(view.getBigInt64(8, true)).toBe(40n);
  });

  it("reports a peer's invalid state as InvalidPayload and never reads past the value", () => {
    const q = fixedSizeQueue(u32, 3);
    const cases: [string, (view: DataView) => void][] = [
      ["capacity field says 9", (v) => v.setBigUint64(24, 9n, true)],
      ["points 0 bytes away instead of 40", (v) => v.setBigInt64(0, 0n, true)],
      ["length 4 exceeds the capacity", (v) => v.setBigUint64(16, 4n, true)],
      ["start 1 is below its length 2", (v) => (v.setBigUint64(16, 2n, true), v.setBigUint64(8, 1n, true))],
    ];
    for (const [message, corrupt] of cases) {
      const { view } = zeroed(q.size);
      q.set(view, 0, [1, 2]);
      corrupt(view);
      expectKind(() => q.toPlain(view, 0), "InvalidPayload", message);
    }
  });

  it("is a leaf of the layout check and refused in blackboard keys", () => {
    const Holder = struct("Holder", { items: fixedSizeQueue(u32, 4) });
    expect(layoutRecord("payload", Holder)!.leaves).toEqual(["items:FixedSizeQueue<u32,4>@0"]);
    expectKind(() => fieldBytes(Holder), "InvalidArgument", "cannot be part of a value compared byte by byte");
  });
});
