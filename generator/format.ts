import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { GeneratedFile } from "./emit/generated-file.js";

/** Prettier options for every generated file; part of the cache key. */
const PRETTIER_OPTIONS = { printWidth: 100 } as const;

/** Formatting results remembered between runs: path -> hashes of what went in and came out. */
type FormatCache = Record<string, { input: string; output: string }>;

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Formats every file with prettier. A file whose unformatted text is unchanged since the last run,
 * and whose formatted copy is still on disk, is not formatted again: its disk copy is reused.
 */
export async function formatFiles(
  files: readonly GeneratedFile[],
  existing: ReadonlyMap<string, string>,
  cacheFile: string | undefined,
): Promise<{ files: GeneratedFile[]; formatted: number; reused: number }> {
  const cache = cacheFile ? await readCache(cacheFile) : {};
  const cacheKey = (file: GeneratedFile) => hash(`${file.parser}\0${JSON.stringify(PRETTIER_OPTIONS)}\0${file.content}`);
  let prettier: typeof import("prettier") | undefined;
  let formatted = 0;
  let reused = 0;
  const out = await Promise.all(
    files.map(async (file) => {
      if (!file.parser) return file;
      const key = cacheKey(file);
      const onDisk = existing.get(file.path);
      const cached = cache[file.path];
      if (cached && cached.input === key && onDisk !== undefined && hash(onDisk) === cached.output) {
        reused++;
        return { ...file, content: onDisk };
      }
      prettier ??= await import("prettier");
      const content = await prettier.format(file.content, { ...PRETTIER_OPTIONS, parser: file.parser });
      cache[file.path] = { input: key, output: hash(content) };
      formatted++;
      return { ...file, content };
    }),
  );
  if (cacheFile && formatted > 0) {
    const live = new Set(files.map((f) => f.path));
    for (const key of Object.keys(cache)) if (!live.has(key)) delete cache[key];
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, JSON.stringify(cache));
  }
  return { files: out, formatted, reused };
}

async function readCache(file: string): Promise<FormatCache> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as FormatCache;
  } catch {
    return {};
  }
}
