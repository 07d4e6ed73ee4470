import { describe, expect, it } from "vitest";
import { AREA_SIZES, buildSyntheticSpecs } from "../../bench/synthetic.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { parseSpec } from "../../generator/load.js";
import { buildModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";

describe("the benchmark's synthetic spec set", () => {
  it("is deterministic, shaped like Nexudus, and valid", async () => {
    const first = await buildSyntheticSpecs();
    expect(await buildSyntheticSpecs()).toEqual(first);
    expect(await buildSyntheticSpecs({ seed: 7 })).not.toEqual(first);

    const diagnostics: Diagnostic[] = [];
    const specs = first.map((f) => parseSpec(f.path, `specs/${f.path}`, f.text, diagnostics));
    validateSpecs(specs, diagnostics);
    expect(diagnostics).toEqual([]);
    const model = buildModel(specs);
    expect(model.entities).toHaveLength(215);
    expect(Object.values(AREA_SIZES).reduce((a, b) => a + b, 0)).toBe(215);
    expect(model.areas.map((a) => a.name).sort()).toEqual(Object.keys(AREA_SIZES).sort());
    for (const entity of model.entities) {
      const own = entity.fields.filter((f) => !f.base);
      expect(own.length, entity.name).toBeGreaterThanOrEqual(36);
      expect(own.length, entity.name).toBeLessThanOrEqual(47);
      expect(entity.filters.length, entity.name).toBeGreaterThanOrEqual(22);
      expect(entity.rangeFilters.length, entity.name).toBeGreaterThanOrEqual(10);
      expect(entity.listingOmits.length, entity.name).toBeGreaterThanOrEqual(3);
      expect(entity.listingOmits.length, entity.name).toBeLessThanOrEqual(5);
      const enums = model.enums.filter((e) => e.name.startsWith(entity.name) && e.usedBy.includes(entity.name));
      expect(enums.length, entity.name).toBeGreaterThanOrEqual(1);
    }
  });
});
