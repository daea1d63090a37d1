import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as publicEntry from "../src/index.js";
import * as internalEntry from "../src/internal.js";

const declarations = fileURLToPath(new URL("../dist/index.d.ts", import.meta.url));

/** A consumer's program against the built declarations, as a project without this repo's settings compiles it. */
const CONSUMER = `
import { NodeBuilder, array, f64, struct, u32, type Iox2Error } from "@iceoryx2-js/core-api";
declare function print(...values: unknown[]): void;
const Pose = struct("Pose", { position: array(f64, 3), id: u32 });
const pose = Pose.view(new Uint8Array(Pose.size));
pose.$assign({ position: [1, 2, 3] });
pose.position.write(new Float64Array([4, 5, 6]));
const plain: { position: number[]; id: number } = pose.$toPlain();
const created = new NodeBuilder().create();
if (created.isOk()) {
  using node = created.value;
  print(node.name, plain);
} else {
  const error: Iox2Error = created.error;
  print(error.kind);
}
`;

function diagnosticsFor(options: ts.CompilerOptions): string[] {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name.endsWith("/consumer.ts") ? CONSUMER : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name.endsWith("/consumer.ts") || fileExists(name);
  const program = ts.createProgram(["/virtual/consumer.ts"], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

const base: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  skipLibCheck: false,
  paths: { "@iceoryx2-js/core-api": [declarations] },
};

describe("the public declarations", () => {
  it.each([
    ["lib ES2022, no @types/node (no Disposable in lib)", { lib: ["lib.es2022.d.ts"], types: [] }],
    ["lib ESNext, no @types/node", { lib: ["lib.esnext.d.ts"], types: [] }],
    ["lib ES2022 with @types/node", { lib: ["lib.es2022.d.ts"], types: ["node"], typeRoots: [fileURLToPath(new URL("../node_modules/@types", import.meta.url))] }],
  ])("compile in a consumer project: %s", (_name, options) => {
    const ownDiagnostics = diagnosticsFor({ ...base, ...options });
    expect(ownDiagnostics).toEqual([]);
  });

  it("the package entry exports no internals, and the internal entry repeats nothing public", () => {
    const shared = Object.keys(internalEntry).filter((name) => name in publicEntry);
    expect(shared).toEqual([]);
    for (const internal of ["installBackend", "currentBackend", "Native", "nativeFor", "createCAbiBackend", "C_ABI_SYMBOLS", "SampleInfo"]) {
      expect(Object.keys(publicEntry)).not.toContain(internal);
      expect(Object.keys(internalEntry)).toContain(internal);
    }
    // Helpers the samples use inside the package are in neither entry.
    for (const helper of ["rawElementBytes", "sliceView"]) expect(Object.keys(publicEntry)).not.toContain(helper);
  });
});
