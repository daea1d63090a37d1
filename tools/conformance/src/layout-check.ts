import type { PayloadType } from "@iceoryx2-js/core-api";
import type { Harness } from "./harness.ts";
import { Isolation } from "./isolation.ts";

/**
 * Field-level layout check of struct types (beyond upstream, `core-api/src/layout/attribute.ts`):
 * creators record `iox2js.layout.<role>` attributes, openers compare them.
 */
export default function layoutCheck(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { Service, array, backend, f32, f64, i32, openHandleCount, struct, u8, u16, u32, u64 } = h.api;
  const isolation = new Isolation(h, "layout-check");
  const node = isolation.node("layout-check");
  const serviceName = (label: string) => isolation.serviceName(label);

  afterAll(() => {
    node.close();
    expect(isolation.cleanUp()).toEqual([]);
  });

  const TransmissionData = struct("TransmissionData", { x: i32, y: i32, funky: f64 });
  /** FNV-1a 64 of "x:i32@0 y:i32@4 funky:f64@8", computed independently of the code under test. */
  const TRANSMISSION_DATA_LAYOUT = "v1 ba6beaf399a805df 3 x:i32@0 y:i32@4 funky:f64@8";

  const pubsub = <P extends PayloadType>(name: string, payload: P) => node.serviceBuilder(name).publishSubscribe(payload);

  /** The IncompatibleTypes message of opening `name` with `payload`, by open() and openOrCreate(). */
  function openFailure(name: string, payload: PayloadType): string {
    const opened = pubsub(name, payload).open().unwrapErr();
    const openedOrCreated = pubsub(name, payload).openOrCreate().unwrapErr();
    expect([opened.kind, openedOrCreated.kind]).toEqual(["IncompatibleTypes", "IncompatibleTypes"]);
    expect(openedOrCreated.message).toBe(opened.message);
    return opened.message;
  }

  /** A struct with `count` u32 fields `measurement0`, `measurement1`, ... and a field `last`. */
  function wide(count: number, last: typeof u32 | typeof f32) {
    const fields: Record<string, typeof u32 | typeof f32> = {};
    for (let i = 0; i < count; i++) fields[`measurement${i}`] = u32;
    fields.last = last;
    return struct("Wide", fields);
  }

  describe("layout check", () => {
    it("records a struct payload's field layout when creating, and nothing for primitives", () => {
      const name = serviceName("recorded");
      using service = pubsub(name, TransmissionData).create().unwrap();
      const expected = [{ key: "iox2js.layout.payload", value: TRANSMISSION_DATA_LAYOUT }];
      expect(service.staticConfig().unwrap().attributes).toEqual(expected);
      expect(Service.details(name, "publishSubscribe", { prefix: isolation.prefix }).unwrap()?.attributes).toEqual(expected);

      using primitive = pubsub(serviceName("primitive"), u64).create().unwrap();
      expect(primitive.staticConfig().unwrap().attributes).toEqual([]);
      using created = pubsub(serviceName("created-by-open-or-create"), TransmissionData).openOrCreate().unwrap();
      expect(created.staticConfig().unwrap().attributes).toEqual(expected);
    });

    it("opens with the same struct, and samples travel", () => {
      const name = serviceName("same");
      using service = pubsub(name, TransmissionData).create().unwrap();
      using opened = pubsub(name, struct("TransmissionData", { x: i32, y: i32, funky: f64 })).open().unwrap();
      using openedOrCreated = pubsub(name, TransmissionData).openOrCreate().unwrap();
      expect(openedOrCreated.isClosed).toBe(false);
      using publisher = service.publisherBuilder().create().unwrap();
      using subscriber = opened.subscriberBuilder().create().unwrap();
      publisher.sendCopy({ x: 1, y: 2, funky: 3.5 }).unwrap();
      expect(subscriber.receive().unwrap()?.payload.$toPlain()).toEqual({ x: 1, y: 2, funky: 3.5 });
    });

    it("fails for swapped fields with IncompatibleTypes naming the first differing field", () => {
      const name = serviceName("swapped");
      using service = pubsub(name, TransmissionData).create().unwrap();
      expect(service.isClosed).toBe(false);
      expect(openFailure(name, struct("TransmissionData", { y: i32, x: i32, funky: f64 }))).toBe(
        `cannot open service '${name}': payload struct 'TransmissionData' differs from the service's at field 0: here 'y:i32@0', service 'x:i32@0'`,
      );
    });

    it("fails for a renamed field and for another type of the same size", () => {
      const name = serviceName("renamed");
      using service = pubsub(name, TransmissionData).create().unwrap();
      expect(service.isClosed).toBe(false);
      expect(openFailure(name, struct("TransmissionData", { x: i32, why: i32, funky: f64 }))).toMatch(
        /at field 1: here 'why:i32@4', service 'y:i32@4'$/,
      );
      expect(openFailure(name, struct("TransmissionData", { x: i32, y: f32, funky: f64 }))).toMatch(/at field 1: here 'y:f32@4', service 'y:i32@4'$/);
    });

    it("names a nested struct's field by its dotted path", () => {
      const pose = (heading: typeof f32 | typeof u32) =>
        struct("Pose", { id: u16, position: struct("Position", { x: f32, y: f32 }), heading: struct("Heading", { value: heading }) });
      const name = serviceName("nested");
      using service = pubsub(name, pose(f32)).create().unwrap();
      expect(service.isClosed).toBe(false);
      expect(openFailure(name, pose(u32))).toMatch(/payload struct 'Pose' differs from the service's at field 3: here 'heading\.value:u32@12', service 'heading\.value:f32@12'$/);
    });

    it("checks arrays of structs by their element", () => {
      const Point = (y: typeof f32 | typeof i32) => struct("Point", { x: f32, y });
      const name = serviceName("array-of-structs");
      using service = pubsub(name, array(Point(f32), 4)).create().unwrap();
      expect(service.staticConfig().unwrap().attributes[0]?.value).toMatch(/ 2 x:f32@0 y:f32@4$/);
      expect(openFailure(name, array(Point(i32), 4))).toMatch(/payload struct 'Point' differs from the service's at field 1: here 'y:i32@4', service 'y:f32@4'$/);
    });

    it("checks the user header", () => {
      const Header = (seq: typeof u32 | typeof f32) => struct("Header", { version: u16, seq });
      const name = serviceName("user-header");
      using service = pubsub(name, u64).userHeader(Header(u32)).create().unwrap();
      expect(service.staticConfig().unwrap().attributes.map((a) => a.key)).toEqual(["iox2js.layout.user-header"]);
      expect(pubsub(name, u64).userHeader(Header(u32)).open().isOk()).toBe(true);
      const error = pubsub(name, u64).userHeader(Header(f32)).open().unwrapErr();
      expect(error.kind).toBe("IncompatibleTypes");
      expect(error.message).toMatch(/user header struct 'Header' differs from the service's at field 1: here 'seq:f32@4', service 'seq:u32@4'$/);
    });

    it("records all four request-response types and checks each", () => {
      const Query = struct("Query", { id: u32, scale: f64 });
      const Answer = (value: typeof f64 | typeof u64) => struct("Answer", { id: u32, value });
      const RequestHeader = struct("RequestHeader", { sequence: u64 });
      const ResponseHeader = (status: typeof u16 | typeof i32) => struct("ResponseHeader", { status, pad: u16 });
      const builder = (name: string, answer: typeof f64 | typeof u64, status: typeof u16) =>
        node.serviceBuilder(name).requestResponse(Query, Answer(answer)).requestUserHeader(RequestHeader).responseUserHeader(ResponseHeader(status));
      const name = serviceName("request-response");
      using service = builder(name, f64, u16).create().unwrap();
      expect(service.staticConfig().unwrap().attributes.map((a) => a.key)).toEqual([
        "iox2js.layout.request",
        "iox2js.layout.request-header",
        "iox2js.layout.response",
        "iox2js.layout.response-header",
      ]);
      using opened = builder(name, f64, u16).open().unwrap();
      expect(opened.isClosed).toBe(false);
      const response = builder(name, u64, u16).openOrCreate().unwrapErr();
      expect(response.kind).toBe("IncompatibleTypes");
      expect(response.message).toMatch(/response struct 'Answer' differs from the service's at field 1: here 'value:u64@8', service 'value:f64@8'$/);
      const header = node.serviceBuilder(name).requestResponse(Query, Answer(f64)).requestUserHeader(RequestHeader).responseUserHeader(struct("ResponseHeader", { code: u16, status: u16 }));
      expect(header.open().unwrapErr().message).toMatch(/response header struct 'ResponseHeader' differs from the service's at field 0: here 'code:u16@0', service 'status:u16@0'$/);
    });

    it("leaves nothing open when open or openOrCreate finds a mismatching service", () => {
      const name = serviceName("no-leak");
      using service = pubsub(name, TransmissionData).create().unwrap();
      expect(service.isClosed).toBe(false);
      const baseline = openHandleCount(backend);
      const swapped = struct("TransmissionData", { y: i32, x: i32, funky: f64 });
      expect(pubsub(name, swapped).open().unwrapErr().kind).toBe("IncompatibleTypes");
      expect(pubsub(name, swapped).openOrCreate().unwrapErr().kind).toBe("IncompatibleTypes");
      expect(openHandleCount(backend)).toBe(baseline);
    });

    it("opens services created without the attribute, as a Rust, Python, C or C++ creator makes them", () => {
      // iceoryx2 sees only name, size and alignment: a creator of the primitive `u64` or of the
      // array `[i32; 2]` makes the same service a struct of that name and layout opens, and
      // iceoryx2-js records no layout for primitives and arrays of primitives.
      const name = serviceName("without-attribute");
      using creator = pubsub(name, u64).create().unwrap();
      expect(creator.staticConfig().unwrap().attributes).toEqual([]);
      using opened = pubsub(name, struct("u64", { value: u64 })).open().unwrap();
      using openedOrCreated = pubsub(name, struct("u64", { value: u64 })).openOrCreate().unwrap();
      expect(openedOrCreated.staticConfig().unwrap().attributes).toEqual([]);
      using publisher = creator.publisherBuilder().create().unwrap();
      using subscriber = opened.subscriberBuilder().create().unwrap();
      publisher.sendCopy(7n).unwrap();
      expect(subscriber.receive().unwrap()?.payload.value).toBe(7n);

      const pair = serviceName("without-attribute-array");
      using arrayCreator = pubsub(pair, array(i32, 2)).create().unwrap();
      expect(arrayCreator.isClosed).toBe(false);
      expect(pubsub(pair, struct("[i32; 2]", { x: i32, y: i32 })).open().isOk()).toBe(true);
    });

    it("records a long layout cut to 256 bytes and reports a difference past the cut as such", () => {
      const name = serviceName("long");
      using service = pubsub(name, wide(40, u32)).create().unwrap();
      const [attribute] = service.staticConfig().unwrap().attributes;
      expect(attribute?.key).toBe("iox2js.layout.payload");
      const [version, hash, count, ...listed] = attribute!.value.split(" ");
      expect([version, hash?.length, count]).toEqual(["v1", 16, "41"]);
      expect(257).toBeGreaterThan(attribute!.value.length);
      expect(41).toBeGreaterThan(listed.length);
      expect(listed[0]).toBe("measurement0:u32@0");

      expect(pubsub(name, wide(40, u32)).open().isOk()).toBe(true);
      expect(openFailure(name, wide(40, f32))).toBe(
        `cannot open service '${name}': payload struct 'Wide' differs from the service's beyond the ${listed.length} fields its layout attribute lists (the service's struct has 41 leaf fields, here 41)`,
      );
    });

    it("keeps the layout keys for itself and counts them toward the eight attributes", () => {
      const reserved = pubsub(serviceName("reserved"), u64).defineAttribute("iox2js.layout.payload", "v1").create().unwrapErr();
      expect(reserved.kind).toBe("InvalidArgument");
      expect(reserved.message).toMatch(/reserved/);

      const builder = pubsub(serviceName("limit"), TransmissionData);
      for (let i = 0; i < 7; i++) builder.defineAttribute(`key${i}`, "v");
      using seven = builder.create().unwrap();
      expect(seven.staticConfig().unwrap().attributes.length).toBe(8);
      const tooMany = pubsub(serviceName("limit"), TransmissionData);
      for (let i = 0; i < 8; i++) tooMany.defineAttribute(`key${i}`, "v");
      const error = tooMany.create().unwrapErr();
      expect(error.kind).toBe("LimitReached");
      expect(error.message).toMatch(/1 of them added automatically/);
    });

    it("user attributes work next to the layout attribute", () => {
      const name = serviceName("with-user-attributes");
      using service = pubsub(name, TransmissionData).defineAttribute("camera", "front").create().unwrap();
      expect(service.staticConfig().unwrap().attributes).toEqual([
        { key: "camera", value: "front" },
        { key: "iox2js.layout.payload", value: TRANSMISSION_DATA_LAYOUT },
      ]);
      expect(pubsub(name, TransmissionData).requireAttribute("camera", "front").open().isOk()).toBe(true);
      expect(pubsub(name, TransmissionData).requireAttribute("camera", "rear").open().unwrapErr().kind).toBe("IncompatibleAttributes");
      expect(pubsub(name, TransmissionData).defineAttribute("camera", "front").openOrCreate().isOk()).toBe(true);
    });
  });
}
