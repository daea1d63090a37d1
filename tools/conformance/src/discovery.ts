import type { Harness } from "./harness.ts";
import { Isolation } from "./isolation.ts";

/** Discovery (services, nodes, dead nodes), configuration and domains. */
export default function discovery(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { NodeBuilder, Node, Service, isolatedConfig, resolveConfig, u64, u32 } = h.api;
  const isolation = new Isolation(h, "discovery");
  /** A domain of its own per test, all under the suite's prefix so cleanUp() covers them. */
  const domain = (label: string) => ({ prefix: `${isolation.prefix}${label}_` });
  const nodeIn = (config: object, name = "discovery") => new NodeBuilder().name(name).config(config).create().unwrap();
  const configFile = (label: string) => `/tmp/${isolation.prefix}${label}.toml`;

  afterAll(() => {
    expect(isolation.cleanUp()).toEqual([]);
  });

  describe("service discovery", () => {
    it("lists every service of its domain with its pattern, static config and attributes", () => {
      const config = domain("list");
      using node = nodeIn(config, "lister");
      using pubsub = node.serviceBuilder("Discovery/Listed").publishSubscribe(u64).defineAttribute("role", "sensor").maxSubscribers(3).create().unwrap();
      using event = node.serviceBuilder("Discovery/Listed").event().maxListeners(5).create().unwrap();

      const listed = Service.list(config).unwrap().sort((a, b) => a.pattern.localeCompare(b.pattern));
      expect(listed.map((s) => [s.name, s.pattern])).toEqual([
        ["Discovery/Listed", "event"],
        ["Discovery/Listed", "publishSubscribe"],
      ]);
      const [eventInfo, pubsubInfo] = listed;
      if (pubsubInfo?.pattern !== "publishSubscribe" || eventInfo?.pattern !== "event") throw new Error("patterns");
      expect(pubsubInfo.payload).toEqual({ variant: "fixedSize", typeName: "u64", size: 8, alignment: 8 });
      expect(pubsubInfo.qos).toEqual(pubsub.staticConfig().unwrap().qos);
      expect(pubsubInfo.attributes).toEqual([{ key: "role", value: "sensor" }]);
      expect(pubsubInfo.nodes?.map((n) => [n.name, n.state])).toEqual([["lister", "alive"]]);
      expect(eventInfo.qos).toEqual(event.staticConfig().unwrap().qos);
      expect(eventInfo.id).not.toBe(pubsubInfo.id);

      expect(Service.details("Discovery/Listed", "publishSubscribe", config).unwrap()).toEqual(pubsubInfo);
      expect(Service.details("Discovery/Listed", "blackboard", config).unwrap()).toBeNull();
      expect(Service.doesExist("Discovery/Listed", "event", config).unwrap()).toBe(true);
      expect(Service.doesExist("Discovery/Listed", "requestResponse", config).unwrap()).toBe(false);
      expect(Service.doesExist("Discovery/Other", "event", config).unwrap()).toBe(false);

      pubsub.close();
      event.close();
      expect(Service.list(config).unwrap()).toEqual([]);
    });

    it("keeps domains apart: a service under one prefix is invisible under another", () => {
      const a = domain("domain_a");
      const b = domain("domain_b");
      using nodeA = nodeIn(a, "in-a");
      using nodeB = nodeIn(b, "in-b");
      using service = nodeA.serviceBuilder("Discovery/Domain").publishSubscribe(u32).create().unwrap();
      expect(service.isClosed).toBe(false);

      expect(nodeB.serviceBuilder("Discovery/Domain").publishSubscribe(u32).open().unwrapErr().kind).toBe("ServiceNotFound");
      expect(Service.list(b).unwrap()).toEqual([]);
      expect(Service.doesExist("Discovery/Domain", "publishSubscribe", b).unwrap()).toBe(false);
      expect(Service.list(a).unwrap().map((s) => s.name)).toEqual(["Discovery/Domain"]);
      expect(Node.list(b).unwrap().map((n) => n.name)).toEqual(["in-b"]);
      // The same name under B is another service altogether.
      using other = nodeB.serviceBuilder("Discovery/Domain").publishSubscribe(u64).create().unwrap();
      expect(other.staticConfig().unwrap().payload.typeName).toBe("u64");
    });

    it("fails with IncompatibleMessagingPattern when the name exists under another pattern", () => {
      // iceoryx2 0.10 identifies a service by name and pattern together: the name can carry a
      // service per pattern, and an event opener would find nothing; the error names what exists.
      const config = domain("pattern");
      using node = nodeIn(config);
      using pubsub = node.serviceBuilder("Discovery/Pattern").publishSubscribe(u64).create().unwrap();
      expect(pubsub.isClosed).toBe(false);
      const error = node.serviceBuilder("Discovery/Pattern").event().open().unwrapErr();
      expect([error.kind, error.message.includes("publishSubscribe")]).toEqual(["IncompatibleMessagingPattern", true]);
      expect(Service.doesExist("Discovery/Pattern", "event", config).unwrap()).toBe(false);
      using event = node.serviceBuilder("Discovery/Pattern").event().create().unwrap();
      expect(event.isClosed).toBe(false);
      expect(Service.list(config).unwrap().map((s) => s.pattern).sort()).toEqual(["event", "publishSubscribe"]);
    });

    it("rejects bad queries with typed errors", () => {
      const config = domain("bad_query");
      const details = Service.details as (...args: unknown[]) => ReturnType<typeof Service.details>;
      expect(details("A", "pubsub", config).unwrapErr().kind).toBe("InvalidArgument");
      expect(details(42, "event", config).unwrapErr().kind).toBe("InvalidName");
      expect(Service.doesExist("", "event", config).unwrapErr().kind).toBe("InvalidName");
      expect(Service.list({ prefix: "a/b" }).unwrapErr().kind).toBe("InvalidName");
      expect(Service.list({ bogus: 1 } as object).unwrapErr().kind).toBe("InvalidArgument");
      expect(Node.list(null as unknown as object).unwrapErr().kind).toBe("InvalidArgument");
      expect(Node.cleanupDeadNodes({ prefix: "" }).unwrapErr().kind).toBe("InvalidArgument");
    });
  });

  describe("nodes", () => {
    it("lists nodes with their state, id, name and process id", () => {
      const config = domain("nodes");
      using first = nodeIn(config, "first");
      using second = nodeIn(config, "second");
      const listed = Node.list(config).unwrap().sort((a, b) => String(a.name).localeCompare(String(b.name)));
      expect(listed.map((n) => [n.state, n.name, n.pid])).toEqual([
        ["alive", "first", h.pid],
        ["alive", "second", h.pid],
      ]);
      expect(listed.map((n) => n.id)).toEqual([first.id, second.id]);
      expect(first.id).not.toBe(second.id);
      expect(first.config.global.prefix).toBe(config.prefix);
      expect(first.config.defaults.publishSubscribe.maxSubscribers).toBe(8);
      second.close();
      expect(Node.list(config).unwrap().map((n) => n.name)).toEqual(["first"]);
    });

    it("remembers id and config but not the name after close", () => {
      const node = nodeIn(domain("details"), "details");
      const { id, config } = node;
      node.close();
      expect(node.id).toBe(id);
      expect(node.config).toBe(config);
      let kind: unknown;
      try {
        void node.name;
      } catch (error) {
        kind = (error as { kind?: unknown }).kind;
      }
      expect(kind).toBe("HandleClosed");
    });

    it("reports the node of a killed process as dead and removes its stale resources", async () => {
      const config = domain("dead");
      const child = await h.spawnNode(config, "doomed");
      const alive = Node.list(config).unwrap();
      expect(alive.map((n) => [n.state, n.name, n.pid])).toEqual([["alive", "doomed", child.pid]]);
      await child.kill();

      const dead = Node.list(config).unwrap();
      expect(dead.map((n) => [n.state, n.name, n.pid])).toEqual([["dead", "doomed", child.pid]]);
      const report = Node.cleanupDeadNodes(config).unwrap();
      expect(report.removed.map((n) => n.id)).toEqual([dead[0]!.id]);
      expect(report.failed).toEqual([]);
      expect(Node.list(config).unwrap()).toEqual([]);
      expect(Node.cleanupDeadNodes(config).unwrap()).toEqual({ removed: [], failed: [] });
    });

    it("cleans up one dead node by id, waiting at most the timeout given", async () => {
      const config = domain("dead-one");
      const first = await h.spawnNode(config, "first");
      const second = await h.spawnNode(config, "second");
      await first.kill();
      await second.kill();
      const dead = Node.list(config).unwrap();
      const target = dead.find((n) => n.pid === first.pid)!;
      const report = Node.cleanupDeadNodes(config, { nodeId: target.id, timeoutMs: 100 }).unwrap();
      expect(report.removed.map((n) => n.id)).toEqual([target.id]);
      expect(Node.list(config).unwrap().map((n) => n.pid)).toEqual([second.pid]);
      expect(Node.cleanupDeadNodes(config, { timeoutMs: -1 }).unwrapErr().kind).toBe("InvalidArgument");
      expect(Node.cleanupDeadNodes(config).unwrap().removed.map((n) => n.pid)).toEqual([second.pid]);
    });

    it("cleans up only the dead nodes registered with a service", async () => {
      const config = domain("dead-service");
      const service = "Discovery/Cleanup/Camera";
      const user = await h.spawnNode(config, "user", service);
      const bystander = await h.spawnNode(config, "bystander");
      await user.kill();
      await bystander.kill();
      const report = Node.cleanupDeadNodes(config, { service: { name: service, pattern: "publishSubscribe" } }).unwrap();
      expect(report.removed.map((n) => n.pid)).toEqual([user.pid]);
      expect(Node.list(config).unwrap().map((n) => [n.state, n.pid])).toEqual([["dead", bystander.pid]]);
      const none = Node.cleanupDeadNodes(config, { service: { name: "Discovery/Cleanup/Missing", pattern: "event" } }).unwrap();
      expect(none).toEqual({ removed: [], failed: [] });
      const bad = Node.cleanupDeadNodes(config, { service: { name: "", pattern: "event" } });
      expect(bad.isErr() && bad.error.kind).toBe("InvalidName");
      expect(Node.cleanupDeadNodes(config).unwrap().removed.map((n) => n.pid)).toEqual([bystander.pid]);
    });

    it("names a service's hash and incarnation, and the iceoryx2 version that created it", () => {
      const config = domain("identity");
      using node = nodeIn(config);
      const name = "Discovery/Identity";
      const service = node.serviceBuilder(name).publishSubscribe(u64).create().unwrap();
      const first = service.staticConfig().unwrap();
      const details = Service.details(name, "publishSubscribe", config).unwrap()!;
      expect(first.serviceHash).toBe(details.id);
      expect(first.uniqueServiceId).toMatch(/^[0-9a-f]{1,32}$/);
      expect(details.iceoryx2Version).toBe("0.10.0");
      service.close();
      using again = node.serviceBuilder(name).publishSubscribe(u64).create().unwrap();
      expect(again.staticConfig().unwrap().serviceHash).toBe(first.serviceHash);
      expect(again.staticConfig().unwrap().uniqueServiceId).not.toBe(first.uniqueServiceId);
    });

    it("refuses to remove a service by force while a live node uses it", () => {
      const config = domain("force");
      using node = nodeIn(config);
      const service = node.serviceBuilder("Discovery/Forced").event().create().unwrap();
      const refused = node.forceRemoveService("Discovery/Forced", "event");
      expect(refused.isErr() && refused.error.kind).toBe("ServiceInUse");
      expect(refused.isErr() && refused.error.message).toContain("live node");
      expect(Service.doesExist("Discovery/Forced", "event", config).unwrap()).toBe(true);
      service.close();
      expect(node.forceRemoveService("Discovery/Forced", "event").unwrap()).toBe(false); // closing removed it already
      expect(node.forceRemoveService("Discovery/Forced", "nope" as never).unwrapErr().kind).toBe("InvalidArgument");
    });
  });

  describe("config", () => {
    it("resolves iceoryx2's built-in config with defaults overridden per pattern", () => {
      const builtIn = resolveConfig().unwrap();
      expect(builtIn.source).toBeNull();
      expect(builtIn.global.prefix).toBe("iox2_");
      expect(builtIn.global.creationTimeoutMs).toBe(1000);
      expect(builtIn.defaults.publishSubscribe).toMatchObject({ maxSubscribers: 8, maxPublishers: 2, backpressureStrategy: "retryUntilDelivered" });

      const resolved = resolveConfig({
        defaults: {
          publishSubscribe: { maxSubscribers: 3, enableSafeOverflow: false, backpressureStrategy: "discardData" },
          event: { deadlineMs: 250, notifierDeadEvent: 7 },
          requestResponse: { maxClients: 5 },
          blackboard: { maxReaders: 2 },
        },
      }).unwrap();
      expect(resolved.defaults.publishSubscribe).toMatchObject({ maxSubscribers: 3, maxPublishers: 2, enableSafeOverflow: false, backpressureStrategy: "discardData" });
      expect(resolved.defaults.event).toMatchObject({ deadlineMs: 250, notifierDeadEvent: 7, maxListeners: 16 });
      expect(resolved.defaults.requestResponse.maxClients).toBe(5);
      expect(resolved.defaults.blackboard.maxReaders).toBe(2);
    });

    it("gives new services the node's defaults", () => {
      const config = { ...domain("defaults"), defaults: { publishSubscribe: { maxSubscribers: 3, publisherHistorySize: 2 }, event: { maxNotifiers: 4 } } };
      using node = nodeIn(config);
      expect(node.config.defaults.publishSubscribe.maxSubscribers).toBe(3);
      using pubsub = node.serviceBuilder("Discovery/Defaults").publishSubscribe(u64).create().unwrap();
      expect(pubsub.staticConfig().unwrap().qos).toMatchObject({ maxSubscribers: 3, historySize: 2 });
      using event = node.serviceBuilder("Discovery/Defaults").event().create().unwrap();
      expect(event.staticConfig().unwrap().qos.maxNotifiers).toBe(4);
    });

    it("loads a TOML file, with explicit options overriding it", () => {
      const file = configFile("good");
      const prefix = `${isolation.prefix}from_file_`;
      h.writeFile(file, `[global]\nprefix = "${prefix}"\n\n[defaults.publish-subscribe]\nmax-publishers = 7\n`);
      try {
        const resolved = resolveConfig({ file }).unwrap();
        expect([resolved.source, resolved.global.prefix, resolved.defaults.publishSubscribe.maxPublishers]).toEqual([file, prefix, 7]);
        expect(resolveConfig({ file, prefix: "mine_" }).unwrap().global.prefix).toBe("mine_");
        using node = nodeIn({ file });
        expect(node.config.global.prefix).toBe(prefix);
        using service = node.serviceBuilder("Discovery/FromFile").publishSubscribe(u64).create().unwrap();
        expect(service.staticConfig().unwrap().qos.maxPublishers).toBe(7);
        expect(Service.list({ prefix }).unwrap().map((s) => s.name)).toEqual(["Discovery/FromFile"]);
      } finally {
        h.removeFile(file);
      }
    });

    it("names the file, line and column of a malformed config file", () => {
      const file = configFile("malformed");
      h.writeFile(file, `[global]\nprefix = "ok_"\nroot-path = /tmp/unquoted\n`);
      try {
        const error = resolveConfig({ file }).unwrapErr();
        expect(error.kind).toBe("ConfigError");
        expect(error.message).toContain(file);
        expect(error.message).toMatch(/line 3, column \d+/);
        const fromNode = new NodeBuilder().config({ file }).create().unwrapErr();
        expect([fromNode.kind, fromNode.message]).toEqual([error.kind, error.message]);
        h.writeFile(file, `[defaults.event]\nmax-listeners = "many"\n`);
        expect(resolveConfig({ file }).unwrapErr().message).toContain("line 2");
      } finally {
        h.removeFile(file);
      }
      const missing = resolveConfig({ file: configFile("missing") }).unwrapErr();
      expect([missing.kind, missing.message.includes(configFile("missing"))]).toEqual(["ConfigError", true]);
    });

    it("rejects bad options with typed errors that name the key", () => {
      const cases: [object, string][] = [
        [{ defaults: { publishSubscribe: { maxSubscriber: 3 } } }, "defaults.publishSubscribe.maxSubscriber"],
        [{ defaults: { pubSub: {} } }, "defaults.pubSub"],
        [{ defaults: { publishSubscribe: { maxSubscribers: -1 } } }, "maxSubscribers"],
        [{ defaults: { publishSubscribe: { maxSubscribers: Number.NaN } } }, "maxSubscribers"],
        [{ defaults: { publishSubscribe: { maxSubscribers: 2 ** 40 } } }, "maxSubscribers"],
        [{ defaults: { publishSubscribe: { maxSubscribers: 1n } } }, "bigints"],
        [{ defaults: { event: { deadlineMs: -5 } } }, "deadlineMs"],
        [{ defaults: [] }, "defaults"],
        [{ file: "/tmp/x.toml", builtInDefaults: true }, "builtInDefaults"],
        [{ builtInDefaults: "yes" }, "builtInDefaults"],
        [{ prefix: 7 }, "prefix"],
      ];
      for (const [options, named] of cases) {
        const error = resolveConfig(options).unwrapErr();
        expect([error.kind, error.message.includes(named)]).toEqual(["InvalidArgument", true]);
        expect(new NodeBuilder().config(options).create().unwrapErr().kind).toBe("InvalidArgument");
      }
      expect(resolveConfig({ prefix: "p".repeat(200) }).unwrapErr().kind).toBe("ConfigError");
      expect(resolveConfig({ rootPath: `/tmp/${"r".repeat(240)}` }).unwrapErr().kind).toBe("ConfigError");
    });

    it("follows upstream's search order by default, and ignores config files on request", () => {
      expect(resolveConfig({ builtInDefaults: true }).unwrap().source).toBe(null);
      const resolved = resolveConfig({ prefix: domain("search").prefix }).unwrap();
      // Which file exists depends on the machine; the source is one of upstream's places or none.
      expect([null, "config/iceoryx2.toml", "/etc/iceoryx2/iceoryx2.toml"].includes(resolved.source) || /\/iceoryx2\/iceoryx2\.toml$/.test(String(resolved.source))).toBe(true);
      expect(resolved.global.prefix).toBe(domain("search").prefix);
    });

    it("isolatedConfig gives every call a fresh prefix", () => {
      const first = isolatedConfig("conformance");
      const second = isolatedConfig("conformance");
      expect(first.prefix).not.toBe(second.prefix);
      expect(first.prefix).toMatch(/^iox2js_conformance_\w+_$/);
      expect(Service.list(first).unwrap()).toEqual([]);
    });
  });
}
