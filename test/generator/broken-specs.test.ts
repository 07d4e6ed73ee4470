import { readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpecError } from "../../generator/diagnostics.js";
import { generate } from "../../generator/pipeline.js";
import { ROOT, snapshot, tempProject } from "../helpers/project.js";

const FIXTURES = path.join(ROOT, "test/fixtures/broken");

/** `# expect: line:column message` lines at the top of each fixture. */
function expectations(text: string) {
  return [...text.matchAll(/^# expect: (\d+):(\d+) (.+)$/gm)].map((m) => ({
    line: Number(m[1]),
    column: Number(m[2]),
    message: m[3]!,
  }));
}

describe("broken specs", () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let before: Map<string, string>;

  beforeAll(async () => {
    project = await tempProject({ withGenerated: true });
    before = await snapshot(project.options.outDir);
  });
  afterAll(() => project.cleanup());

  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith(".yaml")).sort();

  it("has at least 20 fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  for (const fixture of fixtures) {
    it(fixture.replace(/\.yaml$/, ""), async () => {
      const text = readFileSync(path.join(FIXTURES, fixture), "utf8");
      const expected = expectations(text);
      expect(expected.length, "the fixture declares what it expects").toBeGreaterThan(0);
      // Sorted after every real spec, so "already defined in" points at the real one.
      const target = path.join(project.options.specsDir, "zz-fixtures", "broken.yaml");
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text);

      const error = await generate(project.options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SpecError);
      const diagnostics = (error as SpecError).diagnostics;
      for (const want of expected) {
        const found = diagnostics.find(
          (d) => d.file.endsWith("zz-fixtures/broken.yaml") && d.line === want.line && d.column === want.column && d.message.includes(want.message),
        );
        expect(found, `expected ${want.line}:${want.column} ${want.message}\ngot:\n${(error as SpecError).message}`).toBeDefined();
        expect(found!.hint ?? "", "every error says how to fix it").not.toBe("");
      }
      // The message a user sees names file, line and column.
      expect((error as SpecError).message).toMatch(/zz-fixtures\/broken\.yaml:\d+:\d+ error: /);
      // Nothing in generated/ was touched.
      expect(await snapshot(project.options.outDir)).toEqual(before);
    });
  }
});
