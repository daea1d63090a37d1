import { readdirSync, rmSync } from "node:fs";
import { NodeBuilder, type Node } from "../src/index.js";

let counter = 0;

/**
 * A config prefix unique to this test file and process: services under it are invisible to
 * every other test, and its shared-memory files are easy to find.
 */
export function isolatedPrefix(file: string): string {
  return `iox2js_${file.replace(/\W/g, "_")}_${process.pid}_${counter++}_`;
}

export function isolatedNode(prefix: string, name = "test-node"): Node {
  return new NodeBuilder().name(name).config({ prefix }).create().unwrap();
}

/** Shared-memory and service files left behind under `prefix`. */
export function leftovers(prefix: string): string[] {
  const shm = readdirSync("/dev/shm").filter((f) => f.includes(prefix));
  const serviceFiles = safeList("/tmp/iceoryx2").filter((f) => f.includes(prefix));
  return [...shm, ...serviceFiles];
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }).map(String);
  } catch {
    return [];
  }
}

/** Unique service names within one prefix. */
export function serviceName(label: string): string {
  return `Test/${label}/${counter++}`;
}

/**
 * After every node under `prefix` is closed, iceoryx2 has removed its services and ports; what
 * stays is the prefix's global management segment, which this removes. Returns what else
 * was left (expected: nothing).
 */
export function cleanUp(prefix: string): string[] {
  const left = leftovers(prefix);
  for (const file of left) {
    if (file.endsWith(".global_mgmt")) rmSync(`/dev/shm/${file}`, { force: true });
  }
  return left.filter((file) => !file.endsWith(".global_mgmt"));
}
