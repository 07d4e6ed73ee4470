import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPages, type ImportResult } from "../../generator/import/import.js";
import { cleanUp, page, PAGES, readSpec, specsFolder, writePage } from "./helpers.js";

afterAll(cleanUp);

let coworkerPage: string;
let productPage: string;

beforeAll(async () => {
  coworkerPage = await page("get-coworkertimepasses.txt");
  productPage = await page("get-producttimepasses.txt");
});

/** Imports a page text into a fresh specs folder; returns the result, the spec and its text. */
async function importText(text: string, name = "page.txt") {
  const dir = await specsFolder();
  const result = await importPages({ pages: [await writePage(name, text)], specsDir: dir });
  const target = result.files[0]!.name;
  return { dir, result, spec: await readSpec(dir, target), text: await readFile(path.join(dir, target), "utf8") };
}

/** The spec text the unmodified seed page imports to. */
async function cleanImport(fixture: string): Promise<string> {
  const dir = await specsFolder();
  const result = await importPages({ pages: [path.join(PAGES, fixture)], specsDir: dir });
  return readFile(path.join(dir, result.files[0]!.name), "utf8");
}

const messages = (result: ImportResult) => result.warnings.map((w) => w.message);

/** The text up to and including the first occurrence of `marker`. */
function cutAfter(text: string, marker: string): string {
  const at = text.indexOf(marker);
  expect(at, marker).toBeGreaterThan(0);
  return text.slice(0, at + marker.length);
}

describe("a page with a cut tail", () => {
  it("keeps what precedes a cut inside the range filters and marks the spec partial", async () => {
    const text = cutAfter(coworkerPage, "Filter by total uses greater than or equal to this value.\nto_CoworkerTimePass_Tot");
    const { spec, result } = await importText(text);
    expect(Object.keys(spec.rangeFilters as object)).toEqual(["CoworkerTimePass_UsedDate", "CoworkerTimePass_RemainingUses", "CoworkerTimePass_TotalUses"]);
    expect(Object.keys(spec.filters as object)).toHaveLength(23);
    expect(spec.fields).toBeUndefined();
    expect(spec.docs).toMatchObject({ status: "partial" });
    const missing = String((spec.docs as { missing: string }).missing);
    expect(missing).toContain('The range filters list is cut at "to_CoworkerTimePass_Tot"');
    expect(missing).toContain("Record fields (the page has no example response)");
    expect(missing).toContain("The Partial records note (the page has no Response section)");
    expect(messages(result)).toContain('the range filters list is cut at "to_CoworkerTimePass_Tot"; the spec is marked partial');
  });

  it("reads the record fields before a cut inside the example response", async () => {
    const text = cutAfter(coworkerPage, '"ExpireDate": null,\n      "Invo');
    const { spec, text: yaml } = await importText(text);
    const fields = Object.keys(spec.fields as object);
    expect(fields.at(0)).toBe("CoworkerId");
    expect(fields.at(-1)).toBe("ExpireDate");
    expect(fields).toHaveLength(16);
    expect(spec.listingOmits).toEqual(["Notes", "PurchaseOrder", "Free", "Price", "CreateMultiple"]);
    expect(yaml).toContain("status: partial");
    expect(yaml).toContain("The example response is cut");
  });

  it("keeps the complete names of a cut Partial records note and comments on the ones that are no fields yet", async () => {
    const text = cutAfter(coworkerPage, "The following fields are not included in the Records[] response: Notes, PurchaseOrder, Fr");
    const { spec, text: yaml, result } = await importText(text);
    // Without an example record there are no fields, so the omitted names cannot be listed yet.
    expect(spec.listingOmits).toBeUndefined();
    expect(yaml).toContain("# import: the listing also leaves out Notes, PurchaseOrder; list them under listingOmits once they are fields");
    expect(messages(result)).toContain("the listing leaves out Notes, PurchaseOrder, which are not fields of the spec (no example record names them); add the fields, then list them under listingOmits");
    expect(yaml).toContain("The list of fields the listing leaves out is cut");
  });

  it("flags an enum table the page ends in", async () => {
    const text = cutAfter(productPage, "ValueName\n1PricePlan\n2Day");
    const { spec, result } = await importText(text);
    // Two values match no known enum: a new, flagged enum, and nothing typed with it.
    expect(spec.enums).toEqual({ ProductTimePassEnum1: { values: { PricePlan: 1, Day: 2 } } });
    expect(messages(result)).toContain("the page ends in an enum table, so values may be missing; the spec is marked partial");
    expect(String((spec.docs as { missing: string }).missing)).toContain("The filters and range filters sections (not on the imported page)");
  });
});

describe("odd spacing", () => {
  it("reads CRLF lines, tabs, non-breaking spaces, indentation and doubled blank lines as the clean page", async () => {
    const odd = coworkerPage
      .split("\n")
      .map((line, i) => (i % 3 === 0 ? `   ${line}\t ` : i % 3 === 1 ? line.replace(/ /g, "\u00A0") : `\t${line}`))
      .join("\r\n\r\n");
    const { text } = await importText(odd);
    expect(text).toBe(await cleanImport("get-coworkertimepasses.txt"));
  });

  it("reads filter rows flattened onto one line (name, type and description separated by tabs)", async () => {
    const flattened = coworkerPage.replace(/^(CoworkerTimePass_\w+)\n(integer|string|boolean|number)\n(Filter by [^\n]*)$/gm, "$1\t$2\t$3");
    expect(flattened).toContain("CoworkerTimePass_Notes\tstring\tFilter by Notes.");
    const { text } = await importText(flattened);
    expect(text).toBe(await cleanImport("get-coworkertimepasses.txt"));
  });

  it("reads enum rows with spaces or tabs between value and name, and a spaced header", async () => {
    const spaced = productPage.replace("ValueName", "Value   Name").replace("1PricePlan", "1 PricePlan").replace("2Day", "2\tDay").replace("6LastDayOfMonth", "6  LastDayOfMonth");
    const { text } = await importText(spaced);
    expect(text).toBe(await cleanImport("get-producttimepasses.txt"));
  });
});

describe("enum tables", () => {
  it("takes the field and the Nexudus name from a title (eName — Field values) without guessing", async () => {
    const titled = productPage.replace("Enums\n\nValueName", "Enums\n\neRecurrentChargePattern — ExpirationType values\nValueName");
    const { spec, result, text } = await importText(titled);
    expect((spec.fields as Record<string, string>).ExpirationType).toBe("RecurrentChargePattern");
    expect(messages(result)).toEqual([]);
    expect(text).not.toContain("# import:");
  });

  it("reads the title of a Markdown enum table from its <Accordion>", async () => {
    const markdown = (await page("get-producttimepasses.md")).replace(
      "## Enums\n\n| Value | Name |",
      '## Enums\n\n<Accordion title="eRecurrentChargePattern — ExpirationType values">\n\n| Value | Name |',
    );
    const { spec, result } = await importText(markdown, "page.md");
    expect((spec.fields as Record<string, string>).ExpirationType).toBe("RecurrentChargePattern");
    expect(messages(result)).toEqual([]);
  });

  it("defines a titled enum the specs do not know yet under its Nexudus name", async () => {
    const titled = productPage.replace("Enums\n\nValueName\n1PricePlan\n2Day", "Enums\n\neExpiryKind — ExpirationType values\nValueName\n1Fixed\n2Day");
    const { spec } = await importText(titled);
    expect(spec.enums).toEqual({
      ExpiryKind: { nexudusName: "eExpiryKind", values: { Fixed: 1, Day: 2, Week: 3, Month: 4, Year: 5, LastDayOfMonth: 6 } },
    });
    expect((spec.fields as Record<string, string>).ExpirationType).toBe("ExpiryKind");
    expect((spec.filters as Record<string, { type: string }>).ProductTimePass_ExpirationType?.type).toBe("ExpiryKind");
  });

  it("names an untitled enum with new values after the field it guesses, and says so", async () => {
    const untitled = productPage.replace("1PricePlan\n2Day", "1Fixed\n2Day");
    const { spec, result, text } = await importText(untitled);
    expect(Object.keys(spec.enums as object)).toEqual(["ProductTimePassExpirationType"]);
    expect((spec.fields as Record<string, string>).ExpirationType).toBe("ProductTimePassExpirationType");
    expect(messages(result)).toEqual([
      "the enum table has no title; it is written as ProductTimePassExpirationType (rename it and add nexudusName when you know them)",
      "enum ProductTimePassExpirationType: the page does not say which field takes ProductTimePassExpirationType; ExpirationType is a guess",
    ]);
    expect(text).toContain("  # import: the page does not say which field takes ProductTimePassExpirationType; ExpirationType is a guess\n  ExpirationType: ProductTimePassExpirationType\n");
  });

  it("does not guess between two untitled tables: both stay unattached, fields stay integers", async () => {
    const two = productPage.replace("6LastDayOfMonth\n", "6LastDayOfMonth\nValueName\n0None\n1Some\n");
    const { spec, result, text } = await importText(two);
    expect(Object.keys(spec.enums as object)).toEqual(["ProductTimePassEnum2"]);
    expect((spec.fields as Record<string, string>).ExpirationType).toBe("integer");
    expect(messages(result)).toEqual([
      "the enum table has no title; its values are those of RecurrentChargePattern, so it is read as RecurrentChargePattern",
      "the page does not say which field takes the enum RecurrentChargePattern (candidates: ExpirationType); set the field's type by hand",
      "the enum table has no title; it is written as ProductTimePassEnum2 (rename it and add nexudusName when you know them)",
      "the page does not say which field takes the enum ProductTimePassEnum2 (candidates: ExpirationType); set the field's type by hand",
    ]);
    expect(text).toContain("  # import: which field takes these values is not stated on the page\n  ProductTimePassEnum2:\n");
  });
});

describe("filter types", () => {
  it("writes a filter of a type the format does not know as untyped, with a comment and a warning", async () => {
    const odd = coworkerPage.replace("CoworkerTimePass_PurchaseOrder\nstring", "CoworkerTimePass_PurchaseOrder\nmoney");
    const { spec, result, text } = await importText(odd);
    expect((spec.filters as Record<string, { type: string }>).CoworkerTimePass_PurchaseOrder?.type).toBe("untyped");
    expect(text).toContain('  # import: the page types this filter "money", which the spec format does not know; written as untyped\n  CoworkerTimePass_PurchaseOrder:');
    // The field is null in the example and its filter no longer types it: flagged, not guessed.
    expect((spec.fields as Record<string, string>).PurchaseOrder).toBe("json?");
    expect(messages(result)).toEqual([
      "field PurchaseOrder: null in the example and no filter types it: check the Get one page and set the type (written as json)",
      'filter CoworkerTimePass_PurchaseOrder: the page types this filter "money", which the spec format does not know; written as untyped',
      "the page has no description; the spec gets a placeholder to replace",
    ]);
  });

  it("reads the docs' other words for known types (decimal, int, bool) without a warning", async () => {
    const aliases = coworkerPage
      .replace("CoworkerTimePass_Price\nnumber", "CoworkerTimePass_Price\ndecimal")
      .replace("CoworkerTimePass_TotalUses\ninteger", "CoworkerTimePass_TotalUses\nint")
      .replace("CoworkerTimePass_Used\nboolean", "CoworkerTimePass_Used\nbool");
    const { text, result } = await importText(aliases);
    expect(messages(result)).toEqual(["the page has no description; the spec gets a placeholder to replace"]);
    expect(text).toBe(await cleanImport("get-coworkertimepasses.txt"));
  });

  it("types a filter the page leaves untyped from its field, and flags it", async () => {
    const untyped = coworkerPage.replace("CoworkerTimePass_Free\nboolean\n", "CoworkerTimePass_Free\n");
    const { spec, result } = await importText(untyped);
    expect((spec.filters as Record<string, { type: string }>).CoworkerTimePass_Free?.type).toBe("boolean");
    expect(messages(result)).toContain("filter CoworkerTimePass_Free: the page gives no type for this filter; written as boolean, the type of Free");
  });

  it("leaves out a range filter typed string without a date format, since ranges compare numbers and dates", async () => {
    const stringRange = coworkerPage.replace(
      "from_CoworkerTimePass_Price\nnumber\nFilter by price greater than or equal to this value.\nto_CoworkerTimePass_Price\nnumber",
      "from_CoworkerTimePass_Price\nstring\nFilter by price greater than or equal to this value.\nto_CoworkerTimePass_Price\nstring",
    );
    const { spec, result } = await importText(stringRange);
    expect(Object.keys(spec.rangeFilters as object)).not.toContain("CoworkerTimePass_Price");
    expect(messages(result)).toContain('range filter CoworkerTimePass_Price is typed "string" without a date format; ranges take integer, number or datetime, so it is left out');
  });
});
