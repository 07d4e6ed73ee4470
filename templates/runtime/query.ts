import { NexudusUsageError } from "./errors.js";

/** A UTF-16 surrogate without its pair: not encodable in a URL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Formats a `Date` as Nexudus expects in filters: UTC `YYYY-MM-DDTHH:mm`. An invalid `Date` is a `NexudusUsageError`.
 * @example formatDateTime(new Date(Date.UTC(2025, 0, 1))) // "2025-01-01T00:00"
 */
export function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime()))
    throw new NexudusUsageError("An invalid Date cannot be sent in a query.");
  return date.toISOString().slice(0, 16);
}

/** Text of one query value; refuses what Nexudus could not read the way the caller meant. */
function queryText(key: string, value: unknown): string {
  const refuse = (what: string): never => {
    throw new NexudusUsageError(
      `Query parameter ${JSON.stringify(key)} is ${what}: pass a string, a finite number, a boolean or a valid Date.`,
    );
  };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) refuse("an invalid Date");
    return formatDateTime(value);
  }
  if (typeof value === "number")
    return Number.isFinite(value) ? String(value) : refuse(String(value));
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string")
    return LONE_SURROGATE.test(value) ? refuse("a string with a lone surrogate") : value;
  return refuse(Array.isArray(value) ? "an array" : `a value of type ${typeof value}`);
}

/**
 * Builds a query string (without `?`) from the query's own properties, in the caller's key order. `null`/`undefined`
 * values are skipped, dates are formatted with `formatDateTime`, booleans as `true`/`false`; keys and values are
 * encoded with `encodeURIComponent`, except `:` which stays readable. Non-finite numbers, arrays, objects, invalid
 * `Date`s and strings with lone surrogates are a `NexudusUsageError`, so nothing is sent.
 * @example formatQuery({ from_X_UpdatedOn: new Date(Date.UTC(2025, 0, 1)), dir: -1 }) // "from_X_UpdatedOn=2025-01-01T00:00&dir=-1"
 */
export function formatQuery(query: object | undefined): string {
  if (query !== undefined && (query === null || typeof query !== "object" || Array.isArray(query)))
    throw new NexudusUsageError("A query must be an object of parameter names and values.");
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (LONE_SURROGATE.test(key))
      throw new NexudusUsageError("A query parameter name has a lone surrogate.");
    if (value != null) parts.push(encode(key) + "=" + encode(queryText(key, value)));
  }
  return parts.join("&");
}

const encode = (text: string): string => encodeURIComponent(text).replace(/%3A/g, ":");
