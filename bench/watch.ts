/**
 * One spec changed under `npm run generate -- --watch`: the CLI's own watch mode, a warm process
 * (modules loaded, JIT warm), which is how a developer regenerates on every save.
 */
import { spawn } from "node:child_process";
import { cp, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { stat, medianByKey, type Stat } from "./measure.js";
import { touchOneSpec } from "./synthetic.js";

/** Medians of one-change regenerations under --watch. */
export interface WatchResult {
  /** From the spec write to the CLI's "watching for changes..." after the run. */
  wallMs: Stat;
  /** The run itself, as the CLI reports it. */
  pipelineMs: Stat;
  stages: Record<string, number>;
}

/** Waits for output lines until `done` returns true on one; rejects after `timeoutMs`. */
function waitForLine(lines: string[], from: number, done: (line: string) => boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const index = lines.findIndex((line, i) => i >= from && done(line));
      if (index >= 0) resolve(index);
      else if (Date.now() - started > timeoutMs) reject(new Error(`watch: no line after ${timeoutMs} ms:\n${lines.slice(-20).join("\n")}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/**
 * Starts the CLI in watch mode on `specsDir`, writing to a copy of `seedOut` with a copy of the
 * caches (so its first run is warm-cache), then edits one spec `runs` times.
 */
export async function measureWatch(options: { root: string; work: string; specsDir: string; seedOut: string; seedCacheDir: string; runs: number; firstRound: number }): Promise<WatchResult> {
  const dir = path.join(options.work, "watch");
  const out = path.join(dir, "out");
  // The CLI keeps its cache in <cwd>/node_modules/.cache/nexudus-codegen/.
  const cacheDir = path.join(dir, "node_modules", ".cache", "nexudus-codegen");
  await rm(dir, { recursive: true, force: true });
  await mkdir(cacheDir, { recursive: true });
  await cp(options.seedOut, out, { recursive: true });
  await cp(options.seedCacheDir, cacheDir, { recursive: true });

  const tsx = path.join(options.root, "node_modules", ".bin", "tsx");
  const cli = path.join(options.root, "generator", "cli.ts");
  const child = spawn(tsx, [cli, "--watch", "--timings", "--specs", options.specsDir, "--out", out, "--templates", path.join(options.root, "templates")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let pending = "";
  const collect = (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    lines.push(...parts);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const isIdle = (line: string) => line.startsWith("watching for changes");
  try {
    let seen = (await waitForLine(lines, 0, isIdle, 120_000)) + 1;
    const walls: number[] = [];
    const pipelines: number[] = [];
    const stages: Record<string, number>[] = [];
    for (let i = 0; i < options.runs; i++) {
      const started = performance.now();
      await touchOneSpec(options.specsDir, options.firstRound + i);
      const idle = await waitForLine(lines, seen, isIdle, 60_000);
      walls.push(performance.now() - started);
      const run = lines.slice(seen, idle);
      const summary = run.map((line) => /\((\d+) entities, (\d+) ms\)/.exec(line)).find(Boolean);
      if (summary) pipelines.push(Number(summary[2]));
      const timing = run.find((line) => line.startsWith("timings: "));
      if (timing) {
        // "timings: load 12 ms, validate 3 ms, ...; formatted 6, reused 666"
        const list = timing.slice("timings: ".length).split(";")[0]!.split(", ");
        stages.push(Object.fromEntries(list.map((item) => [item.replace(/ [\d.]+ ms$/, ""), Number(/([\d.]+) ms$/.exec(item)?.[1] ?? 0)])));
      }
      // Let the watcher settle (one write can fire more than one event) before the next edit.
      await new Promise((resolve) => setTimeout(resolve, 300));
      seen = lines.length;
    }
    return { wallMs: stat(walls), pipelineMs: stat(pipelines), stages: medianByKey(stages) };
  } finally {
    child.kill("SIGTERM");
  }
}
