import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as prettier from "prettier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSyntheticSpecs } from "../../bench/synthetic.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { buildOpenApiDocument } from "../../generator/emit/openapi.js";
import { formatJson, jsonMembers, type Json } from "../../generator/format-json.js";
import { formatJobs } from "../../generator/format-pool.js";
import { loadSpecs } from "../../generator/load.js";
import { buildModel, type ApiModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";
import { Random } from "../helpers/random.js";

/** The OpenAPI text (unformatted) of synthetic entities. */
async function syntheticOpenApi(dir: string, entities: number): Promise<{ model: ApiModel; text: string }> {
  await writeSyntheticSpecs(dir, { entities });
  const diagnostics: Diagnostic[] = [];
  const specs = await loadSpecs(dir, diagnostics);
  validateSpecs(specs, diagnostics);
  expect(diagnostics).toEqual([]);
  const model = buildModel(specs);
  return { model, text: JSON.stringify(buildOpenApiDocument(model), null, 2) };
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

  it("prints a large JSON document exactly as prettier formats it", () => {
    expect(formatJson(text, 100)).toBe(whole);
  });

  it("also every JSON file of the committed generated/", async () => {
    // package.json is printed as prettier's json-stringify parser prints it (test/generator/prettier-output.test.ts).
    for (const name of ["openapi.json", "surface.json", "tsconfig.json"]) {
      const committed = await readFile(path.join(import.meta.dirname, "../../generated", name), "utf8");
      expect(formatJson(JSON.stringify(JSON.parse(committed), null, 2), 100), name).toBe(committed);
    }
  });

  it("and the edge cases: long, numeric, nested and empty arrays, unicode, widths at the limit", async () => {
    const value = {
      empty: {},
      none: [],
      emptyItems: [{}, [], "x"],
      short: ["a", "b"],
      long: Array.from({ length: 30 }, (_, i) => `item-${i}`),
      numbers: Array.from({ length: 80 }, (_, i) => i * 37),
      fewNumbers: [1, 2, 3],
      nested: [[1, 2], ["a"], [{ deep: [true, null] }]],
      objects: [{ a: 1 }, { b: { c: "—·é 漢字" } }],
      exactly: ["x".repeat(80)],
      justOver: ["x".repeat(85), "y"],
      mixed: [1, "two", null, false],
    };
    const source = JSON.stringify(value, null, 2);
    expect(formatJson(source, 100)).toBe(await prettier.format(source, { parser: "json", printWidth: 100 }));
  });

  it("and random nested values at every depth and width, whole and as members at an indentation", async () => {
    const random = new Random(20261129);
    const scalar = (): Json =>
      random.pick<() => Json>([
        () => random.int(-5, 10 ** random.int(0, 9)),
        () => random.int(0, 1000) / 7,
        () => "s".repeat(random.int(0, 40)) + random.pick(["", "[", "]", "{", "}", ",", '"', "\\", "\n", "é", "x"]),
        () => random.chance(0.5),
        () => null,
        () => [],
        () => ({}),
      ])();
    const value = (depth: number): Json => {
      if (depth > 3 || random.chance(0.3)) return scalar();
      if (random.chance(0.5)) return Array.from({ length: random.int(0, 12) }, () => (random.chance(0.7) ? scalar() : value(depth + 1)));
      if (random.chance(0.3)) return Array.from({ length: random.int(1, 40) }, () => random.int(0, 99999));
      return Object.fromEntries(Array.from({ length: random.int(0, 6) }, (_, i) => [`key${i}${"k".repeat(random.int(0, 30))}`, value(depth + 1)]));
    };
    for (let round = 0; round < 150; round++) {
      const width = random.pick([40, 80, 100, 120]);
      const source = JSON.stringify({ root: value(0), more: value(1) }, null, 2);
      const expected = await prettier.format(source, { parser: "json", printWidth: width });
      expect(formatJson(source, width), `round ${round}`).toBe(expected);
      // The members of the root object, printed at its indentation, are its lines between the braces.
      const members = Object.entries(JSON.parse(source) as Record<string, Json>);
      expect(`{\n${jsonMembers(members, "  ", width)}\n}\n`, `round ${round}, members`).toBe(expected);
      // Deeper in, as openapi.json prints its paths (4 spaces in) and schemas (6).
      const nestedSource = JSON.stringify({ outer: { inner: Object.fromEntries(members) } }, null, 2);
      const nested = await prettier.format(nestedSource, { parser: "json", printWidth: width });
      const inner = Object.fromEntries(members);
      expect(`{\n  "outer": {\n${jsonMembers([["inner", inner]], "    ", width)}\n  }\n}\n`, `round ${round}, 4 spaces in`).toBe(nested);
      expect(`{\n  "outer": {\n    "inner": {\n${jsonMembers(members, "      ", width)}\n    }\n  }\n}\n`, `round ${round}, 6 spaces in`).toBe(nested);
    }
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
