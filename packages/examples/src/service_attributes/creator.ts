/**
 * Upstream's service_attributes creator: `Service/With/Properties` (u64) created with four
 * attributes that openers can require, then a sample every cycle.
 */
import { iox2 } from "../shared/adapter.js";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { formatAttributes } from "../shared/format.js";

const options = exampleOptions();
using node = exampleNode();
using service = node
  .serviceBuilder("Service/With/Properties")
  .publishSubscribe(iox2.u64)
  .defineAttribute("dds_service_mapping", "my_funky_service_name")
  .defineAttribute("tcp_serialization_format", "cdr")
  .defineAttribute("someip_service_mapping", "1/2/3")
  .defineAttribute("camera_resolution", "1920x1080")
  .create()
  .unwrap();
using publisher = service.publisherBuilder().create().unwrap();
console.log(`defined service attributes: ${formatAttributes(service.staticConfig().unwrap().attributes)}`);

for await (const _ of cycles(node, options)) publisher.sendCopy(0n).unwrap();
console.log("exit");
