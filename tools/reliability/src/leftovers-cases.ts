/**
 * What test/leftovers.test.ts and its child (src/leftovers-peer.ts) share: the service the dead
 * node had open, and the shape of each call's result line.
 */

/** The publish-subscribe service (of `u64`s) the killed peer created. */
export const LEFTOVERS_SERVICE = "leftovers/service";

/** Another publish-subscribe service (of `u64`s) of the same prefix, no leftover's business. */
export const OTHER_SERVICE = "leftovers/other";

/** One `result <call> <JSON>` line of the child. */
export type CallResult = { ok: true } | { ok: false; kind: string; message: string };

/** The results of a child's `result` lines, by call. */
export function parseResults(lines: readonly string[]): Map<string, CallResult> {
  const results = new Map<string, CallResult>();
  for (const line of lines) {
    const match = /^result (\S+) (.*)$/.exec(line);
    if (match) results.set(match[1]!, JSON.parse(match[2]!) as CallResult);
  }
  return results;
}
