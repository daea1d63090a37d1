/**
 * Roles `client` and `server`: one `u64` request `0xC0FFEE00 + count`, answered by a stream of
 * `count` `TransmissionData` responses that the server then ends.
 */
import type { Node } from "@iceoryx2-js/node";
import { Fnv1a64, requestValue, sameTransmissionData, show, transmissionData } from "./protocol.js";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";
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
  // The async stream, as a user would write it: it must see servers that never notify.
  const responses = pending.responses({ signal: peer.deadlineSignal() });
  for (let i = 0; i < count; i++) {
    const response = await peer.next(responses, () => `response ${i} (of ${count})`, "the response stream ended");
    const value = response.payload.$toPlain();
    if (!sameTransmissionData(value, transmissionData(i))) fail(`response ${i}: got ${show(value)}, expected ${show(transmissionData(i))}`);
    digest.transmissionData(value);
  }
  // The stream ends when the server drops its active request; nothing may have come after the last.
  const end = await peer.deadline.race(responses.next(), () => "the end of the response stream");
  if (end.done !== true) fail(`a response beyond the ${count} expected`);
  if (pending.isConnected) fail("the response stream ended while the server is still connected");
  const extra = expectOk(pending.receive(), "receive");
  if (extra !== null) fail(`a response beyond the ${count} expected`);
  pending.close();
  return digest.hex();
}

export async function server(peer: Peer): Promise<string> {
  const { count } = peer.options;
  const port = expectOk(openService(peer, peer.node).serverBuilder().create(), "create server");
  peer.ready();
  // The async stream, as a user would write it: it must see clients that never notify.
  const requests = port.requests({ signal: peer.deadlineSignal() });
  const request = await peer.next(requests, () => "the request");
  await requests.return();
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
