import type { CacheSection } from "../cache.js";
import type { LoadedSpec } from "../load.js";
import type { ApiModel, EntityModel } from "../model.js";
import type { ReleasePlan } from "../release.js";
import type { Session } from "../session.js";
import type { OutputFolder, ProducedFile } from "../write.js";
import type { GeneratedFile } from "./generated-file.js";
import type { Templates } from "./templates.js";

/** What every emitter is given besides the model. */
export interface EmitContext {
  /** The compiled handlebars templates (templates/). */
  templates: Templates;
  /** Folder of the templates and the hand-written runtime. */
  templatesDir: string;
  /** The specs as loaded, for the surface manifest. */
  specs: readonly LoadedSpec[];
  /** The output folder as the run found it. */
  folder: OutputFolder;
  /** The files produced so far: every entity's, then those of the emitters before this one. */
  produced: readonly ProducedFile[];
  /** The registry this run loops over: what the package files are derived from. */
  emitters: readonly Emitter[];
  /**
   * What an emitter remembers between runs (the cache's `memos` section), by a key of its own:
   * what the next run needs to print less. Empty under `--check`.
   */
  memos: CacheSection<unknown>;
  /** What a watching process keeps between runs (session.ts); none in a single run. */
  session?: Session;
  /** The version and changelog entry, once the release emitter has run. */
  release?: ReleasePlan;
}

/** What of the whole model an entity's files may print from: the enums (a docs page shows the values of those it uses). */
export type EntityScope = Pick<ApiModel, "enums">;

/** What an `entity` hook is given besides the entity: the templates, nothing that differs between runs or threads. */
export type EntityContext = Pick<EmitContext, "templates" | "templatesDir">;

/**
 * One output of the generator, as a plugin over the model: the files it prints for one entity,
 * the files it prints from the whole model, and what it adds to the package. A new output is a
 * module exporting one of these and one line in registry.ts.
 *
 * `entity` must print from the entity alone (and the enums it uses): the pipeline remembers an
 * entity's files by that content and prints them again only when it changes; its parameters give
 * it nothing else to read. `emit` runs after every entity, in registry order; with a `view`, only
 * when the view changed (or a file it printed is no longer as it was left).
 */
export interface Emitter<View = unknown> {
  /** The stage's name in `--timings`, e.g. `emit types`. */
  name: string;
  entity?(entity: EntityModel, scope: EntityScope, context: EntityContext): GeneratedFile[];
  /**
   * Everything `emit` prints from, as plain data (JSON), when that is less than the whole model:
   * the README's view holds no description, so a description edit does not print it again. What
   * it takes of each entity it takes through `entityPart` (model.ts): an unchanged entity then
   * gives it from its summary, and its model is not read.
   */
  view?(model: ApiModel, context: EmitContext): View;
  emit?(model: ApiModel, context: EmitContext, view: View): GeneratedFile[] | Promise<GeneratedFile[]>;
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
  /**
   * Folders of src/ that run on Node only (e.g. `testing`, the test server): each is type-checked as a project of
   * its own, with Node's types, so that the rest of the package, which runs in browsers too, cannot use a Node API.
   */
  nodeOnlyFolders?: readonly string[];
}
