import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";

describe("the README's usage example", () => {
  it("runs as written", async () => {
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");
    const code = /<!-- readme-example[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code, "README has a readme-example block").toBeDefined();
    const file = fileURLToPath(new URL("./readme-example.generated.ts", import.meta.url));
    writeFileSync(file, code!);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      expect(log).toHaveBeenCalledWith(21.5, {
        timestampNs: 1_700_000_000n,
        value: 21.5,
        tag: [1, 2, 3, 4, 5, 6, 7, 8],
      });
    } finally {
      log.mockRestore();
      rmSync(file, { force: true });
    }
  });
});
