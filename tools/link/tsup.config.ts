import { programBuild } from "../../tsup.program.js";

// The processes the test and the measurement start on the simulated hosts.
export default programBuild(["src/peer.ts", "src/measure.ts"]);
