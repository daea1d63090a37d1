/**
 * Runs one misuse case (src/misuse-cases.ts) on the runtime this process runs on.
 *
 *   misuse <case> --prefix <prefix>   prints `result {"case", "errorKind", "message", "followUp": "ok"}`, exits 0
 *   misuse --list                     prints every case name, one per line
 *
 * Anything else than the expected typed error followed by a working follow-up prints
 * `error <what happened>` on stderr and exits 1. Every node the case opened is closed afterwards
 * and no native handle may stay open. The process then ends on its own: a wait or timer the
 * library left behind would keep it alive, and the runner's time limit would report it.
 */
import process from "node:process";
import type { Backend, Iox2Error, Node } from "@iceoryx2-js/node/internal";
import { MISUSE_CASES, Unexpected, type MisuseCase, type MisuseContext } from "./misuse-cases.js";
import { iox2, runtime } from "@iceoryx2-js/runtimes/adapter/internal";

const USAGE = "usage: misuse <case> --prefix <prefix> | misuse --list";

class CaseContext implements MisuseContext {
  readonly iox2 = iox2;
  readonly runtime = runtime;
  readonly #nodes: Node[] = [];
  #services = 0;

  constructor(
    readonly prefix: string,
    readonly caseName: string,
  ) {}

  node(backend?: Backend): Node {
    const builder = backend === undefined ? new iox2.NodeBuilder() : iox2.nodeBuilderOver(backend);
    const node = builder.config({ prefix: this.prefix }).create().unwrap();
    this.#nodes.push(node);
    return node;
  }

  serviceName(label: string): string {
    return `misuse/${this.caseName}/${runtime}/${process.pid}/${label}/${this.#services++}`;
  }

  /** Closes every node of the case, newest first. */
  closeNodes(): void {
    for (const node of this.#nodes.splice(0).reverse()) node.close();
  }
}

function describe(error: unknown): string {
  if (error instanceof iox2.Iox2Error) return `Iox2Error ${error.kind}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `a thrown ${typeof error}: ${String(error)}`;
}

/** Runs the misuse, checks its error and runs the follow-up; returns the error. */
async function misuseAndFollowUp(testCase: MisuseCase, ctx: CaseContext): Promise<Iox2Error> {
  const { error, followUp } = await testCase.run(ctx);
  if (!(error instanceof iox2.Iox2Error)) throw new Unexpected(`the misuse gave ${describe(error)}, not an Iox2Error`);
  if (error.kind !== testCase.kind) throw new Unexpected(`the misuse gave ${describe(error)}, expected kind ${testCase.kind}`);
  if (error.message.trim() === "") throw new Unexpected(`the misuse gave an Iox2Error ${error.kind} without a message`);
  try {
    await followUp();
  } catch (cause) {
    throw new Unexpected(`the follow-up after the misuse failed: ${describe(cause)}`);
  }
  return error;
}

async function runCase(testCase: MisuseCase, prefix: string): Promise<void> {
  const ctx = new CaseContext(prefix, testCase.name);
  let error: Iox2Error;
  try {
    error = await misuseAndFollowUp(testCase, ctx);
  } finally {
    ctx.closeNodes();
  }
  const open = iox2.openHandleCount();
  if (open !== 0) throw new Unexpected(`${open} native handle(s) stayed open after every node of the case was closed`);
  process.stdout.write(`result ${JSON.stringify({ case: testCase.name, errorKind: error.kind, message: error.message, followUp: "ok" })}\n`);
}

async function main(args: string[]): Promise<number> {
  if (args.length === 1 && args[0] === "--list") {
    process.stdout.write(MISUSE_CASES.map((testCase) => `${testCase.name}\n`).join(""));
    return 0;
  }
  const [name, flag, prefix] = args;
  const testCase = MISUSE_CASES.find((candidate) => candidate.name === name);
  if (args.length !== 3 || flag !== "--prefix" || !prefix || testCase === undefined) {
    process.stderr.write(`error ${testCase === undefined && name !== undefined ? `unknown case '${name}'; ` : ""}${USAGE}\n`);
    return 1;
  }
  try {
    await runCase(testCase, prefix);
    return 0;
  } catch (error) {
    process.stderr.write(`error ${runtime} ${testCase.name}: ${describe(error).replace(/\s*\n\s*/g, "; ")}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
