import type { Harness } from "./harness.ts";
import { Isolation } from "./isolation.ts";

/** Service attributes: defined on create, read from the static config, required on open. */
export default function attributes(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { Service, u64, struct, u8 } = h.api;
  const isolation = new Isolation(h, "attributes");
  const node = isolation.node("attributes");
  const serviceName = (label: string) => isolation.serviceName(label);
  const pubsub = (name: string) => node.serviceBuilder(name).publishSubscribe(u64);

  afterAll(() => {
    node.close();
    expect(isolation.cleanUp()).toEqual([]);
  });

  describe("attributes", () => {
    it("are defined on create and read back from the static config, sorted", () => {
      const name = serviceName("defined");
      using service = pubsub(name).defineAttribute("b", "2").defineAttribute("a", "1").defineAttribute("a", "0").create().unwrap();
      const sorted = [
        { key: "a", value: "0" },
        { key: "a", value: "1" },
        { key: "b", value: "2" },
      ];
      expect(service.staticConfig().unwrap().attributes).toEqual(sorted);
      expect(Service.details(name, "publishSubscribe", { prefix: isolation.prefix }).unwrap()?.attributes).toEqual(sorted);
      using opened = pubsub(name).open().unwrap();
      expect(opened.staticConfig().unwrap().attributes).toEqual(sorted);
    });

    it("work the same on event services", () => {
      const name = serviceName("event");
      using service = node.serviceBuilder(name).event().defineAttribute("kind", "alarm").create().unwrap();
      expect(service.staticConfig().unwrap().attributes).toEqual([{ key: "kind", value: "alarm" }]);
      expect(node.serviceBuilder(name).event().requireAttribute("kind", "alarm").open().isOk()).toBe(true);
      expect(node.serviceBuilder(name).event().requireAttribute("kind", "info").open().unwrapErr().kind).toBe("IncompatibleAttributes");
    });

    it("are verified on open: matching values and keys open, others fail with IncompatibleAttributes", () => {
      const name = serviceName("required");
      using service = pubsub(name).defineAttribute("camera", "front").defineAttribute("fps", "30").create().unwrap();
      expect(service.isClosed).toBe(false);
      using matching = pubsub(name).requireAttribute("camera", "front").requireAttributeKey("fps").open().unwrap();
      expect(matching.staticConfig().unwrap().attributes.length).toBe(2);

      const mismatch = pubsub(name).requireAttribute("camera", "rear").open().unwrapErr();
      expect(mismatch.kind).toBe("IncompatibleAttributes");
      expect(pubsub(name).requireAttributeKey("resolution").open().unwrapErr().kind).toBe("IncompatibleAttributes");
      // A key required with a value is present only with that value.
      expect(pubsub(name).requireAttribute("fps", "60").open().unwrapErr().kind).toBe("IncompatibleAttributes");
      // Attributes defined while opening are ignored: they only apply to a new service.
      using ignoring = pubsub(name).defineAttribute("camera", "rear").open().unwrap();
      expect(ignoring.isClosed).toBe(false);
    });

    it("openOrCreate defines them on a new service and requires them of an existing one", () => {
      const name = serviceName("open-or-create");
      using created = pubsub(name).defineAttribute("zone", "1").requireAttribute("level", "high").openOrCreate().unwrap();
      expect(created.staticConfig().unwrap().attributes).toEqual([
        { key: "level", value: "high" },
        { key: "zone", value: "1" },
      ]);
      using reopened = pubsub(name).defineAttribute("zone", "1").openOrCreate().unwrap();
      expect(reopened.isClosed).toBe(false);
      expect(pubsub(name).defineAttribute("zone", "2").openOrCreate().unwrapErr().kind).toBe("IncompatibleAttributes");
      expect(pubsub(name).requireAttributeKey("missing").openOrCreate().unwrapErr().kind).toBe("IncompatibleAttributes");
    });

    it("survive a change of the builder's type (userHeader)", () => {
      const name = serviceName("user-header");
      const Header = struct("AttributeHeader", { tag: u8 });
      using service = pubsub(name).defineAttribute("with", "header").userHeader(Header).create().unwrap();
      // The struct header's field layout is recorded next to them (see layout-check.ts).
      expect(service.staticConfig().unwrap().attributes).toEqual([
        { key: "iox2js.layout.user-header", value: "v1 3217dfa55c048266 1 tag:u8@0" },
        { key: "with", value: "header" },
      ]);
    });

    it("reject empty, too long and non-string keys and values with InvalidArgument", () => {
      const name = serviceName("invalid");
      const define = (key: unknown, value: unknown) => pubsub(name).defineAttribute(key as string, value as string).create();
      expect(define("", "1").unwrapErr().kind).toBe("InvalidArgument");
      expect(define("k", "").unwrapErr().kind).toBe("InvalidArgument");
      expect(define("k".repeat(65), "1").unwrapErr().kind).toBe("InvalidArgument");
      expect(define("k", "v".repeat(257)).unwrapErr().kind).toBe("InvalidArgument");
      // iceoryx2 stores attributes as ASCII without NUL.
      const nonAscii = define("k", "caf\u00e9").unwrapErr();
      expect([nonAscii.kind, nonAscii.message.includes("ASCII")]).toEqual(["InvalidArgument", true]);
      expect(define("a\u0000b", "1").unwrapErr().kind).toBe("InvalidArgument");
      expect(define(7, "1").unwrapErr().kind).toBe("InvalidArgument");
      expect(define("k", null).unwrapErr().kind).toBe("InvalidArgument");
      expect(pubsub(name).requireAttribute("", "1").open().unwrapErr().kind).toBe("InvalidArgument");
      expect(pubsub(name).requireAttributeKey("").open().unwrapErr().kind).toBe("InvalidArgument");
      // Required keys are checked even when creating, where they play no part.
      expect(pubsub(name).requireAttributeKey("k".repeat(65)).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(Service.doesExist(name, "publishSubscribe", { prefix: isolation.prefix }).unwrap()).toBe(false);

      using longest = define("k".repeat(64), "v".repeat(256)).unwrap();
      expect(longest.staticConfig().unwrap().attributes).toEqual([{ key: "k".repeat(64), value: "v".repeat(256) }]);
    });

    it("are limited to eight per service (LimitReached)", () => {
      const builder = pubsub(serviceName("many"));
      for (let i = 0; i < 9; i++) builder.defineAttribute(`key${i}`, "v");
      expect(builder.create().unwrapErr().kind).toBe("LimitReached");
    });
  });
}
