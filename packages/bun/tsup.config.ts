import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.library.js";

/** The shared library build; `bun:*` modules exist only inside Bun, never bundled. */
export default defineConfig({ ...libraryBuild, external: [/^bun:/] });
