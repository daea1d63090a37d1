import type { Harness } from "./harness.ts";
import { Isolation } from "./isolation.ts";
import { thrownIox2Error } from "./thrown.ts";

/**
 * The types real peers' messages are made of: iceoryx2's StaticString and StaticVec, C-like
 * enums, 128-bit and pointer-sized integers, in every place a type can go (payload, struct
 * field, user header, request, response, blackboard value and key), and what a peer's invalid
 * bytes turn into on the receiving side.
 */
export default function complexTypes(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { enumOf, f64, fixedSizeQueue, staticString, staticVec, struct, u128, u32, u64, u8, usize, array } = h.api;
  const isolation = new Isolation(h, "complex-types");
  const node = isolation.node();
  const serviceName = (label: string) => isolation.serviceName(label);

  afterAll(() => {
    node.close();
    expect(isolation.cleanUp()).toEqual([]);
  });

  const errorOf = (action: () => unknown) => thrownIox2Error(h, action);

  const Status = enumOf("Status", u8, { Idle: 0, Running: 1, Failed: 2 });
  const Reading = struct("Reading", { id: u32, value: f64 });
  const Message = struct("ComplexMessage", {
    label: staticString(32),
    readings: staticVec(Reading, 8),
    status: Status,
    id: u128,
    counter: usize,
  });

  describe("complex types", () => {
    it("sends a struct of a StaticString, a StaticVec of structs, an enum, a u128 and a usize, field by field and whole", () => {
      using service = node.serviceBuilder(serviceName("message")).publishSubscribe(Message).userHeader(staticString(64)).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();

      const sample = publisher.loan().unwrap();
      sample.userHeader = "Are Hypnotoad and Kermit related like Fry and the Professor?";
      sample.payload.label = "engine";
      sample.payload.readings.push({ id: 1, value: 0.5 });
      sample.payload.readings.push({ id: 2, value: 1.5 });
      sample.payload.status = "Running";
      sample.payload.id = (1n << 127n) + 5n;
      sample.payload.counter = 42n;
      sample.send().unwrap();
      publisher
        .sendCopy({ label: "pump", readings: [], status: "Failed", id: 0n, counter: 0 })
        .unwrap();

      const first = subscriber.receive().unwrap()!;
      expect(first.userHeader).toBe("Are Hypnotoad and Kermit related like Fry and the Professor?");
      expect(first.payload.$toPlain()).toEqual({
        label: "engine",
        readings: [
          { id: 1, value: 0.5 },
          { id: 2, value: 1.5 },
        ],
        status: "Running",
        id: (1n << 127n) + 5n,
        counter: 42n,
      });
      expect([first.payload.readings.length, first.payload.readings.get(1).value]).toEqual([2, 1.5]);
      expect(errorOf(() => first.payload.readings.push({ id: 3, value: 0 })).kind).toBe("InvalidArgument"); // received: read-only
      first.release();
      const second = subscriber.receive().unwrap()!;
      expect([second.payload.label, second.payload.readings.length, second.payload.status]).toEqual(["pump", 0, "Failed"]);
      second.release();
      expect(service.staticConfig().unwrap().payload.typeName).toBe("ComplexMessage");
    });

    it("uses upstream's names for a StaticVec payload with a StaticString user header, as its container example does", () => {
      using service = node
        .serviceBuilder(serviceName("container"))
        .publishSubscribe(staticVec(u64, 32))
        .userHeader(staticString(64))
        .create()
        .unwrap();
      const details = service.staticConfig().unwrap();
      expect([details.payload.typeName, details.payload.size, details.payload.alignment]).toEqual([
        "iceoryx2_bb_container::vector::static_vec::StaticVec<u64, 32>",
        264,
        8,
      ]);
      expect([details.userHeader.typeName, details.userHeader.size]).toEqual(["iceoryx2_bb_container::string::static_string::StaticString<64>", 80]);
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const sample = publisher.loan().unwrap();
      sample.payload.assign([1n, 2n, 3n]);
      sample.send().unwrap();
      const received = subscriber.receive().unwrap()!;
      expect([...received.payload]).toEqual([1n, 2n, 3n]);
      expect(received.userHeader).toBe("");
      received.release();
    });

    it("reports a peer's invalid length, text and enum value as InvalidPayload; the sample stays usable", () => {
      // What a buggy peer writes, described as a struct with upstream's name and size.
      const Forged = struct("iceoryx2_bb_container::string::static_string::StaticString<7>", { data: array(u8, 8), len: u64 });
      using forged = node.serviceBuilder(serviceName("forged")).publishSubscribe(Forged).create().unwrap();
      using opened = node.serviceBuilder(forged.name).publishSubscribe(staticString(7)).open().unwrap();
      using publisher = forged.publisherBuilder().create().unwrap();
      using subscriber = opened.subscriberBuilder().create().unwrap();
      publisher.sendCopy({ data: [104, 105, 0, 0, 0, 0, 0, 0], len: 9n }).unwrap();
      publisher.sendCopy({ data: [104, 0xc3, 0xa9, 0, 0, 0, 0, 0], len: 3n }).unwrap();
      const tooLong = subscriber.receive().unwrap()!;
      const error = errorOf(() => tooLong.payload);
      expect([error.kind, error.message]).toEqual(["InvalidPayload", "StaticString<7>: the received length 9 exceeds the capacity 7 (the sender wrote an invalid value)"]);
      expect(tooLong.copyPayloadBytes().length).toBe(16); // the bytes are still there to inspect
      tooLong.release();
      const notAscii = subscriber.receive().unwrap()!;
      expect(errorOf(() => notAscii.payload).message).toContain("byte 1 is 0xc3");
      notAscii.release();

      // An enum value this process does not know (a peer's newer variant).
      const Wire = struct("Wire", { status: u8 });
      const Typed = struct("Wire", { status: Status });
      using wire = node.serviceBuilder(serviceName("enum")).publishSubscribe(Wire).create().unwrap();
      using typed = node.serviceBuilder(wire.name).publishSubscribe(Typed).open().unwrap(); // the same layout: one byte at 0
      using sender = wire.publisherBuilder().create().unwrap();
      using receiver = typed.subscriberBuilder().create().unwrap();
      sender.sendCopy({ status: 9 }).unwrap();
      const unknown = receiver.receive().unwrap()!;
      const unknownError = errorOf(() => unknown.payload.status);
      expect([unknownError.kind, unknownError.message]).toEqual([
        "InvalidPayload",
        "Status: the received value 9 is none of its variants (Idle=0, Running=1, Failed=2); the sender knows a variant this process does not",
      ]);
      unknown.release();
    });

    it("aligns payloads as asked (upstream's payload_alignment), and refuses what is no power of two", () => {
      using service = node.serviceBuilder(serviceName("aligned")).publishSubscribe(u64).payloadAlignment(64).create().unwrap();
      expect(service.staticConfig().unwrap().payload.alignment).toBe(64);
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      publisher.sendCopy(7n).unwrap();
      const received = subscriber.receive().unwrap()!;
      expect(received.payload).toBe(7n);
      received.release();
      // An opener needs at most the service's alignment, as iceoryx2 compares it.
      expect(node.serviceBuilder(service.name).publishSubscribe(u64).open().isOk()).toBe(true);
      expect(node.serviceBuilder(service.name).publishSubscribe(u64).payloadAlignment(64).open().isOk()).toBe(true);
      expect(node.serviceBuilder(service.name).publishSubscribe(u64).payloadAlignment(128).open().unwrapErr().kind).toBe("IncompatibleTypes");
      const refused = node.serviceBuilder(serviceName("unaligned")).publishSubscribe(u64).payloadAlignment(24).create();
      expect([refused.unwrapErr().kind, refused.unwrapErr().message]).toEqual(["InvalidArgument", "payloadAlignment must be a power of two from 1 to 4096, got 24"]);
      using rr = node.serviceBuilder(serviceName("aligned-rr")).requestResponse(u64, u64).requestPayloadAlignment(32).responsePayloadAlignment(128).create().unwrap();
      const config = rr.staticConfig().unwrap();
      expect([config.requestPayload.alignment, config.responsePayload.alignment]).toEqual([32, 128]);
    });

    it("carries a StaticString request and a StaticVec response", () => {
      using service = node.serviceBuilder(serviceName("rr")).requestResponse(staticString(16), staticVec(u32, 4)).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      using pending = client.sendCopy("count to 3").unwrap();
      using active = server.receive().unwrap()!;
      expect(active.payload).toBe("count to 3");
      active.sendCopy([1, 2, 3]).unwrap();
      const response = pending.receive().unwrap()!;
      expect(response.payload.toArray()).toEqual([1, 2, 3]);
      response.release();
    });

    it("stores StaticString and enum blackboard values and enum keys; refuses a StaticString key", () => {
      using service = node
        .serviceBuilder(serviceName("blackboard"))
        .blackboardCreator(Status)
        .add("Idle", staticString(16), "waiting")
        .add("Running", Status, "Running")
        .create()
        .unwrap();
      using writer = service.writerBuilder().create().unwrap();
      using reader = service.readerBuilder().create().unwrap();
      using label = writer.entry("Idle", staticString(16)).unwrap();
      label.update("parked").unwrap();
      expect(reader.entry("Idle", staticString(16)).unwrap().get().unwrap().value).toBe("parked");
      expect(reader.entry("Running", Status).unwrap().get().unwrap().value).toBe("Running");
      const refused = node.serviceBuilder(serviceName("string-key")).blackboardCreator(staticString(8)).add("a", u8, 1).create();
      expect(refused.unwrapErr().kind).toBe("InvalidArgument");
      expect(refused.unwrapErr().message).toContain("cannot be part of a value compared byte by byte");
    });

    it("FixedSizeQueue: a zeroed loan is an empty queue; pushes, pops and whole writes arrive as written", () => {
      const Log = struct("QueueLog", { id: u32, recent: fixedSizeQueue(staticString(4), 2) });
      using service = node.serviceBuilder(serviceName("queue")).publishSubscribe(Log).userHeader(fixedSizeQueue(u8, 3)).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();

      const sample = publisher.loan().unwrap();
      expect([sample.payload.recent.length, sample.userHeader.length]).toEqual([0, 0]); // initialised, as placement_default leaves it
      sample.payload.id = 1;
      sample.payload.recent.push("bla");
      sample.payload.recent.push("buh");
      expect(sample.payload.recent.pushWithOverflow("new")).toBe("bla");
      sample.userHeader.push(9);
      sample.send().unwrap();
      publisher.sendCopy({ id: 2, recent: ["one"] }, [1, 2, 3]).unwrap();

      using first = subscriber.receive().unwrap()!;
      expect(first.payload.$toPlain()).toEqual({ id: 1, recent: ["buh", "new"] });
      expect([...first.userHeader]).toEqual([9]);
      expect(first.payload.recent.peek()).toBe("buh");
      expect(errorOf(() => first.payload.recent.pop()).kind).toBe("InvalidArgument"); // received: read-only
      using second = subscriber.receive().unwrap()!;
      expect([second.payload.recent.toArray(), second.userHeader.toArray()]).toEqual([["one"], [1, 2, 3]]);
    });

    it("FixedSizeQueue: zeroed request and response loans are empty queues", () => {
      const Batch = fixedSizeQueue(u64, 4);
      using service = node.serviceBuilder(serviceName("queue-rr")).requestResponse(Batch, Batch).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      const request = client.loan().unwrap();
      request.payload.push(5n);
      using pending = request.send().unwrap();
      using active = server.receive().unwrap()!;
      expect(active.payload.toArray()).toEqual([5n]);
      const response = active.loan().unwrap();
      expect(response.payload.length).toBe(0);
      response.payload.push(6n);
      response.send().unwrap();
      using answer = pending.receive().unwrap()!;
      expect(answer.payload.toArray()).toEqual([6n]);
    });
  });
}
