import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { GeneratedFile } from "./emit/generated-file.js";
import { CHUNKED_JSON_MIN_CHARS, planJson } from "./format-json.js";
import { formatJobs, type FormatJob } from "./format-pool.js";
import { packageVersion } from "./run-memo.js";

/** Prettier options for every generated file; part of the cache key. */
const PRETTIER_OPTIONS = { printWidth: 100 } as const;

/** Part of every cache key: another prettier may format differently. */
const PRETTIER_VERSION = packageVersion("prettier");

/** Formatting results remembered between runs: path -> hashes of what went in and came out. */
type FormatCache = Record<string, { input: string; output: string }>;

/** Formatted pieces of large JSON files: hash of (print width, piece text) -> formatted text. */
type PieceCache = Record<string, string>;

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/** Where the pieces of large JSON files are remembered, beside the format cache. */
export function pieceCacheFile(cacheFile: string): string {
  return `${cacheFile.replace(/\.json$/, "")}.pieces.json`;
}

/** A file to format: the prettier jobs it needs and how to make its text from their outputs. */
interface Task {
  index: number;
  key: string;
  jobs: number[];
  finish(outputs: readonly string[]): string;
}

/**
 * Formats every file with prettier. A file whose unformatted text is unchanged since the last run,
 * and whose formatted copy is still on disk, is not formatted again: its disk copy is reused.
 * Large JSON files are formatted in pieces, each remembered, so a change re-formats only its
 * pieces (see format-json.ts). What is left to format goes to prettier in worker threads when
 * there is enough of it (see format-pool.ts).
 */
export async function formatFiles(
  files: readonly GeneratedFile[],
  existing: ReadonlyMap<string, string>,
  cacheFile: string | undefined,
): Promise<{ files: GeneratedFile[]; formatted: number; reused: number }> {
  const cache = cacheFile ? await readJson<FormatCache>(cacheFile) : {};
  const cacheKey = (file: GeneratedFile) => hash(`${PRETTIER_VERSION}\0${file.parser}\0${JSON.stringify(PRETTIER_OPTIONS)}\0${file.content}`);
  const out = [...files];
  const jobs: FormatJob[] = [];
  const tasks: Task[] = [];
  let pieces: PieceCache | undefined;
  const piecesUsed = new Set<string>();
  let piecesAdded = 0;
  let reused = 0;

  for (const [index, file] of files.entries()) {
    if (!file.parser) continue;
    const key = cacheKey(file);
    const onDisk = existing.get(file.path);
    const cached = cache[file.path];
    if (cached && cached.input === key && onDisk !== undefined && hash(onDisk) === cached.output) {
      reused++;
      out[index] = { ...file, content: onDisk };
      continue;
    }
    const plan = file.parser === "json" && file.content.length >= CHUNKED_JSON_MIN_CHARS ? planJson(file.content, PRETTIER_OPTIONS.printWidth) : undefined;
    if (!plan) {
      jobs.push({ content: file.content, parser: file.parser, printWidth: PRETTIER_OPTIONS.printWidth });
      tasks.push({ index, key, jobs: [jobs.length - 1], finish: ([content]) => content! });
      continue;
    }
    pieces ??= cacheFile ? await readJson<PieceCache>(pieceCacheFile(cacheFile)) : {};
    const known = pieces;
    // Each piece is either remembered (a string) or waits for a prettier job (its number).
    const waiting: { job: number; pieceKey: string; position: number }[] = [];
    const slots = plan.pieces.map((piece) => {
      const pieceKey = hash(`${PRETTIER_VERSION}\0${piece.printWidth}\0${piece.text}`);
      piecesUsed.add(pieceKey);
      const remembered = known[pieceKey];
      if (remembered !== undefined) return remembered;
      jobs.push({ content: piece.text, parser: "json", printWidth: piece.printWidth });
      const slot = { job: jobs.length - 1, pieceKey, position: waiting.length };
      waiting.push(slot);
      return slot;
    });
    tasks.push({
      index,
      key,
      jobs: waiting.map((s) => s.job),
      finish: (outputs) => {
        const texts = slots.map((slot) => {
          if (typeof slot === "string") return slot;
          const text = outputs[slot.position]!;
          known[slot.pieceKey] = text;
          piecesAdded++;
          return text;
        });
        return plan.assemble(texts);
      },
    });
  }

  const outputs = await formatJobs(jobs);
  for (const task of tasks) {
    const file = files[task.index]!;
    const content = task.finish(task.jobs.map((job) => outputs[job]!));
    cache[file.path] = { input: task.key, output: hash(content) };
    out[task.index] = { ...file, content };
  }

  if (cacheFile && tasks.length > 0) {
    const live = new Set(files.map((f) => f.path));
    for (const key of Object.keys(cache)) if (!live.has(key)) delete cache[key];
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, JSON.stringify(cache));
    if (pieces && (piecesAdded > 0 || Object.keys(pieces).length !== piecesUsed.size)) {
      const kept = Object.fromEntries(Object.entries(pieces).filter(([key]) => piecesUsed.has(key)));
      await writeFile(pieceCacheFile(cacheFile), JSON.stringify(kept));
    }
  }
  return { files: out, formatted: tasks.length, reused };
}

async function readJson<T extends object>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return {} as T;
  }
}
