import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportError, importPages } from "../../generator/import/import.js";
import { cleanUp, page, PAGES, ROOT, SPECS, specsFolder, writePage } from "./helpers.js";
import { snapshot } from "../helpers/project.js";

afterAll(cleanUp);

let coworkerPage: string;
let productPage: string;
beforeAll(async () => {
  coworkerPage = await page("get-coworkertimepasses.txt");
  productPage = await page("get-producttimepasses.txt");
});

/** 1-based line of the first line of `text` that equals `line`. */
function lineOf(text: string, line: string): number {
  const index = text.split("\n").indexOf(line);
  expect(index, line).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/** Imports pages into a specs folder with a hand spec; expects an ImportError and an untouched folder. */
async function expectRefused(pages: { name: string; text: string }[]): Promise<string> {
  const dir = await specsFolder(["billing/producttimepasses.yaml"]);
  const before = await snapshot(dir);
  const files = await Promise.all(pages.map((p) => writePage(p.name, p.text)));
  let message = "";
  try {
    await importPages({ pages: files, specsDir: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    message = (error as ImportError).message;
  }
  expect(message, "the import should have failed").not.toBe("");
  expect(message).toMatch(/nothing was written\.$/);
  expect(await snapshot(dir)).toEqual(before);
  return message;
}

describe("input that is not a docs page", () => {
  it("refuses unrelated text, naming what it expected", async () => {
    const message = await expectRefused([{ name: "notes.txt", text: "Shopping list\n\n- milk\n- bread\n" }]);
    expect(message).toMatch(/notes\.txt:1: no endpoint found: this does not look like a Nexudus REST API docs page\n  expected: the method and path at the top of the page/);
  });

  it("refuses an empty file", async () => {
    const message = await expectRefused([{ name: "empty.txt", text: "  \n\n" }]);
    expect(message).toContain("empty.txt:1: the file is empty");
  });

  it("refuses a spec passed where a page belongs", async () => {
    const { readFile } = await import("node:fs/promises");
    const spec = await readFile(path.join(SPECS, "billing/coworkertimepasses.yaml"), "utf8");
    const message = await expectRefused([{ name: "spec.yaml", text: spec }]);
    expect(message).toContain("spec.yaml:1: no endpoint found");
  });

  it("refuses an endpoint that is not an entity path", async () => {
    const message = await expectRefused([{ name: "token.txt", text: "POST\n/\napi\n/\ntoken\n\nAuthentication\n\nNone.\n" }]);
    expect(message).toContain('token.txt:1: the endpoint path "/api/token" is not a Nexudus entity path');
  });

  it("refuses a page that has an endpoint and nothing after it", async () => {
    const message = await expectRefused([{ name: "bare.txt", text: "GET\n/\napi\n/\nbilling\n/\ncoworkertimepasses\n" }]);
    expect(message).toContain("bare.txt:2: the page has an endpoint but no sections");
  });
});

describe("a docs page with a broken part", () => {
  it("points at an enum row it cannot read", async () => {
    const text = productPage.replace("4Month", "4 Month of the year");
    const message = await expectRefused([{ name: "enum.txt", text }]);
    expect(message).toContain(`enum.txt:${lineOf(text, "4 Month of the year")}: "4 Month of the year" is not an enum row\n  expected: a row such as \`1PricePlan\``);
  });

  it("points at a filter of another entity pasted into the list", async () => {
    const text = coworkerPage.replace("CoworkerTimePass_Free\nboolean", "Booking_Resource\ninteger");
    const message = await expectRefused([{ name: "mixed.txt", text }]);
    expect(message).toContain(`mixed.txt:${lineOf(text, "Booking_Resource")}: the filter Booking_Resource does not belong to CoworkerTimePass`);
  });

  it("points at a range filter without its from_/to_ prefix", async () => {
    const text = coworkerPage.replace("from_CoworkerTimePass_Price\nnumber", "CoworkerTimePass_PriceFrom\nnumber");
    const message = await expectRefused([{ name: "range.txt", text }]);
    expect(message).toContain(`range.txt:${lineOf(text, "CoworkerTimePass_PriceFrom")}: the range filter CoworkerTimePass_PriceFrom has no from_ or to_ prefix`);
  });

  it("points at a Filters section that holds prose instead of filters", async () => {
    const start = coworkerPage.indexOf("CoworkerTimePass_Coworker\ninteger");
    const end = coworkerPage.indexOf("Range Filters");
    const text = `${coworkerPage.slice(0, start)}See the Get one page for the filters.\n\n${coworkerPage.slice(end)}`;
    const message = await expectRefused([{ name: "prose.txt", text }]);
    expect(message).toContain(`prose.txt:${lineOf(text, "See the Get one page for the filters.")}: expected filters under "Filters", found "See the Get one page for the filters."`);
  });

  it("writes nothing at all when one page of several is broken, and lists every broken page", async () => {
    const message = await expectRefused([
      { name: "good.txt", text: coworkerPage },
      { name: "bad-1.txt", text: "hello" },
      { name: "bad-2.txt", text: productPage.replace("2Day", "2 Day and night") },
    ]);
    expect(message).toContain("bad-1.txt:1: no endpoint found");
    expect(message).toContain('"2 Day and night" is not an enum row');
    expect(message).not.toContain("good.txt");
  });

  it("refuses a specs folder without common.yaml", async () => {
    const { tempDir } = await import("./helpers.js");
    const dir = await tempDir("nocommon");
    await expect(importPages({ pages: [path.join(PAGES, "get-producttimepasses.txt")], specsDir: dir })).rejects.toThrow(/common\.yaml not found: --out must be the specs folder/);
    expect(await snapshot(dir)).toEqual(new Map());
  });
});

describe("npm run import", () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ["--import", "tsx", path.join(ROOT, "generator/import/cli.ts"), ...args], { cwd: ROOT }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it("prints what it created and its warnings, and exits 0", async () => {
    const dir = await specsFolder();
    const { code, stdout } = await cli([path.join(PAGES, "get-producttimepasses.txt"), "--out", dir]);
    expect(code).toBe(0);
    expect(stdout).toContain("created ");
    expect(stdout).toContain("  9 fields, 9 filters, 4 range filters, 0 enums\n");
    expect(stdout).toContain("2 warnings");
    expect(stdout).toContain("get-producttimepasses.txt:34: the enum table has no title");
  });

  it("exits 1 with the error on a broken page, and 2 without a page", async () => {
    const broken = await writePage("broken.txt", "not a page");
    const failed = await cli([broken, "--out", await specsFolder()]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("broken.txt:1: no endpoint found");
    expect(failed.stderr).toContain("nothing was written.");
    const usage = await cli([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: npm run import -- <page>...");
  });
});
