import { createHash } from "node:crypto";
import { hash } from "./cache.js";
import { COMMON_SPEC, entry, plain, specTextHash, type LoadedSpec, type SpecMap, type SpecEntry, type SpecNode } from "./load.js";
import { camelCase, compareNames, defaultPath, defaultPlural, pascalCase } from "./names.js";
import { FACTS_ONLY_MISSING, isPrimitive, parseTypeName, PLACEHOLDER_DESCRIPTION, type PrimitiveType, type Provenance } from "./types.js";

/**
 * The one model every emitter reads. Built from validated specs; every name the emitters print
 * (type names, class names, file names, descriptions) is decided here, so templates only print.
 */
export interface ApiModel {
  /** Entities sorted by area, then name. */
  entities: EntityModel[];
  /** Areas sorted by name, each with its entities. */
  areas: AreaModel[];
  /** Enums sorted by name. */
  enums: EnumModel[];
  /**
   * The entity the package's examples use: one that can be listed and read, fully documented
   * when there is one, so every example names something that exists.
   */
  exampleEntity?: EntityModel;
  /** What a run should tell the spec's author without failing: `specs/x.yaml: ...`. */
  warnings: string[];
  /** The base fields of specs/common.yaml, which every record carries unless its spec says otherwise. */
  baseFields: FieldModel[];
  /** Entities known to exist whose area no source gives: not generated, listed on the coverage page. */
  areaUnknown: { entity: string; plural: string; note?: string }[];
}

export interface AreaModel {
  /** `billing` */
  name: string;
  /** `BillingApi` */
  className: string;
  entities: EntityModel[];
}

export interface EnumModel {
  /** TypeScript name, `RecurrentChargePattern`. */
  name: string;
  /** Name in the Nexudus docs, `eRecurrentChargePattern`. */
  nexudusName?: string;
  description?: string;
  values: { name: string; value: number }[];
  /** Spec file that defines it, `specs/common.yaml`. */
  specFile: string;
  /** Entities whose fields or filters take it, sorted. */
  usedBy: string[];
}

export const OPERATION_NAMES = ["list", "get", "getMany", "create", "update", "delete", "commands", "runCommand"] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export interface OperationModel {
  name: OperationName;
  /** Role a non-administrator needs. */
  role: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path as the docs write it, `/api/billing/coworkertimepasses/{id}`. */
  path: string;
  /** The docs' title of the operation, `Search CoworkerTimePasses`. */
  title: string;
}

export interface TypeModel {
  /** `integer`, `number`, `string`, `boolean`, `datetime`, `json`, `unknown`, `object`, `untyped` or `enum`. */
  kind: PrimitiveType | "enum";
  /** For kind `enum`: the enum's TypeScript name. */
  enumName?: string;
  /** For kind `object` (inline child objects): the child's writable properties, all optional. */
  properties?: { name: string; type: TypeModel }[];
  array: boolean;
  nullable: boolean;
  /** The spec's own spelling, `integer?`. */
  label: string;
}

export interface FieldModel {
  name: string;
  type: TypeModel;
  description?: string;
  /** Set by Nexudus; not part of the create input. */
  readOnly: boolean;
  /** Required in the create and update bodies. */
  required: boolean;
  /** Present in listing records (not named by listingOmits). */
  inListing: boolean;
  /** Comes from the base fields of specs/common.yaml. */
  base: boolean;
  /** Taken by create only: an update does not change it. */
  createOnly: boolean;
  /** Taken by update only: not part of the create input. */
  updateOnly: boolean;
  /** In the create input: neither read-only nor update-only. */
  inCreate: boolean;
  /** An update can change it: neither read-only nor create-only. */
  inUpdate: boolean;
  /**
   * An id list only the full record carries: `ids` of a collection `X`, or `add` / `remove` for
   * `AddedX` / `RemovedX`, which change `X` on update.
   */
  collection?: { role: "ids" | "add" | "remove"; of: string };
  /** Absent when a docs page shows the name. */
  provenance?: Provenance;
}

export interface FilterModel {
  /** Exact query parameter name, `CoworkerTimePass_TimePass_Name`. */
  name: string;
  type: TypeModel;
  description?: string;
  /** Implied for every entity rather than written in its spec. */
  base: boolean;
  /** Absent when a docs page shows the name; `derived` for a filter named by convention from a field. */
  provenance?: Provenance;
  /** The field whose `filter: true` gave it, named by the convention. */
  field?: string;
}

export interface RangeFilterModel {
  /** Name without prefix, `CoworkerTimePass_Price`. */
  name: string;
  /** `from_CoworkerTimePass_Price` */
  fromName: string;
  /** `to_CoworkerTimePass_Price` */
  toName: string;
  type: TypeModel;
  /** What is compared, as a noun phrase: `passes included`. */
  subject: string;
  fromDescription: string;
  toDescription: string;
  base: boolean;
  /** Absent when a docs page shows the name; `derived` for a range filter named by convention from a field. */
  provenance?: Provenance;
  /** The field whose `range: true` gave it. */
  field?: string;
}

export interface EntityModel {
  /** `CoworkerTimePass` */
  name: string;
  /** `CoworkerTimePasses` */
  plural: string;
  area: string;
  /** `/api/billing/coworkertimepasses` */
  path: string;
  /** Spec path as written in generated headers, `specs/billing/coworkertimepasses.yaml`. */
  specFile: string;
  /** sha256 of the spec text, for change detection. */
  specHash: string;
  /** Module base name, `coworkertimepasses`. */
  fileBase: string;
  /** Property on the area, `coworkerTimePasses`. */
  resourceProperty: string;
  /** `CoworkerTimePassesResource` */
  resourceClass: string;
  description: string;
  docs: {
    status: "complete" | "partial" | "unknown";
    sources: string[];
    missing?: string;
    /** Known only from the entity facts: `missing` starts with what all such specs lack (said once, on the coverage page). */
    factsOnly: boolean;
    /** `missing` without that shared part: what this spec lacks besides. */
    missingHere?: string;
  };
  /** Supported operations in the canonical order. */
  operations: OperationModel[];
  /** The same operations by name, for templates: `ops.update`. */
  ops: Partial<Record<OperationName, OperationModel>>;
  /** The resource's client methods, in order: `list` also gives `pages` and `listAll`, `update` with `get` gives `patch`. */
  methods: string[];
  fields: FieldModel[];
  filters: FilterModel[];
  rangeFilters: RangeFilterModel[];
  listingOmits: string[];
  /** Names of its fields, filters and range filters that no docs page shows, with their provenance, in that order. */
  unverified: { name: string; provenance: Provenance }[];
  /** Fields a create must carry (required and in the create input), in field order. */
  requiredOnCreate: string[];
  /** Fields an update must carry (required and changeable by an update), in field order. */
  requiredOnUpdate: string[];
  /** Fields an update cannot change (read-only or create-only), in field order. */
  readOnlyOnUpdate: string[];
  /** Names of the generated types. */
  typeNames: { record: string; listingRecord: string; create: string; query: string; orderBy: string };
}

/** The role suffix Nexudus uses per operation (`<Entity>-List`, ...), where a spec does not say otherwise. */
export const ROLE_SUFFIX: Record<OperationName, string> = {
  list: "List",
  get: "Read",
  getMany: "Read",
  create: "Create",
  update: "Edit",
  delete: "Delete",
  commands: "List",
  runCommand: "Update",
};

function operation(name: OperationName, entity: string, plural: string, path: string, role: string): OperationModel {
  switch (name) {
    case "list":
      return { name, role, method: "GET", path, title: `Search ${plural}` };
    case "get":
      return { name, role, method: "GET", path: `${path}/{id}`, title: `Get one ${entity}` };
    case "getMany":
      return { name, role, method: "GET", path: `${path}/?id=[{id1},{id2},...]`, title: `Get multiple ${plural}` };
    case "create":
      return { name, role, method: "POST", path, title: `Create ${entity}` };
    case "update":
      return { name, role, method: "PUT", path, title: `Update ${entity}` };
    case "delete":
      return { name, role, method: "DELETE", path: `${path}/{id}`, title: `Delete ${entity}` };
    case "commands":
      return { name, role, method: "GET", path: `${path}/commands`, title: `Get ${entity} commands` };
    case "runCommand":
      return { name, role, method: "POST", path: `${path}/runcommand`, title: `Run a ${entity} command` };
  }
}

/** What a name's provenance means, said once for JSDoc, docs pages and openapi.json alike. */
export const PROVENANCE_MEANINGS: Record<Provenance, string> = {
  derived: "the name is derived (by the naming convention, or its capitals from another spelling)",
  observed: "seen in a live answer",
};

/** The sentence that marks a name no docs page shows. */
export const PROVENANCE_NOTES: Record<Provenance, string> = {
  derived: `Not shown on a Nexudus docs page: ${PROVENANCE_MEANINGS.derived}.`,
  observed: `Not shown on a Nexudus docs page: ${PROVENANCE_MEANINGS.observed}.`,
};

function typeModel(label: string, properties?: Record<string, string>): TypeModel {
  const parsed = parseTypeName(label);
  if (!parsed) throw new Error(`Invalid type "${label}" reached the model; validation should have stopped it`);
  const kind = isPrimitive(parsed.base) ? parsed.base : "enum";
  return {
    kind,
    ...(kind === "enum" ? { enumName: parsed.base } : {}),
    ...(kind === "object" ? { properties: Object.entries(properties ?? {}).map(([name, type]) => ({ name, type: typeModel(type) })) } : {}),
    array: parsed.array,
    nullable: parsed.nullable,
    label,
  };
}

/** A field or filter entry as a spec writes it (the shorthand `Name: type` reads as `{ type }`). */
interface RawTyped {
  type: string;
  description?: string;
  readOnly?: boolean;
  required?: boolean;
  createOnly?: boolean;
  updateOnly?: boolean;
  filter?: boolean;
  range?: boolean;
  collection?: boolean;
  properties?: Record<string, string>;
  provenance?: Provenance;
}

/**
 * The conventional filter name of a field: `<Entity>_<Field>`, where an integer foreign key drops
 * its `Id` (`CoworkerId` -> `CoworkerTimePass_Coworker`; a `...UniqueId` string keeps it).
 */
export function conventionalFilterName(entity: string, field: string, type: TypeModel): string {
  const foreignKey = type.kind === "integer" && /.Id$/.test(field) && !field.endsWith("UniqueId");
  return `${entity}_${foreignKey ? field.slice(0, -2) : field}`;
}

/** The plain (non-null, single) type a filter on a field of `type` takes. */
function filterType(type: TypeModel): TypeModel {
  const label = type.enumName ?? type.kind;
  return { ...type, array: false, nullable: false, label };
}

/** `X`, `AddedX` and `RemovedX` collections: what each one does to `X`. */
function collectionRole(name: string, collections: ReadonlySet<string>): FieldModel["collection"] {
  for (const [prefix, role] of [["Added", "add"], ["Removed", "remove"]] as const) {
    const of = name.slice(prefix.length);
    if (name.startsWith(prefix) && collections.has(of)) return { role, of };
  }
  return { role: "ids", of: name };
}

/** `Name: integer?` and `Name: { type: integer? }` read the same. */
function typedEntries(node: SpecNode | undefined): [string, RawTyped][] {
  if (node?.kind !== "map") return [];
  return node.entries.map((e) => {
    const value = plain(e.value);
    return [e.key, typeof value === "string" ? { type: value } : (value as RawTyped)];
  });
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The spec's path as generated files cite it; independent of where the generator runs. */
function pathOf(spec: LoadedSpec): string {
  return `specs/${spec.name}`;
}

/**
 * Entity models remembered between runs (cache.ts `RememberedModels`), by spec name and the hash of
 * what each is built from: an unchanged spec's entity is read back, not built again.
 */
export interface ModelMemory {
  get(spec: string, key: string): unknown;
  set(spec: string, key: string, model: unknown): void;
  /** Keeps what is remembered for the spec for the next run, unread (a watching process has its entity already). */
  keep(spec: string): void;
  /** The spec's outline (validate.ts), when one stands in for its tree: the model reads its enums there. */
  outline(spec: LoadedSpec): SpecNode | undefined;
  /** The summary (see `EntitySummary`) remembered for the spec with this key; reading it reads no model. */
  summary?(spec: string, key: string): EntitySummary | undefined;
}

/**
 * What the stages read of an unchanged entity in a run that prints none of its files: the few
 * properties every stage names it by, and its parts (`entityPart`). Remembered with its model (by
 * the same key), so that a run with one changed spec reads no other entity's model.
 */
export interface EntitySummary {
  props: Pick<EntityModel, (typeof SUMMARY_PROPS)[number]>;
  parts: Record<string, unknown>;
  /** The key (`valueKey`) of each part that is an object, by name: a later run keys it without printing it. */
  keys?: Record<string, string>;
}

/** The entity properties a summary holds as they are. */
const SUMMARY_PROPS = ["name", "plural", "area", "path", "specFile", "fileBase"] as const;

/** Parts by entity object: computed once per object, or read from its summary. */
const partsOf = new WeakMap<EntityModel, Record<string, unknown>>();
/** Entities a part was computed for in this process: their summary is remembered again. */
const partsAdded = new WeakSet<EntityModel>();

/**
 * A part of an entity: a small value computed from its model alone, by a name that says what it is
 * (an emitter's part of its view, the enums it uses...). It is remembered in the entity's summary:
 * a later run reads it there, without the entity's model. `compute` must read nothing but `entity`
 * (and the generator's own code, which the cache's version covers); its result is kept as JSON
 * gives it back, so that a part read from the cache is the very value computed.
 */
export function entityPart<T>(entity: EntityModel, name: string, compute: (entity: EntityModel) => T): T {
  let parts = partsOf.get(entity);
  if (!parts) partsOf.set(entity, (parts = {}));
  if (!Object.hasOwn(parts, name)) {
    const value = compute(entity);
    const part = value === undefined ? value : unchanging(JSON.parse(JSON.stringify(value)));
    // A part of an entity a watching process keeps from run to run is kept as long: frozen, as the entity is.
    parts[name] = Object.isFrozen(entity) ? deepFreeze(part) : part;
    partsAdded.add(entity);
  }
  return parts[name] as T;
}

/** Values made once and never changed after (an entity's parts, the enums); frozen when a watching process keeps them from run to run. */
const unchangingValues = new WeakSet<object>();
/** The key of each unchanging value, computed once per object. */
const unchangingKeys = new WeakMap<object, string>();

/** Marks a plain value as made once and never changed after: `valueKey` keys it once. */
function unchanging<T>(value: T): T {
  if (typeof value === "object" && value !== null) unchangingValues.add(value);
  return value;
}

/**
 * A key of a plain (JSON) value, which changes whenever its JSON does: the hash of its JSON, where
 * an unchanging value (an entity's part, an enum) stands as a hash of its own, computed once per
 * object. A view made of parts is keyed without printing the parts again: a watching process keeps
 * the parts of every unchanged entity, and its enums.
 */
export function valueKey(value: unknown): string {
  const text = keyText(value);
  // An unchanging value's text is its hash already.
  return typeof value === "object" && value !== null && unchangingValues.has(value) ? text : hash(text);
}

function keyText(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (unchangingValues.has(value)) {
    let key = unchangingKeys.get(value);
    // `#` starts no JSON value: a hash stands for nothing but an unchanging value.
    if (key === undefined) unchangingKeys.set(value, (key = `#${hash(JSON.stringify(value))}`));
    return key;
  }
  if (Array.isArray(value)) return `[${value.map(keyText).join(",")}]`;
  const members: string[] = [];
  for (const [name, member] of Object.entries(value)) if (member !== undefined) members.push(`${JSON.stringify(name)}:${keyText(member)}`);
  return `{${members.join(",")}}`;
}

/** The enums an entity's fields, filters and range filters take, by name, each once, in field order (a part). */
export function enumsUsed(entity: EntityModel): readonly string[] {
  return entityPart(entity, "enums used", (e) => [...new Set([...e.fields, ...e.filters, ...e.rangeFilters].flatMap((f) => (f.type.enumName ? [f.type.enumName] : [])))]);
}

/** The entity's summary to remember, when this process computed a part of it (or it has none yet). */
export function changedSummary(entity: EntityModel): EntitySummary | undefined {
  if (!partsAdded.has(entity)) return undefined;
  const props = Object.fromEntries(SUMMARY_PROPS.map((prop) => [prop, entity[prop]])) as EntitySummary["props"];
  const parts = partsOf.get(entity)!;
  const keys = Object.fromEntries(Object.entries(parts).flatMap(([name, part]) => (typeof part === "object" && part !== null ? [[name, keyText(part)]] : [])));
  return { props, parts, keys };
}

/**
 * An entity known by its summary, whose model is read (`load`) only when a stage reads anything
 * else of it: to every reader it is the model itself, at the cost of a read for the first.
 */
function summarizedEntity(summary: EntitySummary, load: () => EntityModel): EntityModel {
  let model: EntityModel | undefined;
  const full = () => (model ??= load());
  const props: Readonly<Record<string, unknown>> = summary.props;
  const entity = new Proxy({} as EntityModel, {
    get: (_target, prop) => (typeof prop === "string" && Object.hasOwn(props, prop) ? props[prop] : Reflect.get(full(), prop)),
    has: (_target, prop) => Reflect.has(full(), prop),
    ownKeys: () => Reflect.ownKeys(full()),
    getOwnPropertyDescriptor: (_target, prop) => Reflect.getOwnPropertyDescriptor(full(), prop),
    set: (_target, prop, value) => Reflect.set(full(), prop, value),
    defineProperty: (_target, prop, descriptor) => Reflect.defineProperty(full(), prop, descriptor),
    deleteProperty: (_target, prop) => Reflect.deleteProperty(full(), prop),
  });
  for (const [name, part] of Object.entries(summary.parts)) {
    unchanging(part);
    const key = summary.keys?.[name];
    if (key !== undefined && typeof part === "object" && part !== null) unchangingKeys.set(part, key);
  }
  partsOf.set(entity, summary.parts);
  return entity;
}

/**
 * Builds the model from specs that passed validation; with a memory, only the entities of changed
 * specs are built. `reused`: the specs may be loaded again as the same objects (a session), so
 * their entities are kept, frozen, for the next run.
 */
export function buildModel(specs: readonly LoadedSpec[], memory?: ModelMemory, reused = true): ApiModel {
  const common = specs.find((s) => s.name === COMMON_SPEC);
  const commonRoot = common?.root?.kind === "map" ? common.root : undefined;
  const baseFields = typedEntries(commonRoot ? entry(commonRoot, "baseFields")?.value : undefined);
  const areaUnknownNode = commonRoot ? entry(commonRoot, "areaUnknown")?.value : undefined;
  const areaUnknown = areaUnknownNode ? (plain(areaUnknownNode) as ApiModel["areaUnknown"]) : [];

  const defined: { node: SpecEntry; specFile: string }[] = [];
  for (const spec of specs) {
    const root = memory?.outline(spec) ?? spec.root;
    if (root?.kind !== "map") continue;
    const enumsNode = entry(root, "enums")?.value;
    if (enumsNode?.kind !== "map") continue;
    for (const node of enumsNode.entries) defined.push({ node, specFile: pathOf(spec) });
  }

  const baseFieldsHash = hash(JSON.stringify(baseFields));
  const entities = specs
    .filter((s) => s.name !== COMMON_SPEC && (memory?.outline(s) ?? s.root)?.kind === "map")
    .map((spec) => builtEntity(spec, common, baseFields, baseFieldsHash, memory, reused));
  sortEntities(entities);

  // One pass over every field and filter (not one per enum): entity order, each entity once per enum.
  const users = new Map<string, string[]>();
  for (const entity of entities) {
    for (const name of enumsUsed(entity)) {
      const list = users.get(name);
      if (list) list.push(entity.name);
      else users.set(name, [entity.name]);
    }
  }
  const enums = sortedEnums(defined.map(({ node, specFile }) => enumModel(node, specFile, users.get(node.key) ?? [], reused)));

  const areaNames = [...new Set(entities.map((e) => e.area))].sort();
  const areas = areaNames.map((name) => ({
    name,
    className: `${pascalCase(name)}Api`,
    entities: entities.filter((e) => e.area === name),
  }));
  const readable = entities.filter((entity) => entityPart(entity, "readable", (e) => e.ops.list !== undefined && e.ops.get !== undefined && e.fields.some((f) => f.name === "CreatedOn")));
  const exampleEntity = readable.find((entity) => entityPart(entity, "docs status", (e) => e.docs.status) === "complete") ?? readable[0];
  return {
    entities,
    areas,
    enums,
    ...(exampleEntity ? { exampleEntity } : {}),
    warnings: entities
      .filter((entity) => entityPart(entity, "placeholder description", (e) => e.description === PLACEHOLDER_DESCRIPTION))
      .map((e) => `${e.specFile}: the description is still the placeholder; write what ${e.name} is, from its docs page`),
    baseFields: baseFields.map(([fieldName, f]) => fieldModel(fieldName, f, [], true, new Set())),
    areaUnknown: [...areaUnknown].sort((a, b) => compareNames(a.entity, b.entity)),
  };
}

/**
 * Enums by the spec node they were read from (a watching process loads an unchanged spec as the
 * same tree, and its outline as the same outline), and the enums of the last model by name: an
 * enum whose node, file and users are those it was made with, or whose JSON is that of the last
 * model's enum of its name, is that same object (frozen when the run keeps its entities, `reused`).
 * So from run to run an enum nothing changed is one object, known by its key (`valueKey`) without
 * printing it again.
 */
const builtEnums = new WeakMap<SpecEntry, EnumModel>();
let lastEnums = new Map<string, EnumModel>();

function enumModel(node: SpecEntry, specFile: string, usedBy: string[], reused: boolean): EnumModel {
  const built = builtEnums.get(node);
  if (built && built.specFile === specFile && sameNames(built.usedBy, usedBy)) return built;
  const raw = plain(node.value) as { nexudusName?: string; description?: string; values: Record<string, number> };
  const made: EnumModel = {
    name: node.key,
    ...(raw.nexudusName ? { nexudusName: raw.nexudusName } : {}),
    ...(raw.description ? { description: raw.description.trim() } : {}),
    values: Object.entries(raw.values).map(([name, value]) => ({ name, value })),
    specFile,
    usedBy,
  };
  const last = lastEnums.get(made.name);
  const model = last && JSON.stringify(last) === JSON.stringify(made) ? last : unchanging(reused ? deepFreeze(made) : made);
  builtEnums.set(node, model);
  return model;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}

/** The order entities were last sorted in, by area and name. */
let lastEntityOrder: string[] = [];

/** Sorts entities by area, then name; the same ones as last time (a watching process's) in that order, without comparing them again. */
function sortEntities(entities: EntityModel[]): void {
  const byKey = new Map(entities.map((e) => [`${e.area}\0${e.name}`, e]));
  if (byKey.size === entities.length && lastEntityOrder.length === entities.length && lastEntityOrder.every((key) => byKey.has(key))) {
    lastEntityOrder.forEach((key, index) => (entities[index] = byKey.get(key)!));
    return;
  }
  // Each name read once, not at every comparison (215 entities: ~3 ms of a process).
  const named = entities.map((entity) => ({ entity, area: entity.area, name: entity.name }));
  named.sort((a, b) => (a.area === b.area ? 0 : compareNames(a.area, b.area)) || compareNames(a.name, b.name));
  named.forEach(({ entity }, index) => (entities[index] = entity));
  lastEntityOrder = entities.map((e) => `${e.area}\0${e.name}`);
}

/** The enums sorted by name; kept by name for the next model. */
function sortedEnums(enums: EnumModel[]): EnumModel[] {
  const last = [...lastEnums.values()];
  // The same enums as the last model's (the same objects): in its order.
  if (enums.length === last.length && enums.every((e) => lastEnums.get(e.name) === e)) return last;
  enums.sort((a, b) => compareNames(a.name, b.name));
  lastEnums = new Map(enums.map((e) => [e.name, e]));
  return enums;
}

function docsModel(docs: { status: "complete" | "partial"; sources: string[]; missing?: string } | undefined): EntityModel["docs"] {
  if (!docs) return { status: "unknown", sources: [], factsOnly: false };
  const missing = docs.missing?.trim();
  const factsOnly = missing?.startsWith(FACTS_ONLY_MISSING) === true;
  const missingHere = factsOnly ? missing!.slice(FACTS_ONLY_MISSING.length).trim() : missing;
  return { status: docs.status, sources: docs.sources, ...(missing ? { missing } : {}), factsOnly, ...(missingHere ? { missingHere } : {}) };
}

function fieldModel(fieldName: string, f: RawTyped, listingOmits: readonly string[], base: boolean, collections: ReadonlySet<string>): FieldModel {
  return {
    name: fieldName,
    type: typeModel(f.type, f.properties),
    ...(f.description ? { description: f.description.trim() } : {}),
    readOnly: f.readOnly === true,
    required: f.required === true,
    // A collection comes back from get() only: listing records never carry it.
    inListing: !f.collection && !listingOmits.includes(fieldName),
    base,
    createOnly: f.createOnly === true,
    updateOnly: f.updateOnly === true,
    inCreate: f.readOnly !== true && f.updateOnly !== true,
    inUpdate: f.readOnly !== true && f.createOnly !== true,
    ...(f.collection ? { collection: collectionRole(fieldName, collections) } : {}),
    ...(f.provenance ? { provenance: f.provenance } : {}),
  };
}

/**
 * Entities by the spec object they were built from, with the common spec they were built with: a
 * watching process (session.ts) loads an unchanged spec as the same object, and its entity is not
 * built again. Frozen, so that no stage can change an entity another run reuses. `reused: false`
 * (a single run: no spec object is loaded twice) neither keeps nor freezes them, which costs more
 * than building a tenth of them.
 */
const builtEntities = new WeakMap<LoadedSpec, { common: LoadedSpec | undefined; entity: EntityModel }>();

function builtEntity(spec: LoadedSpec, common: LoadedSpec | undefined, baseFields: [string, RawTyped][], baseFieldsHash: string, memory: ModelMemory | undefined, reused: boolean): EntityModel {
  const built = builtEntities.get(spec);
  if (built && built.common === common) {
    memory?.keep(spec.name);
    return built.entity;
  }
  // What it is built from: its spec's name and text and the base fields (the generator's code is the cache's version).
  const key = hash(`${spec.name}\0${specTextHash(spec)}\0${baseFieldsHash}`);
  const model = () => {
    const remembered = memory?.get(spec.name, key) as EntityModel | undefined;
    const entity = remembered ?? buildEntity(spec, spec.root as SpecMap, baseFields);
    if (!remembered) memory?.set(spec.name, key, entity);
    return entity;
  };
  // A single run reads the model of an entity it prints nothing of only if a stage needs more than its summary.
  const summary = reused ? undefined : memory?.summary?.(spec.name, key);
  if (summary) memory!.keep(spec.name);
  const entity = summary ? summarizedEntity(summary, model) : model();
  entityHashes.set(entity, key);
  if (reused) builtEntities.set(spec, { common, entity: deepFreeze(entity) });
  return entity;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const entityHashes = new WeakMap<EntityModel, string>();

/**
 * A hash that changes whenever anything an entity's model holds changes. An entity built by
 * `buildModel` is known by what it was built from (its spec's text and the base fields), without
 * hashing the model; any other (a model made by hand) by the hash of its JSON, once per object.
 */
export function entityHash(entity: EntityModel): string {
  let known = entityHashes.get(entity);
  if (known === undefined) entityHashes.set(entity, (known = hash(JSON.stringify(entity))));
  return known;
}

function buildEntity(spec: LoadedSpec, root: SpecMap, baseFields: [string, RawTyped][]): EntityModel {
  const raw = plain(root) as {
    entity: string;
    plural?: string;
    area: string;
    path?: string;
    description: string;
    docs?: { status: "complete" | "partial"; sources: string[]; missing?: string };
    operations: OperationName[];
    roles?: Partial<Record<OperationName, string>>;
    baseFields?: boolean;
    baseFilters?: boolean;
    listingOmits?: string[];
  };
  const name = raw.entity;
  const plural = raw.plural ?? defaultPlural(name);
  const path = raw.path ?? defaultPath(raw.area, plural);
  const listingOmits = [...(raw.listingOmits ?? [])];

  const ownFields = typedEntries(entry(root, "fields")?.value);
  const ownNames = new Set(ownFields.map(([n]) => n));
  const fieldEntries: [string, RawTyped, boolean][] = [
    ...ownFields.map(([n, f]): [string, RawTyped, boolean] => [n, f, false]),
    // A spec may redefine a base field (a better description); its own definition wins.
    ...(raw.baseFields === false ? [] : baseFields.filter(([n]) => !ownNames.has(n)).map(([n, f]): [string, RawTyped, boolean] => [n, f, true])),
  ];
  const collections = new Set(fieldEntries.filter(([, f]) => f.collection).map(([n]) => n));
  const fields = fieldEntries.map(([fieldName, f, base]) => fieldModel(fieldName, f, listingOmits, base, collections));
  // A collection's Added/Removed siblings are write instructions, so listings lack the whole family.
  listingOmits.push(...fields.filter((f) => f.collection && !listingOmits.includes(f.name)).map((f) => f.name));

  const withBase = raw.baseFilters !== false;
  const filters: FilterModel[] = typedEntries(entry(root, "filters")?.value).map(([filterName, f]) => ({
    name: filterName,
    type: typeModel(f.type),
    ...(f.description ? { description: f.description.trim() } : {}),
    base: false,
    ...(f.provenance ? { provenance: f.provenance } : {}),
  }));
  // `filter: true` on a field: the convention names the filter; one a docs page names (under filters) wins.
  const flagged = new Map(fieldEntries.map(([n, f]) => [n, f]));
  for (const field of fields) {
    if (!flagged.get(field.name)?.filter) continue;
    const filterName = conventionalFilterName(name, field.name, field.type);
    if (filters.some((f) => f.name === filterName)) continue;
    filters.push({ name: filterName, type: filterType(field.type), description: `Filter by ${field.name}.`, base: false, provenance: "derived", field: field.name });
  }
  const createdOnFilter = `${name}_CreatedOn`;
  if (withBase && !filters.some((f) => f.name === createdOnFilter)) {
    filters.push({
      name: createdOnFilter,
      type: typeModel("datetime"),
      description: "Filter by Created On, as the docs' code examples show (\"Filtering by CreatedOn\").",
      base: true,
    });
  }

  const rangeFilters: RangeFilterModel[] = typedEntries(entry(root, "rangeFilters")?.value).map(([rangeName, f]) => {
    const subject = f.description?.trim() || rangeName.slice(name.length + 1);
    const format = f.type === "datetime" ? " Format: YYYY-MM-DDTHH:mm." : "";
    return {
      name: rangeName,
      fromName: `from_${rangeName}`,
      toName: `to_${rangeName}`,
      type: typeModel(f.type),
      subject,
      fromDescription: `Filter by ${subject} greater than or equal to this value.${format}`,
      toDescription: `Filter by ${subject} less than or equal to this value.${format}`,
      base: false,
      ...(f.provenance ? { provenance: f.provenance } : {}),
    };
  });
  for (const field of fields) {
    if (!flagged.get(field.name)?.range) continue;
    const rangeName = `${name}_${field.name}`;
    if (rangeFilters.some((r) => r.name === rangeName)) continue;
    const format = field.type.kind === "datetime" ? " Format: YYYY-MM-DDTHH:mm." : "";
    rangeFilters.push({
      name: rangeName,
      fromName: `from_${rangeName}`,
      toName: `to_${rangeName}`,
      type: filterType(field.type),
      subject: field.name,
      fromDescription: `Filter by ${field.name} greater than or equal to this value.${format}`,
      toDescription: `Filter by ${field.name} less than or equal to this value.${format}`,
      base: false,
      provenance: "derived",
      field: field.name,
    });
  }
  if (withBase) {
    for (const [field, verb] of [["CreatedOn", "created"], ["UpdatedOn", "updated"]] as const) {
      const rangeName = `${name}_${field}`;
      if (rangeFilters.some((r) => r.name === rangeName)) continue;
      rangeFilters.push({
        name: rangeName,
        fromName: `from_${rangeName}`,
        toName: `to_${rangeName}`,
        type: typeModel("datetime"),
        subject: `the date records were ${verb}`,
        fromDescription: `Filter records ${verb} on or after this date. Format: YYYY-MM-DDTHH:mm.`,
        toDescription: `Filter records ${verb} on or before this date. Format: YYYY-MM-DDTHH:mm.`,
        base: true,
      });
    }
  }

  const operations = OPERATION_NAMES.filter((op) => raw.operations.includes(op)).map((op) =>
    operation(op, name, plural, path, raw.roles?.[op] ?? `${name}-${ROLE_SUFFIX[op]}`),
  );
  const methods = operations.flatMap((op) =>
    op.name === "list" ? ["list", "pages", "listAll"] : op.name === "update" && raw.operations.includes("get") ? ["update", "patch"] : [op.name],
  );

  return {
    name,
    plural,
    area: raw.area,
    path,
    specFile: pathOf(spec),
    specHash: sha256(spec.text),
    fileBase: path.split("/").pop()!,
    resourceProperty: camelCase(plural),
    resourceClass: `${plural}Resource`,
    description: raw.description.trim(),
    docs: docsModel(raw.docs),
    operations,
    ops: Object.fromEntries(operations.map((op) => [op.name, op])),
    methods,
    fields,
    filters,
    rangeFilters,
    listingOmits,
    unverified: [...fields, ...filters, ...rangeFilters].flatMap((n) => (n.provenance ? [{ name: n.name, provenance: n.provenance }] : [])),
    requiredOnCreate: fields.filter((f) => f.required && f.inCreate).map((f) => f.name),
    requiredOnUpdate: fields.filter((f) => f.required && f.inUpdate).map((f) => f.name),
    readOnlyOnUpdate: fields.filter((f) => !f.inUpdate).map((f) => f.name),
    typeNames: {
      record: name,
      listingRecord: `${name}ListingRecord`,
      create: `${name}Create`,
      query: `${name}Query`,
      orderBy: `${name}OrderBy`,
    },
  };
}
