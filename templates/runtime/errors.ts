import type { ValidationError } from "./types.js";

/** Details attached to a `NexudusError`; each becomes a field of the error (`cause` the standard one). */
export interface ErrorDetails {
  /** HTTP method of the failed request. */
  method?: string | undefined;
  /** Path and query of the failed request (no origin, never credentials). */
  path?: string | undefined;
  /** HTTP status, when an answer came. */
  status?: number | undefined;
  /** Response headers, when an answer came (cookies redacted). */
  headers?: Record<string, string> | undefined;
  /** The raw response body, when an answer came, with every known credential scrubbed (at most 10 000 characters). */
  body?: string | undefined;
  /** Field errors of a 400 validation answer (`NexudusApiError`). */
  errors?: ValidationError[] | undefined;
  /** OAuth error code from the token endpoint (`NexudusAuthError`). */
  code?: string | undefined;
  /** The wait the server asked for, in milliseconds (`NexudusRateLimitError`). */
  retryAfterMs?: number | undefined;
  /** The underlying error (credentials scrubbed). */
  cause?: unknown;
}

/**
 * Base class of every error the client throws, aborts included. No message, `stack`, `cause`, `toJSON()` or
 * `util.inspect` of one carries a credential.
 */
export class NexudusError extends Error {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusError";
  }
  /** HTTP method of the failed request. */
  declare readonly method?: string | undefined;
  /** Path and query of the failed request. */
  declare readonly path?: string | undefined;
  /** HTTP status, when an answer came. */
  declare readonly status?: number | undefined;

  /** Creates the error; `details.cause` becomes the standard `cause`, the other details its fields. */
  constructor(message: string, details: ErrorDetails = {}) {
    // Error takes `cause` from its options; assigning it again keeps it non-enumerable, as Error made it.
    super(message, details);
    Object.assign(this, details);
  }

  /** A plain, credential-free view for logs: name, message and the error's own fields. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

/**
 * The API answered with an error status, a redirect, a body the client cannot use, or `WasSuccessful: false`.
 * Subclasses by status: `NexudusBadRequestError` (400), `NexudusAuthError` (401 `NexudusUnauthorizedError`,
 * 403 `NexudusForbiddenError`, refused token requests), `NexudusNotFoundError` (404), `NexudusRateLimitError`
 * (409/429, Nexudus's throttle) and `NexudusServerError` (5xx).
 */
export class NexudusApiError extends NexudusError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusApiError";
  }
  /** Field errors (a 400 validation answer), to show next to the fields. */
  declare readonly errors: ValidationError[];
  /** Response headers (cookies redacted); empty when no answer came. */
  declare readonly headers: Record<string, string>;
  /** The raw response body with credentials scrubbed (at most 10 000 characters); empty when none. */
  declare readonly body: string;

  /** Creates the error with the answer's field errors, headers and body (empty when not given). */
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, { errors: [], headers: {}, body: "", ...details });
  }
}

/** HTTP 400: the request was refused as invalid; `errors` holds the field errors. */
export class NexudusBadRequestError extends NexudusApiError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusBadRequestError";
  }
}

/**
 * Authentication failed: bad credentials (`code: "invalid_grant"`), a token answer without a usable token, a failing
 * `tokenProvider()`, an expired or refused token (`NexudusUnauthorizedError`), a missing role
 * (`NexudusForbiddenError`).
 */
export class NexudusAuthError extends NexudusApiError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusAuthError";
  }
  /** OAuth error code from the token endpoint, e.g. `invalid_grant`. */
  declare readonly code?: string | undefined;
}

/** HTTP 401: the token is missing, expired or revoked (after one renewal). */
export class NexudusUnauthorizedError extends NexudusAuthError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusUnauthorizedError";
  }
}

/** HTTP 403: the user lacks the role the operation needs. */
export class NexudusForbiddenError extends NexudusAuthError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusForbiddenError";
  }
}

/** HTTP 404: no such record or endpoint. */
export class NexudusNotFoundError extends NexudusApiError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusNotFoundError";
  }
}

/**
 * Throttled: HTTP 409 (Nexudus's throttle answer) or 429, still after all retries, or asking for a wait longer than
 * `retry.maxDelayMs` (then it fails at once, without re-sending early).
 */
export class NexudusRateLimitError extends NexudusApiError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusRateLimitError";
  }
  /** The wait the server asked for (Retry-After) in milliseconds, when it said. */
  declare readonly retryAfterMs?: number | undefined;
}

/** HTTP 5xx: the server failed (a failed delete is documented as a 500). */
export class NexudusServerError extends NexudusApiError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusServerError";
  }
}

/** The `NexudusApiError` subclass for an HTTP status. */
export const apiErrorClass = (status: number): typeof NexudusApiError =>
  status === 409 || status === 429
    ? NexudusRateLimitError
    : // 400 to 404, by status - 400 (402 has none)
      ([
        NexudusBadRequestError,
        NexudusUnauthorizedError,
        ,
        NexudusForbiddenError,
        NexudusNotFoundError,
      ][status - 400] ?? (status >= 500 ? NexudusServerError : NexudusApiError));

/**
 * An HTTP attempt took longer than `timeoutMs`. Not retried: a write may have happened, and the message of a
 * timed-out create or command says how to check.
 */
export class NexudusTimeoutError extends NexudusError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusTimeoutError";
  }
}

/**
 * No answer came: connection refused or reset, DNS failure… (after retries for GET/PUT/DELETE). A create or a command
 * is never re-sent; its message says it may have happened and how to check.
 */
export class NexudusNetworkError extends NexudusError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusNetworkError";
  }
}

/** The call's `AbortSignal` aborted; `cause` is the signal's reason. */
export class NexudusAbortError extends NexudusError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusAbortError";
  }
}

/**
 * `patch()` found the record changed (its `UpdatedOn` moved) between its read and its write, and sent no PUT so as not
 * to overwrite the other change. Read the record again and decide.
 */
export class NexudusConflictError extends NexudusError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusConflictError";
  }
}

/** The call was refused before any request: a bad id or query value, `update()` of a listing record… */
export class NexudusUsageError extends NexudusError {
  /** The class name, which a minifier would shorten. */
  override get name(): string {
    return "NexudusUsageError";
  }
}
