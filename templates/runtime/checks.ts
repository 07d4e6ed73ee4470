import { NexudusUsageError } from "./errors.js";

/** A JSON object. */
export type Json = Record<string, unknown>;

/** Whether a value is a JSON object (not `null`, not an array). */
export const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An own, defined property: `constructor` or `__proto__` inherited from `Object.prototype` never counts. */
export const has = (record: Json, field: string): boolean =>
  Object.hasOwn(record, field) && record[field] !== undefined;

/** Sets an own property, never through a setter (a `__proto__` key stays data). */
export const put = (record: object, field: string, value: unknown): void => {
  Object.defineProperty(record, field, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
};

/** Refuses an id that is not a positive safe integer, before any request. */
export const checkId = (id: unknown, what = "id"): number => {
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0)
    throw new NexudusUsageError(
      `${what} must be a positive integer, not ${typeof id === "string" ? JSON.stringify(id) : String(id)}.`,
    );
  return id;
};

/** JSON text of a body; a value JSON cannot hold (a cycle, a BigInt) is a `NexudusUsageError`. */
export const jsonBody = (value: unknown): string => {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new NexudusUsageError(`The body cannot be sent as JSON: ${(error as Error).message}`);
  }
};

/** The origin requests go to; refuses user info (a password there would leak) and non-http(s) URLs. */
export const checkBaseUrl = (baseUrl: string): string => {
  try {
    const url = new URL(baseUrl);
    if (/^https?:$/.test(url.protocol) && !url.username && !url.password)
      return (url.origin + url.pathname).replace(/\/+$/, "");
  } catch {
    // not a URL: refused below, like any that is not http(s)
  }
  throw new NexudusUsageError("baseUrl must be an http(s) URL without user info (use auth).");
};

/** Whether a token can be sent in a header: a non-empty string of visible ASCII (`!` to `~`). */
export const isUsableToken = (token: unknown): token is string =>
  typeof token === "string" && /^[!-~]+$/.test(token);
