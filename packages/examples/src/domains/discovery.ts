/** Upstream's domains discovery: the names of the services in `--domain NAME` (default `iox2`). */
import { iox2 } from "../shared/adapter.js";
import { exampleOptions } from "../shared/cli.js";

const options = exampleOptions({ names: ["domain"] });
const domain = options.named.domain?.[0] ?? "iox2";
console.log(`\nServices running in domain "${domain}":`);
for (const service of iox2.Service.list({ prefix: domain }).unwrap()) console.log(`  ${service.name}`);
