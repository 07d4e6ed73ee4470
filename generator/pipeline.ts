import path from "node:path";
import { SpecError, type Diagnostic } from "./diagnostics.js";
import type { EmitContext, Emitter } from "./emit/emitter.js";
import type { GeneratedFile } from "./emit/generated-file.js";
import { EMITTERS, reservedExports } from "./emit/registry.js";
import { loadTemplates } from "./emit/templates.js";
import { formatFiles } from "./format.js";
import { buildModel, type ApiModel } from "./model.js";
import type { ReleasePlan } from "./release.js";
import { openRunMemo } from "./run-memo.js";
import { loadSpecsCached } from "./spec-cache.js";
import { validateSpecs } from "./validate.js";
import { applyOutput, diffOutput, readOutput, type OutputChanges } from "./write.js";

export interface GenerateOptions {
  /** Folder of the YAML specs. */
  specsDir: string;
  /** Folder of the handlebars templates and the hand-written runtime. */
  templatesDir: string;
  /** The package folder to write, `generated/`. */
  outDir: string;
  /** Compare only: write nothing, report what is stale. */
  check?: boolean;
  /** Folder where results are remembered between runs; none disables the cache. */
  cacheDir?: string;
}

export interface GenerateReport {
  model: ApiModel;
  /** The version and changelog entry this run writes (see release.ts). */
  release: ReleasePlan;
  changes: OutputChanges;
  /** Milliseconds per pipeline stage, in order. */
  timings: Record<string, number>;
  formatted: number;
  reused: number;
}

/** Runs a stage and records how long it took. */
async function timed<T>(timings: Record<string, number>, stage: string, run: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    timings[stage] = Math.round((performance.now() - start) * 10) / 10;
  }
}

/**
 * specs -> load -> validate -> model -> emit -> format -> write. Everything is computed in memory
 * first: a spec error throws SpecError before anything in the output folder is touched. The emit
 * stage runs each emitter of the registry (emit/registry.ts) in order, timed under its name.
 */
export async function generate(options: GenerateOptions, emitters: readonly Emitter[] = EMITTERS): Promise<GenerateReport> {
  const timings: Record<string, number> = {};
  const diagnostics: Diagnostic[] = [];
  // --check trusts no cache: CI compares generated/ with a full generation.
  const cacheFile = options.check || !options.cacheDir ? undefined : path.join(options.cacheDir, "format.json");
  // Same inputs and outputs as the last run, which changed nothing: it is that no-op again.
  const memo = await timed(timings, "up-to-date check", () => openRunMemo(options));
  if (memo?.recalled) return { ...memo.recalled, timings };
  const specs = await timed(timings, "load", () => loadSpecsCached(options.specsDir, diagnostics, cacheFile));
  await timed(timings, "validate", () => validateSpecs(specs, diagnostics, reservedExports(emitters)));
  if (diagnostics.length > 0) throw new SpecError(diagnostics);
  const model = await timed(timings, "model", () => buildModel(specs));

  const templates = await timed(timings, "templates", () => loadTemplates(options.templatesDir));
  const existing = await timed(timings, "read output", () => readOutput(options.outDir));
  const emitted: GeneratedFile[] = [];
  const context: EmitContext = { templates, templatesDir: options.templatesDir, cacheFile, specs, existing, emitted, emitters };
  for (const emitter of emitters) emitted.push(...(await timed(timings, emitter.name, () => emitter.emit(model, context))));
  const { release } = context;
  if (!release) throw new Error("the emitter registry has no release emitter");
  emitted.sort((a, b) => a.path.localeCompare(b.path));

  const { files, formatted, reused } = await timed(timings, "format", () =>
    formatFiles(emitted, existing, cacheFile),
  );
  const changes = diffOutput(files, existing);
  if (!options.check) await timed(timings, "write", () => applyOutput(options.outDir, files, changes));
  const report = { model, release, changes, timings, formatted, reused };
  await timed(timings, "remember", () => memo?.remember(report));
  return report;
}

/** The project's default folders, relative to a root. */
export function defaultOptions(root: string): GenerateOptions {
  return {
    specsDir: path.join(root, "specs"),
    templatesDir: path.join(root, "templates"),
    outDir: path.join(root, "generated"),
    cacheDir: path.join(root, "node_modules", ".cache", "nexudus-codegen"),
  };
}
