/**
 * Formatting a large JSON document piece by piece, so that a change re-formats only the pieces it
 * touched (openapi.json is ~11 MB at Nexudus scale: ~3 s of prettier in one piece).
 *
 * Why the pieces add up to exactly what prettier makes of the whole: with the `json` parser,
 * prettier keeps an object expanded when its source has a line break after `{` (always true of
 * `JSON.stringify(value, null, 2)`), so an object-valued property always prints as `"key": {`,
 * its members on their own lines, and `}` on a line of its own. Nothing inside such an object can
 * see past its braces; only its indentation matters, which a narrower print width stands in for.
 * So a large object is printed with each object-valued member replaced by a placeholder string,
 * the members are printed on their own (recursively), and the texts are spliced back, indented.
 * The tests compare the result with prettier's output for the whole document.
 */

/** JSON texts longer than this are formatted in pieces. */
export const CHUNKED_JSON_MIN_CHARS = 256 * 1024;

/** Objects whose text is longer than this are split into their members. */
const PIECE_MAX_CHARS = 16 * 1024;

const INDENT = 2;

/** One text to hand to prettier. */
export interface JsonPiece {
  text: string;
  printWidth: number;
}

type Plan = { kind: "piece"; piece: number } | { kind: "split"; skeleton: number; members: { placeholder: string; plan: Plan }[] };

/** The pieces of a JSON text and how to put their formatted texts back together. */
export interface JsonPlan {
  pieces: JsonPiece[];
  /** The whole formatted document from the formatted pieces (in `pieces` order). */
  assemble(formatted: readonly string[]): string;
}

const isSplittable = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;

/**
 * Splits a JSON text into pieces for prettier. Returns undefined when the text cannot be split
 * safely: not JSON, not in `JSON.stringify(value, null, 2)` form (prettier keeps a one-line object
 * on one line, so the argument above would not hold), or containing the placeholder marker.
 * Format it whole then.
 */
export function planJson(text: string, printWidth: number): JsonPlan | undefined {
  const marker = "\u0000nexudus-codegen-piece";
  if (text.includes("\\u0000nexudus-codegen-piece")) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (JSON.stringify(root, null, INDENT) !== text.replace(/\n$/, "")) return undefined;
  const pieces: JsonPiece[] = [];
  let placeholders = 0;

  // Approximate text length of every object, in one walk: deciding where to split must not cost
  // a JSON.stringify per level (that was O(size x depth) and most of this function's time).
  const sizes = new Map<object, number>();
  const measure = (value: unknown, indent: number): number => {
    if (typeof value === "string") return value.length + 2;
    if (value === null || typeof value !== "object") return String(value).length;
    let size = 2 + indent;
    if (Array.isArray(value)) for (const item of value) size += indent + INDENT + measure(item, indent + INDENT) + 2;
    else for (const [key, member] of Object.entries(value)) size += indent + INDENT + key.length + 4 + measure(member, indent + INDENT) + 2;
    sizes.set(value, size);
    return size;
  };
  measure(root, 0);

  const plan = (value: unknown, width: number): Plan => {
    const large = isSplittable(value) && (sizes.get(value) ?? 0) > PIECE_MAX_CHARS;
    const members = large ? Object.entries(value).filter(([, v]) => isSplittable(v)) : [];
    if (members.length === 0) {
      pieces.push({ text: value === root ? text.replace(/\n$/, "") : JSON.stringify(value, null, INDENT), printWidth: width });
      return { kind: "piece", piece: pieces.length - 1 };
    }
    const skeleton: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const split: { placeholder: string; plan: Plan }[] = [];
    for (const [key, member] of members) {
      const placeholder = `${marker}-${placeholders++}\u0000`;
      skeleton[key] = placeholder;
      split.push({ placeholder: JSON.stringify(placeholder), plan: plan(member, width - INDENT) });
    }
    pieces.push({ text: JSON.stringify(skeleton, null, INDENT), printWidth: width });
    return { kind: "split", skeleton: pieces.length - 1, members: split };
  };

  const top = plan(root, printWidth);
  return {
    pieces,
    assemble(formatted) {
      // Every line of a piece is indented once, by the depth it ends up at: linear in the output.
      const parts: string[] = [];
      const print = (node: Plan, indent: string): void => {
        const text = formatted[node.kind === "piece" ? node.piece : node.skeleton]!.replace(/\n$/, "");
        const indented = (from: number, to: number) => (indent ? text.slice(from, to).replace(/\n/g, `\n${indent}`) : text.slice(from, to));
        if (node.kind === "piece") {
          parts.push(indented(0, text.length));
          return;
        }
        // Placeholders come in member order: splice each member in, scanning forward once.
        let cursor = 0;
        for (const member of node.members) {
          const at = text.indexOf(member.placeholder, cursor);
          if (at < 0) throw new Error("format-json: a placeholder vanished from the formatted skeleton");
          const lineStart = text.lastIndexOf("\n", at) + 1;
          // The member's lines after its `{` sit one level deeper than the line holding its key.
          const keyIndent = " ".repeat(text.slice(lineStart, at).search(/\S/));
          parts.push(indented(cursor, at));
          print(member.plan, indent + keyIndent);
          cursor = at + member.placeholder.length;
        }
        parts.push(indented(cursor, text.length));
      };
      print(top, "");
      return `${parts.join("")}\n`;
    },
  };
}
