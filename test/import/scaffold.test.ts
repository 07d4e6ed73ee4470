import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ScaffoldError, scaffoldSpec } from "../../generator/scaffold.js";
import { cleanUp, generateFrom, specsFolder } from "./helpers.js";
import { snapshot } from "../helpers/project.js";

afterAll(cleanUp);

describe("npm run new", () => {
  it("writes a minimal spec that validates and generates, with every section shown as a comment", async () => {
    const dir = await specsFolder();
    const result = await scaffoldSpec({ specsDir: dir, target: "billing/ExtraServicePrices" });
    expect(result.entity).toBe("ExtraServicePrice");
    expect(result.notes).toEqual([]);
    const text = await readFile(path.join(dir, "billing/extraserviceprices.yaml"), "utf8");
    expect(text).toBe(result.text);
    for (const section of ["# plural:", "# path:", "# roles:", "# baseFields:", "# baseFilters:", "# fields:", "# filters:", "# rangeFilters:", "# listingOmits:", "# enums:"]) {
      expect(text).toContain(section);
    }
    expect(parse(text)).toMatchObject({ entity: "ExtraServicePrice", area: "billing", operations: ["list"], docs: { status: "partial" } });

    const out = await generateFrom(dir);
    const generated = await snapshot(out);
    expect(generated.get("src/billing/index.ts")).toContain("export interface ExtraServicePrice {");
    expect(generated.get("src/billing/index.ts")).toContain("export const ExtraServicePricesResource = /* @__PURE__ */ resourceClass<ExtraServicePricesResource>(");
  });

  it("writes specs whose commented-out examples are valid once uncommented", async () => {
    const dir = await specsFolder();
    const { text } = await scaffoldSpec({ specsDir: dir, target: "spaces/Lockers" });
    // Uncomment every example line (not the explanations) and check the result generates.
    const uncommented = text
      .split("\n")
      .map((line) => (/^# (plural|path|roles|baseFields|baseFilters|fields|filters|rangeFilters|listingOmits|enums):|^#   /.test(line) ? line.replace(/^# /, "").replace(/\s+# .*$/, "") : line))
      .join("\n")
      .replace(/^path: .*\n/m, "")
      .replace(/^(baseFields|baseFilters): false\n/gm, "");
    await writeFile(path.join(dir, "spaces/lockers.yaml"), uncommented);
    const generated = await snapshot(await generateFrom(dir));
    const types = generated.get("src/spaces/index.ts") ?? "";
    expect(types).toContain("BusinessId: number;");
    // Query properties may also be written `| undefined` for exactOptionalPropertyTypes projects.
    expect(types).toMatch(/from_Locker_Price\?: number( \| undefined)?;/);
    expect(types).toMatch(/Locker_Name\?: string( \| undefined)?;/);
    expect(generated.get("src/enums.ts")).toContain("export const LockerStatus = {");
  });

  it("refuses to overwrite an existing spec", async () => {
    const dir = await specsFolder(["billing/coworkertimepasses.yaml"]);
    const before = await snapshot(dir);
    await expect(scaffoldSpec({ specsDir: dir, target: "billing/CoworkerTimePasses" })).rejects.toThrow(/coworkertimepasses\.yaml already exists; it was left as it is/);
    expect(await snapshot(dir)).toEqual(before);
  });

  it("refuses, and writes nothing, when the new spec clashes with another (same entity)", async () => {
    const dir = await specsFolder(["billing/coworkertimepasses.yaml"]);
    const attempt = scaffoldSpec({ specsDir: dir, target: "spaces/Passes", entity: "CoworkerTimePass" });
    await expect(attempt).rejects.toThrow(ScaffoldError);
    await expect(attempt).rejects.toThrow(/entity "CoworkerTimePass" is already specified in/);
    expect([...(await snapshot(dir)).keys()].sort()).toEqual(["billing/coworkertimepasses.yaml", "common.yaml"]);
  });

  it("derives the entity from a lower-case path and says to check its capitals", async () => {
    const dir = await specsFolder();
    const result = await scaffoldSpec({ specsDir: dir, target: "content/blogposts" });
    expect(result.entity).toBe("Blogpost");
    expect(result.notes).toEqual(["entity Blogpost is derived from the path; if Nexudus writes it with other capitals, fix entity (or pass --entity)"]);
  });

  it("writes the plural of an irregular entity name when it is given with its capitals", async () => {
    const dir = await specsFolder();
    await expect(scaffoldSpec({ specsDir: dir, target: "spaces/people", entity: "Person" })).rejects.toThrow(/the plural of Person is not "people"/);
    const result = await scaffoldSpec({ specsDir: dir, target: "spaces/People", entity: "Person" });
    expect(parse(result.text)).toMatchObject({ entity: "Person", plural: "People" });
  });

  it("refuses a target that is not <area>/<entities>", async () => {
    const dir = await specsFolder();
    await expect(scaffoldSpec({ specsDir: dir, target: "Billing/things/more" })).rejects.toThrow('"Billing/things/more" is not <area>/<entities>');
  });
});
