// Builds the Node addon with plain `cargo build --release`, into the same target directory as
// the C-ABI library and the Rust peers, so their shared dependencies (iceoryx2 above all) compile
// once; `napi build` always passes `--target`, which gives the addon a directory of its own and
// compiled every dependency a second time. Then copies the library to
// `native/iox2js.<platform>.node`, named as napi-rs names it for this host.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTriple } from "@napi-rs/cli";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const root = join(packageDir, "..", "..");

const host = /^host: (\S+)$/m.exec(execFileSync("rustc", ["-vV"], { encoding: "utf8" }))?.[1];
if (host === undefined) throw new Error("build-native: `rustc -vV` printed no host triple");
const platform = parseTriple(host).platformArchABI;

execFileSync("cargo", ["build", "--release", "--locked", "-p", "iceoryx2-js-napi"], { cwd: root, stdio: "inherit" });

const targetVariable = process.env.CARGO_TARGET_DIR;
const targetDir = targetVariable ? (isAbsolute(targetVariable) ? targetVariable : join(root, targetVariable)) : join(root, "target");
const built = { darwin: "libiox2js_napi.dylib", win32: "iox2js_napi.dll" }[process.platform] ?? "libiox2js_napi.so";
mkdirSync(join(packageDir, "native"), { recursive: true });
const addon = join(packageDir, "native", `iox2js.${platform}.node`);
copyFileSync(join(targetDir, "release", built), addon);
console.log(`build-native: ${addon}`);
