import type { Harness } from "./harness.ts";
import { Isolation } from "./isolation.ts";

/** Publish-subscribe: payload kinds, user headers, QoS, bad input, released views, closing. */
export default function publishSubscribe(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { ERROR_KINDS, Iox2Error, array, backend, bool, openHandleCount, f32, f64, i32, slice, struct, u8, u16, u32, u64 } = h.api;
  const isolation = new Isolation(h, "publish-subscribe");
  const node = isolation.node();
  const serviceName = (label: string) => isolation.serviceName(label);
  const isolatedNode = (name: string) => isolation.node(name);

  afterAll(() => {
    node.close();
    expect(isolation.cleanUp()).toEqual([]);
  });

  const SensorData = struct("SensorData", {
    timestampNs: u64,
    temperature: f64,
    pressure: f64,
    humidity: f32,
    status: u32,
    sensorId: array(u8, 16),
  });

  const CustomHeader = struct("CustomHeader", { version: i32, timestamp: u64 });

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

  describe("the native library", () => {
    it("knows the same error kinds as core-api, in the same order", () => {
      expect(backend.errorKinds()).toEqual([...ERROR_KINDS]);
    });

    it("links the pinned iceoryx2", () => {
      expect(backend.iceoryx2Version).toBe("0.10.0");
    });
  });

  describe("publish-subscribe", () => {
    it("sends a struct loaned in shared memory and receives it intact", () => {
      using service = node.serviceBuilder(serviceName("struct")).publishSubscribe(SensorData).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();

      const sample = publisher.loan().unwrap();
      expect(sample.payload.temperature).toBe(0); // loan() starts zeroed
      sample.payload.timestampNs = 1_700_000_000_000_000_000n;
      sample.payload.temperature = 21.25;
      sample.payload.pressure = 1013.5;
      sample.payload.humidity = 0.5;
      sample.payload.status = 0xffff_ffff;
      for (let i = 0; i < 16; i++) sample.payload.sensorId.set(i, i);
      expect(sample.send().unwrap()).toBe(1);

      const received = subscriber.receive().unwrap()!;
      expect(received.payload.$toPlain()).toEqual({
        timestampNs: 1_700_000_000_000_000_000n,
        temperature: 21.25,
        pressure: 1013.5,
        humidity: 0.5,
        status: 0xffff_ffff,
        sensorId: [...Array(16).keys()],
      });
      received.release();
      expect(subscriber.receive().unwrap()).toBeNull();
    });

    it("carries primitives, assigned and read as values", () => {
      using service = node.serviceBuilder(serviceName("u64")).publishSubscribe(u64).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const sample = publisher.loan().unwrap();
      sample.payload = 0xffff_ffff_ffff_ffffn;
      sample.send().unwrap();
      publisher.sendCopy(42n).unwrap();
      const first = subscriber.receive().unwrap()!;
      const second = subscriber.receive().unwrap()!;
      expect([first.payload, second.payload]).toEqual([0xffff_ffff_ffff_ffffn, 42n]);
      first.release();
      second.release();
    });

    it("carries slices of any length up to the publisher's maximum", () => {
      using service = node.serviceBuilder(serviceName("slice")).publishSubscribe(slice(u16)).create().unwrap();
      using publisher = service.publisherBuilder().initialMaxSliceLen(64).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      for (const length of [1, 7, 64]) {
        const sample = publisher.loanSlice(length).unwrap();
        expect(sample.length).toBe(length);
        sample.payload.write(Array.from({ length }, (_, i) => i * 3));
        sample.send().unwrap();
        const received = subscriber.receive().unwrap()!;
        expect(received.length).toBe(length);
        expect(received.payload.toArray()).toEqual(Array.from({ length }, (_, i) => i * 3));
        received.release();
      }
      publisher.sendCopy([9, 8, 7]).unwrap();
      const copied = subscriber.receive().unwrap()!;
      expect(copied.payload.toArray()).toEqual([9, 8, 7]);
      copied.release();
      expect(publisher.loanSlice(65).unwrapErr().kind).toBe("OutOfMemory");
    });

    it("grows the data segment for slices with a dynamic allocation strategy", () => {
      using service = node.serviceBuilder(serviceName("grow")).publishSubscribe(slice(u8)).create().unwrap();
      using publisher = service.publisherBuilder().initialMaxSliceLen(8).allocationStrategy("powerOfTwo").create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const sample = publisher.loanSlice(5000).unwrap();
      sample.payloadBytes.fill(0xab);
      sample.send().unwrap();
      const received = subscriber.receive().unwrap()!;
      expect(received.length).toBe(5000);
      expect(received.copyPayloadBytes().every((b) => b === 0xab)).toBe(true);
      received.release();
    });

    it("writes and reads a user header beside the payload", () => {
      using service = node
        .serviceBuilder(serviceName("header"))
        .publishSubscribe(u32)
        .userHeader(CustomHeader)
        .create()
        .unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const sample = publisher.loan().unwrap();
      sample.userHeader.version = 3;
      sample.userHeader.timestamp = 99n;
      sample.payload = 7;
      sample.send().unwrap();
      publisher.sendCopy(8, { version: 4, timestamp: 100n }).unwrap();
      const first = subscriber.receive().unwrap()!;
      expect([first.userHeader.version, first.userHeader.timestamp, first.payload]).toEqual([3, 99n, 7]);
      const second = subscriber.receive().unwrap()!;
      expect(second.userHeader.$toPlain()).toEqual({ version: 4, timestamp: 100n });
      first.release();
      second.release();
    });

    it("delivers history to late joiners and honours the subscriber buffer size", () => {
      using service = node
        .serviceBuilder(serviceName("history"))
        .publishSubscribe(u64)
        .historySize(3)
        .subscriberMaxBufferSize(4)
        .create()
        .unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      for (let i = 1n; i <= 5n; i++) publisher.sendCopy(i).unwrap();
      using late = service.subscriberBuilder().historyRequest(3).create().unwrap();
      publisher.updateConnections().unwrap();
      const seen: bigint[] = [];
      for (let sample = late.receive().unwrap(); sample !== null; sample = late.receive().unwrap()) {
        seen.push(sample.payload);
        sample.release();
      }
      expect(seen).toEqual([3n, 4n, 5n]);
      expect(service.staticConfig().unwrap().qos).toMatchObject({ historySize: 3, subscriberMaxBufferSize: 4 });
      expect(service.subscriberBuilder().bufferSize(5).create().unwrapErr().kind).toBe("IncompatibleQos");
    });

    it("enforces the maximum number of publishers and subscribers", () => {
      using service = node
        .serviceBuilder(serviceName("ports"))
        .publishSubscribe(u8)
        .maxPublishers(1)
        .maxSubscribers(1)
        .create()
        .unwrap();
      using _publisher = service.publisherBuilder().create().unwrap();
      using _subscriber = service.subscriberBuilder().create().unwrap();
      expect(service.publisherBuilder().create().unwrapErr().kind).toBe("LimitReached");
      expect(service.subscriberBuilder().create().unwrapErr().kind).toBe("LimitReached");
      const info = service.staticConfig().unwrap();
      expect(info.payload).toEqual({ variant: "fixedSize", typeName: "u8", size: 1, alignment: 1 });
      expect(info.qos).toMatchObject({ maxPublishers: 1, maxSubscribers: 1 });
    });

    it("opens an existing service and requires its QoS as minimums", () => {
      const name = serviceName("open");
      using created = node.serviceBuilder(name).publishSubscribe(SensorData).maxSubscribers(2).create().unwrap();
      using opened = node.serviceBuilder(name).publishSubscribe(SensorData).openOrCreate().unwrap();
      expect(opened.staticConfig().unwrap().qos.maxSubscribers).toBe(2);
      expect(node.serviceBuilder(name).publishSubscribe(SensorData).maxSubscribers(3).open().unwrapErr().kind).toBe(
        "IncompatibleQos",
      );
      expect(node.serviceBuilder(name).publishSubscribe(SensorData).maxSubscribers(3).open().unwrapErr().message).toContain(
        "maxSubscribers: the service has 2, this opener asks for 3",
      );
      expect(node.serviceBuilder(name).publishSubscribe(SensorData).create().unwrapErr().kind).toBe("ServiceAlreadyExists");
      expect(created.isClosed).toBe(false);
    });

    it("gives every port a system-wide unique id, as upstream prints it", () => {
      using service = node.serviceBuilder(serviceName("ids")).publishSubscribe(u8).maxPublishers(2).create().unwrap();
      using first = service.publisherBuilder().name("camera/front").create().unwrap();
      using second = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().name("recorder").create().unwrap();
      expect([first.name, second.name, subscriber.name]).toEqual(["camera/front", "", "recorder"]);
      expect(subscriber.updateConnections().isOk()).toBe(true);
      const ports = service.ports().unwrap();
      expect(ports.publishers.map((p) => [p.id, p.name, p.nodeId]).sort()).toEqual([[first.id, "camera/front", node.id], [second.id, "", node.id]].sort());
      expect(ports.subscribers).toEqual([{ id: subscriber.id, name: "recorder", nodeId: node.id, bufferSize: 2, historyRequest: 0 }]);
      expect(ports.publishers[0]!.numberOfSamples).toBeGreaterThan(0);
      expect(service.subscriberBuilder().name("é".repeat(33)).create().unwrapErr().kind).toBe("InvalidArgument"); // 66 bytes
      const ids = [first.id, second.id, subscriber.id];
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{1,32}$/);
      expect(new Set(ids).size).toBe(3);
      expect(first.id).toBe(ids[0]);
      first.close();
      expect(first.id).toBe(ids[0]);
      const unread = service.publisherBuilder().create().unwrap();
      unread.close();
      expectKind(() => unread.id, "HandleClosed");
    });

    it("names each received sample's sender: publisher id, node id, element count (upstream's header)", () => {
      using service = node.serviceBuilder(serviceName("origin")).publishSubscribe(slice(u16)).maxPublishers(2).create().unwrap();
      using first = service.publisherBuilder().initialMaxSliceLen(4).create().unwrap();
      using second = service.publisherBuilder().initialMaxSliceLen(4).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      first.sendCopy([1, 2, 3]).unwrap();
      second.sendCopy([4]).unwrap();
      const one = subscriber.receive().unwrap()!;
      const two = subscriber.receive().unwrap()!;
      expect(one.header).toEqual({ publisherId: first.id, nodeId: node.id, numberOfElements: 3 });
      expect(two.origin).toBe(second.id);
      expect(two.header.numberOfElements).toBe(1);
      one.release();
      expectKind(() => one.header, "SampleReleased");
      two.release();
    });

    it("bounds a send to a subscriber whose buffer stays full (sendTimeout), and delivers again once it has room", () => {
      using service = node.serviceBuilder(serviceName("stalled")).publishSubscribe(u64).enableSafeOverflow(false).subscriberMaxBufferSize(1).create().unwrap();
      using publisher = service.publisherBuilder().backpressure("retryUntilDelivered").sendTimeout(50).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      expect(publisher.sendCopy(1n).unwrap()).toBe(1);
      for (const send of [() => publisher.sendCopy(2n), () => publisher.loan().unwrap().send()]) {
        const start = Date.now();
        const refused = send();
        const held = Date.now() - start;
        expect(refused.isErr() && refused.error.kind).toBe("UnableToDeliver");
        expect(refused.isErr() && refused.error.message).toContain("sendTimeout");
        expect(held).toBeGreaterThan(40); // it retried for its timeout...
        expect(held).toBeLessThan(10_000); // ...and then gave up
      }
      const first = subscriber.receive().unwrap()!;
      expect(first.payload).toBe(1n);
      first.release();
      expect(subscriber.receive().unwrap()).toBeNull(); // the refused samples were not delivered
      expect(publisher.sendCopy(3n).unwrap()).toBe(1);
    });

    it("bounds a blocked send by default (1000 ms) and refuses a negative sendTimeout", () => {
      using service = node.serviceBuilder(serviceName("stalled-default")).publishSubscribe(u64).enableSafeOverflow(false).subscriberMaxBufferSize(1).create().unwrap();
      using publisher = service.publisherBuilder().backpressure("retryUntilDelivered").create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      publisher.sendCopy(1n).unwrap();
      const start = Date.now();
      expect(publisher.sendCopy(2n).unwrapErr().kind).toBe("UnableToDeliver");
      expect(Date.now() - start).toBeGreaterThan(900);
      expect(subscriber.receive().unwrap()?.payload).toBe(1n);
      expect(service.publisherBuilder().sendTimeout(-1).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(service.publisherBuilder().sendTimeout(Number.NaN).create().unwrapErr().kind).toBe("InvalidArgument");
    });

    it("reports its ports' settings as upstream's getters do", () => {
      using service = node.serviceBuilder(serviceName("getters")).publishSubscribe(slice(u8)).subscriberMaxBufferSize(4).create().unwrap();
      using plain = service.publisherBuilder().create().unwrap();
      expect([plain.maxLoanedSamples, plain.initialMaxSliceLen, plain.allocationStrategy, plain.backpressureStrategy]).toEqual([2, 1, "static", "retryUntilDelivered"]);
      using tuned = service.publisherBuilder().maxLoanedSamples(5).initialMaxSliceLen(64).allocationStrategy("powerOfTwo").backpressure("discardData").create().unwrap();
      expect([tuned.maxLoanedSamples, tuned.initialMaxSliceLen, tuned.allocationStrategy, tuned.backpressureStrategy]).toEqual([5, 64, "powerOfTwo", "discardData"]);
      using full = service.subscriberBuilder().create().unwrap();
      using small = service.subscriberBuilder().bufferSize(2).create().unwrap();
      expect([full.bufferSize, small.bufferSize]).toEqual([4, 2]);
      tuned.close();
      expect(tuned.maxLoanedSamples).toBe(5); // read while open, then remembered
      const unread = service.publisherBuilder().create().unwrap();
      unread.close();
      expectKind(() => unread.backpressureStrategy, "HandleClosed");
    });

    /** Lets the event loop turn until `done()` or 5 s pass. */
    const until = async (done: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!done() && Date.now() < deadline) await h.nextTurn();
    };

    it("reports a full receiver to onBackpressure: retrying, then giving up at the send timeout", async () => {
      using service = node.serviceBuilder(serviceName("backpressure-events")).publishSubscribe(u64).enableSafeOverflow(false).subscriberMaxBufferSize(1).create().unwrap();
      const events: { outcome: string; receiverPortId: string; senderPortId: string; serviceId: string; elapsedMs: number; retries: number }[] = [];
      using publisher = service.publisherBuilder().backpressure("retryUntilDelivered").sendTimeout(30).onBackpressure((event) => void events.push(event)).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      publisher.sendCopy(1n).unwrap();
      expect(events).toEqual([]); // delivered: nothing to report
      expect(publisher.sendCopy(2n).unwrapErr().kind).toBe("UnableToDeliver");
      expect(events).toEqual([]); // events arrive on the event loop, after the send
      await until(() => events.length >= 2);
      expect(events.map((event) => event.outcome)).toEqual(["retrying", "gaveUp"]);
      const serviceId = service.staticConfig().unwrap().uniqueServiceId;
      for (const event of events) {
        expect([event.receiverPortId, event.senderPortId, event.serviceId]).toEqual([subscriber.id, publisher.id, serviceId]);
      }
      expect(events[0]!.retries).toBe(0);
      expect(events[1]!.elapsedMs).toBeGreaterThan(29);
      expect(events[1]!.retries).toBeGreaterThan(0);
    });

    it("reports discarded data under discardData, keeps delivering after a callback throws, and flushes on close", async () => {
      using service = node.serviceBuilder(serviceName("discard-events")).publishSubscribe(u64).enableSafeOverflow(false).subscriberMaxBufferSize(1).create().unwrap();
      const outcomes: string[] = [];
      const publisher = service
        .publisherBuilder()
        .backpressure("discardData")
        .onBackpressure((event) => {
          outcomes.push(event.outcome);
          if (outcomes.length === 1) throw new Error("a callback that throws"); // caught and reported, delivery goes on
        })
        .create()
        .unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      publisher.sendCopy(1n).unwrap();
      expect(publisher.sendCopy(2n).unwrap()).toBe(0); // discarded, without an error
      await until(() => outcomes.length >= 1);
      expect(publisher.sendCopy(3n).unwrap()).toBe(0);
      publisher.close(); // what is still queued arrives now
      expect(outcomes).toEqual(["discarded", "discarded"]);
      const kept = subscriber.receive().unwrap()!;
      expect(kept.payload).toBe(1n);
      kept.release();
    });

    it("takes a degradation action and callback on publishers and subscribers, and rejects bad ones", () => {
      using service = node.serviceBuilder(serviceName("degradation")).publishSubscribe(u64).create().unwrap();
      const seen: unknown[] = [];
      using publisher = service.publisherBuilder().degradation("degradeAndFail").onDegradation((event) => void seen.push(event)).create().unwrap();
      using subscriber = service.subscriberBuilder().degradation("ignore").onDegradation((event) => void seen.push(event)).create().unwrap();
      expect(publisher.sendCopy(7n).unwrap()).toBe(1); // healthy connections: no degradation
      const sample = subscriber.receive().unwrap()!;
      expect(sample.payload).toBe(7n);
      sample.release();
      expect(seen).toEqual([]);
      const badAction = service.publisherBuilder().degradation("explode" as "warn").create();
      expect(badAction.isErr() && badAction.error.kind).toBe("InvalidArgument");
      expect(badAction.isErr() && badAction.error.message).toContain("ignore, warn, degradeAndFail");
      const notAFunction = service.subscriberBuilder().onDegradation("log" as unknown as () => void).create();
      expect(notAFunction.isErr() && notAFunction.error.message).toBe("onDegradation needs a function, got string");
      const notAHandler = service.publisherBuilder().onBackpressure(42 as unknown as () => void).create();
      expect(notAHandler.isErr() && notAHandler.error.kind).toBe("InvalidArgument");
    });

    it("streams 4K RGBA frames (33 MB) at default QoS, and names samplePreallocation when a segment would not fit", () => {
      const FRAME = 3840 * 2160 * 4;
      using service = node.serviceBuilder(serviceName("4k")).publishSubscribe(slice(u8)).create().unwrap();
      using publisher = service.publisherBuilder().initialMaxSliceLen(FRAME).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      for (let frame = 1; frame <= 3; frame++) {
        const sample = publisher.loanSliceUninit(FRAME).unwrap();
        const bytes = sample.payloadBytes;
        bytes.fill(frame, 0, 4096);
        bytes[FRAME - 1] = frame;
        sample.send().unwrap();
        const received = subscriber.receive().unwrap()!;
        expect(received.payload.length).toBe(FRAME);
        expect([received.payload.get(0), received.payload.get(4095), received.payload.get(FRAME - 1)]).toEqual([frame, frame, frame]);
        received.release();
      }

      using crowded = node.serviceBuilder(serviceName("4k-crowded")).publishSubscribe(slice(u8)).maxSubscribers(4096).create().unwrap();
      const refused = crowded.publisherBuilder().initialMaxSliceLen(FRAME).create();
      expect(refused.isErr() && refused.error.kind).toBe("InvalidArgument");
      expect(refused.isErr() && refused.error.message).toMatch(/maxSubscribers 4096 .* samplePreallocation\(\d+\) or less/);
      using saving = crowded.publisherBuilder().initialMaxSliceLen(FRAME).samplePreallocation(8).create().unwrap();
      expect(saving.loanSliceUninit(FRAME).unwrap().release()).toBeUndefined();
    });

    it("sends to a subscriber of another service handle in the same process", () => {
      const name = serviceName("two-handles");
      using a = node.serviceBuilder(name).publishSubscribe(bool).create().unwrap();
      using b = node.serviceBuilder(name).publishSubscribe(bool).open().unwrap();
      using publisher = a.publisherBuilder().create().unwrap();
      using subscriber = b.subscriberBuilder().create().unwrap();
      publisher.sendCopy(true).unwrap();
      const sample = subscriber.receive().unwrap()!;
      expect(sample.payload).toBe(true);
      sample.release();
    });
  });

  describe("bad input gives a typed error, never a crash", () => {
    it("rejects invalid service and node names", () => {
      expect(node.serviceBuilder("").publishSubscribe(u8).create().unwrapErr().kind).toBe("InvalidName");
      expect(node.serviceBuilder("x".repeat(300)).publishSubscribe(u8).create().unwrapErr().kind).toBe("InvalidName");
      expect(node.serviceBuilder(42 as unknown as string).publishSubscribe(u8).create().unwrapErr().kind).toBe("InvalidName");
      const longNode = () => isolatedNode("n".repeat(300));
      expectKind(longNode, "InvalidName");
    });

    it("names both types when opening with another payload type", () => {
      const name = serviceName("mismatch");
      using _service = node.serviceBuilder(name).publishSubscribe(SensorData).create().unwrap();
      const renamed = struct("OtherData", { ...SensorData.fields.reduce((o, f) => ({ ...o, [f.name]: f.type }), {}) });
      const cases = [
        renamed, // same layout, other name
        struct("SensorData", { timestampNs: u64, temperature: f64 }), // same name, other size
        u64, // a primitive
        slice(SensorData), // the dynamic variant
      ];
      for (const type of cases) {
        const error = node.serviceBuilder(name).publishSubscribe(type).open().unwrapErr();
        expect(error.kind).toBe("IncompatibleTypes");
        expect(error.message).toContain("'SensorData' (fixed size, size 48, alignment 8)");
        expect(error.message).toContain(`'${type.typeName}'`);
      }
      expect(node.serviceBuilder(name).publishSubscribe(SensorData).userHeader(CustomHeader).open().unwrapErr().message).toContain(
        "user header: the service has '()'",
      );
    });

    it("accepts a lower but refuses a higher alignment than the service's (upstream's rule)", () => {
      const name = serviceName("alignment");
      const bytewise = struct("SensorData", { a: u8, b: array(u8, 47) });
      using _service = node.serviceBuilder(name).publishSubscribe(bytewise).create().unwrap();
      const error = node.serviceBuilder(name).publishSubscribe(SensorData).open().unwrapErr();
      expect(error.kind).toBe("IncompatibleTypes");
      expect(error.message).toContain("the service has 'SensorData' (fixed size, size 48, alignment 1), requested 'SensorData' (fixed size, size 48, alignment 8)");
    });

    it("reports a missing service", () => {
      expect(node.serviceBuilder(serviceName("missing")).publishSubscribe(u8).open().unwrapErr().kind).toBe("ServiceNotFound");
    });

    it("rejects out-of-range QoS and port options", () => {
      const builder = () => node.serviceBuilder(serviceName("qos")).publishSubscribe(u8);
      expect(builder().maxPublishers(0).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().historySize(-1).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().subscriberMaxBufferSize(1.5).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().enableSafeOverflow("yes" as unknown as boolean).create().unwrapErr().kind).toBe("InvalidArgument");
      using service = builder().create().unwrap();
      expect(service.publisherBuilder().maxLoanedSamples(NaN).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(service.publisherBuilder().allocationStrategy("huge" as "static").create().unwrapErr().kind).toBe("InvalidArgument");
      expect(service.subscriberBuilder().bufferSize(2 ** 40).create().unwrapErr().kind).toBe("InvalidArgument");
    });

    it("refuses loans beyond the configured maximum, and loans again after a release", () => {
      using service = node.serviceBuilder(serviceName("loans")).publishSubscribe(u64).create().unwrap();
      using publisher = service.publisherBuilder().maxLoanedSamples(2).create().unwrap();
      const first = publisher.loan().unwrap();
      const second = publisher.loan().unwrap();
      expect(publisher.loan().unwrapErr().kind).toBe("ExceedsMaxLoans");
      first.release();
      const third = publisher.loan().unwrap();
      second.release();
      third.release();
    });

    it("refuses receiving more samples than the subscriber may borrow", () => {
      using service = node
        .serviceBuilder(serviceName("borrows"))
        .publishSubscribe(u8)
        .subscriberMaxBorrowedSamples(1)
        .create()
        .unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      publisher.sendCopy(1).unwrap();
      publisher.sendCopy(2).unwrap();
      const held = subscriber.receive().unwrap()!;
      expect(subscriber.receive().unwrapErr().kind).toBe("ExceedsMaxBorrows");
      held.release();
      expect(subscriber.receive().unwrap()!.payload).toBe(2);
    });

    it("refuses sending a sample twice", () => {
      using service = node.serviceBuilder(serviceName("twice")).publishSubscribe(u8).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      const sample = publisher.loan().unwrap();
      sample.send().unwrap();
      const again = sample.send().unwrapErr();
      expect(again.kind).toBe("SampleReleased");
      expect(again.message).toContain("already sent or released");
    });

    it("refuses every use of a closed handle", () => {
      const service = node.serviceBuilder(serviceName("closed")).publishSubscribe(u8).create().unwrap();
      const publisher = service.publisherBuilder().create().unwrap();
      const subscriber = service.subscriberBuilder().create().unwrap();
      publisher.close();
      publisher.close(); // closing twice does nothing
      expect(publisher.loan().unwrapErr().kind).toBe("HandleClosed");
      expect(publisher.sendCopy(1).unwrapErr().kind).toBe("HandleClosed");
      expect(publisher.updateConnections().unwrapErr().kind).toBe("HandleClosed");
      service.close();
      expect(subscriber.isClosed).toBe(true);
      expect(subscriber.receive().unwrapErr().kind).toBe("HandleClosed");
      expect(service.publisherBuilder().create().unwrapErr().kind).toBe("HandleClosed");
      expect(service.staticConfig().unwrapErr().kind).toBe("HandleClosed");
    });

    it("refuses writes past a slice's length and wrongly typed values", () => {
      using service = node.serviceBuilder(serviceName("writes")).publishSubscribe(slice(u8)).create().unwrap();
      using publisher = service.publisherBuilder().initialMaxSliceLen(4).create().unwrap();
      const sample = publisher.loanSlice(4).unwrap();
      expectKind(() => sample.payload.set(4, 1), "OutOfBounds");
      expectKind(() => sample.payload.write([1, 2, 3], 2), "OutOfBounds");
      expectKind(() => sample.payload.set(0, 256), "InvalidArgument");
      expectKind(() => sample.payload.set(0, -1), "InvalidArgument");
      expectKind(() => sample.payload.set(0, "1" as unknown as number), "InvalidArgument");
      expect(publisher.loan().unwrapErr().kind).toBe("InvalidArgument"); // a slice needs loanSlice
      expect(publisher.loanSlice(0).unwrapErr().kind).toBe("InvalidArgument");
      expect(publisher.loanSlice(5).unwrapErr().kind).toBe("OutOfMemory");
      expect(publisher.sendCopy([1, 2, 3, 4, 5]).unwrapErr().kind).toBe("OutOfMemory");
      sample.release();

      using structs = node.serviceBuilder(serviceName("struct-writes")).publishSubscribe(SensorData).create().unwrap();
      using structPublisher = structs.publisherBuilder().create().unwrap();
      const loaned = structPublisher.loan().unwrap();
      expectKind(() => (loaned.payload.status = -1), "InvalidArgument");
      expectKind(() => (loaned.payload.status = NaN), "InvalidArgument");
      expectKind(() => (loaned.payload.timestampNs = 2n ** 64n), "InvalidArgument");
      expectKind(() => (loaned.payload.humidity = 1e39), "InvalidArgument");
      expectKind(() => (loaned.payload.sensorId = [1, 2] as never), "InvalidArgument");
      expect(structPublisher.loanSlice(2).unwrapErr().kind).toBe("InvalidArgument");
      expect(structPublisher.sendCopy({ timestampNs: 1n } as never).unwrapErr().kind).toBe("InvalidArgument");
      loaned.release();
    });
  });

  describe("views of released samples are unusable", () => {
    it("detaches a loaned sample's views on send and on release", () => {
      using service = node.serviceBuilder(serviceName("detach")).publishSubscribe(SensorData).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const sample = publisher.loan().unwrap();
      const payload = sample.payload;
      const bytes = sample.payloadBytes;
      const id = payload.sensorId;
      expect(bytes.length).toBe(48);
      sample.send().unwrap();
      expect(bytes.length).toBe(0); // detached: reads give undefined, writes are dropped
      expect(bytes[0]).toBeUndefined();
      expectKind(() => payload.temperature, "SampleReleased");
      expectKind(() => (payload.temperature = 1), "SampleReleased");
      expectKind(() => id.get(0), "SampleReleased");
      expectKind(() => sample.payload, "SampleReleased");
      expectKind(() => sample.payloadBytes, "SampleReleased");

      const received = subscriber.receive().unwrap()!;
      const view = received.payload;
      received.release();
      expectKind(() => view.pressure, "SampleReleased");
      expectKind(() => view.$toPlain(), "SampleReleased");
      expectKind(() => received.copyPayloadBytes(), "SampleReleased");
    });

    it("keeps received memory read-only (subscribers map it without write access)", () => {
      using service = node.serviceBuilder(serviceName("readonly")).publishSubscribe(SensorData).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      publisher.sendCopy({ timestampNs: 1n, temperature: 2, pressure: 3, humidity: 4, status: 5, sensorId: new Uint8Array(16) }).unwrap();
      const received = subscriber.receive().unwrap()!;
      expectKind(() => (received.payload.status = 1), "InvalidArgument");
      expectKind(() => received.payload.sensorId.set(0, 1), "InvalidArgument");
      const copy = received.payload.sensorId.typedArray();
      copy[0] = 9; // a copy: shared memory stays untouched
      expect(received.payload.sensorId.get(0)).toBe(0);
      expect("payloadBytes" in received).toBe(false);
      received.release();
    });
  });

  describe("sample slots (one reused sample object per slot)", () => {
    it("loan into and receive into the same sample object, with the same views, message after message", () => {
      using service = node.serviceBuilder(serviceName("slots")).publishSubscribe(SensorData).maxPublishers(2).subscriberMaxBufferSize(4).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using other = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const loans = publisher.loanSlot();
      const receives = subscriber.receiveSlot();
      const first = loans.loan().unwrap();
      const accessor = first.payload;
      accessor.status = 1;
      expect(first.send().unwrap()).toBe(1);
      expectKind(() => first.payload, "SampleReleased"); // between loans the slot's sample is released
      expectKind(() => accessor.status, "SampleReleased");
      const second = loans.loan().unwrap();
      expect(second).toBe(first);
      expect(second.payload).toBe(accessor);
      expect(accessor.status).toBe(0); // a zeroed loan: the new chunk, not the old one
      accessor.status = 2;
      second.send().unwrap();
      other.sendCopy({ timestampNs: 3n, temperature: 0, pressure: 0, humidity: 0, status: 3, sensorId: new Uint8Array(16) }).unwrap();

      const a = receives.receive().unwrap()!;
      const view = a.payload;
      expect([view.status, a.header.publisherId]).toEqual([1, publisher.id]);
      const b = receives.receive().unwrap()!; // releases the one held
      expect(b).toBe(a);
      expect(b.payload).toBe(view);
      expect([view.status, b.header.publisherId]).toEqual([2, publisher.id]);
      const c = receives.receive().unwrap()!;
      expect([c.payload.status, c.header.publisherId]).toEqual([3, other.id]); // the header is read anew
      expect(receives.receive().unwrap()).toBeNull();
      expect(c.isClosed).toBe(true); // receiving again released it, also when nothing came
    });

    it("releases an unsent loan on the next loan, resizes slice views, and checks loans as the plain methods do", () => {
      using service = node.serviceBuilder(serviceName("slot-slices")).publishSubscribe(slice(u16)).subscriberMaxBufferSize(4).create().unwrap();
      using publisher = service.publisherBuilder().maxLoanedSamples(1).initialMaxSliceLen(8).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const loans = publisher.loanSlot();
      for (let i = 0; i < 5; i++) loans.loanSlice(4).unwrap(); // each releases the last: maxLoanedSamples 1 holds
      expect(subscriber.receive().unwrap()).toBeNull(); // nothing was sent
      const short = loans.loanSliceUninit(3).unwrap();
      short.payload.write([7, 8, 9], 0);
      short.send().unwrap();
      const long = loans.loanSlice(6).unwrap();
      expect(long.payload.length).toBe(6);
      long.payload.set(5, 42);
      long.send().unwrap();
      const receives = subscriber.receiveSlot();
      expect([...receives.receive().unwrap()!.payload]).toEqual([7, 8, 9]);
      expect([...receives.receive().unwrap()!.payload]).toEqual([0, 0, 0, 0, 0, 42]);
      expect(loans.loan().unwrapErr().kind).toBe("InvalidArgument"); // a slice needs loanSlice
      expect(loans.loanSlice(0).unwrapErr().kind).toBe("InvalidArgument");
      expect(loans.loanSlice(9).unwrapErr().kind).toBe("OutOfMemory");
    });

    it("ends with its port: the slot's sample closes with it and later calls fail with HandleClosed", () => {
      using service = node.serviceBuilder(serviceName("slot-close")).publishSubscribe(u64).create().unwrap();
      const publisher = service.publisherBuilder().create().unwrap();
      const subscriber = service.subscriberBuilder().create().unwrap();
      const loans = publisher.loanSlot();
      const receives = subscriber.receiveSlot();
      loans.loan().unwrap().send().unwrap();
      const held = receives.receive().unwrap()!;
      subscriber.close();
      expect(held.isClosed).toBe(true);
      expect(receives.receive().unwrapErr().kind).toBe("HandleClosed");
      const loaned = loans.loan().unwrap();
      publisher.close();
      expect(loaned.isClosed).toBe(true);
      expect(loans.loan().unwrapErr().kind).toBe("HandleClosed");
    });
  });

  describe("batches", () => {
    /** Each sample's payload, read while the batch's one sample object stands for it. */
    const payloadsOf = <T>(batch: Iterable<{ payload: T }>): T[] => {
      const payloads: T[] = [];
      for (const sample of batch) payloads.push(sample.payload);
      return payloads;
    };

    it("takes many samples per call, within the borrow limit, and releases them on the next receive", () => {
      using service = node.serviceBuilder(serviceName("batch")).publishSubscribe(u64).subscriberMaxBufferSize(16).subscriberMaxBorrowedSamples(5).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      using batch = subscriber.receiveBatch().unwrap();
      expect(batch.receive().unwrap()).toBe(0);
      for (let i = 0n; i < 12n; i++) publisher.sendCopy(100n + i).unwrap();
      const seen: bigint[] = [];
      const sizes: number[] = [];
      for (let n = batch.receive().unwrap(); n > 0; n = batch.receive().unwrap()) {
        sizes.push(n);
        for (let i = 0; i < n; i++) seen.push(batch.at(i).payload);
      }
      expect(sizes).toEqual([5, 5, 2]); // subscriberMaxBorrowedSamples 5 bounds a batch
      expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => 100n + BigInt(i)));
      // Nothing is held now: a plain receive may borrow all five again.
      for (let i = 0n; i < 5n; i++) publisher.sendCopy(i).unwrap();
      const plain = Array.from({ length: 5 }, () => subscriber.receive().unwrap()!);
      expect(plain.map((sample) => sample.payload)).toEqual([0n, 1n, 2n, 3n, 4n]);
      for (const sample of plain) sample.release();
    });

    it("reads through one sample object that stands for one held sample at a time", () => {
      using service = node.serviceBuilder(serviceName("batch-cursor")).publishSubscribe(SensorData).maxPublishers(2).subscriberMaxBufferSize(8).subscriberMaxBorrowedSamples(8).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using other = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const reading = (status: number) => ({ timestampNs: 1n, temperature: 0, pressure: 0, humidity: 0, status, sensorId: new Uint8Array(16) });
      publisher.sendCopy(reading(1)).unwrap();
      publisher.sendCopy(reading(2)).unwrap();
      other.sendCopy(reading(3)).unwrap();
      using batch = subscriber.receiveBatch().unwrap();
      expect(batch.receive(2).unwrap()).toBe(2); // max bounds the batch
      const first = batch.at(0);
      const accessor = first.payload;
      expect([accessor.status, first.header.publisherId]).toEqual([1, publisher.id]);
      const second = batch.at(1);
      expect(second).toBe(first); // one object, no allocation per sample
      expect(second.payload).toBe(accessor);
      expect([accessor.status, second.header.publisherId]).toEqual([2, publisher.id]);
      expect(batch.at(0).payload.status).toBe(1); // every held sample stays readable until the next receive
      const statuses: number[] = [];
      for (const sample of batch) statuses.push(sample.payload.status); // read before moving on: one object
      expect(statuses).toEqual([1, 2]);
      expect(batch.receive().unwrap()).toBe(1);
      expect(batch.length).toBe(1);
      expect([batch.at(0).payload.status, batch.at(0).header.publisherId]).toEqual([3, other.id]); // the header is read anew
      expectKind(() => batch.at(1), "OutOfBounds");
      expectKind(() => batch.at(-1), "OutOfBounds");
      expect(batch.release().unwrap()).toBe(1);
      expectKind(() => accessor.status, "SampleReleased"); // released with the batch
      expect(batch.length).toBe(0);
      expect(batch.receive(0).unwrapErr().kind).toBe("InvalidArgument");
      expect(batch.receive(1.5).unwrapErr().kind).toBe("InvalidArgument");
    });

    it("keeps a sample beyond the batch, and releases one through the cursor without disturbing the rest", () => {
      using service = node.serviceBuilder(serviceName("batch-keep")).publishSubscribe(u32).subscriberMaxBufferSize(8).subscriberMaxBorrowedSamples(4).create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      using batch = subscriber.receiveBatch().unwrap();
      for (let i = 1; i <= 4; i++) publisher.sendCopy(i).unwrap();
      expect(batch.receive().unwrap()).toBe(4);
      const kept = batch.keep(1).unwrap();
      expect(kept.payload).toBe(2);
      expectKind(() => batch.at(1), "SampleReleased");
      expect(batch.keep(1).unwrapErr().kind).toBe("SampleReleased");
      batch.at(2).release(); // releases that sample only
      expectKind(() => batch.at(2), "SampleReleased");
      expect(payloadsOf(batch)).toEqual([1, 4]);
      expect(batch.release().unwrap()).toBe(2); // the kept one is not the batch's any more
      expect(kept.payload).toBe(2);
      // Three may be borrowed besides the kept one.
      for (let i = 5; i <= 8; i++) publisher.sendCopy(i).unwrap();
      expect(batch.receive().unwrap()).toBe(3);
      expect(payloadsOf(batch)).toEqual([5, 6, 7]);
      kept.release();
      expect(batch.receive().unwrap()).toBe(1);
      expect(batch.at(0).payload).toBe(8);
    });

    it("loans many samples per call, writes them through one object, and sends them in order", () => {
      using service = node.serviceBuilder(serviceName("send-batch")).publishSubscribe(SensorData).subscriberMaxBufferSize(16).subscriberMaxBorrowedSamples(16).create().unwrap();
      using publisher = service.publisherBuilder().maxLoanedSamples(8).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      using batch = publisher.sendBatch().unwrap();
      expect(batch.loan(5).unwrap()).toBe(5);
      const first = batch.at(0);
      for (let i = 0; i < 5; i++) {
        const sample = batch.at(i);
        expect(sample).toBe(first); // one object, no allocation per sample
        expect(sample.payload.status).toBe(0); // zeroed
        sample.payload.status = 10 + i;
      }
      expect(batch.send().unwrap()).toBe(5); // five samples, one subscriber each
      expectKind(() => first.payload, "SampleReleased"); // the cursor stands for nothing now
      expect(batch.length).toBe(0);
      expectKind(() => batch.at(0), "OutOfBounds");
      using received = subscriber.receiveBatch().unwrap();
      expect(received.receive().unwrap()).toBe(5);
      const statuses: number[] = [];
      for (const sample of received) statuses.push(sample.payload.status);
      expect(statuses).toEqual([10, 11, 12, 13, 14]);
      // Beyond maxLoanedSamples nothing is held: all or nothing.
      expect(batch.loan(9).unwrapErr().kind).toBe("ExceedsMaxLoans");
      expect(batch.length).toBe(0);
      expect(batch.loan(8).unwrap()).toBe(8);
      // A sample sent through the cursor goes alone; the rest go with the batch.
      batch.at(7).payload.status = 99;
      expect(batch.at(7).send().unwrap()).toBe(1);
      expectKind(() => batch.at(7), "SampleReleased");
      expect(batch.release().unwrap()).toBe(7); // the other seven go back unsent
      received.release();
      expect(received.receive().unwrap()).toBe(1);
      expect(received.at(0).payload.status).toBe(99);
    });

    it("loans slices of a length, uninitialised on request, and refuses bad counts and lengths", () => {
      using service = node.serviceBuilder(serviceName("send-batch-slices")).publishSubscribe(slice(u16)).subscriberMaxBufferSize(8).subscriberMaxBorrowedSamples(8).create().unwrap();
      using publisher = service.publisherBuilder().maxLoanedSamples(4).initialMaxSliceLen(8).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      using batch = publisher.sendBatch({ zeroed: false }).unwrap();
      expect(batch.loan(3, 4).unwrap()).toBe(3);
      for (let i = 0; i < 3; i++) batch.at(i).payload.write([i, i + 1, i + 2, i + 3], 0);
      expect(batch.send().unwrap()).toBe(3);
      const got: number[][] = [];
      for (let sample = subscriber.receive().unwrap(); sample !== null; sample = subscriber.receive().unwrap()) {
        got.push([...sample.payload]);
        sample.release();
      }
      expect(got).toEqual([[0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5]]);
      expect(batch.loan(2).unwrapErr().kind).toBe("InvalidArgument"); // a slice needs a length
      expect(batch.loan(0, 4).unwrapErr().kind).toBe("InvalidArgument");
      expect(batch.loan(33, 4).unwrapErr().kind).toBe("InvalidArgument");
      expect(batch.loan(1, 9).unwrapErr().kind).toBe("OutOfMemory");
      expect(publisher.sendBatch({ zeroed: "yes" as never }).unwrapErr().kind).toBe("InvalidArgument");
      using fixed = node.serviceBuilder(serviceName("send-batch-fixed")).publishSubscribe(u32).create().unwrap();
      using fixedPublisher = fixed.publisherBuilder().create().unwrap();
      expect(fixedPublisher.sendBatch().unwrap().loan(1, 4).unwrapErr().kind).toBe("InvalidArgument"); // a fixed type takes none
    });

    it("ends with its subscriber, releases what it holds when closed, and never leaks a handle", () => {
      const baseline = openHandleCount(backend);
      const service = node.serviceBuilder(serviceName("batch-close")).publishSubscribe(u8).subscriberMaxBufferSize(4).subscriberMaxBorrowedSamples(4).create().unwrap();
      const publisher = service.publisherBuilder().create().unwrap();
      const subscriber = service.subscriberBuilder().create().unwrap();
      const batch = subscriber.receiveBatch().unwrap();
      for (let i = 0; i < 3; i++) publisher.sendCopy(i).unwrap();
      expect(batch.receive().unwrap()).toBe(3);
      const cursor = batch.at(0);
      expect(openHandleCount(backend)).toBe(baseline + 4 + 3);
      batch.close();
      expect(cursor.isClosed).toBe(true);
      expect(openHandleCount(backend)).toBe(baseline + 3); // the three samples went with the batch
      expect(batch.receive().unwrapErr().kind).toBe("HandleClosed");
      expectKind(() => batch.at(0), "HandleClosed");
      const again = subscriber.receiveBatch().unwrap();
      publisher.sendCopy(9).unwrap();
      expect(again.receive().unwrap()).toBe(1);
      const kept = again.keep(0).unwrap();
      subscriber.close();
      expect([again.isClosed, kept.isClosed]).toEqual([true, true]);
      expect(subscriber.receiveBatch().unwrapErr().kind).toBe("HandleClosed");
      service.close();
      expect(openHandleCount(backend)).toBe(baseline);
    });
  });

  describe("closing", () => {
    it("closes children with their parent, newest first, and detaches their views", () => {
      const baseline = openHandleCount(backend);
      const local = isolatedNode("closing");
      const service = local.serviceBuilder(serviceName("cascade")).publishSubscribe(u64).create().unwrap();
      const publisher = service.publisherBuilder().create().unwrap();
      const subscriber = service.subscriberBuilder().create().unwrap();
      publisher.sendCopy(5n).unwrap();
      const received = subscriber.receive().unwrap()!;
      const loaned = publisher.loan().unwrap();
      const bytes = loaned.payloadBytes;
      expect(openHandleCount(backend)).toBe(baseline + 6);
      local.close();
      expect(openHandleCount(backend)).toBe(baseline);
      for (const resource of [service, publisher, subscriber, received, loaned]) expect(resource.isClosed).toBe(true);
      expect(bytes.length).toBe(0);
      expectKind(() => received.payload, "SampleReleased");
      expect(loaned.send().unwrapErr().kind).toBe("SampleReleased");
    });

    it("supports `using`, which disposes in reverse order of declaration", () => {
      const baseline = openHandleCount(backend);
      {
        using local = isolatedNode("using");
        using service = local.serviceBuilder(serviceName("using")).publishSubscribe(u8).create().unwrap();
        using publisher = service.publisherBuilder().create().unwrap();
        using _sample = publisher.loan().unwrap();
        expect(openHandleCount(backend)).toBe(baseline + 4);
      }
      expect(openHandleCount(backend)).toBe(baseline);
    });

    it("reclaims ports dropped without close when they are garbage-collected, with the samples they lent", async () => {
      using service = node.serviceBuilder(serviceName("gc")).publishSubscribe(u64).create().unwrap();
      for (let turn = 0; turn < 5; turn++) {
        h.gc(); // let garbage of earlier tests go first
        await h.nextTurn();
      }
      const baseline = openHandleCount(backend);
      (() => {
        const publisher = service.publisherBuilder().maxLoanedSamples(2).create().unwrap();
        publisher.loan().unwrap();
        publisher.loan().unwrap();
        service.subscriberBuilder().create().unwrap();
      })();
      expect(openHandleCount(backend)).toBe(baseline + 4);
      // Finalizers run in a later task after a collection: give them bounded turns.
      for (let turn = 0; turn < 50 && openHandleCount(backend) > baseline; turn++) {
        h.gc();
        await h.nextTurn();
      }
      expect(openHandleCount(backend)).toBe(baseline);
    });

    it("never lets a collected port's late finalizer close a newer object that took over its handle", async () => {
      const service = node.serviceBuilder(serviceName("gc-stale")).publishSubscribe(u64).create().unwrap();
      using other = node.serviceBuilder(serviceName("gc-stale-other")).publishSubscribe(u64).create().unwrap();
      using publisher = other.publisherBuilder().maxLoanedSamples(2).create().unwrap();
      using subscriber = other.subscriberBuilder().create().unwrap();
      let stale = 0;
      (() => {
        const dropped = service.subscriberBuilder().create().unwrap();
        stale = Reflect.get(dropped, "handle") as number;
      })();
      await h.nextTurn(); // the job that made it ends: nothing keeps it alive now
      h.gc(); // collected; its finalizer waits for a later turn
      service.close(); // closes the dropped subscriber natively, freeing its handle's slot
      // Loans reuse the freed slots until one hands out the dropped subscriber's handle again.
      let held: ReturnType<typeof publisher.loan> extends { unwrap(): infer S } ? S | undefined : never;
      for (let i = 0; i < 3000 && held === undefined; i++) {
        const a = publisher.loan().unwrap();
        const b = publisher.loan().unwrap();
        for (const [mine, spare] of [[a, b], [b, a]] as const) {
          if (held === undefined && Reflect.get(mine, "handle") === stale) {
            held = mine;
            spare.release();
          }
        }
        if (held === undefined) {
          b.release();
          a.release();
        }
      }
      expect(held).toBeDefined();
      for (let turn = 0; turn < 10; turn++) {
        h.gc();
        await h.nextTurn(); // the dropped subscriber's finalizer runs now, if it was collected
      }
      expect(held!.isClosed).toBe(false);
      expect(held!.send().unwrap()).toBe(1); // still loaned: the finalizer did not close it
      const received = subscriber.receive().unwrap();
      expect(received).not.toBeNull();
      received?.release();
    });

    it("keeps a sample dropped without release loaned until its port closes (samples are never garbage-collected)", async () => {
      using service = node.serviceBuilder(serviceName("gc-sample")).publishSubscribe(u64).create().unwrap();
      const publisher = service.publisherBuilder().maxLoanedSamples(2).create().unwrap();
      const baseline = openHandleCount(backend);
      (() => {
        publisher.loan().unwrap();
        publisher.loan().unwrap();
      })();
      for (let turn = 0; turn < 10; turn++) {
        h.gc();
        await h.nextTurn();
      }
      expect(openHandleCount(backend)).toBe(baseline + 2);
      expect(publisher.loan().unwrapErr().kind).toBe("ExceedsMaxLoans");
      publisher.close();
      expect(openHandleCount(backend)).toBe(baseline - 1);
    });

    it("keeps a sample alive while a view of it is reachable", async () => {
      using service = node.serviceBuilder(serviceName("gc-view")).publishSubscribe(slice(u8)).create().unwrap();
      using publisher = service.publisherBuilder().initialMaxSliceLen(8).create().unwrap();
      const baseline = openHandleCount(backend);
      const view = (() => {
        const sample = publisher.loanSlice(8).unwrap();
        sample.payload.write([1, 2, 3, 4, 5, 6, 7, 8]);
        return sample.payload;
      })();
      for (let turn = 0; turn < 10; turn++) {
        h.gc();
        await h.nextTurn();
      }
      expect(openHandleCount(backend)).toBe(baseline + 1);
      expect(view.toArray()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });
  });

  describe("the wake-up event service sized for its data service", () => {
    /** `AbortSignal.timeout` of every runtime (the suite compiles without DOM or runtime types). */
    const timeout = (ms: number): import("@iceoryx2-js/core-api").AbortSignalLike =>
      (globalThis as unknown as { AbortSignal: { timeout(ms: number): import("@iceoryx2-js/core-api").AbortSignalLike } }).AbortSignal.timeout(ms);

    it("serves 20 concurrent samples() loops of a service with maxSubscribers(24)", async () => {
      const name = serviceName("wakeup-many");
      using service = node.serviceBuilder(name).publishSubscribe(u64).maxSubscribers(24).create().unwrap();
      const subscribers = Array.from({ length: 20 }, () => service.subscriberBuilder().create().unwrap());
      try {
        // Events only: every loop creates its listener at once (more than the default 16).
        const loops = subscribers.map(async (subscriber) => {
          for await (const sample of subscriber.samples({ signal: timeout(20_000), pollInterval: Infinity })) return sample.payload;
          return "no sample within 20 s";
        });
        using publisher = service.publisherBuilder().notifyOnSend().create().unwrap();
        publisher.sendCopy(42n).unwrap();
        expect(await Promise.all(loops)).toEqual(subscribers.map(() => 42n));
        using events = node.serviceBuilder(name).event().open().unwrap();
        const { maxPublishers } = service.staticConfig().unwrap().qos;
        expect(events.staticConfig().unwrap().qos).toMatchObject({ maxListeners: maxPublishers + 24, maxNotifiers: maxPublishers + 24 });
      } finally {
        for (const subscriber of subscribers) subscriber.close();
      }
    });

    it("opens a smaller one another program created as it is, and says so when its listeners run out", async () => {
      const name = serviceName("wakeup-small");
      using service = node.serviceBuilder(name).publishSubscribe(u64).maxSubscribers(4).create().unwrap();
      // As an upstream program with small limits would have created it first.
      using events = node.serviceBuilder(name).event().maxListeners(2).create().unwrap();
      const subscribers = Array.from({ length: 3 }, () => service.subscriberBuilder().create().unwrap());
      const waiting = subscribers.slice(0, 2).map((subscriber) => subscriber.samples({ signal: timeout(20_000), pollInterval: Infinity }).next());
      try {
        const error = await subscribers[2]!.samples({ signal: timeout(20_000), pollInterval: Infinity }).next().then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(Iox2Error);
        const { kind, message } = error as InstanceType<typeof Iox2Error>;
        expect(kind).toBe("LimitReached");
        const needed = service.staticConfig().unwrap().qos.maxPublishers + 4;
        for (const part of [`'${name}'`, "maxListeners 2", `${needed} are needed`, "created by another process"]) expect(message).toContain(part);
        expect(events.staticConfig().unwrap().qos.maxListeners).toBe(2);
      } finally {
        for (const subscriber of subscribers) subscriber.close();
      }
      // Closing a subscriber ends its loop.
      expect((await Promise.all(waiting)).map((result) => result.done)).toEqual([true, true]);
    });

    it("gives request-response clients and servers one notifier each beyond the default 16", async () => {
      const name = serviceName("wakeup-clients");
      using service = node.serviceBuilder(name).requestResponse(u64, u64).maxClients(20).create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      const clients = Array.from({ length: 20 }, () => service.clientBuilder().notifyOnSend().create().unwrap());
      try {
        const pending = clients.map((client, i) => client.sendCopy(BigInt(i)).unwrap()); // each send notifies
        const signal = timeout(20_000);
        const received: bigint[] = [];
        for await (const request of server.requests({ signal })) {
          received.push(request.payload as bigint);
          if (received.length === clients.length) break;
        }
        expect(received.sort((a, b) => Number(a - b))).toEqual(clients.map((_, i) => BigInt(i)));
        for (const response of pending) response.close();
      } finally {
        for (const client of clients) client.close();
      }
    });
  });
}
