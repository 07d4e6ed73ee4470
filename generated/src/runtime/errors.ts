// Copied by nexudus-codegen from templates/runtime/errors.ts. Do not edit here: edit the template and run `npm run generate`.
import type { ValidationError } from "./types.js";

/** Details attached to a `NexudusError`. */
export interface ErrorDetails {
  /** HTTP method of the failed request. */
  method?: string;
  /** Path and query of the failed request (no origin, never credentials). */
  path?: string;
  /** HTTP status, when an answer came. */
  status?: number;
  /** The underlying error. */
  cause?: unknown;
}

/** Base class of every error the client throws. Never carries a credential. */
export class NexudusError extends Error {
  static {
    this.prototype.name = "NexudusError";
  }
  /** HTTP method of the failed request. */
  readonly method?: string;
  /** Path and query of the failed request. */
  readonly path?: string;
  /** HTTP status, when an answer came. */
  readonly status?: number;

  /** Creates the error; `details.cause` becomes the standard `cause`. */
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, "cause" in details ? { cause: details.cause } : undefined);
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
  }

  /** A plain, credential-free view for logs: name, message and the error's own fields. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

/** The API answered with an error status, or with `WasSuccessful: false`. */
export class NexudusApiError extends NexudusError {
  static {
    this.prototype.name = "NexudusApiError";
  }
  /** Field errors (a 400 validation answer), to show next to the fields. */
  readonly errors: ValidationError[];

  /** Creates the error with the answer's field errors. */
  constructor(message: string, details: ErrorDetails & { errors?: ValidationError[] | null } = {}) {
    super(message, details);
    this.errors = details.errors ?? [];
  }
}

/** Authentication failed: bad credentials (`code: "invalid_grant"`), an expired or refused token, a missing role. */
export class NexudusAuthError extends NexudusError {
  static {
    this.prototype.name = "NexudusAuthError";
  }
  /** OAuth error code from the token endpoint, e.g. `invalid_grant`. */
  readonly code?: string;

  /** Creates the error. */
  constructor(message: string, details: ErrorDetails & { code?: string } = {}) {
    super(message, details);
    this.code = details.code;
  }
}

/** Still throttled (HTTP 409 or 429) after all retries. */
export class NexudusRateLimitError extends NexudusError {
  static {
    this.prototype.name = "NexudusRateLimitError";
  }
  /** The wait the server asked for (Retry-After) in milliseconds, when it said. */
  readonly retryAfterMs?: number;

  /** Creates the error. */
  constructor(message: string, details: ErrorDetails & { retryAfterMs?: number } = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** An HTTP attempt took longer than `timeoutMs`. Not retried (a write may have happened). */
export class NexudusTimeoutError extends NexudusError {
  static {
    this.prototype.name = "NexudusTimeoutError";
  }
}

/** No answer came: connection refused or reset, DNS failure… (after retries for GET/PUT/DELETE). */
export class NexudusNetworkError extends NexudusError {
  static {
    this.prototype.name = "NexudusNetworkError";
  }
}

/** The call was refused before any request, e.g. `update()` of a listing record. */
export class NexudusUsageError extends NexudusError {
  static {
    this.prototype.name = "NexudusUsageError";
  }
}
