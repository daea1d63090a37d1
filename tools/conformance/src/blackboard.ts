import type { Harness } from "./harness.ts";
import { Isolation } from "./isolation.ts";

/** Blackboard: entries of several types, copies and loans, change tracking, keys, bad input, closing. */
export default function blackboard(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { Iox2Error, array, backend, bool, f32, f64, openHandleCount, slice, struct, u8, u16, u32, u64 } = h.api;
  const isolation = new Isolation(h, "blackboard");
  const node = isolation.node();
  const serviceName = (label: string) => isolation.serviceName(label);

  afterAll(() => {
    node.close();
    expect(isolation.cleanUp()).toEqual([]);
  });

  const Pose = struct("Pose", { x: f32, y: f32, theta: f64 });
  // 4 + 2 bytes of fields, 2 of padding: keys are compared bytewise, padding included.
  const SensorKey = struct("SensorKey", { group: u32, id: u16 });

  function expectKind(action: () => unknown, kind: string): InstanceType<typeof Iox2Error> {
    try {
      action();
    } catch (error) {
      expect(error).toBeInstanceOf(Iox2Error);
      expect((error as InstanceType<typeof Iox2Error>).kind).toBe(kind);
      return error as InstanceType<typeof Iox2Error>;
    }
    throw new Error(`expected an Iox2Error of kind ${kind}`);
  }

  /** A blackboard with u64 keys: 1 → u64, 2 → f64, 3 → Pose, 4 → [u16; 4], 5 → bool. */
  function mixed(label: string) {
    return node
      .serviceBuilder(serviceName(label))
      .blackboardCreator(u64)
      .add(1n, u64, 7n)
      .add(2n, f64, 1.5)
      .add(3n, Pose, { x: 1, y: 2, theta: 0.25 })
      .add(4n, array(u16, 4), [1, 2, 3, 4])
      .add(5n, bool, true)
      .create()
      .unwrap();
  }

  describe("blackboard", () => {
    it("gives writers and readers system-wide unique ids, as upstream prints them", () => {
      using service = mixed("ids");
      using writer = service.writerBuilder().name("controller").create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      expect([writer.name, reader.name]).toEqual(["controller", ""]);
      expect(writer.id).toMatch(/^[0-9a-f]{1,32}$/);
      expect(reader.id).toMatch(/^[0-9a-f]{1,32}$/);
      expect(writer.id).not.toBe(reader.id);
      using named = service.readerBuilder().name("dashboard").create().unwrap();
      const ports = service.ports().unwrap();
      expect(ports.writers).toEqual([{ id: writer.id, name: "controller", nodeId: node.id }]);
      expect(ports.readers.map((r) => [r.id, r.name, r.nodeId]).sort()).toEqual([[reader.id, "", node.id], [named.id, "dashboard", node.id]].sort());
    });

    it("creates entries of several value types and reads their initial values as copies", () => {
      using service = mixed("initial");
      using reader = service.readerBuilder().create().unwrap();
      expect(reader.entry(1n, u64).unwrap().get().unwrap().value).toBe(7n);
      expect(reader.entry(2n, f64).unwrap().get().unwrap().value).toBe(1.5);
      expect(reader.entry(3n, Pose).unwrap().get().unwrap().value).toEqual({ x: 1, y: 2, theta: 0.25 });
      expect(reader.entry(4n, array(u16, 4)).unwrap().get().unwrap().value).toEqual([1, 2, 3, 4]);
      expect(reader.entry(5n, bool).unwrap().get().unwrap().value).toBe(true);
    });

    it("writes by copy; readers see the new value and notice the change", () => {
      using service = mixed("copy");
      using writer = service.writerBuilder().create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      using pose = reader.entry(3n, Pose).unwrap();
      using writable = writer.entry(3n, Pose).unwrap();
      const before = pose.get().unwrap();
      expect(pose.isUpToDate(before).unwrap()).toBe(true);
      writable.update({ x: -4, y: 8, theta: 3.5 }).unwrap();
      expect(pose.isUpToDate(before).unwrap()).toBe(false);
      expect(before.value).toEqual({ x: 1, y: 2, theta: 0.25 }); // a copy: it does not change
      const after = pose.get().unwrap();
      expect(after.value).toEqual({ x: -4, y: 8, theta: 3.5 });
      expect(pose.isUpToDate(after).unwrap()).toBe(true);
      expect(writable.entryId().unwrap()).toBe(pose.entryId().unwrap());
    });

    it("writes in place through a loan that readers see only after update()", () => {
      using service = mixed("loan");
      using writer = service.writerBuilder().create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      using pose = reader.entry(3n, Pose).unwrap();
      using writable = writer.entry(3n, Pose).unwrap();
      const loaned = writable.loan().unwrap();
      expect(loaned.value.$toPlain()).toEqual({ x: 1, y: 2, theta: 0.25 }); // starts as the current value
      loaned.value.theta = 9.75;
      const seen = pose.get().unwrap();
      expect(seen.value.theta).toBe(0.25);
      loaned.update().unwrap();
      expect(pose.isUpToDate(seen).unwrap()).toBe(false);
      expect(pose.get().unwrap().value).toEqual({ x: 1, y: 2, theta: 9.75 });
      expectKind(() => loaned.value, "HandleClosed");

      const uninit = writable.loanUninit().unwrap();
      uninit.value = { x: 5, y: 6, theta: 7 };
      uninit.update().unwrap();
      expect(pose.get().unwrap().value).toEqual({ x: 5, y: 6, theta: 7 });
      expect(uninit.update().unwrapErr().kind).toBe("HandleClosed");

      using numbers = writer.entry(4n, array(u16, 4)).unwrap();
      const values = numbers.loan().unwrap();
      values.value.set(2, 300);
      values.update().unwrap();
      expect(reader.entry(4n, array(u16, 4)).unwrap().get().unwrap().value).toEqual([1, 2, 300, 4]);
      using counter = writer.entry(1n, u64).unwrap();
      const count = counter.loan().unwrap();
      count.value = count.value + 1n;
      count.update().unwrap();
      expect(reader.entry(1n, u64).unwrap().get().unwrap().value).toBe(8n);
    });

    it("discards a loan without publishing; copies wait until the loan ends", () => {
      using service = mixed("discard");
      using writer = service.writerBuilder().create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      using number = reader.entry(1n, u64).unwrap();
      using writable = writer.entry(1n, u64).unwrap();
      const loaned = writable.loan().unwrap();
      loaned.value = 99n;
      expect(writable.update(5n).unwrapErr().kind).toBe("InvalidArgument");
      expect(writable.loan().unwrapErr().kind).toBe("InvalidArgument");
      loaned.discard();
      expect(number.get().unwrap().value).toBe(7n);
      writable.update(5n).unwrap();
      expect(number.get().unwrap().value).toBe(5n);
    });

    it("lists its keys as JS values", () => {
      using service = mixed("keys");
      const keys = service.listKeys().unwrap();
      expect([...keys].sort((a, b) => Number(a - b))).toEqual([1n, 2n, 3n, 4n, 5n]);
      const config = service.staticConfig().unwrap();
      expect(config.keyType).toEqual({ variant: "fixedSize", typeName: "u64", size: 8, alignment: 8 });
      expect(config.qos.maxReaders).toBeGreaterThan(0);
    });

    it("takes struct keys, compared by their bytes", () => {
      using service = node
        .serviceBuilder(serviceName("struct-keys"))
        .blackboardCreator(SensorKey)
        .add({ group: 1, id: 1 }, f32, 0.5)
        .add({ group: 1, id: 2 }, f32, 1.5)
        .add({ group: 2, id: 1 }, u8, 3)
        .create()
        .unwrap();
      const keys = service.listKeys().unwrap().map((key) => `${key.group}/${key.id}`);
      expect(keys.sort()).toEqual(["1/1", "1/2", "2/1"]);
      using writer = service.writerBuilder().create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      writer.entry({ group: 1, id: 2 }, f32).unwrap().update(-2.25).unwrap();
      expect(reader.entry({ group: 1, id: 2 }, f32).unwrap().get().unwrap().value).toBe(-2.25);
      expect(reader.entry({ group: 1, id: 1 }, f32).unwrap().get().unwrap().value).toBe(0.5);
      expect(reader.entry({ group: 2, id: 1 }, u8).unwrap().get().unwrap().value).toBe(3);
      expect(reader.entry({ group: 2, id: 2 }, u8).unwrapErr().kind).toBe("EntryNotFound");
    });

    it("is opened from a second node, which reads the creator's writes", () => {
      const name = serviceName("opener");
      using service = node
        .serviceBuilder(name)
        .blackboardCreator(u32)
        .add(10, Pose, { x: 0, y: 0, theta: 0 })
        .maxReaders(4)
        .maxNodes(3)
        .defineAttribute("unit", "meters")
        .create()
        .unwrap();
      using second = isolation.node("second");
      using opened = second.serviceBuilder(name).blackboardOpener(u32).maxReaders(2).requireAttribute("unit", "meters").open().unwrap();
      const config = opened.staticConfig().unwrap();
      expect(config.qos).toEqual({ maxReaders: 4, maxNodes: 3 });
      expect(config.attributes).toEqual([{ key: "unit", value: "meters" }]);
      expect(opened.listKeys().unwrap()).toEqual([10]);
      using writer = service.writerBuilder().create().unwrap();
      using reader = opened.readerBuilder().create().unwrap();
      using entry = reader.entry(10, Pose).unwrap();
      writer.entry(10, Pose).unwrap().update({ x: 1, y: 1, theta: 1 }).unwrap();
      expect(entry.get().unwrap().value).toEqual({ x: 1, y: 1, theta: 1 });
      // The opener's node may hold the writer as well, once the creator's is gone.
      expect(opened.writerBuilder().create().unwrapErr().kind).toBe("LimitReached");
      writer.close();
      using secondWriter = opened.writerBuilder().create().unwrap();
      secondWriter.entry(10, Pose).unwrap().update({ x: 2, y: 2, theta: 2 }).unwrap();
      expect(entry.get().unwrap().value).toEqual({ x: 2, y: 2, theta: 2 });

      expect(second.serviceBuilder(name).blackboardOpener(u32).maxReaders(5).open().unwrapErr().kind).toBe("IncompatibleQos");
      expect(second.serviceBuilder(name).blackboardOpener(u32).requireAttribute("unit", "feet").open().unwrapErr().kind).toBe(
        "IncompatibleAttributes",
      );
      expect(second.serviceBuilder(name).blackboardOpener(u32).requireAttributeKey("owner").open().unwrapErr().kind).toBe(
        "IncompatibleAttributes",
      );
    });

    it("enforces the maximum number of readers", () => {
      using service = node.serviceBuilder(serviceName("readers")).blackboardCreator(u8).add(0, u8, 0).maxReaders(1).create().unwrap();
      using _reader = service.readerBuilder().create().unwrap();
      expect(service.readerBuilder().create().unwrapErr().kind).toBe("LimitReached");
    });
  });

  describe("blackboard bad input gives a typed error, never a crash", () => {
    it("reports keys the blackboard does not hold", () => {
      using service = mixed("missing-key");
      using writer = service.writerBuilder().create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      for (const error of [writer.entry(42n, u64).unwrapErr(), reader.entry(42n, u64).unwrapErr()]) {
        expect(error.kind).toBe("EntryNotFound");
        expect(error.message).toContain("key 42n");
      }
    });

    it("names the requested value type when it differs from the entry's", () => {
      using service = mixed("value-type");
      using writer = service.writerBuilder().create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      const cases = [
        struct("OtherPose", { x: f32, y: f32, theta: f64 }), // other name
        struct("Pose", { x: f32, y: f32 }), // other size
        struct("Pose", { bytes: array(u8, 16) }), // other alignment
        f64,
      ];
      for (const type of cases) {
        for (const error of [writer.entry(3n, type).unwrapErr(), reader.entry(3n, type).unwrapErr()]) {
          expect(error.kind).toBe("IncompatibleTypes");
          expect(error.message).toContain(`'${type.typeName}' (fixed size, size ${type.size}, alignment ${type.alignment})`);
          expect(error.message).toContain("key 3n");
        }
      }
    });

    it("refuses an opener with another key type, naming both", () => {
      const name = serviceName("key-type");
      using _service = node.serviceBuilder(name).blackboardCreator(u64).add(1n, u8, 1).create().unwrap();
      for (const keyType of [u32, struct("u64", { a: u32, b: u32 }), SensorKey]) {
        const error = node.serviceBuilder(name).blackboardOpener(keyType).open().unwrapErr();
        expect(error.kind).toBe("IncompatibleTypes");
        expect(error.message).toContain("key type 'u64' (fixed size, size 8, alignment 8)");
        expect(error.message).toContain(`requested '${keyType.typeName}'`);
      }
    });

    it("refuses duplicate keys, no entries, an existing or a missing service, another pattern", () => {
      const duplicate = node.serviceBuilder(serviceName("duplicate")).blackboardCreator(SensorKey).add({ group: 1, id: 1 }, u8, 1).add({ group: 1, id: 1 }, u16, 2).create();
      expect(duplicate.unwrapErr().kind).toBe("InvalidArgument");
      expect(duplicate.unwrapErr().message).toContain("repeats the key");
      expect(node.serviceBuilder(serviceName("empty")).blackboardCreator(u64).create().unwrapErr().kind).toBe("InvalidArgument");
      const name = serviceName("exists");
      using _service = node.serviceBuilder(name).blackboardCreator(u8).add(1, u8, 1).create().unwrap();
      expect(node.serviceBuilder(name).blackboardCreator(u8).add(1, u8, 1).create().unwrapErr().kind).toBe("ServiceAlreadyExists");
      expect(node.serviceBuilder(serviceName("absent")).blackboardOpener(u8).open().unwrapErr().kind).toBe("ServiceNotFound");
      expect(node.serviceBuilder(name).publishSubscribe(u8).open().unwrapErr().kind).toBe("IncompatibleMessagingPattern");
      const pubsubName = serviceName("pubsub");
      using _pubsub = node.serviceBuilder(pubsubName).publishSubscribe(u8).create().unwrap();
      // A name held only by another pattern is named in the error.
      expect(node.serviceBuilder(pubsubName).blackboardOpener(u8).open().unwrapErr().kind).toBe("IncompatibleMessagingPattern");
    });

    it("allows one writer, and one writable handle per entry", () => {
      using service = mixed("one-writer");
      using writer = service.writerBuilder().create().unwrap();
      expect(service.writerBuilder().create().unwrapErr().kind).toBe("LimitReached");
      const first = writer.entry(2n, f64).unwrap();
      expect(writer.entry(2n, f64).unwrapErr().kind).toBe("LimitReached");
      first.close();
      writer.entry(2n, f64).unwrap().update(2.5).unwrap();
    });

    it("rejects JS values of the wrong type", () => {
      const creator = () => node.serviceBuilder(serviceName("values")).blackboardCreator(u64);
      expect(creator().add("one" as unknown as bigint, u8, 1).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(creator().add(-1n, u8, 1).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(creator().add(1n, u8, 256).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(creator().add(1n, Pose, { x: 1 } as unknown as { x: number; y: number; theta: number }).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(creator().add(1n, slice(u8) as unknown as typeof u8, 1).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(creator().add(1n, "u8" as unknown as typeof u8, 1).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(creator().add(1n, u8, 1).maxReaders(0).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(creator().add(1n, u8, 1).maxNodes(NaN).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(creator().add(1n, u8, 1).defineAttribute("", "x").create().unwrapErr().kind).toBe("InvalidArgument");
      const tooLarge = node.serviceBuilder(serviceName("large-key")).blackboardCreator(array(u8, 65)).add(new Array(65).fill(0), u8, 1).create();
      expect(tooLarge.unwrapErr().kind).toBe("InvalidArgument");
      expect(tooLarge.unwrapErr().message).toContain("at most 64 bytes");
      expect(node.serviceBuilder(serviceName("no-layout")).blackboardOpener(42 as unknown as typeof u8).open().unwrapErr().kind).toBe("InvalidArgument");

      using service = mixed("values");
      using writer = service.writerBuilder().create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      expect(writer.entry(1 as unknown as bigint, u64).isOk()).toBe(true); // a safe integer is a u64
      expect(writer.entry({} as unknown as bigint, u64).unwrapErr().kind).toBe("InvalidArgument");
      expect(reader.entry(2n, null as unknown as typeof f64).unwrapErr().kind).toBe("InvalidArgument");
      using real = writer.entry(2n, f64).unwrap();
      expect(real.update("1.5" as unknown as number).unwrapErr().kind).toBe("InvalidArgument");
      const loaned = real.loan().unwrap();
      expectKind(() => (loaned.value = "x" as unknown as number), "InvalidArgument");
      loaned.discard();
      using number = reader.entry(2n, f64).unwrap();
      using other = reader.entry(2n, f64).unwrap();
      expect(number.isUpToDate({ value: 1.5 } as never).unwrapErr().kind).toBe("InvalidArgument");
      expect(number.isUpToDate(other.get().unwrap()).unwrapErr().kind).toBe("InvalidArgument");
    });

    it("reports closed handles", () => {
      const service = mixed("closed");
      const writer = service.writerBuilder().create().unwrap();
      const reader = service.readerBuilder().create().unwrap();
      const entry = reader.entry(1n, u64).unwrap();
      const value = entry.get().unwrap();
      const writable = writer.entry(1n, u64).unwrap();
      const loaned = writable.loan().unwrap();
      const view = writer.entry(3n, Pose).unwrap().loan().unwrap().value;
      writer.close();
      expect(writable.isClosed).toBe(true);
      expect(loaned.isClosed).toBe(true);
      expectKind(() => loaned.value, "HandleClosed");
      expectKind(() => view.theta, "SampleReleased");
      expect(writable.update(1n).unwrapErr().kind).toBe("HandleClosed");
      expect(writable.loan().unwrapErr().kind).toBe("HandleClosed");
      expect(loaned.update().unwrapErr().kind).toBe("HandleClosed");
      expect(writer.entry(1n, u64).unwrapErr().kind).toBe("HandleClosed");
      service.close();
      expect(entry.get().unwrapErr().kind).toBe("HandleClosed");
      expect(entry.isUpToDate(value).unwrapErr().kind).toBe("HandleClosed");
      expect(entry.entryId().unwrapErr().kind).toBe("HandleClosed");
      expect(reader.entry(1n, u64).unwrapErr().kind).toBe("HandleClosed");
      expect(service.listKeys().unwrapErr().kind).toBe("HandleClosed");
      expect(service.readerBuilder().create().unwrapErr().kind).toBe("HandleClosed");
    });
  });

  describe("blackboard closing", () => {
    it("closes entries and loans with their ports and services", () => {
      const baseline = openHandleCount(backend);
      const service = mixed("cascade");
      const writer = service.writerBuilder().create().unwrap();
      const reader = service.readerBuilder().create().unwrap();
      const writable = writer.entry(5n, bool).unwrap();
      const loaned = writable.loanUninit().unwrap();
      const entry = reader.entry(5n, bool).unwrap();
      expect(openHandleCount(backend)).toBe(baseline + 6);
      service.close();
      expect(openHandleCount(backend)).toBe(baseline);
      for (const resource of [writer, reader, writable, loaned, entry]) expect(resource.isClosed).toBe(true);
    });

    it("reclaims entries dropped without close when they are garbage-collected", async () => {
      using service = mixed("gc");
      using writer = service.writerBuilder().create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      for (let turn = 0; turn < 5; turn++) {
        h.gc(); // let garbage of earlier tests go first
        await h.nextTurn();
      }
      const baseline = openHandleCount(backend);
      (() => {
        writer.entry(1n, u64).unwrap().loan().unwrap();
        reader.entry(1n, u64).unwrap().get().unwrap();
      })();
      expect(openHandleCount(backend)).toBe(baseline + 3);
      for (let turn = 0; turn < 50 && openHandleCount(backend) > baseline; turn++) {
        h.gc();
        await h.nextTurn();
      }
      expect(openHandleCount(backend)).toBe(baseline);
      writer.entry(1n, u64).unwrap().update(3n).unwrap(); // the writable handle came back
    });
  });
}
