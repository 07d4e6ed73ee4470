import type { OperationName } from "../model.js";
import { looksLikeMarkdown, plainInline, readMarkdownPage } from "./markdown-outline.js";
import { PageError, type Outline, type RawParam, type RawSection, type SectionName } from "./outline.js";
import { readTextPage } from "./text-outline.js";

export { PageError } from "./outline.js";

/** A parameter or field as the page gives it; the type is still the page's own word. */
export interface PageParam {
  name: string;
  type?: string;
  required: boolean;
  description?: string;
  line: number;
}

/** A from_/to_ pair, keyed by the name without its prefix. */
export interface PageRange {
  name: string;
  type?: string;
  /** The page says `Format: YYYY-MM-DDTHH:mm`: a date range. */
  dateFormat: boolean;
  /** The noun phrase of "Filter by <used date> greater than or equal to this value". */
  description?: string;
  /** One of the CreatedOn/UpdatedOn ranges every entity has. */
  base: boolean;
  line: number;
}

/** An enum table, with what its title (when it has one) says about it. */
export interface PageEnum {
  /** `eRecurrentChargePattern` */
  nexudusName?: string;
  /** The record field the title names: `eProductType — SystemProductType values`. */
  field?: string;
  values: { name: string; value: number }[];
  line: number;
}

/** "See eRecurrentChargePattern? enum above." in a body field's description. */
export interface EnumLink {
  field: string;
  nexudusName: string;
  nullable: boolean;
  line: number;
}

/** Everything the importer reads from one page. */
export interface ParsedPage {
  file: string;
  format: "text" | "markdown";
  operation: OperationName;
  method: string;
  /** Collection path, without `/{id}`: `/api/billing/coworkertimepasses`. */
  path: string;
  area: string;
  /** Last path segment, the lower-case plural: `coworkertimepasses`. */
  segment: string;
  entity: string;
  /** PascalCase plural, when the page's title gives it (`Search CoworkerTimePasses`). */
  plural?: string;
  description?: string;
  role?: string;
  enums: PageEnum[];
  enumLinks: EnumLink[];
  filters: PageParam[];
  rangeFilters: PageRange[];
  /** Request body fields of a create or update page. */
  bodyFields: PageParam[];
  /** Record fields listed under Response (Get one, Get many). */
  responseFields: PageParam[];
  /** The "Partial records" note of a listing page. */
  listingOmits?: { names: string[]; line: number };
  /** Fields a Get many response leaves out. */
  batchOmits?: { names: string[]; line: number };
  /** The first record of the example response, keys in the page's order. */
  example?: { record: Record<string, unknown>; line: number };
  /** The sections the page has, in order. */
  sections: SectionName[];
  /** Where the copy stops in the middle of something. */
  cuts: { line: number; what: string }[];
  warnings: { line: number; message: string }[];
}

/** Listing envelope properties: not record fields. */
const ENVELOPE = new Set([
  "Records", "CurrentPage", "CurrentPageSize", "CurrentOrderField", "CurrentSortDirection", "FirstItem", "LastItem",
  "TotalItems", "TotalPages", "HasNextPage", "HasPreviousPage", "PageNumber", "PageSize",
]);
/** ActionResult properties of write responses: not record fields. */
const ACTION_RESULT = new Set([
  "Status", "Message", "Value", "OpenInDialog", "OpenInWindow", "RedirectURL", "JavaScript", "Errors", "WasSuccessful",
]);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `eProductType — SystemProductType values`, `eRecurrentChargePattern`, `SystemProductType values`. */
const ENUM_TITLE = /^(?:(e[A-Z][A-Za-z0-9]*)\??)?\s*(?:[—–:-]+\s*)?(?:([A-Z][A-Za-z0-9]*)\s+values?)?\s*:?$/;
const ROW_EXAMPLE = "a row such as `1PricePlan` (the integer value, then the member name)";

/**
 * Reads one docs page, in its plain-text or Markdown form. Throws PageError when the text is not
 * a Nexudus REST API page or a part of it cannot be read; a page that is merely cut short reads
 * with `cuts` saying where.
 */
export function parsePage(text: string, file: string): ParsedPage {
  if (text.trim() === "") throw new PageError(file, 1, "the file is empty", "the text of a Nexudus REST API docs page, copied from the browser or saved as Markdown");
  if (text.includes("\u0000")) throw new PageError(file, 1, "this is a binary file, not a docs page", "a text file (.txt or .md)");
  const outline = looksLikeMarkdown(text) ? readMarkdownPage(text) : readTextPage(text);
  return interpret(outline, file);
}

function interpret(outline: Outline, file: string): ParsedPage {
  const fail = (line: number, problem: string, hint?: string): never => {
    throw new PageError(file, line, problem, hint);
  };
  const endpoint = outline.endpoint ?? endpointFromExamples(outline);
  if (!endpoint) {
    fail(
      1,
      "no endpoint found: this does not look like a Nexudus REST API docs page",
      "the method and path at the top of the page: GET, then / api / billing / coworkertimepasses one piece a line (as the browser copy has it), or `GET /api/billing/coworkertimepasses` (Markdown)",
    );
  }
  const { method, line: endpointLine } = endpoint!;
  const rawPath = endpoint!.path;
  const [pathOnly = "", query = ""] = rawPath.split("?");
  const match = /^\/api\/([a-z0-9]+)\/([a-z0-9]+)(\/\{id\}|\/commands|\/runcommand)?\/?$/i.exec(pathOnly);
  if (!match) fail(endpointLine, `the endpoint path "${rawPath}" is not a Nexudus entity path`, "/api/<area>/<entities>, optionally followed by /{id}, /commands or /runcommand");
  const [, areaRaw, segmentRaw, suffix = ""] = match!;
  const area = areaRaw!.toLowerCase();
  const segment = segmentRaw!.toLowerCase();
  if (outline.sections.length === 0) {
    fail(endpointLine + 1, "the page has an endpoint but no sections", "the headings of a docs page after the description: Authentication, Query Parameters, Filters, Range Filters, Code Examples, Response");
  }
  const operation = operationOf(method, suffix.toLowerCase(), query, outline.title) ?? fail(endpointLine, `${method} ${rawPath} is not an operation the spec format knows`, "GET, POST, PUT or DELETE on /api/<area>/<entities>");

  const sections = (name: SectionName) => outline.sections.filter((s) => s.name === name);
  const page: ParsedPage = {
    file,
    format: outline.format,
    operation,
    method,
    path: `/api/${area}/${segment}`,
    area,
    segment,
    entity: "",
    enums: [],
    enumLinks: [],
    filters: [],
    rangeFilters: [],
    bodyFields: [],
    responseFields: [],
    sections: outline.sections.map((s) => s.name),
    cuts: [...outline.cuts],
    warnings: [],
  };

  const authentication = sections("authentication").flatMap((s) => s.text.map((t) => plainInline(t.text))).join(" ");
  const role = /\bhave the ([A-Z][A-Za-z0-9]*-[A-Za-z]+) role\b/.exec(authentication) ?? /\b([A-Z][A-Za-z0-9]*-(?:List|Read|Create|Edit|Delete|Update))\b/.exec(authentication);
  if (role) page.role = role[1]!;

  const response = [...sections("response"), ...sections("example response")];
  const records = response.flatMap((s) => s.params).find((p) => p.name === "Records" && p.type?.endsWith("[]"));
  const titleEntity = /^(?:Get one|Create|Update|Delete)\s+([A-Z][A-Za-z0-9]*)$/.exec(outline.title ?? "")?.[1];
  const filterPrefix = sections("filters").flatMap((s) => s.params)[0]?.name.split("_")[0];
  const entity = page.role?.replace(/-[A-Za-z]+$/, "") ?? records?.type?.replace(/\[\]$/, "") ?? titleEntity ?? filterPrefix;
  if (!entity || !/^[A-Z][A-Za-z0-9]*$/.test(entity)) {
    fail(endpointLine, "cannot tell which entity this page is about", "the role in the Authentication section (\"... have the CoworkerTimePass-List role\") or filters named <Entity>_<Field>");
  }
  page.entity = entity!;
  const plural = /^(?:Search|Get multiple)\s+([A-Z][A-Za-z0-9]*)$/.exec(outline.title ?? "")?.[1];
  if (plural && plural.toLowerCase() === segment) page.plural = plural;

  const description = descriptionOf(outline.description);
  if (description) page.description = description;

  for (const section of sections("enums")) readEnums(section, section === outline.sections.at(-1), page, fail);
  for (const section of sections("filters")) readFilters(section, page, fail);
  for (const section of sections("range filters")) readRanges(section, page, fail);
  for (const name of ["required fields", "optional fields", "request body"] as const) {
    for (const section of sections(name)) readBody(section, name === "required fields", page, fail);
  }
  for (const param of response.flatMap((s) => s.params)) {
    if (ENVELOPE.has(param.name) || ACTION_RESULT.has(param.name)) continue;
    if (!IDENTIFIER.test(param.name)) fail(param.line, `"${param.name}" is not a field name`, "response fields named as in the JSON, e.g. ProductId");
    if (operation === "get" || operation === "getMany" || operation === "list") page.responseFields.push(toPageParam(param));
  }

  const responseText = response.flatMap((s) => [...s.text.map((t) => ({ ...t, text: plainInline(t.text) })), ...s.params.filter((p) => p.description).map((p) => ({ text: p.description!, line: p.line }))]);
  readOmissions(responseText, page);
  const json = response.find((s) => s.json)?.json;
  if (json) readExample(json, page);
  return page;
}

function toPageParam(param: RawParam): PageParam {
  return {
    name: param.name,
    ...(param.type ? { type: param.type } : {}),
    required: param.required,
    ...(param.description ? { description: param.description } : {}),
    line: param.line,
  };
}

/** The curl examples name the URL when a Markdown copy lacks the endpoint line. */
function endpointFromExamples(outline: Outline): Outline["endpoint"] {
  for (const section of outline.sections.filter((s) => s.name === "code examples")) {
    const text = section.text.map((t) => t.text).join("\n");
    const url = /https:\/\/spaces\.nexudus\.com(\/api\/[a-z0-9/]+)/i.exec(text);
    if (!url) continue;
    const method = /(?:-X|--request)\s+(GET|POST|PUT|DELETE)/.exec(text)?.[1] ?? "GET";
    const path = url[1]!.replace(/\/\d+$/, "/{id}");
    return { method, path, line: section.line };
  }
  return undefined;
}

function operationOf(method: string, suffix: string, query: string, title: string | undefined): OperationName | undefined {
  const many = /(^|&)id=/.test(query) || /^Get multiple\b/.test(title ?? "");
  switch (method) {
    case "GET":
      if (suffix === "/{id}") return "get";
      if (suffix === "/commands") return "commands";
      if (suffix === "") return many ? "getMany" : "list";
      return undefined;
    case "POST":
      if (suffix === "/runcommand") return "runCommand";
      return suffix === "" ? "create" : undefined;
    case "PUT":
      return suffix === "" ? "update" : undefined;
    case "DELETE":
      return suffix === "/{id}" ? "delete" : undefined;
    default:
      return undefined;
  }
}

/** Description lines: `•` bullets become Markdown items, set off from the paragraph above. */
function descriptionOf(lines: readonly string[]): string | undefined {
  const out: string[] = [];
  for (const line of lines) {
    const bullet = /^[•·▪●]\s*(.*)$/.exec(line);
    const text = bullet ? `- ${bullet[1]}` : line;
    const isItem = /^[-*]\s/.test(text);
    const previous = out.at(-1);
    if (isItem && previous !== undefined && previous !== "" && !/^[-*]\s/.test(previous)) out.push("");
    out.push(text);
  }
  const text = out.join("\n").trim();
  return text === "" ? undefined : text;
}

type Fail = (line: number, problem: string, hint?: string) => never;

function readEnums(section: RawSection, isLast: boolean, page: ParsedPage, fail: Fail): void {
  for (const stray of section.text) {
    if (/^-?\d/.test(stray.text) || /^\|/.test(stray.text)) fail(stray.line, `"${stray.text}" is not an enum row`, ROW_EXAMPLE);
    page.warnings.push({ line: stray.line, message: `ignored text in the Enums section: "${stray.text}"` });
  }
  for (const table of section.enums) {
    if (table.values.length === 0) {
      // A header the copy stops right after is a cut; anywhere else the rows are missing.
      if (isLast) {
        page.cuts.push({ line: table.line, what: "an enum table is cut" });
        continue;
      }
      fail(table.line, "an enum table without rows", ROW_EXAMPLE);
    }
    const names = new Set<string>();
    const values = new Set<number>();
    for (const v of table.values) {
      if (names.has(v.name)) fail(table.line, `the enum table lists the member ${v.name} twice`, "each member once");
      if (values.has(v.value)) fail(table.line, `the enum table gives the value ${v.value} twice`, "each integer value once");
      names.add(v.name);
      values.add(v.value);
    }
    if (isLast && table === section.enums.at(-1)) {
      page.cuts.push({ line: table.line, what: "the page ends in an enum table, so values may be missing" });
    }
    const entry: PageEnum = { values: table.values, line: table.line };
    // A "title" that starts with a number is a row the reader could not split.
    if (table.title !== undefined && /^-?\d/.test(table.title)) fail(table.titleLine ?? table.line, `"${table.title}" is not an enum row`, ROW_EXAMPLE);
    if (table.title !== undefined) {
      const title = ENUM_TITLE.exec(table.title.trim());
      if (title && (title[1] || title[2])) {
        if (title[1]) entry.nexudusName = title[1];
        if (title[2]) entry.field = title[2];
      } else {
        page.warnings.push({ line: table.line, message: `the title "${table.title}" above an enum table does not say its name or field; read as untitled` });
      }
    }
    page.enums.push(entry);
  }
}

function checkName(param: RawParam, page: ParsedPage, fail: Fail, what: string): void {
  if (!IDENTIFIER.test(param.name)) fail(param.line, `"${param.name}" is not a ${what} name`, `${what} names like ${page.entity}_Name`);
}

function readFilters(section: RawSection, page: ParsedPage, fail: Fail): void {
  if (section.params.length === 0 && section.text.length > 0) {
    const first = section.text[0]!;
    fail(first.line, `expected filters under "Filters", found "${first.text}"`, `rows of a filter name (${page.entity}_Notes), its type (string) and a description, one a line`);
  }
  for (const param of section.params) {
    checkName(param, page, fail, "filter");
    if (!param.name.startsWith(`${page.entity}_`)) {
      fail(param.line, `the filter ${param.name} does not belong to ${page.entity}: its filters are named ${page.entity}_<Field>`, `one page per import; is part of another entity's page pasted in here?`);
    }
    if (page.filters.some((f) => f.name === param.name)) {
      page.warnings.push({ line: param.line, message: `the filter ${param.name} is listed twice; the first is kept` });
      continue;
    }
    page.filters.push(toPageParam(param));
  }
}

function readRanges(section: RawSection, page: ParsedPage, fail: Fail): void {
  if (section.params.length === 0 && section.text.length > 0) {
    const first = section.text[0]!;
    fail(first.line, `expected range filters under "Range Filters", found "${first.text}"`, `pairs of rows from_${page.entity}_Price / to_${page.entity}_Price, each with a type and a description`);
  }
  for (const param of section.params) {
    checkName(param, page, fail, "range filter");
    const match = /^(from|to)_(.+)$/i.exec(param.name);
    if (!match) fail(param.line, `the range filter ${param.name} has no from_ or to_ prefix`, `from_${page.entity}_<Field> and to_${page.entity}_<Field>`);
    const [, bound, name] = match!;
    if (!name!.startsWith(`${page.entity}_`)) {
      fail(param.line, `the range filter ${param.name} does not belong to ${page.entity}`, `from_${page.entity}_<Field> and to_${page.entity}_<Field>`);
    }
    let range = page.rangeFilters.find((r) => r.name === name);
    if (!range) {
      range = {
        name: name!,
        dateFormat: false,
        base: name === `${page.entity}_CreatedOn` || name === `${page.entity}_UpdatedOn`,
        line: param.line,
        ...(param.type ? { type: param.type } : {}),
      };
      page.rangeFilters.push(range);
    } else if (param.type && range.type && param.type !== range.type) {
      page.warnings.push({ line: param.line, message: `${param.name} is typed ${param.type} but its pair is ${range.type}; ${range.type} is kept` });
    }
    range.type ??= param.type;
    const description = param.description ?? "";
    if (/Format:\s*YYYY-MM-DD/i.test(description)) range.dateFormat = true;
    const phrase = new RegExp(`^Filter by (.+?) ${bound!.toLowerCase() === "from" ? "greater" : "less"} than or equal to`, "i").exec(description)?.[1];
    if (phrase && range.description === undefined) range.description = phrase;
  }
}

function readBody(section: RawSection, allRequired: boolean, page: ParsedPage, fail: Fail): void {
  for (const param of section.params) {
    if (ACTION_RESULT.has(param.name)) continue;
    checkName(param, page, fail, "body field");
    const field = toPageParam(param);
    if (allRequired) field.required = true;
    page.bodyFields.push(field);
    const link = /\bSee (e[A-Z][A-Za-z0-9]*)(\?)? enum\b/.exec(param.description ?? "");
    if (link) page.enumLinks.push({ field: param.name, nexudusName: link[1]!, nullable: link[2] === "?", line: param.line });
  }
}

/** The "Partial records" note (listing) and a Get many page's "not populated" note. */
function readOmissions(text: { text: string; line: number }[], page: ParsedPage): void {
  for (const { text: line, line: number } of text) {
    const listing = /not included in the Records\[\] response:\s*(.*)$/i.exec(line);
    const batch = /not populated in (?:the )?(?:batch|this) response:\s*(.*)$/i.exec(line);
    const found = listing ?? batch;
    if (!found) continue;
    const names = omittedNames(found[1]!, number, page);
    if (listing) page.listingOmits = { names, line: number };
    else page.batchOmits = { names, line: number };
  }
}

/** `Notes, PurchaseOrder, Free.To get all fields...` -> the names; a cut list loses its last, partial name. */
function omittedNames(rest: string, line: number, page: ParsedPage): string[] {
  const ellipsis = /(\.\.\.|…)/.exec(rest);
  const stop = rest.search(/\./);
  const cut = ellipsis !== null && ellipsis.index <= stop || stop < 0;
  const list = rest.slice(0, stop < 0 ? undefined : stop);
  const names = list.split(",").map((n) => n.trim()).filter(Boolean);
  if (cut) {
    names.pop();
    page.cuts.push({ line, what: "the list of fields the listing leaves out is cut" });
  }
  for (const name of names) {
    if (!IDENTIFIER.test(name)) throw new PageError(page.file, line, `"${name}" in the Partial records note is not a field name`, "a comma-separated list of field names ending with a period: Notes, PurchaseOrder, Free.");
  }
  return names;
}

/** The example record: the first of Records[] (listing), the object (Get one), the first item (Get many). */
function readExample(json: { text: string; line: number }, page: ParsedPage): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.text);
  } catch {
    const salvaged = salvageRecord(json.text, page.operation === "list");
    if (salvaged && Object.keys(salvaged).length > 0) {
      page.example = { record: salvaged, line: json.line };
      if (!page.cuts.some((c) => c.what.includes("example"))) page.cuts.push({ line: json.line, what: "the example response is cut" });
    } else {
      page.warnings.push({ line: json.line, message: "the example response is not valid JSON and no record could be read from it" });
    }
    return;
  }
  const record =
    page.operation === "list" ? (isRecordMap(parsed) && Array.isArray(parsed.Records) ? parsed.Records[0] : undefined)
    : Array.isArray(parsed) ? parsed[0]
    : parsed;
  if (isRecordMap(record)) page.example = { record, line: json.line };
  else page.warnings.push({ line: json.line, message: "the example response holds no record" });
}

function isRecordMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads `"Key": value` lines of the first record from JSON that stops in the middle (a cut
 * page). Values that are themselves cut, or nested, are left out.
 */
function salvageRecord(text: string, inRecords: boolean): Record<string, unknown> | undefined {
  const lines = text.split("\n");
  let start = 0;
  if (inRecords) {
    const records = lines.findIndex((l) => /"Records"\s*:\s*\[/.test(l));
    if (records < 0) return undefined;
    start = lines.findIndex((l, i) => i > records && l.trim().startsWith("{"));
    if (start < 0) return undefined;
  } else {
    start = lines.findIndex((l) => l.trim().startsWith("{"));
    if (start < 0) return undefined;
    if (lines[start]!.trim().startsWith("[")) start++;
  }
  const record: Record<string, unknown> = {};
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (depth === 1) {
      const pair = /^"([A-Za-z_][A-Za-z0-9_]*)"\s*:\s*(.*?),?$/.exec(line);
      if (pair) {
        try {
          record[pair[1]!] = JSON.parse(pair[2]!);
        } catch {
          // A nested value opening here, or a value cut in the middle: not read.
        }
      }
    }
    for (const ch of line.replace(/"(?:[^"\\]|\\.)*"/g, "")) {
      if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") depth--;
    }
    if (depth <= 0 && i > start) break;
  }
  return record;
}
