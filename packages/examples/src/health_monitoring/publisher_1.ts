/** Upstream's health_monitoring publisher 1: `service_1`, a sample every 1 s (shared/health-monitoring-publisher.ts). */
import { runPublisher } from "../shared/health-monitoring-publisher.js";

await runPublisher(0);
