import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project.js";

const run = promisify(execFile);

describe("npm run generate's launcher", () => {
  // A copy of generator/ beside its own node_modules, so its bundle cache is its own.
  let dir: string;
  let launch: string;
  let cacheDir: string;
  /** The size of a code cache of the whole bundle, as its first run writes it. */
  let wholeCache: number;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "launch-"));
    await cp(path.join(ROOT, "generator"), path.join(dir, "generator"), { recursive: true });
    await mkdir(path.join(dir, "node_modules"));
    for (const name of await readdir(path.join(ROOT, "node_modules"))) {
      if (name !== ".cache") await symlink(path.join(ROOT, "node_modules", name), path.join(dir, "node_modules", name));
    }
    launch = path.join(dir, "generator", "launch.mjs");
    cacheDir = path.join(dir, "node_modules", ".cache", "nexudus-codegen", "cli");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const help = async () => (await run(process.execPath, [launch, "--help"], { cwd: dir })).stdout;
  const editHelp = async (from: string, to: string) => {
    const cli = path.join(dir, "generator", "cli.ts");
    await writeFile(cli, (await readFile(cli, "utf8")).replace(from, to));
  };

  it("runs the CLI from a bundle of generator/ and its code cache, and bundles again when a source changes", async () => {
    expect(await help()).toContain("nexudus-codegen: YAML endpoint specs in");
    const first = await readdir(cacheDir);
    expect(first).toHaveLength(2);
    const [bundle, codeCache] = first.sort();
    expect(bundle).toMatch(/^cli-[0-9a-f]{16}\.cjs$/);
    expect(codeCache).toBe(`${bundle}.v8-cache`);

    // The next run compiles nothing: V8 takes the cache as it is, which is not written again.
    const { mtimeMs: written, size } = await stat(path.join(cacheDir, codeCache!));
    wholeCache = size;
    expect(await help()).toContain("nexudus-codegen: YAML endpoint specs in");
    expect((await stat(path.join(cacheDir, codeCache!))).mtimeMs).toBe(written);

    await editHelp("YAML endpoint specs in", "YAML endpoint specs (edited) in");
    expect(await help()).toContain("YAML endpoint specs (edited) in");
    expect((await readdir(cacheDir)).filter((n) => !first.includes(n))).toHaveLength(2);
  });

  it("a code cache V8 rejects is deleted, runs all the same, and the next run makes it again", async () => {
    const caches = (await readdir(cacheDir)).filter((n) => n.endsWith(".v8-cache")).map((n) => path.join(cacheDir, n));
    expect(caches).toHaveLength(2);
    for (const file of caches) await writeFile(file, "not a code cache");
    expect(await help()).toContain("YAML endpoint specs (edited) in");
    const rejected = caches.filter((file) => !existsSync(file));
    expect(rejected).toHaveLength(1);
    expect(await help()).toContain("YAML endpoint specs (edited) in");
    expect((await stat(rejected[0]!)).size).toBeGreaterThan(wholeCache * 0.9);
  });

  it("two runs of a new bundle at once both run it, and leave one whole bundle and cache", async () => {
    await editHelp("YAML endpoint specs (edited) in", "YAML endpoint specs (raced) in");
    const before = await readdir(cacheDir);
    const outputs = await Promise.all([help(), help()]);
    for (const output of outputs) expect(output).toContain("YAML endpoint specs (raced) in");
    const added = (await readdir(cacheDir)).filter((n) => !before.includes(n));
    expect(added.sort()).toEqual([expect.stringMatching(/^cli-[0-9a-f]{16}\.cjs$/), expect.stringMatching(/^cli-[0-9a-f]{16}\.cjs\.v8-cache$/)]);
    expect(await help()).toContain("YAML endpoint specs (raced) in");
  });
});
