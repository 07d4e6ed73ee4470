/**
 * The shape both page readers (plain text and Markdown) reduce a docs page to, before anything
 * is interpreted. Keeping the two formats apart up to here lets one interpreter (parse-page.ts)
 * serve both, so a Markdown page and its plain-text copy import to the same spec.
 */

/** A problem in the input page: what was expected, and where. */
export class PageError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(`${file}:${line}: ${problem}${hint ? `\n  expected: ${hint}` : ""}`);
    this.name = "PageError";
  }
}

/** One parameter or field row: a filter, a range filter, a body field, a response field. */
export interface RawParam {
  name: string;
  /** The type as the page writes it (`integer`, `string`, `CoworkerTimePass[]`); absent in untyped renders. */
  type?: string;
  /** Marked `required` on the page. */
  required: boolean;
  description?: string;
  /** 1-based line of the name. */
  line: number;
}

/** One enum table: `Value | Name` rows, with the title some renders print above it. */
export interface RawEnum {
  /** The title line as written (`eProductType — SystemProductType values`), when there is one. */
  title?: string;
  /** Where the title is; the table's own line when the title is an attribute (`<Accordion title>`). */
  titleLine?: number;
  values: { name: string; value: number }[];
  line: number;
}

/** A heading and what stands under it. */
export interface RawSection {
  /** Canonical name, see SECTION_NAMES. */
  name: SectionName;
  line: number;
  params: RawParam[];
  enums: RawEnum[];
  /** Free text under the heading (notes, prose), one entry per line, trimmed. */
  text: { text: string; line: number }[];
  /** A JSON example under the heading, as written (possibly cut). */
  json?: { text: string; line: number };
}

/** The headings of a docs page, lower-case, as the readers recognise them. */
export const SECTION_NAMES = [
  "authentication",
  "enums",
  "query parameters",
  "pagination & sorting",
  "filters",
  "range filters",
  "path parameters",
  "request body",
  "required fields",
  "optional fields",
  "code examples",
  "response",
  "example response",
] as const;
/** One of SECTION_NAMES. */
export type SectionName = (typeof SECTION_NAMES)[number];

/** The sections whose rows are parameters (name, type, description). */
export const PARAM_SECTIONS: readonly SectionName[] = [
  "filters",
  "range filters",
  "path parameters",
  "required fields",
  "optional fields",
  "response",
  "pagination & sorting",
  "request body",
];

/** A page reduced to its parts. */
export interface Outline {
  format: "text" | "markdown";
  endpoint?: { method: string; path: string; line: number };
  /** The page's own title (`Search CoworkerTimePasses`), when the copy includes it. */
  title?: string;
  /** Description paragraphs before the first section, as lines (blank lines kept as ""). */
  description: string[];
  sections: RawSection[];
  /** Total number of lines, for "the page ends at line N" messages. */
  lineCount: number;
  /** Places where the copy visibly stops in the middle of something. */
  cuts: { line: number; what: string }[];
}

/** `Pagination & Sorting:` -> `pagination & sorting`, or undefined when the line is no heading. */
export function sectionName(line: string): SectionName | undefined {
  const normalized = line.trim().replace(/:$/, "").replace(/\s+/g, " ").toLowerCase();
  return (SECTION_NAMES as readonly string[]).includes(normalized) ? (normalized as SectionName) : undefined;
}

/** Splits a page into lines, with the oddities of copied text (CR, NBSP, tabs) made plain spaces. */
export function pageLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    // A tab separates table cells in a copy: two spaces keep that boundary visible.
    .map((line) => line.replace(/\t/g, "  ").replace(/[\u00A0\u2007\u202F]/g, " ").replace(/[\u200B\u200C\u200D]/g, ""));
}

/** An enum row as the text render prints it, `1PricePlan`, or with spacing, `1 PricePlan`. */
export const ENUM_ROW = /^(-?\d+)\s*([A-Za-z_][A-Za-z0-9_]*)$/;

/** The header row of an enum table in the text render: `ValueName`, `Value Name`. */
export const ENUM_HEADER = /^value\s*name$/i;
