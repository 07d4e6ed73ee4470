import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { COMMON_SPEC, loadSpecs, plain } from "../../generator/load.js";
import { buildModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";
import { SPECS } from "./helpers.js";

interface SpecDocs {
  status?: string;
  sources?: string[];
  missing?: string;
}

describe("the specs in specs/", () => {
  it("all validate", async () => {
    const diagnostics: Diagnostic[] = [];
    validateSpecs(await loadSpecs(SPECS, diagnostics), diagnostics);
    expect(diagnostics).toEqual([]);
  });

  it("each record where they come from, how complete that is, and what is missing when partial", async () => {
    const specs = (await loadSpecs(SPECS, [])).filter((s) => s.name !== COMMON_SPEC);
    expect(specs.length).toBeGreaterThanOrEqual(20);
    for (const spec of specs) {
      const docs = (plain(spec.root!) as { docs?: SpecDocs }).docs;
      expect(docs, spec.name).toBeDefined();
      expect(["complete", "partial"], spec.name).toContain(docs!.status);
      expect(docs!.sources?.length, spec.name).toBeGreaterThan(0);
      for (const source of docs!.sources ?? []) expect(source, spec.name).toMatch(/^https:\/\/(developers|learn)\.nexudus\.com\/|^https:\/\/nexudus\.mintlify\.app\/|^https:\/\/github\.com\/Nexudus-Ltd\/nexudus-coworking-skills\//);
      if (docs!.status === "partial") expect(docs!.missing?.trim().length, `${spec.name} says what is missing`).toBeGreaterThan(20);
    }
  });

  it("cover the billing, spaces, content and sys areas", async () => {
    const model = buildModel(await loadSpecs(SPECS, []));
    expect(model.areas.map((a) => a.name)).toEqual(expect.arrayContaining(["billing", "content", "spaces", "sys"]));
  });

  it("put every source under the entity's own endpoint", async () => {
    const model = buildModel(await loadSpecs(SPECS, []));
    for (const entity of model.entities) {
      const segment = entity.path.split("/").pop()!;
      // A docs page lives under the entity's area; the CLI's entity reference is one page per plural.
      for (const source of entity.docs.sources) expect(source, entity.name).toMatch(new RegExp(`/${entity.area}/|/entities/${segment}\\.md$`));
      expect(entity.docs.sources.some((s) => s.includes(`-${segment}`) || s.endsWith(`/${segment}.md`)), entity.name).toBe(true);
    }
  });
});
