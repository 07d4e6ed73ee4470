import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { importFacts } from "../../generator/import/facts.js";
import { ImportError } from "../../generator/import/import.js";
import { loadSpecs } from "../../generator/load.js";
import { buildModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";
import { cleanUp, readSpec, ROOT, SPECS, tempDir } from "./helpers.js";

afterAll(cleanUp);

const COMMON = `baseFields:
  Id: { type: integer, readOnly: true, description: Unique record identifier. }
  UniqueId: { type: string, readOnly: true }
  CreatedOn: { type: datetime, readOnly: true }
  UpdatedOn: { type: datetime, readOnly: true }
`;

/** An existing spec, written from docs pages: what it says must survive the import. */
const EXISTING_WIDGET = `entity: Widget
area: spaces
description: A widget, as the docs page describes it.
docs:
  status: partial
  sources: [https://developers.nexudus.com/rest-api/spaces/get-widgets]
  missing: The filters were not captured.
operations: [list, get]
fields:
  Name: { type: string, description: "The widget's name, from the docs." }
  Size: WidgetSize
  BuiltOn: { type: string?, description: "When it was built; the page types it string." }
enums:
  WidgetSize:
    nexudusName: eWidgetSize
    values: { Small: 1, Large: 2 }
`;

/** Entity facts as the fact files write them (see docs/importer.md). */
const FACTS: Record<string, string> = {
  "widgets.yaml": `entity: Widget
plural: widgets
area: spaces
operations: [list, get, create, update, delete]
about: "A widget."
fields:
  Name: { type: string, create: required, update: true, filter: true }
  Size: { type: enum, enum: Size, create: true, update: true, filter: true }
  Weight: { type: decimal, create: true, update: true, filter: true, range: true }
  BuiltOn: { type: DateTime, create: true, update: true, filter: true, range: true }
readOnlyFields: [Id, Colour]
enums:
  Size: { 1: Small, 2: Large, 3: Huge }
casingDerived: []
notes: []
`,
  "gadgets.yaml": `entity: Gadget
plural: gadgets
area: billing
operations: [list, get, create, update, delete]
about: "A gadget sold with a booking."
fields:
  ResourceId: { type: long, create: required, update: true, filter: true }
  ResourceName: { type: string, filter: true }
  FromTime: { type: DateTime, create: required, update: true, filter: true, range: true }
  RepeatEvery: { type: int, create: true, update: false, filter: true, range: true, note: "create-only" }
  Archived: { type: bool, create: false, update: true, filter: true }
  Office365Id: { type: string, create: true, update: true, filter: true }
  Status: { type: enum, enum: Status, create: true, update: true, filter: true }
  Mood: { type: enum, enum: Mood, create: true, update: true }
  Channel: { type: enum, create: true, update: true }
  Tariffs: { type: "long[]", create: true, update: true, collection: true }
  AddedTariffs: { type: "long[]", create: true, update: true, collection: true }
  RemovedTariffs: { type: "long[]", create: true, update: true, collection: true }
  GadgetLines: { type: children, create: true, update: true, properties: [ProductId, Quantity] }
  ClearImageFile: { type: bool, create: true, update: true, filter: true }
readOnlyFields: [Id, UniqueId, Serial]
enums:
  Status: { 1: Draft, 2: Live }
  Mood: [Happy, Sad]
casingDerived: [Office365Id]
notes:
  - "Gadgets are counted per booking."
  - "The CLI option --office-365-id maps to Office365Id."
  - "The docs listing page names a filter Gadget_ClearImage while the field is ClearImageFile."
`,
  "gizmos.yaml": `entity: Gizmo
plural: gizmos
area: billing
operations: [list, get]
about: "A read-only gizmo."
fields:
  Status: { type: enum, enum: Status, filter: true }
  Kind: { type: enum, enum: Kind, filter: true }
readOnlyFields: [Id]
enums:
  Status: { 1: Open, 2: Closed }
  Kind: { 1: Draft, 2: Live }
casingDerived: []
notes: []
`,
  "doohickeys.yaml": `entity: Doohickey
plural: doohickeys
area: null
operations: [list, get]
about: "A thing nobody has placed."
fields: {}
readOnlyFields: []
enums: {}
casingDerived: []
notes: []
`,
};

async function setUp(): Promise<{ facts: string; specs: string }> {
  const facts = await tempDir("facts");
  for (const [name, text] of Object.entries(FACTS)) await writeFile(path.join(facts, name), text);
  const specs = await tempDir("specs");
  await writeFile(path.join(specs, "common.yaml"), COMMON);
  await mkdir(path.join(specs, "spaces"));
  await writeFile(path.join(specs, "spaces/widgets.yaml"), EXISTING_WIDGET);
  return { facts, specs };
}

async function modelOf(specsDir: string) {
  const diagnostics: Diagnostic[] = [];
  const specs = await loadSpecs(specsDir, diagnostics);
  validateSpecs(specs, diagnostics);
  expect(diagnostics).toEqual([]);
  return buildModel(specs);
}

describe("npm run import -- --facts", () => {
  it("writes a valid spec per entity with an area, one line per field, and lists the others as area unknown", async () => {
    const { facts, specs } = await setUp();
    const result = await importFacts({ facts, specsDir: specs });
    expect(result.files.map((f) => f.name)).toEqual(["billing/gadgets.yaml", "billing/gizmos.yaml", "common.yaml", "spaces/widgets.yaml"]);
    expect(existsSync(path.join(specs, "billing/doohickeys.yaml"))).toBe(false);
    const text = await readFile(path.join(specs, "billing/gadgets.yaml"), "utf8");
    expect(text).toContain("  ResourceId: { type: integer?, required: true, filter: true }\n");
    expect(text).toContain("  RepeatEvery: { type: integer?, createOnly: true, filter: true, range: true }\n");
    expect(text).toContain("  Archived: { type: boolean?, updateOnly: true, filter: true }\n");
    expect(text).toContain("  Office365Id: { type: string?, filter: true, provenance: derived }\n");

    const model = await modelOf(specs);
    expect(model.areaUnknown).toEqual([{ entity: "Doohickey", plural: "doohickeys", note: "A thing nobody has placed." }]);
    const gadget = model.entities.find((e) => e.name === "Gadget")!;
    expect(gadget.description).toBe("A gadget sold with a booking. Gadgets are counted per booking.");
    expect(gadget.docs).toMatchObject({ status: "partial", sources: ["https://github.com/Nexudus-Ltd/nexudus-coworking-skills/blob/main/skills/nexudus/references/entities/gadgets.md"] });
    expect(gadget.docs.missing).toContain("The values of Channel.");
    expect(gadget.docs.missing).toContain("The type of read-only Serial.");
    expect(gadget.operations.map((o) => o.name)).toEqual(["list", "get", "create", "update", "delete"]);
    const field = (name: string) => gadget.fields.find((f) => f.name === name)!;
    expect(field("ResourceName")).toMatchObject({ readOnly: true, type: { kind: "string", nullable: true } });
    expect(field("Serial")).toMatchObject({ readOnly: true, type: { kind: "unknown" } });
    expect(field("RepeatEvery")).toMatchObject({ createOnly: true, readOnly: false });
    expect(field("Archived")).toMatchObject({ updateOnly: true });
    expect(field("Tariffs")).toMatchObject({ inListing: false, collection: { role: "ids", of: "Tariffs" }, type: { kind: "integer", array: true } });
    expect(field("AddedTariffs").collection).toEqual({ role: "add", of: "Tariffs" });
    expect(field("RemovedTariffs").collection).toEqual({ role: "remove", of: "Tariffs" });
    expect(field("GadgetLines").type).toMatchObject({ kind: "object", array: true, properties: [{ name: "ProductId", type: { kind: "unknown" } }, { name: "Quantity", type: { kind: "unknown" } }] });
    // An enum without numbers is an integer that names its values; one without values a plain integer.
    expect(field("Mood")).toMatchObject({ type: { kind: "integer" }, description: "One of Happy, Sad; their numbers are not documented." });
    expect(field("Channel").type.kind).toBe("integer");

    // Filters: the convention (a foreign key drops its Id), a joined name for a read-through value; all derived.
    const filters = Object.fromEntries(gadget.filters.map((f) => [f.name, f.provenance ?? "documented"]));
    expect(filters).toMatchObject({ Gadget_Resource: "derived", Gadget_Resource_Name: "derived", Gadget_FromTime: "derived", Gadget_Office365Id: "derived", Gadget_CreatedOn: "documented" });
    expect(gadget.filters.find((f) => f.name === "Gadget_Resource")!.type).toMatchObject({ kind: "integer", nullable: false });
    expect(gadget.rangeFilters.map((r) => r.name)).toEqual(["Gadget_FromTime", "Gadget_RepeatEvery", "Gadget_CreatedOn", "Gadget_UpdatedOn"]);
    expect(gadget.unverified.map((u) => u.name)).toContain("Office365Id");
    // A filter name the notes quote from the docs is used as written, and documented.
    expect(filters.Gadget_ClearImage).toBe("documented");
    expect(filters.Gadget_ClearImageFile).toBeUndefined();
  });

  it("keeps what an existing spec says and adds what the facts add", async () => {
    const { facts, specs } = await setUp();
    await importFacts({ facts, specsDir: specs });
    const widget = await readSpec(specs, "spaces/widgets.yaml");
    expect(widget.description).toBe("A widget, as the docs page describes it.");
    expect(widget.docs).toEqual({
      status: "partial",
      sources: ["https://developers.nexudus.com/rest-api/spaces/get-widgets", "https://github.com/Nexudus-Ltd/nexudus-coworking-skills/blob/main/skills/nexudus/references/entities/widgets.md"],
      missing: "The filters were not captured.",
    });
    expect(widget.operations).toEqual(["list", "get", "create", "update", "delete"]);
    const fields = widget.fields as Record<string, unknown>;
    expect(fields.Name).toEqual({ type: "string", description: "The widget's name, from the docs.", required: true, filter: true });
    expect(fields.Size).toEqual({ type: "WidgetSize", filter: true });
    expect(fields.Weight).toEqual({ type: "number?", filter: true, range: true });
    expect(fields.Colour).toEqual({ type: "unknown", readOnly: true });
    // A docs page types dates as string; the facts' DateTime wins, so the range filter is kept.
    expect(fields.BuiltOn).toEqual({ type: "datetime?", description: "When it was built; the page types it string.", filter: true, range: true });
    // The spec's enum keeps its name and gains the member the facts add.
    expect(widget.enums).toEqual({ WidgetSize: { nexudusName: "eWidgetSize", values: { Small: 1, Large: 2, Huge: 3 } } });
  });

  it("names enums once per value set: shared sets go to common.yaml, clashing names take their entity's name", async () => {
    const { facts, specs } = await setUp();
    await importFacts({ facts, specsDir: specs });
    const common = await readSpec(specs, "common.yaml");
    const gadget = await readSpec(specs, "billing/gadgets.yaml");
    const gizmo = await readSpec(specs, "billing/gizmos.yaml");
    // Status means {Draft, Live} for Gadget and {Open, Closed} for Gizmo: neither may take the bare name.
    // Gizmo's Kind is Gadget's Status value set: one enum, shared, in common.yaml.
    expect(common.enums).toEqual({ GadgetStatus: { values: { Draft: 1, Live: 2 } } });
    expect((gadget.fields as Record<string, { type: string }>).Status!.type).toBe("GadgetStatus?");
    expect((gizmo.fields as Record<string, { type: string }>).Kind!.type).toBe("GadgetStatus?");
    expect(gizmo.enums).toEqual({ GizmoStatus: { values: { Open: 1, Closed: 2 } } });
    const model = await modelOf(specs);
    expect(model.enums.map((e) => e.name)).toEqual(["GadgetStatus", "GizmoStatus", "WidgetSize"]);
  });

  it("is reproducible: a second run changes nothing", async () => {
    const { facts, specs } = await setUp();
    await importFacts({ facts, specsDir: specs });
    const snapshot = await readAll(specs);
    const again = await importFacts({ facts, specsDir: specs });
    expect(again.files).toEqual([]);
    expect(await readAll(specs)).toEqual(snapshot);
  });

  it("refuses a file that is not entity facts, and writes nothing", async () => {
    const { facts, specs } = await setUp();
    await writeFile(path.join(facts, "broken.yaml"), "just: text\n");
    const before = await readAll(specs);
    await expect(importFacts({ facts, specsDir: specs })).rejects.toThrow(ImportError);
    await expect(importFacts({ facts, specsDir: specs })).rejects.toThrow(/broken\.yaml: not an entity fact file/);
    expect(await readAll(specs)).toEqual(before);
  });

  it("runs from the command line, and refuses pages and facts in one run", async () => {
    const { facts, specs } = await setUp();
    const cli = (args: string[]) =>
      promisify(execFile)(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "generator/import/cli.ts"), ...args]).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const both = await cli(["--facts", facts, "--out", specs, "page.txt"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--facts imports fact files, not pages");
    const run = await cli(["--facts", facts, "--out", specs]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/created .*billing\/gadgets\.yaml\n {2}\d+ fields, \d+ filters, \d+ range filters, 0 enums\ncreated .*billing\/gizmos\.yaml\n {2}2 fields, 2 filters, 0 range filters, 1 enums/);
    expect(existsSync(path.join(specs, "billing/gizmos.yaml"))).toBe(true);
  });

  // The committed specs are what the importer makes of the entity facts: importing them again is a no-op.
  const SHARED_FACTS = path.join(SPECS, "../../shared/nexudus/entities");
  it.skipIf(!existsSync(SHARED_FACTS))("specs/ is the import of the entity facts (when they are at hand)", async () => {
    const copy = await tempDir("all-specs");
    await cp(SPECS, copy, { recursive: true });
    const result = await importFacts({ facts: SHARED_FACTS, specsDir: copy, dryRun: true });
    expect(result.files.map((f) => f.name)).toEqual([]);
  });
});

async function readAll(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = await readFile(file, "utf8");
  }
  return out;
}
