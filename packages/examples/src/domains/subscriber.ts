/** Upstream's domains subscriber: `--domain NAME` (default `iox2`), `--service NAME` (default `my_funky_service`). */
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const options = exampleOptions({ names: ["domain", "service"] });
const domain = options.named.domain?.[0] ?? "iox2";
const serviceName = options.named.service?.[0] ?? "my_funky_service";
using node = exampleNode({ prefix: domain });
using service = node.serviceBuilder(serviceName).publishSubscribe(TransmissionData).openOrCreate().unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log(`subscribed to: [domain: "${domain}", service: "${serviceName}"]`);

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  console.log(`received: ${formatTransmissionData(sample.payload.$toPlain())}`);
  step();
}
console.log("exit");
