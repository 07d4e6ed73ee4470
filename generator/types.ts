/** The value types a spec can name, besides enums. */
/**
 * `untyped` is for filters the docs name without a type: any scalar is accepted and sent as text.
 * `unknown` is a value no source types (a read-only name seen without its type); `object` is an
 * inline child object, whose properties the field entry lists.
 */
export const PRIMITIVE_TYPES = ["integer", "number", "string", "boolean", "datetime", "json", "unknown", "object", "untyped"] as const;
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

/** Types Nexudus range filters take. */
export const RANGE_TYPES: readonly string[] = ["integer", "number", "datetime"];

/** A parsed type name: `integer[]?` is an array of integers that may be null. */
export interface TypeName {
  /** A primitive type or an enum name. */
  base: string;
  array: boolean;
  nullable: boolean;
}

export function parseTypeName(text: string): TypeName | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(\[\])?(\?)?$/.exec(text);
  if (!match) return undefined;
  return { base: match[1]!, array: match[2] !== undefined, nullable: match[3] !== undefined };
}

export function isPrimitive(base: string): base is PrimitiveType {
  return (PRIMITIVE_TYPES as readonly string[]).includes(base);
}

/** The description a scaffolded or imported spec starts with, until a person writes the real one. */
export const PLACEHOLDER_DESCRIPTION = "No description yet: replace this text with the one on the entity's docs page.";

/**
 * What every spec known only from the entity facts lacks: the facts importer writes it first in
 * `docs.missing`, and the docs say it once, on the coverage page.
 */
export const FACTS_ONLY_MISSING = "No docs page gives whether values can be null, which fields listings leave out, or the filters' exact names.";

/** Where a name comes from, when not from a Nexudus docs page (a documented name has none). */
export const PROVENANCES = ["derived", "observed"] as const;
export type Provenance = (typeof PROVENANCES)[number];
