import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { generate } from "../../generator/pipeline.js";
import { bumpVersion, FIRST_VERSION } from "../../generator/release.js";
import { ROOT, SMALL_SPEC_SET, tempProject } from "../helpers/project.js";

const run = promisify(execFile);
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const CLI = path.join(ROOT, "generator/cli.ts");

type Project = Awaited<ReturnType<typeof tempProject>>;

/** Runs the generator CLI in a project; resolves with exit code and output, never rejects. */
async function cli(project: Project, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [CLI, ...args], { cwd: project.dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const read = (project: Project, file: string) => readFile(path.join(project.options.outDir, file), "utf8");
const packageVersion = async (project: Project) => (JSON.parse(await read(project, "package.json")) as { version: string }).version;
const manifestVersion = async (project: Project) => (JSON.parse(await read(project, "surface.json")) as { version: string }).version;

/** Replaces text in a spec of the project; the text must occur. */
async function editSpec(project: Project, spec: string, ...replacements: [string, string][]): Promise<void> {
  const file = path.join(project.options.specsDir, spec);
  let text = await readFile(file, "utf8");
  for (const [from, to] of replacements) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  await writeFile(file, text);
}

/** A copy of the project with its generated/, settled: generated once, so it holds the current specs' release. */
async function settledProject(): Promise<{ project: Project; version: string }> {
  const project = await tempProject({ withGenerated: true, specs: SMALL_SPEC_SET });
  const { release } = await generate(project.options);
  return { project, version: release.version };
}

// Each test generates the whole package several times (205 entities, formatting included), on a
// machine shared with other work: time enough for that, never a timing assertion.
const GENERATIONS = { timeout: 600_000 };

/** The newest changelog entry, `## x.y.z` and its lines. */
async function latestEntry(project: Project): Promise<string> {
  const changelog = await read(project, "CHANGELOG.md");
  return changelog.slice(changelog.indexOf("\n## ") + 1).split(/\n(?=## )/)[0]!.trim();
}

describe("version and changelog from spec changes", GENERATIONS, () => {
  it("a run with no spec change is a no-op: no bump, no entry, no file written", async () => {
    const { project, version } = await settledProject();
    try {
      const again = await generate(project.options);
      expect(again.changes.changed).toEqual([]);
      expect(again.release).toMatchObject({ previousVersion: version, version, changes: [] });
    } finally {
      await project.cleanup();
    }
  });

  it("a removed field is breaking: 0.x bumps the minor, the changelog says what went, and a re-run changes nothing", async () => {
    const { project, version } = await settledProject();
    try {
      await editSpec(project, "billing/coworkertimepasses.yaml", ["  Notes: string?\n", ""], ["listingOmits: [Notes, ", "listingOmits: ["]);
      const report = await generate(project.options);
      const next = bumpVersion(version, "major");
      expect(next).toMatch(/^0\.\d+\.0$/);
      expect(report.release).toMatchObject({ previousVersion: version, version: next, level: "major" });
      expect(report.changes.changed).toEqual(expect.arrayContaining(["CHANGELOG.md", "package.json", "surface.json"]));
      expect(await packageVersion(project)).toBe(next);
      expect(await manifestVersion(project)).toBe(next);
      expect(await latestEntry(project)).toBe(`## ${next}\n\n- Breaking: \`CoworkerTimePass.Notes\` removed`);
      const manifest = JSON.parse(await read(project, "surface.json")) as { entities: Record<string, { fields: Record<string, string> }> };
      expect(manifest.entities.CoworkerTimePass!.fields).not.toHaveProperty("Notes");

      const again = await generate(project.options);
      expect(again.changes.changed).toEqual([]);
      expect(again.release.version).toBe(next);
    } finally {
      await project.cleanup();
    }
  });

  it("an added filter is a patch before 1.0.0; a docs-only edit is a patch too", async () => {
    const { project, version } = await settledProject();
    try {
      await editSpec(project, "billing/producttimepasses.yaml", ["rangeFilters:\n", "  ProductTimePass_Reference: { type: string, description: Filter by reference. }\n\nrangeFilters:\n"]);
      const added = await generate(project.options);
      const patch = bumpVersion(version, "minor");
      expect(added.release).toMatchObject({ version: patch, level: "minor" });
      expect(await latestEntry(project)).toBe(`## ${patch}\n\n- Added: filter \`ProductTimePass_Reference\` (\`string\`)`);

      await editSpec(project, "billing/producttimepasses.yaml", ["Filter by reference.", "Filter by the reference."]);
      const docs = await generate(project.options);
      const docsPatch = bumpVersion(patch, "patch");
      expect(docs.release).toMatchObject({ version: docsPatch, level: "patch" });
      expect(await latestEntry(project)).toBe(`## ${docsPatch}\n\n- Docs: \`specs/billing/producttimepasses.yaml\` changed, no API change`);
      // Newest first: the earlier entry is still there, below.
      expect((await read(project, "CHANGELOG.md")).indexOf(`## ${docsPatch}`)).toBeLessThan((await read(project, "CHANGELOG.md")).indexOf(`## ${patch}`));
    } finally {
      await project.cleanup();
    }
  });

  it("a version raised by hand in package.json is kept and gets its own entry", async () => {
    const { project, version } = await settledProject();
    try {
      const raised = bumpVersion(version, "patch");
      const file = path.join(project.options.outDir, "package.json");
      await writeFile(file, (await readFile(file, "utf8")).replace(`"version": "${version}"`, `"version": "${raised}"`));
      const report = await generate(project.options);
      expect(report.release).toMatchObject({ previousVersion: version, version: raised, changes: [] });
      expect(await latestEntry(project)).toBe(`## ${raised}\n\n- No API change since ${version}: runtime, template or generator changes released by hand.`);
      expect(await manifestVersion(project)).toBe(raised);
      expect((await generate(project.options)).changes.changed).toEqual([]);
    } finally {
      await project.cleanup();
    }
  });

  it("a first generation, with no manifest, is the initial release at the fixed first version", async () => {
    const project = await tempProject({ specs: SMALL_SPEC_SET });
    try {
      const { release } = await generate(project.options);
      expect(release).toMatchObject({ previousVersion: undefined, version: FIRST_VERSION });
      expect(await latestEntry(project)).toMatch(new RegExp(`^## ${FIRST_VERSION.replaceAll(".", "\\.")}\\n\\n- Initial release: \\d+ entit`));
    } finally {
      await project.cleanup();
    }
  });
});

describe("--check", GENERATIONS, () => {
  it("fails on a stale version and changelog after a spec edit, and on a version set back by hand", async () => {
    const { project, version } = await settledProject();
    try {
      const check = async () => (await generate({ ...project.options, check: true })).changes.changed;
      expect(await check()).toEqual([]);
      await editSpec(project, "billing/coworkertimepasses.yaml", ["  Price: number?", "  Price: number"]);
      const stale = await cli(project, ["--check"]);
      expect(stale.code).toBe(1);
      for (const file of ["package.json", "CHANGELOG.md", "surface.json"]) expect(stale.stderr).toContain(`stale: ${file}`);
      const next = bumpVersion(version, "major");
      expect(stale.stderr).toContain(`version ${version} -> ${next}`);
      expect(stale.stderr).toContain("Breaking: CoworkerTimePass.Price no longer accepts null");

      await generate(project.options);
      expect(await check()).toEqual([]);

      // A merge that takes an old package.json back is caught too.
      const file = path.join(project.options.outDir, "package.json");
      await writeFile(file, (await readFile(file, "utf8")).replace(`"version": "${next}"`, `"version": "${version}"`));
      expect(await check()).toEqual(["package.json"]);
    } finally {
      await project.cleanup();
    }
  });
});
