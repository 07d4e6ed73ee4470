import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from "yaml";
import type { Diagnostic } from "./diagnostics.js";

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
}

/** The file holding base fields and shared enums. */
export const COMMON_SPEC = "common.yaml";

/** Every `*.yaml` / `*.yml` under the specs folder, in a stable order. */
export async function listSpecFiles(specsDir: string): Promise<string[]> {
  const entries = await readdir(specsDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.relative(specsDir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** Reads and parses every spec; YAML syntax errors become diagnostics, never exceptions. */
export async function loadSpecs(
  specsDir: string,
  diagnostics: Diagnostic[],
): Promise<LoadedSpec[]> {
  const names = await listSpecFiles(specsDir);
  return Promise.all(
    names.map(async (name) => {
      const absolute = path.join(specsDir, name);
      const text = await readFile(absolute, "utf8");
      return parseSpec(name, displayPath(absolute), text, diagnostics);
    }),
  );
}

export function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return (relative.startsWith("..") ? absolute : relative).split(path.sep).join("/");
}

/** Parses one spec text, keeping line and column for every value. */
export function parseSpec(
  name: string,
  file: string,
  text: string,
  diagnostics: Diagnostic[],
): LoadedSpec {
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

function yamlMessage(code: string, message: string): string {
  const firstLine = message.split("\n")[0] ?? message;
  if (code === "DUPLICATE_KEY") return "duplicate key: this name is already defined above in the same map";
  return `YAML syntax error: ${firstLine.replace(/ at line \d+, column \d+:?$/, "")}`;
}

function yamlHint(code: string): string {
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
