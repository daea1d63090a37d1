import { programBuild } from "../../tsup.program.js";

// One file per example; flatc's classes are TypeScript source: bundled into each example.
export default programBuild(["src/*/*.ts", "!src/shared/*.ts"], { sources: ["@iceoryx2-js/flatbuffer-schemas"] });
