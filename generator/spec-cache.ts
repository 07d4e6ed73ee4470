import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "./diagnostics.js";
import { displayPath, listSpecFiles, loadSpecs, parseSpec, type LoadedSpec, type SpecNode, type SpecScalar } from "./load.js";
import { codeFingerprint } from "./run-memo.js";

/**
 * The load stage with parsed specs remembered by their text. YAML parsing with positions costs
 * ~0.6 s for 215 specs; reading the same trees back as JSON ~0.06 s. Only specs that parsed
 * cleanly are remembered, so YAML errors are always reported afresh. The file path shown in
 * messages is not stored (it depends on the working directory): it is put back on every node.
 */

/** A node as stored: without its file. */
type StoredNode =
  | { kind: "map"; line: number; column: number; entries: { key: string; keyNode: StoredNode; value: StoredNode }[] }
  | { kind: "seq"; line: number; column: number; items: StoredNode[] }
  | { kind: "scalar"; line: number; column: number; value: string | number | boolean | null };

/** sha256 of (generator code, spec name, text) -> the parsed tree. */
type SpecCache = Record<string, StoredNode>;

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/** Where parsed specs are remembered, beside the format cache. */
export function specCacheFile(cacheFile: string): string {
  return `${cacheFile.replace(/\.json$/, "")}.specs.json`;
}

/** The tree without file names; undefined when JSON would not keep it exactly (NaN, Infinity). */
function store(node: SpecNode): StoredNode | undefined {
  switch (node.kind) {
    case "scalar":
      return typeof node.value === "number" && !Number.isFinite(node.value) ? undefined : { kind: "scalar", line: node.line, column: node.column, value: node.value };
    case "seq": {
      const items = node.items.map(store);
      return items.every((i) => i !== undefined) ? { kind: "seq", line: node.line, column: node.column, items: items as StoredNode[] } : undefined;
    }
    case "map": {
      const entries = node.entries.map((e) => ({ key: e.key, keyNode: store(e.keyNode), value: store(e.value) }));
      return entries.every((e) => e.keyNode && e.value) ? { kind: "map", line: node.line, column: node.column, entries: entries as { key: string; keyNode: StoredNode; value: StoredNode }[] } : undefined;
    }
  }
}

function restore(node: StoredNode, file: string): SpecNode {
  switch (node.kind) {
    case "scalar":
      return { kind: "scalar", file, line: node.line, column: node.column, value: node.value };
    case "seq":
      return { kind: "seq", file, line: node.line, column: node.column, items: node.items.map((i) => restore(i, file)) };
    case "map":
      return {
        kind: "map",
        file,
        line: node.line,
        column: node.column,
        entries: node.entries.map((e) => ({ key: e.key, keyNode: restore(e.keyNode, file) as SpecScalar, value: restore(e.value, file) })),
      };
  }
}

/** Like loadSpecs; with a cache file, a spec whose text is unchanged is not parsed again. */
export async function loadSpecsCached(specsDir: string, diagnostics: Diagnostic[], cacheFile: string | undefined): Promise<LoadedSpec[]> {
  if (!cacheFile) return loadSpecs(specsDir, diagnostics);
  const file = specCacheFile(cacheFile);
  let cache: SpecCache;
  try {
    cache = JSON.parse(await readFile(file, "utf8")) as SpecCache;
  } catch {
    cache = {};
  }
  // The loader's code is part of the key: a changed loader may build other trees.
  const code = await codeFingerprint();
  const used = new Set<string>();
  let added = 0;
  const specs = await Promise.all(
    (await listSpecFiles(specsDir)).map(async (name) => {
      const absolute = path.join(specsDir, name);
      const text = await readFile(absolute, "utf8");
      const shown = displayPath(absolute);
      const key = hash(`${code}\0${name}\0${text}`);
      const stored = cache[key];
      if (stored) {
        used.add(key);
        return { name, file: shown, text, root: restore(stored, shown) };
      }
      const spec = parseSpec(name, shown, text, diagnostics);
      const storable = spec.root && store(spec.root);
      if (storable) {
        cache[key] = storable;
        used.add(key);
        added++;
      }
      return spec;
    }),
  );
  if (added > 0 || Object.keys(cache).length !== used.size) {
    const kept = Object.fromEntries(Object.entries(cache).filter(([key]) => used.has(key)));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(kept));
  }
  return specs;
}
