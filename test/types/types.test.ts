import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project.js";

const run = promisify(execFile);
const TSC = path.join(ROOT, "node_modules/.bin/tsc");
const HERE = path.join(ROOT, "test/types");

/** Runs tsc on a project; resolves with exit code and output. */
async function tsc(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(TSC, ["-p", project, "--pretty", "false"], { cwd: ROOT });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe("types", () => {
  it("tsc --strict accepts generated/", async () => {
    const { code, output } = await tsc(path.join(ROOT, "generated/tsconfig.json"));
    expect(output).toBe("");
    expect(code).toBe(0);
  });

  it("tsc --strict accepts the example consumer code and every @ts-expect-error is used", async () => {
    const { code, output } = await tsc(path.join(HERE, "tsconfig.json"));
    expect(output).toBe("");
    expect(code).toBe(0);
  });

  it("without the directives, exactly the marked lines fail with the named errors", async () => {
    const source = await readFile(path.join(HERE, "expect-errors.ts"), "utf8");
    const lines = source.split("\n");
    const expected = lines.flatMap((line, index) => {
      const match = /\/\/ @ts-expect-error (TS\d+)/.exec(line);
      return match ? [`${index + 2}:${match[1]}`] : []; // the error is on the next line
    });
    expect(expected.length).toBeGreaterThanOrEqual(10);
    const dir = await mkdtemp(path.join(HERE, ".tmp-"));
    try {
      // Blank the directives but keep line numbers.
      await writeFile(path.join(dir, "expect-errors.ts"), lines.map((l) => (l.includes("@ts-expect-error") ? "" : l)).join("\n"));
      const config = JSON.parse(await readFile(path.join(HERE, "tsconfig.json"), "utf8")) as { compilerOptions: { paths: Record<string, string[]> } };
      config.compilerOptions.paths = Object.fromEntries(Object.entries(config.compilerOptions.paths).map(([k, v]) => [k, v.map((p) => path.join("..", p))]));
      await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ ...config, files: ["expect-errors.ts"] }));
      const { output } = await tsc(path.join(dir, "tsconfig.json"));
      const actual = [...output.matchAll(/expect-errors\.ts\((\d+),\d+\): error (TS\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
      expect([...new Set(actual)].sort()).toEqual([...expected].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("every TypeScript example in the generated docs compiles", async () => {
    const dir = await mkdtemp(path.join(HERE, ".tmp-"));
    try {
      const docsDir = path.join(ROOT, "generated/docs");
      const pages = (await readdir(docsDir, { recursive: true })).filter((f) => f.endsWith(".md"));
      pages.push("../README.md");
      const files: string[] = [];
      for (const page of pages.sort()) {
        const text = await readFile(path.join(docsDir, page), "utf8");
        const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
        // The coverage page is tables only; every other page shows code.
        if (page !== "coverage.md") expect(blocks.length, page).toBeGreaterThan(0);
        // A block that imports starts a program; the blocks after it continue that program
        // (an entity page sets up `nx` once, then every operation example uses it).
        const programs: string[] = [];
        for (const block of blocks) {
          if (block.startsWith("import ") || programs.length === 0) programs.push(block);
          else programs[programs.length - 1] += `\n${block}`;
        }
        for (const [index, program] of programs.entries()) {
          const name = `${page.replace(/[^a-z0-9]+/gi, "_")}_${index}.ts`;
          files.push(name);
          await writeFile(path.join(dir, name), `${program}\nexport {};\n`);
        }
      }
      const config = JSON.parse(await readFile(path.join(HERE, "tsconfig.json"), "utf8")) as { compilerOptions: { paths: Record<string, string[]> } };
      config.compilerOptions.paths = Object.fromEntries(Object.entries(config.compilerOptions.paths).map(([k, v]) => [k, v.map((p) => path.join("..", p))]));
      await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ ...config, files }));
      const { code, output } = await tsc(path.join(dir, "tsconfig.json"));
      expect(output).toBe("");
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
