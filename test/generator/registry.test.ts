import { readFile } from "node:fs/promises";
import path from "node:path";
import { Project } from "ts-morph";
import { describe, expect, it } from "vitest";
import type { Emitter } from "../../generator/emit/emitter.js";
import { EMITTERS, reservedExports } from "../../generator/emit/registry.js";
import { SpecError } from "../../generator/diagnostics.js";
import { generate } from "../../generator/pipeline.js";
import { ROOT, SMALL_SPEC_SET, tempProject } from "../helpers/project.js";

/** A registry with one more emitter, inserted before the release, as a new output would be. */
const withExtra = (extra: Emitter): readonly Emitter[] => {
  const release = EMITTERS.findIndex((e) => e.name === "release");
  return [...EMITTERS.slice(0, release), extra, ...EMITTERS.slice(release)];
};

describe("emitter registry", () => {
  it("derives the reserved names from the emitters: the root client and every export of the runtime", () => {
    // ts-morph resolves what the runtime's index really exports, independently of the derivation's reading.
    const project = new Project({ skipAddingFilesFromTsConfig: true });
    project.addSourceFilesAtPaths(path.join(ROOT, "templates/runtime/*.ts"));
    const index = project.getSourceFileOrThrow(path.join(ROOT, "templates/runtime/index.ts"));
    const exported = [...index.getExportedDeclarations().keys()];
    expect(exported.length).toBeGreaterThan(10);
    expect([...reservedExports()].sort()).toEqual(["NexudusClient", ...exported].sort());
  });

  it("runs an output that is one module and one registry line: its file, its package export, its stage, its reserved name", async () => {
    const project = await tempProject({ specs: SMALL_SPEC_SET });
    try {
      const extra: Emitter = {
        name: "emit extra",
        emit: (model) => [{ path: "src/extra/index.ts", parser: "typescript", content: `export const entityCount = ${model.entities.length};\n` }],
        exports: () => ["entityCount"],
        indexModules: ["./extra/index.js"],
        packageExports: { extra: "extra/index" },
        packageFiles: ["EXTRA.md"],
      };
      const report = await generate(project.options, withExtra(extra));
      const out = (file: string) => readFile(path.join(project.options.outDir, file), "utf8");
      expect(await out("src/extra/index.ts")).toBe(`export const entityCount = ${SMALL_SPEC_SET.length};\n`);
      const packageJson = JSON.parse(await out("package.json")) as { exports: Record<string, unknown>; files: string[] };
      expect(packageJson.exports["./extra"]).toEqual({
        import: { types: "./dist/esm/extra/index.d.ts", default: "./dist/esm/extra/index.js" },
        require: { types: "./dist/cjs/extra/index.d.ts", default: "./dist/cjs/extra/index.js" },
      });
      expect(packageJson.exports["./testing"]).toBeDefined();
      expect(packageJson.files).toEqual(expect.arrayContaining(["extra", "EXTRA.md", "testing", "README.md", "CHANGELOG.md", "LICENSE"]));
      expect(JSON.parse(await out("extra/package.json"))).toMatchObject({ main: "../dist/cjs/extra/index.js" });
      expect(Object.keys(report.timings)).toContain("emit extra");
      expect(await out("src/index.ts")).toMatch(/export \* from "\.\/extra\/index\.js";\n$/);
      expect(reservedExports(withExtra(extra)).has("entityCount")).toBe(true);

      // A name the extra emitter exports is taken: an entity whose record type has it is refused.
      const clashing = withExtra({ ...extra, exports: () => ["TimePass"] });
      const error = await generate({ ...project.options, check: true }, clashing).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).message).toContain('"TimePass"');
    } finally {
      await project.cleanup();
    }
  });
});
