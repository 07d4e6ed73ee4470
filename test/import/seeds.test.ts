import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isMap, isScalar, parseDocument, type YAMLMap } from "yaml";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { importPages } from "../../generator/import/import.js";
import { loadSpecs } from "../../generator/load.js";
import { buildModel, type EntityModel } from "../../generator/model.js";
import { cleanUp, generateFrom, PAGES, readSpec, specsFolder } from "./helpers.js";
import { snapshot } from "../helpers/project.js";

afterAll(cleanUp);

const SEEDS = [
  { page: "get-coworkertimepasses.txt", spec: "billing/coworkertimepasses.yaml", entity: "CoworkerTimePass" },
  { page: "get-producttimepasses.txt", spec: "billing/producttimepasses.yaml", entity: "ProductTimePass" },
] as const;

/**
 * Removes from the hand-written spec, in place, what a listing page cannot know. Each edit is an
 * intended difference between the importer's output and the hand-written spec:
 * - description: the hand spec's is written from several pages (CoworkerTimePass's listing page
 *   has none, ProductTimePass's is reflowed by hand), so it takes the imported one;
 * - docs: the hand spec cites the Get one, POST and PUT pages too;
 * - operations: get, getMany, create, update and delete come from those other pages;
 * - field descriptions, readOnly and required come from the Get one, POST and PUT pages;
 * - ProductTimePass.ExpirationType is nullable because the POST page says "eRecurrentChargePattern?";
 *   the listing example shows 0.
 */
async function alignToListingPage(handDir: string, importedDir: string, name: string): Promise<void> {
  const file = path.join(handDir, name);
  const doc = parseDocument(await readFile(file, "utf8"));
  const imported = await readSpec(importedDir, name);
  doc.set("description", imported.description);
  doc.set("docs", imported.docs);
  doc.set("operations", imported.operations);
  const fields = doc.get("fields") as YAMLMap;
  for (const pair of fields.items) {
    const type = isMap(pair.value) ? String(pair.value.get("type")) : isScalar(pair.value) ? String(pair.value.value) : "";
    pair.value = doc.createNode(type === "RecurrentChargePattern?" ? "RecurrentChargePattern" : type);
  }
  await writeFile(file, doc.toString());
}

async function entityOf(specsDir: string, name: string): Promise<EntityModel> {
  const diagnostics: Diagnostic[] = [];
  const model = buildModel(await loadSpecs(specsDir, diagnostics));
  expect(diagnostics).toEqual([]);
  return model.entities.find((e) => e.name === name)!;
}

/** The generated types, client and docs: everything under src/ and docs/. */
async function sourcesAndDocs(outDir: string): Promise<Map<string, string>> {
  const tree = await snapshot(outDir);
  return new Map([...tree].filter(([file]) => file.startsWith("src/") || file.startsWith("docs/")));
}

describe("importing a seed page", () => {
  for (const seed of SEEDS) {
    it(`${seed.page} generates the same types, client and docs as ${seed.spec}, once the intended differences are taken out`, async () => {
      const importedDir = await specsFolder();
      const result = await importPages({ pages: [path.join(PAGES, seed.page)], specsDir: importedDir });
      expect(result.files.map((f) => [f.name, f.created])).toEqual([[seed.spec, true]]);

      const handDir = await specsFolder([seed.spec]);
      await alignToListingPage(handDir, importedDir, seed.spec);
      const [fromImport, fromHand] = await Promise.all([generateFrom(importedDir), generateFrom(handDir)]);
      const imported = await sourcesAndDocs(fromImport);
      const hand = await sourcesAndDocs(fromHand);
      expect([...imported.keys()].sort()).toEqual([...hand.keys()].sort());
      for (const [file, text] of hand) expect(imported.get(file), file).toBe(text);
    });

    it(`${seed.page} determines the filters, range filters, enum values, listing omits and field types of ${seed.spec}`, async () => {
      const importedDir = await specsFolder();
      await importPages({ pages: [path.join(PAGES, seed.page)], specsDir: importedDir });
      const handDir = await specsFolder([seed.spec]);
      const imported = await entityOf(importedDir, seed.entity);
      const hand = await entityOf(handDir, seed.entity);

      const filters = (e: EntityModel) => e.filters.map((f) => [f.name, f.type.label, f.description]);
      const ranges = (e: EntityModel) => e.rangeFilters.map((r) => [r.fromName, r.toName, r.type.label, r.fromDescription, r.toDescription]);
      // Nullability of ExpirationType comes from the POST page (see alignToListingPage).
      const fields = (e: EntityModel) => e.fields.map((f) => [f.name, f.type.label.replace(/^RecurrentChargePattern\?$/, "RecurrentChargePattern"), f.inListing]);
      expect(filters(imported)).toEqual(filters(hand));
      expect(ranges(imported)).toEqual(ranges(hand));
      expect(fields(imported)).toEqual(fields(hand));
      expect(imported.listingOmits).toEqual(hand.listingOmits);
      expect(imported.path).toBe(hand.path);
      expect(imported.ops.list).toEqual(hand.ops.list);
    });
  }

  it("reuses the enum of specs/common.yaml for an untitled table with the same values", async () => {
    const dir = await specsFolder();
    const result = await importPages({ pages: [path.join(PAGES, "get-producttimepasses.txt")], specsDir: dir });
    const spec = await readSpec(dir, "billing/producttimepasses.yaml");
    expect(spec.enums).toBeUndefined();
    expect((spec.fields as Record<string, string>).ExpirationType).toBe("RecurrentChargePattern");
    expect(result.warnings.map((w) => w.message)).toEqual([
      "the enum table has no title; its values are those of RecurrentChargePattern, so it is read as RecurrentChargePattern",
      "enum RecurrentChargePattern: the page does not say which field takes RecurrentChargePattern; ExpirationType is a guess",
    ]);
    const text = await readFile(path.join(dir, "billing/producttimepasses.yaml"), "utf8");
    expect(text).toContain("  # import: the page does not say which field takes RecurrentChargePattern; ExpirationType is a guess\n  ExpirationType: RecurrentChargePattern\n");
  });

  it("marks the missing description of the CoworkerTimePass page instead of inventing one", async () => {
    const dir = await specsFolder();
    const result = await importPages({ pages: [path.join(PAGES, "get-coworkertimepasses.txt")], specsDir: dir });
    const text = await readFile(path.join(dir, "billing/coworkertimepasses.yaml"), "utf8");
    expect(text).toContain("# import: the page has no description: write one\ndescription: |\n");
    expect(result.warnings.map((w) => w.message)).toEqual(["the page has no description; the spec gets a placeholder to replace"]);
  });
});

describe("importing the listing, Get one and Create pages together", () => {
  it("adds the operations, the required fields, the read-only fields and the nullable enum the other pages state", async () => {
    const dir = await specsFolder();
    const pages = ["post-producttimepasses.txt", "getone-producttimepasses.txt", "get-producttimepasses.txt"].map((p) => path.join(PAGES, p));
    const result = await importPages({ pages, specsDir: dir });
    // The create page says "See eRecurrentChargePattern? enum above": no guess is left.
    expect(result.warnings.map((w) => w.message)).toEqual([
      "the enum table has no title; its values are those of RecurrentChargePattern, so it is read as RecurrentChargePattern",
    ]);
    const imported = await entityOf(dir, "ProductTimePass");
    const hand = await entityOf(await specsFolder(["billing/producttimepasses.yaml"]), "ProductTimePass");
    const flags = (e: EntityModel) => e.fields.map((f) => [f.name, f.type.label, f.readOnly, f.required, f.inListing]);
    expect(flags(imported)).toEqual(flags(hand));
    expect(imported.operations.map((o) => [o.name, o.role])).toEqual([
      ["list", "ProductTimePass-List"],
      ["get", "ProductTimePass-Read"],
      ["create", "ProductTimePass-Create"],
    ]);
    expect(imported.docs).toEqual({
      status: "complete",
      sources: [
        "https://developers.nexudus.com/rest-api/billing/get-producttimepasses",
        "https://developers.nexudus.com/rest-api/billing/get-producttimepasses-by-id",
        "https://developers.nexudus.com/rest-api/billing/post-producttimepasses",
      ],
      factsOnly: false,
    });
    expect(await readFile(path.join(dir, "billing/producttimepasses.yaml"), "utf8")).not.toContain("# import:");
  });

  it("reads a Get one page alone as a partial spec, since its filters are on the listing page", async () => {
    const dir = await specsFolder();
    await importPages({ pages: [path.join(PAGES, "getone-producttimepasses.txt")], specsDir: dir });
    const spec = await readSpec(dir, "billing/producttimepasses.yaml");
    expect(spec.operations).toEqual(["get"]);
    expect(spec.docs).toEqual({
      status: "partial",
      sources: ["https://developers.nexudus.com/rest-api/billing/get-producttimepasses-by-id"],
      missing: "The listing page (filters, range filters, listing omissions) was not imported.",
    });
    // Types and descriptions as the page's Response list gives them; nullability is not on the page.
    expect(spec.fields).toEqual({
      ProductId: { type: "integer", description: "Product Id." },
      ProductName: { type: "string", description: "Product name." },
      TimePassId: { type: "integer", description: "Time Pass Id." },
      TimePassName: { type: "string", description: "Time pass name." },
      PassesIncluded: { type: "integer", description: "Passes included." },
      ExpireTimeInMonths: { type: "integer", description: "Expire Time In Months." },
      ExpireTimeInWeeks: { type: "integer", description: "Expire Time In Weeks." },
      ExpirationType: { type: "integer", description: "Expiration type." },
      ExpiresIn: { type: "integer", description: "Expires in." },
    });
  });
});

describe("the Markdown form of a page", () => {
  it("imports a Markdown page with tables (| 1 | PricePlan |) to the same spec as its plain-text copy", async () => {
    const fromText = await specsFolder();
    const fromMarkdown = await specsFolder();
    await importPages({ pages: [path.join(PAGES, "get-producttimepasses.txt")], specsDir: fromText });
    const result = await importPages({ pages: [path.join(PAGES, "get-producttimepasses.md")], specsDir: fromMarkdown });
    const name = "billing/producttimepasses.yaml";
    expect(await readFile(path.join(fromMarkdown, name), "utf8")).toBe(await readFile(path.join(fromText, name), "utf8"));
    expect(result.warnings).toHaveLength(2);
  });

  it("imports an MDX page (<ParamField>, <ResponseField>, <Warning>) to the same spec as its plain-text copy, description aside", async () => {
    const fromText = await specsFolder();
    const fromMarkdown = await specsFolder();
    await importPages({ pages: [path.join(PAGES, "get-coworkertimepasses.txt")], specsDir: fromText });
    const result = await importPages({ pages: [path.join(PAGES, "get-coworkertimepasses.md")], specsDir: fromMarkdown });
    const name = "billing/coworkertimepasses.yaml";
    const text = await readSpec(fromText, name);
    const markdown = await readSpec(fromMarkdown, name);
    expect(markdown.description).toBe("A **CoworkerTimePass** is a time pass assigned to a customer.\n");
    // Without a description, the text page's spec cannot be complete; the rest is the same.
    expect(text.docs).toMatchObject({ status: "partial", missing: "The description." });
    expect(markdown.docs).toMatchObject({ status: "complete" });
    expect({ ...markdown, description: "", docs: {} }).toEqual({ ...text, description: "", docs: {} });
    expect(result.warnings).toEqual([]);
  });
});
