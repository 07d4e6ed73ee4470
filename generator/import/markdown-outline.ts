import {
  ENUM_ROW,
  pageLines,
  sectionName,
  type Outline,
  type RawEnum,
  type RawParam,
  type RawSection,
} from "./outline.js";

interface Line {
  text: string;
  line: number;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*$/;
const ENDPOINT = /\b(GET|POST|PUT|DELETE|PATCH)\s+`?(\/api\/[^\s`]+)`?/i;
/** `<ParamField query="Name" type="integer" required>` and `<ResponseField name="Records" type="X[]">`. */
const FIELD_TAG = /^<(ParamField|ResponseField)\b([^>]*?)(\/?)>(.*)$/;
const AFTER_EXAMPLES = new Set(["response", "example response"]);
const PARAM_NAME_HEADERS = new Set(["name", "parameter", "field", "property", "filter", "query parameter"]);

/** Recognises the Markdown (or MDX) form of a docs page, as learn.nexudus.com serves it as `.md`. */
export function looksLikeMarkdown(text: string): boolean {
  return /^(#{1,6}\s|```|\|.*\|\s*$)|<(ParamField|ResponseField|Note|Accordion)\b/m.test(text);
}

/** Removes inline Markdown: emphasis, code ticks, links, inline tags. */
export function plainInline(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<\/?[A-Za-z][^>]*>/g, "")
    .replace(/\*\*|__|`/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Reads the Markdown form of a page: `#` headings for the sections, parameters as tables
 * (`| Name | Type | Description |`) or `<ParamField>` tags, enums as `| Value | Name |` tables, the
 * example response in a fenced block.
 */
export function readMarkdownPage(text: string): Outline {
  const lines = pageLines(text);
  const outline: Outline = { format: "markdown", description: [], sections: [], lineCount: lines.length, cuts: [] };
  let index = readFrontMatter(lines, outline);
  let current: RawSection | undefined;
  const bodies = new Map<RawSection, Line[]>();
  let fence: number | undefined;

  for (; index < lines.length; index++) {
    const raw = lines[index]!;
    const trimmed = raw.trim();
    if (trimmed.startsWith("```")) fence = fence === undefined ? index + 1 : undefined;
    const heading = fence === undefined ? HEADING.exec(trimmed) : null;
    if (heading) {
      const title = plainInline(heading[2]!);
      if (heading[1] === "#" && !current) {
        outline.title ??= title;
        continue;
      }
      const name = sectionName(title);
      if (name && (current?.name !== "code examples" || AFTER_EXAMPLES.has(name))) {
        current = { name, line: index + 1, params: [], enums: [], text: [] };
        outline.sections.push(current);
        bodies.set(current, []);
        continue;
      }
    }
    if (current) bodies.get(current)!.push({ text: raw, line: index + 1 });
    else readPreamble(trimmed, index + 1, outline);
  }
  if (fence !== undefined) outline.cuts.push({ line: fence, what: "the page ends inside a code block" });
  while (outline.description.at(-1) === "") outline.description.pop();
  while (outline.description[0] === "") outline.description.shift();

  for (const section of outline.sections) readSection(bodies.get(section)!, section, outline);
  return outline;
}

/** `openapi: GET /api/...` and `title:` in a front matter block. */
function readFrontMatter(lines: string[], outline: Outline): number {
  if (lines[0]?.trim() !== "---") return 0;
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) return 0;
  for (let i = 1; i < end; i++) {
    const match = /^(\w+):\s*["']?(.*?)["']?\s*$/.exec(lines[i]!.trim());
    if (!match) continue;
    const endpoint = ENDPOINT.exec(match[2]!);
    if (match[1] === "openapi" && endpoint) outline.endpoint = { method: endpoint[1]!.toUpperCase(), path: endpoint[2]!, line: i + 1 };
    if (match[1] === "title") outline.title = match[2]!;
  }
  return end + 1;
}

/** Before the first section: the endpoint line, quotes (page summary, index notes) and the description. */
function readPreamble(trimmed: string, line: number, outline: Outline): void {
  const endpoint = ENDPOINT.exec(plainInline(trimmed));
  if (endpoint && !outline.endpoint && plainInline(trimmed).length <= endpoint[0].length + 2) {
    outline.endpoint = { method: endpoint[1]!.toUpperCase(), path: endpoint[2]!, line };
    return;
  }
  if (trimmed.startsWith(">") || /^<\/?[A-Za-z][^>]*>$/.test(trimmed)) return;
  if (trimmed === "" && outline.description.length === 0) return;
  outline.description.push(trimmed);
}

function readSection(body: Line[], section: RawSection, outline: Outline): void {
  let accordionTitle: string | undefined;
  let lastText: Line | undefined;
  for (let i = 0; i < body.length; i++) {
    const { text: raw, line } = body[i]!;
    const trimmed = raw.trim();
    if (trimmed === "") continue;

    if (trimmed.startsWith("```")) {
      const end = body.findIndex((l, j) => j > i && l.text.trim().startsWith("```"));
      const content = body.slice(i + 1, end < 0 ? undefined : end);
      const code = content.map((l) => l.text).join("\n").trim();
      const isJson = /^```\s*json\b/i.test(trimmed) || code.startsWith("{") || code.startsWith("[");
      if (isJson && (section.name === "response" || section.name === "example response") && !section.json) {
        section.json = { text: code, line: content[0]?.line ?? line };
      } else {
        section.text.push(...content.map((l) => ({ text: l.text.trim(), line: l.line })).filter((l) => l.text));
      }
      i = end < 0 ? body.length : end;
      continue;
    }

    if (trimmed.startsWith("|")) {
      const rows: Line[] = [];
      while (i < body.length && body[i]!.text.trim().startsWith("|")) rows.push(body[i++]!);
      i--;
      const nearText = lastText && lastText.line >= rows[0]!.line - 2 ? lastText : undefined;
      const title = accordionTitle !== undefined ? { text: accordionTitle, line: rows[0]!.line } : nearText;
      const used = readTable(rows, section, outline, title);
      if (used && title !== undefined) {
        if (accordionTitle === undefined && lastText) section.text.splice(section.text.indexOf(lastText), 1);
        accordionTitle = undefined;
      }
      lastText = undefined;
      continue;
    }

    const tag = FIELD_TAG.exec(trimmed);
    if (tag) {
      const inner: string[] = [tag[4]!.replace(new RegExp(`</${tag[1]}>\\s*$`), "")];
      let closed = tag[3] === "/" || new RegExp(`</${tag[1]}>\\s*$`).test(tag[4]!);
      while (!closed && i + 1 < body.length) {
        const next = body[++i]!.text.trim();
        // Nested fields (an <Expandable> under Records) end the description of this one.
        if (FIELD_TAG.test(next)) {
          i--;
          break;
        }
        closed = next.endsWith(`</${tag[1]}>`);
        inner.push(next.replace(new RegExp(`</${tag[1]}>$`), ""));
      }
      const attributes = parseAttributes(tag[2]!);
      const name = attributes.query ?? attributes.path ?? attributes.body ?? attributes.name ?? attributes.header;
      if (name === undefined) continue;
      if (!closed && i + 1 >= body.length) {
        outline.cuts.push({ line, what: `the ${section.name} list is cut at "${name}"` });
        continue;
      }
      const description = plainInline(inner.join(" "));
      section.params.push({
        name,
        ...(attributes.type ? { type: attributes.type } : {}),
        required: "required" in attributes && attributes.required !== "false",
        ...(description ? { description } : {}),
        line,
      });
      continue;
    }

    const accordion = /^<Accordion\b[^>]*\btitle="([^"]*)"/.exec(trimmed);
    if (accordion) {
      accordionTitle = accordion[1]!;
      continue;
    }
    if (/^<\/?[A-Za-z][^>]*>$/.test(trimmed)) continue; // a wrapper tag: <Note>, </CodeGroup>, ...

    const heading = HEADING.exec(trimmed);
    const text = plainInline(heading ? heading[2]! : trimmed.replace(/^[-*]\s+/, ""));
    if (!text) continue;
    lastText = { text, line };
    section.text.push(lastText);
  }
}

/** `query="Name" type="integer" required` -> { query: "Name", type: "integer", required: "" }. */
function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([A-Za-z]+)(?:=(?:"([^"]*)"|\{([^}]*)\}))?/g)) {
    attributes[match[1]!] = match[2] ?? match[3] ?? "";
  }
  return attributes;
}

function cells(row: string): string[] {
  return row.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => plainInline(c));
}

/** A table is an enum (`Value | Name`) or a parameter list (`Name | Type | ...`). Returns whether it was used. */
function readTable(rows: Line[], section: RawSection, outline: Outline, title: Line | undefined): boolean {
  const header = cells(rows[0]!.text).map((c) => c.toLowerCase());
  const separator = rows[1] && /^\|?\s*:?-{2,}/.test(rows[1].text.trim());
  const data = rows.slice(separator ? 2 : 1);
  const last = rows.at(-1)!;
  const endsPage = last.line >= outline.lineCount - 1;
  const complete = (row: Line) => cells(row.text).length >= header.length;

  const valueColumn = header.indexOf("value");
  const nameColumn = header.indexOf("name");
  if (valueColumn >= 0 && nameColumn >= 0 && !header.includes("type")) {
    const table: RawEnum = { values: [], line: rows[0]!.line, ...(title ? { title: title.text, titleLine: title.line } : {}) };
    for (const row of data) {
      const values = cells(row.text);
      const match = ENUM_ROW.exec(`${values[valueColumn] ?? ""} ${values[nameColumn] ?? ""}`);
      if (match) table.values.push({ value: Number(match[1]), name: match[2]! });
      else if (endsPage && row === last) outline.cuts.push({ line: row.line, what: "an enum table is cut" });
      else section.text.push({ text: row.text.trim(), line: row.line });
    }
    section.enums.push(table);
    return true;
  }

  const paramColumn = header.findIndex((h) => PARAM_NAME_HEADERS.has(h));
  const typeColumn = header.indexOf("type");
  const descriptionColumn = header.indexOf("description");
  const requiredColumn = header.indexOf("required");
  if (paramColumn < 0) {
    section.text.push(...rows.map((r) => ({ text: r.text.trim(), line: r.line })));
    return false;
  }
  for (const row of data) {
    const values = cells(row.text);
    const name = values[paramColumn] ?? "";
    if (endsPage && row === last && !complete(row)) {
      outline.cuts.push({ line: row.line, what: `the ${section.name} list is cut at "${name}"` });
      continue;
    }
    const type = typeColumn >= 0 ? values[typeColumn] : undefined;
    const description = descriptionColumn >= 0 ? values[descriptionColumn] : undefined;
    const requiredCell = requiredColumn >= 0 ? (values[requiredColumn] ?? "").toLowerCase() : "";
    const param: RawParam = {
      name,
      ...(type ? { type: type.replace(/\s*\(?required\)?\s*$/i, "") } : {}),
      required: ["yes", "true", "required", "✓", "x"].includes(requiredCell) || /\brequired\b/i.test(type ?? ""),
      ...(description ? { description } : {}),
      line: row.line,
    };
    section.params.push(param);
  }
  return true;
}
