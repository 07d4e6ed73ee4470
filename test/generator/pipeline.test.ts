import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/pipeline.js";
import { copyReleaseState } from "../../generator/release.js";
import { ROOT, SMALL_SPEC_SET, snapshot, tempProject } from "../helpers/project.js";

const run = promisify(execFile);
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const CLI = path.join(ROOT, "generator/cli.ts");

/** Runs the generator CLI in a folder; resolves with exit code and output, never rejects. */
async function cli(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [CLI, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * One cold generation of a few real specs, made once and shared: the pipeline and CLI
 * behaviours do not depend on how many entities there are, so the tests that need a generated
 * project start from a copy of it, cache included. The whole API is generated once, below.
 */
let generated: Awaited<ReturnType<typeof tempProject>>;
beforeAll(async () => {
  generated = await tempProject({ specs: SMALL_SPEC_SET });
  // Where the CLI keeps its cache when run in the project, so CLI runs in a copy start warm.
  generated.options.cacheDir = path.join(generated.dir, "node_modules", ".cache", "nexudus-codegen");
  await generate(generated.options);
});
afterAll(() => generated.cleanup());

/** A copy of the shared generated project, to change without touching it. */
async function generatedCopy(): Promise<Awaited<ReturnType<typeof tempProject>>> {
  const dir = await mkdtemp(path.join(tmpdir(), "nexudus-codegen-"));
  await cp(generated.dir, dir, { recursive: true });
  const at = (p: string) => path.join(dir, path.relative(generated.dir, p));
  const { options } = generated;
  return {
    dir,
    options: { ...options, specsDir: at(options.specsDir), templatesDir: at(options.templatesDir), outDir: at(options.outDir), ...(options.cacheDir ? { cacheDir: at(options.cacheDir) } : {}) },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

describe("pipeline", () => {
  // The one test that generates the whole API: every spec, cold, into exactly the committed bytes.
  it("generates into a temporary folder exactly the committed generated/, byte for byte", async () => {
    const whole = await tempProject();
    try {
      // The release history (version, changelog, surface manifest) is the one input generated/ holds.
      await copyReleaseState(path.join(ROOT, "generated"), whole.options.outDir);
      await generate(whole.options);
      const produced = await snapshot(whole.options.outDir);
      const committed = await snapshot(path.join(ROOT, "generated"));
      expect([...produced.keys()].sort()).toEqual([...committed.keys()].sort());
      for (const [file, content] of produced) expect(content, file).toBe(committed.get(file));
    } finally {
      await whole.cleanup();
    }
  }, 300_000); // a cold generation of every entity

  it("is deterministic: another cold run gives the same bytes", async () => {
    const other = await tempProject({ specs: SMALL_SPEC_SET });
    try {
      await generate({ ...other.options, cacheDir: undefined });
      expect(await snapshot(other.options.outDir)).toEqual(await snapshot(generated.options.outDir));
    } finally {
      await other.cleanup();
    }
  });

  it("with `full` (a watching process's first run) goes through every stage on an up-to-date output, and changes nothing", async () => {
    const project = await generatedCopy();
    try {
      // A copy's files have new mtimes: the first run checks them, the second is the no-op.
      await generate(project.options);
      const before = await snapshot(project.options.outDir);
      expect((await generate(project.options)).model).toBeUndefined();
      const full = await generate({ ...project.options, full: true });
      expect(full.model?.entities.length).toBe(SMALL_SPEC_SET.length);
      expect(Object.keys(full.timings)).toEqual(expect.arrayContaining(["load", "validate", "model", "release", "write"]));
      expect(full.changes).toMatchObject({ changed: [], removed: [] });
      expect(await snapshot(project.options.outDir)).toEqual(before);
      // And the run after it is the no-op again.
      expect((await generate(project.options)).model).toBeUndefined();
    } finally {
      await project.cleanup();
    }
  });

  it("rewrites only the files of a changed spec and deletes the files of a removed one", async () => {
    const project = await generatedCopy();
    try {
      // Another area's module: ProductTimePass is in billing.
      const untouched = path.join(project.options.outDir, "src/spaces/index.ts");
      const before = (await stat(untouched)).mtimeMs;

      const spec = path.join(project.options.specsDir, "billing/producttimepasses.yaml");
      const text = await readFile(spec, "utf8");
      await writeFile(spec, text.replace("ExpiresIn: integer?", "ExpiresIn: { type: integer?, description: Days until expiry. }"));
      const edit = await generate(project.options);
      expect(edit.changes.changed).toEqual(expect.arrayContaining(["docs/billing/producttimepasses.md", "src/billing/index.ts"]));
      // Only files that describe ProductTimePass (alone or among all entities) change.
      expect(edit.changes.changed.filter((f) => f.includes("coworkertimepasses") || f.startsWith("src/runtime") || f === "src/spaces/index.ts")).toEqual([]);
      expect(edit.changes.removed).toEqual([]);
      expect((await stat(untouched)).mtimeMs).toBe(before);

      const noop = await generate(project.options);
      expect(noop.changes.changed).toEqual([]);
      expect(noop.formatted).toBe(0);
      // The run that wrote left a fixed point: the one after it is recalled without any work.
      expect(noop.model).toBeUndefined();
      expect(noop.release.changes).toEqual([]);

      await rm(spec);
      const removal = await generate(project.options);
      expect(removal.changes.removed).toEqual(["docs/billing/producttimepasses.md"]);
      const files = await snapshot(project.options.outDir);
      expect([...files.keys()].some((f) => f.includes("producttimepasses"))).toBe(false);
      expect(files.get("src/billing/index.ts")).not.toContain("ProductTimePasses");
    } finally {
      await project.cleanup();
    }
  });
});

describe("cli", () => {
  it("--help documents the commands and options", async () => {
    const { code, stdout } = await cli(ROOT, ["--help"]);
    expect(code).toBe(0);
    for (const option of ["--check", "--watch", "--specs", "--out", "--timings"]) expect(stdout).toContain(option);
  });

  it("rejects unknown options with exit 2", async () => {
    const { code, stderr } = await cli(ROOT, ["--frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--frobnicate");
  });

  it("--check passes on a fresh generation, then fails naming every stale file and writes nothing", async () => {
    const project = await generatedCopy();
    try {
      expect((await cli(project.dir, ["--check"])).code).toBe(0);
      const spec = path.join(project.options.specsDir, "billing/coworkertimepasses.yaml");
      await writeFile(spec, (await readFile(spec, "utf8")).replace("Notes: string?", "Notes: { type: string?, description: Free text. }"));
      // A stray file is stale too: generated/ holds only what the specs produce.
      await writeFile(path.join(project.options.outDir, "src/stray.ts"), "export {};\n");
      const before = await snapshot(project.options.outDir);
      const { code, stderr } = await cli(project.dir, ["--check"]);
      expect(code).toBe(1);
      expect(stderr).toContain("stale: docs/billing/coworkertimepasses.md");
      expect(stderr).toContain("stale: src/billing/index.ts");
      expect(stderr).toContain("not produced by any spec: src/stray.ts");
      expect(await snapshot(project.options.outDir)).toEqual(before);
    } finally {
      await project.cleanup();
    }
  });

  it("a broken spec exits 1 with file:line:column and leaves generated/ as it was", async () => {
    const project = await generatedCopy();
    try {
      const before = await snapshot(project.options.outDir);
      const spec = path.join(project.options.specsDir, "billing/coworkertimepasses.yaml");
      await writeFile(spec, (await readFile(spec, "utf8")).replace("listingOmits: [Notes,", "listingOmits: [Nots,"));
      const { code, stderr } = await cli(project.dir, []);
      expect(code).toBe(1);
      expect(stderr).toMatch(/specs\/billing\/coworkertimepasses\.yaml:\d+:16 error: listingOmits names "Nots".*Did you mean "Notes"\?/);
      expect(stderr).toContain("generated/ was left as it was");
      expect(await snapshot(project.options.outDir)).toEqual(before);
    } finally {
      await project.cleanup();
    }
  });
});
