/**
 * Who sent a message, as a peer written against upstream sees it: the Rust and Python peers
 * print the ids of their publisher, client or server and node (`port <port id> <node id>`,
 * docs/interop.md); iceoryx2-js, on Node in this process, reads the same ids from the headers of
 * what it receives (`Sample.header`, `ActiveRequest.header`, `Response.header`).
 */
import { readdirSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";
import { requestValue } from "../src/protocol.js";
import { TransmissionData } from "../src/types.js";
import { Peer, until, type Language } from "./peers.js";

const { NodeBuilder, u64 } = iox2;

const prefix = `iox2js_origin_${process.pid}_`;
let counter = 0;
const serviceName = (label: string) => `Origin/${label}/${counter++}`;
const peers: Peer[] = [];

afterAll(async () => {
  for (const peer of peers) peer.kill();
  for (const name of readdirSync("/dev/shm")) if (name.startsWith(prefix)) rmSync(`/dev/shm/${name}`, { force: true });
});

/** Starts `language`'s peer as the creator of `role`; returns it with the ids it printed. */
async function startPeer(language: Language, role: string, service: string, count: number) {
  const payload = role === "publisher" ? ["--payload", "u64"] : [];
  const peer = new Peer(language, [role, "--service", service, "--prefix", prefix, "--count", String(count), "--create", ...payload]);
  peers.push(peer);
  const [, portId, nodeId] = (await peer.line(/^port /)).split(" ");
  await peer.ready();
  return { peer, portId: portId!, nodeId: nodeId! };
}

describe.each(["rust", "python"] as const)("origin ids from the %s peer", (language) => {
  it("a sample names the peer's publisher and node", async () => {
    const service = serviceName("pubsub");
    const { peer, portId, nodeId } = await startPeer(language, "publisher", service, 3);
    using node = new NodeBuilder().config({ prefix }).create().unwrap();
    using subscriber = node.serviceBuilder(service).publishSubscribe(u64).open().unwrap().subscriberBuilder().create().unwrap();
    peer.send("go");
    const sample = await until(() => subscriber.receive().unwrap());
    expect(sample.header).toEqual({ publisherId: portId, nodeId, numberOfElements: 1 });
    expect(sample.origin).toBe(portId);
    sample.release();
    peer.kill("SIGTERM");
  });

  it("a request names the peer's client, a response the peer's server", async () => {
    // The peer's client: its request reaches a server here.
    const clientService = serviceName("client");
    const client = await startPeer(language, "client", clientService, 1);
    using node = new NodeBuilder().config({ prefix }).create().unwrap();
    using server = node.serviceBuilder(clientService).requestResponse(u64, TransmissionData).open().unwrap().serverBuilder().create().unwrap();
    client.peer.send("go");
    using active = await until(() => server.receive().unwrap());
    expect(active.header).toEqual({ clientId: client.portId, nodeId: client.nodeId, numberOfElements: 1 });
    expect(active.origin).toBe(client.portId);
    client.peer.kill("SIGTERM");

    // The peer's server: its response reaches a client here.
    const serverService = serviceName("server");
    const peerServer = await startPeer(language, "server", serverService, 1);
    using localClient = node.serviceBuilder(serverService).requestResponse(u64, TransmissionData).open().unwrap().clientBuilder().create().unwrap();
    using pending = localClient.sendCopy(requestValue(1)).unwrap();
    const response = await until(() => pending.receive().unwrap());
    expect(response.header).toEqual({ serverId: peerServer.portId, nodeId: peerServer.nodeId, numberOfElements: 1 });
    expect(response.origin).toBe(peerServer.portId);
    response.release();
    peerServer.peer.kill("SIGTERM");
  });
});
