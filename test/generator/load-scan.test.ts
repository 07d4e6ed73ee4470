import path from "node:path";
import { LineCounter } from "yaml";
import { describe, expect, it } from "vitest";
import { buildSyntheticSpecs } from "../../bench/synthetic.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { composeSpec } from "../../generator/load.js";
import { scanPlainTree } from "../../generator/load-scan.js";
import { readPlainTree } from "../../generator/load-tree.js";
import { ROOT, specTexts } from "../helpers/project.js";
import { countMutations } from "../helpers/random.js";

const scan = (text: string) => scanPlainTree(text, "x.yaml");

/** What the yaml package makes of a text: the tree read from its CST, or else from a composed Document, with its diagnostics. */
function byYaml(text: string) {
  const diagnostics: Diagnostic[] = [];
  const root = readPlainTree(text, "x.yaml", new LineCounter()) ?? composeSpec("x.yaml", "x.yaml", text, diagnostics).root;
  return { root, diagnostics };
}

/** A scanned tree must be exactly yaml's, for a text yaml reads without an error. */
function expectYamlAgrees(text: string): boolean {
  const scanned = scan(text);
  if (scanned === undefined) return false;
  const yaml = byYaml(text);
  expect(yaml.diagnostics, JSON.stringify(text)).toEqual([]);
  expect(scanned, JSON.stringify(text)).toStrictEqual(yaml.root);
  return true;
}

describe("the spec tree scanned line by line (load-scan.ts)", () => {
  it("scans every real and synthetic spec, into yaml's tree node for node", async () => {
    const texts = [...specTexts(path.join(ROOT, "specs")), ...(await buildSyntheticSpecs()).map((f) => [f.path, f.text] as [string, string])];
    expect(texts.length).toBeGreaterThan(400);
    for (const [name, text] of texts) {
      const scanned = scanPlainTree(text, `specs/${name}`);
      expect(scanned, `${name} is scanned`).toBeDefined();
      expect(scanned, name).toStrictEqual(readPlainTree(text, `specs/${name}`, new LineCounter()));
    }
  });

  it("reads the usual forms as yaml does: block scalars, quotes, flow collections, lists, comments", () => {
    const scanned = [
      "a: |\n  one\n    two\n\n  three\n\n\nb: 1\n",
      "a: |-\n  one\n  two\nb: 1\n",
      "a: >\n  one\n  two\n\n  three\nb: 1\n",
      "a: >-\n  one\n  two\n\n\n  three\n",
      "a: |\n\n  after a blank line\n",
      "a: | # a comment\n  text\n# a comment\nb: 1",
      "a: 'it''s' # trailing\nb: \"quoted: yes, [x]\"\nc: ''\n",
      "a: { b: 1, c: [x, 'y', \"z\"], d: {}, e: [], f: { g: h } }\n",
      "a: [1, 2.5, true, null, ~, 0x1F, 0o17, .inf, -.5e3, 007]\n",
      "a:\n- x\n- y\nb:\n  - x\n  -   y\n",
      "a:\n  - k: 1\n    l: two\n  - k: 3\n",
      "a:\n  b:\n    c: d\n  # an indented comment\n  e: f\n# a comment\ng: http://x.y/z?q=1#frag\n",
      "a: plain text, with (commas) and [brackets] and {braces}\nb: x#y\nc: -1\nd: -x\ne: ?x\n",
      "a:    spaced   \nb: 'x'   \n",
      "key.with-dots_and$: value\n",
      "a: é – ünïcødé\n",
    ];
    for (const text of scanned) expect(expectYamlAgrees(text), text).toBe(true);
  });

  it("leaves to yaml what it might read otherwise", () => {
    for (const text of [
      "a:\n",
      "a:\nb: 1\n",
      "a: b: c\n",
      "a: plain\n  continued\n",
      "a: 'multi\n  line'\n",
      'a: "esc\\tape"\n',
      "a: [x, ]\n",
      "a: [x,\n  y]\n",
      "a: { b: string[] }\n",
      "a: { b }\n",
      "a: &x 1\n",
      "a: *x\n",
      "a: !!str 1\n",
      "a:\tb\n",
      "a: 1\r\nb: 2\r\n",
      "\ufeffa: 1\n",
      "---\na: 1\n",
      "a: 1\n...\n",
      "%YAML 1.2\n---\na: 1\n",
      "a: 1\na: 2\n",
      "true: 1\n",
      "1: one\n",
      "'a': 1\n",
      "a : 1\n",
      "- a\n",
      "  a: 1\n",
      "a: >\n  one\n    more indented\n",
      "a: |+\n  keep\n\n",
      "a: |2\n  x\n",
      "a: |\n    \n  x\n",
      "a: |\nb: 1\n",
      "a:\n  -\n  - x\n",
      "a:\n  - - x\n",
      "a:\n  - x\n   - y\n",
      "a: { b: 1, b: 2 }\n",
      "a: [x] y\n",
      "a: 'x'y\n",
      `a:\n${Array.from({ length: 25 }, (_, depth) => `${"  ".repeat(depth + 1)}k:`).join("\n")} 1\n`,
      `${"k".repeat(1100)}: long key\n`,
    ]) {
      expect(scan(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it("agrees with yaml on thousands of mutated specs, scanning many and leaving many", () => {
    const texts = specTexts(path.join(ROOT, "specs")).map(([, text]) => text);
    const inserts = [" ", "  ", ":", ": ", "-", "- ", "#", " #", "'", "''", '"', "[", "]", "{", "}", ",", ", ", "|", "|-", ">", ">-", "\n", "\n\n", "\n  ", "\n- ", "\n  - ", "~", "0", "1e3", ".inf", "null", "true", "?", "&", "*", "!", "%", "@", "`", "\\", "\t", "\r"];
    const rounds = 3000;
    const scanned = countMutations(0x5ca9, texts, inserts, rounds, expectYamlAgrees);
    // The comparison means something only if many mutated specs are scanned, and many are not.
    expect(scanned).toBeGreaterThan(rounds / 5);
    expect(scanned).toBeLessThan(rounds * 0.8);
  });
});
