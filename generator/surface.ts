import type { ProducedFile } from "./write.js";
import { specTextHash, type LoadedSpec } from "./load.js";
import type { ApiModel, EntityModel, EnumModel, FieldModel } from "./model.js";
import { diffPublicApi, publicApi, readApiRecords, readModuleRecord, type ApiRecords } from "./public-api.js";
import { parseTypeName, type TypeName } from "./types.js";

/**
 * The public surface of the generated package: every name a consumer's code can rely on, and the
 * type it has. It is what versioning compares: a change here is a minor or a breaking release.
 * Kept in `generated/surface.json` between runs (see `release.ts`).
 */
export interface Surface {
  /** Entities by name. */
  entities: Record<string, EntitySurface>;
  /** Enums by name: value name -> number. */
  enums: Record<string, Record<string, number>>;
  /** Spec path -> short sha256 of its text: a spec edit that leaves the surface alone is a docs change. */
  specs: Record<string, string>;
  /**
   * Generated file -> short sha256 of its text as written: a change of the runtime, a
   * template or the generator changes the package too, so it is a release (a patch) even when no
   * spec changed. The release files themselves (package.json, CHANGELOG.md, surface.json) are left out.
   */
  files: Record<string, string>;
}

/** One entity as consumers see it. */
export interface EntitySurface {
  /** Where the client exposes it, `billing.coworkerTimePasses`. */
  resource: string;
  /** Endpoint, `/api/billing/coworkertimepasses`. */
  path: string;
  /** Supported operations, canonical order. */
  operations: string[];
  /** Field name -> `type [readOnly] [required] [notInListing] [createOnly] [updateOnly]`, e.g. `string? notInListing`. */
  fields: Record<string, string>;
  /** Filter query name -> type. */
  filters: Record<string, string>;
  /** Range filter name (without `from_`/`to_`) -> type. */
  rangeFilters: Record<string, string>;
}

/** A field as the flags of its surface string say. */
interface FieldSurface {
  type: TypeName;
  label: string;
  readOnly: boolean;
  required: boolean;
  /** Present in listing records (the model's `FieldModel.inListing`). */
  inListing: boolean;
  /** Taken by create only: `patch()` does not take it. */
  createOnly: boolean;
  /** Taken by update only: not in the create input. */
  updateOnly: boolean;
}

const FIELD_FLAGS = ["readOnly", "required", "notInListing", "createOnly", "updateOnly"] as const;

/** Older manifests' word for `notInListing`. */
const LEGACY_FLAGS: Record<string, (typeof FIELD_FLAGS)[number]> = { unlisted: "notInListing" };

function fieldSurface(field: FieldModel): string {
  const flags = [field.readOnly && "readOnly", field.required && "required", !field.inListing && "notInListing", field.createOnly && "createOnly", field.updateOnly && "updateOnly"];
  return [field.type.label, ...flags.filter((flag) => flag !== false)].join(" ");
}

function parseField(text: string): FieldSurface {
  const [label = "", ...written] = text.split(" ");
  const flags = written.map((flag) => LEGACY_FLAGS[flag] ?? flag);
  const type = parseTypeName(label);
  const unknown = flags.find((flag) => !(FIELD_FLAGS as readonly string[]).includes(flag));
  if (!type || unknown !== undefined) throw new Error(`surface.json: cannot read the field "${text}"`);
  return {
    type,
    label,
    readOnly: flags.includes("readOnly"),
    required: flags.includes("required"),
    inListing: !flags.includes("notInListing"),
    createOnly: flags.includes("createOnly"),
    updateOnly: flags.includes("updateOnly"),
  };
}

/**
 * Sorted copy of a record, so the manifest's bytes do not depend on spec order. `like`, the same
 * record of the manifest before, gives the order when it has the same keys, sorted (run after run it
 * has): they are not sorted again.
 */
function sortedRecord<T>(entries: [string, T][], like?: object): Record<string, T> {
  const keys = like && Object.keys(like);
  if (keys?.length === entries.length) {
    const byKey = new Map(entries);
    if (byKey.size === keys.length && keys.every((key, index) => byKey.has(key) && (index === 0 || keys[index - 1]! < key))) return Object.fromEntries(keys.map((key) => [key, byKey.get(key)!]));
  }
  return Object.fromEntries(entries.sort(([a], [b]) => byCodePoint(a, b)));
}

function entitySurface(entity: EntityModel): EntitySurface {
  return {
    resource: `${entity.area}.${entity.resourceProperty}`,
    path: entity.path,
    operations: entity.operations.map((op) => op.name),
    fields: sortedRecord(entity.fields.map((f) => [f.name, fieldSurface(f)])),
    filters: sortedRecord(entity.filters.map((f) => [f.name, f.type.label])),
    rangeFilters: sortedRecord(entity.rangeFilters.map((r) => [r.name, r.type.label])),
  };
}

/**
 * The surface of a model; `specs` and the generated `files` give the hashes. With `known`, a surface
 * this generator made before (the manifest on disk, when the cache says this very generator wrote
 * it), an entity whose spec and common.yaml have the hashes `known` records is taken from it as it
 * is, the same object: it is built from nothing else, and the diff passes it over.
 */
export function buildSurface(model: ApiModel, specs: readonly LoadedSpec[], files: readonly ProducedFile[], known?: Surface): Surface {
  // Each spec's text hashed once: a watching process keeps an unchanged spec, and its hash.
  const specHashes = sortedRecord(
    specs.map((s) => [`specs/${s.name}`, specTextHash(s)]),
    known?.specs,
  );
  const sameSpec = (file: string) => known !== undefined && known.specs[file] === specHashes[file];
  const reusable = sameSpec("specs/common.yaml");
  return {
    entities: sortedRecord(
      model.entities.map((e) => [e.name, (reusable && sameSpec(e.specFile) && known!.entities[e.name]) || entitySurface(e)]),
      known?.entities,
    ),
    enums: enumsSurface(model.enums, known?.enums),
    specs: specHashes,
    files: sortedRecord(
      files.map((f) => [f.path, f.hash]),
      known?.files,
    ),
  };
}

/** The enums' surface last made, with the enums it was made of. */
let lastEnums: { enums: readonly EnumModel[]; surface: Surface["enums"] } | undefined;

/**
 * The enums' surface, frozen: the one made last when the enums are the same objects (a watching
 * process keeps enums nothing changed, model.ts), or `known`'s (the manifest before) when the enums
 * hold its very names and values; the diff and the manifest's printing pass over either.
 */
function enumsSurface(enums: readonly EnumModel[], known?: Surface["enums"]): Surface["enums"] {
  if (lastEnums?.enums.length === enums.length && lastEnums.enums.every((e, index) => e === enums[index])) return lastEnums.surface;
  const surface = known && sameEnums(enums, known) ? known : Object.freeze(sortedRecord(enums.map((e) => [e.name, Object.freeze(Object.fromEntries(e.values.map((v) => [v.name, v.value])))])));
  // Kept only of enums that cannot change (model.ts freezes those it builds).
  lastEnums = enums.every((e) => Object.isFrozen(e)) ? { enums: [...enums], surface } : undefined;
  return surface;
}

/** Whether `surface` holds the enums' names and values, in their order (as `enumsSurface` makes it of them). */
function sameEnums(enums: readonly EnumModel[], surface: Surface["enums"]): boolean {
  const names = Object.keys(surface);
  return (
    names.length === enums.length &&
    enums.every((e) => {
      const values = surface[e.name];
      const valueNames = values ? Object.keys(values) : [];
      return valueNames.length === e.values.length && e.values.every((v, index) => valueNames[index] === v.name && values![v.name] === v.value);
    })
  );
}

/*
 * The TypeScript API is not kept in the manifest: the release reads it, from the generated
 * sources on both sides, only when a generated TypeScript file changed in a way the specs do not
 * explain (the file hashes tell which changed):
 *   - an area's module (`src/<area>/index.ts`: its entities' types and resources, the area's class)
 *     is explained when the spec of one of its entities or common.yaml changed, or one of its
 *     entities is new, removed or moved to another area;
 *   - the modules printed from the whole model (WHOLE_MODEL_FILES) are explained when any spec
 *     changed;
 *   - everything else (the runtime, the test server) is never explained.
 * So a first generation and a spec edit parse no TypeScript. A runtime, template or generator
 * change first reads the unexplained files alone: when their records are as they were (a comment
 * or a body changed) there is no API change; otherwise the API of the whole package, both sides,
 * is read and what the model does not explain is classified. Its one limitation: a generator
 * change that alters only modules a spec edit of the same run explains (the whole-model modules,
 * the edited entity's area module) is not classified: its changes are taken for the spec's.
 */

/** The modules printed from the whole model. */
const WHOLE_MODEL_FILES = ["src/index.ts", "src/client.ts", "src/enums.ts", "src/testing/entities.ts", "src/testing/index.ts"];

/** The TypeScript API of both sides of a release, as `readApiRecords` reads it. */
export interface ApiSides {
  before: ApiRecords;
  after: ApiRecords;
}

/** The module of an entity's area, from its surface: `src/billing/index.ts` for `billing.coworkerTimePasses`. */
const areaModule = (entity: EntitySurface): string => `src/${entity.resource.slice(0, entity.resource.indexOf("."))}/index.ts`;

/** The generated TypeScript files that changed from `before` to `after` and that no spec edit explains (see above). */
export function unexplainedChanges(model: ApiModel, before: Surface, after: Surface): string[] {
  const specChanged = (spec: string) => before.specs[spec] !== after.specs[spec];
  const anySpecChanged = [...keysOfBoth(before.specs, after.specs)].some(specChanged);
  const explained = new Set<string>();
  const entities = new Map(model.entities.map((e) => [e.name, e]));
  for (const name of keysOfBoth(before.entities, after.entities)) {
    const [was, is] = [before.entities[name], after.entities[name]];
    const entity = entities.get(name);
    const changed = !was || !is || !entity || specChanged(entity.specFile) || specChanged("specs/common.yaml");
    if (!changed) continue;
    for (const side of [was, is]) if (side) explained.add(areaModule(side));
  }
  if (anySpecChanged) for (const file of WHOLE_MODEL_FILES) explained.add(file);
  // The few files that changed, sorted: not every file.
  const changed = [...keysOfBoth(before.files, after.files)].filter((file) => file.endsWith(".ts") && before.files[file] !== after.files[file] && !explained.has(file));
  return changed.sort(byCodePoint);
}

/** The keys of both records, each once, in no set order. */
function keysOfBoth(a: object, b: object): Set<string> {
  return new Set([...Object.keys(a), ...Object.keys(b)]);
}

/**
 * The API of both sides when some change is unexplained; undefined when the specs explain every
 * change, or when the manifest (from before file hashes were kept) or the output folder cannot say
 * what the package was. `before` is read with `readBefore` (the output folder as the run found
 * it: the files the manifest describes); `after` from the produced files, those remembered from
 * the last run with `readBefore` too. `parsed` counts the files read with the TypeScript parser.
 */
export async function readReleaseApi(
  model: ApiModel,
  before: Surface,
  after: Surface,
  produced: readonly ProducedFile[],
  readBefore: (path: string) => Promise<string | undefined>,
): Promise<{ api: ApiSides | undefined; parsed: number }> {
  const unexplained = Object.keys(before.files).length === 0 ? [] : unexplainedChanges(model, before, after);
  if (unexplained.length === 0) return { api: undefined, parsed: 0 };
  const byPath = new Map(produced.map((f) => [f.path, f]));
  const readAfter = async (file: string) => byPath.get(file)?.file?.content ?? (await readBefore(file));
  // A change that leaves the unexplained files' own records as they were (a comment, a body)
  // changes no API: the rest of the package need not be read.
  let parsed = 0;
  const recordText = async (file: string, read: (path: string) => Promise<string | undefined>) => {
    const text = await read(file);
    if (text === undefined) return undefined;
    parsed++;
    return JSON.stringify(readModuleRecord(file, text));
  };
  const sameRecord = async (file: string) => {
    if (before.files[file] === undefined || after.files[file] === undefined) return false;
    const was = await recordText(file, readBefore);
    return was !== undefined && was === (await recordText(file, readAfter));
  };
  const recordsUnchanged = async () => {
    for (const file of unexplained) if (!(await sameRecord(file))) return false;
    return true;
  };
  if (await recordsUnchanged()) return { api: undefined, parsed };
  const now = await readApiRecords(byPath.keys(), readAfter);
  if (now.missing.length > 0) throw new Error(`${now.missing.join(", ")}: neither printed nor found in the output folder`);
  // A file the manifest and this run hash alike is the same text: its record is read once.
  const same = Object.fromEntries(Object.entries(now.records).filter(([file]) => before.files[file] === after.files[file]));
  const then = await readApiRecords(Object.keys(before.files), readBefore, same);
  parsed += now.parsed + then.parsed;
  return { api: then.missing.length > 0 ? undefined : { before: then.records, after: now.records }, parsed };
}

/** How a change affects consumers, from worst to mildest. */
export type ChangeKind = "Breaking" | "Added" | "Changed" | "Docs" | "Code";

/** What each kind of change needs from semver. */
export type ChangeLevel = "major" | "minor" | "patch";

const CHANGE_LEVEL: Record<ChangeKind, ChangeLevel> = {
  Breaking: "major",
  Added: "minor",
  Changed: "minor",
  Docs: "patch",
  Code: "patch",
};

const KIND_ORDER: readonly ChangeKind[] = ["Breaking", "Added", "Changed", "Docs", "Code"];

/** How many TypeScript API changes of one kind a changelog lists before it counts the rest. */
const API_LINES_LISTED = 20;

/** How many changed files a "Code" changelog line names before it counts the rest. */
const CODE_FILES_LISTED = 5;

/** One line of a changelog entry. */
export interface SurfaceChange {
  kind: ChangeKind;
  /** Readable, names in backticks: "`CoworkerTimePass.Notes` removed". */
  text: string;
}

/** The semver level a list of changes needs; undefined when there are none. */
export function changeLevel(changes: readonly SurfaceChange[]): ChangeLevel | undefined {
  const levels = new Set(changes.map((c) => CHANGE_LEVEL[c.kind]));
  return (["major", "minor", "patch"] as const).find((level) => levels.has(level));
}

/**
 * Every difference between two surfaces, classified from a consumer's point of view, breaking first.
 * Records are read (output), create bodies and queries are written (input): narrowing an input or
 * widening an output breaks code that compiled before; the reverse does not. `api`, the TypeScript
 * API of both sides (see `readReleaseApi`), adds the API changes the model does not explain.
 */
export function diffSurfaces(before: Surface, after: Surface, api?: ApiSides): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  const add = (kind: ChangeKind, text: string) => changes.push({ kind, text });

  for (const name of unionKeys(before.entities, after.entities)) {
    const old = before.entities[name];
    const now = after.entities[name];
    // Taken from the manifest as it was (buildSurface's `known`): nothing to compare.
    if (old === now) continue;
    if (!now) add("Breaking", `entity \`${name}\` removed (\`${old!.resource}\`)`);
    else if (!old) add("Added", `entity \`${name}\` (\`${now.resource}\`, \`${now.path}\`)`);
    else diffEntity(name, old, now, add);
  }

  // The same record (enumsSurface): nothing to compare.
  for (const name of before.enums === after.enums ? [] : unionKeys(before.enums, after.enums)) {
    const old = before.enums[name];
    const now = after.enums[name];
    if (!now) add("Breaking", `enum \`${name}\` removed`);
    else if (!old) add("Added", `enum \`${name}\``);
    else {
      for (const value of unionKeys(old, now)) {
        if (now[value] === undefined) add("Breaking", `enum value \`${name}.${value}\` removed`);
        else if (old[value] === undefined) add("Added", `enum value \`${name}.${value}\` (${now[value]})`);
        else if (old[value] !== now[value]) add("Breaking", `enum value \`${name}.${value}\` changed from ${old[value]} to ${now[value]}`);
      }
    }
  }

  // One change of the runtime can touch every resource: a changelog names a few per kind and counts the rest.
  const apiChanges = api ? diffApiRecords(before, after, api) : [];
  for (const kind of KIND_ORDER) {
    const ofKind = apiChanges.filter((change) => change.kind === kind);
    for (const change of ofKind.slice(0, API_LINES_LISTED)) add(kind, change.text);
    if (ofKind.length > API_LINES_LISTED) add(kind, `${ofKind.length - API_LINES_LISTED} more changes of this kind in the TypeScript API`);
  }

  // Spec edits matter on their own only when nothing else changed: then they are docs.
  if (changes.length === 0) {
    for (const spec of unionKeys(before.specs, after.specs)) {
      if (before.specs[spec] === after.specs[spec]) continue;
      const what = before.specs[spec] === undefined ? "added" : after.specs[spec] === undefined ? "removed" : "changed";
      add("Docs", `\`${spec}\` ${what}, no API change`);
    }
  }
  // Generated code that changed with no API change (runtime, templates, generator) is a patch.
  if (changes.length === 0) {
    const changed = unionKeys(before.files ?? {}, after.files).filter((file) => before.files?.[file] !== after.files[file]);
    const shown = changed.slice(0, CODE_FILES_LISTED).map((file) => `\`${file}\``).join(", ");
    const more = changed.length > CODE_FILES_LISTED ? ` and ${changed.length - CODE_FILES_LISTED} more` : "";
    if (changed.length > 0) add("Code", `generated code changed with no API change: ${shown}${more}`);
  }
  return KIND_ORDER.flatMap((kind) => changes.filter((c) => c.kind === kind));
}

type AddChange = (kind: ChangeKind, text: string) => void;

/** The name a record key is about (`Name`, `Name.member`); undefined for a star re-export, which names none. */
function recordKeyName(key: string): string | undefined {
  if (key.startsWith("* from ")) return undefined;
  return key.replace(/^[~^]/, "").replace(/ from .*$/, "");
}

/** The suffixes of the types generated per entity: `CoworkerTimePassCreate`. */
const ENTITY_TYPE_SUFFIXES = ["", "Create", "ListingRecord", "Query", "OrderBy"] as const;

/**
 * The TypeScript API changes the model does not explain. What the specs changed (an entity's
 * types, resource and place in its area, an enum) is said once, by the model's lines above; the
 * rest (runtime, templates, generator) is read from the emitted API.
 */
function diffApiRecords(before: Surface, after: Surface, api: ApiSides): ReturnType<typeof diffPublicApi> {
  const [old, now] = [api.before, api.after];
  const paths = unionKeys(old, now);
  // A comment-only change leaves every record as it was: nothing to compare.
  if (paths.every((file) => old[file] === now[file] || JSON.stringify(old[file]) === JSON.stringify(now[file]))) return [];
  const explained = new Set<string>();
  for (const name of unionKeys(before.entities, after.entities)) {
    const [was, is] = [before.entities[name], after.entities[name]];
    if (was === is || (was && is && JSON.stringify(was) === JSON.stringify(is))) continue;
    for (const suffix of ENTITY_TYPE_SUFFIXES) explained.add(`${name}${suffix}`);
    explained.add(`testing:SeedRecords.${name}`);
    for (const entity of [was, is]) {
      if (!entity) continue;
      const property = entity.resource.slice(entity.resource.indexOf(".") + 1);
      explained.add(property).add(`${property[0]!.toUpperCase()}${property.slice(1)}Resource`).add(`*.${property}`);
    }
  }
  for (const name of unionKeys(before.enums, after.enums)) if (JSON.stringify(before.enums[name]) !== JSON.stringify(after.enums[name])) explained.add(name);
  const isExplained = (key: string) => {
    const [top = "", member] = key.replace(/^~/, "").split(".");
    return explained.has(top) || explained.has(key) || (member !== undefined && explained.has(`*.${member}`));
  };
  // After a spec edit only that entity's records change, all explained: no need to compare the whole API.
  const changedNames = paths.flatMap((file) => {
    const [was = {}, is = {}] = [old[file], now[file]];
    return was === is ? [] : unionKeys(was, is).filter((key) => was[key] !== is[key]).map(recordKeyName);
  });
  if (changedNames.every((name) => name !== undefined && isExplained(name))) return [];
  return diffPublicApi(publicApi(old), publicApi(now)).filter((change) => !isExplained(change.key));
}

function diffEntity(name: string, old: EntitySurface, now: EntitySurface, add: AddChange): void {
  if (old.resource !== now.resource) add("Breaking", `\`${name}\` moved from \`${old.resource}\` to \`${now.resource}\``);
  if (old.path !== now.path) add("Breaking", `\`${name}\` endpoint changed from \`${old.path}\` to \`${now.path}\``);
  for (const op of unionKeys(asSet(old.operations), asSet(now.operations))) {
    if (!now.operations.includes(op)) add("Breaking", `operation \`${name}.${op}\` removed`);
    else if (!old.operations.includes(op)) add("Added", `operation \`${name}.${op}\``);
  }
  for (const field of unionKeys(old.fields, now.fields)) {
    const before = old.fields[field];
    const after = now.fields[field];
    if (after === undefined) add("Breaking", `\`${name}.${field}\` removed`);
    else if (before === undefined) diffAddedField(`${name}.${field}`, parseField(after), add);
    else if (before !== after) diffField(name, field, parseField(before), parseField(after), add);
  }
  for (const [label, key] of [["filter", "filters"], ["range filter", "rangeFilters"]] as const) {
    for (const filter of unionKeys(old[key], now[key])) {
      const before = old[key][filter];
      const after = now[key][filter];
      if (after === undefined) add("Breaking", `${label} \`${filter}\` removed`);
      else if (before === undefined) add("Added", `${label} \`${filter}\` (\`${after}\`)`);
      else if (before !== after) diffInputType(`${label} \`${filter}\``, before, after, add);
    }
  }
}

function diffAddedField(qualified: string, field: FieldSurface, add: AddChange): void {
  // A new required create field breaks every create() call that compiled before.
  if (!field.readOnly && field.required) add("Breaking", `\`${qualified}\` added, required on create (\`${field.label}\`)`);
  else add("Added", `field \`${qualified}\` (\`${field.label}\`)`);
}

function diffField(entity: string, name: string, old: FieldSurface, now: FieldSurface, add: AddChange): void {
  const qualified = `\`${entity}.${name}\``;
  const fromTo = `(\`${old.label}\` -> \`${now.label}\`)`;
  if (old.type.base !== now.type.base || old.type.array !== now.type.array) {
    add("Breaking", `${qualified} type changed ${fromTo}`);
  } else if (old.type.nullable && !now.type.nullable) {
    // Narrower output is fine to read, but a writable field's create input no longer takes null.
    if (now.readOnly) add("Changed", `${qualified} is never null any more ${fromTo}`);
    else add("Breaking", `${qualified} no longer accepts null ${fromTo}`);
  } else if (!old.type.nullable && now.type.nullable) {
    add("Breaking", `${qualified} may now be null ${fromTo}`);
  }

  if (!old.readOnly && now.readOnly) add("Breaking", `${qualified} became read-only: no longer in \`${entity}Create\``);
  else if (old.readOnly && !now.readOnly) {
    if (now.required) add("Breaking", `${qualified} became writable and required on create`);
    else add("Added", `${qualified} became writable: now in \`${entity}Create\``);
  } else if (!now.readOnly && !old.required && now.required) add("Breaking", `${qualified} became required on create`);
  else if (!now.readOnly && old.required && !now.required) add("Changed", `${qualified} became optional on create`);

  if (!old.updateOnly && now.updateOnly && !now.readOnly) add("Breaking", `${qualified} became update-only: no longer in \`${entity}Create\``);
  else if (old.updateOnly && !now.updateOnly && !now.readOnly) add("Added", `${qualified} now in \`${entity}Create\``);
  if (!old.createOnly && now.createOnly) add("Breaking", `${qualified} became create-only: \`patch()\` no longer takes it`);
  else if (old.createOnly && !now.createOnly && !now.readOnly) add("Added", `${qualified} is no longer create-only: \`patch()\` takes it`);

  if (old.inListing && !now.inListing) add("Breaking", `${qualified} no longer in listing records (\`${entity}ListingRecord\`)`);
  else if (!old.inListing && now.inListing) add("Added", `${qualified} now in listing records (\`${entity}ListingRecord\`)`);
}

/** A query parameter's type: an input, so only widening is safe. */
function diffInputType(subject: string, before: string, after: string, add: AddChange): void {
  const old = parseTypeName(before);
  const now = parseTypeName(after);
  const fromTo = `(\`${before}\` -> \`${after}\`)`;
  if (!old || !now || old.base !== now.base || old.array !== now.array) add("Breaking", `${subject} type changed ${fromTo}`);
  else if (old.nullable && !now.nullable) add("Breaking", `${subject} no longer accepts null ${fromTo}`);
  else add("Changed", `${subject} now accepts null ${fromTo}`);
}

function asSet(names: readonly string[]): Record<string, true> {
  return Object.fromEntries(names.map((n) => [n, true]));
}

/** Keys of both records, sorted, so that changelog lines come in a stable order. */
function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(byCodePoint);
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
