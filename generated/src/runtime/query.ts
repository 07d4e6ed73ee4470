// Copied by nexudus-codegen from templates/runtime/query.ts. Do not edit here: edit the template and run `npm run generate`.
import { NexudusUsageError } from "./errors.js";
import { isObject } from "./checks.js";

/**
 * Formats a `Date` as Nexudus expects in filters: UTC `YYYY-MM-DDTHH:mm`. An invalid `Date` is a `NexudusUsageError`.
 * @example formatDateTime(new Date(Date.UTC(2025, 0, 1))) // "2025-01-01T00:00"
 */
export function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime()))
    throw new NexudusUsageError("An invalid Date cannot be sent in a query.");
  return date.toISOString().slice(0, 16);
}

/**
 * Builds a query string (without `?`) from the query's own properties, in the caller's key order. `null`/`undefined`
 * values are skipped, dates are formatted with `formatDateTime`, booleans as `true`/`false`; keys and values are
 * encoded with `encodeURIComponent`, except `:` which stays readable. Non-finite numbers, arrays, objects, invalid
 * `Date`s and strings with lone surrogates are a `NexudusUsageError`, so nothing is sent.
 * @example formatQuery({ from_X_UpdatedOn: new Date(Date.UTC(2025, 0, 1)), dir: -1 }) // "from_X_UpdatedOn=2025-01-01T00:00&dir=-1"
 */
export function formatQuery(query: object | undefined): string {
  if (query !== undefined && !isObject(query))
    throw new NexudusUsageError("A query must be an object of parameter names and values.");
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value == null) continue;
    const type = typeof value;
    let text: string | undefined;
    try {
      // toISOString throws on an invalid Date, encodeURIComponent on a lone surrogate (no URL can carry one).
      text =
        value instanceof Date
          ? value.toISOString().slice(0, 16)
          : type === "string" || type === "boolean" || Number.isFinite(value)
            ? String(value)
            : undefined;
      if (text !== undefined) {
        parts.push(encode(key) + "=" + encode(text));
        continue;
      }
    } catch {
      // refused below
    }
    throw new NexudusUsageError(
      `Query parameter ${JSON.stringify(key)} is ${
        text !== undefined
          ? "a string with a lone surrogate (or its name has one)"
          : Array.isArray(value)
            ? "an array"
            : value instanceof Date
              ? "an invalid Date"
              : type === "number"
                ? String(value)
                : `a value of type ${type}`
      }: pass a string, a finite number, a boolean or a valid Date.`,
    );
  }
  return parts.join("&");
}

const encode = (text: string): string => encodeURIComponent(text).replace(/%3A/g, ":");
