import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("the cross-process demo", () => {
  it("delivers every SensorData struct intact from one Node process to another", () => {
    const demo = fileURLToPath(new URL("../dist/node/demo.js", import.meta.url));
    const output = execFileSync(process.execPath, [demo], { encoding: "utf8", timeout: 100_000 });
    expect(output).toMatch(/summary: expected=2000 received=2000 intact=2000/);
    expect(output).toMatch(/received 2000 intact \(publisher exit 0, subscriber exit 0\)/);
  });
});
