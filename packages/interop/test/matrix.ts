/**
 * The interop matrix: every ordered pair of peers where at least one side is TypeScript, for
 * every pattern, once with the sender creating the service and once with the receiver creating it.
 */
import { isTypeScript, languages, Peer, type Language, type PeerResult } from "./peers.js";

export interface Pattern {
  id: string;
  title: string;
  sender: string;
  receiver: string;
  count: number;
  /** Extra options both sides get. */
  options: string[];
}

export const patterns: readonly Pattern[] = [
  { id: "pubsub-u64", title: "pub-sub `u64`", sender: "publisher", receiver: "subscriber", count: 100, options: ["--payload", "u64"] },
  {
    id: "pubsub-struct",
    title: "pub-sub `TransmissionData`",
    sender: "publisher",
    receiver: "subscriber",
    count: 100,
    options: ["--payload", "TransmissionData"],
  },
  {
    id: "pubsub-slice-header",
    title: "pub-sub `[u32]` + `CustomHeader`",
    sender: "publisher",
    receiver: "subscriber",
    count: 100,
    options: ["--payload", "slice"],
  },
  { id: "event", title: "event (custom ids)", sender: "notifier", receiver: "listener", count: 100, options: [] },
  { id: "request-response", title: "request-response (stream)", sender: "client", receiver: "server", count: 32, options: [] },
  { id: "blackboard", title: "blackboard", sender: "writer", receiver: "reader", count: 100, options: [] },
];

export type Creator = "sender" | "receiver";

export interface Case {
  pattern: Pattern;
  sender: Language;
  receiver: Language;
  creator: Creator;
}

export const cases: readonly Case[] = patterns.flatMap((pattern) =>
  languages.flatMap((sender) =>
    languages
      .filter((receiver) => isTypeScript(sender) || isTypeScript(receiver))
      .flatMap((receiver) => (["sender", "receiver"] as const).map((creator) => ({ pattern, sender, receiver, creator }))),
  ),
);

export const caseName = ({ pattern, sender, receiver, creator }: Case) =>
  `${pattern.id}: ${sender} → ${receiver}, ${creator === "sender" ? sender : receiver} (${creator}) creates`;

export interface Outcome {
  sent: PeerResult;
  received: PeerResult;
  exitCodes: [number, number];
}

/**
 * Runs one case to completion: creator first, opener once the creator is ready, `go` to both,
 * both results, then stdin closed on both and their exit codes. Peers are killed on any failure.
 */
export async function runCase(testCase: Case, prefix: string, service: string): Promise<Outcome> {
  const { pattern, creator } = testCase;
  const common = ["--service", service, "--prefix", prefix, "--count", String(pattern.count), ...pattern.options];
  const start = (side: Creator) =>
    new Peer(side === "sender" ? testCase.sender : testCase.receiver, [
      side === "sender" ? pattern.sender : pattern.receiver,
      ...common,
      side === creator ? "--create" : "--open",
    ]);
  const peers: Peer[] = [];
  try {
    const first = start(creator);
    peers.push(first);
    await first.ready();
    const second = start(creator === "sender" ? "receiver" : "sender");
    peers.push(second);
    await second.ready();
    const [sender, receiver] = creator === "sender" ? [first, second] : [second, first];
    sender.send("go");
    receiver.send("go");
    const [sent, received] = await Promise.all([sender.result(), receiver.result()]);
    const exitCodes = (await Promise.all([sender.finish(), receiver.finish()])) as [number, number];
    if (exitCodes.some((code) => code !== 0)) {
      throw new Error(`exit codes ${exitCodes.join(", ")}\n${sender.describe()}\n${receiver.describe()}`);
    }
    return { sent, received, exitCodes };
  } finally {
    for (const peer of peers) peer.kill();
  }
}
