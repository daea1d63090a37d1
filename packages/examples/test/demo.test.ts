import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("the cross-process demo", () => {
  it("delivers every SensorData struct intact from a Node publisher to Node, Deno and Bun subscriber processes", () => {
    const demo = fileURLToPath(new URL("../dist/demo/demo.js", import.meta.url));
    const output = execFileSync(process.execPath, [demo], { encoding: "utf8", timeout: 100_000 });
    for (const runtime of ["node", "deno", "bun"]) {
      expect(output).toContain(`[subscriber ${runtime}] summary: expected=2000 received=2000 intact=2000`);
    }
    expect(output).toMatch(/3 subscriber processes \(node, deno, bun\) received 6000 of 6000 intact/);
  });
});
