/**
 * The TypeScript interop peer (docs/interop.md): one source for Node, Deno and Bun, using only
 * iceoryx2-js's public API.
 *
 *   peer <role> --service <name> [--prefix <prefix>] --count <n> (--create | --open) [--payload <kind>] [--case <case>]
 */
import process from "node:process";
import type { Node } from "@iceoryx2-js/node";
import { blackboardReader, blackboardWriter } from "./blackboard.js";
import { listener, notifier } from "./event.js";
import { probeMismatch } from "./mismatch.js";
import { parseOptions, USAGE, type PeerOptions, type Role } from "./protocol.js";
import { publisher, subscriber } from "./publish-subscribe.js";
import { client, server } from "./request-response.js";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";
import { Deadline, describeError, Peer, PeerFailure, print, Stdin } from "./session.js";

/** Each role but `mismatch`: set up, print `ready`, do the work, return the digest. */
const ROLES: Record<Exclude<Role, "mismatch">, (peer: Peer) => Promise<string>> = {
  publisher,
  subscriber,
  notifier,
  listener,
  client,
  server,
  writer: blackboardWriter,
  reader: blackboardReader,
};

function printError(what: string): void {
  process.stderr.write(`error ${what.replace(/\s*\n\s*/g, "; ")}\n`);
}

function describe(error: unknown): string {
  if (error instanceof PeerFailure) return error.message;
  if (error instanceof iox2.Iox2Error) return describeError(error);
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The mismatch probe prints its result and exits at once: 0 only for `IncompatibleTypes`. */
function mismatch(options: PeerOptions, node: Node): number {
  const outcome = probeMismatch(node, options.service, options.mismatchCase!);
  if (outcome.errorKind === null) {
    printError(outcome.message);
    return 1;
  }
  print(`result ${JSON.stringify({ role: "mismatch", case: options.mismatchCase, errorKind: outcome.errorKind, message: outcome.message })}`);
  if (outcome.errorKind === "IncompatibleTypes") return 0;
  printError(`expected IncompatibleTypes, got ${outcome.errorKind}: ${outcome.message}`);
  return 1;
}

async function main(): Promise<number> {
  const deadline = new Deadline();
  let options: PeerOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    printError(`${describe(error)}; ${USAGE}`);
    return 1;
  }
  const stdin = new Stdin();
  // Without --prefix: upstream's config lookup (config files read), as upstream's programs. The
  // flatbuffer schemas' directory comes from the variable upstream's flatbuffer examples read.
  const schemas = process.env["IOX2_FLATBUFFER_SCHEMA_PATH"];
  const created = new iox2.NodeBuilder()
    .config({
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(schemas === undefined ? {} : { flatbufferSchemaPath: schemas }),
    })
    .create();
  if (created.isErr()) {
    printError(`create node: ${describeError(created.error)}`);
    return 1;
  }
  const node = created.value;
  try {
    if (options.role === "mismatch") return mismatch(options, node);
    const digest = await ROLES[options.role](new Peer(options, node, stdin, deadline));
    print(`result ${JSON.stringify({ role: options.role, count: options.count, digest })}`);
    // Holds every port until the runner is done with both sides.
    await new Deadline().race(stdin.ended, () => "the end of stdin");
    return 0;
  } catch (error) {
    printError(describe(error));
    return 1;
  } finally {
    node.close(); // services, ports and samples with it, newest first
  }
}

process.exit(await main());
