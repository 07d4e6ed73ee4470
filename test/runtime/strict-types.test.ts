/**
 * Issue 12, strict projects: under `exactOptionalPropertyTypes` and `noUncheckedIndexedAccess` the generated package,
 * the README's examples and strict consumer code compile (optional values accept `undefined`), and the code that
 * must not compile does not, with the named errors. The real `tsc` over real files.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project.js";
import { tsc } from "../helpers/tsc.js";

const HERE = path.join(ROOT, "test/runtime/strict");

/** Compiles `files` (name -> text) in a temporary folder beside the strict tsconfig, extending it. */
async function compileStrict(files: Record<string, string>, extra: object = {}): Promise<{ code: number; output: string }> {
  const dir = await mkdtemp(path.join(HERE, ".tmp-"));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    const config = JSON.parse(await readFile(path.join(HERE, "tsconfig.json"), "utf8")) as { compilerOptions: { paths: Record<string, string[]> } };
    const paths = Object.fromEntries(Object.entries(config.compilerOptions.paths).map(([k, v]) => [k, v.map((p) => path.join("..", p))]));
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ extends: "../tsconfig.json", compilerOptions: { paths }, files: Object.keys(files), ...extra }));
    return await tsc(path.join(dir, "tsconfig.json"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("strict projects: exactOptionalPropertyTypes + noUncheckedIndexedAccess", () => {
  it("the strict settings are really on", async () => {
    const config = JSON.parse(await readFile(path.join(HERE, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    expect(config.compilerOptions).toMatchObject({ strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true });
  });

  it("the whole generated package compiles", async () => {
    const { code, output } = await compileStrict({}, { files: [], include: ["../../../../generated/src/**/*.ts"] });
    expect(output).toBe("");
    expect(code).toBe(0);
  });

  it("strict consumer code compiles (optional options and query values accept undefined) and every @ts-expect-error is used", async () => {
    const { code, output } = await tsc(path.join(HERE, "tsconfig.json"));
    expect(output).toBe("");
    expect(code).toBe(0);
  });

  it("without the directives, exactly the marked lines fail with the named errors", async () => {
    const lines = (await readFile(path.join(HERE, "expect-errors.ts"), "utf8")).split("\n");
    const expected = lines.flatMap((line, index) => {
      const match = /\/\/ @ts-expect-error (TS\d+)/.exec(line);
      return match ? [`${index + 2}:${match[1]}`] : []; // the error is on the next line
    });
    expect(expected.length).toBeGreaterThanOrEqual(7);
    const blanked = lines.map((line) => (line.includes("@ts-expect-error") ? "" : line)).join("\n");
    const { output } = await compileStrict({ "expect-errors.ts": blanked });
    const actual = [...output.matchAll(/expect-errors\.ts\((\d+),\d+\): error (TS\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    expect([...new Set(actual)].sort()).toEqual([...expected].sort());
  });

  it("every TypeScript example of the package README compiles in a strict project", async () => {
    const readme = await readFile(path.join(ROOT, "generated/README.md"), "utf8");
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const files = Object.fromEntries(blocks.map((block, index) => [`readme_${index}.ts`, `${block}\nexport {};\n`]));
    const { code, output } = await compileStrict(files);
    expect(output).toBe("");
    expect(code).toBe(0);
  });
});
