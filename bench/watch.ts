/**
 * One spec changed under `npm run generate -- --watch`: the CLI's own watch mode, launched as
 * `npm run generate` launches it, a warm process (modules loaded, JIT warm), which is how a
 * developer regenerates on every save.
 */
import { spawn } from "node:child_process";
import { stat, medianByKey, type Stat } from "./measure.js";
import { generatorArgs, parseCliReport, type GenerationFolders } from "./ours.js";

/** Medians of one-change regenerations under --watch. */
export interface WatchResult {
  /** From the spec write to the CLI's "watching for changes..." after the run (the watcher's quiet period included). */
  saveToIdleMs: Stat;
  /** The regeneration itself, as the CLI reports it. */
  regenerationMs: Stat;
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
      else setTimeout(poll, 2);
    };
    poll();
  });
}

/**
 * Starts the CLI in watch mode on `folders` (their output and cache up to date), then edits one
 * spec `runs` times through `edit(i)`, each time waiting for the CLI to be idle again.
 */
export async function measureWatch(options: {
  root: string;
  folders: GenerationFolders;
  runs: number;
  edit: (run: number) => Promise<void>;
  progress: (message: string) => void;
}): Promise<WatchResult> {
  const child = spawn(process.execPath, [...generatorArgs(options.root, options.folders), "--watch"], { cwd: options.root, stdio: ["ignore", "pipe", "pipe"] });
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
    let seen = (await waitForLine(lines, 0, isIdle, 300_000)) + 1;
    const saveToIdle: number[] = [];
    const regenerations: number[] = [];
    const stages: Record<string, number>[] = [];
    for (let i = 0; i < options.runs; i++) {
      const started = performance.now();
      await options.edit(i);
      const idle = await waitForLine(lines, seen, isIdle, 120_000);
      saveToIdle.push(performance.now() - started);
      const report = parseCliReport(lines.slice(seen, idle).join("\n"));
      if (report.runMs === undefined) throw new Error(`watch: the run printed no summary line:\n${lines.slice(seen, idle).join("\n")}`);
      regenerations.push(report.runMs);
      stages.push(report.stages);
      options.progress(`--watch, one changed spec ${i + 1}/${options.runs}: regeneration ${Math.round(report.runMs)} ms, save to idle ${Math.round(saveToIdle[i]!)} ms`);
      // Let the watcher settle (one write can fire more than one event) before the next edit.
      await new Promise((resolve) => setTimeout(resolve, 300));
      seen = lines.length;
    }
    return { saveToIdleMs: stat(saveToIdle), regenerationMs: stat(regenerations), stages: medianByKey(stages) };
  } finally {
    child.kill("SIGTERM");
  }
}
