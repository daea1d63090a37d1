import type { AbortSignalLike } from "@iceoryx2-js/core-api";
import type { Harness } from "./harness.ts";

/** The web AbortController every runtime has (the suite compiles without DOM or runtime types). */
const { AbortController, setTimeout, clearTimeout } = globalThis as unknown as {
  AbortController: new () => { readonly signal: AbortSignalLike; abort(reason?: unknown): void };
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
};
import { Isolation } from "./isolation.ts";

/**
 * Events and everything that waits: notifier/listener, deadlines, the non-blocking `wait()`,
 * WaitSet, and publish-subscribe's `samples()` over the companion event service.
 */
export default function event(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { Iox2Error, PubSubEvent, WaitSetBuilder, u64 } = h.api;
  const isolation = new Isolation(h, "event");
  const node = isolation.node();
  const serviceName = (label: string) => isolation.serviceName(label);

  afterAll(() => {
    node.close();
    expect(isolation.cleanUp()).toEqual([]);
  });

  function errorOf(result: { isErr(): boolean; error?: unknown }): InstanceType<typeof Iox2Error> {
    expect(result.isErr()).toBe(true);
    return (result as { error: InstanceType<typeof Iox2Error> }).error;
  }

  function expectErr(result: { isErr(): boolean; error?: unknown }, kind: string): void {
    expect(result.isErr()).toBe(true);
    const error = (result as { error: InstanceType<typeof Iox2Error> }).error;
    expect(error).toBeInstanceOf(Iox2Error);
    expect(error.kind).toBe(kind);
  }

  /** Resolves after `turns` event-loop turns (a timer keeps firing while a wait is pending). */
  const turns = async (count: number) => {
    for (let i = 0; i < count; i++) await h.nextTurn();
  };

  function eventService(label: string, configure?: (b: ReturnType<ReturnType<typeof node.serviceBuilder>["event"]>) => void) {
    const builder = node.serviceBuilder(serviceName(label)).event();
    configure?.(builder);
    return builder.create().unwrap();
  }

  describe("event", () => {
    it("delivers custom and default event ids with counts", () => {
      using service = eventService("ids");
      using listener = service.listenerBuilder().create().unwrap();
      using notifier = service.notifierBuilder().defaultEventId(3).create().unwrap();
      expect(listener.tryWait().unwrap()).toEqual([]);
      expect(notifier.notify().unwrap()).toBe(1);
      expect(notifier.notifyWithCustomEventId(12).unwrap()).toBe(1);
      notifier.notifyWithCustomEventId(12).unwrap();
      const events = listener.tryWait().unwrap();
      const byId = new Map(events.map((e) => [e.id, e.count]));
      expect(byId.get(3)).toBe(1);
      expect(byId.get(12)).toBeGreaterThan(0);
      expect(listener.tryWait().unwrap()).toEqual([]);
    });

    it("takes many distinct ids in one wait, each with its count", () => {
      // More ids than one native take describes (32): the rest are paged through.
      using service = eventService("many-ids", (b) => b.eventIdMaxValue(99));
      using listener = service.listenerBuilder().create().unwrap();
      using notifier = service.notifierBuilder().create().unwrap();
      for (let id = 0; id < 70; id++) notifier.notifyWithCustomEventId(id).unwrap();
      notifier.notifyWithCustomEventId(69).unwrap();
      const events = listener.tryWait().unwrap();
      expect(events.length).toBe(70);
      expect(events.map((e) => e.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 70 }, (_, id) => id));
      expect(events.find((e) => e.id === 69)?.count).toBeGreaterThan(0);
      expect(listener.tryWait().unwrap()).toEqual([]);
    });

    it("gives notifiers and listeners system-wide unique ids, as upstream prints them", () => {
      using service = eventService("ids");
      using notifier = service.notifierBuilder().create().unwrap();
      using a = service.listenerBuilder().create().unwrap();
      using b = service.listenerBuilder().create().unwrap();
      const ids = [notifier.id, a.id, b.id];
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{1,32}$/);
      expect(new Set(ids).size).toBe(3);
      a.close();
      expect(a.id).toBe(ids[1]); // read once while open, then remembered
    });

    it("names ports, lists a notifier's listeners, and notifies one listener by id", () => {
      using service = eventService("targeted");
      using notifier = service.notifierBuilder().name("bell").create().unwrap();
      using first = service.listenerBuilder().name("first").create().unwrap();
      using second = service.listenerBuilder().create().unwrap();
      expect([notifier.name, first.name, second.name]).toEqual(["bell", "first", ""]);
      const listed = notifier.listeners().unwrap().sort((x, y) => x.name.localeCompare(y.name));
      expect(listed).toEqual([
        { id: second.id, name: "", nodeId: node.id },
        { id: first.id, name: "first", nodeId: node.id },
      ]);
      expect(notifier.updateConnections().isOk()).toBe(true);
      const ports = service.ports().unwrap();
      expect(ports.notifiers).toEqual([{ id: notifier.id, name: "bell", nodeId: node.id }]);
      expect(ports.listeners.map((l) => l.name).sort()).toEqual(["", "first"]);
      expect(notifier.notifyListener(first.id, 7).unwrap()).toBe(1);
      expect(first.tryWait().unwrap()).toEqual([{ id: 7, count: 1 }]);
      expect(second.tryWait().unwrap()).toEqual([]); // only the addressed listener woke
      const gone = second.id;
      second.close();
      expect(notifier.notifyListener(gone).unwrap()).toBe(0);
      expect(notifier.notifyListener("0").unwrap()).toBe(0);
      expectErr(notifier.notifyListener(first.id, 100_000), "OutOfBounds");
      expectErr(notifier.notifyListener(42 as never), "InvalidArgument");
      expectErr(service.listenerBuilder().name("x".repeat(65)).create(), "InvalidArgument");
    });

    it("reports its QoS and reaches every listener", () => {
      using service = eventService("qos", (b) => b.maxListeners(3).maxNotifiers(2).eventIdMaxValue(64).deadline(5000));
      const config = service.staticConfig().unwrap();
      expect(config.qos).toMatchObject({ maxListeners: 3, maxNotifiers: 2, eventIdMaxValue: 64, deadlineMs: 5000 });
      using a = service.listenerBuilder().create().unwrap();
      using b = service.listenerBuilder().create().unwrap();
      expect(a.deadline).toBe(5000);
      using notifier = service.notifierBuilder().create().unwrap();
      expect(notifier.deadline).toBe(5000);
      expect(notifier.notifyWithCustomEventId(64).unwrap()).toBe(2);
      expect(b.tryWait().unwrap()).toEqual([{ id: 64, count: 1 }]);
    });

    it("rejects an event id above the maximum with OutOfBounds, and bad ids with InvalidArgument", () => {
      using service = eventService("max-id", (b) => b.eventIdMaxValue(8));
      using notifier = service.notifierBuilder().create().unwrap();
      expectErr(notifier.notifyWithCustomEventId(9), "OutOfBounds");
      expect(errorOf(notifier.notifyWithCustomEventId(9)).message).toContain("event id 9 exceeds this service's maximum 8 (eventIdMaxValue)");
      for (const bad of [-1, 1.5, Number.NaN, "3", 2 ** 60]) {
        expectErr(notifier.notifyWithCustomEventId(bad as number), "InvalidArgument");
      }
      expectErr(service.notifierBuilder().defaultEventId(-2).create(), "InvalidArgument");
      expect(notifier.notifyWithCustomEventId(8).unwrap()).toBe(0);
    });

    it("sends the notifier created and dropped events", () => {
      using service = eventService("lifecycle", (b) => b.notifierCreatedEvent(1).notifierDroppedEvent(2));
      using listener = service.listenerBuilder().create().unwrap();
      const notifier = service.notifierBuilder().create().unwrap();
      expect(listener.tryWait().unwrap()).toEqual([{ id: 1, count: 1 }]);
      notifier.close();
      expect(listener.tryWait().unwrap()).toEqual([{ id: 2, count: 1 }]);
    });

    it("reports a missed deadline on notify after the listeners were notified", async () => {
      using service = eventService("deadline", (b) => b.deadline(1));
      using listener = service.listenerBuilder().create().unwrap();
      using notifier = service.notifierBuilder().create().unwrap();
      const start = Date.now();
      while (Date.now() - start < 5) await h.nextTurn();
      expectErr(notifier.notify(), "MissedDeadline");
      expect(listener.tryWait().unwrap()).toEqual([{ id: 0, count: 1 }]);
    });

    it("fails with IncompatibleMessagingPattern when the name belongs to another pattern", () => {
      const name = serviceName("pattern");
      using pubsub = node.serviceBuilder(name).publishSubscribe(u64).create().unwrap();
      expectErr(node.serviceBuilder(name).event().open(), "IncompatibleMessagingPattern");
      expect(pubsub.isClosed).toBe(false);
    });

    it("fails opening with stricter QoS and bad options", () => {
      const name = serviceName("strict");
      using service = node.serviceBuilder(name).event().maxListeners(2).create().unwrap();
      expectErr(node.serviceBuilder(name).event().maxListeners(4).open(), "IncompatibleQos");
      expect(errorOf(node.serviceBuilder(name).event().maxListeners(4).open()).message).toContain("maxListeners: the service has 2, this opener asks for 4");
      expectErr(node.serviceBuilder(name).event().maxListeners(0).open(), "InvalidArgument");
      expectErr(node.serviceBuilder(name).event().deadline(-1).open(), "InvalidArgument");
      expectErr(node.serviceBuilder(name).event().create(), "ServiceAlreadyExists");
      expect(errorOf(node.serviceBuilder(name).event().create()).message).toMatch(/^cannot create event service '.*': it already exists; open it with open\(\) or openOrCreate\(\)/);
      expect(service.isClosed).toBe(false);
    });

    it("limits listeners to maxListeners", () => {
      using service = eventService("limit", (b) => b.maxListeners(1));
      using first = service.listenerBuilder().create().unwrap();
      expectErr(service.listenerBuilder().create(), "LimitReached");
      expect(first.isClosed).toBe(false);
    });

    it("blocks in timedWait only as long as asked and returns the events", () => {
      using service = eventService("timed");
      using listener = service.listenerBuilder().create().unwrap();
      using notifier = service.notifierBuilder().create().unwrap();
      expect(listener.timedWait(1).unwrap()).toEqual([]);
      notifier.notifyWithCustomEventId(5).unwrap();
      expect(listener.timedWait(1000).unwrap()).toEqual([{ id: 5, count: 1 }]);
      expectErr(listener.timedWait(-1), "InvalidArgument");
      notifier.notify().unwrap();
      expect(listener.blockingWait().unwrap()).toEqual([{ id: 0, count: 1 }]);
    });
  });

  describe("awaiting events without blocking the event loop", () => {
    it("wakes an awaited listener while timers keep running", async () => {
      using service = eventService("await");
      using listener = service.listenerBuilder().create().unwrap();
      using notifier = service.notifierBuilder().create().unwrap();
      const waiting = listener.wait({ timeout: 10_000 });
      let turnsWhileWaiting = 0;
      let settled = false;
      void waiting.then(() => (settled = true));
      for (; turnsWhileWaiting < 5; turnsWhileWaiting++) await h.nextTurn();
      expect(settled).toBe(false);
      notifier.notifyWithCustomEventId(7).unwrap();
      expect((await waiting).unwrap()).toEqual([{ id: 7, count: 1 }]);
      expect(turnsWhileWaiting).toBe(5);
    });

    it("returns no events when the timeout passes first", async () => {
      using service = eventService("await-timeout");
      using listener = service.listenerBuilder().create().unwrap();
      expect((await listener.wait({ timeout: 5 })).unwrap()).toEqual([]);
      expect((await listener.wait({ timeout: 0 })).unwrap()).toEqual([]);
    });

    it("ends with Aborted when the signal aborts, before or during the wait", async () => {
      using service = eventService("await-abort");
      using listener = service.listenerBuilder().create().unwrap();
      const controller = new AbortController();
      const waiting = listener.wait({ signal: controller.signal });
      await turns(2);
      controller.abort(new Error("shutting down"));
      expectErr(await waiting, "Aborted");
      expectErr(await listener.wait({ signal: controller.signal }), "Aborted");
      // The listener still works after an aborted wait.
      using notifier = service.notifierBuilder().create().unwrap();
      notifier.notify().unwrap();
      expect((await listener.wait({ timeout: 1000 })).unwrap()).toEqual([{ id: 0, count: 1 }]);
    });

    it("ends with Aborted when the listener is closed while awaited, and HandleClosed afterwards", async () => {
      using service = eventService("await-close");
      const listener = service.listenerBuilder().create().unwrap();
      const waiting = listener.wait();
      await turns(2);
      listener.close();
      expectErr(await waiting, "Aborted");
      expectErr(await listener.wait({ timeout: 1 }), "HandleClosed");
      expectErr(listener.tryWait(), "HandleClosed");
    });

    it("rejects malformed wait options", async () => {
      using service = eventService("await-options");
      using listener = service.listenerBuilder().create().unwrap();
      for (const bad of [{ timeout: -1 }, { timeout: Number.NaN }, { timeout: "1" }, { signal: {} }, 5]) {
        expectErr(await listener.wait(bad as never), "InvalidArgument");
      }
    });

    it("iterates event batches with for await until aborted", async () => {
      using service = eventService("iterate");
      using listener = service.listenerBuilder().create().unwrap();
      using notifier = service.notifierBuilder().create().unwrap();
      const controller = new AbortController();
      const seen: number[] = [];
      const loop = (async () => {
        for await (const batch of listener.events({ signal: controller.signal })) {
          for (const e of batch) seen.push(e.id);
          if (seen.length === 3) controller.abort();
        }
      })();
      for (const id of [1, 2, 3]) {
        notifier.notifyWithCustomEventId(id).unwrap();
        await turns(3);
      }
      await loop;
      expect(seen.sort()).toEqual([1, 2, 3]);
    });
  });

  describe("WaitSet", () => {
    it("tells which listener fired and processes until stopped", async () => {
      using a = eventService("ws-a");
      using b = eventService("ws-b");
      using listenerA = a.listenerBuilder().create().unwrap();
      using listenerB = b.listenerBuilder().create().unwrap();
      using notifierB = b.notifierBuilder().create().unwrap();
      using waitset = new WaitSetBuilder().create().unwrap();
      const guardA = waitset.attachNotification(listenerA).unwrap();
      const guardB = waitset.attachNotification(listenerB).unwrap();
      expect(waitset.len).toBe(2);
      notifierB.notifyWithCustomEventId(4).unwrap();
      const fired: string[] = [];
      const result = await waitset.waitAndProcessOnce(
        (id) => {
          if (id.hasEventFrom(guardA)) fired.push("a");
          if (id.hasEventFrom(guardB)) fired.push(`b:${listenerB.tryWait().unwrap().map((e) => e.id).join()}`);
          return "continue";
        },
        { timeout: 5000 },
      );
      expect(result.unwrap()).toBe("allEventsHandled");
      expect(fired).toEqual(["b:4"]);

      const stopped = waitset.run((id) => (id.hasEventFrom(guardB) ? "stop" : "continue"), { timeout: 5000 });
      await turns(2);
      notifierB.notify().unwrap();
      expect((await stopped).unwrap()).toBe("stopRequest");
      guardA.detach();
      expect(waitset.len).toBe(1);
    });

    it("fires intervals and reports missed deadlines", async () => {
      using service = eventService("ws-deadline");
      using listener = service.listenerBuilder().create().unwrap();
      using waitset = new WaitSetBuilder().create().unwrap();
      const deadline = waitset.attachDeadline(listener, 5).unwrap();
      const interval = waitset.attachInterval(1).unwrap();
      let missed = 0;
      let ticks = 0;
      const result = await waitset.waitAndProcess(
        (id) => {
          if (id.hasMissedDeadline(deadline)) missed++;
          if (id.hasEventFrom(interval)) ticks++;
          return missed > 0 && ticks > 1 ? "stop" : "continue";
        },
        { timeout: 5000 },
      );
      expect(result.unwrap()).toBe("stopRequest");
      expect(missed).toBeGreaterThan(0);
      expect(ticks).toBeGreaterThan(1);
    });

    it("returns allEventsHandled when the timeout passes with nothing to do", async () => {
      using service = eventService("ws-timeout");
      using listener = service.listenerBuilder().create().unwrap();
      using waitset = new WaitSetBuilder().create().unwrap();
      waitset.attachNotification(listener).unwrap();
      let calls = 0;
      expect((await waitset.waitAndProcessOnce(() => void calls++, { timeout: 5 })).unwrap()).toBe("allEventsHandled");
      expect(calls).toBe(0);
    });

    it("refuses closed or duplicate listeners and bad periods, and aborts cleanly", async () => {
      using service = eventService("ws-bad");
      const closed = service.listenerBuilder().create().unwrap();
      closed.close();
      using listener = service.listenerBuilder().create().unwrap();
      using waitset = new WaitSetBuilder().create().unwrap();
      expectErr(await waitset.waitAndProcessOnce(() => "continue"), "InvalidArgument");
      expectErr(waitset.attachNotification(closed), "HandleClosed");
      expectErr(waitset.attachNotification({} as never), "InvalidArgument");
      waitset.attachNotification(listener).unwrap();
      expectErr(waitset.attachNotification(listener), "InvalidArgument");
      expectErr(waitset.attachInterval(0), "InvalidArgument");
      expectErr(waitset.attachDeadline(listener, Number.POSITIVE_INFINITY), "InvalidArgument");
      expectErr(await waitset.waitAndProcessOnce("nope" as never), "InvalidArgument");

      const controller = new AbortController();
      const waiting = waitset.waitAndProcess(() => "continue", { signal: controller.signal });
      await turns(2);
      controller.abort();
      expectErr(await waiting, "Aborted");

      const closing = waitset.waitAndProcess(() => "continue");
      await turns(2);
      listener.close();
      expectErr(await closing, "Aborted");
      waitset.close();
      expectErr(waitset.attachInterval(1), "HandleClosed");
    });
  });

  describe("publish-subscribe wake-ups through the companion event service", () => {
    it("iterates samples with for await as a notifying publisher sends them", async () => {
      const name = serviceName("samples");
      using service = node.serviceBuilder(name).publishSubscribe(u64).subscriberMaxBufferSize(16).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      using publisher = service.publisherBuilder().notifyOnSend().create().unwrap();
      const controller = new AbortController();
      const received: bigint[] = [];
      const loop = (async () => {
        for await (const sample of subscriber.samples({ signal: controller.signal })) {
          received.push(sample.payload as bigint);
          if (received.length === 4) controller.abort();
        }
      })();
      await turns(2);
      publisher.sendCopy(1n).unwrap();
      const loaned = publisher.loan().unwrap();
      loaned.payload = 2n;
      loaned.send().unwrap();
      await turns(2);
      publisher.sendCopy(3n).unwrap();
      publisher.sendCopy(4n).unwrap();
      await loop;
      expect(received).toEqual([1n, 2n, 3n, 4n]);
      // The convention is upstream's: SentSample on the event service of the same name.
      using events = node.serviceBuilder(name).event().open().unwrap();
      expect(PubSubEvent.SentSample).toBe(4);
      expect(events.name).toBe(name);
    });

    it("iterates samples from a publisher that never notifies (polls within pollInterval), creating no event service", async () => {
      const name = serviceName("samples-poll");
      using service = node.serviceBuilder(name).publishSubscribe(u64).subscriberMaxBufferSize(8).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap(); // no notifyOnSend(): as upstream's examples
      const controller = new AbortController();
      const bound = setTimeout(() => controller.abort(new Error("no sample within 20 s")), 20_000);
      const received: bigint[] = [];
      const loop = (async () => {
        for await (const sample of subscriber.samples({ signal: controller.signal, pollInterval: 2 })) {
          received.push(sample.payload as bigint);
          if (received.length === 3) controller.abort();
        }
      })();
      await turns(2);
      for (const value of [7n, 8n, 9n]) publisher.sendCopy(value).unwrap();
      await loop;
      clearTimeout(bound);
      expect(received).toEqual([7n, 8n, 9n]);
      // Only a notifying peer creates the companion event service; polling leaves nothing behind.
      expect(node.serviceBuilder(name).event().open().unwrapErr().kind).toBe("IncompatibleMessagingPattern"); // the name exists only as publish-subscribe
    });

    it("a notifyOnSend() publisher announces itself as upstream's event-based publisher does", () => {
      const name = serviceName("samples-lifecycle");
      using service = node.serviceBuilder(name).publishSubscribe(u64).create().unwrap();
      using events = node.serviceBuilder(name).event().create().unwrap();
      using listener = events.listenerBuilder().create().unwrap();
      const publisher = service.publisherBuilder().notifyOnSend().create().unwrap();
      publisher.sendCopy(1n).unwrap();
      publisher.close();
      const ids = listener.tryWait().unwrap().map((activation) => activation.id);
      expect(ids.sort()).toEqual([PubSubEvent.PublisherConnected, PubSubEvent.PublisherDisconnected, PubSubEvent.SentSample].sort());
    });

    it("keeps delivering while a peer notifies unrelated ids on the event service of the same name", async () => {
      const name = serviceName("samples-noise");
      using service = node.serviceBuilder(name).publishSubscribe(u64).subscriberMaxBufferSize(8).create().unwrap();
      using events = node.serviceBuilder(name).event().create().unwrap();
      using noise = events.notifierBuilder().create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap(); // sends, never notifies
      const controller = new AbortController();
      const bound = setTimeout(() => controller.abort(new Error("no sample within 20 s")), 20_000);
      const received: bigint[] = [];
      const loop = (async () => {
        for await (const sample of subscriber.samples({ signal: controller.signal })) {
          received.push(sample.payload as bigint);
          if (received.length === 2) controller.abort();
        }
      })();
      for (let i = 0; i < 5; i++) {
        noise.notifyWithCustomEventId(99).unwrap(); // wakes the stream, which finds nothing
        await turns(1);
      }
      publisher.sendCopy(1n).unwrap();
      publisher.sendCopy(2n).unwrap();
      await loop;
      clearTimeout(bound);
      expect(received).toEqual([1n, 2n]);
    });

    it("with pollInterval Infinity wakes on events only", async () => {
      const name = serviceName("samples-events-only");
      using service = node.serviceBuilder(name).publishSubscribe(u64).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      using publisher = service.publisherBuilder().create().unwrap();
      const controller = new AbortController();
      const received: bigint[] = [];
      const loop = (async () => {
        for await (const sample of subscriber.samples({ signal: controller.signal, pollInterval: Infinity })) {
          received.push(sample.payload as bigint);
          controller.abort();
        }
      })();
      await turns(2);
      publisher.sendCopy(5n).unwrap();
      await turns(5);
      expect(received).toEqual([]); // nothing notified: not seen yet
      using events = node.serviceBuilder(name).event().open().unwrap();
      using notifier = events.notifierBuilder().create().unwrap();
      notifier.notifyWithCustomEventId(PubSubEvent.SentSample).unwrap();
      await loop;
      expect(received).toEqual([5n]);
    });

    it("rejects a malformed pollInterval with InvalidArgument", async () => {
      using service = node.serviceBuilder(serviceName("samples-bad-poll")).publishSubscribe(u64).create().unwrap();
      using subscriber = service.subscriberBuilder().create().unwrap();
      for (const pollInterval of [0, -1, Number.NaN, "10" as unknown as number]) {
        const error = await subscriber.samples({ pollInterval }).next().then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(Iox2Error);
        expect((error as InstanceType<typeof Iox2Error>).kind).toBe("InvalidArgument");
        expect(String((error as Error).message)).toContain("pollInterval");
      }
    });

    it("ends the iteration when the subscriber closes", async () => {
      using service = node.serviceBuilder(serviceName("samples-close")).publishSubscribe(u64).create().unwrap();
      const subscriber = service.subscriberBuilder().create().unwrap();
      const loop = (async () => {
        let count = 0;
        for await (const _ of subscriber.samples()) count++;
        return count;
      })();
      await turns(2);
      subscriber.close();
      expect(await loop).toBe(0);
    });
  });

  describe("request-response streams awaited through the companion event service", () => {
    it("a server awaits requests and a client iterates the response stream until it ends", async () => {
      const name = serviceName("rr-stream");
      using service = node.serviceBuilder(name).requestResponse(u64, u64).maxResponseBufferSize(8).create().unwrap();
      using server = service.serverBuilder().notifyOnSend().create().unwrap();
      using client = service.clientBuilder().notifyOnSend().create().unwrap();
      const controller = new AbortController();
      const serving = (async () => {
        let served = 0;
        for await (const request of server.requests({ signal: controller.signal })) {
          const n = request.payload as bigint;
          for (let i = 1n; i <= n; i++) request.sendCopy(i * 10n).unwrap();
          request.close(); // ends the stream
          if (++served === 2) controller.abort();
        }
        return served;
      })();
      await turns(2);
      const streams: bigint[][] = [];
      for (const n of [3n, 2n]) {
        const pending = client.sendCopy(n).unwrap();
        const values: bigint[] = [];
        for await (const response of pending.responses()) values.push(response.payload as bigint);
        streams.push(values);
        pending.close();
      }
      expect(await serving).toBe(2);
      expect(streams).toEqual([[10n, 20n, 30n], [10n, 20n]]);
    });

    it("serves and streams between a client and a server that never notify (upstream's examples poll)", async () => {
      using service = node.serviceBuilder(serviceName("rr-poll")).requestResponse(u64, u64).maxResponseBufferSize(8).create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      const controller = new AbortController();
      const receiving = new AbortController();
      const bound = setTimeout(() => [controller, receiving].forEach((c) => c.abort(new Error("not served within 20 s"))), 20_000);
      const serving = (async () => {
        for await (const request of server.requests({ signal: controller.signal, pollInterval: 2 })) {
          request.sendCopy((request.payload as bigint) + 1n).unwrap();
          request.sendCopy((request.payload as bigint) + 2n).unwrap();
          request.close();
          controller.abort();
        }
      })();
      await turns(2);
      const pending = client.sendCopy(40n).unwrap();
      const values: bigint[] = [];
      for await (const response of pending.responses({ signal: receiving.signal, pollInterval: 2 })) values.push(response.payload as bigint);
      await serving;
      clearTimeout(bound);
      expect(values).toEqual([41n, 42n]);
    });

    it("ends the response iteration on abort and when the pending response closes", async () => {
      using service = node.serviceBuilder(serviceName("rr-abort")).requestResponse(u64, u64).create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      const pending = client.sendCopy(1n).unwrap();
      const controller = new AbortController();
      const aborted = (async () => {
        let count = 0;
        for await (const _ of pending.responses({ signal: controller.signal })) count++;
        return count;
      })();
      await turns(2);
      controller.abort();
      expect(await aborted).toBe(0);
      const closing = (async () => {
        let count = 0;
        for await (const _ of pending.responses()) count++;
        return count;
      })();
      await turns(2);
      expect(server.receive().unwrap()?.isConnected).toBe(true);
      pending.close();
      client.close(); // closing the client closes its wake-up listener: the loop ends
      expect(await closing).toBe(0);
    });
  });
}
