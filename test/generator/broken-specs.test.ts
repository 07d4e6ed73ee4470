import { readdirSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORBIDDEN, SpecError, visible } from "../../generator/diagnostics.js";
import { generate } from "../../generator/pipeline.js";
import { ROOT, SMALL_SPEC_SET, snapshot, tempProject } from "../helpers/project.js";

const FIXTURES = path.join(ROOT, "test/fixtures/broken");

/** `# expect: line:column message` lines at the top of each fixture. */
function expectations(text: string) {
  return [...text.matchAll(/^# expect: (\d+):(\d+) (.+)$/gm)].map((m) => ({
    line: Number(m[1]),
    column: Number(m[2]),
    message: m[3]!,
  }));
}

/**
 * Where the fixture goes under specs/: `# file: "<JSON string>"` for fixtures about file names
 * (a JSON string can hold any character); by default a folder sorted after every real spec, so
 * "already defined in" points at the real one.
 */
function target(text: string): string {
  const file = /^# file: (".*")$/m.exec(text)?.[1];
  return file ? (JSON.parse(file) as string) : "zz-fixtures/broken.yaml";
}

/** `# unescape` fixtures write characters no editor shows as `\u{XXXX}`; the spec gets the characters. */
function specText(text: string): string {
  return /^# unescape$/m.test(text) ? text.replace(/\\u\{([0-9A-Fa-f]+)\}/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))) : text;
}

describe("broken specs", () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let before: Map<string, string>;

  beforeAll(async () => {
    project = await tempProject({ withGenerated: true, specs: SMALL_SPEC_SET });
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
      const name = target(text);
      const file = path.join(project.options.specsDir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, specText(text));

      const error = await generate(project.options)
        .then(
          () => undefined,
          (e: unknown) => e,
        )
        .finally(() => rm(file));
      expect(error).toBeInstanceOf(SpecError);
      const diagnostics = (error as SpecError).diagnostics;
      for (const want of expected) {
        const found = diagnostics.find(
          (d) => d.file.endsWith(name) && d.line === want.line && d.column === want.column && d.message.includes(want.message),
        );
        expect(found, `expected ${want.line}:${want.column} ${want.message}\ngot:\n${(error as SpecError).message}`).toBeDefined();
        expect(found!.hint ?? "", "every error says how to fix it").not.toBe("");
      }
      // The message a user sees names file, line and column, with every character visible.
      expect((error as SpecError).message).toContain(`${visible(name)}:${expected[0]!.line}:${expected[0]!.column} error: `);
      expect((error as SpecError).message).not.toMatch(FORBIDDEN);
      // Our own words: never the YAML library's advice ("please use YAML.parseAllDocuments()").
      expect((error as SpecError).message).not.toMatch(/please|YAML\.\w+\(|call stack/i);
      // Nothing in generated/ was touched.
      expect(await snapshot(project.options.outDir)).toEqual(before);
    });
  }
});
