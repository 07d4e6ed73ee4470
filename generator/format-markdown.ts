/**
 * Markdown formatting without prettier's Markdown printer. Prettier spends most of a cold run on
 * the docs pages (their tables and embedded TypeScript), yet the templates write Markdown that
 * only needs three things done to match it: blank lines collapsed, tables aligned, and the
 * TypeScript examples formatted. The examples of every page go to prettier's TypeScript
 * formatter in one batch. test/generator/format-markdown.test.ts checks that the result equals
 * prettier's for every generated page.
 */

/** A Markdown text cut into what the TypeScript formatter must see and how to put it back. */
export interface MarkdownPlan {
  /** The code of each ```ts block, imports split off, to format. */
  blocks: string[];
  /** The page with the formatted blocks put back, blank lines collapsed and tables aligned. */
  assemble(formattedBlocks: readonly string[]): string;
}

const FENCE = /^```(\w*)\s*$/;
const IMPORT = /^import\s.*\sfrom\s+"[^"]+";$/;

/** Splits a page into its prose and its TypeScript blocks. */
export function planMarkdown(text: string, printWidth: number): MarkdownPlan {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  // Pieces are prose lines or a code block (index into `blocks`) with its import lines.
  const pieces: ({ kind: "prose"; lines: string[] } | { kind: "code"; lang: string; imports: string[]; block?: number; raw: string[] })[] = [];
  const blocks: string[] = [];
  let prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) {
      prose.push(lines[i]!);
      continue;
    }
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    if (end < 0) {
      append(prose, lines.slice(i));
      break;
    }
    pieces.push({ kind: "prose", lines: prose });
    prose = [];
    const raw = lines.slice(i + 1, end);
    const lang = open[1] ?? "";
    if (lang === "ts" || lang === "typescript") {
      const imports = raw.filter((line) => IMPORT.test(line));
      const code = raw.filter((line) => !IMPORT.test(line)).join("\n").trim();
      pieces.push({ kind: "code", lang, imports, raw, ...(code ? { block: blocks.push(code) - 1 } : {}) });
    } else {
      pieces.push({ kind: "code", lang, imports: [], raw });
    }
    i = end;
  }
  pieces.push({ kind: "prose", lines: prose });

  return {
    blocks,
    assemble(formatted) {
      const out: string[] = [];
      for (const piece of pieces) {
        if (piece.kind === "prose") {
          append(out, alignTables(piece.lines));
          continue;
        }
        const body =
          piece.block === undefined && piece.imports.length === 0
            ? piece.raw
            : [
                ...piece.imports.flatMap((line) => formatImport(line, printWidth)),
                ...(piece.imports.length && piece.block !== undefined ? [""] : []),
                ...(piece.block !== undefined ? formatted[piece.block]!.split("\n") : []),
              ];
        append(out, [`\`\`\`${piece.lang}`, ...body, "```"]);
      }
      return `${collapseBlankLines(out).join("\n").trim()}\n`;
    },
  };
}

/** `import { A, B } from "x";`, broken one name a line when it does not fit, as prettier does. */
function formatImport(line: string, printWidth: number): string[] {
  const match = /^import\s+(type\s+)?\{\s*([^}]*?)\s*\}\s+from\s+("[^"]+");$/.exec(line);
  if (!match) return [line];
  const names = match[2]!.split(",").map((n) => n.trim()).filter(Boolean);
  const single = `import ${match[1] ?? ""}{ ${names.join(", ")} } from ${match[3]};`;
  if (single.length <= printWidth) return [single];
  return [`import ${match[1] ?? ""}{`, ...names.map((n) => `  ${n},`), `} from ${match[3]};`];
}

/** Pushes items one by one: `push(...items)` overflows the stack for a page of very many lines. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** One blank line at most between blocks, none at line ends. */
function collapseBlankLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let inFence = false;
  for (const line of lines) {
    if (/^```/.test(line)) inFence = !inFence;
    // trimEnd, not /\s+$/: that backtracks quadratically on a long run of spaces inside a line.
    const text = inFence ? line : line.trimEnd();
    if (!inFence && text === "" && (out.length === 0 || out[out.length - 1] === "")) continue;
    out.push(text);
  }
  return out;
}

/** Cells of a table row: split on pipes that are not escaped. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** Display width as prettier counts it for ASCII and most text: one column per code point (a surrogate pair is one). */
function width(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) if ((text.charCodeAt(i) & 0xfc00) === 0xdc00) n--;
  return n;
}

/** Pads every column of every table to its widest cell, as prettier prints tables. */
export function alignTables(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const isTable = lines[i]!.startsWith("|") && /^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1] ?? "");
    if (!isTable) {
      out.push(lines[i]!);
      continue;
    }
    let end = i + 2;
    while (end < lines.length && lines[end]!.startsWith("|")) end++;
    const rows = [cells(lines[i]!), ...lines.slice(i + 2, end).map(cells)];
    const columns = rows[0]!.length;
    const widths = Array.from({ length: columns }, (_, c) => rows.reduce((widest, r) => Math.max(widest, width(r[c] ?? "")), 3));
    const print = (row: string[]) => `| ${widths.map((w, c) => (row[c] ?? "") + " ".repeat(w - width(row[c] ?? ""))).join(" | ")} |`;
    append(out, [print(rows[0]!), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.slice(1).map(print)]);
    i = end - 1;
  }
  return out;
}

/**
 * Many code blocks as one TypeScript text: each in its own `{ }` block statement, so one prettier
 * call formats them all. Inside a block each line is indented by 2, so the batch is formatted 2
 * columns wider to break lines exactly where prettier breaks the block alone.
 */
export function batchBlocks(blocks: readonly string[]): string {
  return blocks.map((block) => `{\n${block}\n}\n`).join("");
}

/** The blocks back out of a formatted batch, dedented. */
export function splitBatch(formatted: string, count: number): string[] {
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of formatted.split("\n")) {
    if (current === undefined) {
      if (line === "{") current = [];
      else if (line === "{}") blocks.push("");
      continue;
    }
    if (line === "}") {
      blocks.push(current.join("\n").trim());
      current = undefined;
      continue;
    }
    current.push(line.startsWith("  ") ? line.slice(2) : line);
  }
  if (blocks.length !== count) throw new Error(`formatting the docs' examples gave ${blocks.length} blocks for ${count}`);
  return blocks;
}
