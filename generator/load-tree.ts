/**
 * The spec tree read straight from the `yaml` package's concrete syntax tree (its `Parser`), without
 * composing a `Document`: building yaml's node classes, visiting them and converting them again was
 * most of a cold load. Only plain specs are read here, maps, lists and scalars written the usual
 * ways; for anything else (a YAML error, anchors, aliases, tags, directives, tabs, explicit
 * `?` keys, keys that are not names, duplicate keys, a second document, too deep nesting...) this returns undefined and
 * load.ts composes the document as before, which reports it. So every check the composer makes on
 * what is accepted here is made here too, in the same terms (yaml's `compose/*.js`), and the tree
 * is the one load.ts builds from the composed document, node for node and position for position
 * (test/generator/load-tree.test.ts compares both on every spec and on thousands of broken ones).
 */
import { CST, Document, isScalar, Parser, type LineCounter, type ScalarTag } from "yaml";
import type { SpecEntry, SpecMap, SpecNode, SpecScalar, SpecSeq } from "./load.js";

type SourceToken = CST.SourceToken;
type Token = CST.Token;

/** How deep maps and lists may nest: far beyond any spec, far below a stack overflow (load.ts reports deeper ones). */
export const MAX_DEPTH = 20;

/** Thrown inside the walk when the spec is not plain: the composed path decides. */
const NOT_PLAIN = Symbol("not plain");
const notPlain = (): never => {
  throw NOT_PLAIN;
};

/** A node and where yaml's composer would say it ends (its `range[2]`), which later checks need. */
interface Read {
  node: SpecNode;
  end: number;
}

/** Props of an item (`resolveProps`): the indicator and comma found, and where they end. */
interface Props {
  found: SourceToken | undefined;
  comma: boolean;
  hasNewline: boolean;
  comment: boolean;
  end: number;
}

/** The core schema's scalar tags, from a Document made with parseDocument's defaults. */
let core: Document | undefined;

/**
 * The tree of a spec text, or undefined when it is not plain (see above). `lineCounter` is filled
 * as the text is parsed, as parseDocument fills it.
 */
export function readPlainTree(text: string, file: string, lineCounter: LineCounter): SpecNode | undefined {
  // Tabs are indentation errors in some places and not in others: the composer tells.
  if (text.includes("\t")) return undefined;
  core ??= new Document();
  try {
    let document: CST.Document | undefined;
    for (const token of new Parser(lineCounter.addNewLine).parse(text)) {
      if (token.type === "document" && !document) document = token;
      else if (token.type !== "comment" && token.type !== "newline" && token.type !== "space") return undefined;
    }
    if (!document?.value || document.value.type !== "block-map") return undefined;
    // `---` may open the document, on a line of its own before a block map.
    const start = props(document.start, "doc-start", true, false, document.offset);
    if (start.found && !start.hasNewline) return undefined;
    for (const token of document.end ?? []) if (token.type !== "space" && token.type !== "comment" && token.type !== "newline") return undefined;
    return new TreeReader(file, lineCounter).value(document.value, 0).node;
  } catch {
    // Not plain, or something the composed path should meet (and report) itself.
    return undefined;
  }
}

/**
 * The composer's `resolveProps` over the tokens before an item, for the tokens a plain spec has:
 * anything else (anchors, tags, `?`, errors, a second indicator) is not plain.
 */
function props(tokens: readonly SourceToken[], indicator: string, startOnNewline: boolean, flow: boolean, offset: number): Props {
  let hasSpace = startOnNewline;
  let found: SourceToken | undefined;
  let comma = false;
  let hasNewline = false;
  let comment = false;
  for (const token of tokens) {
    switch (token.type) {
      case "space":
        hasSpace = true;
        break;
      case "newline":
        hasNewline = true;
        hasSpace = true;
        break;
      case "comment":
        if (!hasSpace) notPlain();
        comment = true;
        break;
      case "comma":
        if (!flow || comma) notPlain();
        comma = true;
        hasSpace = false;
        break;
      default:
        if (token.type !== indicator || found) notPlain();
        found = token;
        hasSpace = false;
    }
  }
  const last = tokens[tokens.length - 1];
  return { found, comma, hasNewline, comment, end: last ? last.offset + last.source.length : offset };
}

/** The composer's `resolveEnd` (strict) over `tokens` from `from` on, which follow a node ending at `offset`: where they end. */
function endOf(tokens: readonly SourceToken[], from: number, offset: number): number {
  let hasSpace = false;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "space" || token.type === "newline") hasSpace = true;
    else if (token.type !== "comment" || !hasSpace) notPlain();
    offset += token.source.length;
  }
  return offset;
}

/** Where the composer puts an empty value: after the indicator and the spaces following it (`emptyScalarPosition`). */
function emptyPosition(offset: number, before: readonly SourceToken[]): number {
  for (let i = before.length - 1; i >= 0; --i) {
    const token = before[i]!;
    if (token.type === "space" || token.type === "comment" || token.type === "newline") {
      offset -= token.source.length;
      continue;
    }
    for (let next = before[++i]; next?.type === "space"; next = before[++i]) offset += next.source.length;
    break;
  }
  return offset;
}

/** A map's entries, and their keys in a set once there are many (for a few, a scan is faster). */
class Entries {
  readonly list: SpecEntry[] = [];
  #keys: Set<string> | undefined;

  has(key: string): boolean {
    return this.#keys ? this.#keys.has(key) : this.list.some((e) => e.key === key);
  }

  push(entry: SpecEntry): void {
    this.list.push(entry);
    if (this.#keys) this.#keys.add(entry.key);
    else if (this.list.length > 16) this.#keys = new Set(this.list.map((e) => e.key));
  }
}

class TreeReader {
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  // The nodes as load.ts builds them, their properties in the same order.
  private scalarNode(offset: number, value: SpecScalar["value"]): SpecScalar {
    const { line, col } = this.lines.linePos(offset);
    return { kind: "scalar", file: this.file, line, column: col, value };
  }

  private mapNode(offset: number, entries: SpecEntry[]): SpecMap {
    const { line, col } = this.lines.linePos(offset);
    return { kind: "map", file: this.file, line, column: col, entries };
  }

  private seqNode(offset: number, items: SpecNode[]): SpecSeq {
    const { line, col } = this.lines.linePos(offset);
    return { kind: "seq", file: this.file, line, column: col, items };
  }

  /** A node; `depth` counts the maps and lists around it. */
  value(token: Token, depth: number): Read {
    switch (token.type) {
      case "block-map":
        return this.blockMap(token, depth);
      case "block-seq":
        return this.blockSeq(token, depth);
      case "flow-collection":
        return this.flowCollection(token, depth);
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar":
      case "block-scalar":
        return this.scalar(token, false);
      default:
        return notPlain();
    }
  }

  /** A scalar resolved as the core schema resolves it (null, booleans, numbers, or the text). */
  private scalar(token: CST.FlowScalar | CST.BlockScalar, atKey: boolean): Read {
    const resolved = CST.resolveAsScalar(token, true, notPlain);
    if (!resolved) return notPlain();
    const value = token.type === "scalar" ? plainValue(resolved.value, atKey) : resolved.value;
    return { node: this.scalarNode(resolved.range[0], value), end: resolved.range[2] };
  }

  /** The empty value of `key:` or `-` with nothing after it: null, where the composer puts it. */
  private empty(offset: number, before: readonly SourceToken[], props: Props): Read {
    const position = emptyPosition(offset, before);
    return { node: this.scalarNode(position, null), end: props.comment ? props.end : position };
  }

  /** A map entry: its key a scalar that resolves to a name not already in `entries`. */
  private entry(entries: Entries, token: Token | null | undefined, value: SpecNode): SpecEntry {
    if (!token || (token.type !== "scalar" && token.type !== "single-quoted-scalar" && token.type !== "double-quoted-scalar")) return notPlain();
    const keyNode = this.scalar(token, true).node as SpecScalar;
    const key = keyNode.value;
    if (typeof key !== "string" || key === "<<" || entries.has(key)) return notPlain();
    return { key, keyNode, value };
  }

  private blockMap(map: CST.BlockMap, depth: number): Read {
    if (depth >= MAX_DEPTH) notPlain();
    const entries = new Entries();
    let offset = map.offset;
    let commentEnd: number | undefined;
    for (const { start, key, sep, value } of map.items) {
      const keyProps = props(start, "explicit-key-ind", true, false, offset);
      if (keyProps.found) notPlain();
      if (!sep) {
        // Comment lines after the last entry.
        if (key) notPlain();
        commentEnd = keyProps.end;
        continue;
      }
      if (!key || !("indent" in key) || key.indent !== map.indent || containsNewline(key)) notPlain();
      const valueProps = props(sep, "map-value-ind", false, false, key!.offset + (key as CST.FlowScalar).source.length);
      const found = valueProps.found ?? notPlain();
      if (value?.type === "block-map" && !valueProps.hasNewline) notPlain();
      if (keyProps.end < found.offset - 1024) notPlain();
      const valueRead = value ? this.value(value, depth + 1) : this.empty(valueProps.end, sep, valueProps);
      offset = valueRead.end;
      entries.push(this.entry(entries, key, valueRead.node));
    }
    if (commentEnd && commentEnd < offset) notPlain();
    return { node: this.mapNode(map.offset, entries.list), end: commentEnd ?? offset };
  }

  private blockSeq(seq: CST.BlockSequence, depth: number): Read {
    if (depth >= MAX_DEPTH) notPlain();
    const items: SpecNode[] = [];
    let offset = seq.offset;
    let commentEnd: number | undefined;
    for (const { start, value } of seq.items) {
      const itemProps = props(start, "seq-item-ind", true, false, offset);
      if (!itemProps.found) {
        if (value) notPlain();
        commentEnd = itemProps.end;
        continue;
      }
      const read = value ? this.value(value, depth + 1) : this.empty(itemProps.end, start, itemProps);
      offset = read.end;
      items.push(read.node);
    }
    return { node: this.seqNode(seq.offset, items), end: commentEnd ?? offset };
  }

  private flowCollection(collection: CST.FlowCollection, depth: number): Read {
    if (depth >= MAX_DEPTH) notPlain();
    const isMap = collection.start.source === "{";
    const entries = new Entries();
    const items: SpecNode[] = [];
    let offset = collection.offset + collection.start.source.length;
    const count = collection.items.length;
    for (let i = 0; i < count; i++) {
      const { start, key, sep, value } = collection.items[i]!;
      const itemProps = props(start, "explicit-key-ind", false, true, offset);
      if (itemProps.found) notPlain();
      if (!sep && !value) {
        // Nothing but a trailing comma (and comments) after the last item.
        if (key || (i === 0 && itemProps.comma) || i < count - 1) notPlain();
        offset = itemProps.end;
        continue;
      }
      if (i === 0 ? itemProps.comma : !itemProps.comma) notPlain();
      if (value && (value.type === "block-map" || value.type === "block-seq")) notPlain();
      if (!isMap) {
        if (sep || key || !value) notPlain();
        const read = this.value(value!, depth + 1);
        offset = read.end;
        items.push(read.node);
        continue;
      }
      if (!key || !sep) notPlain();
      const valueProps = props(sep!, "map-value-ind", false, true, key!.offset + (key as CST.FlowScalar).source.length);
      if (!valueProps.found) notPlain();
      const valueRead = value ? this.value(value, depth + 1) : this.empty(valueProps.end, sep!, valueProps);
      offset = valueRead.end;
      entries.push(this.entry(entries, key, valueRead.node));
    }
    const close = collection.end[0];
    if (close?.source !== (isMap ? "}" : "]")) notPlain();
    const end = endOf(collection.end, 1, close!.offset + 1);
    const node = isMap ? this.mapNode(collection.offset, entries.list) : this.seqNode(collection.offset, items);
    return { node, end };
  }
}

/** Whether a key spans lines (the composer's `containsNewline`, for the scalar keys read here). */
function containsNewline(key: Token): boolean {
  if (key.type !== "scalar" && key.type !== "single-quoted-scalar" && key.type !== "double-quoted-scalar") return true;
  return key.source.includes("\n") || (key.end?.some((t) => t.type === "newline") ?? false);
}

/**
 * Short plain scalars already resolved, by text (keys apart): the same few words come back
 * thousands of times (`type`, `string?`, `true`...), and each would be tested against every tag of
 * the schema. Longer texts (descriptions) are seldom repeated.
 */
const plainValues = [new Map<string, SpecScalar["value"]>(), new Map<string, SpecScalar["value"]>()] as const;

/** A plain scalar's value under the core schema (the composer's `findScalarTagByTest`), as the tree keeps it. */
export function plainValue(text: string, atKey: boolean): SpecScalar["value"] {
  const known = plainValues[atKey ? 1 : 0];
  let value = known.get(text);
  if (value === undefined) {
    const doc = (core ??= new Document());
    const tag = doc.schema.tags.find((t) => (t.default === true || (atKey && t.default === "key")) && t.test?.test(text)) as ScalarTag | undefined;
    let resolved: unknown = tag ? tag.resolve(text, notPlain, doc.options) : text;
    if (isScalar(resolved)) resolved = resolved.value;
    value = scalarValue(resolved);
    if (text.length <= 40) known.set(text, value);
  }
  return value;
}

/** A resolved scalar as the tree keeps it (what load.ts does with a composed one). */
function scalarValue(value: unknown): string | number | boolean | null {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return value === null || value === undefined ? null : String(value);
}
