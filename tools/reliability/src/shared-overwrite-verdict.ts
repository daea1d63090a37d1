/**
 * What a run of `hostile-memory-peer` whose service files were overwritten (zeroed, garbled or
 * flipped) must show, for the test suite and the fuzzer alike.
 */

/**
 * Each messaging pattern `hostile-memory-peer` knows, with the suffixes of its services'
 * shared-memory files.
 */
export const FILES_OF = {
  pubsub: [".dynamic", ".data", ".connection"],
  reqres: [".dynamic", ".data", ".connection"],
  event: [".dynamic"],
  blackboard: [".dynamic", ".blackboard_mgmt", ".blackboard_data"],
} as const;
export type Pattern = keyof typeof FILES_OF;

/** How the service's files were overwritten. */
export type Overwrite = "zeroed" | "garbled" | "flipped";

/** The error kinds a call on an overwritten service may fail with. */
export const OVERWRITE_KINDS = ["ServiceInCorruptedState", "ServiceInFlux", "InvalidPayload"] as const;

/** The `<step> <json>` lines of a finished run, by step. */
export function stepsOf(lines: readonly string[]): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const line of lines) {
    const space = line.indexOf(" ");
    if (space > 0) found[line.slice(0, space)] = JSON.parse(line.slice(space + 1));
  }
  return found;
}

/**
 * What is wrong with a run that exited with `code` and printed `lines`; none for a good run.
 * Good: exit 0; the files were found; the calls on the service either worked or failed with one
 * of {@link OVERWRITE_KINDS}, saying more than that a panic was caught (zeros and garbage must
 * make at least one fail; 16 changed bytes may hit nothing read); a new node still exchanges a
 * message; the runtime's own WebAssembly trap still throws; and `done` comes last.
 */
export function overwriteProblems(how: Overwrite, code: number, lines: readonly string[]): string[] {
  if (code !== 0) return [code === -1 ? "still running at the time limit" : code > 128 ? `ended by signal ${code - 128}` : `exit code ${code}`];
  const problems: string[] = [];
  let seen: Record<string, unknown>;
  try {
    seen = stepsOf(lines.filter((line) => line !== "done"));
  } catch (error) {
    return [`a step line is not JSON: ${String(error)}`];
  }
  if (!(Number(seen.zeroed) > 0)) problems.push(`no file was overwritten (zeroed ${JSON.stringify(seen.zeroed)})`);
  const failed = ["send", "receive", "port", "open"].map((step) => [step, seen[step]] as const).filter(([, outcome]) => outcome !== "ok");
  if (how !== "flipped" && failed.length === 0) problems.push("every call on the overwritten service succeeded");
  for (const [step, outcome] of failed) {
    const { kind, message } = (outcome ?? {}) as { kind?: string; message?: string };
    if (!(OVERWRITE_KINDS as readonly string[]).includes(kind ?? "")) problems.push(`${step} failed with ${kind ?? "nothing"}: ${message ?? ""}`);
    else if (/a native panic was caught/.test(message ?? "")) problems.push(`${step}: the message has no cause: ${message}`);
  }
  if (seen.freshNode !== "42") problems.push(`a new node received ${JSON.stringify(seen.freshNode)}, not 42`);
  if (seen.wasm !== "RuntimeError") problems.push(`a WebAssembly trap gave ${JSON.stringify(seen.wasm)}, not RuntimeError`);
  if (lines.at(-1) !== "done") problems.push(`the last line is ${JSON.stringify(lines.at(-1))}, not done`);
  return problems;
}
