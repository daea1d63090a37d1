/** Upstream's discovery example: every service of the config's domain, with its static configuration. */
import { iox2 } from "../shared/adapter.js";

for (const service of iox2.Service.list().unwrap()) {
  console.log(`\n${JSON.stringify(service, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2)}`);
}
