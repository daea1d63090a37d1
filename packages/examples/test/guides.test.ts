/**
 * The getting-started guides (`docs/getting-started`) run as written.
 *
 * Every fenced block in those pages carries a marker on the line before it:
 *
 * - `<!-- guide-example: NAME -->` before a ```ts block: the program `NAME.ts`. The shared guide's
 *   programs (`guide.md`) import `@iceoryx2-js/node` and run on all three runtimes, with that
 *   import changed to the runtime's package; a runtime page's programs run on that runtime. Before
 *   a ```rust block: a Rust program, built with cargo against the `iceoryx2` crate and run against
 *   the TypeScript programs.
 * - `<!-- guide-file: NAME -->`: a project file (`package.json`, `tsconfig.json`) written as is.
 * - `<!-- guide-command: NAME -->` before a ```sh block: how a runtime page runs `NAME`; the test
 *   runs every program of that runtime with this command line (the program's name in place of
 *   `NAME`), adding only what a checkout needs instead of an installed package.
 * - `<!-- guide-output: NAME -->` before a ```text block: what the program `NAME` prints (`...`
 *   stands for any text), compared with what it printed.
 *
 * Each runtime gets a project directory of its own whose `config/iceoryx2.toml` sets a prefix of
 * its own, which every program (the Rust one too) finds through upstream's config lookup, as a
 * reader's programs would. Programs run as processes; every wait is bounded, and processes that
 * run until Ctrl-C get SIGINT once they printed what the test waits for. Afterwards nothing may be
 * left under the prefix. The Rust program is built once into `$TMPDIR/iox2js-guides-rust`, which
 * is kept, so that only the first run compiles iceoryx2 (about a minute).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChildRun, RUNTIMES, runtimeCommand, type Runtime } from "@iceoryx2-js/runtimes";
import { here } from "./workdir.js";

const REPO = here("../../../");
const DOCS = join(REPO, "docs/getting-started");
const SHARED_PAGE = "guide.md";
const PAGE: Record<Runtime, string> = { node: "node.md", deno: "deno.md", bun: "bun.md" };
const PACKAGE: Record<Runtime, string> = { node: "@iceoryx2-js/node", deno: "@iceoryx2-js/deno", bun: "@iceoryx2-js/bun" };
const TITLE: Record<Runtime, string> = { node: "Node", deno: "Deno", bun: "Bun" };
/** The runtime page's command runs this program; the others are run with its name replaced. */
const COMMAND_TEMPLATE = "hello";

type MarkKind = "example" | "file" | "command" | "output";

interface Block {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  kind: MarkKind | undefined;
  name: string | undefined;
  lang: string;
  code: string;
}

/** Every fenced block of `page`, with the marker on the line before it (if any). */
function readBlocks(page: string): Block[] {
  const lines = readFileSync(join(DOCS, page), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i]!);
    if (fence === null) continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) throw new Error(`${page}:${i + 1}: unclosed code block`);
    const mark = /^<!-- guide-(example|file|command|output): ([\w.-]+) -->$/.exec(lines[i - 1] ?? "");
    blocks.push({
      page,
      line: i + 1,
      kind: mark?.[1] as MarkKind | undefined,
      name: mark?.[2],
      lang: fence[1]!,
      code: `${lines.slice(i + 1, end).join("\n")}\n`,
    });
    i = end;
  }
  return blocks;
}

const PAGES = readdirSync(DOCS).filter((file) => file.endsWith(".md"));
const BLOCKS = PAGES.flatMap(readBlocks);

function block(page: string, kind: MarkKind, name: string): Block {
  const found = BLOCKS.find((b) => b.page === page && b.kind === kind && b.name === name);
  if (found === undefined) throw new Error(`${page} has no guide-${kind}: ${name} block`);
  return found;
}

/** The lines of a guide-output block, as patterns (`...` matches anything). */
function outputPatterns(page: string, name: string): RegExp[] {
  return block(page, "output", name)
    .code.trimEnd()
    .split("\n")
    .map((line) => new RegExp(`^${line.split("...").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`));
}

function expectLines(lines: readonly string[], patterns: RegExp[], context: string): void {
  expect(lines.length, context).toBe(patterns.length);
  patterns.forEach((pattern, i) => expect(lines[i], context).toMatch(pattern));
}

/** Runs a command to its end within `timeoutMs`; fails with its output otherwise. */
function runSync(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: "utf8", timeout: options.timeoutMs });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  return output;
}

/** The files iceoryx2 has under `prefix` in /dev/shm and /tmp/iceoryx2 (its default root path). */
function filesUnder(prefix: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry.startsWith(prefix)) found.push(path);
      else if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path);
    }
  };
  walk("/tmp/iceoryx2");
  for (const entry of existsSync("/dev/shm") ? readdirSync("/dev/shm") : []) if (entry.startsWith(prefix)) found.push(join("/dev/shm", entry));
  return found;
}

/**
 * One runtime's project: the programs of the shared guide and of the runtime's page, its project
 * files, and its config, in a directory of its own.
 */
class Project {
  readonly dir = mkdtempSync(join(tmpdir(), "iox2js-guides-"));
  readonly prefix: string;
  readonly #run: string[];

  constructor(readonly runtime: Runtime) {
    this.prefix = `iox2js_guides_${runtime}_${process.pid}_`;
    mkdirSync(join(this.dir, "config"));
    writeFileSync(join(this.dir, "config", "iceoryx2.toml"), `[global]\nprefix = "${this.prefix}"\n`);
    for (const b of BLOCKS.filter((b) => b.page === SHARED_PAGE && b.kind === "example" && b.lang === "ts")) {
      writeFileSync(join(this.dir, `${b.name}.ts`), b.code.replaceAll(`"${PACKAGE.node}"`, `"${PACKAGE[runtime]}"`));
    }
    for (const b of BLOCKS.filter((b) => b.page === PAGE[runtime] && (b.kind === "example" || b.kind === "file"))) {
      writeFileSync(join(this.dir, b.kind === "example" ? `${b.name}.ts` : b.name!), b.code);
    }
    this.#standIn();
    // The page's command, e.g. `npx tsc && node dist/hello.js`: its build steps run once, here.
    const steps = block(PAGE[runtime], "command", COMMAND_TEMPLATE).code.trim().split("&&").map((step) => step.trim().split(/\s+/));
    for (const step of steps.slice(0, -1)) this.#build(step);
    this.#run = steps.at(-1)!;
  }

  /** Makes the checkout's package importable as an installed one would be. */
  #standIn(): void {
    switch (this.runtime) {
      case "node": {
        // What installing the package and `typescript`/`@types/node` would put into node_modules.
        mkdirSync(join(this.dir, "node_modules", "@iceoryx2-js"), { recursive: true });
        mkdirSync(join(this.dir, "node_modules", "@types"));
        symlinkSync(join(REPO, "packages/node"), join(this.dir, "node_modules", PACKAGE.node));
        symlinkSync(here("../node_modules/@types/node"), join(this.dir, "node_modules/@types/node"));
        break;
      }
      case "bun": {
        // Bun runs the adapter's source, as packages/examples does.
        const paths = { [PACKAGE.bun]: [join(REPO, "packages/bun/src/index.ts")] };
        writeFileSync(join(this.dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { paths } }));
        break;
      }
      case "deno":
        break; // see command()
    }
  }

  /** Runs one build step of the page's command. */
  #build(step: string[]): void {
    if (step.join(" ") !== "npx tsc") throw new Error(`${PAGE[this.runtime]}: unknown build step '${step.join(" ")}'`);
    runSync(process.execPath, [here("../node_modules/typescript/bin/tsc"), "-p", this.dir], { cwd: this.dir, timeoutMs: 120_000 });
  }

  /** The command line that runs program `name`: the page's command; `denoFlags` replace the permissions it gives. */
  command(name: string, denoFlags?: string[]): [string, string[]] {
    const [runner, ...args] = this.#run;
    const executable = runtimeCommand(this.runtime, "")[0];
    if (runner !== this.runtime) throw new Error(`${PAGE[this.runtime]}: the command runs '${runner}', not ${this.runtime}`);
    const named = args.map((arg) => arg.replace(COMMAND_TEMPLATE, name));
    if (this.runtime !== "deno") return [executable, named];
    // A checkout instead of JSR: the adapter's deno.json maps the workspace packages, and the
    // `@iceoryx2-js/ffi` package is read from the workspace rather than from Deno's npm cache.
    const [subcommand, ...rest] = named;
    const flags = denoFlags ?? rest.filter((arg) => arg.startsWith("--"));
    const file = rest.filter((arg) => !arg.startsWith("--"));
    return [executable, [subcommand!, "--config", join(REPO, "packages/deno/deno.json"), `--allow-read=${join(REPO, "packages/ffi")}`, ...flags, ...file]];
  }

  /** Starts program `name` as a process in the project. */
  start(name: string, denoFlags?: string[]): ChildRun {
    return new ChildRun(`${this.runtime} ${name}`, this.command(name, denoFlags), { cwd: this.dir, env: { NO_COLOR: "1" } });
  }

  /** Runs program `name` to its end; returns its exit code and lines. */
  async run(name: string, denoFlags?: string[]): Promise<{ code: number; lines: readonly string[]; errors: readonly string[]; output: string }> {
    const child = this.start(name, denoFlags);
    const code = await child.exitCode();
    return { code, lines: child.lines, errors: child.errorLines, output: child.describe() };
  }

  /** Files left under the prefix besides iceoryx2's management segment (expected: none). */
  leftovers(): string[] {
    return filesUnder(this.prefix).filter((file) => !file.endsWith(".global_mgmt"));
  }

  /** Deletes the directory and everything left under the prefix. */
  remove(): void {
    for (const file of filesUnder(this.prefix)) {
      rmSync(file, { force: true });
      const parent = join(file, "..");
      if (parent.startsWith("/tmp/iceoryx2/nodes/") && readdirSync(parent).length === 0) rmdirSync(parent);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Ends `child` as Ctrl-C in its terminal would (SIGINT); resolves with its exit code. */
async function stopWithCtrlC(child: ChildRun): Promise<number> {
  child.kill("SIGINT");
  return child.exitCode();
}

/**
 * The guide's Rust program, built once with cargo in a directory of its own under the temp dir
 * (kept between runs, so only the first run compiles iceoryx2), with the workspace's lock file.
 */
let rustBinary: string | undefined;
function rustProgram(): string {
  if (rustBinary !== undefined) return rustBinary;
  const code = block(SHARED_PAGE, "example", "rust-subscriber").code;
  const version = /^iceoryx2 = (?:\{ *version = )?"(=[\d.]+)"/m.exec(readFileSync(join(REPO, "Cargo.toml"), "utf8"))?.[1];
  expect(version, "the workspace pins iceoryx2").toBeDefined();
  expect(readFileSync(join(DOCS, SHARED_PAGE), "utf8"), "the guide names the pinned crate").toContain(`iceoryx2 = "${version}"`);
  const dir = join(tmpdir(), "iox2js-guides-rust");
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(
    join(dir, "Cargo.toml"),
    `[package]\nname = "guide-rust-subscriber"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\niceoryx2 = "${version}"\n\n[workspace]\n`,
  );
  writeFileSync(join(dir, "Cargo.lock"), readFileSync(join(REPO, "Cargo.lock")));
  writeFileSync(join(dir, "src", "main.rs"), code);
  runSync("cargo", ["build", "--quiet"], { cwd: dir, env: { CARGO_TARGET_DIR: join(dir, "target") }, timeoutMs: 540_000 });
  return (rustBinary = join(dir, "target", "debug", "guide-rust-subscriber"));
}

describe("the getting-started pages", () => {
  it("mark every code block, each runtime page with a first program and its command", () => {
    const unmarked = BLOCKS.filter((b) => b.kind === undefined).map((b) => `${b.page}:${b.line}`);
    expect(unmarked, "blocks without a guide-* marker").toEqual([]);
    const languages: Record<MarkKind, string[]> = { example: ["ts", "rust"], file: ["json"], command: ["sh"], output: ["text"] };
    for (const b of BLOCKS) expect(languages[b.kind!], `${b.page}:${b.line}`).toContain(b.lang);
    for (const page of PAGES) {
      const names = BLOCKS.filter((b) => b.page === page && b.kind !== "output").map((b) => `${b.kind} ${b.name}`);
      expect(new Set(names).size, `${page}: names are unique`).toBe(names.length);
      // An output belongs to a program of its page: `NAME`, or `NAME-<how it was run>`.
      for (const b of BLOCKS.filter((b) => b.page === page && b.kind === "output")) {
        const programs = BLOCKS.filter((p) => p.page === page && p.kind === "example").map((p) => p.name!);
        expect(programs.some((name) => b.name === name || b.name!.startsWith(`${name}-`)), `${page}:${b.line}`).toBe(true);
      }
    }
    for (const runtime of RUNTIMES) {
      expect(block(PAGE[runtime], "example", "hello").code).toContain(`from "${PACKAGE[runtime]}"`);
      block(PAGE[runtime], "command", COMMAND_TEMPLATE);
    }
    // The shared programs import only the Node package (swapped per runtime) and each other.
    for (const b of BLOCKS.filter((b) => b.page === SHARED_PAGE && b.lang === "ts")) {
      for (const [, specifier] of b.code.matchAll(/from "([^"]+)"/g)) expect([PACKAGE.node, "./reading.ts"], `${b.name}`).toContain(specifier);
    }
  });
});

describe.each(RUNTIMES)("the getting-started guide on %s", (runtime) => {
  let project: Project;

  beforeAll(() => {
    project = new Project(runtime);
  }, 180_000);

  afterAll(() => {
    try {
      expect(project.leftovers(), "nothing left under the prefix").toEqual([]);
    } finally {
      project.remove();
    }
  });

  if (runtime === "deno") {
    it("type-checks every program with deno check", () => {
      const files = readdirSync(project.dir).filter((file) => file.endsWith(".ts"));
      // In a checkout, core-api's build is read as local files, whose declaration chunks import
      // `./chunk.js` for `./chunk.d.ts`; sloppy imports resolve that as an npm install would. The
      // guide's own imports name their files exactly, so this hides nothing in them.
      const args = ["check", "--quiet", "--unstable-sloppy-imports", "--config", join(REPO, "packages/deno/deno.json"), ...files];
      runSync(runtimeCommand("deno", "")[0], args, {
        cwd: project.dir,
        env: { NO_COLOR: "1" },
        timeoutMs: 120_000,
      });
    });

    it("fails without --allow-ffi as the Deno page shows", async () => {
      const { code, errors, output } = await project.run("hello", []);
      expect(code, output).not.toBe(0);
      expectLines(errors.slice(0, 1), outputPatterns(PAGE.deno, "hello-without-ffi"), output);
    });
  }

  it("runs the page's first program with the page's command", async () => {
    const { code, lines, output } = await project.run("hello");
    expect(code, output).toBe(0);
    expect(lines, output).toEqual([`${TITLE[runtime]} received 42 through shared memory`]);
  });

  it("prints the payload layout", async () => {
    const { code, lines, output } = await project.run("layout");
    expect(code, output).toBe(0);
    expect(lines, output).toEqual([
      "Reading: 32 bytes, aligned to 8",
      "  timestampNs at 0: u64",
      "  value at 8: f64",
      "  valid at 16: bool",
      "  tag at 17: [u8; 8]",
    ]);
  });

  it("publishes to the subscriber in another process, which stops on Ctrl-C", async () => {
    const subscriber = project.start("subscriber");
    try {
      await subscriber.line(/^waiting for readings/);
      const publisher = await project.run("publisher");
      expect(publisher.code, publisher.output).toBe(0);
      expect(publisher.lines, publisher.output).toEqual([1, 2, 3, 4, 5].map((i) => `sent reading ${i} to 1 subscriber(s)`));
      expect(await subscriber.matching(/^received /, 5)).toEqual(
        ["1.5", "3", "4.5", "6", "7.5"].map((value) => `received ${value} from sensor-1 (valid: true)`),
      );
      expect(await stopWithCtrlC(subscriber), subscriber.describe()).toBe(0);
      expect(subscriber.lines.at(-1), subscriber.describe()).toBe("subscriber stopped");
    } finally {
      subscriber.kill();
    }
  });

  it("publishes to the Rust program of the guide", { timeout: 600_000 }, async () => {
    const rust = new ChildRun("rust subscriber", [rustProgram(), []], { cwd: project.dir });
    try {
      await rust.line(/^Rust subscriber ready$/);
      const publisher = await project.run("publisher");
      expect(publisher.code, publisher.output).toBe(0);
      expect(publisher.lines.at(-1), publisher.output).toBe("sent reading 5 to 1 subscriber(s)");
      expect(await rust.matching(/^Rust received /, 5)).toEqual(["1.5", "3", "4.5", "6", "7.5"].map((value) => `Rust received ${value} from sensor-1`));
      expect(await stopWithCtrlC(rust), rust.describe()).toBe(0);
    } finally {
      rust.kill();
    }
  });

  it("bounds every wait: timeout, deadline, Ctrl-C or deadline", async () => {
    const { code, lines, output } = await project.run("waiting");
    expect(code, output).toBe(0);
    expect(lines, output).toEqual(["events within 100 ms: 0", "no sample within 100 ms", "Aborted"]);
  });

  it("ends the node.wait loop on Ctrl-C and exits 0", async () => {
    const ticker = project.start("ticker");
    try {
      await ticker.line(/^working; press Ctrl-C to stop$/);
      expect(await stopWithCtrlC(ticker), ticker.describe()).toBe(0);
      expect(ticker.lines.at(-1), ticker.describe()).toMatch(/^stopped after \d+ cycles$/);
    } finally {
      ticker.kill();
    }
  });

  it("streams responses from the server process to the client process", async () => {
    const server = project.start("server");
    try {
      await server.line(/^server ready/);
      const client = await project.run("client");
      expect(client.code, client.output).toBe(0);
      expect(client.lines, client.output).toEqual([
        "the request reached 1 server(s)",
        ...[1, 2, 3, 4, 5].map((i) => `response ${i}`),
        "stream ended",
      ]);
      await server.line(/^answered a request with 5 responses$/);
      expect(await stopWithCtrlC(server), server.describe()).toBe(0);
      expect(server.lines.at(-1), server.describe()).toBe("server stopped");
    } finally {
      server.kill();
    }
  });

  it("ends the client's stream at once when no server runs", async () => {
    const { code, lines, output } = await project.run("client");
    expect(code, output).toBe(0);
    expect(lines, output).toEqual(["the request reached 0 server(s)", "stream ended"]);
  });

  it("counts events per id", async () => {
    const { code, lines, output } = await project.run("events");
    expect(code, output).toBe(0);
    expect(lines, output).toEqual(["event 1 notified 1 time(s)", "event 7 notified 2 time(s)"]);
  });

  for (const name of ["response-buffer", "errors", "limits", "types"]) {
    it(`prints what the guide shows for ${name}.ts`, async () => {
      const { code, lines, output } = await project.run(name);
      expect(code, output).toBe(0);
      expectLines(lines, outputPatterns(SHARED_PAGE, name), output);
    });
  }

  it("closes everything created from a closed node", async () => {
    const { code, lines, output } = await project.run("closing");
    expect(code, output).toBe(0);
    expect(lines, output).toEqual(["received 7", "publisher closed: true", "HandleClosed: Publisher is closed"]);
  });

  it("shows the config in use, and that a misspelt name is another service", async () => {
    const { code, lines, output } = await project.run("names");
    expect(code, output).toBe(0);
    expect(lines, output).toEqual([`config file: config/iceoryx2.toml; prefix: ${project.prefix}`, "sent to 0 subscriber(s)"]);
  });
});
