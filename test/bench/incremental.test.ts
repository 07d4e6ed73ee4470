import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../../generator/pipeline.js";
import { SMALL_SPEC_SET, snapshot, tempProject } from "../helpers/project.js";

/**
 * Regenerating from the caches must give the bytes a cold run gives, whatever changed. Over a few
 * real specs: what the caches recall does not depend on how many entities there are.
 */
describe("incremental regeneration (run memo)", () => {
  it("recalls the run after a writing run without loading anything, and gives it up when an output file is touched", async () => {
    const project = await tempProject({ specs: SMALL_SPEC_SET });
    try {
      const written = await generate(project.options);
      expect(written.changes.changed.length).toBeGreaterThan(0);

      // The output is a fixed point of its inputs: the next run is recalled.
      const recalled = await generate(project.options);
      expect(Object.keys(recalled.timings)).toEqual(["up-to-date check"]);
      // And it tells what a real run (no memo, no caches) of the same inputs finds.
      const real = await generate({ ...project.options, cacheDir: undefined });
      expect(real.timings).toHaveProperty("load");
      expect(real.changes.changed).toEqual([]);
      expect(recalled.changes).toEqual(real.changes);
      expect(recalled.model).toEqual(JSON.parse(JSON.stringify(real.model)));
      expect(recalled.release.version).toBe(real.release.version);
      expect(recalled.release.changes).toEqual(real.release.changes);

      // A hand edit in generated/ is noticed: the run is a real one and restores the file.
      const readme = path.join(project.options.outDir, "README.md");
      const original = await readFile(readme, "utf8");
      await writeFile(readme, `${original}edited\n`);
      const repaired = await generate(project.options);
      expect(repaired.timings).toHaveProperty("load");
      expect(repaired.changes.changed).toEqual(["README.md"]);
      expect(await readFile(readme, "utf8")).toBe(original);
    } finally {
      await project.cleanup();
    }
  });

  it("after a spec edit, writes what a cold run writes", async () => {
    const warm = await tempProject({ specs: SMALL_SPEC_SET });
    const cold = await tempProject({ specs: SMALL_SPEC_SET });
    try {
      // Both start from the same generation: the version written depends on the one before.
      await generate(warm.options);
      await generate({ ...cold.options, cacheDir: undefined });
      const edit = async (specsDir: string) => {
        const spec = path.join(specsDir, "billing/producttimepasses.yaml");
        await writeFile(spec, (await readFile(spec, "utf8")).replace("ExpiresIn: integer?", "ExpiresIn: { type: integer?, description: Days until expiry. }"));
      };
      await edit(warm.options.specsDir);
      await edit(cold.options.specsDir);
      const incremental = await generate(warm.options);
      expect(incremental.changes.changed).toContain("src/billing/producttimepasses.types.ts");

      await generate({ ...cold.options, cacheDir: undefined });
      expect(await snapshot(warm.options.outDir)).toEqual(await snapshot(cold.options.outDir));
    } finally {
      await Promise.all([warm.cleanup(), cold.cleanup()]);
    }
  });
});
