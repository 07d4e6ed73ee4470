import { PROVENANCE_NOTES, type EntityModel, type FieldModel, type FilterModel, type RangeFilterModel, type TypeModel } from "../model.js";

/** Where a type is used decides how a value of it is written. */
export type TypeContext = "record" | "input" | "query";

function baseType(type: TypeModel, context: TypeContext): string {
  switch (type.kind) {
    case "integer":
    case "number":
      return "number";
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "datetime":
      // Records carry ISO strings; inputs and queries also take a Date, serialised for the caller.
      return context === "record" ? "string" : "Date | string";
    case "json":
    case "unknown":
      return "unknown";
    case "object":
      // Inline child objects: every property optional, as a create or update may send a subset.
      return `{ ${(type.properties ?? []).map((p) => `${p.name}?: ${tsType(p.type, context)}`).join("; ")} }`;
    case "untyped":
      return "string | number | boolean";
    case "enum":
      return type.enumName!;
  }
}

/** The TypeScript type of a value of `type`. */
export function tsType(type: TypeModel, context: TypeContext): string {
  let text = baseType(type, context);
  if (type.array) text = text.includes(" ") && type.kind !== "object" ? `(${text})[]` : `${text}[]`;
  if (type.nullable && type.kind !== "json" && type.kind !== "unknown") text = `${text} | null`;
  return text;
}

/** Text made safe for a JSDoc block: a spec can never close the comment early. */
export function docSafe(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}

/** Spec text for a JSDoc block: it can neither close the comment nor start a tag (`@deprecated`, `@internal`). */
export function docText(text: string): string {
  // [ \t]*, not \s*: a match that may run across lines backtracks quadratically on many blank lines.
  return docSafe(text).replace(/^([ \t]*)@/gm, "$1\\@");
}

/** How the docs describe a type in prose: `integer or null`, `RecurrentChargePattern`. */
export function typeLabel(type: TypeModel): string {
  const base = type.kind === "enum" ? type.enumName! : type.kind === "datetime" ? "date-time (ISO 8601 string)" : type.kind === "json" ? "JSON value" : type.kind === "untyped" ? "untyped (the docs give no type)" : type.kind === "unknown" ? "unknown (no source gives its type)" : type.kind === "object" ? `object (${(type.properties ?? []).map((p) => p.name).join(", ")})` : type.kind;
  const text = type.array ? `array of ${base}` : base;
  return type.nullable ? `${text} or null` : text;
}

/** What writing a field does beyond its type: create-only, update-only, a collection's role. */
export function writeNote(field: FieldModel): string | undefined {
  if (field.collection?.role === "add") return `Ids to add to \`${field.collection.of}\` on update; the others stay.`;
  if (field.collection?.role === "remove") return `Ids to remove from \`${field.collection.of}\` on update; the others stay.`;
  if (field.createOnly) return "Create-only: an update does not change it.";
  if (field.updateOnly) return "Update-only: not part of the create input.";
  return undefined;
}

/** The JSDoc of a record field: the docs' description, then the facts a caller needs. */
export function fieldDoc(field: FieldModel, where: "record" | "create"): string {
  const lines: string[] = [];
  if (field.description) lines.push(docText(field.description));
  const facts: string[] = [];
  if (where === "create") facts.push(field.required ? "Required." : "Optional.");
  else if (field.readOnly) facts.push("Read-only: set by Nexudus.");
  else if (field.required) facts.push("Required on create and update.");
  const write = writeNote(field);
  if (write) facts.push(write);
  if (where === "record" && !field.inListing) facts.push(`Not included in listing records: read it from \`get()\`.`);
  if (field.type.kind === "enum") facts.push(`Values: {@link ${field.type.enumName}}.`);
  if (field.type.kind === "datetime") facts.push("ISO 8601 date-time.");
  // The TypeScript type says the rest; a field nothing else is known of still gets a line.
  if (facts.length === 0 && !field.description) facts.push(`Type: ${typeLabel(field.type)}.`);
  if (field.provenance) facts.push(PROVENANCE_NOTES[field.provenance]);
  if (facts.length > 0) lines.push(facts.join(" "));
  return docSafe(lines.join("\n\n"));
}

/** The JSDoc of a filter parameter. */
export function filterDoc(filter: FilterModel): string {
  const lines = [filter.description ? docText(filter.description) : `Filter by ${filter.name}.`];
  if (filter.type.kind === "enum") lines.push(`Values: {@link ${filter.type.enumName}}.`);
  if (filter.type.kind === "datetime") lines.push("A `Date` is sent as UTC `YYYY-MM-DDTHH:mm`.");
  if (filter.provenance) lines.push(PROVENANCE_NOTES[filter.provenance]);
  return docSafe(lines.join("\n\n"));
}

/** The JSDoc of one of a range filter's two parameters. */
export function rangeDoc(range: RangeFilterModel, end: "from" | "to"): string {
  const text = docText(end === "from" ? range.fromDescription : range.toDescription);
  return docSafe(range.provenance ? `${text}\n\n${PROVENANCE_NOTES[range.provenance]}` : text);
}

/** Fields a listing can be sorted by: every scalar field of the record. */
export function orderByFields(entity: EntityModel): FieldModel[] {
  return entity.fields.filter((f) => !f.type.array && f.type.kind !== "json" && f.type.kind !== "unknown" && f.type.kind !== "object");
}
