import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ImportError, importPages } from "../../generator/import/import.js";
import { cleanUp, page, PAGES, readSpec, specsFolder, writePage } from "./helpers.js";
import { snapshot } from "../helpers/project.js";

afterAll(cleanUp);

const PRODUCT = "billing/producttimepasses.yaml";
const COWORKER = "billing/coworkertimepasses.yaml";

async function edit(dir: string, name: string, change: (text: string) => string): Promise<string> {
  const file = path.join(dir, name);
  const text = change(await readFile(file, "utf8"));
  await writeFile(file, text);
  return text;
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture text not found: ${from}`);
  return text.replace(from, to);
}

describe("merging a page into an existing spec", () => {
  it("keeps what a person wrote and reports what the page adds", async () => {
    const dir = await specsFolder([PRODUCT]);
    await edit(dir, PRODUCT, (text) => {
      let edited = replaceOnce(text, "  ProductTimePass_ExpiresIn: { type: integer, description: Filter by expires in. }\n", "");
      edited = replaceOnce(edited, "listingOmits: [ExpireTimeInMonths, ExpireTimeInWeeks, ExpiresIn]", "listingOmits: [ExpireTimeInMonths, ExpireTimeInWeeks]");
      edited = replaceOnce(edited, "  ExpiresIn: integer?\n", "  # Checked against the support article by hand.\n  ExpiresIn: { type: integer?, description: Months until the passes expire. }\n");
      return replaceOnce(edited, "A ProductTimePass links a TimePass", "Hand-written: a ProductTimePass links a TimePass");
    });

    const result = await importPages({ pages: [path.join(PAGES, "get-producttimepasses.txt")], specsDir: dir });
    expect(result.files.map((f) => [f.name, f.created, f.unchanged])).toEqual([[PRODUCT, false, false]]);
    expect(result.files[0]!.changes).toEqual(["added filter ProductTimePass_ExpiresIn (integer)", "listing leaves out ExpiresIn"]);
    // The spec already ties ExpirationType to RecurrentChargePattern: nothing is guessed.
    expect(result.warnings.map((w) => w.message)).toEqual([
      "the enum table has no title; its values are those of RecurrentChargePattern, so it is read as RecurrentChargePattern",
    ]);

    const text = await readFile(path.join(dir, PRODUCT), "utf8");
    expect(text).toContain("Hand-written: a ProductTimePass links a TimePass");
    expect(text).toContain("  # Checked against the support article by hand.\n  ExpiresIn: { type: integer?, description: Months until the passes expire. }\n");
    expect(text).toContain("  ExpirationType:\n    type: RecurrentChargePattern?\n    description: How the expiry is counted (eRecurrentChargePattern).");
    expect(text).toContain("  ProductId:\n    type: integer\n    required: true\n");
    expect(text).toContain("operations: [list, get, getMany, create, update, delete]");
    expect(text).toContain("  ProductTimePass_ExpirationType: { type: RecurrentChargePattern, description: Filter by expiration type. }");
    expect(text).toContain("  ProductTimePass_ExpiresIn: { type: integer, description: Filter by expires in. }\n");
    expect(text).toContain("listingOmits: [ExpireTimeInMonths, ExpireTimeInWeeks, ExpiresIn]");
    expect(text).not.toContain("# import:");
  });

  it("leaves a spec that already holds everything on the page byte for byte as it was", async () => {
    const dir = await specsFolder([PRODUCT, COWORKER]);
    const before = await snapshot(dir);
    const pages = ["get-producttimepasses.txt", "get-coworkertimepasses.txt"].map((p) => path.join(PAGES, p));
    const result = await importPages({ pages, specsDir: dir });
    expect(result.files.map((f) => [f.name, f.unchanged, f.changes])).toEqual([
      [PRODUCT, true, []],
      [COWORKER, true, []],
    ]);
    expect(await snapshot(dir)).toEqual(before);
  });

  it("adds the operation, role source and field knowledge of another page without touching the rest", async () => {
    const dir = await specsFolder();
    await importPages({ pages: [path.join(PAGES, "get-producttimepasses.txt")], specsDir: dir });
    const result = await importPages({ pages: [path.join(PAGES, "post-producttimepasses.txt")], specsDir: dir });
    expect(result.files[0]!.changes).toEqual([
      "added source https://developers.nexudus.com/rest-api/billing/post-producttimepasses",
      "added operation create",
      "field ProductId: required",
      "field ProductId: description from the page",
      "field TimePassId: required",
      "field TimePassId: description from the page",
      "field PassesIncluded: required",
      "field PassesIncluded: description from the page",
      "field ExpireTimeInMonths: description from the page",
      "field ExpireTimeInWeeks: description from the page",
      "field ExpirationType: RecurrentChargePattern -> RecurrentChargePattern?",
      "field ExpirationType: description from the page",
      "field ExpiresIn: description from the page",
      "filter ProductTimePass_ExpirationType: its enum is confirmed by the field ExpirationType",
      "field ProductName: read-only (not in the create body)",
      "field TimePassName: read-only (not in the create body)",
    ]);
    const text = await readFile(path.join(dir, PRODUCT), "utf8");
    // The guess on ExpirationType is settled by "See eRecurrentChargePattern? enum above".
    expect(text).toContain("  ExpirationType: { type: RecurrentChargePattern?, description: Expiration type. }\n");
    expect(text).not.toContain("# import:");
  });

  it("replaces the placeholder description once a page has a description", async () => {
    const dir = await specsFolder();
    await importPages({ pages: [path.join(PAGES, "get-coworkertimepasses.txt")], specsDir: dir });
    const result = await importPages({ pages: [path.join(PAGES, "get-coworkertimepasses.md")], specsDir: dir });
    expect(result.files[0]!.changes).toEqual(["description from the page"]);
    const text = await readFile(path.join(dir, COWORKER), "utf8");
    expect(text).toContain("description: |\n  A **CoworkerTimePass** is a time pass assigned to a customer.\n");
    expect(text).not.toContain("# import:");
  });

  it("settles an entry the importer marked uncertain, and removes its comment", async () => {
    const dir = await specsFolder();
    const odd = (await page("get-coworkertimepasses.txt")).replace("CoworkerTimePass_PurchaseOrder\nstring", "CoworkerTimePass_PurchaseOrder\nmoney");
    await importPages({ pages: [await writePage("odd.txt", odd)], specsDir: dir });
    expect(await readFile(path.join(dir, COWORKER), "utf8")).toContain("# import: null in the example and no filter types it");

    const result = await importPages({ pages: [path.join(PAGES, "get-coworkertimepasses.txt")], specsDir: dir });
    expect(result.files[0]!.changes).toEqual([
      "field PurchaseOrder: json? -> string?",
      "filter CoworkerTimePass_PurchaseOrder: untyped -> string",
    ]);
    const text = await readFile(path.join(dir, COWORKER), "utf8");
    expect(text).toContain("  PurchaseOrder: string?\n");
    expect(text.match(/# import:/g)).toHaveLength(1); // only the missing description remains
  });

  it("refines a type (string -> datetime) but keeps a person's different choice and says so", async () => {
    const dir = await specsFolder([COWORKER]);
    await edit(dir, COWORKER, (text) => replaceOnce(replaceOnce(text, "  UsedDate: { type: datetime?, readOnly: true }", "  UsedDate: { type: string?, readOnly: true }"), "  Price: number?", "  Price: integer?"));
    const result = await importPages({ pages: [path.join(PAGES, "get-coworkertimepasses.txt")], specsDir: dir });
    expect(result.files[0]!.changes).toEqual(["field UsedDate: string? -> datetime?"]);
    expect(result.warnings.map((w) => w.message)).toEqual(["field Price: the page says number?, the spec keeps integer?"]);
    const text = await readFile(path.join(dir, COWORKER), "utf8");
    expect(text).toContain("  UsedDate: { type: datetime?, readOnly: true }");
    expect(text).toContain("  Price: integer?");
  });

  it("refuses a spec file that describes another entity, and writes nothing", async () => {
    const dir = await specsFolder([PRODUCT]);
    await edit(dir, PRODUCT, (text) => replaceOnce(text, "entity: ProductTimePass", "entity: ProductPass\nplural: ProductTimePasses"));
    const before = await snapshot(dir);
    const attempt = importPages({ pages: [path.join(PAGES, "get-producttimepasses.txt")], specsDir: dir });
    await expect(attempt).rejects.toThrow(ImportError);
    await expect(attempt).rejects.toThrow("specs/billing/producttimepasses.yaml has entity ProductPass, but the page is about entity ProductTimePass");
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe("a scaffolded spec", () => {
  it("takes a page's description in place of its placeholder", async () => {
    const { scaffoldSpec } = await import("../../generator/scaffold.js");
    const dir = await specsFolder();
    await scaffoldSpec({ specsDir: dir, target: "billing/ProductTimePasses" });
    const result = await importPages({ pages: [path.join(PAGES, "get-producttimepasses.txt")], specsDir: dir });
    expect(result.files[0]!.changes).toContain("description from the page");
    const spec = await readSpec(dir, PRODUCT);
    expect(String(spec.description)).toMatch(/^A ProductTimePass links a TimePass to a Product/);
    expect(Object.keys(spec.fields as object)).toHaveLength(9);
  });
});
