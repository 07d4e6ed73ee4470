/**
 * JSON printed the way prettier's `json` parser prints `JSON.stringify(value, null, 2)`, without
 * prettier: openapi.json is ~6-11 MB at Nexudus scale, ~3 s of prettier. The rules that output
 * needs are few. Prettier keeps an object expanded when its source breaks the line after `{`
 * (always, from `JSON.stringify(value, null, 2)`), so non-empty objects print one member a line.
 * An array prints on one line when it holds no non-empty object, is not two or more arrays of two
 * or more elements each, and fits the print width (counting what follows it on the line);
 * otherwise an array of numbers fills lines and any other array prints one element a line.
 *
 * So the text is V8's own `JSON.stringify(value, null, 2)` (native, several times faster than
 * printing value by value in JavaScript), reflowed: only arrays change, the text between them is
 * copied. test/bench/format-performance.test.ts compares the result with prettier's for a large
 * document, every JSON file of the committed generated/, random nested values and the edge cases.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const OPEN_ARRAY = 0x5b; // [
const SPACE = 0x20;
const COMMA = 0x2c;

/** Whether an element (without its indentation and comma) is a number, as `fill` packs only numbers. */
const isNumber = (element: string): boolean => {
  const first = element.charCodeAt(0);
  return first === 0x2d || (first >= 0x30 && first <= 0x39);
};

/** An array that holds no object, from the lines between its brackets: scalars' texts and nested arrays. */
interface ArrayLines {
  elements: (string | ArrayLines)[];
  /** The array on one line; undefined when prettier always breaks it (it holds only arrays of two or more elements). */
  flat: string | undefined;
}

/**
 * The array whose element lines (holding no object) start at `lines[next.line]`, one level deeper
 * than `indent`; `next.line` ends at its closing bracket.
 */
function readArray(lines: readonly string[], next: { line: number }, indent: number): ArrayLines {
  const elements: (string | ArrayLines)[] = [];
  for (; next.line < lines.length; next.line++) {
    const line = lines[next.line]!;
    if (line.charCodeAt(indent) !== SPACE) break; // the closing bracket
    const last = line.charCodeAt(line.length - 1);
    if (last === OPEN_ARRAY) {
      next.line++;
      elements.push(readArray(lines, next, indent + 2));
    } else {
      elements.push(line.slice(indent + 2, last === COMMA ? -1 : undefined));
    }
  }
  const flatParts = elements.map((element) => (typeof element === "string" ? element : element.flat));
  // Prettier breaks an array of two or more arrays that each hold two or more elements.
  const alwaysBreaks = elements.length > 1 && elements.every((element) => typeof element === "object" && element.elements.length > 1);
  return { elements, flat: alwaysBreaks || flatParts.includes(undefined) ? undefined : `[${flatParts.join(", ")}]` };
}

/**
 * `JSON.stringify(value, null, 2)` output with `prefix` after every line break (`stringified`
 * makes it), arrays laid out as prettier lays them out. `firstColumn` is where the first line
 * starts (after a member's key); `trailing` counts the characters that follow the text (a comma).
 * Only arrays change, so the text between them is copied as it is.
 */
function reflow(text: string, prefix: string, firstColumn: number, trailing: number, width: number): string {
  const out: string[] = [];
  let copied = 0;
  // A string never holds a raw line break, so `[` at the end of a line opens a non-empty array.
  for (let open = text.indexOf("[\n"); open !== -1; open = text.indexOf("[\n", open + 2)) {
    if (open < copied) continue;
    const lineStart = text.lastIndexOf("\n", open) + 1;
    // The first line continues a member's key: its indentation is the prefix the next lines have.
    let indent = lineStart === 0 ? prefix.length : lineStart;
    if (lineStart > 0) {
      while (text.charCodeAt(indent) === SPACE) indent++;
      indent -= lineStart;
    }
    const closing = text.indexOf(`\n${" ".repeat(indent)}]`, open);
    const body = text.slice(open + 2, closing);
    // An array that holds a non-empty object always breaks; its arrays are laid out on their own.
    if (body.includes("{\n")) continue;
    const array = readArray(body.split("\n"), { line: 0 }, indent);
    const end = closing + indent + 2; // after `]`
    const column = (lineStart === 0 ? firstColumn : 0) + open - lineStart;
    const after = (text.charCodeAt(end) === COMMA ? 1 : 0) + (end >= text.length ? trailing : 0);
    let printed: string | undefined;
    if (array.flat !== undefined && column + array.flat.length + after <= width) {
      printed = array.flat;
    } else if (array.elements.every((element) => typeof element === "string" && isNumber(element))) {
      printed = `[\n${fill(array.elements as string[], " ".repeat(indent + 2), width)}\n${" ".repeat(indent)}]`;
    }
    // Otherwise one element a line, as the text has it; the arrays in it are laid out on their own.
    if (printed === undefined) continue;
    out.push(text.slice(copied, open), printed);
    copied = end;
  }
  out.push(text.slice(copied));
  return out.join("");
}

/**
 * `JSON.stringify(value, null, 2)` with `prefix` after every line break. A prefix of spaces comes
 * from V8 itself: the value nested in one array per two spaces, those arrays' lines cut off, a
 * third faster than replacing every line break of ~6 MB (openapi.json) after stringifying.
 */
function stringified(value: Json, prefix: string): string {
  if (prefix === "") return JSON.stringify(value, null, 2);
  if (!/^(?: {2})+$/.test(prefix)) return JSON.stringify(value, null, 2).replaceAll("\n", `\n${prefix}`);
  const depth = prefix.length / 2;
  let nested: Json = value;
  for (let i = 0; i < depth; i++) nested = [nested];
  const text = JSON.stringify(nested, null, 2);
  // The arrays' lines before the value (`[\n`, `  [\n`...) and after it (`\n  ]`, `\n]`) take depth * (depth + 1) characters each side.
  const wrapper = depth * (depth + 1);
  return text.slice(wrapper + prefix.length, text.length - wrapper);
}

/** Numbers packed on lines as prettier's `fill` packs them. */
function fill(items: readonly string[], indent: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const [i, item] of items.entries()) {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line && indent.length + line.length + 1 + piece.length > width) {
      lines.push(indent + line);
      line = piece;
    } else {
      line = line ? `${line} ${piece}` : piece;
    }
  }
  lines.push(indent + line);
  return lines.join("\n");
}

/** `text` (JSON) printed as prettier prints it, with a final newline. */
export function formatJson(text: string, printWidth: number): string {
  return printJson(JSON.parse(text) as Json, printWidth);
}

/** A value printed as prettier prints `JSON.stringify(value, null, 2)`, with a final newline. */
export function printJson(value: Json, printWidth: number): string {
  return `${reflow(JSON.stringify(value, null, 2), "", 0, 0, printWidth)}\n`;
}

/**
 * Members of an object printed at `indent`, one a line, joined by `,\n`, as they appear inside the
 * object that `formatJson` prints (no line break before the first or after the last). `last`: the
 * block ends the object, so its last member has no comma after it.
 */
export function jsonMembers(entries: readonly (readonly [string, Json])[], indent: string, printWidth: number, last = true): string {
  return entries
    .map(([key, member], i) => {
      const head = `${indent}${JSON.stringify(key)}: `;
      return head + reflow(stringified(member, indent), indent, head.length, last && i === entries.length - 1 ? 0 : 1, printWidth);
    })
    .join(",\n");
}
