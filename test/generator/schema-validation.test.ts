import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { loadSpecs, parseSpec, plain, type SpecNode } from "../../generator/load.js";
import { loadSchemaValidators, schemaDiagnostics, validateAgainstSchema } from "../../generator/validate-schema.js";
import { ROOT } from "../helpers/project.js";

const WIDGET = "entity: Widget\narea: billing\ndescription: A widget.\noperations: [list, get]\n";

/** The schema diagnostics of one spec text (`common.yaml` for the shared definitions). */
function diagnose(text: string, name = "billing/widgets.yaml"): Diagnostic[] {
  const parseErrors: Diagnostic[] = [];
  const spec = parseSpec(name, `specs/${name}`, text, parseErrors);
  expect(parseErrors, "the text is valid YAML").toEqual([]);
  const out: Diagnostic[] = [];
  validateAgainstSchema(spec as typeof spec & { root: SpecNode }, out);
  return out;
}

/** Where the `nth` `token` on a 1-based line of `text` starts, as line:column. */
function at(text: string, line: number, token: string, nth = 1): string {
  const lineText = text.split("\n")[line - 1]!;
  let column = -1;
  for (let i = 0; i < nth; i++) column = lineText.indexOf(token, column + 1);
  expect(column, `"${token}" #${nth} on line ${line}`).toBeGreaterThanOrEqual(0);
  return `${line}:${column + 1}`;
}

interface Case {
  /** The JSON Schema keyword the spec breaks. */
  keyword: string;
  name: string;
  text: string;
  file?: string;
  /** Each expected diagnostic: position and a part of its message. */
  expected: Array<{ at: [line: number, token: string, nth?: number] | "1:1"; message: string }>;
}

const CASES: Case[] = [
  { keyword: "type", name: "a flag that is not a boolean", text: `${WIDGET}baseFields: "yes"\n`, expected: [{ at: [5, '"yes"'], message: '"baseFields" must be a boolean, not a string' }] },
  { keyword: "type", name: "an enum value that is not an integer, deep in a block map", text: `${WIDGET}enums:\n  WidgetKind:\n    values:\n      Small: 1.5\n`, expected: [{ at: [8, "1.5"], message: '"Small" must be an integer, not a number' }] },
  { keyword: "enum", name: "an unknown operation in a flow list", text: WIDGET.replace("[list, get]", "[list, serch]"), expected: [{ at: [4, "serch"], message: 'an item of "operations": "serch" is not one of list, get, getMany, create, update, delete, commands, runCommand.' }] },
  { keyword: "pattern", name: "an area in capitals", text: WIDGET.replace("area: billing", "area: Billing"), expected: [{ at: [2, "Billing"], message: '"area": "Billing" is not valid' }] },
  { keyword: "pattern", name: "a source in a block list that is not a URL", text: `${WIDGET}docs:\n  status: partial\n  sources:\n    - https://developers.nexudus.com/reference\n    - developers.nexudus.com\n`, expected: [{ at: [9, "developers"], message: 'an item of "sources": "developers.nexudus.com" is not valid' }] },
  { keyword: "pattern", name: "a blank description", text: WIDGET.replace("A widget.", '"   "'), expected: [{ at: [3, '"'], message: '"description" must not be empty' }] },
  { keyword: "minLength", name: "an empty description, said once", text: WIDGET.replace("A widget.", '""'), expected: [{ at: [3, '"'], message: '"description" must not be empty' }] },
  { keyword: "minItems", name: "no operations", text: WIDGET.replace("[list, get]", "[]"), expected: [{ at: [4, "["], message: '"operations" must have at least 1 item' }] },
  { keyword: "uniqueItems", name: "every repeat in a list", text: `${WIDGET}fields:\n  Name: string\nlistingOmits: [Name, Name, Name]\n`, expected: [{ at: [7, "Name", 2], message: '"listingOmits" lists "Name" twice (first at line 7)' }, { at: [7, "Name", 3], message: '"listingOmits" lists "Name" twice (first at line 7)' }] },
  { keyword: "required", name: "a missing top-level key, at the map", text: WIDGET.replace("description: A widget.\n", ""), expected: [{ at: "1:1", message: 'the spec is missing the required key "description"' }] },
  { keyword: "required", name: "a missing key in a map inside a list of common.yaml", file: "common.yaml", text: "baseFields:\n  Id: integer\nareaUnknown:\n  - entity: Gadget\n", expected: [{ at: [4, "entity"], message: 'an item of "areaUnknown" is missing the required key "plural"' }] },
  { keyword: "additionalProperties", name: "an unknown key in a flow map, at the key", text: `${WIDGET}docs: { status: complete, sources: ["https://developers.nexudus.com"], srcs: [] }\n`, expected: [{ at: [5, "srcs"], message: 'unknown key "srcs" in "docs".' }] },
  { keyword: "additionalProperties", name: "an unknown top-level key", text: `${WIDGET}fieldz:\n  Name: string\n`, expected: [{ at: [5, "fieldz"], message: 'unknown key "fieldz" in the spec. Did you mean "fields"?' }] },
  { keyword: "propertyNames", name: "a field name that is not an identifier, at the key", text: `${WIDGET}fields:\n  Widget-Id: integer\n`, expected: [{ at: [6, "Widget-Id"], message: '"Widget-Id" in "fields" is not a valid name' }] },
  { keyword: "oneOf", name: "a field that is neither a type name nor a map", text: `${WIDGET}fields:\n  Name: [string]\n`, expected: [{ at: [6, "["], message: '"Name" must be a type name or a map with "type", not a list' }] },
  { keyword: "oneOf", name: "a field map is checked as a map, not as a type name", text: `${WIDGET}fields:\n  Name: { type: string, nullable: true }\n`, expected: [{ at: [6, "nullable"], message: 'unknown key "nullable" in "Name".' }] },
  { keyword: "$ref", name: "a malformed type name, from a shared definition", text: `${WIDGET}filters:\n  Widget_Name: "string[]]"\n`, expected: [{ at: [6, '"string'], message: '"Widget_Name": "string[]]" is not valid' }] },
];

describe("spec schema validation (ajv, generator/schema/*.schema.json)", () => {
  for (const c of CASES) {
    it(`${c.keyword}: ${c.name}`, () => {
      const found = diagnose(c.text, c.file);
      for (const want of c.expected) {
        const position = want.at === "1:1" ? "1:1" : at(c.text, ...want.at);
        const match = found.find((d) => `${d.line}:${d.column}` === position && d.message.startsWith(want.message));
        expect(match, `${position} ${want.message}\ngot:\n${found.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n")}`).toBeDefined();
        expect(match!.hint, "every error says how to fix it").toMatch(/\w/);
        expect(match!.file).toBe(`specs/${c.file ?? "billing/widgets.yaml"}`);
      }
      // One error for one mistake: ajv's other views of it (the other oneOf alternative, the
      // propertyNames summary, a second keyword on the same value) are not repeated.
      expect(found).toHaveLength(c.expected.length);
    });
  }

  it("has a case for every keyword the schemas use", async () => {
    const annotations = new Set(["$schema", "$id", "title", "description", "x-hint"]);
    const used = new Set<string>();
    const walk = (schema: unknown): void => {
      if (typeof schema !== "object" || schema === null) return;
      if (Array.isArray(schema)) return schema.forEach(walk);
      for (const [keyword, value] of Object.entries(schema)) {
        if (!annotations.has(keyword)) used.add(keyword);
        if (keyword === "properties" || keyword === "$defs") Object.values(value as object).forEach(walk);
        else if (["items", "additionalProperties", "propertyNames", "oneOf"].includes(keyword)) walk(value);
      }
    };
    for (const file of ["spec.schema.json", "common.schema.json"]) walk(JSON.parse(await readFile(path.join(ROOT, "generator/schema", file), "utf8")));
    // `properties` and `items` are checked through what they hold.
    const covered = new Set([...CASES.map((c) => c.keyword), "properties", "items", "$defs"]);
    expect([...used].filter((keyword) => !covered.has(keyword))).toEqual([]);
  });

  it("reports a keyword it has no words of its own for in ajv's words, at the value, with where the schema says it", () => {
    const ajv = new Ajv2020({ allErrors: true, verbose: true });
    const validate = ajv.compile({ type: "object", properties: { retries: { type: "integer", maximum: 5 } } });
    const root = parseSpec("billing/widgets.yaml", "specs/billing/widgets.yaml", "retries: 9\n", []).root!;
    expect(validate(plain(root))).toBe(false);
    expect(schemaDiagnostics(validate.errors!, root, "the spec")).toEqual([
      { file: "specs/billing/widgets.yaml", line: 1, column: 10, message: '"retries" must be <= 5', hint: "see #/properties/retries/maximum in generator/schema/" },
    ]);
  });

  it("accepts every spec of the project", async () => {
    const specs = await loadSpecs(path.join(ROOT, "specs"), []);
    const out: Diagnostic[] = [];
    for (const spec of specs) validateAgainstSchema(spec as typeof spec & { root: SpecNode }, out);
    expect(out).toEqual([]);
  });

  it("compiles the schemas once, then loads the standalone code it kept; damaged code is compiled again", async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), "nexudus-codegen-schema-"));
    try {
      const text = `${WIDGET}fields:\n  Name: [string]\nroles: { serach: Widget-List }\n`;
      const root = parseSpec("billing/widgets.yaml", "specs/billing/widgets.yaml", text, []).root!;
      const diagnosticsOf = ({ validators }: ReturnType<typeof loadSchemaValidators>) => {
        expect(validators.spec(plain(root))).toBe(false);
        return schemaDiagnostics(validators.spec.errors!, root, "the spec");
      };
      const compiled = loadSchemaValidators(cacheDir);
      expect(compiled.compiled).toBe(true);
      const [file, ...others] = await readdir(cacheDir);
      expect(others).toEqual([]);
      expect(file).toMatch(/^spec-schema-[0-9a-f]{16}\.cjs$/);

      const loaded = loadSchemaValidators(cacheDir);
      expect(loaded.compiled).toBe(false);
      expect(diagnosticsOf(loaded)).toEqual(diagnosticsOf(compiled));
      expect(diagnosticsOf(loaded).map((d) => d.message).sort()).toEqual([
        '"Name" must be a type name or a map with "type", not a list',
        'unknown key "serach" in "roles".',
      ]);

      await writeFile(path.join(cacheDir, file!), "module.exports = { spec: (");
      const again = loadSchemaValidators(cacheDir);
      expect(again.compiled).toBe(true);
      expect(diagnosticsOf(again)).toEqual(diagnosticsOf(compiled));
      expect(loadSchemaValidators(cacheDir).compiled).toBe(false);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
