/**
 * Removing by force a service that a crashed peer left behind (upstream's
 * `Node::force_remove_service`): the Python binding (PyPI iceoryx2) creates an event service and
 * is killed with SIGKILL; iceoryx2-js on Node, in this process, sees the service with a dead node
 * and removes it. While the peer lives, the removal is refused with `ServiceInUse`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";

const { Node, NodeBuilder, Service } = iox2;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const prefix = `iox2js_force_${process.pid}_`;
const children: ChildProcess[] = [];

const PYTHON_CREATOR = `
import sys, iceoryx2 as iox2
config = iox2.config.default()
config.global_cfg.prefix = iox2.FileName.new(sys.argv[1])
node = iox2.NodeBuilder.new().config(config).create(iox2.ServiceType.Ipc)
service = node.service_builder(iox2.ServiceName.new(sys.argv[2])).event().create()
print("ready", flush=True)
sys.stdin.read()
`;

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  for (const name of readdirSync("/dev/shm")) if (name.startsWith(prefix)) rmSync(`/dev/shm/${name}`, { force: true });
});

describe("a service left by a crashed Python peer", () => {
  it("is refused while the peer lives, and removed by force once it died", async () => {
    const name = "Force/Removed";
    const config = { prefix };
    const peer = spawn(here("../.venv/bin/python"), ["-c", PYTHON_CREATOR, prefix, name], { stdio: ["pipe", "pipe", "inherit"] });
    children.push(peer);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the Python peer did not get ready within 20 s")), 20_000);
      createInterface({ input: peer.stdout! }).on("line", (line) => {
        if (line === "ready") {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // Created while the peer lives: a node's creation cleans up dead nodes (upstream's default),
    // which would remove the service before the test could.
    using node = new NodeBuilder().config(config).create().unwrap();
    expect(node.forceRemoveService(name, "event").unwrapErr().kind).toBe("ServiceInUse");

    const exited = new Promise((resolve) => peer.on("exit", resolve));
    peer.kill("SIGKILL");
    await exited;
    const left = Service.details(name, "event", config).unwrap();
    expect(left?.nodes?.map((n) => n.state)).toEqual(["dead"]);

    expect(node.forceRemoveService(name, "event").unwrap()).toBe(true);
    expect(Service.doesExist(name, "event", config).unwrap()).toBe(false);
    expect(node.forceRemoveService(name, "event").unwrap()).toBe(false);
    expect(Node.cleanupDeadNodes(config).unwrap().removed.map((n) => n.pid)).toEqual([peer.pid]); // the peer's node files
  });
});
