import path from "node:path";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { emitDocs } from "../../generator/emit/docs.js";
import { loadTemplates } from "../../generator/emit/templates.js";
import { batchBlocks, planMarkdown, splitBatch } from "../../generator/format-markdown.js";
import { loadSpecs } from "../../generator/load.js";
import { buildModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";
import { ROOT } from "../helpers/project.js";

const WIDTH = 100;

/** Our Markdown formatting of one page, with its examples formatted by prettier in one batch. */
async function formatOurWay(text: string): Promise<string> {
  const plan = planMarkdown(text, WIDTH);
  if (plan.blocks.length === 0) return plan.assemble([]);
  const batch = await prettier.format(batchBlocks(plan.blocks), { parser: "typescript", printWidth: WIDTH + 2 });
  return plan.assemble(splitBatch(batch, plan.blocks.length));
}

describe("Markdown formatting", () => {
  it("gives exactly what prettier gives, for every docs page the templates print", async () => {
    const diagnostics: Diagnostic[] = [];
    const specs = await loadSpecs(path.join(ROOT, "specs"), diagnostics);
    validateSpecs(specs, diagnostics);
    const model = buildModel(specs);
    const pages = emitDocs(model, await loadTemplates(path.join(ROOT, "templates")), "nexudus-api");
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) {
      const expected = await prettier.format(page.content, { parser: "markdown", printWidth: WIDTH });
      expect(await formatOurWay(page.content), page.path).toBe(expected);
    }
  });

  it("aligns tables, collapses blank lines, breaks long imports and keeps other fences as they are", async () => {
    const text = [
      "# Title",
      "",
      "",
      "| a | long header |",
      "| --- | --- |",
      "| `x \\| y` | z |",
      "",
      "```sh",
      "npm   install",
      "```",
      "",
      "```ts",
      `import { ${Array.from({ length: 12 }, (_, i) => `SomeRatherLongName${i}`).join(", ")} } from "nexudus-api";`,
      "",
      "const a = {x:1}",
      "```",
    ].join("\n");
    expect(await formatOurWay(text)).toBe(await prettier.format(text, { parser: "markdown", printWidth: WIDTH }));
  });
});
