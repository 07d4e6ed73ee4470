import { Document, isMap, isScalar, isSeq, Scalar, YAMLMap, YAMLSeq, type Pair } from "yaml";
import { OPERATION_NAMES, type OperationName } from "../model.js";
import { isPrimitive, parseTypeName } from "../types.js";
import { PLACEHOLDER_DESCRIPTION, type DraftEnum, type DraftField, type DraftFilter, type ImportWarning, type SpecDraft } from "./to-spec.js";

/** Top-level keys in the order specs write them; a key the merge adds goes to its place. */
const KEY_ORDER = [
  "entity", "plural", "area", "path", "description", "docs", "operations", "roles", "baseFields", "baseFilters",
  "fields", "filters", "rangeFilters", "listingOmits", "enums",
];
/** Marks a comment the importer wrote; the merge removes it once a page settles the question. */
const IMPORT_MARK = "import:";
const SCHEMA_COMMENT = " yaml-language-server: $schema=../../generator/schema/spec.schema.json";

/** A spec that cannot take the page: it describes another entity or area. */
export class MergeConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MergeConflict";
  }
}

/** What merging one page changed, and where it kept the spec against the page. */
export interface MergeResult {
  /** What changed, one line each, for the report. */
  changes: string[];
  /** Where the page and the spec disagree and the spec was kept. */
  warnings: ImportWarning[];
}

/** An empty spec document, with the schema comment editors use to complete and check it. */
export function newSpecDocument(): Document {
  const root = new YAMLMap();
  // On the map rather than the document, so no blank line follows it (as in the hand-written specs).
  root.commentBefore = SCHEMA_COMMENT;
  return new Document(root);
}

/** The YAML text of a spec, in the style of the hand-written specs (`[a, b]` lists). */
export function renderSpec(doc: Document): string {
  return doc.toString({ lineWidth: 0 }).replace(/(:\s)\[ ([A-Za-z0-9_, ]*) \]$/gm, "$1[$2]");
}

/**
 * Merges what one page determines into a spec document, in place. What a person wrote is kept:
 * descriptions, enum names, flags and types are only added where missing, and a type only
 * changes when the page refines it (integer -> an enum, string -> datetime, a value shown null
 * -> nullable, or an entry still marked `# import:` as uncertain).
 */
export function mergeDraft(doc: Document, draft: SpecDraft): MergeResult {
  const result: MergeResult = { changes: [], warnings: [] };
  const root = doc.contents;
  if (!isMap(root)) throw new MergeConflict("the spec file is not a YAML map");
  const conflict = (message: string) => result.warnings.push({ file: `specs/${draft.target}`, message });

  for (const key of ["entity", "area"] as const) {
    const existing = root.get(key);
    if (existing === undefined) setKey(doc, root, key, draft[key]);
    else if (existing !== draft[key]) throw new MergeConflict(`specs/${draft.target} has ${key} ${String(existing)}, but the page is about ${key} ${draft[key]}`);
  }
  for (const key of ["plural", "path"] as const) {
    const wanted = draft[key];
    if (wanted === undefined) continue;
    const existing = root.get(key);
    if (existing === undefined) {
      setKey(doc, root, key, wanted);
      result.changes.push(`set ${key} to ${wanted}`);
    } else if (existing !== wanted) conflict(`the spec's ${key} is ${String(existing)}, the page suggests ${wanted}; kept ${String(existing)}`);
  }

  const description = root.get("description");
  const replaceable = description === undefined || (typeof description === "string" && description.trim() === PLACEHOLDER_DESCRIPTION);
  if (replaceable && (description === undefined || !draft.placeholderDescription)) {
    const scalar = new Scalar(`${draft.description}\n`);
    scalar.type = "BLOCK_LITERAL";
    setKey(doc, root, "description", scalar);
    const pair = findPair(root, "description")!;
    setImportNote(pair, draft.placeholderDescription ? "the page has no description: write one" : undefined);
    if (draft.placeholderDescription) result.warnings.push({ file: draft.page, message: "the page has no description; the spec gets a placeholder to replace" });
    if (description !== undefined) result.changes.push("description from the page");
  }

  if (!isMap(root.get("docs"))) setDocsStatus(doc, draft.missing);
  const docs = ensureMap(doc, root, "docs", false);
  const sources = docs.get("sources");
  const sourceList = isSeq(sources) ? sources : new YAMLSeq();
  if (!isSeq(sources)) docs.set("sources", sourceList);
  if (!sourceList.items.some((item) => isScalar(item) && item.value === draft.source)) {
    sourceList.items.push(doc.createNode(draft.source));
    result.changes.push(`added source ${draft.source}`);
  }
  if (docs.get("status") === "complete" && draft.missing.length > 0 && draft.operation === "list") {
    conflict(`the spec says docs.status: complete, but the imported page is incomplete (${draft.missing.join("; ")}); kept complete`);
  }

  mergeOperations(doc, root, draft.operation, result);
  for (const [operation, role] of Object.entries(draft.roles) as [OperationName, string][]) {
    const roles = ensureMap(doc, root, "roles", false);
    if (!roles.has(operation)) {
      roles.set(operation, role);
      result.changes.push(`role of ${operation}: ${role}`);
    }
  }

  const entries = { doc, root, result, conflict };
  for (const [name, field] of draft.fields) mergeEntry(entries, "fields", name, field, fieldNode(doc, field), "field");
  for (const [name, filter] of draft.filters) mergeEntry(entries, "filters", name, filter, filterNode(doc, filter), "filter");
  for (const [name, range] of draft.rangeFilters) mergeEntry(entries, "rangeFilters", name, range, filterNode(doc, range), "range filter");

  if (draft.listingOmits.length > 0) {
    const omits = root.get("listingOmits");
    const list = isSeq(omits) ? omits : flowSeq(doc, []);
    if (!isSeq(omits)) setKey(doc, root, "listingOmits", list);
    const present = new Set(list.items.map((item) => (isScalar(item) ? item.value : undefined)));
    const added = draft.listingOmits.filter((name) => !present.has(name));
    for (const name of added) list.items.push(doc.createNode(name));
    if (added.length > 0) result.changes.push(`listing leaves out ${added.join(", ")}`);
  }
  if (draft.unknownOmits.length > 0) {
    const note = ` ${IMPORT_MARK} the listing also leaves out ${draft.unknownOmits.join(", ")}; list them under listingOmits once they are fields`;
    const pair = findPair(root, "listingOmits") ?? findPair(root, "filters") ?? findPair(root, "operations");
    if (pair && isScalar(pair.key)) addComment(pair.key, note);
  }

  settleGuesses(root, draft, result);
  for (const [name, definition] of draft.enums) mergeEnum(doc, root, name, definition, result, conflict);
  if (draft.createBody) markReadOnly(doc, root, draft.createBody, result);
  return result;
}

/**
 * Sets docs.status and docs.missing of a spec the importer creates: complete when nothing is
 * missing, otherwise partial with what is missing.
 */
export function setDocsStatus(doc: Document, missingParts: readonly string[]): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  // A spec whose description is still the placeholder is never complete.
  const placeholder = String(root.get("description") ?? "").trim() === PLACEHOLDER_DESCRIPTION;
  const missing = placeholder ? ["the description", ...missingParts] : missingParts;
  const docs = ensureMap(doc, root, "docs", false);
  docs.set("status", missing.length > 0 ? "partial" : "complete");
  if (missing.length > 0) {
    const text = `${missing.map((m) => m.charAt(0).toUpperCase() + m.slice(1)).join(". ")}.`;
    docs.set("missing", text);
  } else docs.delete("missing");
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
}

/** Sets a top-level key, inserting a new one at its place in KEY_ORDER. */
function setKey(doc: Document, root: YAMLMap, key: string, value: unknown): void {
  const existing = findPair(root, key);
  if (existing) {
    existing.value = value instanceof Scalar || isMap(value) || isSeq(value) ? value : doc.createNode(value);
    return;
  }
  const rank = KEY_ORDER.indexOf(key);
  const pair = doc.createPair(key, value);
  const index = root.items.findIndex((p) => isScalar(p.key) && KEY_ORDER.indexOf(String(p.key.value)) > rank);
  if (index < 0) root.items.push(pair);
  else root.items.splice(index, 0, pair);
}

function ensureMap(doc: Document, root: YAMLMap, key: string, flow: boolean): YAMLMap {
  const existing = root.get(key);
  if (isMap(existing)) return existing;
  const map = new YAMLMap();
  map.flow = flow;
  setKey(doc, root, key, map);
  return map;
}

function flowSeq(doc: Document, items: string[]): YAMLSeq {
  const seq = doc.createNode(items) as YAMLSeq;
  seq.flow = true;
  return seq;
}

function mergeOperations(doc: Document, root: YAMLMap, operation: OperationName, result: MergeResult): void {
  const existing = root.get("operations");
  const current = isSeq(existing) ? existing.items.map((item) => (isScalar(item) ? String(item.value) : "")) : [];
  if (current.includes(operation)) return;
  const merged = OPERATION_NAMES.filter((op) => op === operation || current.includes(op));
  // Names the format does not know stay, after the known ones, for the validator to report.
  const unknown = current.filter((op) => !(OPERATION_NAMES as readonly string[]).includes(op));
  if (isSeq(existing)) {
    existing.items = [...merged, ...unknown].map((op) => doc.createNode(op));
  } else setKey(doc, root, "operations", flowSeq(doc, [...merged]));
  result.changes.push(`added operation ${operation}`);
}

function fieldNode(doc: Document, field: DraftField): unknown {
  if (!field.required && !field.description) return field.type;
  const map = doc.createNode({
    type: field.type,
    ...(field.required ? { required: true } : {}),
    ...(field.description ? { description: field.description } : {}),
  }) as YAMLMap;
  map.flow = true;
  return map;
}

function filterNode(doc: Document, filter: DraftFilter): unknown {
  if (!filter.description) return filter.type;
  const map = doc.createNode({ type: filter.type, description: filter.description }) as YAMLMap;
  map.flow = true;
  return map;
}

function hasImportNote(pair: Pair): boolean {
  return isScalar(pair.key) && (pair.key.commentBefore ?? "").includes(IMPORT_MARK);
}

function addComment(node: Scalar, text: string): void {
  node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${text}` : text;
}

/** Replaces the importer's comments on a key (a person's own comments stay). */
function setImportNote(pair: Pair, note: string | undefined): void {
  if (!isScalar(pair.key)) return;
  const own = (pair.key.commentBefore ?? "").split("\n").filter((line) => !line.includes(IMPORT_MARK));
  const lines = note ? [...own, ` ${IMPORT_MARK} ${note}`] : own;
  pair.key.commentBefore = lines.length > 0 ? lines.join("\n") : undefined;
}

function typeOf(pair: Pair): string | undefined {
  if (isScalar(pair.value) && typeof pair.value.value === "string") return pair.value.value;
  if (isMap(pair.value)) {
    const type = pair.value.get("type");
    return typeof type === "string" ? type : undefined;
  }
  return undefined;
}

function setType(doc: Document, pair: Pair, type: string): void {
  if (isMap(pair.value)) pair.value.set("type", type);
  else pair.value = doc.createNode(type);
}

/** The entry as a map, converting the `Name: type` shorthand so flags can be added. */
function asMap(doc: Document, pair: Pair): YAMLMap {
  if (isMap(pair.value)) return pair.value;
  const map = doc.createNode({ type: typeOf(pair) ?? "json" }) as YAMLMap;
  map.flow = true;
  pair.value = map;
  return map;
}

/**
 * Whether a page's type refines the spec's: it adds what the spec could not know (an enum for an
 * integer, datetime for a string, null for a value shown null), or replaces a type the importer
 * itself marked uncertain. Anything else is a person's choice and stays.
 */
function refines(existing: string, incoming: string, existingUncertain: boolean, incomingUncertain: boolean): string | undefined {
  if (existing === incoming) return undefined;
  if (existingUncertain) return incomingUncertain ? undefined : incoming;
  const a = parseTypeName(existing);
  const b = parseTypeName(incoming);
  if (!a || !b || a.array !== b.array) return undefined;
  const nullable = a.nullable || b.nullable ? "?" : "";
  const array = a.array ? "[]" : "";
  const refinedBase =
    a.base === b.base ? a.base
    : a.base === "integer" && !isPrimitive(b.base) ? b.base
    : a.base === "string" && b.base === "datetime" ? b.base
    : undefined;
  if (!refinedBase) return undefined;
  const refined = `${refinedBase}${array}${nullable}`;
  return refined === existing ? undefined : refined;
}

/** What every entry merge works on. */
interface EntryTarget {
  doc: Document;
  root: YAMLMap;
  result: MergeResult;
  conflict: (message: string) => void;
}

function mergeEntry(
  { doc, root, result, conflict }: EntryTarget,
  section: "fields" | "filters" | "rangeFilters",
  name: string,
  incoming: DraftField | DraftFilter,
  node: unknown,
  what: string,
): void {
  const map = ensureMap(doc, root, section, false);
  const pair = findPair(map, name);
  if (!pair) {
    const created = doc.createPair(name, node);
    if (incoming.note) setImportNote(created, incoming.note);
    map.items.push(created);
    result.changes.push(`added ${what} ${name} (${incoming.type})`);
    return;
  }
  const existingType = typeOf(pair);
  const uncertain = hasImportNote(pair);
  if (existingType !== undefined) {
    const refined = refines(existingType, incoming.type, uncertain, incoming.note !== undefined);
    if (refined) {
      setType(doc, pair, refined);
      setImportNote(pair, incoming.note);
      result.changes.push(`${what} ${name}: ${existingType} -> ${refined}`);
    } else if (uncertain && !incoming.note && existingType === incoming.type) {
      setImportNote(pair, undefined);
      result.changes.push(`${what} ${name}: ${existingType} confirmed`);
    } else if (parseTypeName(existingType)?.base !== parseTypeName(incoming.type)?.base && !isEnumOfInteger(existingType, incoming.type)) {
      conflict(`${what} ${name}: the page says ${incoming.type}, the spec keeps ${existingType}`);
    }
  }
  if ("required" in incoming && incoming.required && !flag(pair, "required") && !flag(pair, "readOnly")) {
    asMap(doc, pair).set("required", true);
    result.changes.push(`${what} ${name}: required`);
  }
  if (incoming.description && !(isMap(pair.value) && pair.value.has("description"))) {
    asMap(doc, pair).set("description", incoming.description);
    result.changes.push(`${what} ${name}: description from the page`);
  }
}

/**
 * A guess the importer noted on a field ("ExpirationType is a guess") also sits on the field's
 * filters; once a page states the field's type with certainty, both notes go.
 */
function settleGuesses(root: YAMLMap, draft: SpecDraft, result: MergeResult): void {
  const fields = root.get("fields");
  const filters = root.get("filters");
  if (!isMap(fields) || !isMap(filters)) return;
  for (const [name, field] of draft.fields) {
    const pair = findPair(fields, name);
    if (field.note || !pair || hasImportNote(pair)) continue;
    for (const filter of filters.items) {
      const comment = isScalar(filter.key) ? (filter.key.commentBefore ?? "") : "";
      if (!comment.includes(`${IMPORT_MARK} `) || !comment.includes(`; ${name} is a guess`)) continue;
      setImportNote(filter, undefined);
      result.changes.push(`filter ${String((filter.key as Scalar).value)}: its enum is confirmed by the field ${name}`);
    }
  }
}

/** A spec's enum for what the page calls an integer is a person's refinement, not a disagreement. */
function isEnumOfInteger(specType: string, pageType: string): boolean {
  const spec = parseTypeName(specType);
  const page = parseTypeName(pageType);
  return spec !== undefined && page?.base === "integer" && !isPrimitive(spec.base);
}

function flag(pair: Pair, key: string): boolean {
  return isMap(pair.value) && pair.value.has(key);
}

function mergeEnum(
  doc: Document,
  root: YAMLMap,
  name: string,
  definition: DraftEnum,
  result: MergeResult,
  conflict: (message: string) => void,
): void {
  const enums = ensureMap(doc, root, "enums", false);
  const pair = findPair(enums, name);
  if (!pair) {
    const created = doc.createPair(name, {
      ...(definition.nexudusName ? { nexudusName: definition.nexudusName } : {}),
      values: definition.values,
    });
    if (definition.note) setImportNote(created, definition.note);
    enums.items.push(created);
    result.changes.push(`added enum ${name}`);
    return;
  }
  const values = isMap(pair.value) ? pair.value.get("values") : undefined;
  if (!isMap(values)) return;
  for (const [member, value] of Object.entries(definition.values)) {
    const current = values.get(member);
    if (current === undefined) {
      values.set(member, value);
      result.changes.push(`enum ${name}: added ${member} = ${value}`);
    } else if (current !== value) {
      conflict(`enum ${name}: the page gives ${member} = ${value}, the spec keeps ${String(current)}`);
    }
  }
}

/** After a complete create page: fields the body does not take are set by Nexudus. */
function markReadOnly(doc: Document, root: YAMLMap, body: readonly string[], result: MergeResult): void {
  const fields = root.get("fields");
  if (!isMap(fields)) return;
  for (const pair of fields.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    if (body.includes(name) || flag(pair, "readOnly") || flag(pair, "required")) continue;
    asMap(doc, pair).set("readOnly", true);
    result.changes.push(`field ${name}: read-only (not in the create body)`);
  }
}
