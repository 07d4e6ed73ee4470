import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CacheSection } from "../../generator/cache.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { emitAreaModule } from "../../generator/emit/areas.js";
import { clientView } from "../../generator/emit/client.js";
import { docsWholeView, emitDocs } from "../../generator/emit/docs.js";
import { loadTemplates } from "../../generator/emit/templates.js";
import { emitEnums } from "../../generator/emit/types.js";
import { formatFiles } from "../../generator/format.js";
import { entry, listSpecFiles, loadSpecs, parseSpec, type SpecMap } from "../../generator/load.js";
import { buildModel, valueKey, type ApiModel } from "../../generator/model.js";
import { testingView } from "../../generator/emit/testing.js";
import { defaultPlural } from "../../generator/names.js";
import { validateSpecs } from "../../generator/validate.js";
import { applyOutput, diffOutput, OutputFolder, producedFile } from "../../generator/write.js";
import { ROOT } from "../helpers/project.js";

const SPECS = path.join(ROOT, "specs");
const TEMPLATES = path.join(ROOT, "templates");

async function seedModel(extraSpec?: string) {
  const diagnostics: Diagnostic[] = [];
  const specs = await loadSpecs(SPECS, diagnostics);
  if (extraSpec) {
    // A spec lives at specs/<area>/<lower-case plural>.yaml.
    const area = /^area: (\w+)$/m.exec(extraSpec)?.[1];
    const file = `${area}/${defaultPlural(/^entity: (\w+)$/m.exec(extraSpec)![1]!).toLowerCase()}.yaml`;
    specs.push(parseSpec(file, file, extraSpec, diagnostics));
  }
  validateSpecs(specs, diagnostics);
  expect(diagnostics).toEqual([]);
  return buildModel(specs);
}

describe("load", () => {
  it("lists spec files in a stable order with forward slashes", async () => {
    const files = await listSpecFiles(SPECS);
    expect(files).toContain("billing/coworkertimepasses.yaml");
    expect(files).toContain("common.yaml");
    expect(files).toEqual([...files].sort());
  });

  it("keeps line and column of every key and value", () => {
    const spec = parseSpec("x.yaml", "x.yaml", "entity: Widget\nfields:\n  Name:   string?\n", []);
    const root = spec.root as SpecMap;
    const fields = entry(root, "fields")!.value as SpecMap;
    const name = fields.entries[0]!;
    expect([name.keyNode.line, name.keyNode.column]).toEqual([3, 3]);
    expect([name.value.line, name.value.column]).toEqual([3, 11]);
    expect(name.value.kind === "scalar" && name.value.value).toBe("string?");
  });

  it("turns YAML syntax errors into diagnostics instead of throwing", () => {
    const diagnostics: Diagnostic[] = [];
    const spec = parseSpec("x.yaml", "x.yaml", "entity: [unclosed\n", diagnostics);
    expect(spec.root).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ file: "x.yaml", line: expect.any(Number), message: expect.stringContaining("YAML syntax error") });
  });
});

describe("validate", () => {
  it("accepts every spec in specs/", async () => {
    const diagnostics: Diagnostic[] = [];
    validateSpecs(await loadSpecs(SPECS, diagnostics), diagnostics);
    expect(diagnostics).toEqual([]);
  });
});

/** Diagnostics of one extra spec at specs/<area>/<plural>.yaml beside the project's specs. */
async function diagnosticsOf(extraSpec: string): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const specs = await loadSpecs(SPECS, diagnostics);
  specs.push(parseSpec("sys/gears.yaml", "gears.yaml", extraSpec, diagnostics));
  validateSpecs(specs, diagnostics);
  return diagnostics;
}

const GEAR = "entity: Gear\narea: sys\ndescription: A gear.\noperations: [list, get, create, update]\n";

describe("the compact field format", () => {
  it("derives filters and range filters by convention, marks them derived, and lets a documented filter win", async () => {
    const model = await seedModel(
      `${GEAR}fields:\n` +
        "  CoworkerId: { type: integer?, required: true, filter: true }\n" +
        "  GroupUniqueId: { type: string?, filter: true }\n" +
        "  GoogleEventId: { type: string?, filter: true }\n" +
        "  Price: { type: number?, filter: true, range: true }\n" +
        "  Office365Id: { type: string?, filter: true, provenance: derived }\n" +
        "filters:\n  Gear_Price: { type: number, description: Filter by price as the docs name it. }\n",
    );
    const gear = model.entities.find((e) => e.name === "Gear")!;
    const filters = Object.fromEntries(gear.filters.map((f) => [f.name, f.provenance ?? "documented"]));
    expect(filters).toEqual({ Gear_Price: "documented", Gear_Coworker: "derived", Gear_GroupUniqueId: "derived", Gear_GoogleEventId: "derived", Gear_Office365Id: "derived", Gear_CreatedOn: "documented" });
    expect(gear.filters.find((f) => f.name === "Gear_Coworker")!.type).toMatchObject({ kind: "integer", nullable: false, array: false });
    expect(gear.rangeFilters.map((r) => `${r.fromName}:${r.provenance ?? "documented"}`)).toEqual(["from_Gear_Price:derived", "from_Gear_CreatedOn:documented", "from_Gear_UpdatedOn:documented"]);
    expect(gear.unverified).toEqual([
      { name: "Office365Id", provenance: "derived" },
      { name: "Gear_Coworker", provenance: "derived" },
      { name: "Gear_GroupUniqueId", provenance: "derived" },
      { name: "Gear_GoogleEventId", provenance: "derived" },
      { name: "Gear_Office365Id", provenance: "derived" },
      { name: "Gear_Price", provenance: "derived" },
    ]);
    expect(gear.methods).toEqual(["list", "pages", "listAll", "get", "create", "update", "patch"]);
  });

  it("keeps id lists and their Added/Removed siblings out of listing records", async () => {
    const model = await seedModel(`${GEAR}fields:\n  Tariffs: { type: "integer[]", collection: true }\n  AddedTariffs: { type: "integer[]?", collection: true }\n  RemovedTariffs: { type: "integer[]?", collection: true }\n  AddedBy: string?\n`);
    const gear = model.entities.find((e) => e.name === "Gear")!;
    expect(gear.listingOmits).toEqual(["Tariffs", "AddedTariffs", "RemovedTariffs"]);
    expect(gear.fields.filter((f) => f.collection).map((f) => [f.name, f.collection!.role])).toEqual([["Tariffs", "ids"], ["AddedTariffs", "add"], ["RemovedTariffs", "remove"]]);
  });

  it.each([
    ["a filter on child objects", '  Lines: { type: "object[]", properties: { ProductId: unknown }, filter: true }', /"Lines" of type object\[\] cannot have a filter/],
    ["a filter on an id list", '  Tariffs: { type: "integer[]", collection: true, filter: true }', /"Tariffs" of type integer\[\] cannot have a filter/],
    ["a range on a string", "  Name: { type: string, range: true }", /"Name" of type string cannot have range filters/],
    ["a collection that is not an id list", '  Tags: { type: "string[]", collection: true }', /collection field "Tags" must be of type integer\[\]/],
    ["properties on a scalar", "  Name: { type: string, properties: { A: unknown } }", /"Name" has properties but is of type string/],
    ["child objects without properties", "  Lines: object[]", /"Lines" of type object\[\] needs properties/],
    ["read-only and create-only at once", "  Code: { type: string, readOnly: true, createOnly: true }", /"Code" is both readOnly and createOnly/],
    ["an unknown provenance", "  Code: { type: string, provenance: guessed }", /"guessed" is not one of derived, observed/],
    ["an unknown enum in a child property", '  Lines: { type: "object[]", properties: { Kind: Colour } }', /unknown type "Colour"/],
  ])("refuses %s, naming the field", async (_, field, message) => {
    const diagnostics = await diagnosticsOf(`${GEAR}fields:\n${field}\n`);
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(message)]);
    expect(diagnostics[0]).toMatchObject({ file: "gears.yaml", line: 6 });
  });

  it("refuses a filter typed unknown or object", async () => {
    const diagnostics = await diagnosticsOf(`${GEAR}filters:\n  Gear_Thing: unknown\n`);
    expect(diagnostics.map((d) => d.message)).toEqual(['"unknown" is only for fields']);
  });

  it("never lets a spec with the placeholder description be complete", async () => {
    const { PLACEHOLDER_DESCRIPTION } = await import("../../generator/types.js");
    const spec = `entity: Gear\narea: sys\ndescription: "${PLACEHOLDER_DESCRIPTION}"\ndocs:\n  status: complete\n  sources: [https://developers.nexudus.com/rest-api/sys/get-gears]\noperations: [list]\n`;
    expect((await diagnosticsOf(spec)).map((d) => d.message)).toEqual(["Gear is marked complete, but its description is still the placeholder"]);
    const model = await seedModel(spec.replace("status: complete", "status: partial\n  missing: The description."));
    expect(model.warnings).toEqual(["specs/sys/gears.yaml: the description is still the placeholder; write what Gear is, from its docs page"]);
  });
});

describe("model", () => {
  it("reads the seed spec into one model with base fields, base filters and listing presence", async () => {
    const model = await seedModel();
    const pass = model.entities.find((e) => e.name === "CoworkerTimePass")!;
    expect(pass.path).toBe("/api/billing/coworkertimepasses");
    expect(pass.plural).toBe("CoworkerTimePasses");
    expect(pass.resourceProperty).toBe("coworkerTimePasses");
    expect(pass.fields.map((f) => f.name).slice(-10)).toEqual(["Id", "UniqueId", "CreatedOn", "UpdatedOn", "UpdatedBy", "IsNew", "SystemId", "ToStringText", "LocalizationDetails", "CustomFields"]);
    expect(pass.fields.filter((f) => !f.inListing).map((f) => f.name)).toEqual(["Notes", "PurchaseOrder", "Free", "Price", "CreateMultiple"]);
    expect(pass.fields.filter((f) => f.required).map((f) => f.name)).toEqual(["CoworkerId", "BusinessId", "TimePassId", "CreateMultiple"]);
    expect(pass.filters).toHaveLength(24); // 23 documented + CoworkerTimePass_CreatedOn from the code examples
    expect(pass.rangeFilters.map((r) => r.fromName)).toContain("from_CoworkerTimePass_UpdatedOn");
    expect(pass.rangeFilters).toHaveLength(9);
    expect(pass.operations.map((o) => `${o.method} ${o.role}`)).toContain("PUT CoworkerTimePass-Edit");
    const product = model.entities.find((e) => e.name === "ProductTimePass")!;
    expect(product.fields.find((f) => f.name === "ExpirationType")!.type).toMatchObject({ kind: "enum", enumName: "RecurrentChargePattern", nullable: true });
    expect(model.enums.find((e) => e.name === "RecurrentChargePattern")!.usedBy).toContain("ProductTimePass");
    // Examples use a fully documented entity that can be listed and read.
    expect(model.exampleEntity?.name).toBe("CoworkerTimePass");
  });

  it("derives plurals and paths, and honours opt-outs of base fields and filters", async () => {
    const model = await seedModel("entity: Branch\narea: sys\ndescription: A location.\noperations: [list]\nbaseFields: false\nbaseFilters: false\nfields:\n  Name: string\n");
    const business = model.entities.find((e) => e.name === "Branch")!;
    expect(business.plural).toBe("Branches");
    expect(business.path).toBe("/api/sys/branches");
    expect(business.fields.map((f) => f.name)).toEqual(["Name"]);
    expect(business.filters).toEqual([]);
    expect(business.rangeFilters).toEqual([]);
  });
});

describe("emit", () => {
  const hostile = [
    "entity: Widget",
    "area: billing",
    "description: 'Closes a comment */ and a fence ``` and a pipe | here'",
    "operations: [list, get, create, update, delete, commands, runCommand]",
    "fields:",
    "  Name: { type: string, description: 'A name */ with a break' }",
    "filters:",
    "  Widget_Name: { type: string, description: 'Filter */ by | name' }",
  ].join("\n");

  /** The billing area's module, printed with no last print to take parts from. */
  const billingModule = async (model: ApiModel) => {
    const dir = await mkdtemp(path.join(tmpdir(), "nexudus-codegen-"));
    const folder = await OutputFolder.read(dir);
    await rm(dir, { recursive: true });
    return (await emitAreaModule(model.areas.find((a) => a.name === "billing")!, { folder, memos: new CacheSection<unknown>({}) })).content;
  };

  it("types: escapes spec text in JSDoc and compiles to the declared shapes", async () => {
    const model = await seedModel(hostile);
    const widget = await billingModule(model);
    expect(widget).not.toMatch(/\*\/ and a fence/);
    expect(widget).toContain("*\\/ and a fence");
    expect(widget).toContain("export interface Widget {");
    expect(widget).toMatch(/export interface WidgetListingRecord extends Widget \{\s*\}/);
    expect(widget).toContain("export interface WidgetQuery {");
    expect(emitEnums(model.enums).content).toContain("export const RecurrentChargePattern = {");
  });

  it("client and docs: the model printed, escaping comments and table cells", async () => {
    const model = await seedModel(hostile);
    const templates = await loadTemplates(TEMPLATES);
    const resource = await billingModule(model);
    expect(resource).toContain("export interface WidgetsResource extends NexudusResource {");
    expect(resource).toContain("export const WidgetsResource = /* @__PURE__ */ resourceClass<WidgetsResource>(");
    expect(resource).toContain("runCommand: RunCommandMethod;");
    expect(resource).not.toMatch(/\*\/ and a fence/);
    const docs = emitDocs(model, templates, "nexudus-api");
    const page = docs.find((f) => f.path === "docs/billing/widgets.md")!.content;
    // The table cell escapes the pipe (and, where spec text is escaped as Markdown, the asterisk).
    expect(page).toMatch(/Filter \\?\*\/ by \\\| name/);
    expect(docs.find((f) => f.path === "README.md")!.content).toMatch(/\[Widgets\]\(\S*docs\/billing\/widgets\.md\)/);
  });
});

describe("release", () => {
  it("calls a field becoming create-only or update-only breaking, and the way back an addition", async () => {
    const { buildSurface, diffSurfaces } = await import("../../generator/surface.js");
    const surfaceOf = async (flags: string) => {
      const model = await seedModel(`${GEAR}fields:\n  Code: { type: string${flags} }\n`);
      return buildSurface(model, [], []);
    };
    const plain = await surfaceOf("");
    const createOnly = await surfaceOf(", createOnly: true");
    const updateOnly = await surfaceOf(", updateOnly: true");
    const lines = (a: typeof plain, b: typeof plain) => diffSurfaces(a, b).map((c) => `${c.kind}: ${c.text}`);
    expect(lines(plain, createOnly)).toEqual(["Breaking: `Gear.Code` became create-only: `patch()` no longer takes it"]);
    expect(lines(createOnly, plain)).toEqual(["Added: `Gear.Code` is no longer create-only: `patch()` takes it"]);
    expect(lines(plain, updateOnly)).toEqual(["Breaking: `Gear.Code` became update-only: no longer in `GearCreate`"]);
    expect(lines(updateOnly, plain)).toEqual(["Added: `Gear.Code` now in `GearCreate`"]);
  });
});

describe("docs at the scale of the whole API", () => {
  it("say shared things once, on the coverage page, and list every entity and method", async () => {
    const { FACTS_ONLY_MISSING } = await import("../../generator/types.js");
    const model = await seedModel();
    const docs = emitDocs(model, await loadTemplates(TEMPLATES), "nexudus-api");
    const pages = docs.filter((f) => f.path.startsWith("docs/") && f.path !== "docs/coverage.md");
    const coverage = docs.find((f) => f.path === "docs/coverage.md")!.content;
    const readme = docs.find((f) => f.path === "README.md")!.content;
    expect(pages).toHaveLength(model.entities.length);
    // What every facts-only spec lacks, the base fields, the client's setup: said once, not per page.
    expect(coverage).toContain(FACTS_ONLY_MISSING);
    for (const shared of [FACTS_ONLY_MISSING, "Unique identifier of the record (UUID).", "new NexudusClient(", "Pass these to `list()`"]) {
      expect(pages.filter((p) => p.content.includes(shared)).map((p) => p.path), shared).toEqual([]);
    }
    // One type vocabulary: the TypeScript types, in fields and filters tables alike.
    expect(pages.filter((p) => /date-time \(ISO 8601 string\)|JSON value|or null \|/.test(p.content)).map((p) => p.path)).toEqual([]);
    for (const entity of model.entities) {
      expect(coverage, entity.name).toContain(`[${entity.plural}](${entity.area}/${entity.fileBase}.md)`);
      const row = readme.split("\n").find((line) => line.includes(`[${entity.plural}](`))!;
      expect(row, entity.name).toContain(entity.methods.map((m) => `${m}()`).join(", "));
    }
    for (const unknown of model.areaUnknown) expect(coverage).toContain(`\`${unknown.entity}\``);
    expect(model.areaUnknown).toHaveLength(10);
    const booking = model.entities.find((e) => e.name === "Booking")!;
    expect(booking.methods).toEqual(["list", "pages", "listAll", "get", "create", "update", "patch", "delete", "commands", "runCommand"]);
  });
});

describe("format and write", () => {
  it("leaves a final file as printed, formats the others with prettier", async () => {
    const unformatted = { path: "a.ts", parser: "typescript" as const, content: "export const a = {x:1}" };
    const final = { path: "b.ts", parser: "typescript" as const, content: "export const b = {x:1}", final: true };
    const { files, formatted } = await formatFiles([unformatted, final]);
    expect(files.map((f) => f.content)).toEqual(["export const a = { x: 1 };\n", final.content]);
    expect(formatted).toBe(1);
  });

  it("writes only changed files, deletes files no longer produced, leaves dist/ alone", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "write-"));
    try {
      const first = [{ path: "a.txt", content: "a" }, { path: "sub/b.txt", content: "b" }].map(producedFile);
      await applyOutput(dir, first, await diffOutput(first, await OutputFolder.read(dir)));
      await writeFile(path.join(dir, "dist.txt"), "x");
      const { mkdir } = await import("node:fs/promises");
      await mkdir(path.join(dir, "dist"));
      await writeFile(path.join(dir, "dist", "index.js"), "built");
      const second = [producedFile({ path: "a.txt", content: "a2" })];
      const changes = await diffOutput(second, await OutputFolder.read(dir));
      expect(changes).toEqual({ changed: ["a.txt"], removed: ["dist.txt", "sub/b.txt"], unchanged: 0 });
      await applyOutput(dir, second, changes);
      expect(await readFile(path.join(dir, "a.txt"), "utf8")).toBe("a2");
      expect(await readFile(path.join(dir, "dist", "index.js"), "utf8")).toBe("built");
      expect([...(await OutputFolder.read(dir)).present]).toEqual(["a.txt"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reads a file back as UTF-8 gives it, whether its bytes are ASCII, UTF-8 or not UTF-8 at all", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "read-"));
    try {
      const files: Record<string, Buffer> = {
        "ascii.txt": Buffer.from("plain text, {\"json\": 1}\n"),
        "utf8.txt": Buffer.from("Café … 🚀 ÿ\n"),
        "latin1.txt": Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a]),
        "cut.txt": Buffer.from([0x61, 0xe2, 0x80]),
      };
      for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
      for (const folder of [await OutputFolder.read(dir), await OutputFolder.scan(dir, new CacheSection({}))]) {
        for (const name of Object.keys(files)) expect(await folder.read(name), name).toBe(await readFile(path.join(dir, name), "utf8"));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("valueKey", () => {
  it("keys the whole-model views as their JSON: equal keys for equal JSON, across models, whatever was keyed before", async () => {
    const diagnostics: Diagnostic[] = [];
    const specs = await loadSpecs(SPECS, diagnostics);
    const coworker = specs.find((spec) => spec.name === "billing/coworkertimepasses.yaml")!;
    const edit = (from: string | RegExp, to: string) => {
      const text = coworker.text.replace(from, to);
      expect(text).not.toBe(coworker.text);
      return specs.map((spec) => (spec === coworker ? parseSpec(spec.name, spec.file, text, diagnostics) : spec));
    };
    // The same specs; a description (in no whole-model view); a field added (in the testing and docs views);
    // an enum's value renamed (in the types view). Each built twice: fresh objects, the same JSON.
    const models = [specs, specs, edit(/description: [^\n]*/, "description: Edited."), edit("\nfields:\n", "\nfields:\n  Reference: string?\n"), edit("\nfields:\n", "\nfields:\n  Reference: string?\n")].map((s) => buildModel(s));
    const enumsEdited = buildModel(specs.map((spec) => (spec.name === "common.yaml" ? parseSpec(spec.name, spec.file, spec.text.replace(/^( {6})(\w+): 1$/m, "$1$2Renamed: 1"), diagnostics) : spec)));
    expect(diagnostics).toEqual([]);
    models.push(enumsEdited);
    const views = models.map((model) => [model.enums, testingView(model), docsWholeView(model, "nexudus-api"), clientView(model, [])]);
    for (let kind = 0; kind < 4; kind++) {
      for (const a of views) {
        for (const b of views) expect(valueKey(a[kind]) === valueKey(b[kind]), `view ${kind}`).toBe(JSON.stringify(a[kind]) === JSON.stringify(b[kind]));
      }
    }
    // The edits show: the field in the testing view, the enum value in the types view.
    expect(valueKey(views[3]![1])).not.toBe(valueKey(views[0]![1]));
    expect(valueKey(views[5]![0])).not.toBe(valueKey(views[0]![0]));
    expect(valueKey(views[2]![1])).toBe(valueKey(views[0]![1]));
  });
});
