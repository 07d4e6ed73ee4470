/** Measuring helpers of the benchmark: child processes with their CPU time and peak memory, medians, bundles. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** One child process run. */
export interface ProcessRun {
  /** Wall time from spawn to exit, measured here. */
  wallMs: number;
  /** User + system CPU time of the process and the children it waited for (GNU time), when available. */
  cpuMs?: number;
  /** Peak resident memory of the process (GNU time's maximum RSS), when available. */
  peakMB?: number;
  stdout: string;
  stderr: string;
  code: number;
}

const GNU_TIME = "/usr/bin/time";

/** Runs a command to its end; with GNU time present, also records its CPU time and peak memory. */
/**
 * Waits until what earlier steps wrote and deleted has reached the disk (`sync`), so that a timed
 * run does not pay for flushing the output the step before it deleted: on this machine's ext4
 * (mounted with `discard`) that made plain file writes ~10x slower for a while. Done before every
 * cold run, ours and the peers' alike.
 */
export async function settleDisk(): Promise<void> {
  await new Promise<void>((resolve) => spawn("sync", [], { stdio: "ignore" }).on("close", () => resolve()).on("error", () => resolve()));
}

export async function runProcess(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessRun> {
  const useTime = existsSync(GNU_TIME);
  const dir = useTime ? await mkdtemp(path.join(tmpdir(), "bench-time-")) : undefined;
  const timeFile = dir ? path.join(dir, "time.txt") : undefined;
  const [file, argv] = timeFile ? [GNU_TIME, ["-f", "%U %S %M", "-o", timeFile, command, ...args]] : [command, [...args]];
  const started = performance.now();
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>((resolve, reject) => {
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ stdout: out, stderr: err, code: exitCode ?? 1 }));
  });
  const wallMs = performance.now() - started;
  let cpuMs: number | undefined;
  let peakMB: number | undefined;
  if (timeFile && dir) {
    // The last line: GNU time writes "Command exited with non-zero status" lines before it.
    const line = (await readFile(timeFile, "utf8")).trim().split("\n").pop() ?? "";
    const [user, system, maxKb] = line.split(" ").map(Number);
    if (user !== undefined && system !== undefined && maxKb !== undefined && [user, system, maxKb].every(Number.isFinite)) {
      cpuMs = (user + system) * 1000;
      peakMB = maxKb / 1024;
    }
    await rm(dir, { recursive: true, force: true });
  }
  return { wallMs, ...(cpuMs !== undefined ? { cpuMs } : {}), ...(peakMB !== undefined ? { peakMB } : {}), stdout, stderr, code };
}

/** Runs a command and fails loudly when it fails. */
export async function runChecked(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessRun> {
  const run = await runProcess(command, args, options);
  if (run.code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${run.code}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-4000)}`);
  return run;
}

/** Median, range and every sample of a measure. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

/** Median, min and max of samples (rounded to 0.1). */
export function stat(samples: readonly number[]): Stat {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { median: round(median), min: round(sorted[0]!), max: round(sorted[sorted.length - 1]!), samples: samples.map(round) };
}

/** Median of each key over several records (stage timings). */
export function medianByKey(records: readonly Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(keys.map((key) => [key, stat(records.map((r) => r[key] ?? 0)).median]));
}

/** Size of an app bundled by esbuild, minified, and gzipped. */
export interface BundleSize {
  minifiedBytes: number;
  gzippedBytes: number;
}

/** Bundles `source` (TypeScript, resolved from `resolveDir`) the way an app would ship it: the minified code. */
export async function bundle(source: string, resolveDir: string, nodePaths: string[] = []): Promise<Uint8Array> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir, loader: "ts", sourcefile: "app.ts" },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    legalComments: "none",
    nodePaths,
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.contents;
}

/** The size of `source` bundled as an app ships it, minified and gzipped. */
export async function bundleSize(source: string, resolveDir: string, nodePaths: string[] = []): Promise<BundleSize> {
  const code = await bundle(source, resolveDir, nodePaths);
  return { minifiedBytes: code.length, gzippedBytes: gzipSync(code, { level: 9 }).length };
}

/** Total size of the files under a folder. */
export async function folderBytes(dir: string): Promise<number> {
  const { readdir, stat: statFile } = await import("node:fs/promises");
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let total = 0;
  for (const e of entries) if (e.isFile()) total += (await statFile(path.join(e.parentPath, e.name))).size;
  return total;
}

/** The CPU pressure line of the kernel (`some avg10=… avg60=…`), a sign of other load on the machine. */
export async function cpuPressure(): Promise<string | undefined> {
  try {
    return (await readFile("/proc/pressure/cpu", "utf8")).split("\n")[0]?.trim();
  } catch {
    return undefined;
  }
}
