import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { contentHash, type GeneratedFile } from "./emit/generated-file.js";
import { formatJson } from "./format-json.js";
import { batchBlocks, planMarkdown, splitBatch, type MarkdownPlan } from "./format-markdown.js";
import { formatJobs, type FormatJob } from "./format-pool.js";
import { packageVersion } from "./run-memo.js";

/** Prettier options for every generated file; part of the cache key. */
const PRETTIER_OPTIONS = { printWidth: 100 } as const;

/** Part of every cache key: another prettier may format differently. */
const PRETTIER_VERSION = packageVersion("prettier");

/** Formatting results remembered between runs: path -> hashes of what went in and came out. */
type FormatCache = Record<string, { input: string; output: string }>;

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/** A file waiting for prettier: the jobs it needs and how to make its text from their outputs. */
interface Task {
  index: number;
  key: string;
  jobs: number[];
  finish(outputs: readonly string[]): string;
}

/**
 * Formats every file as prettier does. A file whose unformatted text is unchanged since the last
 * run, and whose formatted copy is still on disk, is not formatted again: its disk copy is reused.
 * TypeScript goes to prettier (in worker threads when there is enough of it: format-pool.ts).
 * JSON and Markdown give prettier's output without its printers, which spend most of a cold run
 * on them: format-json.ts prints JSON, format-markdown.ts aligns the docs' tables and sends their
 * TypeScript examples to prettier in one batch. Tests hold both to prettier's output.
 */
export async function formatFiles(
  files: readonly GeneratedFile[],
  existing: ReadonlyMap<string, string>,
  cacheFile: string | undefined,
): Promise<{ files: GeneratedFile[]; formatted: number; reused: number }> {
  const cache = cacheFile ? await readJson<FormatCache>(cacheFile) : {};
  const cacheKey = (file: GeneratedFile) => hash(`${PRETTIER_VERSION}\0${file.parser}\0${JSON.stringify(PRETTIER_OPTIONS)}\0${contentHash(file)}`);
  const out = [...files];
  const jobs: FormatJob[] = [];
  const tasks: Task[] = [];
  const markdown: { index: number; key: string; plan: MarkdownPlan; first: number }[] = [];
  const markdownBlocks: string[] = [];
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
    if (file.parser === "json") {
      tasks.push({ index, key, jobs: [], finish: () => formatJson(file.content, PRETTIER_OPTIONS.printWidth) });
    } else if (file.parser === "markdown") {
      // The page's TypeScript examples join one batch for every page.
      const plan = planMarkdown(file.content, PRETTIER_OPTIONS.printWidth);
      markdown.push({ index, key, plan, first: markdownBlocks.length });
      markdownBlocks.push(...plan.blocks);
    } else {
      jobs.push({ content: file.content, parser: file.parser, printWidth: PRETTIER_OPTIONS.printWidth });
      tasks.push({ index, key, jobs: [jobs.length - 1], finish: ([content]) => content! });
    }
  }

  if (markdown.length > 0) {
    // Inside the batch's `{ }` blocks code sits 2 columns in: 2 more columns break lines alike.
    const batch = markdownBlocks.length ? jobs.push({ content: batchBlocks(markdownBlocks), parser: "typescript", printWidth: PRETTIER_OPTIONS.printWidth + 2 }) - 1 : undefined;
    let formattedBlocks: string[] | undefined;
    for (const page of markdown) {
      tasks.push({
        index: page.index,
        key: page.key,
        jobs: batch === undefined ? [] : [batch],
        finish: ([text]) => {
          formattedBlocks ??= text === undefined ? [] : splitBatch(text, markdownBlocks.length);
          return page.plan.assemble(formattedBlocks.slice(page.first, page.first + page.plan.blocks.length));
        },
      });
    }
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
