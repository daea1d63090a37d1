/** Upstream's service_attributes incompatible opener: two requirements the service does not meet, each refused. */
import { iox2 } from "../shared/adapter.js";
import { exampleNode } from "../shared/cli.js";

using node = exampleNode();
const open = (configure: (builder: ReturnType<ReturnType<typeof node.serviceBuilder>["publishSubscribe"]>) => void) => {
  const builder = node.serviceBuilder("Service/With/Properties").publishSubscribe(iox2.u64);
  configure(builder);
  return builder.open();
};
const resolution = open((b) => b.requireAttribute("camera_resolution", "3840x2160"));
if (resolution.isErr()) console.log(`camera_resolution: 3840x2160 -> ${resolution.error.kind}`);
else resolution.value.close();
const cameraType = open((b) => b.requireAttributeKey("camera_type"));
if (cameraType.isErr()) console.log(`camera_type -> ${cameraType.error.kind}`);
else cameraType.value.close();
