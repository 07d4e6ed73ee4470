/**
 * The spec tree of a spec written the usual ways, scanned line by line: block maps and lists
 * indented with spaces, names as keys, plain and quoted scalars on one line, literal and folded
 * block scalars, and flow maps and lists on one line. The `yaml` package's lexer and parser take
 * most of a cold load (0.25-0.55 ms per KB of spec on a first pass); a scan of the same lines
 * takes a quarter to a seventh of that. Whatever is not written so, and whatever YAML might read
 * otherwise (a scalar spanning lines, an empty value, an escape, a trailing comma, anchors, tags,
 * tabs, carriage returns, `---`...), returns undefined: load-tree.ts then reads the spec from
 * yaml's concrete syntax tree, and what is not plain there goes to a composed Document, which
 * reports the errors. So the `yaml` package stays the reader of record, and resolves every plain
 * scalar here too, by its core schema's own tags (load-tree.ts `plainValue`).
 * test/generator/load-scan.test.ts holds the tree to yaml's, node for node and position for
 * position, on every spec and on thousands of mutated ones.
 */
import type { SpecEntry, SpecMap, SpecNode, SpecScalar, SpecSeq } from "./load.js";
import { MAX_DEPTH, plainValue } from "./load-tree.js";

/** Thrown inside the scan where YAML might read the text otherwise: the yaml package decides. */
const NOT_SURE = Symbol("not sure");
const notSure = (): never => {
  throw NOT_SURE;
};

/** Characters a scanned spec may not hold anywhere: tabs, carriage returns and other controls, a BOM, Unicode line breaks. */
const UNUSUAL = /[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/;
/** A line that starts a document, ends one or is a directive. */
const DOCUMENT_MARKER = /(?:^|\n)(?:---|\.\.\.|%)/;
/** A block map's key as specs write it, a name, then `:` and spaces or the line's end. */
const BLOCK_KEY = /^([A-Za-z_$][\w$.-]*):(?: +|$)/;
/** A flow map's key: a name, then `:` and at least one space. */
const FLOW_KEY = /([A-Za-z_$][\w$.-]*): +/y;
/** What may follow a scalar or flow collection on its line: spaces, and a comment after a space. */
const LINE_END = /^(?: +(?:#.*)?)?$/;
/** A block scalar's header: literal or folded, clipped or stripped, maybe a comment. */
const BLOCK_HEADER = /^([|>])(-?)(?: +(?:#.*)?)?$/;
/** Implicit keys longer than this are errors in YAML (1024 characters with the `:`). */
const MAX_KEY = 1000;

/**
 * The tree of a spec text as load.ts builds it from a composed Document, or undefined when the
 * text is not written the usual ways (see above) and the `yaml` package must read it.
 */
export function scanPlainTree(text: string, file: string): SpecNode | undefined {
  if (UNUSUAL.test(text) || DOCUMENT_MARKER.test(text)) return undefined;
  try {
    return new Scan(text, file).document();
  } catch (error) {
    // Not sure, or yaml's own resolver refused a scalar (load-tree.ts throws its symbol): yaml decides.
    if (typeof error === "symbol") return undefined;
    throw error;
  }
}

class Scan {
  private readonly lines: string[];
  /** The line being read (0-based). */
  private at = 0;

  constructor(
    text: string,
    private readonly file: string,
  ) {
    this.lines = text.split("\n");
  }

  document(): SpecNode {
    this.at = this.nextContent(0);
    if (this.at >= this.lines.length || indentOf(this.lines[this.at]!) !== 0) notSure();
    const root = this.blockMap(0, 0);
    if (this.nextContent(this.at + 1) < this.lines.length) notSure();
    return root;
  }

  /** The first line from `from` on that is neither blank nor a comment. */
  private nextContent(from: number): number {
    const { lines } = this;
    for (let index = from; index < lines.length; index++) {
      const line = lines[index]!;
      const indent = indentOf(line);
      if (indent < line.length && line.charCodeAt(indent) !== 0x23 /* # */) return index;
    }
    return lines.length;
  }

  private scalar(line: number, column: number, value: SpecScalar["value"]): SpecScalar {
    return { kind: "scalar", file: this.file, line: line + 1, column, value };
  }

  /**
   * A block map whose keys sit at `indent`, from the current line; `first` is the rest of a list
   * item's line when the map starts there (`- key: value`).
   */
  private blockMap(indent: number, depth: number, first?: string): SpecMap {
    if (depth >= MAX_DEPTH) notSure();
    const startLine = this.at;
    const entries: SpecEntry[] = [];
    const keys = new Set<string>();
    let content = first ?? this.lines[this.at]!.slice(indent);
    for (;;) {
      const match = BLOCK_KEY.exec(content) ?? notSure();
      const key = match[1]!;
      if (key.length > MAX_KEY || keys.has(key) || plainValue(key, true) !== key) notSure();
      keys.add(key);
      const keyNode = this.scalar(this.at, indent + 1, key);
      const value = this.entryValue(content.slice(match[0].length), indent + match[0].length + 1, indent, depth + 1);
      entries.push({ key, keyNode, value });
      const next = this.nextContent(this.at + 1);
      if (next >= this.lines.length) break;
      const nextIndent = indentOf(this.lines[next]!);
      if (nextIndent < indent) break;
      if (nextIndent > indent) notSure();
      this.at = next;
      content = this.lines[next]!.slice(indent);
    }
    return { kind: "map", file: this.file, line: startLine + 1, column: indent + 1, entries };
  }

  /** A map entry's value: on its line (`rest`, at `column`), or a map or list on the lines below. */
  private entryValue(rest: string, column: number, indent: number, depth: number): SpecNode {
    if (rest !== "" && rest[0] !== "#") return this.inlineValue(rest, column, indent, depth);
    const next = this.nextContent(this.at + 1);
    if (next >= this.lines.length) notSure();
    const line = this.lines[next]!;
    const nextIndent = indentOf(line);
    const isItem = line[nextIndent] === "-" && (line.length === nextIndent + 1 || line[nextIndent + 1] === " ");
    // A list may sit at its key's indentation; a map must be indented more. Anything else: an empty value.
    if (isItem ? nextIndent < indent : nextIndent <= indent) notSure();
    this.at = next;
    return isItem ? this.blockSeq(nextIndent, depth) : this.blockMap(nextIndent, depth);
  }

  /** A block list whose items' `-` sit at `indent`, from the current line. */
  private blockSeq(indent: number, depth: number): SpecSeq {
    if (depth >= MAX_DEPTH) notSure();
    const startLine = this.at;
    const items: SpecNode[] = [];
    for (;;) {
      const line = this.lines[this.at]!;
      if (!line.startsWith("- ", indent)) notSure();
      let spaces = indent + 2;
      while (line.charCodeAt(spaces) === 0x20) spaces++;
      const rest = line.slice(spaces);
      if (rest === "" || rest[0] === "#" || rest.startsWith("- ") || rest === "-") notSure();
      items.push(BLOCK_KEY.test(rest) ? this.blockMap(spaces, depth + 1, rest) : this.inlineValue(rest, spaces + 1, indent, depth + 1));
      const next = this.nextContent(this.at + 1);
      if (next >= this.lines.length) break;
      const nextLine = this.lines[next]!;
      const nextIndent = indentOf(nextLine);
      if (nextIndent > indent) notSure();
      if (nextIndent < indent || !nextLine.startsWith("-", indent)) break;
      this.at = next;
    }
    return { kind: "seq", file: this.file, line: startLine + 1, column: indent + 1, items };
  }

  /** A value on the current line from `column` (1-based): a scalar, a flow collection, or a block scalar's header. */
  private inlineValue(rest: string, column: number, indent: number, depth: number): SpecNode {
    const line = this.at;
    switch (rest[0]) {
      case "|":
      case ">":
        return this.blockScalar(rest, column, indent);
      case "[":
      case "{": {
        const { node, end } = this.flow(rest, 0, column - 1, depth);
        if (!LINE_END.test(rest.slice(end))) notSure();
        return node;
      }
      case '"':
      case "'": {
        const { value, end } = quoted(rest, 0);
        if (!LINE_END.test(rest.slice(end))) notSure();
        return this.scalar(line, column, value);
      }
    }
    if (startsLikeIndicator(rest)) notSure();
    const comment = rest.indexOf(" #");
    const text = trimSpaces(comment < 0 ? rest : rest.slice(0, comment));
    // `a: b: c` is an error in YAML; `a: b:` is not what a spec means.
    if (text.includes(": ") || text.endsWith(":")) notSure();
    return this.scalar(line, column, plainValue(text, false));
  }

  /** A literal (`|`) or folded (`>`) block scalar, clipped or stripped (`-`), whose lines follow, indented more than `indent`. */
  private blockScalar(header: string, column: number, indent: number): SpecScalar {
    const match = BLOCK_HEADER.exec(header) ?? notSure();
    const literal = match[1] === "|";
    const headerLine = this.at;
    const { lines } = this;
    let first = headerLine + 1;
    while (first < lines.length && isBlank(lines[first]!)) first++;
    if (first >= lines.length) notSure();
    const blockIndent = indentOf(lines[first]!);
    if (blockIndent <= indent) notSure();
    const body: string[] = [];
    let last = headerLine;
    for (let index = headerLine + 1; index < lines.length; index++) {
      const line = lines[index]!;
      if (isBlank(line)) {
        // Spaces beyond the block's indentation are content, kept as they are: left to yaml.
        if (line.length > blockIndent) notSure();
        body.push("");
        continue;
      }
      const lineIndent = indentOf(line);
      if (lineIndent < blockIndent) break;
      // A more indented line keeps its line breaks in a folded scalar: left to yaml.
      if (!literal && lineIndent > blockIndent) notSure();
      body.push(line.slice(blockIndent));
      last = index;
    }
    // Blank lines after the last line of text belong to no other node; clipping and stripping drop them.
    const text = body.slice(0, last - headerLine);
    const value = literal ? text.join("\n") : fold(text);
    this.at = last;
    return this.scalar(headerLine, column, match[2] === "-" ? value : `${value}\n`);
  }

  /** A flow map or list on one line, from `text[start]`; `offset`: the text's column before its first character (0-based). */
  private flow(text: string, start: number, offset: number, depth: number): { node: SpecMap | SpecSeq; end: number } {
    if (depth >= MAX_DEPTH) notSure();
    const isMap = text[start] === "{";
    const close = isMap ? "}" : "]";
    const entries: SpecEntry[] = [];
    const keys = new Set<string>();
    const items: SpecNode[] = [];
    let at = skipSpaces(text, start + 1);
    if (text[at] === close) at++;
    else {
      for (;;) {
        if (isMap) {
          FLOW_KEY.lastIndex = at;
          const match = FLOW_KEY.exec(text) ?? notSure();
          const key = match[1]!;
          if (key.length > MAX_KEY || keys.has(key) || plainValue(key, true) !== key) notSure();
          keys.add(key);
          const keyNode = this.scalar(this.at, offset + at + 1, key);
          const value = this.flowValue(text, at + match[0].length, offset, depth + 1);
          entries.push({ key, keyNode, value: value.node });
          at = value.end;
        } else {
          const value = this.flowValue(text, at, offset, depth + 1);
          items.push(value.node);
          at = value.end;
        }
        at = skipSpaces(text, at);
        if (text[at] === close) {
          at++;
          break;
        }
        if (text[at] !== ",") notSure();
        at = skipSpaces(text, at + 1);
        // A trailing comma is YAML, and rare in specs: left to yaml.
        if (text[at] === close) notSure();
      }
    }
    const line = this.at + 1;
    const column = offset + start + 1;
    const node: SpecMap | SpecSeq = isMap ? { kind: "map", file: this.file, line, column, entries } : { kind: "seq", file: this.file, line, column, items };
    return { node, end: at };
  }

  /** A value inside a flow collection, from `text[start]`: a flow collection, a quoted scalar or a plain one. */
  private flowValue(text: string, start: number, offset: number, depth: number): { node: SpecNode; end: number } {
    const first = text[start];
    if (first === "{" || first === "[") return this.flow(text, start, offset, depth);
    if (first === '"' || first === "'") {
      const { value, end } = quoted(text, start);
      return { node: this.scalar(this.at, offset + start + 1, value), end };
    }
    if (first === undefined || startsLikeIndicator(text.slice(start, start + 2))) notSure();
    let end = start;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (code === 0x2c /* , */ || code === 0x5d /* ] */ || code === 0x7d /* } */) break;
      // `[`, `{`: an unquoted `string[]` opens a list; `: `: a pair inside a list; ` #`: a comment. yaml reports or reads them.
      if (code === 0x5b || code === 0x7b || (code === 0x3a && isFlowBreak(text, end + 1)) || (code === 0x23 && text.charCodeAt(end - 1) === 0x20)) notSure();
    }
    if (end >= text.length) notSure();
    const plain = trimSpaces(text.slice(start, end));
    if (plain === "") notSure();
    return { node: this.scalar(this.at, offset + start + 1, plainValue(plain, false)), end };
  }
}

/** Leading spaces. */
function indentOf(line: string): number {
  let indent = 0;
  while (line.charCodeAt(indent) === 0x20) indent++;
  return indent;
}

const isBlank = (line: string) => indentOf(line) === line.length;

function skipSpaces(text: string, at: number): number {
  while (text.charCodeAt(at) === 0x20) at++;
  return at;
}

/** Without trailing spaces (YAML's white space; other Unicode spaces are content). */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return text.slice(0, end);
}

/** After a `:` in a flow collection: the end, a space or a flow indicator makes it a pair's `:`. */
function isFlowBreak(text: string, at: number): boolean {
  const next = text[at];
  return next === undefined || next === " " || next === "," || next === "[" || next === "]" || next === "{" || next === "}";
}

/**
 * Whether a plain scalar would start with an indicator: anchors, aliases, tags, directives,
 * reserved characters, flow indicators, comments, block scalars, and `?`, `-`, `:` before a space.
 */
function startsLikeIndicator(text: string): boolean {
  const first = text[0]!;
  if ("&*!%@`,[]{}#|>'\"".includes(first)) return true;
  return (first === "?" || first === "-" || first === ":") && (text.length === 1 || text[1] === " ");
}

/** A quoted scalar on one line from `text[start]`: its value and where it ends. An escape or a line break inside: left to yaml. */
function quoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!;
  if (quote === '"') {
    const close = text.indexOf('"', start + 1);
    if (close < 0) notSure();
    const value = text.slice(start + 1, close);
    if (value.includes("\\")) notSure();
    return { value, end: close + 1 };
  }
  let value = "";
  let at = start + 1;
  for (;;) {
    const close = text.indexOf("'", at);
    if (close < 0) notSure();
    value += text.slice(at, close);
    if (text[close + 1] !== "'") return { value, end: close + 1 };
    value += "'";
    at = close + 2;
  }
}

/** A folded scalar's lines joined: a line break between two lines of text is a space; each blank line, a line break. */
function fold(lines: readonly string[]): string {
  let value = "";
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === "") value += "\n";
    else value += index > 0 && lines[index - 1] !== "" ? ` ${line}` : line;
  }
  return value;
}
