/**
 * What a benchmark run found (the shape of bench/results.json), the targets of issue 10 judged on
 * it, and the Markdown tables printed at the end of a run and written into docs/benchmark.md.
 */
import type { BundleSize, Stat } from "./measure.js";
import type { GenerationSeries } from "./ours.js";
import { costPerThousandFields, type ScalingPoint } from "./scaling.js";
import type { SpecSetName } from "./spec-sets.js";
import type { WatchResult } from "./watch.js";

/** A peer generator, measured on the OpenAPI document we export for the same spec set. */
export interface PeerResult {
  package: string;
  version: string;
  runsOn: string;
  generateMs: Stat;
  generateCpuMs?: Stat;
  generatePeakMB?: Stat;
  outputBytes: number;
  tscMs: Stat;
  bundle: { one: BundleSize; all: BundleSize };
}

/** Our generator on one spec set. */
export interface OursResult {
  cold: GenerationSeries;
  check: GenerationSeries;
  oneChange: GenerationSeries;
  noop: GenerationSeries;
  watch: WatchResult;
  /** The `--cache` folder's size after the warm runs. */
  cacheBytes: number;
  outputBytes: number;
  /** `tsc -p` over the package's own project (tsconfig.json: everything but the Node-only folders, no Node types). */
  tscMs: Stat;
  /** `tsc -p` over each Node-only project of the package (the test server's, with Node's types); reported only. */
  nodeOnlyTsc?: { project: string; tscMs: Stat }[];
  /** `tsc -p` over a consumer project importing one resource from the built package. */
  consumer: { resourceInfo: string; source: string; tscMs: Stat };
  bundle: { one: BundleSize; all: BundleSize };
}

/** A target of issue 10, judged on one spec set; `met` is null when it is reported only or could not be judged. */
export interface Target {
  target: string;
  value: string;
  met: boolean | null;
}

export interface SetResult {
  name: SpecSetName;
  label: string;
  specFiles: number;
  entities: number;
  operations: number;
  editedSpec: string;
  openapiBytes: number;
  ours: OursResult;
  peers: PeerResult[];
  targets: Target[];
}

export interface Results {
  note: string;
  startedAt: string;
  durationS: number;
  machine: Record<string, unknown>;
  /** `tsc`: rounds of tsc over our package and each peer's output, taking turns (absent from older results). */
  runs: { cold: number; fast: number; peers: number; tsc?: number };
  sets: SetResult[];
  /** One spec of growing size, generated cold (bench/scaling.ts); absent when `--no-scaling`. */
  scaling?: ScalingPoint[];
}

export const ms = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`);
export const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;
const mbBytes = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
const mb = (n: number): string => `${Math.round(n)} MB`;

/** The limits of issue 10. */
export const LIMITS = {
  oneChangeProcessMs: 300,
  oneChangeWatchMs: 50,
  noopProcessMs: 150,
  cacheBytes: 5 * 2 ** 20,
  consumerTscMs: 300,
  oneEndpointGzipBytes: 3500,
} as const;

/** Judges the targets of issue 10 on one spec set. */
export function judgeTargets(ours: OursResult, peers: readonly PeerResult[]): Target[] {
  const fastest = peers.length ? peers.reduce((a, b) => (b.generateMs.median < a.generateMs.median ? b : a)) : undefined;
  const half = fastest ? fastest.generateMs.median / 2 : undefined;
  const versusHalf = (value: number): Target["met"] => (half === undefined ? null : value <= half);
  const halfText = fastest ? ` vs ≤ ${ms(half!)} (half of ${fastest.package}'s ${ms(fastest.generateMs.median)})` : " (no peers measured)";
  const openapiTypescript = peers.find((p) => p.package.startsWith("openapi-typescript"));
  const peak = ours.cold.peakMB;
  return [
    { target: "cold full generation ≤ half the fastest peer", value: `${ms(ours.cold.wallMs.median)}${halfText}`, met: versusHalf(ours.cold.wallMs.median) },
    { target: "`--check` no slower than that", value: `${ms(ours.check.wallMs.median)}${halfText}`, met: versusHalf(ours.check.wallMs.median) },
    { target: "one changed spec < 0.3 s (whole process)", value: ms(ours.oneChange.wallMs.median), met: ours.oneChange.wallMs.median < LIMITS.oneChangeProcessMs },
    {
      target: "one changed spec < 50 ms per regeneration in `--watch`",
      value: `${ms(ours.watch.regenerationMs.median)} (save to idle ${ms(ours.watch.saveToIdleMs.median)})`,
      met: ours.watch.regenerationMs.median < LIMITS.oneChangeWatchMs,
    },
    { target: "no-op < 0.15 s (whole process)", value: ms(ours.noop.wallMs.median), met: ours.noop.wallMs.median < LIMITS.noopProcessMs },
    { target: "cache on disk < 5 MB", value: mbBytes(ours.cacheBytes), met: ours.cacheBytes < LIMITS.cacheBytes },
    { target: "peak memory of a cold run (reported)", value: peak ? `${mb(peak.median)} (max ${mb(peak.max)})` : "not measured (no GNU time)", met: null },
    {
      target: "`tsc --noEmit` over the package no slower than over openapi-typescript's output",
      value: `${openapiTypescript ? `${ms(ours.tscMs.median)} vs ${ms(openapiTypescript.tscMs.median)}` : `${ms(ours.tscMs.median)} (no peers measured)`}${nodeOnlyText(ours)}`,
      met: openapiTypescript ? ours.tscMs.median <= openapiTypescript.tscMs.median : null,
    },
    { target: "a consumer importing one resource type-checks < 0.3 s", value: ms(ours.consumer.tscMs.median), met: ours.consumer.tscMs.median < LIMITS.consumerTscMs },
    { target: "one-endpoint app < 3.5 kB (esbuild, minified, gzipped)", value: kb(ours.bundle.one.gzippedBytes), met: ours.bundle.one.gzippedBytes < LIMITS.oneEndpointGzipBytes },
  ];
}

/** The Node-only projects' tsc times, reported beside the package's: `(its Node-only project `src/testing/tsconfig.json`, with Node's types: 380 ms)`. */
const nodeOnlyText = (ours: OursResult): string =>
  (ours.nodeOnlyTsc ?? []).map(({ project, tscMs }) => ` (its Node-only project \`${project}\`, with Node's types: ${ms(tscMs.median)})`).join("");

const verdict = (met: boolean | null): string => (met === null ? "reported" : met ? "**met**" : "**not met**");
const setHeading = (set: SetResult): string => `${set.name} (${set.entities} entities)`;
const row = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
const ruler = (columns: number): string => row(Array.from({ length: columns }, () => "---"));

/** The targets, side by side per spec set. */
function targetsTable(sets: readonly SetResult[]): string[] {
  const lines = [row(["target", ...sets.map(setHeading)]), ruler(sets.length + 1)];
  for (const [i, target] of sets[0]!.targets.entries()) {
    lines.push(row([target.target, ...sets.map((s) => `${s.targets[i]!.value}: ${verdict(s.targets[i]!.met)}`)]));
  }
  return lines;
}

/** Our measures per spec set: the process from outside, the run as the CLI reports it, peak memory. */
function oursTable(sets: readonly SetResult[]): string[] {
  const lines = [row(["nexudus-codegen", ...sets.flatMap((s) => [`${s.name}: process`, `${s.name}: run (CLI)`, `${s.name}: peak RSS`])]), ruler(sets.length * 3 + 1)];
  const series = [
    ["cold full generation (empty cache and output)", (o: OursResult) => o.cold],
    ["`--check` on an up-to-date output", (o: OursResult) => o.check],
    ["one changed spec", (o: OursResult) => o.oneChange],
    ["no-op", (o: OursResult) => o.noop],
  ] as const;
  for (const [label, pick] of series) {
    lines.push(
      row([
        label,
        ...sets.flatMap((s) => {
          const measured = pick(s.ours);
          return [ms(measured.wallMs.median), measured.runMs ? ms(measured.runMs.median) : "", measured.peakMB ? mb(measured.peakMB.median) : ""];
        }),
      ]),
    );
  }
  lines.push(row(["one changed spec, `--watch` (save to idle / regeneration)", ...sets.flatMap((s) => [ms(s.ours.watch.saveToIdleMs.median), ms(s.ours.watch.regenerationMs.median), ""])]));
  lines.push(row(["cache folder after a warm run", ...sets.flatMap((s) => [mbBytes(s.ours.cacheBytes), "", ""])]));
  lines.push(row(["counts `--timings` printed, cold", ...sets.flatMap((s) => [countsText(s.ours.cold.counts), "", ""])]));
  lines.push(row(["counts `--timings` printed, one changed spec", ...sets.flatMap((s) => [countsText(s.ours.oneChange.counts), "", ""])]));
  return lines;
}

const countsText = (counts: Record<string, number>): string => Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ");

/** Ours and the peers on one spec set. */
function sideBySide(set: SetResult): string[] {
  const lines = [
    `**${set.label}**: ${set.entities} entities, ${set.operations} operations; the exported OpenAPI document the peers generate from is ${mbBytes(set.openapiBytes)}.`,
    "",
    row(["", "generation (cold)", "tsc --noEmit", "one-endpoint app (min / gzip)", "all-endpoints app (min / gzip)", "output"]),
    ruler(6),
  ];
  const o = set.ours;
  lines.push(row(["nexudus-codegen", ms(o.cold.wallMs.median), ms(o.tscMs.median), `${kb(o.bundle.one.minifiedBytes)} / ${kb(o.bundle.one.gzippedBytes)}`, `${kb(o.bundle.all.minifiedBytes)} / ${kb(o.bundle.all.gzippedBytes)}`, mbBytes(o.outputBytes)]));
  for (const p of set.peers) {
    lines.push(row([`${p.package} ${p.version}`, ms(p.generateMs.median), ms(p.tscMs.median), `${kb(p.bundle.one.minifiedBytes)} / ${kb(p.bundle.one.gzippedBytes)}`, `${kb(p.bundle.all.minifiedBytes)} / ${kb(p.bundle.all.gzippedBytes)}`, mbBytes(p.outputBytes)]));
  }
  return lines;
}

/** Where the time goes: the median of every stage `--timings` printed, cold and with one changed spec. */
function stagesTable(sets: readonly SetResult[]): string[] {
  const columns = sets.flatMap((s) => [
    { heading: `${s.name}: cold`, stages: s.ours.cold.stages },
    { heading: `${s.name}: one changed spec`, stages: s.ours.oneChange.stages },
    { heading: `${s.name}: \`--watch\`, one change`, stages: s.ours.watch.stages },
  ]);
  const names = [...new Set(columns.flatMap((c) => Object.keys(c.stages)))];
  const lines = [row(["stage (ms)", ...columns.map((c) => c.heading)]), ruler(columns.length + 1)];
  for (const name of names) lines.push(row([name, ...columns.map((c) => (c.stages[name] === undefined ? "" : String(Math.round(c.stages[name]!))))]));
  lines.push(row(["**run (CLI)**", ...sets.flatMap((s) => [s.ours.cold.runMs, s.ours.oneChange.runMs, s.ours.watch.regenerationMs].map((m) => (m ? `**${Math.round(m.median)}**` : "")))]));
  return lines;
}

/** One spec of growing size: the cold process, the cost per 1,000 fields added, and the largest stages. */
export function scalingTable(points: readonly ScalingPoint[]): string[] {
  const perThousand = new Map(costPerThousandFields(points).map((p) => [p.fields, p.msPerThousand]));
  const stageNames = ["load", "validate", "emit types", "emit docs", "emit openapi"].filter((name) => points.some((p) => p.stages[name] !== undefined));
  const lines = [row(["fields in the spec", "cold generation (process)", "per 1,000 fields added", ...stageNames.map((n) => `${n} (ms)`)]), ruler(stageNames.length + 3)];
  for (const p of points) {
    const added = perThousand.get(p.fields);
    lines.push(row([String(p.fields), ms(p.wallMs.median), added === undefined ? "" : ms(added), ...stageNames.map((n) => String(Math.round(p.stages[n] ?? 0)))]));
  }
  return lines;
}

/** The kernel's share of time some task waited for a CPU over the last minute (`avg60` of a /proc/pressure/cpu line). */
export function pressure60(line: unknown): number | undefined {
  const match = typeof line === "string" ? /avg60=([\d.]+)/.exec(line) : null;
  return match ? Number(match[1]) : undefined;
}

/** Above this CPU pressure (avg60, %), other work on the machine visibly slows every figure down. */
const BUSY_PRESSURE = 30;

/** The figures of a run as Markdown: the targets, our measures, the side-by-side tables, the stages. */
export function renderResults(results: Results): string {
  const machine = results.machine;
  const sets = results.sets;
  const busiest = Math.max(...[machine.cpuPressureBefore, machine.cpuPressureAfter].map((line) => pressure60(line) ?? 0));
  return [
    `Snapshot of ${results.startedAt.slice(0, 10)}: ${String(machine.cpus)} vCPUs (${String(machine.cpuModel)}), ${String(machine.memoryGB)} GB, Node ${String(machine.node)}; ` +
      `${results.runs.cold} cold and \`--check\` runs, ${results.runs.fast} of the others, ${results.runs.peers} per peer${results.runs.tsc ? `, ${results.runs.tsc} rounds of tsc over ours and the peers' outputs taking turns` : ""}; the run took ${results.durationS} s. ` +
      `CPU pressure before / after: \`${String(machine.cpuPressureBefore)}\` / \`${String(machine.cpuPressureAfter)}\`.`,
    ...(busiest > BUSY_PRESSURE
      ? ["", `**The machine was busy with other work during this run** (tasks waited for a CPU ${Math.round(busiest)} % of the last minute): every figure, ours and the peers', is slower than on a quiet machine, and by an amount that changed during the run.`]
      : []),
    "",
    "### Targets (issue 10)",
    "",
    ...targetsTable(sets),
    "",
    "### Our generator",
    "",
    ...oursTable(sets),
    "",
    "### Side by side with the peers",
    "",
    ...sets.flatMap((s) => [...sideBySide(s), ""]),
    "### Where the time goes",
    "",
    ...stagesTable(sets),
    "",
    ...(results.scaling ? ["### Growth with a spec's size", "", ...scalingTable(results.scaling), ""] : []),
  ].join("\n");
}

export const RESULTS_BEGIN = "<!-- results:begin (written by `npm run bench`; edits here are overwritten) -->";
export const RESULTS_END = "<!-- results:end -->";

/** `document` with what lies between the two marker lines replaced by `content`. */
export function replaceResults(document: string, content: string): string {
  const begin = document.indexOf(RESULTS_BEGIN);
  const end = document.indexOf(RESULTS_END);
  if (begin < 0 || end < begin) throw new Error(`the document has no ${RESULTS_BEGIN} ... ${RESULTS_END} section`);
  return `${document.slice(0, begin + RESULTS_BEGIN.length)}\n\n${content.trimEnd()}\n\n${document.slice(end)}`;
}
