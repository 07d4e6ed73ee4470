import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { prepareConsumer, resourceInfoName } from "../../bench/consumer.js";
import { bundle, bundleSize, runProcess, stat } from "../../bench/measure.js";
import { generateOnce, parseCliReport, summarize, type GenerationFolders } from "../../bench/ours.js";
import { ourApps } from "../../bench/peers.js";
import { judgeTargets, renderResults, replaceResults, RESULTS_BEGIN, RESULTS_END, scalingTable, type OursResult, type PeerResult, type Results, type SetResult } from "../../bench/report.js";
import { bigSpec, costPerThousandFields, measureScaling } from "../../bench/scaling.js";
import { editOneSpec } from "../../bench/spec-sets.js";
import { writeSyntheticSpecs } from "../../bench/synthetic.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSC = path.join(ROOT, "node_modules", ".bin", "tsc");

describe("reading what the CLI prints", () => {
  it("takes whatever stages and counts --timings prints, and the summary line", () => {
    const report = parseCliReport(
      [
        "timings: up-to-date check 0.1 ms, load 399.3 ms, emit (types, per entity) 12 ms, format 4853.7 ms; formatted 654, reused 0, entities redone 3",
        "wrote 6, deleted 0 (205 entities, 6759 ms)",
        "  wrote src/index.ts",
      ].join("\n"),
    );
    expect(report.stages).toEqual({ "up-to-date check": 0.1, load: 399.3, "emit (types, per entity)": 12, format: 4853.7 });
    expect(Object.keys(report.stages)).toEqual(["up-to-date check", "load", "emit (types, per entity)", "format"]);
    expect(report.counts).toEqual({ formatted: 654, reused: 0, "entities redone": 3 });
    expect(report).toMatchObject({ entities: 205, runMs: 6759 });
  });

  it("leaves out what is not printed", () => {
    expect(parseCliReport("timings: up-to-date check 3 ms\nnothing changed (12 entities, 40 ms)\n")).toEqual({ stages: { "up-to-date check": 3 }, counts: {}, entities: 12, runMs: 40 });
    expect(parseCliReport("generated/ is up to date (3 entities, 812 ms)")).toEqual({ stages: {}, counts: {}, entities: 3, runMs: 812 });
    expect(parseCliReport("")).toEqual({ stages: {}, counts: {} });
  });
});

describe("editing one spec", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bench-edit-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ["a real spec", "billing/coworkertimepasses.yaml", async (specs: string) => {
      await mkdir(path.join(specs, "billing"), { recursive: true });
      await copyFile(path.join(ROOT, "specs/billing/coworkertimepasses.yaml"), path.join(specs, "billing/coworkertimepasses.yaml"));
    }],
    ["a synthetic spec", "billing/invoices.yaml", (specs: string) => writeSyntheticSpecs(specs, { entities: 1 })],
  ])("changes one field description of %s, differently each round, and nothing else", async (_, spec, write) => {
    const specs = path.join(dir, spec.replace(/\W/g, "-"));
    await write(specs);
    const file = path.join(specs, spec);
    const original = await readFile(file, "utf8");
    for (const round of [1, 2, 3]) {
      await editOneSpec(specs, spec, round);
      const text = await readFile(file, "utf8");
      const changed = text.split("\n").filter((line, i) => line !== original.split("\n")[i]);
      expect(changed).toHaveLength(1);
      expect(changed[0]).toMatch(new RegExp(`^\\s+description: \\(edit ${round}\\) \\S`));
      expect(text.match(/\(edit \d+\)/g)).toHaveLength(1);
      // Still valid YAML, and the same spec but for that description.
      const strip = (value: unknown) => JSON.stringify(value).replace(/\(edit \d+\) /, "");
      expect(strip(parse(text))).toBe(strip(parse(original)));
    }
  });

  it("refuses a spec with no one-line description after fields:", async () => {
    const specs = path.join(dir, "blocks");
    await mkdir(specs, { recursive: true });
    await writeFile(path.join(specs, "x.yaml"), "entity: X\ndescription: One X.\nfields:\n  Name:\n    type: string\n    description: |\n      A block.\n");
    await expect(editOneSpec(specs, "x.yaml", 1)).rejects.toThrow(/x\.yaml: no one-line description/);
  });
});

describe("the generator, the consumer and the app, as the bench runs them", () => {
  let dir: string;
  let folders: GenerationFolders;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bench-harness-"));
    folders = { specs: path.join(dir, "specs"), out: path.join(dir, "out"), cache: path.join(dir, "cache") };
    await writeSyntheticSpecs(folders.specs, { entities: 3 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("runs the real CLI through the launcher and reads its timings: cold, --check, one changed spec", async () => {
    const cold = await generateOnce(ROOT, folders);
    expect(cold.entities).toBe(3);
    expect(Object.keys(cold.stages).length).toBeGreaterThan(0);
    for (const ms of Object.values(cold.stages)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(Object.keys(cold.counts).length).toBeGreaterThan(0);
    expect(cold.runMs).toBeDefined();
    expect(cold.wallMs).toBeGreaterThanOrEqual(cold.runMs!);

    const check = await generateOnce(ROOT, folders, { check: true });
    expect(check.entities).toBe(3);
    await editOneSpec(folders.specs, "billing/invoices.yaml", 1);
    await expect(generateOnce(ROOT, folders, { check: true })).rejects.toThrow(/stale: .*invoices/);
    const oneChange = await generateOnce(ROOT, folders);
    expect(oneChange.entities).toBe(3);
    await generateOnce(ROOT, folders, { check: true });
    const series = summarize([cold, oneChange]);
    expect(series.wallMs.samples).toHaveLength(2);
    expect(Object.keys(series.stages)).toEqual(expect.arrayContaining(Object.keys(cold.stages)));
  });

  it("type-checks a consumer of the built package importing one resource, and bundles only that resource", async () => {
    // Needs the output of the test above.
    expect(await resourceInfoName(folders.out, "billing/invoices")).toBe("invoices");
    await expect(resourceInfoName(folders.out, "billing/nothing")).rejects.toThrow(/exports no resource info/);
    const consumer = await prepareConsumer({ tsc: TSC, typeRoots: path.join(ROOT, "node_modules", "@types"), out: folders.out, dir: path.join(dir, "consumer"), resourceModule: "billing/invoices" });
    const project = path.join(consumer.dir, "tsconfig.json");
    const passes = await runProcess(TSC, ["-p", project]);
    expect(passes.stdout).toBe("");
    expect(passes.code).toBe(0);
    // The package's types reach the app: a wrong query and a wrong field do not compile.
    const app = path.join(consumer.dir, "app.ts");
    const source = await readFile(app, "utf8");
    const compile = async (changed: string) => {
      await writeFile(app, changed);
      return runProcess(TSC, ["-p", project]);
    };
    const wrongQuery = await compile(source.replace("{ page: 1, size: 10 }", "{ page: 1, size: 10, Invoice_Nope: 1 }"));
    expect(wrongQuery.code).not.toBe(0);
    expect(wrongQuery.stdout).toMatch(/'Invoice_Nope' does not exist in type/);
    const wrongField = await compile(source.replace("record.UpdatedOn", "record.Nope"));
    expect(wrongField.code).not.toBe(0);
    expect(wrongField.stdout).toMatch(/Property 'Nope' does not exist/);
    await writeFile(app, source);

    // The one-endpoint app holds the listed resource and no other; the whole client holds them all.
    const apps = ourApps(consumer.resourceInfo);
    const one = new TextDecoder().decode(await bundle(apps.one, consumer.dir));
    const all = new TextDecoder().decode(await bundle(apps.all, consumer.dir));
    expect(one).toContain("/api/billing/invoices");
    expect(one).not.toContain("/api/billing/charges");
    expect(all).toContain("/api/billing/charges");
    expect((await bundleSize(apps.one, consumer.dir)).gzippedBytes).toBeLessThan((await bundleSize(apps.all, consumer.dir)).gzippedBytes);
  });
});

describe("growth with a spec's size", () => {
  it("writes a valid spec of N fields, one line each, with filters and range filters by the convention", () => {
    const spec = parse(bigSpec(30)) as { fields: Record<string, { type: string; filter?: boolean; range?: boolean }> };
    const fields = Object.values(spec.fields);
    expect(fields).toHaveLength(30);
    expect(fields.filter((f) => f.filter)).toHaveLength(10);
    // Ranges only on numbers and dates: the validator refuses any other.
    for (const field of fields.filter((f) => f.range)) expect(field.type).toMatch(/^(integer|number|datetime)/);
    expect(bigSpec(30).split("\n").filter((line) => line.startsWith("  Field"))).toHaveLength(30);
  });

  it("generates each size cold through the real CLI, and reports the cost per 1,000 fields added", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "bench-scaling-"));
    try {
      const points = await measureScaling(ROOT, work, 1, () => {}, [20, 60]);
      expect(points.map((p) => p.fields)).toEqual([20, 60]);
      for (const point of points) expect(point.stages.load).toBeGreaterThanOrEqual(0);
      const added = costPerThousandFields(points);
      expect(added).toHaveLength(1);
      expect(added[0]!.msPerThousand).toBeCloseTo(((points[1]!.wallMs.median - points[0]!.wallMs.median) / 40) * 1000);
      const table = scalingTable(points).join("\n");
      expect(table).toContain("| fields in the spec | cold generation (process) | per 1,000 fields added |");
      expect(table).toMatch(/\| 60 \| [\d.]+ m?s \| -?[\d.]+ m?s \|/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe("the report", () => {
  it("replaces only the figures between the markers of docs/benchmark.md", async () => {
    const doc = await readFile(path.join(ROOT, "docs/benchmark.md"), "utf8");
    const replaced = replaceResults(doc, "| figures |\n");
    expect(replaced).toContain(`${RESULTS_BEGIN}\n\n| figures |\n\n${RESULTS_END}`);
    expect(replaced.slice(0, replaced.indexOf(RESULTS_BEGIN))).toBe(doc.slice(0, doc.indexOf(RESULTS_BEGIN)));
    expect(replaceResults(replaced, "| figures |\n")).toBe(replaced);
    expect(() => replaceResults("# no markers\n", "x")).toThrow(/results:begin/);
  });

  it("judges the peer-relative targets against half the fastest peer, and leaves them open without peers", () => {
    const series = (ms: number) => summarize([{ wallMs: ms, stages: {}, counts: {}, peakMB: 300 }]);
    const ours: OursResult = {
      cold: series(1000),
      check: series(2000),
      oneChange: series(250),
      noop: series(200),
      watch: { saveToIdleMs: stat([90]), regenerationMs: stat([30]), stages: {} },
      cacheBytes: 6 * 2 ** 20,
      outputBytes: 1,
      tscMs: stat([400]),
      consumer: { resourceInfo: "invoices", source: "", tscMs: stat([350]) },
      bundle: { one: { minifiedBytes: 1, gzippedBytes: 3000 }, all: { minifiedBytes: 1, gzippedBytes: 9000 } },
    };
    const peer = (name: string, generate: number, tsc: number): PeerResult => ({
      package: name,
      version: "1",
      runsOn: "",
      generateMs: stat([generate]),
      outputBytes: 1,
      tscMs: stat([tsc]),
      bundle: ours.bundle,
    });
    const met = (targets: ReturnType<typeof judgeTargets>) => targets.map((t) => t.met);
    // cold 1 s <= half of 3 s; check 2 s > 1.5 s; one change, no-op, watch; cache; peak; tsc 400 vs 500; consumer; app.
    expect(met(judgeTargets(ours, [peer("@hey-api/openapi-ts", 5000, 800), peer("openapi-typescript + openapi-fetch", 3000, 500)]))).toEqual([true, false, true, true, false, false, null, true, false, true]);
    expect(met(judgeTargets(ours, []))).toEqual([null, null, true, true, false, false, null, null, false, true]);

    // Rendered: every target of every set, and a warning when other work kept the CPUs busy.
    const set = (name: "real" | "synthetic"): SetResult => ({ name, label: name, specFiles: 1, entities: 1, operations: 1, editedSpec: "x.yaml", openapiBytes: 1, ours, peers: [], targets: judgeTargets(ours, []) });
    const results = (pressure: string): Results => ({
      note: "",
      startedAt: new Date(0).toISOString(),
      durationS: 1,
      machine: { cpus: 2, cpuPressureBefore: "some avg10=1.00 avg60=5.00 avg300=1.00 total=1", cpuPressureAfter: pressure },
      runs: { cold: 1, fast: 1, peers: 0 },
      sets: [set("real"), set("synthetic")],
    });
    const quiet = renderResults(results("some avg10=1.00 avg60=12.00 avg300=1.00 total=2"));
    for (const target of judgeTargets(ours, [])) expect(quiet).toContain(`| ${target.target} | ${target.value}`);
    expect(quiet).toContain("| target | real (1 entities) | synthetic (1 entities) |");
    expect(quiet).not.toContain("busy");
    expect(renderResults(results("some avg10=90.00 avg60=88.40 avg300=50.00 total=2"))).toContain("busy with other work during this run** (tasks waited for a CPU 88 %");
  });
});
