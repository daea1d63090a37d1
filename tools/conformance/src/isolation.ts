import type { Harness } from "./harness.ts";

let counter = 0;

/**
 * Per-file isolation: a config prefix unique to the suite, runtime and process, so services are
 * invisible to every other test; `cleanUp` checks iceoryx2 removed everything and deletes the
 * prefix's management segment (the one file iceoryx2 keeps per prefix).
 */
export class Isolation {
  readonly prefix: string;

  constructor(
    private readonly h: Harness,
    suite: string,
  ) {
    this.prefix = `iox2js_${suite.replace(/\W/g, "_")}_${h.runtime}_${h.pid}_`;
  }

  node(name = "conformance") {
    return new this.h.api.NodeBuilder().name(name).config({ prefix: this.prefix, builtInDefaults: true }).create().unwrap();
  }

  serviceName(label: string): string {
    return `Conformance/${label}/${counter++}`;
  }

  /** Files iceoryx2 left under the prefix besides its management segment (expected: none). */
  cleanUp(): string[] {
    const left = this.h.listDirectory("/dev/shm").filter((file) => file.includes(this.prefix));
    for (const file of left) {
      if (file.endsWith(".global_mgmt")) this.h.removeFile(`/dev/shm/${file}`);
    }
    return left.filter((file) => !file.endsWith(".global_mgmt"));
  }
}
