import { programBuild } from "../../tsup.program.js";

// flatc's classes are TypeScript source: bundled into the peer.
export default programBuild(["src/peer.ts", "src/log-probe.ts", "src/send-probe.ts"], { sources: ["@iceoryx2-js/flatbuffer-schemas"] });
