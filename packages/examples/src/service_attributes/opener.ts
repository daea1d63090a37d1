/** Upstream's service_attributes opener: opens `Service/With/Properties` only with the attributes it requires. */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { formatAttributes } from "../shared/format.js";

const options = exampleOptions();
using node = exampleNode();
using service = node
  .serviceBuilder("Service/With/Properties")
  .publishSubscribe(iox2.u64)
  .requireAttribute("camera_resolution", "1920x1080")
  .requireAttributeKey("dds_service_mapping")
  .open()
  .unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log(`defined service attributes: ${formatAttributes(service.staticConfig().unwrap().attributes)}`);

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  console.log(`received: ${sample.payload}`);
  step();
}
console.log("exit");
