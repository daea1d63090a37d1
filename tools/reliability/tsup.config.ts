import { programBuild } from "../../tsup.program.js";

// Every process the suites start; shared modules are bundled into each.
export default programBuild(["src/*.ts", "!src/*-cases.ts", "!src/shared-*.ts"]);
