import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../helpers/project.js";

const run = promisify(execFile);

/** A Node.js executable to run consumers with. */
export interface NodeBinary {
  major: number;
  /** `v22.23.3` */
  version: string;
  executable: string;
}

/** A binary, or why there is none (the tests that need it skip with this message). */
export type NodeAvailability = { binary: NodeBinary; unavailable?: undefined } | { binary?: undefined; unavailable: string };

/** Where registry Node binaries and compilers are installed: git-ignored, kept between runs. */
const CACHE = path.join(ROOT, "node_modules", ".cache", "node-bin");

/**
 * Node.js `major`: this process's own when it is that major, otherwise the npm registry's
 * `node-<os>-<arch>@<major>` package (a prebuilt binary) installed into a cache folder, not into the
 * project. Offline without a cached copy, or on a platform with no such package, it is unavailable.
 */
export async function provideNode(major: number): Promise<NodeAvailability> {
  if (Number(process.versions.node.split(".")[0]) === major) {
    return { binary: { major, version: process.version, executable: process.execPath } };
  }
  if (process.platform !== "linux" && process.platform !== "darwin") {
    return { unavailable: `Node ${major}: no registry binary package is used on ${process.platform}` };
  }
  const name = `node-${process.platform}-${process.arch}`;
  const dir = path.join(CACHE, String(major));
  const executable = path.join(dir, "node_modules", name, "bin", "node");
  const cached = await versionOf(executable);
  if (cached?.startsWith(`v${major}.`)) return { binary: { major, version: cached, executable } };
  const failed = await installIntoCache(dir, `${name}@${major}`);
  if (failed) return { unavailable: `Node ${major}: ${failed}` };
  const version = await versionOf(executable);
  if (!version?.startsWith(`v${major}.`)) return { unavailable: `Node ${major}: ${name}@${major} installed no working binary` };
  return { binary: { major, version, executable } };
}

/**
 * Installs the registry package `spec` into `dir`, not into the project; resolves with why it could not (offline?),
 * or undefined once installed.
 */
async function installIntoCache(dir: string, spec: string): Promise<string | undefined> {
  try {
    await run("npm", ["install", "--prefix", dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefer-offline", spec], {
      // Within the tests' hook timeout: a download that cannot finish is "unavailable", not a failure.
      timeout: 90_000,
    });
    return undefined;
  } catch (error) {
    const npmErrors = ((error as { stderr?: string }).stderr ?? "")
      .split("\n")
      .filter((line) => line.startsWith("npm error") && !line.includes("complete log"))
      .map((line) => line.replace(/^npm error /, ""));
    const reason = npmErrors.slice(0, 2).join("; ") || (error as Error).message;
    return `\`npm install ${spec}\` failed (offline?): ${reason}`;
  }
}

/** A TypeScript compiler (its `bin/tsc`), or why there is none (the tests that need it skip with this message). */
export type TypeScriptAvailability = { tsc: string; unavailable?: undefined } | { tsc?: undefined; unavailable: string };

/**
 * TypeScript `version` from the registry, installed into the cache folder (not a dev dependency: its `tsc` would
 * take the project's `.bin/tsc` from TypeScript 7). Offline without a cached copy, it is unavailable.
 */
export async function provideTypeScript(version: string): Promise<TypeScriptAvailability> {
  const dir = path.join(CACHE, `typescript-${version}`);
  const tsc = path.join(dir, "node_modules", "typescript", "bin", "tsc");
  const installed = async () => (await versionOf(tsc, process.execPath))?.endsWith(` ${version}`);
  if (await installed()) return { tsc };
  const failed = await installIntoCache(dir, `typescript@${version}`);
  if (failed) return { unavailable: `TypeScript ${version}: ${failed}` };
  return (await installed()) ? { tsc } : { unavailable: `TypeScript ${version}: typescript@${version} installed no working tsc` };
}

/** What `executable --version` prints (run by `runner`, e.g. Node for a script), or undefined when it cannot run. */
async function versionOf(executable: string, runner?: string): Promise<string | undefined> {
  try {
    await access(executable);
    return (runner ? await run(runner, [executable, "--version"]) : await run(executable, ["--version"])).stdout.trim();
  } catch {
    return undefined;
  }
}
