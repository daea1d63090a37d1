/** The generated flatbuffer code (TS, Python, Rust, binary schemas) is what flatc makes of the schemas today. */
import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { here } from "./workdir.js";

it("the checked-in flatbuffer code and binary schemas match packages/examples/flatbuffers/*.fbs", () => {
  const output = execFileSync(process.execPath, [here("../scripts/generate-flatbuffers.mjs"), "--check"], { encoding: "utf8" });
  expect(output).toContain("generated flatbuffer code is current");
});
