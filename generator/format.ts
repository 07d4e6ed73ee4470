import { readFileSync } from "node:fs";
import path from "node:path";
import type { GeneratedFile } from "./emit/generated-file.js";
import { formatJson } from "./format-json.js";
import { batchBlocks, planMarkdown, splitBatch, type MarkdownPlan } from "./format-markdown.js";
import { formatJobs, type FormatJob } from "./format-pool.js";
import { repositoryFile } from "./project.js";

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
export const JSON_STRINGIFY_FILES = new Set(["package.json", "package-lock.json", "composer.json"]);

/** A file waiting for prettier: the jobs it needs and how to make its text from their outputs. */
interface Task {
  index: number;
  jobs: number[];
  finish(outputs: readonly string[]): string;
}

/**
 * Formats every file as `npx prettier --write` does with the repository's `.prettierrc.json`.
 * Most files come out of the emitters in their final form (print/) and are left as they are.
 * JSON and Markdown give prettier's output without its printers: format-json.ts prints JSON,
 * format-markdown.ts aligns the docs' tables (and sends TypeScript blocks not printed final to
 * prettier in one batch). What remains, a module print/ was unsure of, goes to prettier. With
 * prettier options print/ does not follow, every file goes to prettier.
 * test/generator/prettier-output.test.ts holds every generated file to prettier's output.
 */
export async function formatFiles(files: readonly GeneratedFile[]): Promise<{ files: GeneratedFile[]; formatted: number }> {
  const { options } = prettierConfig();
  const { printWidth } = options;
  const ownPrinters = Object.keys(options).every((option) => OWN_PRINTER_OPTIONS.has(option));
  const prettierJob = (file: GeneratedFile, parser: string): FormatJob => ({ content: file.content, parser, printWidth, options, filepath: file.path });
  const out = [...files];
  const jobs: FormatJob[] = [];
  const tasks: Task[] = [];
  const markdown: { index: number; plan: MarkdownPlan; first: number }[] = [];
  const markdownBlocks: string[] = [];

  for (const [index, file] of files.entries()) {
    if (!file.parser) continue;
    if (file.final && ownPrinters && file.parser !== "markdown") continue;
    const parser = file.parser === "json" && JSON_STRINGIFY_FILES.has(path.posix.basename(file.path)) ? "json-stringify" : file.parser;
    if (parser === "json-stringify" && ownPrinters) {
      tasks.push({ index, jobs: [], finish: () => `${JSON.stringify(JSON.parse(file.content), null, 2)}\n` });
    } else if (parser === "json" && ownPrinters) {
      tasks.push({ index, jobs: [], finish: () => formatJson(file.content, printWidth) });
    } else if (parser === "markdown" && ownPrinters && file.final) {
      // Its code is printed already: only its tables and blank lines are left to do.
      const plan = planMarkdown(file.content, printWidth);
      tasks.push({ index, jobs: [], finish: () => plan.assemble(plan.blocks) });
    } else if (parser === "markdown" && ownPrinters) {
      // The page's TypeScript examples join one batch for every page.
      const plan = planMarkdown(file.content, printWidth);
      markdown.push({ index, plan, first: markdownBlocks.length });
      markdownBlocks.push(...plan.blocks);
    } else {
      jobs.push(prettierJob(file, parser));
      tasks.push({ index, jobs: [jobs.length - 1], finish: ([content]) => content! });
    }
  }

  if (markdown.length > 0) {
    // Inside the batch's `{ }` blocks code sits 2 columns in: 2 more columns break lines alike.
    const batch = markdownBlocks.length ? jobs.push({ content: batchBlocks(markdownBlocks), parser: "typescript", printWidth: printWidth + 2, options }) - 1 : undefined;
    let formattedBlocks: string[] | undefined;
    for (const page of markdown) {
      tasks.push({
        index: page.index,
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
    out[task.index] = { ...file, content: task.finish(task.jobs.map((job) => outputs[job]!)) };
  }
  return { files: out, formatted: jobs.length };
}
