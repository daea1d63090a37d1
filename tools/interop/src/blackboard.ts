/**
 * Roles `writer` and `reader` of a blackboard with `u64` keys: key 0 holds a `u64` (the number
 * of values written), key 1 the last `TransmissionData` written.
 */
import type { BlackboardService } from "@iceoryx2-js/node";
import { Fnv1a64, sameTransmissionData, show, transmissionData, ZERO_TRANSMISSION_DATA, type TransmissionDataValue } from "./protocol.js";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";
import { expectOk, fail, type Peer } from "./session.js";
import { TransmissionData } from "./types.js";

const COUNTER_KEY = 0n;
const DATA_KEY = 1n;

/** Only the creator defines the entries; an opener takes what the creator defined. */
function openBlackboard(peer: Peer): BlackboardService<typeof iox2.u64> {
  const builder = peer.node.serviceBuilder(peer.options.service);
  return peer.options.create
    ? expectOk(
        builder.blackboardCreator(iox2.u64).add(COUNTER_KEY, iox2.u64, 0n).add(DATA_KEY, TransmissionData, ZERO_TRANSMISSION_DATA).create(),
        `create blackboard '${peer.options.service}'`,
      )
    : expectOk(builder.blackboardOpener(iox2.u64).open(), `open blackboard '${peer.options.service}'`);
}

function digestOf(counter: bigint, data: TransmissionDataValue): string {
  return new Fnv1a64().u64(counter).transmissionData(data).hex();
}

export async function blackboardWriter(peer: Peer): Promise<string> {
  const { count } = peer.options;
  const port = expectOk(openBlackboard(peer).writerBuilder().create(), "create writer");
  const counter = expectOk(port.entry(COUNTER_KEY, iox2.u64), "writer entry of key 0");
  const data = expectOk(port.entry(DATA_KEY, TransmissionData), "writer entry of key 1");
  peer.ready();
  await peer.go();
  for (let i = 0; i < count; i++) {
    expectOk(data.update(transmissionData(i)), `update key 1 to value ${i}`);
    expectOk(counter.update(BigInt(i + 1)), `update key 0 to ${i + 1}`);
  }
  return digestOf(BigInt(count), count > 0 ? transmissionData(count - 1) : ZERO_TRANSMISSION_DATA);
}

export async function blackboardReader(peer: Peer): Promise<string> {
  const { count } = peer.options;
  const port = expectOk(openBlackboard(peer).readerBuilder().create(), "create reader");
  const counter = expectOk(port.entry(COUNTER_KEY, iox2.u64), "reader entry of key 0");
  const data = expectOk(port.entry(DATA_KEY, TransmissionData), "reader entry of key 1");
  peer.ready();
  let seen = 0n;
  const final = await peer.poll(
    () => {
      const k = expectOk(counter.get(), "read key 0").value;
      if (k < seen || k > BigInt(count)) fail(`key 0 is ${k} after ${seen} (count ${count})`);
      seen = k;
      // Key 1 was written before key 0, so it holds value k-1 or a later one.
      const value = expectOk(data.get(), "read key 1").value;
      if (k > 0n && !isWrittenFrom(value, Number(k) - 1, count)) fail(`key 1 is ${show(value)} while key 0 is ${k}`);
      return k === BigInt(count) ? value : undefined;
    },
    () => `key 0 to reach ${count} (it is ${seen})`,
  );
  return digestOf(BigInt(count), final);
}

/** Whether `value` is `TransmissionData_j` for some `j` in `first..count-1`. */
function isWrittenFrom(value: TransmissionDataValue, first: number, count: number): boolean {
  for (let j = first; j < count; j++) if (sameTransmissionData(value, transmissionData(j))) return true;
  return false;
}
