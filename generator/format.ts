import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { contentHash, type GeneratedFile } from "./emit/generated-file.js";
import { formatJson } from "./format-json.js";
import { batchBlocks, planMarkdown, splitBatch, type MarkdownPlan } from "./format-markdown.js";
import { formatJobs, type FormatJob } from "./format-pool.js";
import { packageVersion, repositoryFile } from "./project.js";

/** The format of record: this file, at the repository root (found upwards from the generator's own folder). */
export const PRETTIER_CONFIG_NAME = ".prettierrc.json";

/** The repository's prettier options, as `.prettierrc.json` states them. */
export interface PrettierConfig {
  printWidth: number;
  [option: string]: unknown;
}

/**
 * Options that format-json.ts and format-markdown.ts print by. With any other option set, JSON and
 * Markdown go to prettier too, so that the output is always what prettier makes of it.
 */
const OWN_PRINTER_OPTIONS = new Set(["$schema", "printWidth"]);

let config: { path: string; options: PrettierConfig } | undefined;

/** Reads `.prettierrc.json` at the repository root, as prettier would find it; once per process. */
export function prettierConfig(): { path: string; options: PrettierConfig } {
  if (config) return config;
  const file = repositoryFile(PRETTIER_CONFIG_NAME);
  const options = JSON.parse(readFileSync(file, "utf8")) as Partial<PrettierConfig>;
  if (typeof options.printWidth !== "number" || "overrides" in options) {
    throw new Error(`${file}: the format of record must set "printWidth" and have no "overrides" (every generated file is formatted alike)`);
  }
  delete options.$schema;
  config = { path: file, options: options as PrettierConfig };
  return config;
}

/** Files prettier's CLI formats with `json-stringify` (as JSON.stringify prints), not `json`. */
const JSON_STRINGIFY_FILES = new Set(["package.json", "package-lock.json", "composer.json"]);

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
 * Formats every file as `npx prettier --write` does with the repository's `.prettierrc.json`. A
 * file whose unformatted text is unchanged since the last run, and whose formatted copy is still
 * on disk, is not formatted again: its disk copy is reused. TypeScript goes to prettier (in worker
 * threads when there is enough of it: format-pool.ts). JSON and Markdown give prettier's output
 * without its printers, which spend most of a cold run on them: format-json.ts prints JSON,
 * format-markdown.ts aligns the docs' tables and sends their TypeScript examples to prettier in one
 * batch. test/generator/prettier-output.test.ts holds every generated file to prettier's output.
 */
export async function formatFiles(
  files: readonly GeneratedFile[],
  existing: ReadonlyMap<string, string>,
  cacheFile: string | undefined,
): Promise<{ files: GeneratedFile[]; formatted: number; reused: number }> {
  const cache = cacheFile ? await readJson<FormatCache>(cacheFile) : {};
  const { options } = prettierConfig();
  const { printWidth } = options;
  const ownPrinters = Object.keys(options).every((option) => OWN_PRINTER_OPTIONS.has(option));
  // The path is part of the key: prettier formats by it (the parser of package.json, JSX or not).
  const cacheKey = (file: GeneratedFile) => hash(`${PRETTIER_VERSION}\0${file.path}\0${file.parser}\0${JSON.stringify(options)}\0${contentHash(file)}`);
  const prettierJob = (file: GeneratedFile, parser: string): FormatJob => ({ content: file.content, parser, printWidth, options, filepath: file.path });
  const out = [...files];
  const jobs: FormatJob[] = [];
  const tasks: Task[] = [];
  const markdown: { index: number; key: string; plan: MarkdownPlan; first: number }[] = [];
  const markdownBlocks: string[] = [];
  let reused = 0;

  for (const [index, file] of files.entries()) {
    if (!file.parser) continue;
    if (file.final && ownPrinters && file.parser === "typescript") continue;
    const key = cacheKey(file);
    const onDisk = existing.get(file.path);
    const cached = cache[file.path];
    if (cached && cached.input === key && onDisk !== undefined && hash(onDisk) === cached.output) {
      reused++;
      out[index] = { ...file, content: onDisk };
      continue;
    }
    const parser = file.parser === "json" && JSON_STRINGIFY_FILES.has(path.posix.basename(file.path)) ? "json-stringify" : file.parser;
    if (parser === "json-stringify" && ownPrinters) {
      tasks.push({ index, key, jobs: [], finish: () => `${JSON.stringify(JSON.parse(file.content), null, 2)}\n` });
    } else if (parser === "json" && ownPrinters) {
      tasks.push({ index, key, jobs: [], finish: () => formatJson(file.content, printWidth) });
    } else if (parser === "markdown" && ownPrinters && file.final) {
      // Its code is printed already: only its tables and blank lines are left to do.
      const plan = planMarkdown(file.content, printWidth);
      tasks.push({ index, key, jobs: [], finish: () => plan.assemble(plan.blocks) });
    } else if (parser === "markdown" && ownPrinters) {
      // The page's TypeScript examples join one batch for every page.
      const plan = planMarkdown(file.content, printWidth);
      markdown.push({ index, key, plan, first: markdownBlocks.length });
      markdownBlocks.push(...plan.blocks);
    } else {
      jobs.push(prettierJob(file, parser));
      tasks.push({ index, key, jobs: [jobs.length - 1], finish: ([content]) => content! });
    }
  }

  if (markdown.length > 0) {
    // Inside the batch's `{ }` blocks code sits 2 columns in: 2 more columns break lines alike.
    const batch = markdownBlocks.length ? jobs.push({ content: batchBlocks(markdownBlocks), parser: "typescript", printWidth: printWidth + 2, options }) - 1 : undefined;
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
