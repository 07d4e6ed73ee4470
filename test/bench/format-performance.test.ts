import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as prettier from "prettier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSyntheticSpecs } from "../../bench/synthetic.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { emitOpenApi } from "../../generator/emit/openapi.js";
import { CHUNKED_JSON_MIN_CHARS, planJson } from "../../generator/format-json.js";
import { formatJobs } from "../../generator/format-pool.js";
import { formatFiles, pieceCacheFile } from "../../generator/format.js";
import { loadSpecs } from "../../generator/load.js";
import { buildModel, type ApiModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";

/** The OpenAPI text (unformatted) of synthetic entities: 30 are enough to be formatted in pieces. */
async function syntheticOpenApi(dir: string, entities: number): Promise<{ model: ApiModel; text: string }> {
  await writeSyntheticSpecs(dir, { entities });
  const diagnostics: Diagnostic[] = [];
  const specs = await loadSpecs(dir, diagnostics);
  validateSpecs(specs, diagnostics);
  expect(diagnostics).toEqual([]);
  const model = buildModel(specs);
  return { model, text: emitOpenApi(model)[0]!.content };
}

describe("formatting at scale", () => {
  let dir: string;
  let text: string;
  let whole: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "format-performance-"));
    ({ text } = await syntheticOpenApi(path.join(dir, "specs"), 30));
    whole = await prettier.format(text, { parser: "json", printWidth: 100 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("formats a large JSON document in pieces to exactly what prettier makes of the whole", async () => {
    expect(text.length).toBeGreaterThan(CHUNKED_JSON_MIN_CHARS);
    const plan = planJson(text, 100)!;
    expect(plan.pieces.length).toBeGreaterThan(50);
    const formatted = await formatJobs(plan.pieces.map((p) => ({ content: p.text, parser: "json", printWidth: p.printWidth })));
    expect(plan.assemble(formatted)).toBe(whole);
  });

  it("also for the committed generated/openapi.json", async () => {
    const committed = await readFile(path.join(import.meta.dirname, "../../generated/openapi.json"), "utf8");
    const source = JSON.stringify(JSON.parse(committed), null, 2);
    const plan = planJson(source, 100)!;
    expect(plan.assemble(await formatJobs(plan.pieces.map((p) => ({ content: p.text, parser: "json", printWidth: p.printWidth }))))).toBe(committed);
  });

  it("refuses to split JSON that is not in JSON.stringify(value, null, 2) form", () => {
    expect(planJson('{"a": {"b": 1}}', 100)).toBeUndefined();
    expect(planJson("not json", 100)).toBeUndefined();
  });

  it("reformats only the pieces a change touched, and gives the same bytes", async () => {
    const cacheFile = path.join(dir, "cache", "format.json");
    const file = { path: "openapi.json", parser: "json" as const, content: text };
    const first = await formatFiles([file], new Map(), cacheFile);
    expect(first.files[0]!.content).toBe(whole);
    const pieces = Object.keys(JSON.parse(await readFile(pieceCacheFile(cacheFile), "utf8")) as object).length;

    const edited = text.replace('"summary": "Search Invoices"', '"summary": "Search all Invoices"');
    expect(edited).not.toBe(text);
    const second = await formatFiles([{ ...file, content: edited }], new Map([["openapi.json", whole]]), cacheFile);
    expect(second.formatted).toBe(1);
    expect(second.files[0]!.content).toBe(await prettier.format(edited, { parser: "json", printWidth: 100 }));
    // One piece replaced by its edited version: the cache holds as many pieces as before.
    expect(Object.keys(JSON.parse(await readFile(pieceCacheFile(cacheFile), "utf8")) as object).length).toBe(pieces);
  });

  it("gives the same output from worker threads as in this thread", async () => {
    const jobs = [
      { content: "export const a = {x:1}", parser: "typescript", printWidth: 100 },
      { content: "# Title\n\n|a|b|\n|-|-|\n|1|2|\n", parser: "markdown", printWidth: 100 },
      { content: '{"a": [1, 2]}', parser: "json", printWidth: 100 },
    ];
    const here = await formatJobs(jobs);
    process.env.NEXUDUS_FORMAT_WORKERS = "2";
    const { PARALLEL_MIN_CHARS } = await import("../../generator/format-pool.js");
    try {
      // Big enough to be sent to the workers.
      const padded = jobs.map((j) => ({ ...j }));
      padded.push({ content: whole, parser: "json", printWidth: 100 }, { content: whole, parser: "json", printWidth: 100 });
      expect(padded.reduce((n, j) => n + j.content.length, 0)).toBeGreaterThan(PARALLEL_MIN_CHARS);
      const there = await formatJobs(padded);
      expect(there.slice(0, 3)).toEqual(here);
      expect(there.slice(3)).toEqual([whole, whole]);
    } finally {
      delete process.env.NEXUDUS_FORMAT_WORKERS;
    }
  });
});
