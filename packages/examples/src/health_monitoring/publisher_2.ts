/** Upstream's health_monitoring publisher 2: `service_2`, a sample every 1.5 s (shared/health-monitoring-publisher.ts). */
import { runPublisher } from "../shared/health-monitoring-publisher.js";

await runPublisher(1);
