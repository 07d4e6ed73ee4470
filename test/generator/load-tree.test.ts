import path from "node:path";
import { LineCounter } from "yaml";
import { describe, expect, it } from "vitest";
import { buildSyntheticSpecs } from "../../bench/synthetic.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { composeSpec, parseSpec } from "../../generator/load.js";
import { readPlainTree } from "../../generator/load-tree.js";
import { ROOT, specTexts } from "../helpers/project.js";
import { countMutations } from "../helpers/random.js";

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
    const inserts = [" ", ":", "-", "#", "'", '"', "[", "]", "{", "}", ",", "&a ", "*a", "!", "!!str ", "|", ">", "? ", "%", "@", "\n", "\r\n", "\t", "~", "0", "\\", ": ", "- ", " #", "<<: ", "|-\n", "\n  ", "\n- ", "\n    x: 1\n", "...\n", "---\n", "1e3", "0x1F", ".inf", "null", "true", "\ufeff"];
    const rounds = 2000;
    const read = countMutations(0x10ad, texts, inserts, rounds, (text) => {
      const { fast, composed } = bothWays(text);
      expect(fast, JSON.stringify(text)).toEqual(composed);
      return plainTree(text) !== undefined;
    });
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
