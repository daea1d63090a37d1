import type { Harness } from "./harness.ts";
import { Isolation } from "./isolation.ts";
import { thrownIox2Error } from "./thrown.ts";

/**
 * FlatBuffers payloads as upstream 0.10 defines them: the `iox2::Flatbuffer` marker, the schema
 * iceoryx2 stores with the service (found by root type under the config's schema path, or given
 * as a file), the bytes a send copies in and a receiver reads, growth, and every refusal. The
 * flatbuffers themselves are opaque bytes here; the examples pair real ones with Rust and Python.
 */
export default function flatbuffers(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { NodeBuilder, flatbuffer, u64, u8 } = h.api;
  const isolation = new Isolation(h, "flatbuffers");
  const schemas = `/tmp/iox2js_flatbuffers_${h.runtime}_${h.pid}`;
  // iceoryx2 stores and compares a schema's bytes; it does not parse them.
  h.writeFile(`${schemas}/Reading.bfbs`, "binary schema of Reading, version 1");
  h.writeFile(`${schemas}/Ack.bfbs`, "binary schema of Ack");
  h.writeFile(`${schemas}/v2/Reading.bfbs`, "binary schema of Reading, version 2");
  h.writeFile(`${schemas}/Reading.fbs`, "table Reading { value: int; }");
  const config = { prefix: isolation.prefix, builtInDefaults: true, flatbufferSchemaPath: schemas };
  const node = new NodeBuilder().name("flatbuffers").config(config).create().unwrap();
  const serviceName = (label: string) => isolation.serviceName(label);
  const Reading = flatbuffer("Reading");

  afterAll(() => {
    node.close();
    h.removeFile(schemas);
    expect(isolation.cleanUp()).toEqual([]);
  });

  const errorOf = (action: () => unknown) => thrownIox2Error(h, action);

  /** Bytes standing in for a finished flatbuffer of `length` bytes. */
  const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 7 + seed) % 251);
  /** What a `flatbuffers` Builder offers after `finish(root)`. */
  const finishedBuilder = (data: Uint8Array) => ({ finished: true, asUint8Array: () => data });

  describe("flatbuffers", () => {
    it("is upstream's marker type: iox2::Flatbuffer, size 1, alignment 1, with its root type and namespace", () => {
      const type = flatbuffer("UnboundedData", { namespace: "example" });
      expect([type.kind, type.typeName, type.size, type.alignment, type.rootType, type.namespace]).toEqual([
        "flatbuffer",
        "iox2::Flatbuffer",
        1,
        1,
        "UnboundedData",
        "example",
      ]);
      expect(h.api.describeLayout(type)).toMatchObject({ kind: "flatbuffer", typeName: "iox2::Flatbuffer", rootType: "UnboundedData" });
    });

    it("sends the bytes of a finished builder or a Uint8Array with a user header; the receiver reads exactly those bytes", () => {
      using service = node.serviceBuilder(serviceName("pubsub")).publishSubscribe(Reading).userHeader(u64).create().unwrap();
      expect(service.staticConfig().unwrap().payload).toMatchObject({ typeName: "iox2::Flatbuffer", size: 1, alignment: 1 });
      using publisher = service.publisherBuilder().initialReservedMemory(256).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const first = bytes(40, 1);
      const second = bytes(200, 2);
      expect(publisher.sendCopy(finishedBuilder(first), 7n).unwrap()).toBe(1);
      publisher.sendCopy(second, 8n).unwrap();
      for (const [expected, header] of [
        [first, 7n],
        [second, 8n],
      ] as const) {
        using sample = subscriber.receive().unwrap()!;
        expect(sample.userHeader).toBe(header);
        expect(Array.from(sample.payload)).toEqual(Array.from(expected));
        expect(sample.length).toBe(expected.length);
      }
    });

    it("grows the chunk for a flatbuffer beyond initialReservedMemory under a growing allocation strategy", () => {
      using service = node.serviceBuilder(serviceName("grow")).publishSubscribe(Reading).create().unwrap();
      using publisher = service.publisherBuilder().initialReservedMemory(64).allocationStrategy("powerOfTwo").create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      const big = bytes(5000, 3);
      publisher.sendCopy(big).unwrap();
      using sample = subscriber.receive().unwrap()!;
      // After growing, iceoryx2 0.10 counts the chunk's headers into the length (its own
      // publishers do the same): the flatbuffer is at the start, trailing bytes follow.
      expect(Array.from(sample.payload.subarray(0, big.length))).toEqual(Array.from(big));
    });

    it("refuses a flatbuffer beyond initialReservedMemory under the static strategy with OutOfMemory", () => {
      using service = node.serviceBuilder(serviceName("static")).publishSubscribe(Reading).create().unwrap();
      using publisher = service.publisherBuilder().initialReservedMemory(64).create().unwrap();
      const error = publisher.sendCopy(bytes(500, 4)).unwrapErr();
      expect(error.kind).toBe("OutOfMemory");
      expect(error.message).toContain("initialReservedMemory(500)");
      publisher.sendCopy(bytes(60, 4)).unwrap();
    });

    it("exchanges flatbuffer requests and responses with user headers", () => {
      using service = node
        .serviceBuilder(serviceName("reqres"))
        .requestResponse(Reading, flatbuffer("Ack"))
        .requestUserHeader(u64)
        .responseUserHeader(u64)
        .create()
        .unwrap();
      using client = service.clientBuilder().initialReservedMemory(128).create().unwrap();
      using server = service.serverBuilder().initialReservedMemory(16).allocationStrategy("bestFit").create().unwrap();
      const request = bytes(100, 5);
      using pending = client.sendCopy(request, 1n).unwrap();
      using active = server.receive().unwrap()!;
      expect(Array.from(active.payload)).toEqual(Array.from(request));
      expect(active.userHeader).toBe(1n);
      active.sendCopy(finishedBuilder(bytes(12, 6)), 2n).unwrap();
      active.sendCopy(bytes(300, 7), 3n).unwrap(); // grows the server's chunk
      using small = pending.receive().unwrap()!;
      expect(Array.from(small.payload)).toEqual(Array.from(bytes(12, 6)));
      expect(small.userHeader).toBe(2n);
      using big = pending.receive().unwrap()!;
      expect(Array.from(big.payload.subarray(0, 300))).toEqual(Array.from(bytes(300, 7)));
      expect(big.userHeader).toBe(3n);
    });

    it("refuses what is no finished flatbuffer, and loans (the flatbuffers package builds on the heap)", () => {
      using service = node.serviceBuilder(serviceName("bad")).publishSubscribe(Reading).create().unwrap();
      using publisher = service.publisherBuilder().initialReservedMemory(64).create().unwrap();
      const unfinished = { finished: false, asUint8Array: () => bytes(16, 8) };
      expect(publisher.sendCopy(unfinished as never).unwrapErr().message).toContain("builder.finish(root)");
      for (const value of [42, "bytes", null, [1, 2, 3, 4], { asUint8Array: () => "no bytes" }]) {
        expect(publisher.sendCopy(value as never).unwrapErr().kind).toBe("InvalidArgument");
      }
      expect(publisher.sendCopy(new Uint8Array(3)).unwrapErr().message).toContain("too short");
      for (const loan of [() => publisher.loan(), () => publisher.loanUninit(), () => publisher.loanSlice(8)]) {
        expect(loan().unwrapErr().message).toContain("sendCopy(builder)");
      }
      expect(errorOf(() => flatbuffer("")).kind).toBe("InvalidArgument");
      expect(errorOf(() => flatbuffer("R".repeat(129))).message).toContain("at most 128");
      expect(errorOf(() => flatbuffer("Reading", { namespace: "\ud800" })).kind).toBe("InvalidArgument");
    });

    it("takes the schema from the builder's file path, absolute or under the config's path", () => {
      const name = serviceName("file");
      using created = node.serviceBuilder(name).publishSubscribe(flatbuffer("Other")).flatbufferSchemaPath("v2/Reading.bfbs").create().unwrap();
      using opened = node
        .serviceBuilder(name)
        .publishSubscribe(flatbuffer("Other"))
        .flatbufferSchemaPath(`${schemas}/v2/Reading.bfbs`)
        .open()
        .unwrap();
      expect(opened.staticConfig().unwrap().payload.typeName).toBe("iox2::Flatbuffer");
      expect(created.name).toBe(name);
    });

    it("fails with IncompatibleTypes when the opener's schema differs from the one the service stores", () => {
      const name = serviceName("schema");
      using _created = node.serviceBuilder(name).publishSubscribe(Reading).create().unwrap();
      const error = node.serviceBuilder(name).publishSubscribe(Reading).flatbufferSchemaPath("v2/Reading.bfbs").open().unwrapErr();
      expect(error.kind).toBe("IncompatibleTypes");
      expect(error.message).toContain("another flatbuffer schema");
      expect(node.serviceBuilder(name).publishSubscribe(u8).open().unwrapErr().kind).toBe("IncompatibleTypes");
    });

    it("fails with TypeDefinitionUnavailable without a schema, and InvalidArgument for a .fbs source", () => {
      using bare = new NodeBuilder().config({ prefix: isolation.prefix, builtInDefaults: true }).create().unwrap();
      const missing = bare.serviceBuilder(serviceName("none")).publishSubscribe(Reading).create().unwrapErr();
      expect(missing.kind).toBe("TypeDefinitionUnavailable");
      expect(missing.message).toContain("flatbufferSchemaPath");
      const unknown = node.serviceBuilder(serviceName("unknown")).publishSubscribe(flatbuffer("Unknown")).create().unwrapErr();
      expect(unknown.kind).toBe("TypeDefinitionUnavailable");
      const source = node.serviceBuilder(serviceName("source")).publishSubscribe(Reading).flatbufferSchemaPath("Reading.fbs").create().unwrapErr();
      expect(source.kind).toBe("InvalidArgument");
      expect(source.message).toContain(".bfbs");
      const notFlatbuffer = node.serviceBuilder(serviceName("u8")).publishSubscribe(u8).flatbufferSchemaPath("Reading.bfbs").create().unwrapErr();
      expect(notFlatbuffer.message).toContain("for flatbuffer payloads");
      const response = node.serviceBuilder(serviceName("rr")).requestResponse(u8, u8).responseFlatbufferSchemaPath("Ack.bfbs").create().unwrapErr();
      expect(response.kind).toBe("InvalidArgument");
    });
  });
}
