/**
 * Spec text printed into Markdown as text: whatever it holds, it renders as the characters it
 * holds, and it cannot open HTML, a link, an image, a code span or fence, emphasis, a table, a
 * heading, a list or a quote, nor leave the block it is printed in. Bare URLs stay visible text
 * (some renderers make them links; they show where they lead).
 */

/**
 * Characters escaped wherever they are, with a backslash (CommonMark makes any escaped ASCII
 * punctuation literal): each can start inline Markdown, HTML or an entity, or end a table cell.
 */
const INLINE = /[\\`*[\]|~$<>&]|_(?![A-Za-z0-9])|(?<![A-Za-z0-9])_/g;

/** What a line may not start with: headings, lists, thematic breaks and setext underlines (a quote's `>` is escaped anywhere). */
const LINE_START = /^(#|[-+=]|\d+[.)])/;

const LINE_BREAK = /[\r\n]/;

/**
 * Text on one line: each line break, with the white space around it, becomes one space. Split and
 * trimmed rather than matched by `\s*\n\s*`, which backtracks quadratically on long runs of spaces.
 */
export function oneLine(text: string): string {
  // Most texts (every table cell's type, most descriptions) hold no line break: one native scan says so.
  if (!LINE_BREAK.test(text)) return text.trim();
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ");
}

/** One line of text: line breaks become spaces, every Markdown and HTML character is escaped. */
export function markdownText(text: string): string {
  const line = oneLine(text);
  const escaped = line.replace(INLINE, (c) => `\\${c}`);
  // `1.` and `-` are escaped by their punctuation.
  return escaped.replace(LINE_START, (start) => start.replace(/[#+=.)-]/, (c) => `\\${c}`));
}

/** A list item as specs write them: `- text`, `* text` or `1. text`. */
const LIST_ITEM = /^\s*(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;

/**
 * Paragraphs of text, kept apart by a blank line, each line escaped as markdownText escapes it:
 * a line cannot start a block (heading, quote, fence, table, setext underline, indented code,
 * HTML). The one structure kept is a list item (`- `, `* `, `1. `), whose text is escaped too;
 * its continuation lines stay in the item, and a list ends at the blank line after it.
 */
export function markdownParagraphs(text: string): string {
  const paragraph = (lines: string[]) => {
    // Continuation lines of a list item are indented under its text, as prettier prints them.
    let indent = "";
    const out: string[] = [];
    for (const raw of lines) {
      const item = LIST_ITEM.exec(raw);
      const body = markdownText(item ? item[3]! : raw);
      if (!body) continue;
      if (!item) {
        out.push(indent + body);
        continue;
      }
      const marker = item[2] ? `${item[2]}.` : "-";
      indent = " ".repeat(marker.length + 1);
      out.push(`${marker} ${body}`);
    }
    return out.join("\n");
  };
  return text
    .split(/\r?\n\s*\n/)
    .map((block) => paragraph(block.split(/\r?\n/)))
    .filter(Boolean)
    .join("\n\n");
}

/** Inline code that survives any text: a fence longer than any backtick run inside, one line. */
export function markdownCode(text: string): string {
  const line = /[\r\n]/.test(text) ? oneLine(text) : text;
  const longest = (line.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0);
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 || line.startsWith(" ") || line.endsWith(" ") ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}
