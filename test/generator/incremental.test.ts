import { cp, mkdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE_FILE, CacheSection, PIECES_CACHE_FILE, SpecPieces, type CachedSpec } from "../../generator/cache.js";
import { SpecError, type Diagnostic } from "../../generator/diagnostics.js";
import { TEMPLATE_NAMES } from "../../generator/emit/templates.js";
import { loadSpecs } from "../../generator/load.js";
import { generate, type GenerateOptions } from "../../generator/pipeline.js";
import { ROOT, SMALL_SPEC_SET, snapshot, tempProject } from "../helpers/project.js";

/**
 * The incremental pipeline (one cache, entities remembered by content, the output folder checked
 * by stat) must give the bytes a cold run gives, whatever changed. Each case starts two copies of
 * one generated project: the warm one regenerates with its cache, the cold one with none, after
 * the same change; their output folders must be equal, byte for byte.
 */
type Project = Awaited<ReturnType<typeof tempProject>>;

/** A project with a few real specs, generated once (its cache knows its output folder). */
async function generatedProject(): Promise<Project> {
  const project = await tempProject({ specs: SMALL_SPEC_SET });
  await generate(project.options);
  return project;
}

/** Applies `change` to a warm and a cold copy, regenerates both, and compares them. */
async function expectSameAsCold(change: (options: GenerateOptions) => Promise<void>): Promise<Awaited<ReturnType<typeof generate>>> {
  const [warm, cold] = await Promise.all([generatedProject(), generatedProject()]);
  try {
    await change(warm.options);
    await change(cold.options);
    const report = await generate(warm.options);
    await generate({ ...cold.options, cacheDir: undefined });
    const [a, b] = await Promise.all([snapshot(warm.options.outDir), snapshot(cold.options.outDir)]);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [file, content] of a) expect(content, file).toBe(b.get(file));
    // And the warm run left a fixed point: the next run changes nothing.
    const again = await generate(warm.options);
    expect(again.changes.changed).toEqual([]);
    expect(again.model).toBeUndefined();
    return report;
  } finally {
    await Promise.all([warm.cleanup(), cold.cleanup()]);
  }
}

const edit = (file: (o: GenerateOptions) => string, from: string, to: string) => async (options: GenerateOptions) => {
  const text = await readFile(file(options), "utf8");
  if (!text.includes(from)) throw new Error(`${file(options)} has no ${from}`);
  await writeFile(file(options), text.replace(from, to));
};
const spec = (name: string) => (o: GenerateOptions) => path.join(o.specsDir, name);
const template = (name: string) => (o: GenerateOptions) => path.join(o.templatesDir, name);

describe("incremental regeneration gives the bytes of a cold run", () => {
  it("after a spec is edited in place to the same size (its mtime tells)", async () => {
    const report = await expectSameAsCold(async (o) => {
      const file = spec("billing/timepasses.yaml")(o);
      const before = await stat(file);
      const text = await readFile(file, "utf8");
      const edited = text.replace(/description: (\w)/, (_, letter: string) => `description: ${letter === "X" ? "Y" : "X"}`);
      expect(edited.length).toBe(text.length);
      await writeFile(file, edited);
      // Whatever the clock's resolution, the mtime moves.
      await utimes(file, before.atime, new Date(before.mtimeMs + 1000));
    });
    expect(report.printed).toBe(1);
  });

  it("after a spec's description changes: only that entity is printed again", async () => {
    const report = await expectSameAsCold(edit(spec("billing/producttimepasses.yaml"), "ExpiresIn: integer?", "ExpiresIn: { type: integer?, description: Days until expiry. }"));
    expect(report.printed).toBe(1);
    // The other entities are known by their summaries: no other model is read.
    expect(report.modelsRead).toBe(1);
  });

  it("after a field is added to a spec", async () => {
    const report = await expectSameAsCold(edit(spec("billing/timepasses.yaml"), "\nfields:\n", "\nfields:\n  Reference: string?\n"));
    expect(report.printed).toBe(1);
    // The coverage page's counts changed: it is printed again from the other entities' summaries.
    expect(report.changes.changed).toContain("docs/coverage.md");
    expect(report.modelsRead).toBe(1);
  });

  it("after a spec is added", async () => {
    const report = await expectSameAsCold(async (o) => {
      await mkdir(path.join(o.specsDir, "spaces"), { recursive: true });
      await cp(path.join(ROOT, "specs/spaces/resourcetypes.yaml"), path.join(o.specsDir, "spaces/resourcetypes.yaml"));
    });
    expect(report.modelsRead).toBe(1);
  });

  it("after a spec is removed", async () => {
    await expectSameAsCold((o) => rm(path.join(o.specsDir, "billing/producttimepasses.yaml")));
  });

  it("after a spec is renamed (moved to another area)", async () => {
    await expectSameAsCold(async (o) => {
      const from = path.join(o.specsDir, "billing/timepasses.yaml");
      const to = path.join(o.specsDir, "spaces/timepasses.yaml");
      await writeFile(from, (await readFile(from, "utf8")).replace("area: billing", "area: spaces"));
      await rename(from, to);
    });
  });

  it("after a spec gained text beyond ASCII, then a later entity's spec changed: openapi.json's parts are copied by their bytes", async () => {
    // CoworkerTimePass comes before TimePass: TimePass's parts sit after characters of two and three bytes.
    const report = await expectSameAsCold(async (o) => {
      await edit(spec("billing/coworkertimepasses.yaml"), "Id of the customer (Coworker) who holds the pass.", "Id of the customer (Coworker) who holds the pass (its «holder» – ✓).")(o);
      await generate(o);
      await edit(spec("billing/timepasses.yaml"), "\nfields:\n", "\nfields:\n  Reference: string?\n")(o);
    });
    expect(report.printed).toBe(1);
    expect(report.changes.changed).toContain("openapi.json");
  });

  it("after an enum's description changed in common.yaml: openapi.json's enum schemas are printed again", async () => {
    const report = await expectSameAsCold(edit((o) => path.join(o.specsDir, "common.yaml"), "as the ProductTimePass pages list them.", "as the ProductTimePass pages list them (edited)."));
    expect(report.changes.changed).toContain("openapi.json");
  });

  it("after a template is edited: every entity page is printed again", async () => {
    const report = await expectSameAsCold(edit(template("docs/entity.md.hbs"), "## Operations", "## Operations and examples"));
    expect(report.printed).toBe(SMALL_SPEC_SET.length);
  });

  it("after the copied runtime is edited", async () => {
    await expectSameAsCold(edit(template("runtime/page.ts"), "\n", "\n// An edit.\n"));
  });

  it("after the generator's code changed (a cache of another version is not used)", async () => {
    const report = await expectSameAsCold(async (o) => {
      const file = path.join(o.cacheDir!, CACHE_FILE);
      const cache = JSON.parse(await readFile(file, "utf8")) as { version: string };
      await writeFile(file, JSON.stringify({ ...cache, version: "another generator" }));
      await edit(spec("billing/timepasses.yaml"), "\nfields:\n", "\nfields:\n  Reference: string?\n")(o);
    });
    expect(report.printed).toBe(SMALL_SPEC_SET.length);
  });

  it("after a manifest that still holds the TypeScript API and a runtime code edit: remembered files' API is read from the output folder", async () => {
    const report = await expectSameAsCold(async (o) => {
      // Older manifests kept the API records: they are accepted, and the manifest written has none.
      const file = path.join(o.outDir, "surface.json");
      const manifest = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...manifest, api: { "src/index.ts": { stale: "export const stale = 1" } }, apiReader: "an older reader" }, null, 2));
      // A declaration the package does not export: the file's record changes, the public API does not.
      await edit(template("runtime/page.ts"), "\nexport class ListPage", "\nexport function pageMarker(): number {\n  return 1;\n}\n\nexport class ListPage")(o);
    });
    // The modules the emitters' views remember (the enums, the test server's manifest) are not
    // printed again: their API is read where they are.
    expect(report.release.apiParsed).toBeGreaterThan(SMALL_SPEC_SET.length);
    expect(report.release.changes.map((c) => c.kind)).toEqual(["Code"]);
    const written = JSON.parse(report.release.files.find((f) => f.path === "surface.json")!.content) as Record<string, unknown>;
    expect(Object.keys(written)).not.toContain("api");
    expect(Object.keys(written)).not.toContain("apiReader");
  });

  it("after the cache is deleted", async () => {
    await expectSameAsCold((o) => rm(o.cacheDir!, { recursive: true, force: true }));
  });

  it("after the cache was cut off halfway through being written", async () => {
    await expectSameAsCold(async (o) => {
      for (const name of [CACHE_FILE, PIECES_CACHE_FILE]) {
        const file = path.join(o.cacheDir!, name);
        const bytes = await readFile(file);
        await writeFile(file, bytes.subarray(0, bytes.length / 2));
      }
      await edit(spec("billing/producttimepasses.yaml"), "ExpiresIn: integer?", "ExpiresIn: { type: integer?, description: Days. }")(o);
    });
  });

  it("after a base field in common.yaml changed: every entity is built again from its remembered tree", async () => {
    const report = await expectSameAsCold(edit((o) => path.join(o.specsDir, "common.yaml"), "description: Unique record identifier.", "description: The record's unique identifier."));
    expect(report.printed).toBe(SMALL_SPEC_SET.length);
  });

  it("after a remembered piece (a tree, an outline, a model) was damaged: it is made again", async () => {
    await expectSameAsCold(async (o) => {
      const file = path.join(o.cacheDir!, PIECES_CACHE_FILE);
      const bytes = await readFile(file);
      // Past the index, every piece's bytes are garbled: none inflates to what was stored.
      const indexEnd = 4 + bytes.readUInt32LE(0);
      for (let i = indexEnd; i < bytes.length; i += 7) bytes[i] = bytes[i]! ^ 0x5a;
      await writeFile(file, bytes);
      await edit(spec("billing/timepasses.yaml"), "\nfields:\n", "\nfields:\n  Reference: string?\n")(o);
    });
  });

  it("after the remembered models were damaged and a stage needs them whole: each is built again from its spec, not its summary", async () => {
    const report = await expectSameAsCold(async (o) => {
      const file = path.join(o.cacheDir!, PIECES_CACHE_FILE);
      const bytes = await readFile(file);
      const indexEnd = 4 + bytes.readUInt32LE(0);
      const index = JSON.parse(bytes.subarray(4, indexEnd).toString("utf8")) as { groups: [string, number, Record<string, string>][] };
      // Only the models' groups are garbled: the summaries still read.
      let offset = indexEnd;
      for (const [group, length] of index.groups) {
        if (group.startsWith("model:")) for (let i = offset; i < offset + length; i += 7) bytes[i] = bytes[i]! ^ 0x5a;
        offset += length;
      }
      await writeFile(file, bytes);
      // A manifest not as the generator left it: the release takes every entity's surface from its model.
      const manifest = path.join(o.outDir, "surface.json");
      await writeFile(manifest, (await readFile(manifest, "utf8")).replace('"version"', '"version" '));
      await edit(spec("billing/producttimepasses.yaml"), "ExpiresIn: integer?", "ExpiresIn: { type: integer?, description: Days. }")(o);
    });
    expect(report.modelsRead).toBe(SMALL_SPEC_SET.length);
  });

  it("after surface.json was edited by hand: its entities are not taken as they are, the release sees the edit", async () => {
    const report = await expectSameAsCold(async (o) => {
      const file = path.join(o.outDir, "surface.json");
      const manifest = JSON.parse(await readFile(file, "utf8")) as { entities: Record<string, { fields: Record<string, string> }> };
      // An unchanged spec's entity, as if an earlier version lacked a field.
      delete manifest.entities.Resource!.fields.Name;
      await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
      await edit(spec("billing/producttimepasses.yaml"), "ExpiresIn: integer?", "ExpiresIn: { type: integer?, description: Days. }")(o);
    });
    expect(report.release.changes.map((c) => c.text)).toContain("`Resource.Name` added, required on create (`string?`)");
  });

  it("after a generated file was edited by hand, or a stray file added: both are put right", async () => {
    await expectSameAsCold(async (o) => {
      const readme = path.join(o.outDir, "src/billing/index.ts");
      await writeFile(readme, `${await readFile(readme, "utf8")}// edited\n`);
      await writeFile(path.join(o.outDir, "src/stray.ts"), "export {};\n");
    });
  });
});

describe("a broken spec among remembered ones", () => {
  /** The errors a warm run (its other specs' outlines remembered) and a cold run report after the same change; the output folder untouched. */
  async function errorsWarmAndCold(change: (options: GenerateOptions) => Promise<void>): Promise<[string, string]> {
    const [warm, cold] = await Promise.all([generatedProject(), generatedProject()]);
    try {
      const messages: string[] = [];
      for (const [project, cacheDir] of [[warm, warm.options.cacheDir], [cold, undefined]] as const) {
        const before = await snapshot(project.options.outDir);
        await change(project.options);
        const error = await generate({ ...project.options, cacheDir }).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(SpecError);
        messages.push((error as SpecError).message.replaceAll(project.dir, "<project>"));
        expect(await snapshot(project.options.outDir)).toEqual(before);
      }
      return messages as [string, string];
    } finally {
      await Promise.all([warm.cleanup(), cold.cleanup()]);
    }
  }

  it("is reported at file:line:column in a spec that did not change, as a cold run reports it", async () => {
    // common.yaml renames an enum that the unchanged producttimepasses.yaml uses (remembered as its outline).
    const [warm, cold] = await errorsWarmAndCold(edit((o) => path.join(o.specsDir, "common.yaml"), "\n  RecurrentChargePattern:\n", "\n  RecurrentChargeRule:\n"));
    expect(warm).toBe(cold);
    expect(warm).toMatch(/specs\/billing\/producttimepasses\.yaml:42:\d+ error: unknown type "RecurrentChargePattern"/);
  });

  it("is reported in an unchanged spec whose field a new base field names in another case", async () => {
    // The outlines were made for the old base fields: a field named like none of them was left out of them.
    const [warm, cold] = await errorsWarmAndCold(edit((o) => path.join(o.specsDir, "common.yaml"), "baseFields:\n", "baseFields:\n  name: { type: string?, description: A name. }\n"));
    expect(warm).toBe(cold);
    expect(warm).toMatch(/specs\/spaces\/resources\.yaml:25:3 error: field "Name" differs from the base field "name"/);
  });

  it("is reported in both specs of a clash, the unchanged one included", async () => {
    // timepasses.yaml now claims the entity of the unchanged spaces/resources.yaml, which comes after it.
    const [warm, cold] = await errorsWarmAndCold(edit(spec("billing/timepasses.yaml"), "entity: TimePass", "entity: Resource"));
    expect(warm).toBe(cold);
    expect(warm).toMatch(/specs\/spaces\/resources\.yaml:2:9 error: entity "Resource" is already specified in \S*specs\/billing\/timepasses\.yaml:2/);
  });
});

describe("a run with nothing to do", () => {
  it("is answered from the cache, without loading a spec, and notices a touched output file", async () => {
    const project = await generatedProject();
    try {
      const noop = await generate(project.options);
      expect(noop.model).toBeUndefined();
      expect(Object.keys(noop.timings)).not.toContain("load");
      expect(noop.changes.changed).toEqual([]);
      expect(noop.summary.entities).toBe(SMALL_SPEC_SET.length);

      const readme = path.join(project.options.outDir, "README.md");
      const original = await readFile(readme, "utf8");
      await writeFile(readme, `${original}edited\n`);
      const repaired = await generate(project.options);
      expect(repaired.model).toBeDefined();
      expect(repaired.printed).toBe(0);
      expect(repaired.changes.changed).toEqual(["README.md"]);
      expect(await readFile(readme, "utf8")).toBe(original);
    } finally {
      await project.cleanup();
    }
  });

  it("keeps the cache to the current project: removed specs and entities are swept from it", async () => {
    const project = await generatedProject();
    try {
      await rm(path.join(project.options.specsDir, "billing/producttimepasses.yaml"));
      await generate(project.options);
      const cache = JSON.parse(await readFile(path.join(project.options.cacheDir!, CACHE_FILE), "utf8")) as Record<string, Record<string, unknown>>;
      const pieces = SpecPieces.read(path.join(project.options.cacheDir!, PIECES_CACHE_FILE), (JSON.parse(await readFile(path.join(project.options.cacheDir!, CACHE_FILE), "utf8")) as { version: string }).version);
      const kept = ["billing/coworkertimepasses.yaml", "billing/timepasses.yaml", "spaces/resources.yaml"];
      const slots = [...kept.flatMap((spec) => ["checked", "model", "outline", "summary", "tree"].map((kind) => `${kind}:${spec}`)), "checked:common.yaml", "tree:common.yaml", ...TEMPLATE_NAMES.map((name) => `template:${name}`)];
      expect(pieces.slots().sort()).toEqual(slots.sort());
      expect(Object.keys(cache.entities!).sort()).toEqual(["CoworkerTimePass", "Resource", "TimePass"]);
      expect(Object.keys(cache.outputs!).some((file) => file.includes("producttimepasses"))).toBe(false);
    } finally {
      await project.cleanup();
    }
  });
});

describe("the load stage with the cache's spec section", () => {
  it("restores exactly the trees parsing gives, re-parses only a changed spec, and never remembers a broken one", async () => {
    const project = await tempProject({ specs: SMALL_SPEC_SET });
    try {
      const { specsDir } = project.options;
      const parsed = await loadSpecs(specsDir, []);
      const section = new CacheSection<CachedSpec>({});
      expect(await loadSpecs(specsDir, [], section)).toEqual(parsed);
      const stored = section.toJSON();
      expect(Object.keys(stored)).toHaveLength(SMALL_SPEC_SET.length + 1);
      // From the stored trees (as the next run reads them), the same specs.
      const next = new CacheSection<CachedSpec>(JSON.parse(JSON.stringify(stored)) as Record<string, CachedSpec>);
      expect(await loadSpecs(specsDir, [], next)).toEqual(parsed);

      const edited = path.join(specsDir, "billing/timepasses.yaml");
      await writeFile(edited, "entity: [unclosed\n");
      for (let run = 0; run < 2; run++) {
        const diagnostics: Diagnostic[] = [];
        await loadSpecs(specsDir, diagnostics, next);
        expect(diagnostics.length, `run ${run}`).toBeGreaterThan(0);
        expect(diagnostics[0]!.file).toContain("timepasses.yaml");
        expect(next.toJSON()["billing/timepasses.yaml"]).toBeUndefined();
      }
    } finally {
      await project.cleanup();
    }
  });
});
