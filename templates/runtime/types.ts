import type { NexudusError } from "./errors.js";

/**
 * Wire shapes shared by every Nexudus endpoint, and the options of the client.
 * Hand-written runtime: the generator copies this file verbatim into the generated package.
 */

/** Sort direction of a listing: `1` ascending, `-1` descending (the developers.nexudus.com convention). */
export type SortDirection = 1 | -1;

/** A value accepted in a listing query. `null`/`undefined` are skipped; a `Date` is sent as UTC `YYYY-MM-DDTHH:mm`. */
export type QueryValue = string | number | boolean | Date | null | undefined;

/**
 * What the operations need to know about one entity's endpoint; generated per resource, in two exports:
 * `coworkerTimePasses` (where the entity lives) and, for an entity that can be updated, `coworkerTimePassesForUpdate`
 * (an `UpdateInfo`), which adds the rules `update()` and `patch()` check, so that an app that only reads does not
 * carry them. `Operations` (types only) is the interface of the entity's resource, e.g.
 * `ResourceInfo<CoworkerTimePassesResource>`: each operation function takes what that resource's method of the same
 * name takes and gives what it gives, and refuses an info whose resource lacks the method. The arguments are typed by
 * the info alone (`NoInfer`: requires TypeScript 5.4), so an unknown filter or field does not compile. A hand-written
 * info leaves it out.
 */
export interface ResourceInfo<Operations extends object = never> {
  /** Entity name, e.g. `CoworkerTimePass`. */
  entity: string;
  /** Endpoint path without trailing slash, e.g. `/api/billing/coworkertimepasses`. */
  path: string;
  /** Fields the listing leaves out of its records; `update()` refuses a record that lacks any of them. */
  listingOmits?: readonly string[] | undefined;
  /** Fields required in an update body; `update()` refuses a record that lacks any of them. */
  requiredOnUpdate?: readonly string[] | undefined;
  /** Fields an update cannot change (set by Nexudus, or taken by create only); `patch()` refuses changes to them. */
  readOnlyOnUpdate?: readonly string[] | undefined;
  /** Never set: it carries `Operations` for the types. */
  readonly operations?: Operations;
}

/**
 * The info `update()` and `patch()` take when typed by a generated resource (e.g. `coworkerTimePassesForUpdate`): its
 * update rules are all given, so the info an app that only reads imports (`coworkerTimePasses`) is refused.
 */
export interface UpdateInfo<Operations extends object = never> extends ResourceInfo<Operations> {
  listingOmits: readonly string[];
  requiredOnUpdate: readonly string[];
  readOnlyOnUpdate: readonly string[];
}

/** The changes `patch()` applies: some of `T`'s fields; an `undefined` value leaves the field as it is. */
export type Changes<T> = { [K in keyof T]?: T[K] | undefined };

/** The paged envelope returned by a listing (Search) endpoint. */
export interface Page<T> {
  /** The records of this page (listing records: some fields are left out). */
  Records: T[];
  /** Current page number, from 1. */
  CurrentPage: number;
  /** Number of records per page. */
  CurrentPageSize: number;
  /** The field used for sorting. */
  CurrentOrderField: string | null;
  /** The sort direction (1 ascending, -1 descending). */
  CurrentSortDirection: number;
  /** 1-based index of the first record of this page. */
  FirstItem: number;
  /** 1-based index of the last record of this page. */
  LastItem: number;
  /** Number of records matching the query. */
  TotalItems: number;
  /** Number of pages. */
  TotalPages: number;
  /** Whether a later page exists. */
  HasNextPage: boolean;
  /** Whether an earlier page exists. */
  HasPreviousPage: boolean;
  /** Page number (present in some answers). */
  PageNumber?: number | undefined;
  /** Page size (present in some answers). */
  PageSize?: number | undefined;
}

/** One field error of a validation failure. */
export interface ValidationError {
  /** The value that was refused. */
  AttemptedValue: unknown;
  /** Why it was refused, e.g. `is a required field`. */
  Message: string;
  /** The field, e.g. `Name`. */
  PropertyName: string;
}

/** The answer of a create, update, delete or run-command request. */
export interface ActionResult {
  /** HTTP-like status code. */
  Status: number;
  /** Human-readable outcome. */
  Message: string | null;
  /** The affected record's id (the new id after a create), or null. */
  Value: { Id: number } | null;
  /** UI hint. */
  OpenInDialog: boolean;
  /** UI hint. */
  OpenInWindow: boolean;
  /** UI hint. */
  RedirectURL: string | null;
  /** UI hint. */
  JavaScript: string | null;
  /** When the record was updated. */
  UpdatedOn: string | null;
  /** Who updated the record. */
  UpdatedBy: string | null;
  /** Field errors, if any. */
  Errors: ValidationError[] | null;
  /** Whether the action succeeded (a `false` is turned into a `NexudusApiError`). */
  WasSuccessful: boolean;
}

/** A parameter of a command run. */
export interface CommandParameter {
  /** Parameter name. */
  Name: string;
  /** Parameter value. */
  Value: unknown;
}

/** A command that can be run on records of an entity (`GET …/commands`). */
export interface Command {
  /** Key to pass to `runCommand`. */
  Key: string;
  /** Display name. */
  Name: string;
  /** Whether it needs several records. */
  AppliesOnlyToMultipleEntities: boolean;
  /** UI hint. */
  DisplayInDropdown: boolean;
  /** UI hint. */
  DisplayInDropdownV2: boolean;
  /** Whether it runs on exactly one record. */
  AppliesOnlyToOneEntity: boolean;
  /** Whether it runs on exactly two records. */
  AppliesOnlyToTwoEntities: boolean;
  /** UI hint. */
  DisplayInGrid: boolean;
  /** UI hint. */
  Icon: string | null;
  /** Whether record ids are needed. */
  NeedsEntitiesToRun: boolean;
  /** Display order. */
  Order: number;
  /** Parameters the command expects. */
  RequiresParameters: { Name: string; Type: string }[] | null;
}

/** Headers to send: a `null` or `undefined` value removes a header set by `defaultHeaders`. */
export type HeaderValues = Record<string, string | null | undefined>;

/** `fetch` options passed through with each request; the client sets the method, body, headers, signal and redirect. */
export type FetchOptions = Omit<RequestInit, "method" | "body" | "headers" | "signal" | "redirect">;

/** Per-call options, accepted by every method as its last argument. */
export interface RequestOptions {
  /** Aborts the call, including any wait between retries and the token request it waits for. */
  signal?: AbortSignal | undefined;
  /** Timeout of each HTTP attempt in milliseconds (default: the client's `timeoutMs`, 60 000); `Infinity` for none. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  /** Extra headers for this call, over the client's `defaultHeaders` (`Authorization` cannot be overridden). */
  headers?: HeaderValues | undefined;
  /** Extra `fetch` options for this call (e.g. `cache`, `keepalive`, or a `dispatcher` for Node's fetch). */
  fetchOptions?: FetchOptions | undefined;
}

/** The parsed value of a call together with the HTTP answer it came from. */
export interface WithResponse<T> {
  /** The parsed value, as the call itself resolves. */
  data: T;
  /** The HTTP answer: `status`, `headers`, and a body that can still be read. */
  response: Response;
}

/** What the `onRequest` hook receives. Credentials are redacted. */
export interface RequestEvent {
  /** HTTP method. */
  method: string;
  /** Full URL. */
  url: string;
  /** Request headers (lower-case names), `Authorization` redacted. */
  headers: Record<string, string>;
  /** 0 for the first attempt, then 1, 2… for retries. */
  attempt: number;
}

/** What the `onResponse` hook receives. Credentials are redacted. */
export interface ResponseEvent extends RequestEvent {
  /** HTTP status, or 0 when no answer came (network failure, timeout, abort). */
  status: number;
  /** Response headers, cookies redacted (empty when no answer came). */
  responseHeaders: Record<string, string>;
  /** Time from sending to the end of the body, in milliseconds. */
  durationMs: number;
}

/** What the `onRetry` hook receives: a request is about to be re-sent. */
export interface RetryEvent {
  /** HTTP method. */
  method: string;
  /** Path, without the query. */
  path: string;
  /** The status that asked for the retry, or 0 after a network failure. */
  status: number;
  /** How long the client waits before re-sending, in milliseconds. */
  waitMs: number;
}

/**
 * Hooks, given to `hooks()` (or `logging()`): a failing hook never breaks a request. Credentials are redacted from every
 * event.
 */
export interface Hooks {
  /** Called before each HTTP attempt. */
  onRequest?: ((event: RequestEvent) => void) | undefined;
  /** Called after each HTTP attempt, answered or not. */
  onResponse?: ((event: ResponseEvent) => void) | undefined;
  /** Called before a request is re-sent (throttling, 502/503/504, network failure). */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Called with every error a call fails with. */
  onError?: ((error: NexudusError) => void) | undefined;
}

/**
 * Where a transport reports each HTTP attempt, re-send and failed call, credentials already redacted: made by
 * `hooks()` or `logging()`, each imported only by the apps that use them, and given as the `log` option.
 */
export interface Observer {
  /**
   * Before each HTTP attempt: method, URL, request headers and attempt (0, then 1, 2… for retries). Returns what the
   * transport calls once the attempt is over: its status and response headers (0 and none when no answer came).
   */
  request(
    method: string,
    url: string,
    headers: Record<string, string>,
    attempt: number,
  ): (status: number, responseHeaders: Record<string, string>) => void;
  /** Before a request is re-sent, with the status that asked for it (0 after a network failure) and the wait. */
  retry(method: string, path: string, status: number, waitMs: number): void;
  /** With every error a call fails with. */
  error(error: NexudusError): void;
}

/**
 * How requests are authenticated, other than a fixed token: made by `passwordGrant()`, `tokenProvider()` or
 * `basicAuth()`, each imported only by the apps that use it. The transport calls it once, with what it needs.
 */
export type Authentication = (context: AuthContext) => Authorizer;

/** What the transport gives an `Authentication`. */
export interface AuthContext {
  /** Sends a request (a token request passes its headers last) with the transport's retries, errors and hooks. */
  send: Send;
  /** Remembers credentials, so that they are scrubbed from every message, error, log line and hook event. */
  remember(...secrets: (string | undefined)[]): void;
}

/**
 * What a successful answer's body must be: a record (`{}`), a list (`[]`), or a page (an object with a `Records`
 * array); an answer without it is a `NexudusApiError`. Left out, any answer goes.
 */
export type Expect = "record" | "list" | "page" | undefined;

/**
 * Sends one logical request with its retries and turns the answer into data or a `NexudusError`: `method` to `path`
 * (with its query, from the origin) with the call's `options`, an optional body (JSON text, or a token request's
 * form) and, for a token request, its own headers (then sent without `Authorization`). `gone` is the value of a 404 to
 * a re-sent request, whose first attempt did it (a DELETE's success).
 */
export type Send = <T>(
  method: string,
  path: string,
  options: RequestOptions,
  expect?: Expect,
  body?: string,
  gone?: () => unknown,
  tokenHeaders?: HeaderValues,
) => Promise<WithResponse<T>>;

/** Gives each request its `Authorization` header. */
export interface Authorizer {
  /** The header value for a request (may fetch or renew a token, honouring `options.signal` and `timeoutMs`). */
  header(options: RequestOptions): string | Promise<string>;
  /** After a 401 to a request sent with `header`: whether to get a new header and send it again (once). */
  renew?: ((header: string) => boolean) | undefined;
}

/**
 * Waits until a request may go (rejecting with a `NexudusAbortError` when `signal` aborts): made by
 * `maxRequestsPerSecond()`. The transport waits for it before each HTTP attempt.
 */
export type Pace = (signal?: AbortSignal) => Promise<void>;

/** Options shared by every authentication variant. */
export interface BaseClientOptions {
  /** API origin, default `https://spaces.nexudus.com`; must not carry credentials (user info). */
  baseUrl?: string | undefined;
  /** A `fetch` implementation (default: the global one). */
  fetch?: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
  /** Headers sent with every request (per-call `headers` override them; `Authorization` cannot be set). */
  defaultHeaders?: HeaderValues | undefined;
  /** Timeout of each HTTP attempt in milliseconds, default 60 000; `Infinity` for none. */
  timeoutMs?: number | undefined;
  /** Retries after throttling (409/429), 502/503/504 and network failures, default 2. */
  maxRetries?: number | undefined;
  /**
   * Backoff tuning: first backoff (default 500 ms) and the longest single wait (default 60 000 ms). A `Retry-After`
   * asking for longer fails at once with a `NexudusRateLimitError` carrying the wait.
   */
  retry?: { baseDelayMs?: number | undefined; maxDelayMs?: number | undefined } | undefined;
  /**
   * Client-side spacing of requests, for callers who would rather queue than be throttled: `maxRequestsPerSecond(5)`.
   */
  pace?: Pace | undefined;
  /** Longest URL a `getMany` request may use before it is split, default 2000. */
  maxUrlLength?: number | undefined;
  /** Hooks and logging: `hooks({ onRequest, onResponse, onRetry, onError })` or `logging({ level: "debug" })`; off when not given. */
  log?: Observer | undefined;
}

/**
 * Options of `new Transport()` / `new NexudusClient()`: a fixed bearer `token`, or another authentication in `auth`
 * (`passwordGrant()`, `tokenProvider()`, `basicAuth()`), plus the common options.
 */
export type ClientOptions = BaseClientOptions &
  ({ token: string; auth?: undefined } | { auth: Authentication; token?: undefined });
