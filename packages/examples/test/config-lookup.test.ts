/**
 * Upstream's config lookup, as a user meets it: a process started in a directory whose
 * `config/iceoryx2.toml` is malformed warns, naming file and line, and runs on the built-in
 * defaults, as upstream's programs do; a well-formed one is used (its prefix holds the node).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RUNTIMES } from "@iceoryx2-js/runtimes";
import { Node } from "@iceoryx2-js/node";
import { describe, expect, it } from "vitest";
import { exampleProcess, isolatedWorkdir, removeSharedMemory } from "./workdir.js";

const filePrefix = `iox2js_cfg_${process.pid}_`;

describe.concurrent("config files, found as upstream finds them", () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime}: a malformed config/iceoryx2.toml is skipped with a warning naming its line`, async () => {
      const workdir = isolatedWorkdir(`${filePrefix}${runtime}_bad_`);
      try {
        writeFileSync(join(workdir.cwd, "config", "iceoryx2.toml"), `[global]\nprefix = "${filePrefix}never_"\n[defaults.event\n`);
        const subscriber = exampleProcess(runtime, "publish_subscribe", "subscriber", workdir.cwd);
        await subscriber.line(/^Subscriber ready/);
        const warning = subscriber.errorLines.find((line) => line.includes("config file"));
        expect(warning, subscriber.describe()).toMatch(/config\/iceoryx2\.toml.*line 3.*skipped/);
        // Skipped means not used: the node lives under the built-in prefix, not the file's.
        expect(Node.list({ prefix: `${filePrefix}never_`, builtInDefaults: true }).unwrap()).toEqual([]);
        expect(Node.list({ builtInDefaults: true }).unwrap().map((n) => n.pid)).toContain(subscriber.pid);
        subscriber.kill("SIGINT");
        expect(await subscriber.exitCode(10_000), subscriber.describe()).toBe(0);
      } finally {
        workdir.remove();
      }
    });

    it(`${runtime}: a well-formed config/iceoryx2.toml is used`, async () => {
      const prefix = `${filePrefix}${runtime}_good_`;
      const workdir = isolatedWorkdir(prefix);
      try {
        const subscriber = exampleProcess(runtime, "publish_subscribe", "subscriber", workdir.cwd);
        await subscriber.line(/^Subscriber ready/);
        expect(Node.list({ prefix, builtInDefaults: true }).unwrap().map((n) => n.pid)).toEqual([subscriber.pid]);
        subscriber.kill("SIGTERM");
        expect(await subscriber.exitCode(10_000), subscriber.describe()).toBe(0);
      } finally {
        workdir.remove();
        removeSharedMemory(prefix);
      }
    });
  }
});
