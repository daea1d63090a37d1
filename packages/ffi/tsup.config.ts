export { libraryBuild as default } from "../../tsup.library.js";
