import { cp, mkdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../generator/diagnostics.js";
import { EMITTERS } from "../../generator/emit/registry.js";
import { generate, type GenerateOptions, type GenerateReport } from "../../generator/pipeline.js";
import { Session } from "../../generator/session.js";
import { ROOT, SMALL_SPEC_SET, snapshot, tempProject } from "../helpers/project.js";

/**
 * A watching process (`--watch`) regenerates through one session (session.ts), which keeps what
 * the last run left in memory. After every kind of change, one after the other in the same
 * session, its output must be the bytes a cold run gives: before each step the output folder is
 * copied, and a run without cache or session regenerates the copy after the same change.
 */
type Change = (options: GenerateOptions) => Promise<void>;

async function expectEqualFolders(actual: string, expected: string): Promise<void> {
  const [a, b] = await Promise.all([snapshot(actual), snapshot(expected)]);
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [file, content] of a) expect(content, file).toBe(b.get(file));
}

const specFile = (o: GenerateOptions, name: string) => path.join(o.specsDir, name);

async function replaceIn(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: nothing to replace for ${String(from)}`);
  await writeFile(file, next);
}

/** A description edit of the coworker time passes spec, and its revert. */
const DESCRIPTION = /^(fields:[\s\S]*?\n\s+description: )(?=[^|>\s])/m;

describe("a watch session", () => {
  it("gives the bytes of a cold run after each change, one after the other in one process", async () => {
    const project = await tempProject({ specs: SMALL_SPEC_SET });
    const { options } = project;
    const cold = path.join(project.dir, "cold");
    const session = new Session();
    /** One step: the session's run and a cold run of a copy of the output folder as it was, after the same change. */
    const step = async (change: Change): Promise<GenerateReport> => {
      await rm(cold, { recursive: true, force: true });
      await cp(options.outDir, cold, { recursive: true });
      await change(options);
      const report = await generate(options, EMITTERS, session);
      // As the CLI does after printing the report: the cache is saved before the next change.
      await session.settled();
      await generate({ ...options, outDir: cold, cacheDir: undefined });
      await expectEqualFolders(options.outDir, cold);
      return report;
    };
    try {
      await generate(options);
      const coworker = specFile(options, "billing/coworkertimepasses.yaml");
      const original = await readFile(coworker, "utf8");

      // The CLI's first run goes through every stage (`full`) and then rehearses a save, which changes nothing.
      const first = await generate({ ...options, full: true }, EMITTERS, session);
      await session.settled();
      expect(first.changes.changed).toEqual([]);
      // The next one finds everything as the last run left it.
      expect((await step(async () => undefined)).model).toBeUndefined();

      const edited = await step(() => replaceIn(coworker, DESCRIPTION, "$1Edited while watching. "));
      expect(edited.printed).toBe(1);
      expect(edited.changes.changed).toContain("openapi.json");

      const reverted = await step(() => writeFile(coworker, original));
      expect(reverted.printed).toBe(1);

      // An enum's description: openapi.json's part of enum schemas is printed again, the entities' parts are not.
      await step((o) => replaceIn(path.join(o.specsDir, "common.yaml"), "as the ProductTimePass pages list them.", "as the ProductTimePass pages list them (edited)."));

      // Text beyond ASCII in one entity, then a later entity edited: the remembered parts of openapi.json are bytes.
      await step(() => replaceIn(coworker, "who holds the pass.", "who holds the pass (its «holder» – ✓)."));
      await step((o) => replaceIn(specFile(o, "billing/timepasses.yaml"), "Minutes the pass includes;", "Minutes the pass includes (edited after the accents);"));
      await step(() => writeFile(coworker, original));

      // Edited in place to the same size: its mtime tells.
      await step(async (o) => {
        const file = specFile(o, "billing/timepasses.yaml");
        const before = await stat(file);
        const text = await readFile(file, "utf8");
        const same = text.replace(/description: (\w)/, (_, letter: string) => `description: ${letter === "X" ? "Y" : "X"}`);
        expect(same.length).toBe(text.length);
        await writeFile(file, same);
        await utimes(file, before.atime, new Date(before.mtimeMs + 1000));
      });

      // A field added: the entity's parts change, and the views made of them (the coverage page's counts, the test server's manifest).
      const field = await step((o) => replaceIn(specFile(o, "billing/timepasses.yaml"), "\nfields:\n", "\nfields:\n  Reference: string?\n"));
      expect(field.changes.changed).toEqual(expect.arrayContaining(["docs/coverage.md", "src/testing/entities.ts"]));

      const added = await step((o) => cp(path.join(ROOT, "specs/spaces/resourcetypes.yaml"), specFile(o, "spaces/resourcetypes.yaml")));
      expect(added.summary.entities).toBe(SMALL_SPEC_SET.length + 1);
      // A link is no spec file (a cold run lists files only): loaded, it would specify ResourceType twice.
      const linked = await step((o) => symlink(specFile(o, "spaces/resourcetypes.yaml"), specFile(o, "spaces/linkedtypes.yaml")));
      expect(linked.summary.entities).toBe(SMALL_SPEC_SET.length + 1);

      await step((o) => rm(specFile(o, "billing/producttimepasses.yaml")));

      await step(async (o) => {
        const from = specFile(o, "billing/timepasses.yaml");
        await replaceIn(from, "area: billing", "area: spaces");
        await rename(from, specFile(o, "spaces/timepasses.yaml"));
      });

      const template = await step((o) => replaceIn(path.join(o.templatesDir, "docs/entity.md.hbs"), "## Operations", "## Operations and examples"));
      expect(template.printed).toBe(template.summary.entities);

      await step((o) => replaceIn(path.join(o.templatesDir, "runtime/page.ts"), "\n", "\n// An edit while watching.\n"));

      // A broken spec: the run fails and leaves the output folder (and the session) as they were.
      const before = await snapshot(options.outDir);
      await writeFile(coworker, `${original}\nfields: [\n`);
      await expect(generate(options, EMITTERS, session)).rejects.toBeInstanceOf(SpecError);
      expect(await snapshot(options.outDir)).toEqual(before);
      // Then fixed, with an edit the last good run did not see.
      const fixed = await step(() => writeFile(coworker, original.replace(DESCRIPTION, "$1Fixed after a break. ")));
      expect(fixed.printed).toBe(1);

      // Output files edited by hand while watching (the ones the session keeps the text of too),
      // and a stray file: all put right, nothing spliced from a text the folder no longer holds.
      await step(async (o) => {
        await replaceIn(path.join(o.outDir, "openapi.json"), /"description": "/, '"description": "Edited by hand. ');
        await replaceIn(path.join(o.outDir, "src/billing/index.ts"), "\n", "\n// edited by hand\n");
        await writeFile(path.join(o.outDir, "src/stray.ts"), "export {};\n");
        await replaceIn(coworker, DESCRIPTION, "$1And edited again. ");
      });
      await step((o) => replaceIn(path.join(o.outDir, "openapi.json"), /"description": "/, '"description": "Only this file edited by hand. '));
      // The session checks only the output files its watchers saw change since a run recorded the folder:
      // a hand edit a failed run saw is put right by the next run; a folder added or removed by hand is seen too.
      await replaceIn(path.join(options.outDir, "src/billing/index.ts"), "\n", "\n// edited by hand before a broken run\n");
      await writeFile(coworker, `${original}\nfields: [\n`);
      await expect(generate(options, EMITTERS, session)).rejects.toBeInstanceOf(SpecError);
      await step(() => writeFile(coworker, original));
      await step(async (o) => {
        await mkdir(path.join(o.outDir, "extra/notes"), { recursive: true });
        await writeFile(path.join(o.outDir, "extra/notes/stray.md"), "# stray\n");
      });
      await step((o) => rm(path.join(o.outDir, "docs/billing"), { recursive: true }));
      await step((o) => replaceIn(path.join(o.outDir, "docs/billing/coworkertimepasses.md"), "\n", "\nEdited by hand in a folder made again.\n"));
      // surface.json edited by hand: the session's remembered manifest is not the file's any more.
      await step((o) => replaceIn(path.join(o.outDir, "surface.json"), /"version": "[0-9.]+"/, '"version": "0.1.0"'));

      // Removed while watching: the output folder and the cache.
      await step((o) => rm(path.join(o.outDir, "openapi.json")));
      await step((o) => rm(o.cacheDir!, { recursive: true, force: true }));
      await step(() => replaceIn(coworker, DESCRIPTION, "$1Once more. "));

      // And the last run left a fixed point: nothing to do, for the session and for a new process.
      expect((await generate(options, EMITTERS, session)).model).toBeUndefined();
      await session.settled();
      expect((await generate(options)).model).toBeUndefined();
    } finally {
      await project.cleanup();
    }
  });

  it("forgets what it knows of one project's files when run on another", async () => {
    const [first, second] = await Promise.all([tempProject({ specs: SMALL_SPEC_SET }), tempProject({ specs: SMALL_SPEC_SET })]);
    const cold = path.join(second.dir, "cold");
    try {
      await Promise.all([generate(first.options), generate(second.options)]);
      // The second project's spec differs from the first's at the same size and mtime: only its folder tells them apart.
      const [a, b] = [specFile(first.options, "billing/timepasses.yaml"), specFile(second.options, "billing/timepasses.yaml")];
      const text = await readFile(b, "utf8");
      const other = text.replace(/description: (\w)/, (_, letter: string) => `description: ${letter === "X" ? "Y" : "X"}`);
      expect(other.length).toBe(text.length);
      await writeFile(b, other);
      const when = new Date(Math.floor((await stat(a)).mtimeMs) + 1000);
      await Promise.all([utimes(a, when, when), utimes(b, when, when)]);
      expect((await stat(b)).mtimeMs).toBe((await stat(a)).mtimeMs);

      // A change in the first project, so that its run reads (and the session knows) every input file.
      await replaceIn(specFile(first.options, "billing/coworkertimepasses.yaml"), DESCRIPTION, "$1Edited. ");
      const session = new Session();
      expect((await generate(first.options, EMITTERS, session)).printed).toBe(1);
      await session.settled();
      await cp(second.options.outDir, cold, { recursive: true });
      await generate(second.options, EMITTERS, session);
      await session.settled();
      await generate({ ...second.options, outDir: cold, cacheDir: undefined });
      await expectEqualFolders(second.options.outDir, cold);
    } finally {
      await Promise.all([first.cleanup(), second.cleanup()]);
    }
  });
});
