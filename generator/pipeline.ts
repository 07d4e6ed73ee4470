import path from "node:path";
import { readFileSync } from "node:fs";
import { Cache, codeFingerprint, hash, statFolder, type CachedPrint, type CachedRun, type SpecPieces, type StoredNode } from "./cache.js";
import { SpecError, type Diagnostic } from "./diagnostics.js";
import type { EmitContext, Emitter } from "./emit/emitter.js";
import type { GeneratedFile } from "./emit/generated-file.js";
import { EMITTERS, reservedExports } from "./emit/registry.js";
import { loadTemplates, TEMPLATE_NAMES, type TemplateMemory, type Templates } from "./emit/templates.js";
import { formatFiles, prettierConfig } from "./format.js";
import { printEntitySection } from "./emit/areas.js";
import { OPENAPI_PATH, printOpenApi } from "./emit/openapi.js";
import { SectionPrinter } from "./emit/sections.js";
import { COMMON_SPEC, entry, loadSpecs, parseSpec, restore, specTextHash, store, type LoadedSpec, type SpecMemory, type SpecNode } from "./load.js";
import { buildModel, changedSummary, entityHash, enumsUsed, valueKey, type ApiModel, type EntityModel, type EntitySummary, type ModelMemory } from "./model.js";
import type { ReleasePlan } from "./release.js";
import type { KnownInput, Session } from "./session.js";
import { prepareSchemaValidators } from "./validate-schema.js";
import { outline, validateSpecs } from "./validate.js";
import { applyOutput, diffOutput, OutputFolder, producedFile, recordOutput, type OutputChanges, type ProducedFile } from "./write.js";

export interface GenerateOptions {
  /** Folder of the YAML specs. */
  specsDir: string;
  /** Folder of the handlebars templates and the hand-written runtime. */
  templatesDir: string;
  /** The package folder to write, `generated/`. */
  outDir: string;
  /** Compare only: write nothing, report what is stale. Trusts no cache. */
  check?: boolean;
  /** Folder where results are remembered between runs (cache.ts); none disables the cache. */
  cacheDir?: string;
  /**
   * Run every stage even when the inputs and the output folder are as the last run left them (no
   * no-op): a watching process starts so, and its session then holds every spec, model and template
   * that a save needs, so the first save regenerates as fast as the next ones.
   */
  full?: boolean;
}

/** What a run tells its caller; a no-op run repeats the summary of the run it repeats. */
export interface RunSummary {
  entities: number;
  warnings: string[];
  version: string;
}

export interface GenerateReport {
  summary: RunSummary;
  /** The model; undefined when the run was a no-op answered from the cache. */
  model: ApiModel | undefined;
  /** The version and changelog entry this run writes (see release.ts). */
  release: ReleasePlan;
  changes: OutputChanges;
  /** Milliseconds per pipeline stage, in order. */
  timings: Record<string, number>;
  /** Entities whose files were printed in this run (the others were remembered unchanged). */
  printed: number;
  /** Entities whose model this run read from the cache or built; the others were known by their summary (model.ts `EntitySummary`) or kept by a session. */
  modelsRead: number;
  /** Files that went to prettier (print/ was unsure of them). */
  formatted: number;
}

/** Runs a stage and adds how long it took to the stage's time. */
async function timed<T>(timings: Record<string, number>, stage: string, run: () => T | Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    timings[stage] = Math.round(((timings[stage] ?? 0) + performance.now() - start) * 10) / 10;
  }
}

/**
 * specs -> load -> validate -> model -> emit (formatting each file as it comes) -> write.
 * Everything is computed in memory first: a spec error throws SpecError before anything in the
 * output folder is touched.
 *
 * One entity at a time: each entity's files (types, resource, docs page...) are printed by the
 * `entity` hook of every emitter, and remembered by the hash of what they are printed from; an
 * entity whose hash and files are unchanged is not printed again. Then every emitter's `emit`
 * prints what comes from the whole model (indexes, README, OpenAPI, release), in registry order.
 * A run whose inputs and output folder are exactly those the last run left is that no-op again.
 * `--check` trusts no cache: it prints everything and reads the whole output folder.
 *
 * With a session (session.ts, `--watch`), what the last run of this process left in memory is
 * used again where its content is the same: the open cache, the input files' hashes, the loaded
 * specs, the compiled templates, the output files' texts. The result is the same bytes as a run
 * without one.
 */
export async function generate(options: GenerateOptions, emitters: readonly Emitter[] = EMITTERS, session?: Session): Promise<GenerateReport> {
  const timings: Record<string, number> = {};
  if (options.check) session = undefined;
  const cache = await timed(timings, "cache", () => (session ? session.startRun(options) : Cache.open(options.check ? undefined : options.cacheDir)));

  // Same inputs, and the output folder as the last run left it: that run's answer, nothing redone.
  // The input files read by the check, kept for the load stage (a session keeps them between runs).
  const known = session?.inputs ?? new Map<string, KnownInput>();
  const inputs = await timed(timings, "up-to-date check", () => fingerprintInputs(options, cache.run, known, session && ((dir) => session.inputStats(dir))));
  const scanned = cache.enabled ? await timed(timings, "up-to-date check", () => OutputFolder.scan(options.outDir, cache.outputs, session)) : undefined;
  if (!options.full && scanned && cache.run?.fingerprint === inputs.fingerprint && scanned.isExactly(cache.outputs.previousKeys())) {
    return noOpReport(cache.run.summary as RunSummary, scanned.present.size, timings);
  }

  const diagnostics: Diagnostic[] = [];
  // What the stages keep of each spec: its tree, and its outline, which stands in for the tree in validation when the text passed its own checks.
  const pieces = cache.enabled ? await timed(timings, "load", () => cache.pieces()) : undefined;
  const trees = pieces && cache.specTrees();
  const specs = await timed(timings, "load", () => loadSpecs(options.specsDir, diagnostics, trees, specMemory(known, inputs.inputs, session)));
  const base = baseFieldsOf(specs);
  const outlines = pieces ? await timed(timings, "load", () => rememberedOutlines(specs, pieces, base)) : new Map<LoadedSpec, SpecNode>();
  // A watching process's first run loads what the checks of a saved spec need, before the first save.
  if (options.full) await timed(timings, "validate", prepareSchemaValidators);
  await timed(timings, "validate", () => validateSpecs(specs.map((spec) => withOutline(spec, outlines)), diagnostics, reservedExports(emitters)));
  if (diagnostics.length > 0) throw new SpecError(diagnostics);
  // Every spec passed: its own checks need not run again on the same text, and its outline stands in for it.
  for (const spec of specs) {
    if (!spec.checked) trees?.check(spec.name, specTextHash(spec));
    spec.checked = true;
  }
  let modelsRead = 0;
  const memory = pieces && modelMemory(pieces, outlines, () => modelsRead++);
  const model = await timed(timings, "model", () => buildModel(specs, memory, session !== undefined));
  if (pieces) await timed(timings, "model", () => rememberOutlines(specs, outlines, pieces, base));

  const folder = scanned ?? (await timed(timings, "read output", () => OutputFolder.read(options.outDir)));
  const templates = await timed(timings, "templates", () => compiledTemplates(options.templatesDir, inputs.templates, session, pieces && templateMemory(pieces)));
  const produced: ProducedFile[] = [];
  const context: EmitContext = { templates, templatesDir: options.templatesDir, specs, folder, produced, emitters, memos: cache.memos, ...(session ? { session } : {}) };
  let formatted = 0;
  const keep = async (files: readonly GeneratedFile[]) => {
    const result = await timed(timings, "format", () => formatFiles(files));
    formatted += result.formatted;
    produced.push(...result.files.map(producedFile));
  };

  /** Files printed from the same `key` before and still on disk as left: produced again without printing. */
  const reuse = (remembered: CachedPrint | undefined, key: string): boolean => {
    if (remembered?.key !== key || !remembered.files.every((file) => folder.isVerified(file))) return false;
    for (const file of remembered.files) produced.push({ path: file, hash: cache.outputs.get(file)!.hash });
    return true;
  };

  // One entity at a time, remembered by content.
  let printed = 0;
  const keys = await timed(timings, "entity keys", () => {
    const enumHashes = new Map(model.enums.map((e) => [e.name, valueKey(e)]));
    return model.entities.map((entity) => entityKey(entity, enumHashes, inputs.templates));
  });
  for (const [index, entity] of model.entities.entries()) {
    const key = keys[index]!;
    if (reuse(cache.entities.get(entity.name), key)) continue;
    printed++;
    const files: GeneratedFile[] = [];
    for (const emitter of emitters) if (emitter.entity) files.push(...(await timed(timings, emitter.name, () => emitter.entity!(entity, model, context))));
    await keep(files);
    cache.entities.set(entity.name, { key, files: files.map((f) => f.path).sort() });
  }
  // Then what comes from the whole model, in registry order: release sees every file before it.
  // An emitter with a view prints again only when its view (or a file it printed) changed.
  for (const emitter of emitters) {
    if (!emitter.emit) continue;
    const view = await timed(timings, emitter.name, () => emitter.view?.(model, context));
    const memo = `view:${emitter.name}`;
    const key = emitter.view ? await timed(timings, "view keys", () => valueKey([inputs.templates, view])) : undefined;
    if (key && reuse(cache.memos.get(memo) as CachedPrint | undefined, key)) continue;
    const files = await timed(timings, emitter.name, () => emitter.emit!(model, context, view));
    await keep(files);
    if (key) cache.memos.set(memo, { key, files: files.map((f) => f.path).sort() } satisfies CachedPrint);
  }
  const { release } = context;
  if (!release) throw new Error("the emitter registry has no release emitter");
  if (pieces) await timed(timings, "model", () => rememberSummaries(model, pieces));
  produced.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const changes = await timed(timings, "compare", () => diffOutput(produced, folder));
  const summary: RunSummary = { entities: model.entities.length, warnings: model.warnings ?? [], version: release.version };
  if (!options.check) {
    // A session deletes what the writes moved aside after its report, before it records the folder.
    let removeAsides: (() => void) | undefined;
    await timed(timings, "write", () => applyOutput(options.outDir, produced, changes, session && ((work) => (removeAsides = work))));
    const remember = async () => {
      removeAsides?.();
      if (!cache.enabled) return;
      await timed(timings, "remember", async () => {
        await recordOutput(options.outDir, produced, cache.outputs, folder, changes);
        // The output is a fixed point of its inputs: run again, the pipeline finds surface.json at
        // the version it wrote and changes nothing. So this run is remembered as the next no-op.
        cache.run = { ...inputs, summary };
        await cache.save();
      });
    };
    // A session saves while its caller reports the run; its next run waits for the save. After its
    // first run, it rehearses what a save runs (see `rehearse`).
    if (session) session.afterRun(options.full ? async () => (await remember(), rehearse(specs, outlines, model, context, release.version)) : remember);
    else await remember();
    if (session) session.rememberOutput(produced);
  }
  // Entities without a memory (--check) are all built.
  if (!memory) modelsRead = model.entities.length;
  return { summary, model, release, changes, timings, printed, modelsRead, formatted };
}

/**
 * What a save runs in a watching process and its first run did not, run once after that run on one
 * unchanged spec, and thrown away: the spec parsed and checked whole, its entity built, its files,
 * its section of its area's module and its sections of openapi.json printed. V8 makes a function fast once it has run: the first saves
 * ran that code cold, each two to three times as slow as a later one (synthetic set: ~110 against
 * ~40 ms). Nothing is written, remembered or kept: the session's specs, entities and enums are those
 * of the run, the entity built is equal to its own (the same spec text), and its files are not
 * compared with anything.
 */
function rehearse(specs: readonly LoadedSpec[], outlines: ReadonlyMap<LoadedSpec, SpecNode>, model: ApiModel, context: EmitContext, version: string): void {
  const entity = model.entities[0];
  if (!entity) return;
  const spec = specs.find((s) => `specs/${s.name}` === entity.specFile);
  const fresh = spec && parseSpec(spec.name, spec.file, spec.text, []);
  if (!fresh?.root) return;
  const { emitters, templates, templatesDir, session } = context;
  validateSpecs(specs.map((s) => (s === spec ? fresh : withOutline(s, outlines))), [], reservedExports(emitters));
  // The other entities are the run's (kept by their spec objects); this one is built again, not read.
  const memory: ModelMemory = { get: () => undefined, set: () => {}, keep: () => {}, outline: (s) => outlines.get(s) };
  const rehearsed = buildModel(specs.map((s) => (s === spec ? fresh : s)), memory);
  const built = rehearsed.entities.find((e) => e.name === entity.name);
  if (!built) return;
  const printWidth = prettierConfig().options.printWidth;
  for (const emitter of emitters) emitter.entity?.(built, rehearsed, { templates, templatesDir });
  printEntitySection(built, printWidth);
  const last = session?.sections.get(OPENAPI_PATH);
  const own = new Set([`paths:${entity.name}`, `schemas:${entity.name}`]);
  const kept = (name: string, key: string) => (own.has(name) || last?.sections.get(name)?.key !== key ? undefined : last.sections.get(name));
  printOpenApi(rehearsed, printWidth, new SectionPrinter({ section: kept }), version);
}

/** The base fields' names (specs/common.yaml), which an outline is made for, and their hash. */
function baseFieldsOf(specs: readonly LoadedSpec[]): { names: string[]; key: string } {
  const root = specs.find((spec) => spec.name === COMMON_SPEC)?.root;
  const node = root?.kind === "map" ? entry(root, "baseFields")?.value : undefined;
  const names = node?.kind === "map" ? node.entries.map((e) => e.key) : [];
  return { names, key: hash(names.join("\0")) };
}

/** Outlines by the spec object they stand in for, with the base fields' hash: a watching process loads an unchanged spec as the same object. */
const restoredOutlines = new WeakMap<LoadedSpec, { base: string; outline: SpecNode }>();

/** The remembered outlines (validate.ts) of the specs whose text passed their own checks: none for common.yaml, which the model reads whole. */
function rememberedOutlines(specs: readonly LoadedSpec[], pieces: SpecPieces, base: { key: string }): Map<LoadedSpec, SpecNode> {
  const outlines = new Map<LoadedSpec, SpecNode>();
  for (const spec of specs) {
    if (!spec.checked || spec.name === COMMON_SPEC) continue;
    let restored = restoredOutlines.get(spec);
    if (restored?.base === base.key) {
      pieces.keep(`outline:${spec.name}`);
    } else {
      const stored = pieces.get(`outline:${spec.name}`, outlineKey(spec, base)) as StoredNode | undefined;
      if (!stored) continue;
      restoredOutlines.set(spec, (restored = { base: base.key, outline: restore(stored, spec.file) }));
    }
    outlines.set(spec, restored.outline);
  }
  return outlines;
}

/** Outlines for the next run, of the specs this run validated whole. */
function rememberOutlines(specs: readonly LoadedSpec[], outlines: ReadonlyMap<LoadedSpec, SpecNode>, pieces: SpecPieces, base: { names: string[]; key: string }): void {
  for (const spec of specs) {
    if (outlines.has(spec) || spec.name === COMMON_SPEC || !spec.root) continue;
    const tree = store(outline(spec.root, base.names));
    if (tree) pieces.set(`outline:${spec.name}`, outlineKey(spec, base), tree);
  }
}

/** What an outline is made from: its spec's text and the base fields' names. */
function outlineKey(spec: LoadedSpec, base: { key: string }): string {
  return hash(`${specTextHash(spec)}\0${base.key}`);
}

/** The spec as validation sees it: its outline in place of its tree when it has one. */
function withOutline(spec: LoadedSpec, outlines: ReadonlyMap<LoadedSpec, SpecNode>): LoadedSpec {
  const root = outlines.get(spec);
  return root ? { name: spec.name, file: spec.file, text: spec.text, checked: true, root } : spec;
}

/** The templates precompiled by earlier runs, remembered in `pieces`. */
function templateMemory(pieces: SpecPieces): TemplateMemory {
  return {
    get: (name, key) => pieces.get(`template:${name}`, key) as string | undefined,
    set: (name, key, code) => pieces.set(`template:${name}`, key, code),
    keep: (name) => void pieces.keep(`template:${name}`),
  };
}

/** The entity models remembered in `pieces`, and the outlines that stand in for trees; `read` is told of every model asked for (then read, or built). */
function modelMemory(pieces: SpecPieces, outlines: ReadonlyMap<LoadedSpec, SpecNode>, read: () => void): ModelMemory {
  return {
    get: (spec, key) => {
      read();
      return pieces.get(`model:${spec}`, key);
    },
    set: (spec, key, model) => pieces.set(`model:${spec}`, key, model),
    keep: (spec) => void pieces.keep(`model:${spec}`),
    outline: (spec) => outlines.get(spec),
    summary: (spec, key) => pieces.get(`summary:${spec}`, key) as EntitySummary | undefined,
  };
}

/** By cache: how many parts the summary this process last remembered of an entity holds (a session keeps unchanged entities). */
const rememberedParts = new WeakMap<SpecPieces, WeakMap<EntityModel, number>>();

/** Every entity's summary for the next run: set again when this process computed a part of it since it last set it, kept otherwise. */
function rememberSummaries(model: ApiModel, pieces: SpecPieces): void {
  let remembered = rememberedParts.get(pieces);
  if (!remembered) rememberedParts.set(pieces, (remembered = new WeakMap()));
  for (const entity of model.entities) {
    const slot = `summary:${entity.specFile.slice("specs/".length)}`;
    const summary = changedSummary(entity);
    const parts = summary && Object.keys(summary.parts).length;
    if (summary && remembered.get(entity) !== parts) {
      pieces.set(slot, entityHash(entity), summary);
      remembered.set(entity, parts!);
    } else {
      pieces.keep(slot);
    }
  }
}

/** The templates compiled, or those a session compiled from the same templates folder. */
async function compiledTemplates(templatesDir: string, key: string, session: Session | undefined, memory: TemplateMemory | undefined): Promise<Templates> {
  if (session?.templates?.key === key) {
    // Compiled in this process: what the cache keeps of them is kept for the next process.
    for (const name of TEMPLATE_NAMES) memory?.keep(name);
    return session.templates.templates;
  }
  // A watching process compiles them at its first run, not at the first save.
  const templates = await loadTemplates(templatesDir, memory, { eager: session !== undefined });
  if (session) session.templates = { key, templates };
  return templates;
}

/**
 * The spec texts (and their hashes) the up-to-date check read, for the load stage, which then reads
 * and hashes no spec twice: a text only when read at the size and mtime the file has now. With a
 * session, also the specs it loaded before.
 */
function specMemory(known: ReadonlyMap<string, KnownInput>, stats: Record<string, [number, number]>, session: Session | undefined): SpecMemory {
  const text = (name: string) => {
    const file = known.get(`specs/${name}`);
    const now = stats[`specs/${name}`];
    return file?.text !== undefined && now && file.size === now[0] && file.mtimeMs === now[1] ? { text: file.text, hash: file.hash } : undefined;
  };
  if (!session) return { text };
  return {
    text,
    // The session statted the specs folder as `listFiles` lists it (session.ts `inputStats`).
    files: () => Object.keys(stats).flatMap((key) => (key.startsWith("specs/") ? [key.slice("specs/".length)] : [])),
    get: (name, textHash) => {
      const loaded = session.specs.get(name);
      return loaded?.hash === textHash ? loaded.spec : undefined;
    },
    set: (spec, textHash) => void session.specs.set(spec.name, { hash: textHash, spec }),
    retainOnly: (names) => {
      for (const name of [...session.specs.keys()]) if (!names.has(name)) session.specs.delete(name);
    },
  };
}

/**
 * What an entity's files are printed from: its model, the enums it uses (the docs page shows their
 * values) and the templates. With the generator's code (the cache's version), that is everything:
 * an entity with the same key prints the same files. `enumHashes`: each enum's hash, by name.
 */
function entityKey(entity: EntityModel, enumHashes: ReadonlyMap<string, string>, templates: string): string {
  const used = enumsUsed(entity).map((name) => enumHashes.get(name) ?? name);
  return hash([templates, entityHash(entity), ...used].join("\0"));
}

/**
 * Hashes of this run's inputs: `templates` of the templates folder (the templates and the runtime
 * copied from it), `fingerprint` of everything (the generator's code, every spec and template, the
 * output folder's place), and the size and mtime of every spec and template file. When those are
 * the ones the last run recorded, its hashes are taken as they are, without reading any file.
 * Otherwise the files read are kept in `known` (spec texts too, for the load stage); a session's
 * `known` files are read again only when their size or mtime moved, and its `stats` stat only the
 * files its watchers saw change.
 */
async function fingerprintInputs(
  options: GenerateOptions,
  last: Pick<CachedRun<unknown>, "fingerprint" | "templates" | "inputs"> | undefined,
  known: Map<string, KnownInput>,
  stats: typeof statFolder = statFolder,
): Promise<Pick<CachedRun<unknown>, "fingerprint" | "templates" | "inputs">> {
  const code = await codeFingerprint();
  const outDir = path.resolve(options.outDir);
  const inputs: Record<string, [number, number]> = { [`out:${outDir}`]: [0, 0], [`code:${code}`]: [0, 0] };
  for (const [label, dir] of [["specs", options.specsDir], ["templates", options.templatesDir]] as const) {
    for (const [name, fileStats] of await stats(dir)) inputs[`${label}/${name}`] = fileStats;
  }
  if (last && sameStats(last.inputs, inputs)) return { fingerprint: last.fingerprint, templates: last.templates, inputs };
  const digest = (files: [string, string][]) => hash(files.map(([name, fileHash]) => `${name}\0${fileHash}`).join("\0"));
  const hashes = async (label: "specs" | "templates", dir: string): Promise<[string, string][]> => {
    const files: [string, string][] = [];
    for (const [key, [size, mtimeMs]] of Object.entries(inputs)) {
      if (!key.startsWith(`${label}/`)) continue;
      let file = known.get(key);
      if (file?.size !== size || file.mtimeMs !== mtimeMs) {
        const text = readFileSync(path.join(dir, key.slice(label.length + 1)));
        file = { size, mtimeMs, hash: hash(text), ...(label === "specs" ? { text: text.toString("utf8") } : {}) };
        known.set(key, file);
      }
      files.push([key.slice(label.length + 1), file.hash]);
    }
    return files;
  };
  const [specs, templates] = [digest(await hashes("specs", options.specsDir)), digest(await hashes("templates", options.templatesDir))];
  for (const key of [...known.keys()]) if (!Object.hasOwn(inputs, key)) known.delete(key);
  return { fingerprint: hash([code, outDir, specs, templates].join("\0")), templates, inputs };
}

function sameStats(a: Record<string, [number, number]>, b: Record<string, [number, number]>): boolean {
  const keys = Object.keys(b);
  return keys.length === Object.keys(a).length && keys.every((key) => a[key]?.[0] === b[key]![0] && a[key]?.[1] === b[key]![1]);
}

function noOpReport(summary: RunSummary, files: number, timings: Record<string, number>): GenerateReport {
  return {
    summary,
    model: undefined,
    release: { previousVersion: summary.version, version: summary.version, level: undefined, changes: [], files: [], apiParsed: 0 },
    changes: { changed: [], removed: [], unchanged: files },
    timings,
    printed: 0,
    modelsRead: 0,
    formatted: 0,
  };
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
