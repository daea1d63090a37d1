import { Iox2Error } from "../base/errors.js";

/** How an adapter looked for its native library, for the error when none loaded. */
export interface LibrarySearch {
  /** What was loaded, e.g. "the iceoryx2-js Node addon". */
  readonly library: string;
  /** The platform name the prebuilt packages use, e.g. "linux-x64-gnu". */
  readonly platform: string;
  /** Every place tried, each with why it failed. */
  readonly failures: readonly string[];
  /** The environment variable that names a library file to load instead. */
  readonly variable: string;
  /** True when the variable was set (then it was the only place tried). */
  readonly variableSet: boolean;
  /** True when the adapter runs from a source checkout rather than from an installed package. */
  readonly inCheckout: boolean;
  /** The installed package that carries the platform packages, e.g. "@iceoryx2-js/node". */
  readonly packageName: string;
  /** Platforms with a prebuilt package. */
  readonly prebuiltPlatforms: readonly string[];
}

/**
 * The `LibraryLoadFailure` for a search that found nothing loadable: what was tried, then the
 * one remedy that fits how the adapter was installed.
 */
export function libraryLoadFailure(search: LibrarySearch): Iox2Error {
  const tried = `cannot load ${search.library} for ${search.platform}; tried:\n  ${search.failures.join("\n  ")}\n`;
  return new Iox2Error("LibraryLoadFailure", tried + remedy(search));
}

function remedy(search: LibrarySearch): string {
  const { variable } = search;
  if (search.variableSet) return `${variable} names a file that does not load: correct the path or unset ${variable}`;
  if (search.inCheckout) {
    return (
      "this is a source checkout whose native library is not built yet: run 'npm run build' at the repository root " +
      `('npm run demo' and 'npm test' build it too), or set ${variable} to a built library`
    );
  }
  if (!search.prebuiltPlatforms.includes(search.platform)) {
    return (
      `no prebuilt library exists for ${search.platform} (prebuilt: ${search.prebuiltPlatforms.join(", ")}): ` +
      `build it from a clone of the repository ('npm run build') and set ${variable} to the built file`
    );
  }
  return (
    `reinstall ${search.packageName} on this machine with optional dependencies (npm skips them with ` +
    `--omit=optional; a node_modules copied from another platform lacks this one), or set ${variable} to a built library`
  );
}
