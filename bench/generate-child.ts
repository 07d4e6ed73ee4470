/**
 * One generation in its own process, for the benchmark: runs the pipeline as the CLI does, with an
 * explicit format cache, and prints one JSON line with its timings, CPU time and peak memory.
 * Usage: tsx bench/generate-child.ts <specsDir> <outDir> <cacheFile|-> [--templates <dir>] [--check]
 * The benchmark also runs it bundled by esbuild (plain node, no tsx): then it needs --templates.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "../generator/pipeline.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** What the child reports to bench/run.ts. */
export interface ChildReport {
  /** Wall time of `generate()` itself, in ms (the process also spends time starting Node and tsx). */
  pipelineMs: number;
  /** CPU time of the whole process (user + system, every thread), in ms. */
  cpuMs: number;
  /** Peak resident memory of the process, in MB. */
  peakMB: number;
  timings: Record<string, number>;
  formatted: number;
  reused: number;
  changed: number;
}

const [specsDir, outDir, cacheArg, ...flags] = process.argv.slice(2);
if (!specsDir || !outDir || !cacheArg) {
  process.stderr.write("usage: tsx bench/generate-child.ts <specsDir> <outDir> <cacheFile|-> [--templates <dir>] [--check]\n");
  process.exit(2);
}
const templatesAt = flags.indexOf("--templates");
const templatesDir = templatesAt >= 0 ? flags[templatesAt + 1]! : path.join(ROOT, "templates");
const started = performance.now();
const report = await generate({
  specsDir,
  outDir,
  templatesDir,
  cacheDir: cacheArg === "-" ? undefined : path.dirname(cacheArg),
  check: flags.includes("--check"),
});
const pipelineMs = performance.now() - started;
const cpu = process.cpuUsage();
const result: ChildReport = {
  pipelineMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakMB: process.resourceUsage().maxRSS / 1024,
  timings: report.timings,
  formatted: report.formatted,
  reused: report.reused,
  changed: report.changes.changed.length + report.changes.removed.length,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
