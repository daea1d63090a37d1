/**
 * What upstream's flatbuffer examples share: the schema lookup path from
 * `IOX2_FLATBUFFER_SCHEMA_PATH`, the `UnboundedData` request/payload and how it is printed. The
 * classes are flatc's, from `@iceoryx2-js/flatbuffer-schemas`.
 */
import process from "node:process";
import { Builder, ByteBuffer } from "flatbuffers";
import type { ConfigOptions, Node } from "@iceoryx2-js/node";
import { Entry, UnboundedData } from "@iceoryx2-js/flatbuffer-schemas";
import { iox2 } from "./adapter.js";

/** The node config of upstream's flatbuffer examples: schemas are looked up where the variable says. */
export function flatbufferConfig(): ConfigOptions {
  const schemas = process.env["IOX2_FLATBUFFER_SCHEMA_PATH"];
  if (schemas === undefined) throw new Error("Please define IOX2_FLATBUFFER_SCHEMA_PATH!");
  return { flatbufferSchemaPath: schemas };
}

/** Upstream's flatbuffer_publish_subscribe service: `UnboundedData` with a u64 user header. */
export function unboundedDataService(node: Node) {
  return node.serviceBuilder("My/Flatbuffer/Service").publishSubscribe(iox2.flatbuffer("UnboundedData")).userHeader(iox2.u64).openOrCreate().unwrap();
}

/** Upstream's flatbuffer_request_response service: `UnboundedData` requests, `DataProps` responses, u64 headers. */
export function unboundedDataRequestResponse(node: Node) {
  return node
    .serviceBuilder("Flatbuffer/Request/Response")
    .requestResponse(iox2.flatbuffer("UnboundedData"), iox2.flatbuffer("DataProps"))
    .requestUserHeader(iox2.u64)
    .responseUserHeader(iox2.u64)
    .openOrCreate()
    .unwrap();
}

/** Upstream's `UnboundedData`: the title "Hello World!" and `entries` entries (6i+5, 6i+7). */
export function buildUnboundedData(builder: Builder, entries: number): void {
  const title = builder.createString("Hello World!");
  const offsets = [];
  for (let i = 0; i < entries; i++) offsets.push(Entry.createEntry(builder, 6 * i + 5, BigInt(6 * i + 7)));
  const vector = UnboundedData.createEntriesVector(builder, offsets);
  builder.finish(UnboundedData.createUnboundedData(builder, title, vector));
}

/** Reads a received `UnboundedData` flatbuffer. */
export function unboundedData(bytes: Uint8Array): UnboundedData {
  return UnboundedData.getRootAsUnboundedData(new ByteBuffer(bytes));
}

/** Upstream's subscriber lines for one `UnboundedData`: each entry's fields. */
export function entryLines(data: UnboundedData): string[] {
  const lines = [];
  for (let i = 0; i < data.entriesLength(); i++) {
    const entry = data.entries(i)!;
    lines.push(`Entry ${i}: data_1=${entry.data1()}, data_2=${entry.data2()}`);
  }
  return lines;
}
