import { ROLE_SUFFIX, type OperationName } from "../model.js";
import { defaultPlural } from "../names.js";
import { PLACEHOLDER_DESCRIPTION, type PrimitiveType } from "../types.js";
import type { PageEnum, PageParam, ParsedPage } from "./parse-page.js";

/** Something the importer could not know for sure, or left out; printed with the page's line. */
export interface ImportWarning {
  file: string;
  /** 1-based line in the page; absent for a remark about a spec file as a whole. */
  line?: number;
  message: string;
}

/** An enum known before this page: defined in specs/ or by a page imported earlier in the run. */
export interface KnownEnum {
  name: string;
  nexudusName?: string;
  values: { name: string; value: number }[];
}

/** What the importer needs to know about specs/ besides the page. */
export interface ImportContext {
  /** Base fields of specs/common.yaml: implied, never written into a spec. */
  baseFields: ReadonlySet<string>;
  /** Every enum by TypeScript name; the importer adds the ones it creates. */
  enums: Map<string, KnownEnum>;
  /** Type names of every entity's generated types, which an enum name must not take. */
  takenTypeNames: ReadonlySet<string>;
  /**
   * Types in the spec being merged into, when it exists, keyed `field:<Name>` and `filter:<Name>`:
   * an enum a person chose for a field there settles which field an untitled table belongs to.
   */
  existingTypes?: ReadonlyMap<string, string>;
  /**
   * "See eX enum" links of every page imported for the same spec in this run, so a listing page
   * learns from its create page which field takes an untitled table.
   */
  linkedFields?: readonly { field: string; nexudusName: string }[];
}

/** A record field as a page determines it. */
export interface DraftField {
  type: string;
  description?: string;
  required?: boolean;
  /** Why this entry needs a person's look; written as a `# import:` comment. */
  note?: string;
}

/** A filter or range filter as a page determines it. */
export interface DraftFilter {
  type: string;
  description?: string;
  note?: string;
}

/** An enum a page defines (one the specs do not have yet). */
export interface DraftEnum {
  nexudusName?: string;
  values: Record<string, number>;
  note?: string;
}

/** The spec one page determines, before it is merged into a file. */
export interface SpecDraft {
  /** The page file, for warnings about it. */
  page: string;
  /** Spec file relative to specs/: `billing/coworkertimepasses.yaml`. */
  target: string;
  operation: OperationName;
  entity: string;
  plural?: string;
  area: string;
  path?: string;
  description: string;
  /** The page has no description: `description` is a placeholder a person must replace. */
  placeholderDescription: boolean;
  source: string;
  /** What the page leaves out or cut; empty when it is complete. */
  missing: string[];
  roles: Partial<Record<OperationName, string>>;
  fields: Map<string, DraftField>;
  filters: Map<string, DraftFilter>;
  rangeFilters: Map<string, DraftFilter>;
  listingOmits: string[];
  /** Listing omissions that are not fields of the spec (yet), kept out so the spec stays valid. */
  unknownOmits: string[];
  enums: Map<string, DraftEnum>;
  /** The complete list of create-body fields (a POST page that is not cut): the other fields are read-only. */
  createBody?: string[];
  warnings: ImportWarning[];
}


/** Docs URL slugs per operation, as developers.nexudus.com names its pages. */
const SLUG: Record<OperationName, (plural: string) => string> = {
  list: (p) => `get-${p}`,
  get: (p) => `get-${p}-by-id`,
  getMany: (p) => `get-${p}-batch`,
  create: (p) => `post-${p}`,
  update: (p) => `put-${p}`,
  delete: (p) => `delete-${p}-by-id`,
  commands: (p) => `get-${p}-commands`,
  runCommand: (p) => `post-${p}-run-command`,
};

/** The words docs pages use for types, and the spec type each means. */
const TYPE_WORDS: Record<string, PrimitiveType> = {
  integer: "integer",
  int: "integer",
  int32: "integer",
  int64: "integer",
  long: "integer",
  number: "number",
  decimal: "number",
  double: "number",
  float: "number",
  string: "string",
  guid: "string",
  uuid: "string",
  boolean: "boolean",
  bool: "boolean",
  datetime: "datetime",
  "date-time": "datetime",
  date: "datetime",
  object: "json",
};

/** Record field names that usually take an enum; used only to guess, and every guess is flagged. */
const ENUM_LIKE_FIELD = /(Type|Pattern|Status|Source|Kind|Mode|Strategy|Provider|Cycle|Action|Gender|Attendance|Frequency|Reason|Options)$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The sentence a spec gets when its page has none; the merge replaces it once a page has one. */
export { PLACEHOLDER_DESCRIPTION };
/** The missing-docs note of a spec built from pages that are not the listing page. */
export const NO_LISTING_PAGE = "the listing page (filters, range filters, listing omissions) was not imported";

interface ParsedType {
  base: PrimitiveType;
  array: boolean;
}

/** `integer[]` -> { integer, array }; undefined for a word the spec format does not know. */
function specTypeOf(word: string | undefined): ParsedType | undefined {
  if (!word) return undefined;
  const match = /^([A-Za-z][A-Za-z0-9-]*)(\[\])?\??$/.exec(word.trim());
  const base = match ? TYPE_WORDS[match[1]!.toLowerCase()] : undefined;
  return base ? { base, array: match![2] !== undefined } : undefined;
}

function typeOfValue(value: unknown): ParsedType | undefined {
  if (typeof value === "boolean") return { base: "boolean", array: false };
  if (typeof value === "number") return { base: Number.isInteger(value) ? "integer" : "number", array: false };
  if (typeof value === "string") return { base: ISO_DATETIME.test(value) ? "datetime" : "string", array: false };
  if (Array.isArray(value)) {
    const element = value.length > 0 ? typeOfValue(value[0]) : undefined;
    return element && !element.array ? { base: element.base, array: true } : undefined;
  }
  if (typeof value === "object" && value !== null) return { base: "json", array: false };
  return undefined;
}

/** `eRecurrentChargePattern` -> `RecurrentChargePattern`. */
function enumTsName(nexudusName: string): string {
  return nexudusName.replace(/^e(?=[A-Z])/, "");
}

function sameValues(a: readonly { name: string; value: number }[], b: readonly { name: string; value: number }[]): boolean {
  return a.length === b.length && a.every((v, i) => v.name === b[i]!.name && v.value === b[i]!.value);
}

/** The record field a filter or range filter is about: `X_TimePass_Name` -> TimePassName, `X_Coworker` -> CoworkerId. */
function fieldOfFilter(name: string, entity: string, fields: ReadonlySet<string>): string | undefined {
  const joined = name.slice(entity.length + 1).split("_").join("");
  return [joined, `${joined}Id`].find((candidate) => fields.has(candidate));
}

/**
 * Turns one parsed page into the spec it determines. Types come from, in order: an enum the page
 * ties to the field, the page's declared type, the filter of the same field, the example value.
 * Whatever stays uncertain gets a note (a YAML comment) and a warning instead of a silent guess.
 */
export function pageToDraft(page: ParsedPage, context: ImportContext): SpecDraft {
  const warn = (line: number, message: string) => draft.warnings.push({ file: page.file, line, message });
  const plural = defaultPlural(page.entity).toLowerCase() === page.segment ? undefined : page.plural;
  const needsPath = plural === undefined && defaultPlural(page.entity).toLowerCase() !== page.segment;
  const draft: SpecDraft = {
    page: page.file,
    target: `${page.area}/${page.segment}.yaml`,
    operation: page.operation,
    entity: page.entity,
    ...(plural ? { plural } : {}),
    area: page.area,
    ...(needsPath ? { path: page.path } : {}),
    description: page.description ?? PLACEHOLDER_DESCRIPTION,
    placeholderDescription: page.description === undefined,
    source: `https://developers.nexudus.com/rest-api/${page.area}/${SLUG[page.operation](page.segment)}`,
    missing: page.cuts.map((c) => `${c.what} (line ${c.line} of the imported page)`),
    roles: {},
    fields: new Map(),
    filters: new Map(),
    rangeFilters: new Map(),
    listingOmits: [],
    unknownOmits: [],
    enums: new Map(),
    warnings: page.warnings.map((w) => ({ file: page.file, ...w })),
  };
  for (const cut of page.cuts) warn(cut.line, `${cut.what}; the spec is marked partial`);
  if (needsPath) warn(1, `the plural of ${page.entity} is not "${page.segment}" and the page's title does not give it; the spec sets path instead`);
  if (page.role && page.role !== `${page.entity}-${ROLE_SUFFIX[page.operation]}`) draft.roles[page.operation] = page.role;
  if (page.operation !== "list") draft.missing.push(NO_LISTING_PAGE);
  else {
    // A listing page that stops early lacks whole sections: say which.
    const absent = (["filters", "range filters"] as const).filter((s) => !page.sections.includes(s));
    if (absent.length > 0) draft.missing.push(`the ${absent.join(" and ")} section${absent.length > 1 ? "s" : ""} (not on the imported page)`);
    if (!page.sections.includes("response")) draft.missing.push("the Partial records note (the page has no Response section)");
  }
  if (page.batchOmits) {
    warn(page.batchOmits.line, `the spec format has no place for the fields a Get many response leaves out (${page.batchOmits.names.join(", ")}); not recorded`);
  }

  // Record fields, in the page's order: the example, then the Response list, then the request body.
  const declared = new Map<string, PageParam>();
  for (const param of [...page.responseFields, ...page.bodyFields]) if (!declared.has(param.name)) declared.set(param.name, param);
  const example = page.example?.record ?? {};
  const fieldNames = [...new Set([...Object.keys(example), ...declared.keys()])].filter((n) => !context.baseFields.has(n));
  const fieldSet = new Set(fieldNames);
  if (page.operation === "list" && fieldNames.length === 0) draft.missing.push("record fields (the page has no example response)");

  const filterOf = new Map<string, PageParam>();
  for (const filter of page.filters) {
    const field = fieldOfFilter(filter.name, page.entity, fieldSet);
    if (field && !filterOf.has(field)) filterOf.set(field, filter);
  }
  const rangeOf = new Map(page.rangeFilters.map((r) => [fieldOfFilter(r.name, page.entity, fieldSet) ?? r.name, r]));

  /** The field's type without enums: declared, else its filter's, else the example value's. */
  const plainType = (name: string): ParsedType | undefined => {
    const fromPage = specTypeOf(declared.get(name)?.type) ?? specTypeOf(filterOf.get(name)?.type);
    const value = example[name];
    const type = fromPage ?? (value === null ? undefined : typeOfValue(value));
    if (type?.base === "string" && !type.array) {
      const dated = (typeof value === "string" && ISO_DATETIME.test(value)) || rangeOf.get(name)?.dateFormat;
      if (dated) return { base: "datetime", array: false };
    }
    return type;
  };

  const enumOf = resolveEnums(page, context, draft, fieldNames, plainType, warn);

  for (const name of fieldNames) {
    const param = declared.get(name);
    const enumChoice = enumOf.get(name);
    const nullable = (name in example && example[name] === null) || enumChoice?.nullable === true;
    let type: string;
    let note: string | undefined;
    if (enumChoice) {
      type = enumChoice.name;
      note = enumChoice.note;
    } else {
      const found = plainType(name);
      if (found) {
        type = `${found.base}${found.array ? "[]" : ""}`;
        if (param?.type && !specTypeOf(param.type)) {
          note = `the page types this field "${param.type}", which the spec format does not know`;
          warn(param.line, `field ${name}: ${note}; typed from the example or filter as ${type}`);
        }
      } else {
        type = "json";
        note = name in example
          ? "null in the example and no filter types it: check the Get one page and set the type"
          : `the page types it "${param?.type ?? "(nothing)"}", which the spec format does not know: set the type`;
        warn(param?.line ?? page.example?.line ?? 1, `field ${name}: ${note} (written as json)`);
      }
    }
    const field: DraftField = { type: nullable && !type.endsWith("?") ? `${type}?` : type };
    // The enum link is already in the type; the rest of the page's words describe the field.
    const description = param?.description?.replace(/\s*See e[A-Za-z0-9]+\?? enum above\.?/, "").trim();
    if (description) field.description = description;
    if (param?.required && (page.operation === "create" || page.operation === "update")) field.required = true;
    if (note) field.note = note;
    draft.fields.set(name, field);
  }

  for (const filter of page.filters) draft.filters.set(filter.name, filterDraft(filter, page, fieldSet, enumOf, plainType, warn));
  for (const range of page.rangeFilters) {
    if (range.base) continue; // CreatedOn and UpdatedOn ranges are implied for every entity
    const field = fieldOfFilter(range.name, page.entity, fieldSet);
    const declaredType = range.dateFormat ? "datetime" : specTypeOf(range.type)?.base;
    const fallback = field ? plainType(field)?.base : undefined;
    const type = declaredType ?? fallback;
    if (type !== "integer" && type !== "number" && type !== "datetime") {
      warn(range.line, `range filter ${range.name} is typed "${range.type ?? "(nothing)"}" without a date format; ranges take integer, number or datetime, so it is left out`);
      continue;
    }
    const entry: DraftFilter = { type, ...(range.description ? { description: range.description } : {}) };
    if (!declaredType) {
      entry.note = `the page gives no type for this range; typed from the field ${field}`;
      warn(range.line, `range filter ${range.name}: ${entry.note}`);
    }
    draft.rangeFilters.set(range.name, entry);
  }

  if (page.listingOmits) {
    const known = (name: string) => fieldSet.has(name) || context.baseFields.has(name) || context.existingTypes?.has(`field:${name}`) === true;
    draft.listingOmits = page.listingOmits.names.filter(known);
    draft.unknownOmits = page.listingOmits.names.filter((n) => !known(n));
    if (draft.unknownOmits.length > 0) {
      warn(page.listingOmits.line, `the listing leaves out ${draft.unknownOmits.join(", ")}, which are not fields of the spec (no example record names them); add the fields, then list them under listingOmits`);
    }
  }

  if (page.operation === "create" && page.bodyFields.length > 0 && page.cuts.length === 0) {
    draft.createBody = page.bodyFields.map((f) => f.name);
  }
  return draft;
}

interface EnumChoice {
  name: string;
  nullable: boolean;
  note?: string;
}

/**
 * Names every enum table of the page and decides which field takes it. A table whose values equal
 * a known enum reuses it (enum names are one namespace across specs). A title or a "See eX enum"
 * note ties a table to a field; without one, a single table and a single enum-like integer field
 * are paired as a flagged guess.
 */
function resolveEnums(
  page: ParsedPage,
  context: ImportContext,
  draft: SpecDraft,
  fieldNames: readonly string[],
  plainType: (name: string) => ParsedType | undefined,
  warn: (line: number, message: string) => void,
): Map<string, EnumChoice> {
  const choices = new Map<string, EnumChoice>();
  const untitled = page.enums.filter((e) => !e.nexudusName && !e.field);
  // Fields the filters name, for pages without an example record: `X_ExpirationType integer`.
  const filterTypes = new Map(page.filters.map((f) => [f.name.slice(page.entity.length + 1).split("_").join(""), specTypeOf(f.type)]));
  const knownFields = [...new Set([...fieldNames, ...filterTypes.keys()])];
  const baseOf = (f: string) => (plainType(f) ?? filterTypes.get(f))?.base;

  // "See eX enum above" on a page with one untitled table names that table.
  const titledNames = new Set(page.enums.map((e) => e.nexudusName).filter(Boolean));
  const unclaimed = [...new Set(page.enumLinks.map((l) => l.nexudusName).filter((n) => !titledNames.has(n)))];
  const linkedName = (table: PageEnum) => table.nexudusName ?? (untitled.length === 1 && table === untitled[0] && unclaimed.length === 1 ? unclaimed[0] : undefined);

  page.enums.forEach((pageTable, index) => {
    const nexudusName = linkedName(pageTable);
    const table: PageEnum = nexudusName ? { ...pageTable, nexudusName } : pageTable;
    const link = page.enumLinks.find((l) => l.nexudusName === table.nexudusName);
    // A known enum settles the name first; its field may then be known from the spec or other pages.
    const reused = reusedEnum(table, context, warn);
    const knownName = reused ? context.enums.get(reused)?.nexudusName : table.nexudusName;
    const byExisting = reused && [...(context.existingTypes ?? [])].find(([key, type]) => key.startsWith("field:") && type.replace(/\?$/, "") === reused)?.[0].slice(6);
    const linkedElsewhere = context.linkedFields?.find((l) => l.nexudusName === knownName)?.field;
    let field = table.field ?? link?.field ?? (byExisting || undefined) ?? linkedElsewhere;
    const candidates = knownFields.filter((f) => !f.endsWith("Id") && ENUM_LIKE_FIELD.test(f) && baseOf(f) === "integer" && !choices.has(f));
    // Only a lone untitled table is paired with a lone candidate; anything more is left to a person.
    const guessed = !field && untitled.length === 1 && pageTable === untitled[0] && candidates.length === 1;
    if (guessed) field = candidates[0]!;
    const name = reused ?? newEnum(table, index, page, context, draft, field, warn);

    let note: string | undefined;
    if (guessed) {
      note = `the page does not say which field takes ${name}; ${field} is a guess`;
      warn(table.line, `enum ${name}: ${note}`);
    } else if (!field) {
      warn(table.line, `the page does not say which field takes the enum ${name}${candidates.length ? ` (candidates: ${candidates.join(", ")})` : ""}; set the field's type by hand`);
      const entry = draft.enums.get(name);
      if (entry) entry.note = "which field takes these values is not stated on the page";
    }
    if (!field) return;
    if (!knownFields.includes(field)) {
      warn(table.line, `enum ${name} is for the field ${field}, which this page does not list; type it by hand where it is defined`);
      return;
    }
    choices.set(field, { name, nullable: link?.nullable === true, ...(note ? { note } : {}) });
  });
  return choices;
}

/** A known enum the table is: the same Nexudus name, or (untitled) the same values. */
function reusedEnum(table: PageEnum, context: ImportContext, warn: (line: number, message: string) => void): string | undefined {
  const known = [...context.enums.values()];
  if (table.nexudusName) {
    const same = known.find((e) => e.nexudusName === table.nexudusName);
    if (same && sameValues(same.values, table.values)) return same.name;
    if (same) warn(table.line, `${table.nexudusName} is already defined as ${same.name} with other values; this page's values get their own enum`);
    return undefined;
  }
  const matches = known.filter((e) => sameValues(e.values, table.values));
  const chosen = matches[0];
  if (!chosen) return undefined;
  warn(table.line, `the enum table has no title; its values are those of ${chosen.name}${matches.length > 1 ? ` (also ${matches.slice(1).map((m) => m.name).join(", ")})` : ""}, so it is read as ${chosen.name}`);
  return chosen.name;
}

/** Defines a new enum for the table, named from its Nexudus name, its field, or its position. */
function newEnum(
  table: PageEnum,
  index: number,
  page: ParsedPage,
  context: ImportContext,
  draft: SpecDraft,
  field: string | undefined,
  warn: (line: number, message: string) => void,
): string {
  const wanted = table.nexudusName ? enumTsName(table.nexudusName) : field ? `${page.entity}${field}` : `${page.entity}Enum${index + 1}`;
  const free = (candidate: string) => !context.enums.has(candidate) && !context.takenTypeNames.has(candidate);
  const alternatives = [wanted, ...(wanted.startsWith(page.entity) ? [] : [`${page.entity}${wanted}`])];
  let name = alternatives.find(free);
  for (let n = 2; name === undefined; n++) if (free(`${wanted}${n}`)) name = `${wanted}${n}`;
  if (name !== wanted) warn(table.line, `the name ${wanted} is taken; the enum is written as ${name}`);
  if (!table.nexudusName) warn(table.line, `the enum table has no title; it is written as ${name} (rename it and add nexudusName when you know them)`);
  const values = Object.fromEntries(table.values.map((v) => [v.name, v.value]));
  draft.enums.set(name, { ...(table.nexudusName ? { nexudusName: table.nexudusName } : {}), values });
  context.enums.set(name, { name, ...(table.nexudusName ? { nexudusName: table.nexudusName } : {}), values: table.values });
  return name;
}

function filterDraft(
  filter: PageParam,
  page: ParsedPage,
  fields: ReadonlySet<string>,
  enumOf: ReadonlyMap<string, EnumChoice>,
  plainType: (name: string) => ParsedType | undefined,
  warn: (line: number, message: string) => void,
): DraftFilter {
  const field = fieldOfFilter(filter.name, page.entity, fields) ?? filter.name.slice(page.entity.length + 1).split("_").join("");
  const range = page.rangeFilters.find((r) => r.name === filter.name);
  const description = filter.description ? { description: filter.description } : {};
  const enumChoice = enumOf.get(field);
  if (enumChoice) return { type: enumChoice.name, ...description, ...(enumChoice.note ? { note: enumChoice.note } : {}) };
  const declared = specTypeOf(filter.type);
  if (declared && declared.base !== "json") {
    const base = declared.base === "string" && range?.dateFormat ? "datetime" : declared.base;
    return { type: `${base}${declared.array ? "[]" : ""}`, ...description };
  }
  const fromField = fields.has(field) ? plainType(field) : undefined;
  // Without a type of its own or of its field, a filter is untyped rather than a guess.
  const chosen = fromField && fromField.base !== "json" ? fromField.base : "untyped";
  const note = filter.type
    ? `the page types this filter "${filter.type}", which the spec format does not know; written as ${chosen}`
    : `the page gives no type for this filter; written as ${chosen}${chosen === "untyped" ? "" : `, the type of ${field}`}`;
  warn(filter.line, `filter ${filter.name}: ${note}`);
  return { type: chosen, ...description, note };
}
