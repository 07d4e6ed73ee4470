import type { LoadedSpec } from "../load.js";
import type { ApiModel } from "../model.js";
import type { ReleasePlan } from "../release.js";
import type { GeneratedFile } from "./generated-file.js";
import type { Templates } from "./templates.js";

/** What every emitter is given besides the model. */
export interface EmitContext {
  /** The compiled handlebars templates (templates/). */
  templates: Templates;
  /** Folder of the templates and the hand-written runtime. */
  templatesDir: string;
  /** Where caches live; none when the run trusts no cache (`--check`). */
  cacheFile: string | undefined;
  /** The specs as loaded, for the surface manifest. */
  specs: readonly LoadedSpec[];
  /** The output folder as it is on disk, path -> content. */
  existing: ReadonlyMap<string, string>;
  /** The files of the emitters registered before this one, in registry order. */
  emitted: readonly GeneratedFile[];
  /** The registry this run loops over: what the package files are derived from. */
  emitters: readonly Emitter[];
  /** The version and changelog entry, once the release emitter has run. */
  release?: ReleasePlan;
}

/**
 * One output of the generator: the files it emits from the model, and what it adds to the
 * package. A new output is a module exporting one of these and one line in registry.ts.
 */
export interface Emitter {
  /** The stage's name in `--timings`, e.g. `emit types`. */
  name: string;
  emit(model: ApiModel, context: EmitContext): GeneratedFile[] | Promise<GeneratedFile[]>;
  /**
   * Names the package index exports besides what specs generate: a generated type, enum or
   * resource info export may not take one. A function, so that nothing is read before it is asked.
   */
  exports?: () => readonly string[];
  /** Modules (from src/, e.g. `./extra/index.js`) the package index re-exports whole, after the spec-generated ones. */
  indexModules?: readonly string[];
  /** Subpath exports of the package, `subpath -> module` under dist/<format>/ (e.g. `testing -> testing/index`). */
  packageExports?: Readonly<Record<string, string>>;
  /** Files at the package root that npm must publish (package.json `files`). */
  packageFiles?: readonly string[];
}
