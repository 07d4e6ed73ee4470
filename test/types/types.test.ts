import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { typeCheckProjects } from "../../generator/emit/package.js";
import { EMITTERS } from "../../generator/emit/registry.js";
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

/** A tsconfig in `dir` (a folder of test/types) as test/types/tsconfig.json, compiling `files`. */
async function writeProject(dir: string, files: string[]): Promise<void> {
  const config = JSON.parse(await readFile(path.join(HERE, "tsconfig.json"), "utf8")) as { compilerOptions: { paths: Record<string, string[]> } };
  config.compilerOptions.paths = Object.fromEntries(Object.entries(config.compilerOptions.paths).map(([k, v]) => [k, v.map((p) => path.join("..", p))]));
  await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ ...config, files }));
}

describe("types", () => {
  it("tsc --strict accepts generated/: the package's project and the test server's", async () => {
    const projects = typeCheckProjects(EMITTERS);
    expect(projects).toEqual(["tsconfig.json", "src/testing/tsconfig.json"]);
    for (const project of projects) {
      const { code, output } = await tsc(path.join(ROOT, "generated", project));
      expect(output, project).toBe("");
      expect(code, project).toBe(0);
    }
  });

  it("the package's project has no Node types: a Node API in the client does not compile, in the test server it does", async () => {
    // A copy of the package beside test/types: node_modules/@types/node is in reach, as in the project itself.
    const dir = await mkdtemp(path.join(HERE, ".tmp-"));
    try {
      await cp(path.join(ROOT, "generated/src"), path.join(dir, "src"), { recursive: true });
      await cp(path.join(ROOT, "generated/tsconfig.json"), path.join(dir, "tsconfig.json"));
      const nodeOnly = 'import { createServer } from "node:http";\n\nexport const size = (text: string) => Buffer.byteLength(text);\nexport const server = () => createServer();\n';
      await writeFile(path.join(dir, "src/runtime/node-only.ts"), nodeOnly);
      const client = await tsc(path.join(dir, "tsconfig.json"));
      expect(client.code).not.toBe(0);
      const errors = [...client.output.matchAll(/(src\/[\w/.-]+\(\d+),\d+\): error (TS\d+)/g)].map((m) => `${m[1]}) ${m[2]}`);
      // "Cannot find name 'node:http'" and "'Buffer'": add 'node' to the types field. Nothing else fails.
      expect(errors).toEqual(["src/runtime/node-only.ts(1) TS2591", "src/runtime/node-only.ts(3) TS2591"]);

      await rm(path.join(dir, "src/runtime/node-only.ts"));
      await writeFile(path.join(dir, "src/testing/node-only.ts"), nodeOnly);
      const server = await tsc(path.join(dir, "src/testing/tsconfig.json"));
      expect(server.output).toBe("");
      expect(server.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
      await writeProject(dir, ["expect-errors.ts"]);
      const { output } = await tsc(path.join(dir, "tsconfig.json"));
      const actual = [...output.matchAll(/expect-errors\.ts\((\d+),\d+\): error (TS\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
      expect([...new Set(actual)].sort()).toEqual([...expected].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("patch() of every entity takes each field an update can change and refuses each other one, as a method and as a function", async () => {
    // What an update can change, read from surface.json (the model's view, not the client emitter's): every field
    // neither read-only nor create-only.
    const surface = JSON.parse(await readFile(path.join(ROOT, "generated/surface.json"), "utf8")) as { entities: Record<string, { resource: string; operations: string[]; fields: Record<string, string> }> };
    const lines = ['import { NexudusClient, patch } from "nexudus-api";', "", 'const nx = new NexudusClient({ token: "t" });'];
    const refused: number[] = [];
    for (const entity of Object.values(surface.entities)) {
      if (!entity.operations.includes("update") || !entity.operations.includes("get")) continue;
      const [area, property] = entity.resource.split(".") as [string, string];
      const fixed = (flags: string) => /\b(readOnly|createOnly)\b/.test(flags);
      const changeable = Object.keys(entity.fields).filter((field) => !fixed(entity.fields[field]!));
      const changes = `{ ${changeable.map((field) => `${field}: undefined`).join(", ")} }`;
      lines.push(`await nx.${area}.${property}.patch(1, ${changes});`, `await patch(nx.transport, ${property}ForUpdate, 1, ${changes});`);
      lines[0] = lines[0]!.replace(" patch", ` ${property}ForUpdate, patch`);
      for (const field of Object.keys(entity.fields).filter((f) => fixed(entity.fields[f]!))) {
        lines.push(`await nx.${area}.${property}.patch(1, { ${field}: undefined });`);
        refused.push(lines.length);
      }
    }
    expect(refused.length).toBeGreaterThan(1000);
    const dir = await mkdtemp(path.join(HERE, ".tmp-"));
    try {
      await writeFile(path.join(dir, "patch.ts"), `${lines.join("\n")}\n`);
      await writeProject(dir, ["patch.ts"]);
      const { output } = await tsc(path.join(dir, "tsconfig.json"));
      // On the refused lines and nowhere else: "Object literal may only specify known properties" (TS2353, TS2561
      // when it can suggest a name) or, for an entity whose update changes no field, "not assignable to never" (TS2322).
      const errors = [...output.matchAll(/patch\.ts\((\d+),\d+\): error (TS\d+)/g)].map((m) => ({ line: Number(m[1]), code: m[2] }));
      expect(errors.map((e) => e.line)).toEqual(refused);
      for (const { line, code } of errors) expect(["TS2353", "TS2561", "TS2322"], `line ${line}`).toContain(code);
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
      await writeProject(dir, files);
      const { code, output } = await tsc(path.join(dir, "tsconfig.json"));
      expect(output).toBe("");
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
