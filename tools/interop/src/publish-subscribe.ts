/**
 * Roles `publisher` and `subscriber`: `count` samples of `u64`, `TransmissionData`, a `u32` slice
 * with a user header, `ComplexMessage`, or an `UnboundedData` flatbuffer with a `u64` user header.
 */
import { Builder, ByteBuffer } from "flatbuffers";
import { Entry, UnboundedData } from "@iceoryx2-js/flatbuffer-schemas";
import type { AnyLayoutType, PayloadType, PublishSubscribeServiceBuilder, Result, Sample, Subscriber } from "@iceoryx2-js/node";
import {
  complexMessage,
  Fnv1a64,
  sameComplexMessage,
  sameUnboundedData,
  unboundedData,
  type UnboundedDataValue,
  sameTransmissionData,
  show,
  sliceElements,
  sliceHeader,
  transmissionData,
  u64Value,
} from "./protocol.js";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";
import { expectOk, fail, type Peer } from "./session.js";
import { ComplexMessage, CustomHeader, TransmissionData } from "./types.js";

/** The slice publisher's data segment fits the longest message (64 elements). */
const INITIAL_MAX_SLICE_LEN = 64;

/** The protocol's publish-subscribe settings: set by creators, required by openers. */
export function withPubSubSettings<B extends PublishSubscribeServiceBuilder<PayloadType, AnyLayoutType | undefined>>(builder: B): B {
  return builder.maxPublishers(2).maxSubscribers(2).historySize(0).subscriberMaxBufferSize(256);
}

export async function publisher(peer: Peer): Promise<string> {
  const { node, options } = peer;
  const builder = node.serviceBuilder(options.service);
  const digest = new Fnv1a64();
  switch (options.payload) {
    case "u64": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(iox2.u64)));
      const port = expectOk(service.publisherBuilder().create(), "create publisher");
      return publish(peer, digest, (i) => {
        const sample = expectOk(port.loanUninit(), `loan sample ${i}`);
        sample.payload = u64Value(i);
        digest.u64(u64Value(i));
        return sample;
      });
    }
    case "TransmissionData": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(TransmissionData)));
      const port = expectOk(service.publisherBuilder().create(), "create publisher");
      return publish(peer, digest, (i) => {
        const sample = expectOk(port.loanUninit(), `loan sample ${i}`);
        sample.payload = transmissionData(i);
        digest.transmissionData(transmissionData(i));
        return sample;
      });
    }
    case "slice": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(iox2.slice(iox2.u32)).userHeader(CustomHeader)));
      const port = expectOk(service.publisherBuilder().initialMaxSliceLen(INITIAL_MAX_SLICE_LEN).create(), "create publisher");
      return publish(peer, digest, (i) => {
        const elements = sliceElements(i);
        const header = sliceHeader(i, elements);
        const sample = expectOk(port.loanSliceUninit(elements.length), `loan sample ${i}`);
        sample.payload.write(elements);
        sample.userHeader = header;
        digest.sliceMessage(header, elements);
        return sample;
      });
    }
    case "ComplexMessage": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(ComplexMessage)));
      const port = expectOk(service.publisherBuilder().create(), "create publisher");
      return publish(peer, digest, (i) => {
        const message = complexMessage(i);
        // Field by field in the loaned memory, as Rust fills its placement-defaulted sample.
        // Uninitialised memory: every field is written whole, the vector's length first.
        const sample = expectOk(port.loanUninit(), `loan sample ${i}`);
        const payload = sample.payload;
        payload.label = message.label;
        payload.readings.clear();
        for (const reading of message.readings) payload.readings.push(reading);
        payload.status = message.status;
        payload.id = message.id;
        digest.complexMessage(message);
        return sample;
      });
    }
    case "Flatbuffer": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(FLATBUFFER).userHeader(iox2.u64)));
      // Small on purpose: the first longer messages grow the chunks.
      const port = expectOk(service.publisherBuilder().initialReservedMemory(64).allocationStrategy("powerOfTwo").create(), "create publisher");
      const flatbuffers = new Builder(64);
      return publish(peer, digest, (i) => {
        const message = unboundedData(i);
        buildUnboundedData(flatbuffers, message);
        digest.unboundedData(BigInt(i), message);
        return { send: () => port.sendCopy(flatbuffers, BigInt(i)) };
      });
    }
    default:
      return fail(`unknown payload ${String(options.payload)}`);
  }
}

/** The flatbuffer payload: the root table of upstream's flatbuffer examples. */
const FLATBUFFER = iox2.flatbuffer("UnboundedData");

function buildUnboundedData(builder: Builder, value: UnboundedDataValue): void {
  builder.clear();
  const title = builder.createString(value.title);
  const entries = value.entries.map((entry) => Entry.createEntry(builder, entry.data1, entry.data2));
  builder.finish(UnboundedData.createUnboundedData(builder, title, UnboundedData.createEntriesVector(builder, entries)));
}

function readUnboundedData(bytes: Uint8Array): UnboundedDataValue {
  const data = UnboundedData.getRootAsUnboundedData(new ByteBuffer(bytes));
  const entries = Array.from({ length: data.entriesLength() }, (_, j) => {
    const entry = data.entries(j)!;
    return { data1: entry.data1(), data2: entry.data2() };
  });
  return { title: data.title() ?? "", entries };
}

/** Ready, `go`, then sends the sample `loanFilled(i)` returns for every `i`. */
async function publish(peer: Peer, digest: Fnv1a64, loanFilled: (i: number) => { send(): Result<number> }): Promise<string> {
  peer.ready();
  await peer.go();
  for (let i = 0; i < peer.options.count; i++) {
    const reached = expectOk(loanFilled(i).send(), `send sample ${i}`);
    if (reached === 0) fail(`sample ${i} reached no subscriber`);
  }
  return digest.hex();
}

export async function subscriber(peer: Peer): Promise<string> {
  const { node, options } = peer;
  const builder = node.serviceBuilder(options.service);
  const digest = new Fnv1a64();
  switch (options.payload) {
    case "u64": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(iox2.u64)));
      const port = expectOk(service.subscriberBuilder().create(), "create subscriber");
      return receiveAll(peer, digest, port, (sample, i) => {
        const value = sample.payload;
        if (value !== u64Value(i)) fail(`sample ${i}: got ${value}, expected ${u64Value(i)}`);
        digest.u64(value);
      });
    }
    case "TransmissionData": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(TransmissionData)));
      const port = expectOk(service.subscriberBuilder().create(), "create subscriber");
      return receiveAll(peer, digest, port, (sample, i) => {
        const value = sample.payload.$toPlain();
        if (!sameTransmissionData(value, transmissionData(i))) fail(`sample ${i}: got ${show(value)}, expected ${show(transmissionData(i))}`);
        digest.transmissionData(value);
      });
    }
    case "slice": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(iox2.slice(iox2.u32)).userHeader(CustomHeader)));
      const port = expectOk(service.subscriberBuilder().create(), "create subscriber");
      return receiveAll(peer, digest, port, (sample, i) => {
        const header = sample.userHeader.$toPlain();
        const elements = sample.payload.typedArray(); // a copy: received views are read-only
        const expected = sliceElements(i);
        if (header.version !== i) fail(`sample ${i}: header version ${header.version}`);
        if (elements.length !== expected.length || elements.some((element, j) => element !== expected[j])) {
          fail(`sample ${i}: got elements [${elements.join(", ")}], expected [${expected.join(", ")}]`);
        }
        const checksum = new Fnv1a64().u32s(elements).value;
        if (header.timestamp !== checksum) fail(`sample ${i}: header timestamp ${header.timestamp}, checksum of the elements ${checksum}`);
        digest.sliceMessage(header, elements);
      });
    }
    case "ComplexMessage": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(ComplexMessage)));
      const port = expectOk(service.subscriberBuilder().create(), "create subscriber");
      return receiveAll(peer, digest, port, (sample, i) => {
        // Every field read from shared memory; a peer's invalid length, text or status byte
        // throws InvalidPayload here.
        const value = sample.payload.$toPlain();
        const expected = complexMessage(i);
        if (!sameComplexMessage(value, expected)) fail(`sample ${i}: got ${show(value)}, expected ${show(expected)}`);
        digest.complexMessage(value);
      });
    }
    case "Flatbuffer": {
      const service = peer.openService(withPubSubSettings(builder.publishSubscribe(FLATBUFFER).userHeader(iox2.u64)));
      const port = expectOk(service.subscriberBuilder().create(), "create subscriber");
      return receiveAll(peer, digest, port, (sample, i) => {
        const value = readUnboundedData(sample.payload);
        const expected = unboundedData(i);
        if (sample.userHeader !== BigInt(i)) fail(`sample ${i}: user header ${sample.userHeader}`);
        if (!sameUnboundedData(value, expected)) fail(`sample ${i}: got ${show(value)}, expected ${show(expected)}`);
        digest.unboundedData(sample.userHeader, value);
      });
    }
    default:
      return fail(`unknown payload ${String(options.payload)}`);
  }
}

/** Ready, then receives `count` samples in order, checking each, and fails on one more. */
async function receiveAll<P extends PayloadType, H extends AnyLayoutType | undefined>(
  peer: Peer,
  digest: Fnv1a64,
  port: Subscriber<P, H>,
  check: (sample: Sample<P, H>, i: number) => void,
): Promise<string> {
  peer.ready();
  const { count } = peer.options;
  // The async stream, as a user would write it: it must see senders that never notify.
  const samples = port.samples({ signal: peer.deadlineSignal() });
  for (let i = 0; i < count; i++) {
    check(await peer.next(samples, () => `sample ${i} (of ${count})`), i); // released on the next step
  }
  await samples.return();
  const extra = expectOk(port.receive(), "receive");
  if (extra !== null) fail(`a sample beyond the ${count} expected`);
  return digest.hex();
}
