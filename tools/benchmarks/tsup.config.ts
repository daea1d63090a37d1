import { programBuild } from "../../tsup.program.js";

// peer.js runs on Node, Deno and Bun; alternatives.js and run.js on Node only; micro/*.js are
// single-process measurements of one mechanism each, on any runtime.
export default programBuild(["src/peer.ts", "src/alternatives.ts", "src/run.ts", "src/micro/*.ts"], { external: ["zeromq"] });
