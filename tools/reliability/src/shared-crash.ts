/**
 * What crash-peer.ts and test/crash.test.ts share: the sides of each scenario's service and the
 * line protocol between the test and its peers. No iceoryx2 import: the test loads it too.
 */

/** One end of a scenario's service; each peer process plays one. */
export const SIDES = ["publisher", "subscriber", "client", "server", "writer", "reader"] as const;
export type Side = (typeof SIDES)[number];

export const isSide = (value: unknown): value is Side => SIDES.includes(value as Side);

export type OpenMode = "create" | "open" | "openOrCreate";

/** How long a peer awaits something another process should do (a request, a stream's end). */
export const STEP_WAIT_MS = 10_000;

/** A command line: `<seq> <command> <json args>`. */
export function formatCommand(seq: number, command: string, args: object = {}): string {
  return `${seq} ${command} ${JSON.stringify(args)}`;
}

export function parseCommand(line: string): { seq: number; command: string; args: Record<string, unknown> } | undefined {
  const match = /^(\d+) (\w+) (.*)$/.exec(line.trim());
  if (match === null) return undefined;
  return { seq: Number(match[1]), command: match[2]!, args: JSON.parse(match[3]!) as Record<string, unknown> };
}

export const replyOk = (seq: number, value: unknown): string => `${seq} ok ${JSON.stringify(value ?? null)}\n`;

export const replyErr = (seq: number, kind: string, message: string): string => `${seq} err ${kind} ${message.replace(/\s*\n\s*/g, "; ")}\n`;

/** A peer's answer to one command. */
export type Reply = { ok: true; value: unknown } | { ok: false; kind: string; message: string };

/** Matches the answer line to command `seq`. */
export const replyPattern = (seq: number): RegExp => new RegExp(`^${seq} (ok|err) `);

export function parseReply(line: string): Reply {
  const match = /^\d+ (ok|err) (.*)$/.exec(line)!;
  if (match[1] === "ok") return { ok: true, value: JSON.parse(match[2]!) };
  const space = match[2]!.indexOf(" ");
  return { ok: false, kind: match[2]!.slice(0, space), message: match[2]!.slice(space + 1) };
}
