import { execFile } from "node:child_process";
import { readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import MarkdownIt from "markdown-it";
import { ts } from "ts-morph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMap, isScalar, isSeq, parseDocument, Scalar, visit, type Document } from "yaml";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { mdHeader, tsHeader } from "../../generator/emit/generated-file.js";
import { typeCheckProjects } from "../../generator/emit/package.js";
import { EMITTERS } from "../../generator/emit/registry.js";
import { listSpecFiles, loadSpecs } from "../../generator/load.js";
import { generate } from "../../generator/pipeline.js";
import { validateSpecs } from "../../generator/validate.js";
import { ROOT, snapshot, tempProject } from "../helpers/project.js";

/**
 * Specs are data, never code: every text a spec may hold, under any key the validator accepts
 * text for, is replaced by hostile text (HTML, comment ends, code fences, template literals,
 * quotes, JSDoc tags, Markdown structure, links). The package generated from them must compile,
 * run no spec text when imported, render the text as text in Markdown, and hold it in valid JSON.
 */

const run = promisify(execFile);
const TSC = path.join(ROOT, "node_modules/.bin/tsc");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

/** The marker that starts payload `k`; unique, so a payload can be found wherever it lands. */
const marker = (k: number) => `PAYLOAD-${k}-`;

/** Hostile text: each line would be running code, HTML or Markdown structure if printed raw. */
const textPayload = (k: number) =>
  [
    `${marker(k)} <script>globalThis.pwned = ${k}</script> <!-- */ process.exit(9${k}); console.log("PWNED") /* --> \` \${process.exit(1)} "double" 'single' \\ &amp; | a | b |`,
    "```ts",
    'console.log("PWNED")',
    "```",
    `# Heading ${k}`,
    "",
    `[link ${k}](javascript:alert(1)) ![image](https://evil.example/x.png) <https://evil.example/auto> [ref${k}]: https://evil.example/ref`,
    "| x | y |",
    "| --- | --- |",
    "---",
    "===",
    `> quote ${k}`,
    `    indented code ${k}`,
    "@deprecated spec text",
    "@internal spec text",
    "*/ process.exit(3) /* **bold** _em_ ~~strike~~ $math$",
    "<img src=x onerror=alert(1)>",
    "~~~",
    "\u00e9t\u00e9 \u4e2d\u6587 \ud83d\ude00",
  ].join("\n");

/** A URL that is valid as a source and still hostile where it lands. */
const urlPayload = (k: number) => `https://example.com/${marker(k)}/*/?q=*/process.exit(1)/*&x=(1)#_em_`;

/** One text of a spec, with the values tried in turn: hostile text, a hostile URL, its own. */
interface Slot {
  k: number;
  node: Scalar;
  key: string;
  original: string;
  candidates: string[];
  tried: number;
}

/** The keys directly holding text in a spec (a list's items count under the list's key). */
function textKeys(doc: Document): Set<string> {
  const keys = new Set<string>();
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (isScalar(pair.value) && typeof pair.value.value === "string") keys.add(key);
      if (isSeq(pair.value) && pair.value.items.some((i) => isScalar(i) && typeof i.value === "string")) keys.add(key);
    },
  });
  return keys;
}

/** Type names a spec uses (`WidgetKind?`, `WidgetKind[]`): to keep the specs that define them. */
function namesUsed(doc: Document): Set<string> {
  const names = new Set<string>();
  visit(doc, { Scalar(key, node) { if (key !== "key" && typeof node.value === "string") names.add(node.value.replace(/(\[\])?\??$/, "")); } });
  return names;
}

function enumsDefined(doc: Document): string[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const enums = root.get("enums");
  return isMap(enums) ? enums.items.map((p) => String((p.key as Scalar).value)) : [];
}

/** The rendered text of a page's inline tokens (what a reader sees), whitespace collapsed. */
function renderedText(tokens: ReturnType<InstanceType<typeof MarkdownIt>["parse"]>): string {
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.type !== "inline") continue;
    for (const child of token.children ?? []) {
      if (child.type === "text" || child.type === "code_inline" || child.type === "html_inline") parts.push(child.content);
      else if (child.type === "softbreak" || child.type === "hardbreak") parts.push(" ");
    }
    parts.push(" ");
  }
  return normalize(parts.join(""));
}

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

describe("specs are data, never code: hostile spec text", () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let files: Map<string, string>;
  const slots: Slot[] = [];
  const payloads = new Map<number, string>();

  beforeAll(async () => {
    project = await tempProject();
    const { specsDir, outDir } = project.options;
    // tsc finds the package's @types/node, and tsx its runtime, as in the repository.
    await symlink(path.join(ROOT, "node_modules"), path.join(project.dir, "node_modules"), "dir");

    // The specs that together hold text under every key any spec holds text under, plus those
    // defining the enums they use: every kind of text is covered, at a fraction of the specs.
    const names = await listSpecFiles(specsDir);
    const docs = new Map<string, Document>();
    for (const name of names) docs.set(name, parseDocument(await readFile(path.join(specsDir, name), "utf8")));
    const chosen = new Set(["common.yaml"]);
    const uncovered = new Set([...docs.values()].flatMap((d) => [...textKeys(d)]));
    for (const key of textKeys(docs.get("common.yaml")!)) uncovered.delete(key);
    while (uncovered.size > 0) {
      const [best] = [...docs].filter(([n]) => !chosen.has(n)).map(([n, d]) => [n, [...textKeys(d)].filter((k) => uncovered.has(k)).length] as const).sort((a, b) => b[1] - a[1]);
      if (!best || best[1] === 0) break;
      chosen.add(best[0]);
      for (const key of textKeys(docs.get(best[0])!)) uncovered.delete(key);
    }
    const definedIn = new Map([...docs].flatMap(([n, d]) => enumsDefined(d).map((e) => [e, n] as const)));
    for (let grew = true; grew; ) {
      grew = false;
      for (const name of [...chosen]) {
        for (const used of namesUsed(docs.get(name)!)) {
          const owner = definedIn.get(used);
          if (owner && !chosen.has(owner)) {
            chosen.add(owner);
            grew = true;
          }
        }
      }
    }
    for (const name of names) if (!chosen.has(name)) await rm(path.join(specsDir, name));

    // Every text value (never a key) gets a payload; the validator's refusals fall back in turn.
    for (const name of chosen) {
      visit(docs.get(name)!, {
        Pair(_, pair) {
          const key = isScalar(pair.key) ? String(pair.key.value) : "";
          const values = isScalar(pair.value) ? [pair.value] : isSeq(pair.value) ? pair.value.items.filter(isScalar) : [];
          for (const node of values) {
            if (typeof node.value !== "string") continue;
            const k = slots.length;
            slots.push({ k, node, key, original: node.value, candidates: [textPayload(k), urlPayload(k)], tried: 0 });
          }
        },
      });
    }
    const write = async () => {
      for (const slot of slots) {
        slot.node.value = slot.candidates[slot.tried] ?? slot.original;
        slot.node.type = Scalar.QUOTE_DOUBLE;
      }
      for (const name of chosen) await writeFile(path.join(specsDir, name), docs.get(name)!.toString({ lineWidth: 0, collectionStyle: "block" }));
    };
    for (let round = 0; ; round++) {
      await write();
      const diagnostics: Diagnostic[] = [];
      validateSpecs(await loadSpecs(specsDir, diagnostics), diagnostics);
      if (diagnostics.length === 0) break;
      // A refused payload may cause refusals elsewhere (an entity name in a filter's prefix): only
      // the ones at a payload fall back; the others must go with them.
      const refused = new Set<number>();
      for (const d of diagnostics) {
        const line = (await readFile(d.file, "utf8")).split("\n")[d.line - 1] ?? "";
        // The refused value: a double-quoted scalar at the diagnostic's column holding a marker.
        const k = /^"(?:[^"\\]|\\.)*?PAYLOAD-(\d+)-/.exec(line.slice(d.column - 1))?.[1];
        if (k !== undefined) refused.add(Number(k));
      }
      for (const k of refused) slots[k]!.tried++;
      if (refused.size === 0 || round === 10) throw new Error(`specs refused for other reasons than a payload:\n${diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message.slice(0, 200)}`).join("\n")}`);
    }
    for (const slot of slots) if (slot.tried < slot.candidates.length) payloads.set(slot.k, slot.candidates[slot.tried]!);

    await generate(project.options);
    files = await snapshot(outDir);
  }, 600_000);
  afterAll(() => project?.cleanup());

  it("puts hostile text into every kind of text a spec holds", () => {
    const keys = new Set(slots.filter((s) => payloads.has(s.k)).map((s) => s.key));
    // Free text at least; every other key the validator accepts text for is covered too.
    for (const key of ["description", "missing", "nexudusName", "sources"]) expect(keys, key).toContain(key);
    expect(payloads.size).toBeGreaterThan(20);
  });

  it("the generated TypeScript compiles with tsc (the package's project and the test server's)", async () => {
    for (const tsconfig of typeCheckProjects(EMITTERS)) {
      const result = await run(TSC, ["-p", path.join(project.options.outDir, tsconfig), "--pretty", "false"]).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
      );
      expect(result.output, tsconfig).toBe("");
      expect(result.code, tsconfig).toBe(0);
    }
  });

  it("importing the package runs no spec text", async () => {
    const entries = ["src/index.ts", "src/testing/index.ts"].map((p) => pathToFileURL(path.join(project.options.outDir, p)).href);
    const script = path.join(project.dir, "import-check.mts");
    await writeFile(script, `${entries.map((e) => `await import(${JSON.stringify(e)});`).join("\n")}\nconsole.log("imported", String((globalThis as { pwned?: unknown }).pwned));\n`);
    const { stdout } = await run(TSX, [script], { cwd: project.dir });
    expect(stdout).toBe("imported undefined\n");
  });

  it("spec text lands in TypeScript only inside comments and string literals, and starts no JSDoc tag", () => {
    const tsFiles = [...files].filter(([p]) => p.endsWith(".ts"));
    let seen = 0;
    for (const [file, text] of tsFiles) {
      const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
      for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
        const token = scanner.getTokenText();
        if (!token.includes("PAYLOAD-")) continue;
        seen++;
        const inert = kind === ts.SyntaxKind.MultiLineCommentTrivia || kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.StringLiteral;
        expect(inert, `${file}: spec text in a ${ts.SyntaxKind[kind]} token`).toBe(true);
        if (kind === ts.SyntaxKind.MultiLineCommentTrivia) expect(token, file).not.toMatch(/^\s*\*\s*@(deprecated|internal) spec text/m);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it("Markdown shows spec text as written: no HTML, link, image, code, heading, table or quote comes from it", () => {
    // CommonMark with GFM tables and strikethrough, raw HTML on as GitHub has it. Bare URLs (which
    // GitHub links, showing the URL) are left as text: markdown-it links them before unescaping.
    const md = new MarkdownIt({ html: true });
    const pages = [...files].filter(([p]) => p.endsWith(".md"));
    let checked = 0;
    for (const [page, text] of pages) {
      const tokens = md.parse(text, {});
      const all = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
      for (const t of all) {
        if (t.type === "html_block" || t.type === "html_inline") expect(t.content, `${page}: raw HTML`).toMatch(/^<!-- Generated by nexudus-codegen[^\n]*-->\n?$/);
        if (t.type === "image") expect(t.attrGet("src"), `${page}: an image from spec text`).not.toMatch(/evil\.example|PAYLOAD/);
      }
      // A link may show a URL from a spec (a source, a bare URL in text) as its own text; none may hide one.
      for (const inline of tokens.filter((t) => t.type === "inline")) {
        const children = inline.children ?? [];
        children.forEach((t, i) => {
          if (t.type !== "link_open") return;
          const href = String(t.attrGet("href") ?? "");
          const label = children[i + 1]?.type === "text" ? children[i + 1]!.content : "";
          if (/javascript:|evil\.example|PAYLOAD/.test(href)) expect(decodeURI(href), `${page}: a link from spec text`).toContain(label);
        });
      }
      // The partial-docs note holds the whole of docs.missing: nothing in it ends the note early.
      const note = tokens.findIndex((t) => t.type === "blockquote_open");
      const missing = slots.find((s) => s.key === "missing" && payloads.has(s.k) && text.includes(marker(s.k)));
      if (missing && note >= 0) {
        const end = tokens.findIndex((t, i) => i > note && t.type === "blockquote_close");
        expect(renderedText(tokens.slice(note, end)), `${page}: docs.missing leaves the note`).toContain(normalize(payloads.get(missing.k)!));
        checked++;
      }
      const shown = renderedText(tokens);
      for (const [k, payload] of payloads) {
        if (!text.includes(marker(k))) continue;
        checked++;
        expect(shown, `${page}: payload ${k} is not shown as written`).toContain(normalize(payload));
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("every JSON file parses and holds spec text as written; OpenAPI descriptions (CommonMark to its tools) show it as written", () => {
    const md = new MarkdownIt({ html: true });
    let found = 0;
    const strings = (value: unknown, key = ""): [string, string][] =>
      typeof value === "string"
        ? [[key, value]]
        : Array.isArray(value)
          ? value.flatMap((v) => strings(v, key))
          : value && typeof value === "object"
            ? Object.entries(value).flatMap(([k, v]) => strings(v, k))
            : [];
    for (const [file, text] of files) {
      if (!file.endsWith(".json")) continue;
      const parsed: unknown = JSON.parse(text);
      for (const [key, value] of strings(parsed)) {
        const k = /PAYLOAD-(\d+)-/.exec(value)?.[1];
        if (k === undefined) continue;
        found++;
        const payload = payloads.get(Number(k))!;
        if (!(file === "openapi.json" && key === "description")) {
          expect(value, file).toContain(payload.trim());
          continue;
        }
        const tokens = md.parse(value, {});
        expect(tokens.filter((t) => t.type.startsWith("html_") || t.children?.some((c) => c.type.startsWith("html_") || c.type === "image")), `${file}: HTML or an image from spec text`).toEqual([]);
        expect(renderedText(tokens), `${file}: payload ${k} is not shown as written`).toContain(normalize(payload));
      }
    }
    expect(found).toBeGreaterThan(0);
  });
});

describe("generated file headers", () => {
  // Validation refuses such names first; the headers hold even if one got through.
  const names = ["specs/a\nprocess.exit(1)//.yaml", "specs/a\u2028process.exit(1)\u2029.yaml", "specs/a\r\nb.yaml", "specs/a-->b<!--c.yaml"];

  it("a spec path cannot end the TypeScript header's line comment", () => {
    for (const name of names) {
      const header = tsHeader(name);
      expect(header.slice(0, -1), JSON.stringify(name)).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(header.endsWith("\n")).toBe(true);
    }
  });

  it("a spec path cannot end the Markdown header's HTML comment", () => {
    for (const name of names) {
      const header = mdHeader(name);
      expect(header.slice(0, -1), JSON.stringify(name)).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(header.indexOf("--", 4), JSON.stringify(name)).toBe(header.length - 4);
    }
  });
});
