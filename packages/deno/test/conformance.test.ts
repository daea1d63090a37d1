// Runs the shared conformance suite on Deno: `deno test` with a small describe/it adapter over
// Deno.test and the `expect` package (Jest's matchers) from npm. Needs --allow-all: Deno guards
// /dev/shm (read to check that iceoryx2 cleaned up) as a device path.
import { expect } from "expect";
import { runConformance, type ChildNode, type Matchers } from "@iceoryx2-js/conformance";
import * as api from "../src/internal.ts";

type Body = () => void | Promise<void>;
const tests: { name: string; body: Body }[] = [];
const afterAllBodies: Body[] = [];
const scope: string[] = [];

runConformance({
  runtime: "deno",
  api,
  describe: (name, body) => {
    scope.push(name);
    try {
      body();
    } finally {
      scope.pop();
    }
  },
  it: (name, body) => void tests.push({ name: [...scope, name].join(" > "), body }),
  afterAll: (body) => void afterAllBodies.push(body),
  expect: (value) => expect(value) as unknown as Matchers,
  gc: () => (globalThis as unknown as { gc(): void }).gc(),
  nextTurn: () => new Promise((resolve) => setTimeout(resolve, 0)),
  listDirectory: (path) => {
    try {
      return [...Deno.readDirSync(path)].map((entry) => entry.name);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error; // e.g. /dev/shm needs --allow-all: a cleanup check must not pass vacuously
    }
  },
  removeFile: (path) => Deno.removeSync(path, { recursive: true }),
  writeFile: (path, text) => {
    Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(path, text);
  },
  spawnNode,
  pid: Deno.pid,
});

/** Runs `node-holder.ts` on Deno and resolves once it says its node exists. */
async function spawnNode(config: object, name: string, service?: string): Promise<ChildNode> {
  const script = new URL("./node-holder.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script, JSON.stringify(config), name, ...(service === undefined ? [] : [service])],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let output = "";
  while (!output.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) {
      const stderr = await new Response(child.stderr).text();
      await child.status;
      throw new Error(`node holder exited before it was ready: ${output}${stderr}`);
    }
    output += decoder.decode(value);
  }
  reader.releaseLock();
  return {
    pid: child.pid,
    kill: async () => {
      child.kill("SIGKILL");
      await child.status;
      // Deno's test sanitizer wants the pipes closed.
      await Promise.all([child.stdout.cancel(), child.stderr.cancel()]);
    },
  };
}

// The after-all hooks run at the end of the last test, so every runtime reports the same count.
tests.forEach(({ name, body }, index) => {
  const last = index === tests.length - 1;
  Deno.test(name, async () => {
    try {
      await body();
    } finally {
      if (last) for (const hook of afterAllBodies) await hook();
    }
  });
});
