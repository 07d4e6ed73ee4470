import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { LineCounter } from "yaml";
import { describe, expect, it } from "vitest";
import { buildSyntheticSpecs, createRandom } from "../../bench/synthetic.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { composeSpec, parseSpec } from "../../generator/load.js";
import { readPlainTree } from "../../generator/load-tree.js";
import { ROOT } from "../helpers/project.js";

/** Every spec text of a folder, by path. */
function specTexts(dir: string): [string, string][] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => [f, readFileSync(path.join(dir, f), "utf8")]);
}

const plainTree = (text: string) => readPlainTree(text, "x.yaml", new LineCounter());

/** What load.ts makes of a text (tree and diagnostics), and what it made through a composed Document alone. */
function bothWays(text: string) {
  const fast: Diagnostic[] = [];
  const composed: Diagnostic[] = [];
  return {
    fast: { spec: parseSpec("x.yaml", "x.yaml", text, fast), diagnostics: fast },
    composed: { spec: composeSpec("x.yaml", "x.yaml", text, composed), diagnostics: composed },
  };
}

describe("the spec tree read from yaml's CST", () => {
  it("is the composed tree, node for node, for every real and synthetic spec, and reads each of them", async () => {
    const texts = [...specTexts(path.join(ROOT, "specs")), ...(await buildSyntheticSpecs()).map((f) => [f.path, f.text] as [string, string])];
    expect(texts.length).toBeGreaterThan(400);
    for (const [name, text] of texts) {
      const diagnostics: Diagnostic[] = [];
      const composed = composeSpec(name, `specs/${name}`, text, diagnostics);
      expect(diagnostics, name).toEqual([]);
      const tree = readPlainTree(text, `specs/${name}`, new LineCounter());
      expect(tree, `${name} is plain`).toBeDefined();
      expect(tree, name).toEqual(composed.root);
    }
  });

  it("gives every broken-spec fixture the same diagnostics as the composed Document", () => {
    for (const [name, text] of specTexts(path.join(ROOT, "test/fixtures/broken"))) {
      const { fast, composed } = bothWays(text);
      expect(fast, name).toEqual(composed);
    }
  });

  it("agrees with the composed Document on thousands of mutated specs (YAML slips, indentation, features a spec may not use)", () => {
    const texts = specTexts(path.join(ROOT, "specs")).map(([, text]) => text);
    const random = createRandom(0x10ad);
    const inserts = [" ", ":", "-", "#", "'", '"', "[", "]", "{", "}", ",", "&a ", "*a", "!", "!!str ", "|", ">", "? ", "%", "@", "\n", "\r\n", "\t", "~", "0", "\\", ": ", "- ", " #", "<<: ", "|-\n", "\n  ", "\n- ", "\n    x: 1\n", "...\n", "---\n", "1e3", "0x1F", ".inf", "null", "true", "\ufeff"];
    let read = 0;
    const rounds = 2000;
    for (let round = 0; round < rounds; round++) {
      let text = random.pick(texts);
      for (let edits = 1 + random.int(0, 1); edits > 0; edits--) {
        const at = random.int(0, text.length - 1);
        const lines = text.split("\n");
        const line = random.int(0, lines.length - 1);
        switch (random.int(0, 5)) {
          case 0:
            text = text.slice(0, at) + text.slice(at + 1);
            break;
          case 1:
          case 2:
            text = text.slice(0, at) + random.pick(inserts) + text.slice(at);
            break;
          case 3:
            lines.splice(line, 0, lines[line]!);
            text = lines.join("\n");
            break;
          case 4:
            lines[line] = " ".repeat(1 + random.int(0, 1)) + lines[line];
            text = lines.join("\n");
            break;
          default:
            lines[line] = lines[line]!.replace(/^ {1,2}/, "");
            text = lines.join("\n");
        }
      }
      if (plainTree(text)) read++;
      const { fast, composed } = bothWays(text);
      expect(fast, JSON.stringify(text)).toEqual(composed);
    }
    // The comparison means something only if many mutated specs are read from the CST, and many are not.
    expect(read).toBeGreaterThan(rounds / 5);
    expect(read).toBeLessThan(rounds * 0.8);
  });

  it("resolves scalars as the core schema does and places empty values where the composer does", () => {
    const text = [
      "# comment",
      "---",
      "a: ~",
      "b: Null",
      "c: TRUE",
      "d: 0x1F",
      "e: 0o17",
      "f: -1.5e3",
      "g: .inf",
      "h: .NaN",
      "i: '007'",
      'j: "tab\\tand \\u00e9"',
      "k:",
      "l:   # nothing here",
      "m: [a, 'b', 2, {x: 1, y: }, ]",
      "n: { p: one,\n  q: plain\n   folded, # a comment\n  }",
      "o: >-\n  folded\n  text\n\n  kept\n",
      "p:\n  -\n  - # a comment\n  - - nested",
      "q: \"multi\n  line\"",
      `${"k".repeat(1000)}: long key`,
      "r: value # trailing",
      "# closing comment",
      "",
    ].join("\r\n");
    expect(plainTree(text)).toBeDefined();
    const { fast, composed } = bothWays(text);
    expect(composed.diagnostics).toEqual([]);
    expect(fast).toEqual(composed);
  });

  it("leaves to the composed Document what a spec may not use, which it reports", () => {
    for (const text of [
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "<<: {a: 1}\n",
      "%YAML 1.2\n---\na: 1\n",
      "--- a: 1\n",
      "a: 1\n---\nb: 2\n",
      "a: 1\na: 2\n",
      "1: one\n",
      "a:\n\tb: 1\n",
      "a: {b: 1, b: 2}\n",
      `${Array.from({ length: 20 }, (_, i) => `k${i}: ${i}`).join("\n")}\nk3: again\n`,
      `${"k".repeat(1100)}: long key\n`,
      `a:\n${Array.from({ length: 25 }, (_, depth) => `${"  ".repeat(depth + 1)}k:`).join("\n")}\n`,
    ]) {
      const { fast, composed } = bothWays(text);
      expect(fast, text).toEqual(composed);
      expect(plainTree(text), text).toBeUndefined();
      expect(composed.diagnostics.length, text).toBeGreaterThan(0);
    }
    // Explicit keys are YAML a spec may use, and rare: the composed Document reads them.
    expect(plainTree("? a\n: 1\n")).toBeUndefined();
    expect(bothWays("? a\n: 1\n").fast.spec.root).toMatchObject({ kind: "map", entries: [{ key: "a" }] });
  });
});
