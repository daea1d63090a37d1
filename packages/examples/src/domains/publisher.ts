/**
 * Upstream's domains publisher: `--domain NAME` (a config prefix, default `iox2_`) and `--service
 * NAME` (default `my_funky_service`). Processes in other domains never see its service.
 */
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { TransmissionData, transmissionData } from "../shared/transmission-data.js";

const options = exampleOptions({ names: ["domain", "service"] });
const domain = options.named.domain?.[0] ?? "iox2_";
const serviceName = options.named.service?.[0] ?? "my_funky_service";
using node = exampleNode({ prefix: domain });
using service = node.serviceBuilder(serviceName).publishSubscribe(TransmissionData).openOrCreate().unwrap();
using publisher = service.publisherBuilder().create().unwrap();

for await (const counter of cycles(node, options)) {
  const sample = publisher.loanUninit().unwrap();
  sample.payload = transmissionData(counter);
  sample.send().unwrap();
  console.log(`[domain: "${domain}", service: "${serviceName}"] Send sample ${counter} ...`);
}
console.log("exit");
