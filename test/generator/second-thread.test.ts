import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, snapshot, tempProject } from "../helpers/project.js";

const run = promisify(execFile);
/** `npm run generate`: the launcher runs the bundle, which can start a second thread. */
const LAUNCH = path.join(ROOT, "generator/launch.mjs");
/** The CLI under tsx: not a bundle, so one thread does everything (second-thread.ts `bundleFile`). */
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const CLI = path.join(ROOT, "generator/cli.ts");

/** Runs a command; resolves with exit code and output, never rejects. */
async function exec(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, maxBuffer: 64 * 2 ** 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The count the CLI's `--timings` line gives for the second thread. */
const bySecondThread = (stdout: string) => Number(/by the second thread (\d+)/.exec(stdout)?.[1]);

describe("a cold run's second thread (second-thread.ts)", () => {
  it("--check of the whole API through the launcher shares the work and finds the committed generated/ exactly as it prints it", async () => {
    const { code, stdout, stderr } = await exec(process.execPath, [LAUNCH, "--check", "--timings"], ROOT);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("generated/ is up to date");
    // Both threads printed entities: the files of both are in the comparison above.
    expect(bySecondThread(stdout)).toBeGreaterThan(0);
    expect(bySecondThread(stdout)).toBeLessThan(205);
  }, 120_000);

  describe("on a spec set with broken specs", () => {
    let project: Awaited<ReturnType<typeof tempProject>>;
    beforeAll(async () => {
      project = await tempProject();
      const names = (await readdir(project.options.specsDir, { recursive: true })).filter((n) => n.endsWith(".yaml") && n !== "common.yaml").sort();
      // YAML errors (parsed by the main thread, which reports them) and a spec error (found by validation), spread over the set.
      const breaks: [string, (text: string) => string][] = [
        [names[3]!, (text) => text.replace(/^fields:/m, "fields: [")],
        [names[40]!, (text) => text.replace(/^(entity: .*)$/m, "$1\n  bad: indentation")],
        [names[120]!, (text) => `${text}\nfields: again\n`],
        [names[180]!, (text) => text.replace(/^area: .*$/m, "area: nowhere")],
      ];
      for (const [name, edit] of breaks) {
        const file = path.join(project.options.specsDir, name);
        await writeFile(file, edit(await readFile(file, "utf8")));
      }
    });
    afterAll(() => project.cleanup());

    it("reports exactly what one thread reports, in the same order, and writes nothing", async () => {
      const args = (cache: string) => ["--specs", project.options.specsDir, "--templates", project.options.templatesDir, "--out", project.options.outDir, "--cache", path.join(project.dir, cache)];
      const two = await exec(process.execPath, [LAUNCH, ...args("cache-two-threads")], project.dir);
      const one = await exec(TSX, [CLI, ...args("cache-one-thread")], project.dir);
      expect(two.code).toBe(1);
      expect(one.code).toBe(1);
      expect(two.stderr).toMatch(/\.yaml:\d+:\d+ error: /);
      expect(two.stderr.split("\n").filter((line) => / error: /.test(line)).length).toBeGreaterThanOrEqual(4);
      expect(two.stderr).toBe(one.stderr);
      expect(await snapshot(project.options.outDir)).toEqual(new Map());
    }, 120_000);
  });
});
