// @ts-check
/**
 * A read-only npm registry on 127.0.0.1 for the pack test: our packages come from the packed
 * tarballs, so installs resolve them exactly as users will (by name, the platform package chosen
 * by `os`/`cpu`/`libc`) without publishing anything; every other request is passed through to
 * the upstream npm registry. Platform packages not built on this machine are listed from their
 * package.json with a tarball that does not exist: a client that downloads one picked the wrong
 * platform, and the request is recorded in `unavailableDownloads`.
 *
 * With `hiddenScope` (and no tarballs) it stands for the npm registry before the first release:
 * every package of that scope is answered with 404 and recorded in `hiddenRequests`.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * The files of a packed tarball (ustar inside gzip), by path (`package/...`).
 * @param {Buffer} tarball
 * @returns {Map<string, Buffer>}
 */
export function tarballEntries(tarball) {
  const tar = gunzipSync(tarball);
  const field = (/** @type {number} */ start, /** @type {number} */ length) => tar.toString("utf8", start, start + length).replace(/\0.*$/s, "");
  const entries = new Map();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const name = field(offset, 100);
    if (name === "") break;
    const prefix = field(offset + 345, 155);
    const size = parseInt(field(offset + 124, 12).trim(), 8);
    entries.set(prefix ? `${prefix}/${name}` : name, tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/**
 * The package.json of a packed tarball.
 * @param {Buffer} tarball
 * @returns {Record<string, any>}
 */
export function manifestOf(tarball) {
  const manifest = tarballEntries(tarball).get("package/package.json");
  if (!manifest) throw new Error("no package/package.json in tarball");
  return JSON.parse(manifest.toString("utf8"));
}

/**
 * Starts the registry. Each tarball becomes one version of its package.
 * @param {{ tarballs: string[], manifestsOnly?: Record<string, any>[], upstream?: string, hiddenScope?: string }} options
 * @returns {Promise<{ url: string, close(): Promise<void>, unavailableDownloads: string[], hiddenRequests: string[] }>}
 */
export async function startLocalRegistry({ tarballs: tarballPaths, manifestsOnly = [], upstream, hiddenScope }) {
  /** @type {Map<string, { manifest: Record<string, any>, file: string, bytes: Buffer }>} */
  const byFile = new Map();
  /** @type {Map<string, Record<string, any>[]>} */
  const versionsByName = new Map();
  for (const path of tarballPaths) {
    const bytes = readFileSync(path);
    const manifest = manifestOf(bytes);
    const file = basename(path);
    byFile.set(file, { manifest, file, bytes });
    versionsByName.set(manifest.name, [...(versionsByName.get(manifest.name) ?? []), manifest]);
  }
  /** @type {Map<string, Record<string, any>>} */
  const unbuilt = new Map(manifestsOnly.map((manifest) => [manifest.name, manifest]));
  /** @type {string[]} */
  const unavailableDownloads = [];
  /** @type {string[]} */
  const hiddenRequests = [];
  let origin = "";

  const server = createServer((request, response) => {
    const rawPath = new URL(request.url ?? "/", "http://localhost").pathname;
    const path = decodeURIComponent(rawPath);
    const name = path.slice(1);
    if (path.startsWith("/-/unavailable/")) {
      unavailableDownloads.push(path.slice("/-/unavailable/".length));
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "not built on this machine" }));
      return;
    }
    const notBuilt = unbuilt.get(name);
    if (notBuilt) {
      const dist = { tarball: `${origin}/-/unavailable/${name}`, integrity: "sha512-notbuilthere" };
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ name, "dist-tags": { latest: notBuilt.version }, versions: { [notBuilt.version]: { ...notBuilt, dist } } }));
      return;
    }
    const tarball = path.startsWith("/-/tarballs/") ? byFile.get(path.slice("/-/tarballs/".length)) : undefined;
    if (tarball) {
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": tarball.bytes.length });
      response.end(tarball.bytes);
      return;
    }
    const versions = versionsByName.get(name);
    if (!versions && hiddenScope && name.startsWith(`${hiddenScope}/`)) {
      hiddenRequests.push(name);
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "not found" }));
      return;
    }
    if (!versions) {
      passThrough(rawPath, request, response);
      return;
    }
    const packument = {
      name,
      "dist-tags": { latest: versions[versions.length - 1]?.version },
      versions: Object.fromEntries(
        versions.map((manifest) => {
          const entry = [...byFile.values()].find((candidate) => candidate.manifest === manifest);
          if (!entry) throw new Error("unreachable: every manifest comes from a tarball");
          return [
            manifest.version,
            {
              ...manifest,
              dist: {
                tarball: `${origin}/-/tarballs/${encodeURIComponent(entry.file)}`,
                shasum: createHash("sha1").update(entry.bytes).digest("hex"),
                integrity: `sha512-${createHash("sha512").update(entry.bytes).digest("base64")}`,
              },
            },
          ];
        }),
      ),
    };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(packument));
  });

  /**
   * @param {string} rawPath
   * @param {import("node:http").IncomingMessage} request
   * @param {import("node:http").ServerResponse} response
   */
  function passThrough(rawPath, request, response) {
    const method = request.method ?? "GET";
    if (!upstream || (method !== "GET" && method !== "HEAD")) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "not found" }));
      return;
    }
    fetch(new URL(rawPath.slice(1), upstream), { method, headers: { accept: request.headers.accept ?? "application/json" } })
      .then(async (answer) => {
        const body = Buffer.from(await answer.arrayBuffer());
        response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/octet-stream" });
        response.end(body);
      })
      .catch((/** @type {Error} */ error) => {
        response.writeHead(502, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: error.message }));
      });
  }

  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("registry did not bind a TCP port");
  origin = `http://127.0.0.1:${address.port}`;
  return {
    url: `${origin}/`,
    unavailableDownloads,
    hiddenRequests,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
