import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostics, type Diagnostic } from "../../generator/diagnostics.js";
import { parseSpec, type LoadedSpec } from "../../generator/load.js";
import { buildModel, type ApiModel } from "../../generator/model.js";
import { bumpVersion, compareVersions, planRelease, SURFACE_FILE, type Manifest } from "../../generator/release.js";
import type { GeneratedFile } from "../../generator/emit/generated-file.js";
import { buildSurface, changeLevel, diffSurfaces, unexplainedChanges, type Surface } from "../../generator/surface.js";
import { validateSpecs } from "../../generator/validate.js";
import { producedFile } from "../../generator/write.js";
import { ROOT } from "../helpers/project.js";

/** The seed spec set every pair starts from (read once; the other specs of specs/ do not matter here). */
const SEED = ["common.yaml", "billing/coworkertimepasses.yaml", "billing/producttimepasses.yaml"] as const;
type SeedFile = (typeof SEED)[number];
const TEXTS = Object.fromEntries(SEED.map((name) => [name, readFileSync(path.join(ROOT, "specs", name), "utf8")])) as Record<SeedFile, string>;

/** Text replacements in seed files; `null` drops the file. Every `from` must occur. */
type Edits = Partial<Record<SeedFile, [from: string, to: string][] | null>>;

/** The model of the seed specs with edits applied (they must still validate), its surface with `files`, and the specs. */
function modelOf(edits: Edits = {}, files: GeneratedFile[] = [{ path: "src/runtime/transport.ts", content: "v1" }]): { model: ApiModel; surface: Surface; specs: LoadedSpec[] } {
  const diagnostics: Diagnostic[] = [];
  const specs = SEED.filter((name) => edits[name] !== null).map((name) => {
    let text = TEXTS[name];
    for (const [from, to] of edits[name] ?? []) {
      if (!text.includes(from)) throw new Error(`${name} has no "${from}"`);
      text = text.replace(from, to);
    }
    return parseSpec(name, `specs/${name}`, text, diagnostics);
  });
  validateSpecs(specs, diagnostics);
  if (diagnostics.length > 0) throw new Error(formatDiagnostics(diagnostics));
  const model = buildModel(specs);
  return { model, surface: buildSurface(model, specs, files.map(producedFile)), specs };
}

/** The surface of the seed specs with edits applied. */
const surfaceOf = (edits: Edits = {}, files?: GeneratedFile[]): Surface => modelOf(edits, files).surface;

const BASE = await surfaceOf();

/** The changelog lines from the seed specs to the edited ones, `Kind: text`. */
async function linesFor(edits: Edits, reverse = false): Promise<string[]> {
  const edited = await surfaceOf(edits);
  const [before, after] = reverse ? [edited, BASE] : [BASE, edited];
  return diffSurfaces(before, after).map((c) => `${c.kind}: ${c.text}`);
}

const COWORKER = "billing/coworkertimepasses.yaml";
const PRODUCT = "billing/producttimepasses.yaml";

describe("surface", () => {
  it("holds entities, operations, fields with types and flags, filters, range filters, enum values and spec hashes", () => {
    const pass = BASE.entities.CoworkerTimePass!;
    expect(pass.resource).toBe("billing.coworkerTimePasses");
    expect(pass.operations).toEqual(["list", "get", "getMany", "create", "update", "delete"]);
    expect(pass.fields.Notes).toBe("string? notInListing");
    expect(pass.fields.CoworkerId).toBe("integer required");
    expect(pass.fields.Id).toBe("integer readOnly");
    expect(pass.filters.CoworkerTimePass_TimePass_Name).toBe("string");
    expect(pass.rangeFilters.CoworkerTimePass_UpdatedOn).toBe("datetime");
    expect(BASE.enums.RecurrentChargePattern).toMatchObject({ Month: 4, LastDayOfMonth: 6 });
    expect(Object.keys(BASE.specs)).toEqual(SEED.map((name) => `specs/${name}`).sort());
  });

  it("reads a manifest written with the older word for a field left out of listings", () => {
    const legacy = structuredClone(BASE);
    legacy.entities.CoworkerTimePass!.fields.Notes = "string? unlisted";
    expect(diffSurfaces(legacy, BASE)).toEqual([]);
  });

  it("is unchanged for the same specs: no change, no bump", async () => {
    expect(diffSurfaces(BASE, await surfaceOf())).toEqual([]);
    expect(changeLevel([])).toBeUndefined();
  });
});

describe("a manifest this generator printed", () => {
  const FILES = [producedFile({ path: "src/runtime/transport.ts", content: "v1" })];
  /** The plan after `edits`, from a manifest on disk, read entity by entity (`printed`) or whole; unchanged entities taken from it. */
  const planFrom = (manifest: string, edits: Edits, printed: boolean) => {
    const { model, specs } = modelOf(edits);
    let previous: Manifest | undefined;
    const plan = planRelease(model, (known) => buildSurface(model, specs, FILES, (previous = known)), new Map([[SURFACE_FILE, manifest]]), undefined, undefined, printed);
    return plan.then((p) => ({ files: p.files.map((f) => [f.path, f.content]), version: p.version, changes: p.changes, previous: previous! }));
  };

  it("read entity by entity, gives the plan a whole parse gives; laid out otherwise, is read whole", async () => {
    const { model } = modelOf();
    const first = await planRelease(model, () => BASE, new Map());
    const printed = first.files.find((f) => f.path === SURFACE_FILE)!.content;
    const reformatted = `${JSON.stringify(JSON.parse(printed), null, 4)}\n`;
    const edits: Edits = { [COWORKER]: [["  Notes: string?\n", ""], ["listingOmits: [Notes, ", "listingOmits: ["]] };
    for (const manifest of [printed, reformatted]) {
      const [lazy, whole] = [await planFrom(manifest, edits, true), await planFrom(manifest, edits, false)];
      expect(lazy.changes.map((c) => c.text)).toEqual(["`CoworkerTimePass.Notes` removed"]);
      expect({ ...lazy, previous: undefined }).toEqual({ ...whole, previous: undefined });
      // Each entity of the manifest reads as the whole parse reads it.
      expect(JSON.parse(JSON.stringify(lazy.previous))).toEqual(JSON.parse(JSON.stringify(whole.previous)));
      expect(lazy.previous.entities.ProductTimePass!.fields).toEqual(whole.previous.entities.ProductTimePass!.fields);
    }
  });
});

describe("change classification", () => {
  // [what, edits, lines from the seed specs to the edited ones, lines back again (undefined: not asserted)]
  const cases: [string, Edits, string[], string[] | undefined][] = [
    [
      "removed field",
      { [COWORKER]: [["  Notes: string?\n", ""], ["listingOmits: [Notes, ", "listingOmits: ["]] },
      ["Breaking: `CoworkerTimePass.Notes` removed"],
      ["Added: field `CoworkerTimePass.Notes` (`string?`)"],
    ],
    [
      "nullable -> non-nullable on a writable field (create input narrowed)",
      { [COWORKER]: [["  Price: number?", "  Price: number"]] },
      ["Breaking: `CoworkerTimePass.Price` no longer accepts null (`number?` -> `number`)"],
      ["Breaking: `CoworkerTimePass.Price` may now be null (`number` -> `number?`)"],
    ],
    [
      "nullable -> non-nullable on a read-only field (output narrowed)",
      { [COWORKER]: [["TotalUses: { type: integer?, readOnly: true }", "TotalUses: { type: integer, readOnly: true }"]] },
      ["Changed: `CoworkerTimePass.TotalUses` is never null any more (`integer?` -> `integer`)"],
      ["Breaking: `CoworkerTimePass.TotalUses` may now be null (`integer` -> `integer?`)"],
    ],
    [
      "field type changed",
      { [COWORKER]: [["  PurchaseOrder: string?", "  PurchaseOrder: integer?"]] },
      ["Breaking: `CoworkerTimePass.PurchaseOrder` type changed (`string?` -> `integer?`)"],
      undefined,
    ],
    [
      "field became an array",
      { [COWORKER]: [["  PurchaseOrder: string?", "  PurchaseOrder: string[]?"]] },
      ["Breaking: `CoworkerTimePass.PurchaseOrder` type changed (`string?` -> `string[]?`)"],
      undefined,
    ],
    [
      "field became required on create",
      { [COWORKER]: [["  ExpireDate: datetime?", "  ExpireDate: { type: datetime?, required: true }"]] },
      ["Breaking: `CoworkerTimePass.ExpireDate` became required on create"],
      ["Changed: `CoworkerTimePass.ExpireDate` became optional on create"],
    ],
    [
      "field became read-only",
      { [COWORKER]: [["  ExpireDate: datetime?", "  ExpireDate: { type: datetime?, readOnly: true }"]] },
      ["Breaking: `CoworkerTimePass.ExpireDate` became read-only: no longer in `CoworkerTimePassCreate`"],
      ["Added: `CoworkerTimePass.ExpireDate` became writable: now in `CoworkerTimePassCreate`"],
    ],
    [
      "field left out of listings",
      { [PRODUCT]: [["listingOmits: [ExpireTimeInMonths,", "listingOmits: [ExpirationType, ExpireTimeInMonths,"]] },
      ["Breaking: `ProductTimePass.ExpirationType` no longer in listing records (`ProductTimePassListingRecord`)"],
      ["Added: `ProductTimePass.ExpirationType` now in listing records (`ProductTimePassListingRecord`)"],
    ],
    [
      "added required field",
      { [COWORKER]: [["  Notes: string?\n", "  Notes: string?\n  Reference: { type: string, required: true }\n"]] },
      ["Breaking: `CoworkerTimePass.Reference` added, required on create (`string`)"],
      ["Breaking: `CoworkerTimePass.Reference` removed"],
    ],
    [
      "removed filter",
      { [PRODUCT]: [["  ProductTimePass_ExpiresIn: { type: integer, description: Filter by expires in. }\n", ""]] },
      ["Breaking: filter `ProductTimePass_ExpiresIn` removed"],
      ["Added: filter `ProductTimePass_ExpiresIn` (`integer`)"],
    ],
    [
      "filter type changed",
      { [COWORKER]: [["CoworkerTimePass_Price: { type: number,", "CoworkerTimePass_Price: { type: string,"]] },
      ["Breaking: filter `CoworkerTimePass_Price` type changed (`number` -> `string`)"],
      undefined,
    ],
    [
      "removed range filter",
      { [PRODUCT]: [["  ProductTimePass_ExpiresIn: { type: integer, description: expires in }\n", ""]] },
      ["Breaking: range filter `ProductTimePass_ExpiresIn` removed"],
      ["Added: range filter `ProductTimePass_ExpiresIn` (`integer`)"],
    ],
    [
      "range filter type changed",
      { [PRODUCT]: [["ProductTimePass_ExpiresIn: { type: integer, description: expires in }", "ProductTimePass_ExpiresIn: { type: number, description: expires in }"]] },
      ["Breaking: range filter `ProductTimePass_ExpiresIn` type changed (`integer` -> `number`)"],
      undefined,
    ],
    [
      "removed operation",
      { [COWORKER]: [["operations: [list, get, getMany, create, update, delete]", "operations: [list, get, getMany, create, update]"]] },
      ["Breaking: operation `CoworkerTimePass.delete` removed"],
      ["Added: operation `CoworkerTimePass.delete`"],
    ],
    [
      "removed enum value",
      { "common.yaml": [["      LastDayOfMonth: 6\n", ""]] },
      ["Breaking: enum value `RecurrentChargePattern.LastDayOfMonth` removed"],
      ["Added: enum value `RecurrentChargePattern.LastDayOfMonth` (6)"],
    ],
    [
      "enum value renumbered",
      { "common.yaml": [["      LastDayOfMonth: 6\n", "      LastDayOfMonth: 7\n"]] },
      ["Breaking: enum value `RecurrentChargePattern.LastDayOfMonth` changed from 6 to 7"],
      ["Breaking: enum value `RecurrentChargePattern.LastDayOfMonth` changed from 7 to 6"],
    ],
    [
      "removed entity",
      { [PRODUCT]: null },
      ["Breaking: entity `ProductTimePass` removed (`billing.productTimePasses`)"],
      ["Added: entity `ProductTimePass` (`billing.productTimePasses`, `/api/billing/producttimepasses`)"],
    ],
    [
      "docs-only: a description changed",
      { [COWORKER]: [["Id of the customer (Coworker) who holds the pass.", "Id of the customer who holds the pass."]] },
      ["Docs: `specs/billing/coworkertimepasses.yaml` changed, no API change"],
      ["Docs: `specs/billing/coworkertimepasses.yaml` changed, no API change"],
    ],
  ];

  it("generated code that changed with no API change (runtime, templates, generator) is a patch", async () => {
    const files = Array.from({ length: 7 }, (_, i) => ({ path: `src/file${i}.ts`, content: "new" }));
    const changes = diffSurfaces(BASE, await surfaceOf({}, [{ path: "src/runtime/transport.ts", content: "v2" }, ...files]));
    expect(changes.map((c) => `${c.kind}: ${c.text}`)).toEqual([
      "Code: generated code changed with no API change: `src/file0.ts`, `src/file1.ts`, `src/file2.ts`, `src/file3.ts`, `src/file4.ts` and 3 more",
    ]);
    expect(changeLevel(changes)).toBe("patch");
    // With an API change, the API change says it all.
    const withApi = diffSurfaces(BASE, await surfaceOf({ [COWORKER]: [["  Notes: string?\n", "  Notes: string?\n  Reference: string?\n"]] }, [{ path: "src/runtime/transport.ts", content: "v2" }]));
    expect(withApi.map((c) => c.kind)).toEqual(["Added"]);
  });

  it("a TypeScript API change no spec explains is classified; many of one kind are listed up to 20, the rest counted", () => {
    const exports = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`helper${String(i).padStart(2, "0")}`, `export function helper${String(i).padStart(2, "0")}(): void`]));
    const before = { "src/index.ts": { ...exports, Options: "export interface Options", "Options.mode": "mode?: string" } };
    const after = { "src/index.ts": { Options: "export interface Options", "Options.mode": "mode: string" } };
    const changes = diffSurfaces(BASE, BASE, { before, after }).map((c) => `${c.kind}: ${c.text}`);
    expect(changes).toHaveLength(21);
    expect(changes[0]).toBe("Breaking: `Options.mode` became required");
    expect(changes[1]).toBe("Breaking: export `helper00` removed");
    expect(changes[20]).toBe("Breaking: 6 more changes of this kind in the TypeScript API");
    // And back: the exports are features; an option no signature names counts as read too, so optional breaks.
    expect(diffSurfaces(BASE, BASE, { before: after, after: before }).map((c) => `${c.kind}: ${c.text}`)).toEqual([
      "Breaking: `Options.mode` may be missing now",
      ...Object.keys(exports).slice(0, 20).map((name) => `Added: export \`${name}\` (\`${exports[name]}\`)`),
      "Added: 5 more changes of this kind in the TypeScript API",
    ]);
  });

  it("reads the API only for changed TypeScript files no spec edit explains", () => {
    const files = (changed: Record<string, string>): GeneratedFile[] =>
      ["src/index.ts", "src/billing/index.ts", "src/spaces/index.ts", "src/runtime/transport.ts", "src/testing/server.ts", "docs/billing/coworkertimepasses.md"].map((file) => ({ path: file, content: changed[file] ?? "v1" }));
    const base = modelOf({}, files({})).surface;
    const unexplained = (edits: Edits, changed: Record<string, string>) => {
      const { model, surface } = modelOf(edits, files(changed));
      return unexplainedChanges(model, base, surface);
    };
    const described: Edits = { [COWORKER]: [["Id of the customer (Coworker) who holds the pass.", "Id of the customer who holds the pass."]] };
    const entity = { "src/billing/index.ts": "v2", "src/index.ts": "v2", "docs/billing/coworkertimepasses.md": "v2" };
    // An edited spec explains its area's module and the whole-model ones; other files are not TypeScript.
    expect(unexplained(described, entity)).toEqual([]);
    // Not the module of an area none of whose entities changed, nor the runtime or the test server.
    expect(unexplained(described, { ...entity, "src/spaces/index.ts": "v2", "src/runtime/transport.ts": "v2", "src/testing/server.ts": "v2" })).toEqual([
      "src/runtime/transport.ts",
      "src/spaces/index.ts",
      "src/testing/server.ts",
    ]);
    // With no spec edit, nothing is explained; common.yaml explains every entity's area module.
    expect(unexplained({}, { "src/index.ts": "v2", "src/billing/index.ts": "v2" })).toEqual(["src/billing/index.ts", "src/index.ts"]);
    expect(unexplained({ "common.yaml": [["description: Unique record identifier.", "description: The record's identifier."]] }, { "src/billing/index.ts": "v2" })).toEqual([]);
    // A removed entity's area module is explained.
    expect(unexplained({ [PRODUCT]: null }, { "src/billing/index.ts": "gone" })).toEqual([]);
  });

  it.each(cases)("%s", async (_, edits, forward, backward) => {
    expect(await linesFor(edits)).toEqual(forward);
    if (backward) expect(await linesFor(edits, true)).toEqual(backward);
  });

  it("several changes: breaking first, the level is the worst one, spec hashes add no docs lines", async () => {
    const changes = diffSurfaces(
      BASE,
      await surfaceOf({
        [PRODUCT]: [["  ProductTimePass_ExpiresIn: { type: integer, description: Filter by expires in. }\n", ""]],
        [COWORKER]: [["  Notes: string?\n", "  Notes: string?\n  Reference: string?\n"]],
      }),
    );
    expect(changes.map((c) => `${c.kind}: ${c.text}`)).toEqual([
      "Breaking: filter `ProductTimePass_ExpiresIn` removed",
      "Added: field `CoworkerTimePass.Reference` (`string?`)",
    ]);
    expect(changeLevel(changes)).toBe("major");
    expect(changeLevel(changes.slice(1))).toBe("minor");
    expect(changeLevel([{ kind: "Docs", text: "" }])).toBe("patch");
  });
});

describe("versions", () => {
  it("follow semver, and before 1.0.0 its 0.x convention: breaking bumps the minor, the rest the patch", () => {
    expect(bumpVersion("0.3.4", "major")).toBe("0.4.0");
    expect(bumpVersion("0.3.4", "minor")).toBe("0.3.5");
    expect(bumpVersion("0.3.4", "patch")).toBe("0.3.5");
    expect(bumpVersion("1.3.4", "major")).toBe("2.0.0");
    expect(bumpVersion("1.3.4", "minor")).toBe("1.4.0");
    expect(bumpVersion("1.3.4", "patch")).toBe("1.3.5");
  });

  it("compare numerically and reject what is not x.y.z", () => {
    expect(compareVersions("0.10.0", "0.9.9")).toBeGreaterThan(0);
    expect(compareVersions("1.0.0", "1.0.0")).toBe(0);
    expect(() => bumpVersion("1.0", "patch")).toThrow(/not a release version/);
  });
});
