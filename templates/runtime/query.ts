/**
 * Formats a `Date` as Nexudus expects in filters: UTC `YYYY-MM-DDTHH:mm`.
 * @example formatDateTime(new Date(Date.UTC(2025, 0, 1))) // "2025-01-01T00:00"
 */
export function formatDateTime(date: Date): string {
  return date.toISOString().slice(0, 16);
}

/**
 * Builds a query string (without `?`) in the caller's key order. `null`/`undefined` values are skipped,
 * dates are formatted with `formatDateTime`, booleans as `true`/`false`; keys and values are encoded
 * with `encodeURIComponent`, except `:` which stays readable.
 * @example formatQuery({ from_X_UpdatedOn: new Date(Date.UTC(2025, 0, 1)), dir: -1 }) // "from_X_UpdatedOn=2025-01-01T00:00&dir=-1"
 */
export function formatQuery(query: object | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value != null)
      parts.push(
        encode(key) + "=" + encode(value instanceof Date ? formatDateTime(value) : String(value)),
      );
  }
  return parts.join("&");
}

const encode = (text: string): string => encodeURIComponent(text).replace(/%3A/g, ":");
