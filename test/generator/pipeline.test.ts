import { execFile, spawn } from "node:child_process";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { generate } from "../../generator/pipeline.js";
import { copyReleaseState } from "../../generator/release.js";
import { ROOT, snapshot, tempProject } from "../helpers/project.js";

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

describe("pipeline", () => {
  it("generates into a temporary folder exactly the committed generated/, byte for byte", async () => {
    const project = await tempProject();
    try {
      // The release history (version, changelog, surface manifest) is the one input generated/ holds.
      await copyReleaseState(path.join(ROOT, "generated"), project.options.outDir);
      await generate(project.options);
      const produced = await snapshot(project.options.outDir);
      const committed = await snapshot(path.join(ROOT, "generated"));
      expect([...produced.keys()].sort()).toEqual([...committed.keys()].sort());
      for (const [file, content] of produced) expect(content, file).toBe(committed.get(file));
    } finally {
      await project.cleanup();
    }
  });

  it("is deterministic: two cold runs give the same bytes", async () => {
    const a = await tempProject();
    const b = await tempProject();
    try {
      await generate({ ...a.options, cacheFile: undefined });
      await generate({ ...b.options, cacheFile: undefined });
      expect(await snapshot(a.options.outDir)).toEqual(await snapshot(b.options.outDir));
    } finally {
      await Promise.all([a.cleanup(), b.cleanup()]);
    }
  });

  it("rewrites only the files of a changed spec and deletes the files of a removed one", async () => {
    const project = await tempProject();
    try {
      await generate(project.options);
      const untouched = path.join(project.options.outDir, "src/billing/coworkertimepasses.ts");
      const before = (await stat(untouched)).mtimeMs;

      const spec = path.join(project.options.specsDir, "billing/producttimepasses.yaml");
      const text = await readFile(spec, "utf8");
      await writeFile(spec, text.replace("ExpiresIn: integer?", "ExpiresIn: { type: integer?, description: Days until expiry. }"));
      const edit = await generate(project.options);
      expect(edit.changes.changed).toEqual(expect.arrayContaining(["docs/billing/producttimepasses.md", "src/billing/producttimepasses.types.ts"]));
      // Only files that describe ProductTimePass (alone or among all entities) change.
      expect(edit.changes.changed.filter((f) => f.includes("coworkertimepasses") || f.startsWith("src/runtime"))).toEqual([]);
      expect(edit.changes.removed).toEqual([]);
      expect((await stat(untouched)).mtimeMs).toBe(before);

      const noop = await generate(project.options);
      expect(noop.changes.changed).toEqual([]);
      expect(noop.formatted).toBe(0);
      // The run that wrote left a fixed point: the one after it is recalled without any work.
      expect(Object.keys(noop.timings)).toEqual(["up-to-date check"]);
      expect(noop.release.changes).toEqual([]);

      await rm(spec);
      const removal = await generate(project.options);
      expect(removal.changes.removed).toEqual(["docs/billing/producttimepasses.md", "src/billing/producttimepasses.ts", "src/billing/producttimepasses.types.ts"]);
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
    const project = await tempProject();
    try {
      expect((await cli(project.dir, [])).code).toBe(0);
      expect((await cli(project.dir, ["--check"])).code).toBe(0);
      const spec = path.join(project.options.specsDir, "billing/coworkertimepasses.yaml");
      await writeFile(spec, (await readFile(spec, "utf8")).replace("Notes: string?", "Notes: { type: string?, description: Free text. }"));
      const before = await snapshot(project.options.outDir);
      const { code, stderr } = await cli(project.dir, ["--check"]);
      expect(code).toBe(1);
      expect(stderr).toContain("stale: docs/billing/coworkertimepasses.md");
      expect(stderr).toContain("stale: src/billing/coworkertimepasses.types.ts");
      expect(await snapshot(project.options.outDir)).toEqual(before);
      // A stray file is stale too: generated/ holds only what the specs produce.
      await writeFile(path.join(project.options.outDir, "src/stray.ts"), "export {};\n");
      expect((await cli(project.dir, ["--check"])).stderr).toContain("not produced by any spec: src/stray.ts");
    } finally {
      await project.cleanup();
    }
  });

  it("a broken spec exits 1 with file:line:column and leaves generated/ as it was", async () => {
    const project = await tempProject();
    try {
      await cli(project.dir, []);
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

describe("watch", () => {
  it("regenerates on a spec change, reports a broken spec and keeps watching", async () => {
    const project = await tempProject();
    const child = spawn(TSX, [CLI, "--watch"], { cwd: project.dir, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    /** Waits until the output has grown by a line matching `pattern`. */
    const waitFor = async (pattern: RegExp, from: number) => {
      const deadline = Date.now() + 30_000;
      while (!pattern.test(output.slice(from))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    try {
      await waitFor(/watching for changes/, 0);
      const spec = path.join(project.options.specsDir, "billing/producttimepasses.yaml");
      const types = path.join(project.options.outDir, "src/billing/producttimepasses.types.ts");
      const original = await readFile(spec, "utf8");

      let mark = output.length;
      const changedAt = Date.now();
      await writeFile(spec, original.replace("ExpiresIn: integer?", "ExpiresIn: { type: integer?, description: Watched change. }"));
      await waitFor(/wrote src\/billing\/producttimepasses\.types\.ts/, mark);
      await waitFor(/watching for changes/, mark);
      // Reported, not asserted: the issue asks for "within a second".
      console.log(`watch: regenerated ${Date.now() - changedAt} ms after the change`);
      expect(await readFile(types, "utf8")).toContain("Watched change.");

      mark = output.length;
      const before = await snapshot(project.options.outDir);
      await writeFile(spec, original.replace("listingOmits: [ExpireTimeInMonths", "listingOmits: [ExpireTimeInMonthz"));
      await waitFor(/error: listingOmits names "ExpireTimeInMonthz"/, mark);
      await waitFor(/watching for changes/, mark);
      expect(await snapshot(project.options.outDir)).toEqual(before);

      mark = output.length;
      await writeFile(spec, original);
      await waitFor(/wrote src\/billing\/producttimepasses\.types\.ts/, mark);
      expect(await readFile(types, "utf8")).not.toContain("Watched change.");
    } finally {
      child.kill();
      await project.cleanup();
    }
  });
});
