/**
 * Our generator as a whole process, launched the way `npm run generate` launches it
 * (`node generator/launch.mjs`, the esbuild bundle of generator/), with `--timings`. The harness
 * knows the CLI only by its flags and by what it prints, never by the generator's internals.
 */
import path from "node:path";
import { runChecked, runProcess, stat, medianByKey, type Stat } from "./measure.js";

/** The folders one generation reads and writes. */
export interface GenerationFolders {
  specs: string;
  out: string;
  /** The `--cache` folder: where the generator remembers results between runs. */
  cache: string;
}

/** What the CLI prints about a run: `--timings`' line and the summary line. */
export interface CliReport {
  /** Milliseconds per stage, in the order printed; whatever stages the pipeline has today. */
  stages: Record<string, number>;
  /** The counts after the stages (`formatted 6, reused 648`). */
  counts: Record<string, number>;
  /** Entities, from the summary line (`(205 entities, 102 ms)`). */
  entities?: number;
  /** The run's own time, as the CLI measures it (without Node's start-up). */
  runMs?: number;
}

/**
 * Reads `timings: <stage> <ms> ms, ...; <count name> <n>, ...` and the summary line
 * `... (<n> entities, <ms> ms)` out of the CLI's output. Tolerant of new, renamed and removed stages
 * and counts; a missing line leaves its part empty.
 */
export function parseCliReport(output: string): CliReport {
  const report: CliReport = { stages: {}, counts: {} };
  for (const line of output.split("\n")) {
    const timings = /^timings:\s*(.*)$/.exec(line.trim());
    if (timings) {
      const text = timings[1]!;
      const split = text.lastIndexOf(";");
      const [stagesText, countsText] = split >= 0 ? [text.slice(0, split), text.slice(split + 1)] : [text, ""];
      // A name runs to the first "<number> ms" that ends an item, so it may hold commas itself.
      for (const match of stagesText.matchAll(/\s*(.+?)\s+(\d+(?:\.\d+)?)\s*ms\s*(?:,|$)/g)) report.stages[match[1]!] = Number(match[2]);
      for (const match of countsText.matchAll(/\s*(.+?)\s+(\d+)\s*(?:,|$)/g)) report.counts[match[1]!] = Number(match[2]);
      continue;
    }
    const summary = /\((\d+) entities, (\d+(?:\.\d+)?) ms\)/.exec(line);
    if (summary) {
      report.entities = Number(summary[1]);
      report.runMs = Number(summary[2]);
    }
  }
  return report;
}

/** One generation, measured from outside (process) and as the CLI reports it. */
export interface GenerationSample extends CliReport {
  /** From spawn to exit: Node's start-up, the launcher and the run. */
  wallMs: number;
  /** User + system CPU time (GNU time), when available. */
  cpuMs?: number;
  /** Peak resident memory (GNU time), when available. */
  peakMB?: number;
}

/** The CLI's arguments for one generation of `folders` (without `--watch` or `--check`). */
export function generatorArgs(root: string, folders: GenerationFolders): string[] {
  return [
    path.join(root, "generator", "launch.mjs"),
    "--specs",
    folders.specs,
    "--out",
    folders.out,
    "--templates",
    path.join(root, "templates"),
    "--cache",
    folders.cache,
    "--timings",
  ];
}

/**
 * Makes sure the launcher's bundle of generator/ exists (it builds it on first use, keyed by the
 * sources' hash), so that no timed run pays for bundling.
 */
export async function warmLauncher(root: string): Promise<void> {
  await runChecked(process.execPath, [path.join(root, "generator", "launch.mjs"), "--help"], { cwd: root });
}

/** Runs one generation (`--check` too: then an up-to-date output is expected, exit 0). */
export async function generateOnce(root: string, folders: GenerationFolders, options: { check?: boolean } = {}): Promise<GenerationSample> {
  const args = [...generatorArgs(root, folders), ...(options.check ? ["--check"] : [])];
  const run = await runProcess(process.execPath, args, { cwd: root });
  if (run.code !== 0) throw new Error(`generation failed (exit ${run.code}): node ${args.join(" ")}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-4000)}`);
  return { ...parseCliReport(run.stdout), wallMs: run.wallMs, ...(run.cpuMs !== undefined ? { cpuMs: run.cpuMs } : {}), ...(run.peakMB !== undefined ? { peakMB: run.peakMB } : {}) };
}

/** Medians of a series of generations, with every sample. */
export interface GenerationSeries {
  wallMs: Stat;
  cpuMs?: Stat;
  peakMB?: Stat;
  runMs?: Stat;
  /** Median milliseconds per stage. */
  stages: Record<string, number>;
  /** The counts of the last run. */
  counts: Record<string, number>;
  samples: GenerationSample[];
}

/** Summarizes a series (a measure missing from any sample is left out). */
export function summarize(samples: readonly GenerationSample[]): GenerationSeries {
  const optional = (pick: (s: GenerationSample) => number | undefined): Stat | undefined => {
    const values = samples.map(pick);
    return values.every((v) => v !== undefined) ? stat(values as number[]) : undefined;
  };
  const cpuMs = optional((s) => s.cpuMs);
  const peakMB = optional((s) => s.peakMB);
  const runMs = optional((s) => s.runMs);
  return {
    wallMs: stat(samples.map((s) => s.wallMs)),
    ...(cpuMs ? { cpuMs } : {}),
    ...(peakMB ? { peakMB } : {}),
    ...(runMs ? { runMs } : {}),
    stages: medianByKey(samples.map((s) => s.stages)),
    counts: samples[samples.length - 1]?.counts ?? {},
    samples: [...samples],
  };
}
