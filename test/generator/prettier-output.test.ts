import { readFile } from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { formatFiles, prettierConfig } from "../../generator/format.js";
import { generate } from "../../generator/pipeline.js";
import { prettierOutput } from "../helpers/prettier.js";
import { ROOT, SMALL_SPEC_SET, snapshot, tempProject } from "../helpers/project.js";

describe("the format of record", () => {
  it("is the repository's .prettierrc.json, which the format stage reads", async () => {
    const { path: file, options } = prettierConfig();
    expect(file).toBe(path.join(ROOT, ".prettierrc.json"));
    expect(options).toEqual(JSON.parse(await readFile(file, "utf8")));
    expect(await prettier.resolveConfigFile(path.join(ROOT, "generated", "src", "index.ts"))).toBe(file);
  });

  it(
    "every generated file (TypeScript, JSON, Markdown) is exactly what prettier's CLI makes of it",
    async () => {
      const project = await tempProject({ specs: SMALL_SPEC_SET });
      try {
        await generate(project.options);
        const checked: Record<string, number> = {};
        for (const [relative, content] of await snapshot(project.options.outDir)) {
          const expected = await prettierOutput(relative, content);
          if (expected === null) continue;
          expect(content, relative).toBe(expected);
          const extension = path.extname(relative);
          checked[extension] = (checked[extension] ?? 0) + 1;
        }
        // Every kind of file the package holds: sources, runtime, docs pages, README, openapi.json, package.json.
        expect(Object.keys(checked).sort()).toEqual([".json", ".md", ".ts"]);
        expect(checked[".ts"]).toBeGreaterThan(20);
      } finally {
        await project.cleanup();
      }
    },
    300_000,
  );

  it("the hand-written runtime and test server are kept as prettier formats them: they are copied as they are", async () => {
    const { readdir } = await import("node:fs/promises");
    let checked = 0;
    for (const folder of ["runtime", "testing"]) {
      const dir = path.join(ROOT, "templates", folder);
      for (const name of (await readdir(dir)).filter((n) => n.endsWith(".ts"))) {
        const file = path.join(dir, name);
        const content = await readFile(file, "utf8");
        const options = await prettier.resolveConfig(file);
        expect(content, `templates/${folder}/${name}: run npx prettier --write templates`).toBe(await prettier.format(content, { ...options, filepath: file }));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("package.json is printed as prettier's json-stringify parser prints it, other JSON as its json parser", async () => {
    const value = { name: "x", files: ["dist", "src"], nested: { empty: [], list: [1, 2] } };
    // The emitters write JSON as JSON.stringify(value, null, 2) does.
    const content = JSON.stringify(value, null, 2);
    const { files } = await formatFiles(
      [
        { path: "package.json", parser: "json", content },
        { path: "openapi.json", parser: "json", content },
      ],
    );
    expect(files[0]!.content).toBe(await prettierOutput("package.json", content));
    expect(files[1]!.content).toBe(await prettierOutput("openapi.json", content));
    expect(files[0]!.content).not.toBe(files[1]!.content);
  });

  it("a TypeScript file is formatted by its path: a generic arrow stays `<T>` in a .ts file", async () => {
    const content = "export const f = <T>(value: T): T => value;\n";
    const { files } = await formatFiles([{ path: "src/runtime/f.ts", parser: "typescript", content }]);
    expect(files[0]!.content).toBe(content);
    expect(files[0]!.content).toBe(await prettierOutput("src/runtime/f.ts", content));
  });
});
