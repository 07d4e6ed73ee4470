import { readFileSync } from "node:fs";
import path from "node:path";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from "yaml";
import type { Diagnostic } from "./diagnostics.js";
import { listFiles } from "./files.js";
import { scanPlainTree } from "./load-scan.js";
import { MAX_DEPTH, readPlainTree } from "./load-tree.js";
import { hash, type SpecTrees, type StoredEntry, type StoredNode } from "./cache.js";

/** A YAML value with the place it was written, so later stages can point at it. */
export type SpecNode = SpecMap | SpecSeq | SpecScalar;

interface Located {
  /** Spec file path, relative to the working directory. */
  file: string;
  line: number;
  column: number;
}

export interface SpecMap extends Located {
  kind: "map";
  entries: SpecEntry[];
}

export interface SpecEntry {
  key: string;
  keyNode: SpecScalar;
  value: SpecNode;
}

export interface SpecSeq extends Located {
  kind: "seq";
  items: SpecNode[];
}

export interface SpecScalar extends Located {
  kind: "scalar";
  value: string | number | boolean | null;
}

/** One loaded spec file. */
export interface LoadedSpec {
  /** Path relative to the specs folder, with forward slashes: `billing/coworkertimepasses.yaml`. */
  name: string;
  /** Path as shown in messages (relative to the working directory). */
  file: string;
  /** The raw text, hashed to tell when a spec changed. */
  text: string;
  /** The document; undefined when the YAML did not parse. */
  root?: SpecNode;
  /** This very text passed the checks of one spec alone before (the cache says so): validate.ts skips them. */
  checked?: boolean;
}

/**
 * The specs a process already loaded (session.ts), by name and the hash of their text: the same
 * text is the same spec, used again as it is. Only specs that parsed are remembered.
 */
export interface SpecMemory {
  /** The spec's text as last read, and its hash, when the file is unchanged since (the up-to-date check read it). */
  text(name: string): { text: string; hash: string } | undefined;
  /** A session's loaded specs: the spec loaded before from the same text. */
  get?(name: string, textHash: string): LoadedSpec | undefined;
  set?(spec: LoadedSpec, textHash: string): void;
  /** Forgets every spec but those of `names` (the others were removed or renamed). */
  retainOnly?(names: ReadonlySet<string>): void;
  /** The files of the specs folder, as `listFiles` lists them, when this run has them already (a session's stats). */
  files?(): readonly string[] | undefined;
}

/** The file holding base fields and shared enums. */
export const COMMON_SPEC = "common.yaml";

/** Every `*.yaml` / `*.yml` under the specs folder (or of `files`, its files listed already), in a stable order. */
export async function listSpecFiles(specsDir: string, files?: readonly string[]): Promise<string[]> {
  return (files ?? (await listFiles(specsDir))).filter((name) => /\.ya?ml$/.test(name));
}

/**
 * Reads and parses every spec; YAML syntax errors become diagnostics, never exceptions. With a
 * cache section, a spec whose text was parsed before is not parsed again: its tree is restored
 * (parsing with positions is most of a cold load). Only specs that parsed cleanly are remembered,
 * so YAML errors are always reported afresh. With a memory (a session), a spec loaded before with
 * the same text is that spec again, neither parsed nor restored.
 */
export async function loadSpecs(specsDir: string, diagnostics: Diagnostic[], cache?: SpecTrees, memory?: SpecMemory): Promise<LoadedSpec[]> {
  const names = await listSpecFiles(specsDir, memory?.files?.());
  memory?.retainOnly?.(new Set(names));
  return Promise.all(
    names.map(async (name) => {
      const absolute = path.join(specsDir, name);
      const read = memory?.text(name);
      // Read one after the other (readFileSync): for many small files, faster than in parallel.
      const text = read?.text ?? readFileSync(absolute, "utf8");
      const shown = displayPath(absolute);
      if (!cache) return parseSpec(name, shown, text, diagnostics);
      const textHash = read?.hash ?? hashOnce(absolute, text);
      const cached = cache.get(name);
      const known = memory?.get?.(name, textHash);
      if (known?.file === shown) {
        // A run that failed parsed it, and its cache was not saved: the cache learns it now.
        const tree = cached?.hash === textHash ? undefined : store(known.root!);
        if (tree) cache.set(name, { hash: textHash, tree });
        return known;
      }
      let spec: LoadedSpec;
      if (cached?.hash === textHash) {
        // Restored on first use: a run that remembers what it needs of this spec never restores it.
        // A tree the cache cannot read back after all is parsed again, from a text that parsed cleanly.
        spec = withLazyRoot({ name, file: shown, text, ...(cached.checked ? { checked: true } : {}) }, () => {
          const tree = cached.tree as StoredNode | undefined;
          return tree ? restore(tree, shown) : parseSpec(name, shown, text, []).root;
        });
      } else {
        spec = parseSpec(name, shown, text, diagnostics);
        const tree = spec.root && store(spec.root);
        if (tree) cache.set(name, { hash: textHash, tree });
        else cache.delete(name);
        if (!spec.root) return spec;
      }
      memory?.set?.(spec, textHash);
      textHashes.set(spec, textHash);
      return spec;
    }),
  );
}

/** Each spec file's last text and its hash: a watching process, which keeps an unchanged spec's text, hashes it once. */
const lastHashed = new Map<string, { text: string; hash: string }>();

function hashOnce(file: string, text: string): string {
  const last = lastHashed.get(file);
  if (last?.text === text) return last.hash;
  const textHash = hash(text);
  lastHashed.set(file, { text, hash: textHash });
  return textHash;
}

/** The hash of a spec's text, by spec object: the load, the model and the cache's keys each need it. */
const textHashes = new WeakMap<LoadedSpec, string>();

/** `hash(spec.text)`, hashed once per spec object. */
export function specTextHash(spec: LoadedSpec): string {
  let known = textHashes.get(spec);
  if (known === undefined) textHashes.set(spec, (known = hash(spec.text)));
  return known;
}

/** `spec` with a `root` made by `restore` when first read. */
function withLazyRoot(spec: LoadedSpec, restore: () => SpecNode | undefined): LoadedSpec {
  let root: SpecNode | undefined;
  return Object.defineProperty(spec, "root", { enumerable: true, get: () => (root ??= restore()) });
}

/** The tree without file names; undefined when JSON would not keep it exactly (NaN, Infinity). */
export function store(node: SpecNode): StoredNode | undefined {
  switch (node.kind) {
    case "scalar":
      return typeof node.value === "number" && !Number.isFinite(node.value) ? undefined : [node.line, node.column, node.value];
    case "seq": {
      const items = node.items.map(store);
      return items.every((i) => i !== undefined) ? [node.line, node.column, 0, items as StoredNode[]] : undefined;
    }
    case "map": {
      const entries: StoredEntry[] = [];
      for (const e of node.entries) {
        const value = store(e.value);
        const keyValue = e.keyNode.value;
        if (!value || (typeof keyValue === "number" && !Number.isFinite(keyValue))) return undefined;
        entries.push(keyValue === e.key ? [e.keyNode.line, e.keyNode.column, e.key, value] : [e.keyNode.line, e.keyNode.column, e.key, value, keyValue]);
      }
      return [node.line, node.column, 1, entries];
    }
  }
}

/** A stored tree with the file shown in messages put back on every node (it depends on the working directory). */
export function restore(node: StoredNode, file: string): SpecNode {
  if (node.length === 3) return { kind: "scalar", file, line: node[0], column: node[1], value: node[2] };
  if (node[2] === 0) return { kind: "seq", file, line: node[0], column: node[1], items: node[3].map((i) => restore(i, file)) };
  return {
    kind: "map",
    file,
    line: node[0],
    column: node[1],
    entries: node[3].map(([line, column, key, value, ...keyValue]) => ({
      key,
      keyNode: { kind: "scalar", file, line, column, value: keyValue.length ? keyValue[0]! : key },
      value: restore(value, file),
    })),
  };
}

/** Paths as `displayPath` showed them, from the working folder they were shown from: a watching process shows every spec's at every run. */
const shownPaths = { from: "", paths: new Map<string, string>() };

export function displayPath(absolute: string): string {
  const cwd = process.cwd();
  if (shownPaths.from !== cwd) Object.assign(shownPaths, { from: cwd, paths: new Map() });
  let shown = shownPaths.paths.get(absolute);
  if (shown === undefined) {
    const relative = path.relative(cwd, absolute);
    shownPaths.paths.set(absolute, (shown = (relative.startsWith("..") ? absolute : relative).split(path.sep).join("/")));
  }
  return shown;
}

/** Parses one spec text, keeping line and column for every value. */
export function parseSpec(name: string, file: string, text: string, diagnostics: Diagnostic[]): LoadedSpec {
  const root = scanPlainTree(text, file) ?? readPlainTree(text, file, new LineCounter());
  return root ? { name, file, text, root } : composeSpec(name, file, text, diagnostics);
}

/**
 * Parses one spec text through a composed YAML Document: the way of a spec that is not plain (see
 * load-tree.ts), whose YAML errors and refused features this reports. A plain spec gives the same
 * tree either way.
 */
export function composeSpec(name: string, file: string, text: string, diagnostics: Diagnostic[]): LoadedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    // One slip makes the parser stumble over the rest of its line: report the first error of a line.
    const reportedLines = new Set<number>();
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      if (reportedLines.has(pos.line)) continue;
      reportedLines.add(pos.line);
      // Inside `{ ... }`, an unquoted `string[]` opens a list: the most common slip in specs.
      const flowArray = /flow-seq-start/.test(error.message) && /\w\[\]/.test(text.split("\n")[pos.line - 1] ?? "");
      diagnostics.push({
        file,
        line: pos.line,
        column: pos.col,
        message: yamlMessage(error.code, error.message),
        hint: flowArray ? 'inside { ... } quote an array type: type: "string[]"' : yamlHint(error.code),
      });
    }
    return { name, file, text };
  }
  if (refuseYamlFeatures(doc, text, lineCounter, file, diagnostics)) return { name, file, text };
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  const convert = (node: YamlNode | null | undefined, fallbackOffset: number): SpecNode => {
    if (isMap(node)) {
      return {
        kind: "map",
        ...at(node.range?.[0]),
        entries: node.items.map((pair) => {
          const keyNode = convert(pair.key as YamlNode, node.range?.[0] ?? 0);
          const key = keyNode.kind === "scalar" ? String(keyNode.value) : "";
          const keyEnd = isScalar(pair.key) ? (pair.key.range?.[1] ?? 0) : 0;
          return {
            key,
            keyNode: keyNode.kind === "scalar" ? keyNode : { kind: "scalar", value: key, ...at(keyEnd) },
            value: convert(pair.value as YamlNode, keyEnd),
          };
        }),
      };
    }
    if (isSeq(node)) {
      return {
        kind: "seq",
        ...at(node.range?.[0]),
        items: node.items.map((item) => convert(item as YamlNode, node.range?.[0] ?? 0)),
      };
    }
    if (isScalar(node)) {
      const value = node.value;
      return {
        kind: "scalar",
        ...at(node.range?.[0]),
        value:
          typeof value === "string" || typeof value === "number" || typeof value === "boolean"
            ? value
            : value === null || value === undefined
              ? null
              : String(value),
      };
    }
    // An empty value (`key:` with nothing after it) has no node: point just after the key.
    return { kind: "scalar", value: null, ...at(fallbackOffset) };
  };
  return { name, file, text, root: convert(doc.contents as YamlNode, 0) };
}

/** Our own words for what a spec may not use, instead of the YAML library's advice. */
const YAML_FEATURE_MESSAGES: Record<string, { message: string; hint: string }> = {
  MULTIPLE_DOCS: { message: "a spec file holds one YAML document; this `---` starts a second one", hint: "remove the `---` line and what follows it, or move that part into its own spec file" },
  ALIAS_PROPS: { message: "YAML anchors, aliases and tags are not allowed in specs", hint: "write each value out in full" },
  BAD_ALIAS: { message: "YAML anchors and aliases (&name, *name) are not allowed in specs", hint: "write each value out in full" },
  MULTIPLE_ANCHORS: { message: "YAML anchors (&name) are not allowed in specs", hint: "write each value out in full" },
  MULTIPLE_TAGS: { message: "YAML tags (!tag, !!type) are not allowed in specs", hint: "remove the tag: a spec's values are plain text, numbers, booleans, lists and maps" },
  BAD_PROP_ORDER: { message: "YAML anchors and tags are not allowed in specs", hint: "remove the & or ! part" },
  TAG_RESOLVE_FAILED: { message: "YAML tags (!tag, !!type) are not allowed in specs", hint: "remove the tag: a spec's values are plain text, numbers, booleans, lists and maps" },
  BAD_COLLECTION_TYPE: { message: "YAML tags (!tag, !!type) are not allowed in specs", hint: "remove the tag: a spec's values are plain text, numbers, booleans, lists and maps" },
  BAD_DIRECTIVE: { message: "YAML directives (%YAML, %TAG) are not allowed in specs", hint: "remove the line starting with %: specs are plain YAML 1.2" },
};

/**
 * YAML features a spec may not use, with their position: anchors and aliases (a value defined
 * once and repeated, or a billion of them), merge keys (`<<`), tags, directives, keys that are not
 * names. A spec is plain maps, lists and scalars, read as written. Returns whether any was found.
 */
function refuseYamlFeatures(doc: Document, text: string, lineCounter: LineCounter, file: string, diagnostics: Diagnostic[]): boolean {
  const before = diagnostics.length;
  const report = (offset: number | undefined, message: string, hint: string) => {
    const pos = lineCounter.linePos(offset ?? 0);
    diagnostics.push({ file, line: pos.line, column: pos.col, message, hint });
  };
  if (doc.directives?.yaml.explicit || Object.keys(doc.directives?.tags ?? {}).some((handle) => handle !== "!" && handle !== "!!")) {
    report(0, YAML_FEATURE_MESSAGES.BAD_DIRECTIVE!.message, YAML_FEATURE_MESSAGES.BAD_DIRECTIVE!.hint);
  }
  // Anchors and tags are written before their node, on its line or (a block map's) the line above.
  const propOffset = (prop: string, offset: number | undefined) => {
    const lineStart = text.lastIndexOf("\n", (offset ?? 0) - 1);
    const lineAbove = text.lastIndexOf("\n", lineStart - 1) + 1;
    const found = text.lastIndexOf(prop, offset);
    return found >= lineAbove ? found : offset;
  };
  visit(doc, {
    Alias(_, node) {
      report(node.range?.[0], `YAML aliases (*${node.source}) are not allowed in specs`, "write the value out in full where it is needed");
    },
    Node(_, node, path) {
      if (isAlias(node)) return;
      if ((isMap(node) || isSeq(node)) && path.filter((p) => isMap(p) || isSeq(p)).length === MAX_DEPTH) {
        report(node.range?.[0], `maps and lists nest more than ${MAX_DEPTH} levels deep here`, "a spec needs a few levels (fields, their properties): flatten this value");
        return visit.SKIP;
      }
      if (node.anchor) report(propOffset(`&${node.anchor}`, node.range?.[0]), `YAML anchors (&${node.anchor}) are not allowed in specs`, "remove the anchor and write each value out in full");
      if (node.tag) {
        const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
        report(propOffset(tag, node.range?.[0]), `YAML tags (${tag}) are not allowed in specs`, "remove the tag: a spec's values are plain text, numbers, booleans, lists and maps");
      }
    },
    Pair(_, pair) {
      const key = pair.key as YamlNode | null;
      const offset = (key && "range" in key ? key.range?.[0] : undefined) ?? (pair.value as YamlNode | null)?.range?.[0];
      if (isScalar(key) && key.value === "<<") {
        report(offset, "YAML merge keys (<<) are not allowed in specs", "write the merged entries out in full");
      } else if (!isScalar(key) || typeof key.value !== "string") {
        report(offset, "a key must be a name", isScalar(key) && key.value !== null ? `quote it if the text is meant: "${String(key.value)}":` : "write a name before the colon");
      }
    },
  });
  return diagnostics.length > before;
}

function yamlMessage(code: string, message: string): string {
  const firstLine = message.split("\n")[0] ?? message;
  if (code === "DUPLICATE_KEY") return "duplicate key: this name is already defined above in the same map";
  const feature = YAML_FEATURE_MESSAGES[code];
  if (feature) return feature.message;
  if (/call stack/i.test(firstLine)) return `maps and lists nest too deeply to read`;
  return `YAML syntax error: ${firstLine.replace(/ at line \d+, column \d+:?$/, "")}`;
}

function yamlHint(code: string): string {
  const feature = YAML_FEATURE_MESSAGES[code];
  if (feature) return feature.hint;
  switch (code) {
    case "DUPLICATE_KEY":
      return "remove or rename one of the two entries";
    case "BAD_INDENT":
    case "MISSING_CHAR":
    case "UNEXPECTED_TOKEN":
      return "check the indentation and the brackets/quotes on this line";
    default:
      return "fix the YAML syntax here (a linter such as the YAML extension of your editor shows it live)";
  }
}

/** The entry of a map by key. */
export function entry(map: SpecMap, key: string): SpecEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** The plain JavaScript value of a node (positions dropped). */
export function plain(node: SpecNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(plain);
    case "map":
      return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
  }
}
