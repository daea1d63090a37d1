import type * as CoreApi from "@iceoryx2-js/core-api";
import type * as CoreInternal from "@iceoryx2-js/core-api/internal";

/** The adapter under test, through its internal entry: the public API, core-api's internals and the backend it loaded. */
export type Api = typeof CoreApi & typeof CoreInternal & { readonly backend: CoreInternal.Backend };

/** The subset of expect() the suite uses; vitest's, Bun's and the `expect` package all provide it. */
export interface Matchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeNull(): void;
  toBeUndefined(): void;
  toBeDefined(): void;
  toBeInstanceOf(expected: unknown): void;
  toContain(expected: unknown): void;
  toMatch(expected: RegExp | string): void;
  toMatchObject(expected: object): void;
  toBeGreaterThan(expected: number): void;
  toBeLessThan(expected: number): void;
  readonly not: Matchers;
}

/**
 * What each runtime's runner passes to the suite (in the style of panva/jose's per-runtime
 * runners): its test functions, the adapter, and the few things only the runtime can do.
 */
export interface Harness {
  readonly runtime: "node" | "deno" | "bun";
  readonly api: Api;
  describe(name: string, body: () => void): void;
  it(name: string, body: () => void | Promise<void>): void;
  afterAll(body: () => void | Promise<void>): void;
  expect(value: unknown): Matchers;
  /** Runs a full garbage collection. */
  gc(): void;
  /** Lets the event loop turn once (finalizers run between turns). */
  nextTurn(): Promise<void>;
  /** Names of the entries of a directory ([] if it does not exist). */
  listDirectory(path: string): string[];
  /** Removes a file, or a directory with everything in it. */
  removeFile(path: string): void;
  /** Writes a text file, creating its directory first. */
  writeFile(path: string, text: string): void;
  /**
   * Starts a child process of this runtime (`test/node-holder.*` of the runner) that creates a
   * node named `name` under `config` (JSON-encodable config options) and, given `service`,
   * opens or creates the publish-subscribe service of that name (payload `u64`) with a
   * subscriber; resolves once they exist. For dead-node tests: `kill()` sends SIGKILL and
   * resolves once the process is gone.
   */
  spawnNode(config: object, name: string, service?: string): Promise<ChildNode>;
  /** Process id, for unique names. */
  readonly pid: number;
}

/** A child process that holds a node (see {@link Harness.spawnNode}). */
export interface ChildNode {
  readonly pid: number;
  kill(): Promise<void>;
}

/** A conformance test module: registers its tests with the harness. */
export type Suite = (harness: Harness) => void;
