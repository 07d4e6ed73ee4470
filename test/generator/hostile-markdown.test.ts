import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { createHandlebars } from "../../generator/emit/helpers.js";
import { markdownCode, markdownParagraphs, markdownText } from "../../generator/emit/markdown-text.js";
import { docText } from "../../generator/emit/typescript.js";
import { planMarkdown } from "../../generator/format-markdown.js";

/**
 * The Markdown escapes against every character that means something in Markdown, at every place
 * it means something (line start, inside a word, doubled, at the end), rendered by a CommonMark
 * renderer with GFM tables and raw HTML on, as GitHub has them.
 */

const md = new MarkdownIt({ html: true });
type Tokens = ReturnType<InstanceType<typeof MarkdownIt>["parse"]>;

const PUNCTUATION = [..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"];

/** Texts built from every punctuation character alone, doubled, tripled, inside and around words. */
const SAMPLES: string[] = [
  ...PUNCTUATION.flatMap((c) => [c, `${c}${c}`, `${c}${c}${c}`, `${c}x`, `x${c}`, `x${c}x`, `${c}x${c}`, `${c} x ${c}`, `a${c}${c}b${c}${c}c`]),
  "1. one",
  "1) one",
  "- item",
  "+ item",
  "* item",
  "# heading",
  "###### heading",
  "===",
  "---",
  "***",
  "___",
  "    indented code",
  "\tcode",
  "```ts",
  "~~~",
  "<div>block</div>",
  "<!-- comment",
  "<script>alert(1)</script>",
  "<https://example.com>",
  "&amp; &#42; &copy;",
  "[a](javascript:alert(1))",
  "![i](https://example.com/i.png)",
  "[ref]: https://example.com",
  "[^1]",
  "| a | b |",
  "$x$ $$y$$",
  "**bold** _em_ ~~s~~ `code`",
  "trailing backslash \\",
  "trailing spaces  ",
  "*/ ${x} \"q\" 'q'",
  "été 中文 😀",
];

/** What a reader sees of some tokens: text, code and line breaks as spaces, whitespace collapsed. */
function shown(tokens: Tokens): string {
  return tokens
    .filter((t) => t.type === "inline")
    .map((t) => (t.children ?? []).map((c) => (c.type === "softbreak" || c.type === "hardbreak" ? " " : c.type === "text" || c.type === "code_inline" ? c.content : `<${c.type}>`)).join(""))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

describe("Markdown escapes: spec text shows as written", () => {
  it("markdownText: one paragraph, exactly the text, for every sample and every pair of samples across a line break", () => {
    const texts = [...SAMPLES, ...SAMPLES.map((a, i) => `${a}\n${SAMPLES[(i * 7 + 3) % SAMPLES.length]}`)];
    for (const text of texts) {
      const tokens = md.parse(markdownText(text), {});
      expect(tokens.map((t) => t.type), JSON.stringify(text)).toEqual(normalize(text) ? ["paragraph_open", "inline", "paragraph_close"] : []);
      expect(shown(tokens), JSON.stringify(text)).toBe(normalize(text));
    }
  });

  it("markdownText in a table cell: the row keeps its cells and the cell shows the text", () => {
    for (const text of SAMPLES) {
      const tokens = md.parse(`| name | text | after |\n| --- | --- | --- |\n| x | ${markdownText(text)} | y |\n`, {});
      const cells = tokens.filter((t) => t.type === "inline").map((t) => shown([t]));
      expect(cells, JSON.stringify(text)).toEqual(["name", "text", "after", "x", normalize(text), "y"]);
    }
  });

  it("markdownText inside a quote: the quote holds all of it and ends where it should", () => {
    for (const text of SAMPLES) {
      const tokens = md.parse(`> [!NOTE]\n> Missing: ${markdownText(`${text}\n\n\`\`\`\n${text}`)}\n\nafter\n`, {});
      const close = tokens.findIndex((t) => t.type === "blockquote_close");
      expect(shown(tokens.slice(0, close)), JSON.stringify(text)).toBe(normalize(`[!NOTE] Missing: ${text} \`\`\` ${text}`));
      expect(shown(tokens.slice(close)), JSON.stringify(text)).toBe("after");
    }
  });

  it("markdownParagraphs: paragraphs and list items only, showing the text (list markers aside)", () => {
    for (const [i, text] of SAMPLES.entries()) {
      const block = `${SAMPLES[(i + 5) % SAMPLES.length]}\n${text}\n\n${text}\n  ${SAMPLES[(i + 11) % SAMPLES.length]}`;
      const tokens = md.parse(`${markdownParagraphs(block)}\n\n## After\n`, {});
      const kinds = new Set(tokens.map((t) => t.type));
      for (const kind of kinds) expect(["paragraph_open", "paragraph_close", "inline", "bullet_list_open", "bullet_list_close", "ordered_list_open", "ordered_list_close", "list_item_open", "list_item_close", "heading_open", "heading_close"], `${kind} from ${JSON.stringify(block)}`).toContain(kind);
      expect(tokens.filter((t) => t.type === "heading_open"), JSON.stringify(block)).toHaveLength(1);
      const listMarker = /^\s*(?:[-*+]|\d{1,9}[.)])\s+/;
      const expected = block.split("\n").map((line) => line.replace(listMarker, "")).join(" ");
      expect(shown(tokens.slice(0, -3)), JSON.stringify(block)).toBe(normalize(expected));
    }
  });

  it("markdownCode: one code span holding the text, backticks and line breaks included", () => {
    for (const text of [...SAMPLES, "a`b", "``", "` x `", "line\nbreak"]) {
      const tokens = md.parse(`Name: ${markdownCode(text)}.`, {});
      const children = tokens.find((t) => t.type === "inline")!.children!;
      expect(children.map((c) => c.type), JSON.stringify(text)).toEqual(["text", "code_inline", "text"]);
      expect(children[1]!.content, JSON.stringify(text)).toBe(text.replace(/\s*\n\s*/g, " "));
    }
  });

  it("no text hangs an escape: 200 000 spaces, blank lines or tabs go through in one pass", () => {
    // A pattern like /\s*\n\s*/ backtracks quadratically here (a minute a call, past the test's
    // timeout); one pass takes milliseconds.
    const huge = [" ".repeat(2e5), "\n".repeat(2e5), `a${" \t".repeat(1e5)}b`, `${"\n ".repeat(1e5)}@x`];
    const cell = createHandlebars().compile("{{{cell text}}}");
    for (const text of huge) {
      expect(markdownText(text).length).toBeLessThanOrEqual(text.length * 2);
      expect(markdownParagraphs(text).length).toBeLessThanOrEqual(text.length * 2);
      expect(markdownCode(text).length).toBeLessThanOrEqual(text.length + 4);
      expect(cell({ text }).length).toBeLessThanOrEqual(text.length);
      expect(docText(text)).toContain(text.includes("@") ? "\\@x" : "");
      expect(planMarkdown(`# Page\n\n${text}\n`, 100).assemble([])).toMatch(/^# Page\n/);
    }
  });
});
