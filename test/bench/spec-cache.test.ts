import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeSyntheticSpecs } from "../../bench/synthetic.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { loadSpecs } from "../../generator/load.js";
import { loadSpecsCached, specCacheFile } from "../../generator/spec-cache.js";

describe("load stage with parsed specs remembered", () => {
  it("gives exactly what parsing gives, from the cache too, and re-parses only a changed spec", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "spec-cache-"));
    try {
      const specsDir = path.join(dir, "specs");
      const cacheFile = path.join(dir, "cache", "format.json");
      await writeSyntheticSpecs(specsDir, { entities: 12 });
      const parsed = await loadSpecs(specsDir, []);
      expect(await loadSpecsCached(specsDir, [], cacheFile)).toEqual(parsed);
      expect(await loadSpecsCached(specsDir, [], cacheFile)).toEqual(parsed);
      const stored = () => readFile(specCacheFile(cacheFile), "utf8").then((t) => Object.keys(JSON.parse(t) as object));
      const before = await stored();
      expect(before).toHaveLength(13);

      const edited = path.join(specsDir, "billing/invoices.yaml");
      await writeFile(edited, (await readFile(edited, "utf8")).replace("One invoice", "An invoice"));
      expect(await loadSpecsCached(specsDir, [], cacheFile)).toEqual(await loadSpecs(specsDir, []));
      const after = await stored();
      expect(after).toHaveLength(13);
      expect(after.filter((key) => !before.includes(key))).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports YAML errors on every run: a broken spec is never remembered", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "spec-cache-"));
    try {
      const specsDir = path.join(dir, "specs");
      const cacheFile = path.join(dir, "cache", "format.json");
      await writeSyntheticSpecs(specsDir, { entities: 2 });
      await writeFile(path.join(specsDir, "billing/invoices.yaml"), "entity: [unclosed\n");
      for (let run = 0; run < 2; run++) {
        const diagnostics: Diagnostic[] = [];
        await loadSpecsCached(specsDir, diagnostics, cacheFile);
        expect(diagnostics.length, `run ${run}`).toBeGreaterThan(0);
        expect(diagnostics[0]!.file).toContain("invoices.yaml");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
