/**
 * The interop matrix: every ordered pair of peers where at least one side is TypeScript, for
 * every pattern, once with the sender creating the service and once with the receiver creating
 * it, and each in two modes: isolated by `--prefix` (built-in defaults plus a prefix), and as
 * upstream's programs run (no `--prefix`: every peer finds the prefix in the working
 * directory's `config/iceoryx2.toml`; the Rust peer keeps iceoryx2's signal handling).
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
  {
    id: "pubsub-complex",
    title: "pub-sub `ComplexMessage`",
    sender: "publisher",
    receiver: "subscriber",
    count: 100,
    options: ["--payload", "ComplexMessage"],
  },
  {
    id: "pubsub-flatbuffer",
    title: "pub-sub `Flatbuffer<UnboundedData>` + `u64`",
    sender: "publisher",
    receiver: "subscriber",
    count: 100,
    options: ["--payload", "Flatbuffer"],
  },
  { id: "event", title: "event (custom ids)", sender: "notifier", receiver: "listener", count: 100, options: [] },
  { id: "request-response", title: "request-response (stream)", sender: "client", receiver: "server", count: 32, options: [] },
  { id: "blackboard", title: "blackboard", sender: "writer", receiver: "reader", count: 100, options: [] },
];

export type Creator = "sender" | "receiver";
export const modes = ["prefix", "config-file"] as const;
export type Mode = (typeof modes)[number];

export interface Case {
  pattern: Pattern;
  sender: Language;
  receiver: Language;
  creator: Creator;
  mode: Mode;
}

export const cases: readonly Case[] = modes.flatMap((mode) =>
  patterns.flatMap((pattern) =>
    languages.flatMap((sender) =>
      languages
        .filter((receiver) => isTypeScript(sender) || isTypeScript(receiver))
        .flatMap((receiver) => (["sender", "receiver"] as const).map((creator) => ({ pattern, sender, receiver, creator, mode }))),
    ),
  ),
);

export const caseName = ({ pattern, sender, receiver, creator, mode }: Case) =>
  `${pattern.id}: ${sender} → ${receiver}, ${creator === "sender" ? sender : receiver} (${creator}) creates, ${mode}`;

export interface Outcome {
  sent: PeerResult;
  received: PeerResult;
  exitCodes: [number, number];
}

/**
 * Runs one case to completion: creator first, opener once the creator is ready, `go` to both,
 * both results, then stdin closed on both and their exit codes. Peers are killed on any failure.
 */
export async function runCase(
  testCase: Case,
  isolation: { prefix: string; configDirectory: string; flatbufferSchemas: string },
  service: string,
): Promise<Outcome> {
  const { pattern, creator, mode } = testCase;
  const domain = mode === "prefix" ? ["--prefix", isolation.prefix] : [];
  const common = ["--service", service, ...domain, "--count", String(pattern.count), ...pattern.options];
  const start = (side: Creator) =>
    new Peer(
      side === "sender" ? testCase.sender : testCase.receiver,
      [side === "sender" ? pattern.sender : pattern.receiver, ...common, side === creator ? "--create" : "--open"],
      mode === "config-file" ? isolation.configDirectory : undefined,
      // The config file names the schemas' directory; with --prefix, the variable upstream's
      // flatbuffer examples read does.
      mode === "prefix" ? { IOX2_FLATBUFFER_SCHEMA_PATH: isolation.flatbufferSchemas } : undefined,
    );
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
