import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import { COMMON_SPEC, displayPath, entry, loadSpecs, plain, type LoadedSpec } from "../load.js";
import { OPERATION_NAMES, type OperationName } from "../model.js";
import { reservedExports } from "../emit/registry.js";
import { BUILTIN_NAMES } from "../names.js";
import { FACTS_ONLY_MISSING, parseTypeName, RANGE_TYPES } from "../types.js";
import { validateSpecs } from "../validate.js";
import { checkAndWrite, ImportError, type ImportedFile, type ImportResult } from "./import.js";
import { newSpecDocument, renderSpec } from "./merge.js";
import type { ImportWarning } from "./to-spec.js";

/**
 * `npm run import -- --facts <folder or file>`: specs from entity fact files (one YAML file per
 * entity: fields with types and create/update/filter/range flags, read-only names, enums, notes;
 * see docs/importer.md). A new spec is written in full; an existing spec keeps everything it says
 * (it comes from the docs pages, which win) and gains what the facts add. Entities without an
 * area are not specified: they are listed under `areaUnknown` in specs/common.yaml.
 */

/** One entity's facts, as the fact files write them. */
interface EntityFacts {
  entity: string;
  plural: string;
  area: string | null;
  areaSource?: string;
  operations: string[];
  about?: string;
  fields?: Record<string, FactField>;
  readOnlyFields?: string[];
  enums?: Record<string, Record<string, string> | string[]>;
  casingDerived?: string[];
  notes?: string[];
}

interface FactField {
  type: string;
  create?: "required" | boolean;
  update?: boolean;
  filter?: boolean;
  range?: boolean;
  collection?: boolean;
  enum?: string;
  properties?: string[];
  note?: string;
}

/** Where the facts come from: the Nexudus CLI's entity reference. */
const REFERENCE_URL = "https://github.com/Nexudus-Ltd/nexudus-coworking-skills/blob/main/skills/nexudus/references/entities";

/** Fact types -> spec types. Enums, id lists and child objects are decided per field. */
const SCALAR_TYPES: Record<string, string> = {
  long: "integer",
  int: "integer",
  decimal: "number",
  double: "number",
  string: "string",
  Guid: "string",
  bool: "boolean",
  DateTime: "datetime",
};

/**
 * Notes that speak about the sources (CLI options, other writers, quality passes) rather than
 * about the entity stay out of the spec's description.
 */
const SOURCE_NOTE = /\bCLI\b|--|pcastanhas|reference|project spec|Quality pass|SKILL\.md|^enum \w+:|tokeniz|\bPII\b|docs'? (?:get-one |create |update |listing )?pages?\b|spell|option/i;

export interface FactsImportOptions {
  /** A fact file, or a folder of them. */
  facts: string;
  specsDir: string;
  dryRun?: boolean;
}

/** An enum of the facts with known numbers: member name by value. */
interface PlannedEnum {
  name: string;
  values: Map<number, string>;
  /** Spec files whose fields take it. */
  users: Set<string>;
  /** Defined by a spec already (its file), so only missing members are added there. */
  definedIn?: string;
}

export async function importFacts(options: FactsImportOptions): Promise<ImportResult> {
  const all = await readFacts(options.facts);
  const specsDir = path.resolve(options.specsDir);
  const before: Diagnostic[] = [];
  const loaded = await loadSpecs(specsDir, before);
  validateSpecs(loaded, before);
  const common = loaded.find((s) => s.name === COMMON_SPEC);
  if (!common) throw new ImportError([`${displayPath(path.join(specsDir, COMMON_SPEC))} not found: --out must be the specs folder, which holds common.yaml`]);

  const docs = new Map<string, { doc: Document; spec?: LoadedSpec }>();
  const byEntity = new Map<string, string>();
  for (const spec of loaded) {
    docs.set(spec.name, { doc: parseDocument(spec.text), spec });
    const entity = spec.root?.kind === "map" ? entry(spec.root, "entity")?.value : undefined;
    if (entity?.kind === "scalar" && typeof entity.value === "string") byEntity.set(entity.value, spec.name);
  }
  const placed = all.filter((f) => f.area !== null).sort((a, b) => a.entity.localeCompare(b.entity));
  const target = (facts: EntityFacts) => byEntity.get(facts.entity) ?? `${facts.area}/${facts.plural}.yaml`;
  const enums = planEnums(placed, loaded, target);
  const baseFields = baseFieldNames(common);
  const warnings: ImportWarning[] = [];
  const changes = new Map<string, string[]>();

  for (const facts of placed) {
    const name = target(facts);
    let slot = docs.get(name);
    if (!slot) {
      slot = { doc: newSpecDocument() };
      docs.set(name, slot);
    }
    const log = (change: string) => changes.set(name, [...(changes.get(name) ?? []), change]);
    specFromFacts(slot.doc, facts, { enums: enums.byField, baseFields, existing: slot.spec !== undefined, log, warn: (message) => warnings.push({ file: `specs/${name}`, message }) });
  }

  // Enums: new members into the spec that defines them; new enums into their one user, or common.yaml.
  for (const planned of enums.all) {
    const file = planned.definedIn ?? (planned.users.size === 1 ? [...planned.users][0]! : COMMON_SPEC);
    const doc = docs.get(file)!.doc;
    let enumsMap = doc.get("enums");
    if (!isMap(enumsMap)) {
      enumsMap = new YAMLMap();
      doc.set("enums", enumsMap);
    }
    const map = enumsMap as YAMLMap;
    let node = map.get(planned.name) as YAMLMap | undefined;
    if (!isMap(node)) {
      node = new YAMLMap();
      node.set("values", new YAMLMap());
      map.set(planned.name, node);
      (changes.get(file) ?? changes.set(file, []).get(file)!).push(`added enum ${planned.name}`);
    }
    const values = node.get("values") as YAMLMap;
    const taken = new Set(values.items.map((p) => Number((p.value as Scalar).value)));
    for (const [value, member] of [...planned.values].sort((a, b) => a[0] - b[0])) {
      if (taken.has(value) || values.has(member)) continue;
      values.set(member, value);
      if (planned.definedIn) (changes.get(file) ?? changes.set(file, []).get(file)!).push(`enum ${planned.name} gained ${member} = ${value}`);
    }
  }

  const commonDoc = docs.get(COMMON_SPEC)!.doc;
  const unplaced = all.filter((f) => f.area === null).sort((a, b) => a.entity.localeCompare(b.entity));
  const list = new YAMLSeq();
  for (const facts of unplaced) {
    const item = new YAMLMap();
    item.flow = true;
    item.set("entity", facts.entity);
    item.set("plural", facts.plural);
    if (facts.about) item.set("note", facts.about);
    list.items.push(item);
  }
  if (unplaced.length && JSON.stringify(commonDoc.get("areaUnknown")) !== JSON.stringify(list)) {
    commonDoc.set("areaUnknown", list);
    (changes.get(COMMON_SPEC) ?? changes.set(COMMON_SPEC, []).get(COMMON_SPEC)!).push(`listed ${unplaced.length} entities as area unknown`);
  }

  const files: ImportedFile[] = [];
  for (const [name, { doc, spec }] of docs) {
    // A spec the facts add nothing to keeps its text as a person wrote it.
    if (spec && !changes.get(name)?.length) continue;
    const text = renderSpec(doc);
    if (spec && spec.text === text) continue;
    const file = displayPath(path.join(specsDir, name));
    files.push({ name, file, created: !spec, unchanged: false, changes: changes.get(name) ?? [], text });
  }
  files.sort((a, b) => a.name.localeCompare(b.name));
  await checkAndWrite({ loaded, files, specsDir, before, dryRun: options.dryRun === true, warnings });
  return { files, warnings };
}

async function readFacts(source: string): Promise<EntityFacts[]> {
  let paths: string[];
  try {
    paths = (await stat(source)).isDirectory()
      ? (await readdir(source)).filter((n) => n.endsWith(".yaml")).sort().map((n) => path.join(source, n))
      : [source];
  } catch {
    throw new ImportError([`${source}: no such file or folder`]);
  }
  const problems: string[] = [];
  const facts: EntityFacts[] = [];
  for (const file of paths) {
    const doc = parseDocument(await readFile(file, "utf8"));
    const value = doc.toJS() as Partial<EntityFacts> | null;
    if (doc.errors.length || !value || typeof value.entity !== "string" || typeof value.plural !== "string" || !Array.isArray(value.operations) || !("area" in value)) {
      problems.push(`${displayPath(path.resolve(file))}: not an entity fact file (it needs entity, plural, area and operations)`);
      continue;
    }
    facts.push(value as EntityFacts);
  }
  if (problems.length) throw new ImportError(problems);
  return facts;
}

function baseFieldNames(common: LoadedSpec): Set<string> {
  const base = common.root?.kind === "map" ? entry(common.root, "baseFields")?.value : undefined;
  return new Set(base?.kind === "map" ? base.entries.map((e) => e.key) : []);
}

/** Enum name per `Entity.Field`, and every enum the facts need with its members. */
function planEnums(placed: readonly EntityFacts[], loaded: readonly LoadedSpec[], target: (facts: EntityFacts) => string) {
  // What the specs define already: name -> (file, value -> member), and which field takes which.
  const defined = new Map<string, { file: string; values: Map<number, string> }>();
  const fieldEnum = new Map<string, string>();
  const takenNames = new Set<string>([...BUILTIN_NAMES, ...reservedExports()]);
  for (const spec of loaded) {
    if (spec.root?.kind !== "map") continue;
    const raw = plain(spec.root) as { entity?: string; enums?: Record<string, { values?: Record<string, number> }>; fields?: Record<string, unknown> };
    for (const [name, e] of Object.entries(raw.enums ?? {})) {
      defined.set(name, { file: spec.name, values: new Map(Object.entries(e.values ?? {}).map(([member, value]) => [value, member])) });
      takenNames.add(name);
    }
    for (const [field, value] of Object.entries(raw.fields ?? {})) {
      const type = typeof value === "string" ? value : (value as { type?: string }).type;
      const base = type ? parseTypeName(type)?.base : undefined;
      if (raw.entity && base) fieldEnum.set(`${raw.entity}.${field}`, base);
    }
  }
  for (const facts of placed) for (const suffix of ["", "ListingRecord", "Create", "Query", "OrderBy"]) takenNames.add(`${facts.entity}${suffix}`);
  for (const facts of placed) takenNames.add(`${facts.plural.charAt(0).toUpperCase()}${facts.plural.slice(1)}Resource`);

  const key = (values: Map<number, string>) => [...values].sort((a, b) => a[0] - b[0]).map(([v, n]) => `${v}:${n}`).join(",");
  const byKey = new Map<string, PlannedEnum>();
  const byField = new Map<string, string>();
  // Candidate names first, to see which name two different value sets would share.
  const wanted: { facts: EntityFacts; field: string; candidate: string; values: Map<number, string> }[] = [];
  for (const facts of placed) {
    for (const [field, f] of Object.entries(facts.fields ?? {})) {
      const raw = f.type === "enum" && f.enum ? facts.enums?.[f.enum] : undefined;
      if (!raw || Array.isArray(raw)) continue;
      const values = new Map(Object.entries(raw).map(([v, n]) => [Number(v), String(n)]));
      wanted.push({ facts, field, candidate: f.enum!, values });
    }
  }
  const setsPerName = new Map<string, Set<string>>();
  for (const w of wanted) setsPerName.set(w.candidate, (setsPerName.get(w.candidate) ?? new Set()).add(key(w.values)));

  for (const w of wanted) {
    const file = target(w.facts);
    // A spec's own enum for this field wins: it gains the members the facts add.
    const existing = fieldEnum.get(`${w.facts.entity}.${w.field}`);
    const own = existing ? defined.get(existing) : undefined;
    let planned: PlannedEnum | undefined;
    if (existing && own) {
      planned = byKey.get(`defined:${existing}`) ?? { name: existing, values: own.values, users: new Set(), definedIn: own.file };
      for (const [v, n] of w.values) if (!planned.values.has(v) && ![...planned.values.values()].includes(n)) planned.values.set(v, n);
      byKey.set(`defined:${existing}`, planned);
    } else {
      const k = key(w.values);
      const same = [...defined].find(([, d]) => key(d.values) === k);
      if (same) {
        planned = byKey.get(`defined:${same[0]}`) ?? { name: same[0], values: same[1].values, users: new Set(), definedIn: same[1].file };
        byKey.set(`defined:${same[0]}`, planned);
      } else {
        planned = byKey.get(k);
        if (!planned) {
          const shared = (setsPerName.get(w.candidate)?.size ?? 1) > 1;
          let name = shared || takenNames.has(w.candidate) ? qualified(w.facts.entity, w.candidate) : w.candidate;
          while (takenNames.has(name)) name = `${name}Value`;
          takenNames.add(name);
          planned = { name, values: w.values, users: new Set() };
          byKey.set(k, planned);
        }
      }
    }
    planned.users.add(file);
    byField.set(`${w.facts.entity}.${w.field}`, planned.name);
  }
  return { byField, all: [...new Set(byKey.values())].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** `Booking` + `Status` -> `BookingStatus`; a name that already starts with the entity stays. */
function qualified(entity: string, name: string): string {
  return name.startsWith(entity) ? `${name}Kind` : `${entity}${name}`;
}

interface SpecContext {
  enums: ReadonlyMap<string, string>;
  baseFields: ReadonlySet<string>;
  /** The spec exists: what it says wins, the facts only add. */
  existing: boolean;
  log: (change: string) => void;
  warn: (message: string) => void;
}

/** Writes (a new spec) or merges (an existing one) what one entity's facts say. */
function specFromFacts(doc: Document, facts: EntityFacts, context: SpecContext): void {
  const root = doc.contents as YAMLMap;
  let changes = 0;
  const log = (change: string) => {
    changes++;
    context.log(change);
  };
  const complete = (root.getIn(["docs", "status"]) as string | undefined) === "complete";
  if (!context.existing) {
    root.set("entity", facts.entity);
    root.set("area", facts.area);
    const description = new Scalar(`${descriptionOf(facts)}\n`);
    description.type = "BLOCK_LITERAL";
    root.set("description", description);
  }

  // Operations: the union, in canonical order; a facts-only operation is logged.
  const had = new Set((root.get("operations") as YAMLSeq | undefined)?.toJSON() as OperationName[] | undefined);
  const ops = OPERATION_NAMES.filter((op) => had.has(op) || facts.operations.includes(op));
  for (const op of ops) if (context.existing && !had.has(op)) log(`added operation ${op}`);
  const opsSeq = new YAMLSeq();
  opsSeq.flow = true;
  opsSeq.items.push(...ops);

  const fieldsMap = (isMap(root.get("fields")) ? root.get("fields") : new YAMLMap()) as YAMLMap;
  const filtersMap = (isMap(root.get("filters")) ? root.get("filters") : new YAMLMap()) as YAMLMap;
  const rangeMap = (isMap(root.get("rangeFilters")) ? root.get("rangeFilters") : new YAMLMap()) as YAMLMap;
  const derived = new Set(facts.casingDerived ?? []);
  const unknownEnums: string[] = [];
  const factFields = Object.entries(facts.fields ?? {});
  const ids = new Set(factFields.filter(([n, f]) => /.Id$/.test(n) && SCALAR_TYPES[f.type] === "integer").map(([n]) => n.slice(0, -2)));
  const docsNamed = filtersNamedInNotes(facts);

  for (const [name, f] of factFields) {
    const existingEntry = fieldsMap.get(name, true) as YAMLMap | Scalar | undefined;
    if (existingEntry === undefined && context.baseFields.has(name)) continue;
    const { entry: wanted, filter } = fieldEntry(facts, name, f, context.enums, derived.has(name), unknownEnums, ids);
    if (existingEntry === undefined) {
      // A complete spec lists every field its docs pages give: the facts only add flags to it.
      if (complete) continue;
      fieldsMap.set(name, flowMap(wanted));
      log(`added field ${name}`);
    } else {
      const merged = isMap(existingEntry) ? existingEntry : flowMap({ type: String(existingEntry.value) });
      // Docs pages type dates as `string` (the facts README names this quirk): the facts' DateTime is
      // the truer type, and it keeps the field's range filter.
      const pageType = String(merged.get("type"));
      if (SCALAR_TYPES[f.type] === "datetime" && /^string\??$/.test(pageType)) {
        merged.set("type", pageType.replace("string", "datetime"));
        log(`${name}: type datetime`);
      }
      for (const [k, v] of Object.entries(wanted)) {
        if (["type", "description", "filter", "range"].includes(k) || merged.has(k)) continue;
        if (k === "readOnly" && (merged.get("required") === true || merged.has("createOnly"))) continue;
        if (k === "required" && merged.get("readOnly") === true) continue;
        merged.set(k, v);
        log(`${name}: ${k}`);
      }
      if (!isMap(existingEntry) && merged.items.length > 1) fieldsMap.set(name, merged);
    }
    if (complete) continue;
    let entryNode = fieldsMap.get(name, true) as YAMLMap | Scalar;
    if (!isMap(entryNode) && (filter || f.range)) {
      // `Size: WidgetSize` becomes `Size: { type: WidgetSize, filter: true }`.
      entryNode = flowMap({ type: String(entryNode.value) });
      fieldsMap.set(name, entryNode);
    }
    const type = isMap(entryNode) ? String(entryNode.get("type")) : String(entryNode.value);
    // Filters and range filters a docs page names are written out; the facts add the others.
    const named = docsNamed.get(name);
    if (named && filter) {
      // The notes quote the docs' own name for this field's filter: it is documented, not derived.
      if (!filtersMap.has(named) && filterable(type)) {
        filtersMap.set(named, flowMap({ type: type.replace(/\?$/, "") }));
        log(`added filter ${named}`);
      }
    } else if (filter?.joined) {
      if (!filtersMap.has(filter.name)) {
        filtersMap.set(filter.name, flowMap({ type: filter.type, provenance: "derived" }));
        log(`added filter ${filter.name}`);
      }
    } else if (filter && !filtersMap.has(filter.name) && isMap(entryNode) && filterable(type) && !entryNode.has("filter")) {
      entryNode.set("filter", true);
      log(`added filter ${filter.name}`);
    }
    const rangeName = `${facts.entity}_${name}`;
    if (f.range && !rangeMap.has(rangeName) && isMap(entryNode) && rangeable(type) && !entryNode.has("range")) {
      entryNode.set("range", true);
      log(`added range filter ${rangeName}`);
    }
    // Provenance reads last on the line: `{ type: string?, filter: true, provenance: derived }`.
    if (isMap(entryNode) && entryNode.has("provenance")) {
      const value = entryNode.get("provenance");
      entryNode.delete("provenance");
      entryNode.set("provenance", value);
    }
  }

  // A spec written from a create or update docs page knows which fields are writable: that wins.
  const writesDocumented = ((root.getIn(["docs", "sources"]) as YAMLSeq | undefined)?.toJSON() as string[] | undefined ?? []).some((url) => /\/(post|put)-/.test(url));
  for (const name of facts.readOnlyFields ?? []) {
    const existingEntry = fieldsMap.get(name, true) as YAMLMap | Scalar | undefined;
    if (existingEntry !== undefined && !factFields.some(([n]) => n === name)) {
      // A field the spec types but does not flag: the facts say it is read-only.
      const merged = isMap(existingEntry) ? existingEntry : flowMap({ type: String(existingEntry.value) });
      if (!writesDocumented && !["readOnly", "required", "createOnly", "updateOnly"].some((k) => merged.has(k))) {
        merged.set("readOnly", true);
        fieldsMap.set(name, merged);
        log(`${name}: readOnly`);
      }
      continue;
    }
    if (existingEntry !== undefined || context.baseFields.has(name) || complete) continue;
    fieldsMap.set(name, flowMap({ type: "unknown", readOnly: true, ...(derived.has(name) ? { provenance: "derived" } : {}) }));
    log(`added field ${name}`);
  }

  if (!context.existing) {
    const unknownTypes = (facts.readOnlyFields ?? []).filter((n) => !context.baseFields.has(n) && !facts.fields?.[n]);
    const missing = [
      // What the facts never give, so every spec written from them lacks it.
      FACTS_ONLY_MISSING,
      unknownEnums.length ? `The values of ${list(unknownEnums)}.` : "",
      unknownTypes.length ? `The type of read-only ${list(unknownTypes)}.` : "",
    ].filter(Boolean).join(" ");
    const docsMap = new YAMLMap();
    docsMap.set("status", "partial");
    const sources = new YAMLSeq();
    const docsUrl = /https:\/\/developers\.nexudus\.com\/\S+/.exec(facts.areaSource ?? "")?.[0]?.replace(/[;,.)]+$/, "");
    if (docsUrl) sources.items.push(docsUrl);
    sources.items.push(`${REFERENCE_URL}/${facts.plural}.md`);
    docsMap.set("sources", sources);
    if (missing) docsMap.set("missing", missing);
    root.set("docs", docsMap);
  }
  // The facts' source joins the sources of a spec they add to.
  const reference = `${REFERENCE_URL}/${facts.plural}.md`;
  const sources = root.getIn(["docs", "sources"]);
  if (context.existing && isSeq(sources) && !sources.items.some((i) => (isScalar(i) ? i.value : i) === reference) && (changes > 0 || ops.some((op) => !had.has(op)))) {
    sources.items.push(reference);
  }
  root.set("operations", opsSeq);
  if (fieldsMap.items.length) root.set("fields", fieldsMap);
  if (filtersMap.items.length) root.set("filters", filtersMap);
  if (rangeMap.items.length) root.set("rangeFilters", rangeMap);
  reorder(root);
  if (unknownEnums.length && context.existing) context.warn(`the values of ${list(unknownEnums)} are not documented`);
}

/**
 * Filters whose docs name the notes quote (`AuditTrailEntry_EntityId`, `BusinessAnnouncement_ClearImage`),
 * by the field they filter: the field of that name, of that name in other capitals, or the one the
 * name starts (`ClearImage` for `ClearImageFile`).
 */
function filtersNamedInNotes(facts: EntityFacts): Map<string, string> {
  const fields = Object.keys(facts.fields ?? {});
  const named = new Map<string, string>();
  const pattern = new RegExp(`\\b${facts.entity}_([A-Za-z][A-Za-z0-9_]*)`, "g");
  for (const note of facts.notes ?? []) {
    for (const [filterName, suffix] of note.matchAll(pattern)) {
      const field =
        fields.find((f) => f === suffix) ??
        fields.find((f) => f.toLowerCase() === suffix!.toLowerCase()) ??
        fields.find((f) => f.startsWith(suffix!));
      if (field) named.set(field, filterName);
    }
  }
  return named;
}

/** The spec entry of one fact field, and the filter it gives (`<Entity>_<Field>`, or a joined name). */
function fieldEntry(
  facts: EntityFacts,
  name: string,
  f: FactField,
  enums: ReadonlyMap<string, string>,
  casingDerived: boolean,
  unknownEnums: string[],
  ids: ReadonlySet<string>,
): { entry: Record<string, unknown>; filter?: { name: string; type: string; joined: boolean } } {
  let type: string;
  let description: string | undefined;
  const out: Record<string, unknown> = {};
  if (f.type === "enum") {
    const values = f.enum ? facts.enums?.[f.enum] : undefined;
    const planned = enums.get(`${facts.entity}.${name}`);
    // Nexudus sends enums as integers: without known numbers, the field is an integer.
    type = planned ?? "integer";
    if (!planned && Array.isArray(values)) description = `One of ${values.join(", ")}; their numbers are not documented.`;
    else if (!planned) unknownEnums.push(name);
  } else if (f.type === "long[]") {
    type = "integer[]";
    out.collection = true;
  } else if (f.type === "children") {
    type = "object[]";
    out.properties = Object.fromEntries((f.properties ?? []).map((p) => [p, "unknown"]));
  } else type = SCALAR_TYPES[f.type] ?? "unknown";
  // The facts record no nullability: every value may come back null (docs/spec-format.md, "Nullability").
  const entry: Record<string, unknown> = { type: `${type}?`, ...out };
  const writable = f.create !== undefined || f.update !== undefined;
  if (!writable) entry.readOnly = true;
  if (f.create === "required") entry.required = true;
  if (f.create !== undefined && f.create !== false && f.update === false) entry.createOnly = true;
  if (f.create === false && f.update) entry.updateOnly = true;
  if (description) entry.description = description;
  if (casingDerived) entry.provenance = "derived";
  if (!f.filter) return { entry };
  // A read-through value (ProductName beside ProductId) is filtered through its relation: Product_Name.
  // (The key itself, BusinessId, is no read-through value: the convention names its filter.)
  const relation = !writable ? [...ids].find((rel) => name.startsWith(rel) && /^[A-Z]/.test(name.slice(rel.length)) && name.slice(rel.length) !== "Id") : undefined;
  if (relation) return { entry, filter: { name: `${facts.entity}_${relation}_${name.slice(relation.length)}`, type, joined: true } };
  const foreignKey = type === "integer" && /.Id$/.test(name);
  return { entry, filter: { name: `${facts.entity}_${foreignKey ? name.slice(0, -2) : name}`, type, joined: false } };
}

function filterable(type: string): boolean {
  const parsed = parseTypeName(type);
  return parsed !== undefined && !parsed.array && !["json", "unknown", "object"].includes(parsed.base);
}

function rangeable(type: string): boolean {
  const parsed = parseTypeName(type);
  return parsed !== undefined && !parsed.array && RANGE_TYPES.includes(parsed.base);
}

function descriptionOf(facts: EntityFacts): string {
  const notes = (facts.notes ?? []).filter((n) => !SOURCE_NOTE.test(n));
  return [facts.about ?? `A ${facts.entity} record.`, ...notes].join(" ").trim();
}

const list = (names: readonly string[]) => names.join(", ");

/** A map printed on one line: `{ type: integer?, filter: true }`. */
function flowMap(values: Record<string, unknown>): YAMLMap {
  const map = new YAMLMap();
  map.flow = true;
  for (const [k, v] of Object.entries(values)) {
    if (k === "properties") {
      const child = new YAMLMap();
      child.flow = true;
      for (const [p, t] of Object.entries(v as Record<string, string>)) child.set(p, t);
      map.set(k, child);
    } else map.set(k, v);
  }
  return map;
}

const KEY_ORDER = ["entity", "plural", "area", "path", "description", "docs", "operations", "roles", "baseFields", "baseFilters", "fields", "filters", "rangeFilters", "listingOmits", "enums"];

/** Top-level keys in the order the spec format documents them. */
function reorder(root: YAMLMap): void {
  root.items.sort((a, b) => {
    const ka = KEY_ORDER.indexOf(String(isScalar(a.key) ? a.key.value : a.key));
    const kb = KEY_ORDER.indexOf(String(isScalar(b.key) ? b.key.value : b.key));
    return ka - kb;
  });
}

