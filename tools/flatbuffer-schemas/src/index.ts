/**
 * The tables of upstream's flatbuffer examples (`schemas/*.fbs`), as flatc generates them for
 * the `flatbuffers` package. Their binary schemas, which iceoryx2 stores with a service, are in
 * `bfbs/`: the directory to give as `flatbufferSchemaPath` (upstream's examples read it from
 * `IOX2_FLATBUFFER_SCHEMA_PATH`).
 */
export { DataProps } from "./generated/example/data-props.js";
export { Entry } from "./generated/example/entry.js";
export { UnboundedData } from "./generated/example/unbounded-data.js";
