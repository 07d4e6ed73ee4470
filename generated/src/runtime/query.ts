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
    throw new NexudusUsageError("A query must be an object.");
  return Object.entries(query ?? {})
    .filter(([, value]) => value != null)
    .map(([key, value]) => {
      try {
        // toISOString throws on an invalid Date, encodeURIComponent on a lone surrogate (no URL can carry one).
        const type = typeof value;
        if (
          value instanceof Date ||
          type === "string" ||
          type === "boolean" ||
          Number.isFinite(value)
        )
          return `${encode(key)}=${encode(value instanceof Date ? value.toISOString().slice(0, 16) : String(value))}`;
      } catch {
        // refused below
      }
      throw new NexudusUsageError(
        `Query parameter ${JSON.stringify(key)} must be a finite number, boolean, valid Date or well-formed string.`,
      );
    })
    .join("&");
}

const encode = (text: string): string => encodeURIComponent(text).replace(/%3A/g, ":");
