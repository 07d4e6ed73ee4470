/**
 * JSON printed the way prettier's `json` parser prints `JSON.stringify(value, null, 2)`, without
 * prettier: openapi.json is ~11 MB at Nexudus scale, ~3 s of prettier. The rules that output
 * needs are few. Prettier keeps an object expanded when its source breaks the line after `{`
 * (always, from `JSON.stringify(value, null, 2)`), so non-empty objects print one member a line.
 * An array prints on one line when it holds no non-empty object or array and fits the print
 * width (counting what follows it on the line); otherwise an array of numbers fills lines and any
 * other array prints one element a line. test/generator/format-json.test.ts compares the result
 * with prettier's for every JSON file the generator writes and for the edge cases.
 */

const INDENT = "  ";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isEmptyContainer = (value: Json): boolean =>
  typeof value === "object" && value !== null && (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);

const isScalarLike = (value: Json): boolean => typeof value !== "object" || value === null || isEmptyContainer(value);

/**
 * @param value the value to print
 * @param indent the indentation of the line the value starts on
 * @param column where on that line the value starts
 * @param trailing how many characters follow the value on its last line (a comma)
 */
function print(value: Json, indent: string, column: number, trailing: number, width: number): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every(isScalarLike)) {
      const items = value.map((item) => JSON.stringify(item));
      const flat = `[${items.join(", ")}]`;
      if (column + flat.length + trailing <= width) return flat;
      if (value.every((item) => typeof item === "number")) return `[\n${fill(items, inner, width)}\n${indent}]`;
    }
    const lines = value.map((item, i) => inner + print(item, inner, inner.length, i < value.length - 1 ? 1 : 0, width));
    return `[\n${lines.join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([key, member], i) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return head + print(member, inner, head.length, i < entries.length - 1 ? 1 : 0, width);
  });
  return `{\n${lines.join(",\n")}\n${indent}}`;
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
  return `${print(value, "", 0, 0, printWidth)}\n`;
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
      return head + print(member, indent, head.length, last && i === entries.length - 1 ? 0 : 1, printWidth);
    })
    .join(",\n");
}
