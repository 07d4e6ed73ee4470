import {
  ENUM_HEADER,
  ENUM_ROW,
  PARAM_SECTIONS,
  pageLines,
  sectionName,
  type Outline,
  type RawEnum,
  type RawParam,
  type RawSection,
} from "./outline.js";

/** A non-blank line with its 1-based number. */
interface Line {
  /** Trimmed, inner whitespace collapsed. */
  text: string;
  /** The parts between runs of two or more spaces (or tabs): the cells of a copied table row. */
  cells: string[];
  line: number;
}

const METHOD = /^(GET|POST|PUT|DELETE|PATCH)$/;
const METHOD_AND_PATH = /^(GET|POST|PUT|DELETE|PATCH)\s+(\/\S+)$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A type line under a parameter name: `integer`, `string`, `integer[]`, `CoworkerTimePass[]`, `decimal`. */
const TYPE_TOKEN = /^(?:[a-z][a-z0-9-]*|[A-Z][A-Za-z0-9.]*\[\])(?:\[\])?\??$/;
/** The docs' own type words, accepted on the same line as the name when a copy flattens a table row. */
const INLINE_TYPES = /^(integer|number|string|boolean|object|array|int|long|decimal|double|float|bool|datetime|date-time|date|guid|uuid)(\[\])?$/;
const DEFAULT_LINE = /^default:\s*"?[^"]*"?$/;
/** Headings that follow Code Examples; the example captions there ("Range filters") are no headings. */
const AFTER_EXAMPLES = new Set(["response", "example response"]);
/** The page's own title, when the copy includes it (playground renders). */
const TITLE = /^(Search|Get one|Get multiple|Get|Create|Update|Delete|Run)\s+[A-Z][A-Za-z0-9]*( commands?)?$/;

/**
 * Reads the plain text a person gets by selecting a Nexudus docs page in the browser: the method
 * and path split over lines, a response skeleton, the description, then sections whose rows are
 * a name line, a type line, flags and a description.
 */
export function readTextPage(text: string): Outline {
  const lines = pageLines(text);
  const outline: Outline = { format: "text", description: [], sections: [], lineCount: lines.length, cuts: [] };
  let index = findEndpoint(lines, outline);

  // Between the endpoint and the first heading: an optional title, a playground curl call, the
  // response skeleton, and the description.
  let current: RawSection | undefined;
  const sectionLines = new Map<RawSection, Line[]>();
  while (index < lines.length) {
    const raw = lines[index]!;
    const trimmed = raw.trim();
    const name = sectionName(trimmed);
    const inExamples = current?.name === "code examples";
    if (name && (!inExamples || AFTER_EXAMPLES.has(name))) {
      current = { name, line: index + 1, params: [], enums: [], text: [] };
      outline.sections.push(current);
      sectionLines.set(current, []);
      index++;
      continue;
    }
    if (!current) {
      index = readPreamble(lines, index, outline);
      continue;
    }
    if (trimmed) sectionLines.get(current)!.push({ text: trimmed.replace(/\s+/g, " "), cells: trimmed.split(/\s{2,}/), line: index + 1 });
    index++;
  }
  trimBlankEdges(outline.description);

  for (const section of outline.sections) {
    const body = sectionLines.get(section)!;
    if (section.name === "enums") readEnums(body, section);
    else if (section.name === "example response") readJson(body, section, outline);
    else if (PARAM_SECTIONS.includes(section.name)) readParams(body, section, outline, section === outline.sections.at(-1));
    else section.text.push(...body);
  }
  return outline;
}

/** Finds `GET` then `/`, `api`, `/`, `billing`, ... (one piece a line), or `GET /api/...` on one line. */
function findEndpoint(lines: string[], outline: Outline): number {
  const limit = Math.min(lines.length, 40);
  for (let i = 0; i < limit; i++) {
    const trimmed = lines[i]!.trim();
    const oneLine = METHOD_AND_PATH.exec(trimmed);
    if (oneLine) {
      outline.endpoint = { method: oneLine[1]!, path: oneLine[2]!, line: i + 1 };
      return i + 1;
    }
    if (!METHOD.test(trimmed)) continue;
    let path = "";
    let j = i + 1;
    for (; j < lines.length; j++) {
      const piece = lines[j]!.trim();
      if (piece === "") continue; // copies of the page may put blank lines between the pieces
      // Pieces alternate: a slash, then a segment. Anything else ends the path.
      const isSlash = piece === "/";
      const isSegment = /^(\{[A-Za-z]+\}|[A-Za-z0-9_-]+|\?\S+)$/.test(piece) && path.endsWith("/");
      if (!isSlash && !isSegment) break;
      path += piece;
    }
    if (path.startsWith("/")) {
      outline.endpoint = { method: trimmed, path, line: i + 1 };
      return j;
    }
  }
  return 0;
}

/** One step through the part before the first heading; returns the next index. */
function readPreamble(lines: string[], index: number, outline: Outline): number {
  const trimmed = lines[index]!.trim();
  if (/^skip to main content$/i.test(trimmed)) return index + 1;
  if (outline.description.length === 0 && outline.title === undefined && TITLE.test(trimmed)) {
    outline.title = trimmed;
    return index + 1;
  }
  if (/^curl\b/.test(trimmed)) {
    // A playground call: continuation lines end with a backslash.
    let j = index;
    while (j < lines.length && lines[j]!.trimEnd().endsWith("\\")) j++;
    return j + 1;
  }
  if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && outline.description.every((l) => l === "")) {
    const end = balancedEnd(lines, index);
    if (end === undefined) {
      outline.cuts.push({ line: index + 1, what: "the page ends inside the response schema under the endpoint" });
      return lines.length;
    }
    return end + 1;
  }
  outline.description.push(trimmed);
  return index + 1;
}

/** Index of the line that closes the JSON value opened at `start`, or undefined when it never closes. */
function balancedEnd(lines: readonly string[], start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    for (let c = 0; c < line.length; c++) {
      const ch = line[c]!;
      if (inString) {
        if (ch === "\\") c++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") {
        depth--;
        if (depth === 0) return i;
      }
    }
  }
  return undefined;
}

function trimBlankEdges(lines: string[]): void {
  while (lines[0] === "") lines.shift();
  while (lines.at(-1) === "") lines.pop();
}

/** Enum tables: an optional title line, a `ValueName` header, then `1PricePlan` rows. */
function readEnums(body: Line[], section: RawSection): void {
  let table: RawEnum | undefined;
  // A line that may be the title of the table that follows it (mintlify renders print one).
  let title: Line | undefined;
  const startTable = (line: number) => {
    table = { values: [], line, ...(title ? { title: title.text, titleLine: title.line } : {}) };
    section.enums.push(table);
    title = undefined;
  };
  for (const current of body) {
    if (ENUM_HEADER.test(current.text)) {
      startTable(current.line);
      continue;
    }
    const row = ENUM_ROW.exec(current.text);
    if (row) {
      if (!table) startTable(current.line);
      table!.values.push({ value: Number(row[1]), name: row[2]! });
      continue;
    }
    // Not a row: a title if a table follows, otherwise text the interpreter reports.
    if (title) section.text.push(title);
    title = current;
    table = undefined;
  }
  if (title) section.text.push(title);
}

/** The example response: a JSON value, possibly cut at the end of the page. */
function readJson(body: Line[], section: RawSection, outline: Outline): void {
  const start = body.findIndex((l) => l.text.startsWith("{") || l.text.startsWith("["));
  if (start < 0) {
    section.text.push(...body);
    return;
  }
  section.text.push(...body.slice(0, start));
  const texts = body.slice(start).map((l) => l.text);
  const end = balancedEnd(texts, 0);
  if (end === undefined) outline.cuts.push({ line: body[start]!.line, what: "the example response is cut" });
  section.json = { text: texts.slice(0, end === undefined ? undefined : end + 1).join("\n"), line: body[start]!.line };
  section.text.push(...body.slice(start + (end ?? texts.length) + 1));
}

/**
 * Parameter rows: `Name` / `type` / (`required` | `default:"1"`) / description lines. A copy of
 * a table can also put a row on one line (`Name  integer  Description`), and untyped renders drop
 * the type line; both are accepted.
 */
function readParams(body: Line[], section: RawSection, outline: Outline, lastSection: boolean): void {
  let param: RawParam | undefined;
  const isFilterSection = section.name === "filters" || section.name === "range filters";
  for (let i = 0; i < body.length; i++) {
    const { text, line } = body[i]!;
    const next = body[i + 1]?.text;
    if (/^\d{3}$/.test(text)) continue; // a status code heading ("200") in Response
    if (IDENTIFIER.test(text) && next !== undefined && TYPE_TOKEN.test(next) && next !== "required") {
      param = { name: text, type: next, required: false, line };
      section.params.push(param);
      i++;
      while (i + 1 < body.length && (body[i + 1]!.text === "required" || DEFAULT_LINE.test(body[i + 1]!.text))) {
        if (body[i + 1]!.text === "required") param.required = true;
        i++;
      }
      continue;
    }
    const inline = inlineRow(body[i]!.cells);
    if (inline) {
      param = { ...inline, line };
      section.params.push(param);
      continue;
    }
    if (IDENTIFIER.test(text) && (isFilterSection ? text.includes("_") : /^[A-Z]/.test(text))) {
      if (next === undefined && lastSection) {
        // The copy stops right after a name: its type and description were cut.
        outline.cuts.push({ line, what: `the ${section.name} list is cut at "${text}"` });
        break;
      }
      param = { name: text, required: false, line };
      section.params.push(param);
      continue;
    }
    if (param) param.description = param.description ? `${param.description} ${text}` : text;
    else section.text.push({ text, line });
  }
}

/** `Name  integer  required  Description` on one line, as a copied table row reads. */
function inlineRow(cells: string[]): Omit<RawParam, "line"> | undefined {
  const [name, type, ...rest] = cells;
  if (!name || !type || !IDENTIFIER.test(name) || !INLINE_TYPES.test(type)) return undefined;
  if (!name.includes("_") && !/^[A-Z]/.test(name)) return undefined;
  let more = rest;
  const required = more[0] === "required";
  if (required) more = more.slice(1);
  if (more[0] && DEFAULT_LINE.test(more[0])) more = more.slice(1);
  const description = more.join(" ").replace(/\s+/g, " ").trim();
  return { name, type, required, ...(description ? { description } : {}) };
}
