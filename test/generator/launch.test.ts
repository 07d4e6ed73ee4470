import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project.js";

const run = promisify(execFile);

describe("npm run generate's launcher", () => {
  it("runs the CLI from a bundle of generator/, and bundles again when a source changes", async () => {
    // A copy of generator/ beside its own node_modules, so its bundle cache is its own.
    const dir = await mkdtemp(path.join(tmpdir(), "launch-"));
    try {
      await cp(path.join(ROOT, "generator"), path.join(dir, "generator"), { recursive: true });
      await mkdir(path.join(dir, "node_modules"));
      for (const name of await readdir(path.join(ROOT, "node_modules"))) {
        if (name !== ".cache") await symlink(path.join(ROOT, "node_modules", name), path.join(dir, "node_modules", name));
      }
      const launch = path.join(dir, "generator", "launch.mjs");
      const help = async () => (await run(process.execPath, [launch, "--help"], { cwd: dir })).stdout;

      expect(await help()).toContain("nexudus-codegen: YAML endpoint specs in");
      const cacheDir = path.join(dir, "node_modules", ".cache", "nexudus-codegen", "cli");
      const [first] = await readdir(cacheDir);
      expect(first).toMatch(/^cli-[0-9a-f]{16}\.mjs$/);

      const cli = path.join(dir, "generator", "cli.ts");
      await writeFile(cli, (await readFile(cli, "utf8")).replace("YAML endpoint specs in", "YAML endpoint specs (edited) in"));
      expect(await help()).toContain("YAML endpoint specs (edited) in");
      expect((await readdir(cacheDir)).filter((n) => n !== first)).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
