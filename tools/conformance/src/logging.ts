import type { Harness } from "./harness.ts";
import { Isolation } from "./isolation.ts";

/** iceoryx2's log level and its log records routed to JavaScript. */
export default function logging(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { u64, onLog, logLevel, setLogLevel, Iox2Error } = h.api;
  const isolation = new Isolation(h, "logging");
  const NOT_FOUND = "Unable to open publish subscribe service since the service does not exist.";

  afterAll(() => {
    setLogLevel("info");
    expect(isolation.cleanUp()).toEqual([]);
  });

  /** Opens a service that does not exist: iceoryx2 logs why at debug level. */
  const openMissing = (label: string) => {
    using node = isolation.node();
    const opened = node.serviceBuilder(isolation.serviceName(label)).publishSubscribe(u64).open();
    expect(opened.isErr() && opened.error.kind).toBe("ServiceNotFound");
  };

  /** Lets the event loop turn until `done()` or 5 s pass. */
  const until = async (done: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!done() && Date.now() < deadline) await h.nextTurn();
  };

  describe("logging", () => {
    it("logLevel() says the level setLogLevel set", () => {
      setLogLevel("error");
      expect(logLevel()).toBe("error");
      setLogLevel("debug");
      expect(logLevel()).toBe("debug");
      setLogLevel("info");
      expect(logLevel()).toBe("info");
    });

    it("onLog receives iceoryx2's records with level, origin and message, in order", async () => {
      setLogLevel("debug");
      const records: { level: string; origin: string; message: string }[] = [];
      const stop = onLog((record) => void records.push(record)).unwrap();
      openMissing("Received");
      await until(() => records.some((r) => r.message === NOT_FOUND));
      stop();
      const record = records.find((r) => r.message === NOT_FOUND);
      expect(record?.level).toBe("debug");
      expect(typeof record?.origin).toBe("string");
      expect(records.every((r) => ["debug", "info", "warn", "error", "fatal"].includes(r.level))).toBe(true);
      setLogLevel("info");
    });

    it("below the level nothing is recorded", async () => {
      setLogLevel("error");
      const records: unknown[] = [];
      const stop = onLog((record) => void records.push(record)).unwrap();
      openMissing("Quiet");
      await h.nextTurn();
      stop();
      expect(records).toEqual([]);
      setLogLevel("info");
    });

    it("stopping delivers what is still queued, and then nothing more", () => {
      setLogLevel("debug");
      const records: { message: string }[] = [];
      const stop = onLog((record) => void records.push(record)).unwrap();
      openMissing("Flushed");
      stop(); // before the event loop turned: the queued records arrive now
      expect(records.map((r) => r.message)).toContain(NOT_FOUND);
      const count = records.length;
      stop();
      expect(records.length).toBe(count);
      setLogLevel("info");
    });

    it("every subscription gets every record, and a throwing handler keeps receiving", async () => {
      setLogLevel("debug");
      let thrown = 0;
      const seen: string[] = [];
      const throwing = onLog(() => {
        thrown++;
        throw new Error("a handler bug");
      }).unwrap();
      const counting = onLog((record) => void seen.push(record.message)).unwrap();
      openMissing("Twice1");
      await until(() => seen.includes(NOT_FOUND));
      const thrownBefore = thrown;
      expect(thrownBefore).toBeGreaterThan(0);
      seen.length = 0;
      openMissing("Twice2");
      await until(() => seen.includes(NOT_FOUND) && thrown > thrownBefore);
      throwing();
      counting();
      expect(thrown).toBeGreaterThan(thrownBefore);
      setLogLevel("info");
    });

    it("onLog refuses what is not a function", () => {
      const result = onLog(42 as never);
      if (!result.isErr()) throw new Error("onLog(42) succeeded");
      expect(result.error).toBeInstanceOf(Iox2Error);
      expect(result.error.kind).toBe("InvalidArgument");
    });
  });
}
