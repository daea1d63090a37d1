/**
 * Roles `client` and `server`: one `u64` request `0xC0FFEE00 + count`, answered by a stream of
 * `count` `TransmissionData` responses that the server then ends.
 */
import type { Node } from "@iceoryx2-js/node";
import { Fnv1a64, requestValue, sameTransmissionData, show, transmissionData } from "./protocol.js";
import { iox2 } from "./runtime.js";
import { expectOk, fail, type Peer } from "./session.js";
import { TransmissionData } from "./types.js";

/** The protocol's request-response service, with its settings (requirements for openers). */
function openService(peer: Peer, node: Node) {
  return peer.openService(
    node
      .serviceBuilder(peer.options.service)
      .requestResponse(iox2.u64, TransmissionData)
      .maxClients(2)
      .maxServers(2)
      .maxActiveRequestsPerClient(2)
      .maxResponseBufferSize(64),
  );
}

export async function client(peer: Peer): Promise<string> {
  const { count } = peer.options;
  const port = expectOk(openService(peer, peer.node).clientBuilder().create(), "create client");
  peer.ready();
  await peer.go();
  const digest = new Fnv1a64().u64(requestValue(count));
  const pending = expectOk(port.sendCopy(requestValue(count)), "send request");
  if (pending.numberOfServerConnections === 0) fail("the request reached no server");
  for (let i = 0; i < count; i++) {
    const response = await peer.poll(
      () => expectOk(pending.receive(), `receive response ${i}`),
      () => `response ${i} (of ${count})`,
    );
    const value = response.payload.$toPlain();
    response.release();
    if (!sameTransmissionData(value, transmissionData(i))) fail(`response ${i}: got ${show(value)}, expected ${show(transmissionData(i))}`);
    digest.transmissionData(value);
  }
  // The stream ends when the server drops its active request; nothing may have come after the last.
  await peer.poll(
    () => (pending.isConnected ? undefined : true),
    () => "the end of the response stream",
  );
  const extra = expectOk(pending.receive(), "receive");
  if (extra !== null) fail(`a response beyond the ${count} expected`);
  pending.close();
  return digest.hex();
}

export async function server(peer: Peer): Promise<string> {
  const { count } = peer.options;
  const port = expectOk(openService(peer, peer.node).serverBuilder().create(), "create server");
  peer.ready();
  const request = await peer.poll(
    () => expectOk(port.receive(), "receive request"),
    () => "the request",
  );
  const value = request.payload;
  if (value !== requestValue(count)) fail(`request: got ${value}, expected ${requestValue(count)}`);
  const digest = new Fnv1a64().u64(value);
  for (let i = 0; i < count; i++) {
    const response = expectOk(request.loanUninit(), `loan response ${i}`);
    response.payload = transmissionData(i);
    expectOk(response.send(), `send response ${i}`);
    digest.transmissionData(transmissionData(i));
  }
  request.close(); // ends the stream
  const extra = expectOk(port.receive(), "receive");
  if (extra !== null) fail("a second request");
  return digest.hex();
}
