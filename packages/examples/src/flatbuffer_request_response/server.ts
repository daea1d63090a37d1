/**
 * Upstream's flatbuffer_request_response server: for each `UnboundedData` request it prints the
 * title and user header, and answers every entry with a `DataProps` holding
 * `max(data_1, 0) + data_2`, its response counter as u64 user header.
 */
import { Builder } from "flatbuffers";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { flatbufferConfig, unboundedData, unboundedDataRequestResponse } from "../shared/flatbuffer-data.js";
import { DataProps } from "@iceoryx2-js/flatbuffer-schemas";

const options = exampleOptions({ cycleMs: 100 });
using node = exampleNode(flatbufferConfig());
using service = unboundedDataRequestResponse(node);
using server = service.serverBuilder().initialReservedMemory(1024).allocationStrategy("powerOfTwo").create().unwrap();
console.log("Server ready to receive requests!");

const builder = new Builder(64);
let counter = 0n;
for await (const _ of cycles(node, options)) {
  for (let request = server.receive().unwrap(); request !== null; request = server.receive().unwrap()) {
    const data = unboundedData(request.payload);
    console.log(`title: ${data.title() ?? ""}`);
    console.log(`user header: ${request.userHeader}`);
    for (let i = 0; i < data.entriesLength(); i++) {
      const entry = data.entries(i)!;
      const sum = BigInt(Math.max(entry.data1(), 0)) + entry.data2();
      builder.clear();
      builder.finish(DataProps.createDataProps(builder, sum));
      request.sendCopy(builder, counter).unwrap();
      console.log(`  Send response ${entry.data1()}+${entry.data2()} = ${sum}`);
    }
    request.close();
    console.log(" ");
  }
  counter++;
}
console.log("exit");
