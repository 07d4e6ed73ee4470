// Copied by nexudus-codegen from templates/runtime/transport.ts. Do not edit here: edit the template and run `npm run generate`.
import {
  apiErrorClass,
  NexudusApiError,
  NexudusAuthError,
  NexudusConflictError,
  NexudusError,
  NexudusNetworkError,
  NexudusRateLimitError,
  NexudusTimeoutError,
  NexudusUsageError,
  type ErrorDetails,
} from "./errors.js";
import {
  checkBaseUrl,
  checkId,
  checkToken,
  has,
  isObject,
  isUsableToken,
  jsonBody,
  put,
  type Json,
} from "./checks.js";
import { ListPage } from "./page.js";
import { NexudusPromise } from "./promise.js";
import { formatQuery } from "./query.js";
import { Secrets } from "./secrets.js";
import { aborted, backoff, MAX_TIMER_MS, parseRetryAfter, sleep, unlessAborted } from "./timing.js";
import type {
  ActionResult,
  ClientOptions,
  Command,
  CommandParameter,
  HeaderValues,
  Logger,
  LogLevel,
  RequestEvent,
  RequestOptions,
  ResourceInfo,
  ValidationError,
  WithResponse,
} from "./types.js";

const JSON_TYPE = "application/json";
/** Longest scrubbed response body an error keeps. */
const MAX_ERROR_BODY = 10_000;
const LOG_LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/** Records that came from a listing or `getMany`: never the base of an update, whatever their shape. */
const listingRecords = new WeakSet<object>();

/** Options of `Transport.request`: per-call options plus an optional query and JSON body. */
export interface RawRequestOptions extends RequestOptions {
  /** Appended to the path with `formatQuery`. */
  query?: object | undefined;
  /** Sent as JSON. */
  body?: unknown;
}

/** What a call expects in a successful answer's body; an answer without it is a `NexudusApiError`. */
type Expected = "object" | "array" | "any";

/** One logical request, as the retry loop sends it. */
interface Call {
  method: string;
  /** Path and query, from the origin. */
  path: string;
  options: RequestOptions;
  body?: string | undefined;
  /** A token request: its extra headers (form body, no Authorization). */
  form?: Record<string, string> | undefined;
  expect: Expected;
  /** Said in the error of a write that timed out, lost its connection or met a 5xx: it may have happened, and how to check. */
  mayHaveHappened?: string | undefined;
  /** A DELETE: a 404 after re-sending it (its first attempt failed) means it was deleted. */
  deleteId?: number | undefined;
}

/** Everything an error of a call may carry; each error class takes the part it knows. */
type Details = ErrorDetails & {
  errors?: ValidationError[] | undefined;
  code?: string | undefined;
  retryAfterMs?: number | undefined;
};

/** What one HTTP attempt gave: an answer and its body text, or a failure (and whether it was the timeout). */
interface Exchange {
  response?: Response | undefined;
  text: string;
  failure?: unknown;
  timedOut: boolean;
  /** The answer's valid `Retry-After`, in milliseconds. */
  retryAfter?: number | undefined;
  /** How long to wait before re-sending: `Retry-After`, else the backoff. */
  wait: number;
}

/**
 * The HTTP engine behind every generated resource: authentication (fixed token, password grant with refresh,
 * token provider, Basic), throttling and retries, timeouts, typed errors, paging and safe updates.
 * It keeps every credential in private fields: neither `JSON.stringify` nor `util.inspect` shows one, and it
 * scrubs them (in every encoding they can take) from every error, log line and hook event.
 */
export class Transport {
  #base: string;
  #options: ClientOptions;
  readonly #secrets = new Secrets();
  #fixed?: string | undefined;
  #access?: string | undefined;
  #refresh?: string | undefined;
  #expires = 0;
  #pending?: Promise<string> | undefined;
  #nextSlot = 0;
  #holdUntil = 0;
  #logLevel: number;
  #logger: Logger;

  /**
   * Creates a transport; throws `NexudusUsageError` when no authentication variant is given or `baseUrl` is not an
   * http(s) origin without credentials.
   */
  constructor(options: ClientOptions) {
    this.#options = options;
    this.#base = checkBaseUrl(options.baseUrl ?? "https://spaces.nexudus.com");
    if ("token" in options) {
      if (!isUsableToken(options.token))
        throw new NexudusUsageError(
          "token must be a non-empty string of visible ASCII characters.",
        );
      this.#fixed = "Bearer " + options.token;
      this.#secrets.remember(options.token);
    } else if ("basic" in options) {
      const raw = new TextEncoder().encode(options.basic.username + ":" + options.basic.password);
      this.#fixed = "Basic " + btoa(String.fromCharCode(...raw));
      this.#secrets.remember(options.basic.password, this.#fixed.slice(6));
    } else if ("password" in options) {
      this.#secrets.remember(options.password, options.totp);
    } else if (!("getToken" in options)) {
      throw new NexudusUsageError(
        "ClientOptions needs token, username and password, getToken or basic",
      );
    }
    const level = options.logLevel ?? environment("NEXUDUS_LOG");
    this.#logLevel = Math.max(0, LOG_LEVELS.indexOf(level as LogLevel));
    this.#logger = options.logger ?? console;
  }

  /** The API origin requests go to. */
  get baseUrl(): string {
    return this.#base;
  }

  /** A credential-free JSON view. */
  toJSON(): { baseUrl: string } {
    return { baseUrl: this.#base };
  }

  /** A credential-free view for Node's `util.inspect`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Transport { baseUrl: '${this.#base}' }`;
  }

  /**
   * One page of a listing: `GET {path}?{query}`. The page has `hasNextPage()` / `getNextPage()` and can be iterated
   * with `for await` across every later page. An answer without a `Records` array is a `NexudusApiError`.
   */
  list<T>(
    resource: ResourceInfo,
    query: object = {},
    options: RequestOptions = {},
  ): NexudusPromise<ListPage<T>> {
    return this.#call(async () => {
      const asked = pageNumber(query);
      const answer = await this.#send<Json>({
        method: "GET",
        ...this.#target(resource.path, query),
        options,
        expect: "object",
      });
      const records = answer.data.Records;
      if (!Array.isArray(records))
        throw new NexudusApiError(
          `The listing answer has no Records array (GET ${resource.path})`,
          { method: "GET", path: resource.path, status: answer.response.status },
        );
      for (const record of records) if (isObject(record)) listingRecords.add(record);
      const fetchPage = (page: number): NexudusPromise<ListPage<T>> =>
        this.list<T>(resource, { ...query, page }, options);
      return { data: new ListPage<T>(answer.data, asked, fetchPage), response: answer.response };
    });
  }

  /** Every page of a listing, fetched one at a time, from `query.page` (default 1); stops as `ListPage` says. */
  async *pages<T>(
    resource: ResourceInfo,
    query: object = {},
    options?: RequestOptions,
  ): AsyncIterableIterator<ListPage<T>> {
    let page = await this.list<T>(resource, query, options);
    for (;;) {
      yield page;
      if (!page.hasNextPage()) return;
      page = await page.getNextPage();
    }
  }

  /** Every record of every page; holds at most one page in memory. Stops at the next record once `signal` aborts. */
  async *listAll<T>(
    resource: ResourceInfo,
    query?: object,
    options?: RequestOptions,
  ): AsyncIterableIterator<T> {
    for await (const page of this.pages<T>(resource, query, options)) {
      for (const record of page.Records) {
        yield record;
        if (options?.signal?.aborted) throw aborted(options.signal);
      }
    }
  }

  /** One full record: `GET {path}/{id}`. An answer that is not a record is a `NexudusApiError`. */
  get<T>(resource: ResourceInfo, id: number, options: RequestOptions = {}): NexudusPromise<T> {
    return this.#call(() => {
      const path = `${resource.path}/${checkId(id)}`;
      return this.#send<T>({ method: "GET", path, options, expect: "object" });
    });
  }

  /**
   * Several records by id with `GET {path}/?id=[…]`, split when the URL would exceed `maxUrlLength`. The result
   * follows the order of `ids`; a repeated id gives its record once, at its first position; an id without a record is
   * left out. `withResponse()` gives the last request's answer.
   */
  getMany<T>(
    resource: ResourceInfo,
    ids: readonly number[],
    options: RequestOptions = {},
  ): NexudusPromise<T[]> {
    return this.#call(async () => {
      if (!Array.isArray(ids)) throw new NexudusUsageError("getMany() takes an array of ids.");
      const unique = [...new Set(ids.map((id) => checkId(id)))];
      const prefix = `${resource.path}/?id=`;
      const limit = this.#options.maxUrlLength ?? 2000;
      const found = new Map<number, T>();
      let response = new Response("[]", { status: 200, headers: { "Content-Type": JSON_TYPE } });
      let chunk: number[] = [];
      const flush = async (): Promise<void> => {
        if (!chunk.length) return;
        const answer = await this.#send<unknown[]>({
          method: "GET",
          path: prefix + encodeURIComponent(`[${chunk}]`),
          options,
          expect: "array",
        });
        for (const record of answer.data)
          if (isObject(record) && typeof record.Id === "number") {
            listingRecords.add(record);
            if (!found.has(record.Id)) found.set(record.Id, record as T);
          }
        response = answer.response;
        chunk = [];
      };
      for (const id of unique) {
        if (
          chunk.length &&
          this.#base.length + prefix.length + encodeURIComponent(`[${[...chunk, id]}]`).length >
            limit
        )
          await flush();
        chunk.push(id);
      }
      await flush();
      return {
        data: unique.flatMap((id) => (found.has(id) ? [found.get(id) as T] : [])),
        response,
      };
    });
  }

  /**
   * Creates a record: `POST {path}`. A POST is never re-sent after a network failure, a timeout or a 5xx; the error
   * then says the record may have been created and how to check.
   */
  create(
    resource: ResourceInfo,
    input: object,
    options: RequestOptions = {},
  ): NexudusPromise<ActionResult> {
    return this.#call(() => {
      if (!isObject(input))
        throw new NexudusUsageError(`create() takes a ${resource.entity} object.`);
      return this.#send<ActionResult>({
        method: "POST",
        path: resource.path,
        options,
        body: jsonBody(input),
        expect: "object",
        mayHaveHappened:
          `The ${resource.entity} may have been created. Before creating it again, look for it, e.g. ` +
          `list({ orderBy: "CreatedOn", dir: -1 }) or a from_${resource.entity}_CreatedOn filter.`,
      });
    });
  }

  /**
   * Replaces a record: `PUT {path}` with the full record. Refuses, before any request, a record from a listing or
   * `getMany` (whatever its shape), a record without a valid `Id`, and one lacking a field the listing leaves out or a
   * field required on update (a PUT would clear or refuse it): use `get()` first, or `patch()`.
   */
  update(
    resource: ResourceInfo,
    record: object,
    options: RequestOptions = {},
  ): NexudusPromise<ActionResult> {
    return this.#call(() => {
      const hint = ". Fetch the record with get(id) first, or use patch(id, changes).";
      if (!isObject(record))
        throw new NexudusUsageError(`update() needs a full ${resource.entity} record${hint}`);
      const missing = resource.listingOmits.filter((field) => !has(record, field));
      const required = (resource.requiredOnUpdate ?? []).filter((field) => !has(record, field));
      if (!has(record, "Id") || missing.length || required.length) {
        throw new NexudusUsageError(
          `update() needs a full ${resource.entity} record with its Id` +
            (missing.length
              ? `; this one lacks ${missing.join(", ")} (left out of listings), which the PUT would clear`
              : "") +
            (required.length ? `; this one lacks ${required.join(", ")}, required on update` : "") +
            hint,
        );
      }
      if (listingRecords.has(record))
        throw new NexudusUsageError(
          `update() refuses a ${resource.entity} record from a listing or getMany(): it may lack fields the PUT would clear${hint}`,
        );
      checkId(record.Id, "The record's Id");
      return this.#put(resource, record, options);
    });
  }

  /**
   * Changes some fields safely: `GET {path}/{id}`, apply `changes` (undefined values ignored), read the record again,
   * then `PUT` it. Between the reads and the PUT another writer may change the record: when its `UpdatedOn` moved
   * between the two reads, nothing is sent and a `NexudusConflictError` says so; a change in the short window between
   * the second read and the PUT is overwritten. A read that answers no record with this `Id` sends no PUT.
   */
  patch(
    resource: ResourceInfo,
    id: number,
    changes: object,
    options: RequestOptions = {},
  ): NexudusPromise<ActionResult> {
    return this.#call(async () => {
      checkId(id);
      if (!isObject(changes)) throw new NexudusUsageError("patch() takes an object of changes.");
      const updates = Object.entries(changes).filter(([, value]) => value !== undefined);
      const fixed = updates.filter(([field]) => resource.readOnlyOnUpdate?.includes(field));
      if (fixed.length)
        throw new NexudusUsageError(
          `patch() cannot change ${fixed.map(([f]) => f).join(", ")}: an update does not change it.`,
        );
      const read = async (): Promise<Json> => {
        const { data } = await this.#send<unknown>({
          method: "GET",
          path: `${resource.path}/${id}`,
          options,
          expect: "any",
        });
        if (!isObject(data) || data.Id !== id)
          throw new NexudusApiError(
            `GET ${resource.path}/${id} answered no ${resource.entity} record with Id ${id}; patch() sent no PUT`,
            { method: "GET", path: `${resource.path}/${id}` },
          );
        return data;
      };
      const first = await read();
      const record = { ...first };
      for (const [field, value] of updates) put(record, field, value);
      if (typeof first.UpdatedOn === "string") {
        const again = await read();
        if (again.UpdatedOn !== first.UpdatedOn)
          throw new NexudusConflictError(
            `${resource.entity} ${id} changed while patch() was applying its changes (UpdatedOn ${first.UpdatedOn} -> ${String(again.UpdatedOn)}); no PUT was sent. Read it again and retry.`,
            { method: "PUT", path: resource.path },
          );
      }
      return this.#put(resource, record, options);
    });
  }

  /**
   * Deletes a record: `DELETE {path}/{id}`. When an attempt failed (5xx or no answer) and the re-sent DELETE answers
   * 404, the first attempt did delete it: the result is a successful `ActionResult` saying so.
   */
  delete(
    resource: ResourceInfo,
    id: number,
    options: RequestOptions = {},
  ): NexudusPromise<ActionResult> {
    return this.#call(() =>
      this.#send<ActionResult>({
        method: "DELETE",
        path: `${resource.path}/${checkId(id)}`,
        options,
        expect: "object",
        deleteId: id,
      }),
    );
  }

  /** The commands of an entity, or those available for one record: `GET {path}/commands[?id=N]`. */
  commands(
    resource: ResourceInfo,
    id?: number,
    options: RequestOptions = {},
  ): NexudusPromise<Command[]> {
    return this.#call(() => {
      const query = id === undefined ? "" : `?id=${checkId(id)}`;
      return this.#send<Command[]>({
        method: "GET",
        path: `${resource.path}/commands${query}`,
        options,
        expect: "array",
      });
    });
  }

  /** Runs a command on records: `POST {path}/runcommand` with `{Key, Ids, Parameters?}`. Never re-sent after a failure. */
  runCommand(
    resource: ResourceInfo,
    key: string,
    ids: readonly number[],
    parameters?: readonly CommandParameter[],
    options: RequestOptions = {},
  ): NexudusPromise<ActionResult> {
    return this.#call(() => {
      if (typeof key !== "string" || !key)
        throw new NexudusUsageError("runCommand() needs a command key.");
      if (!Array.isArray(ids)) throw new NexudusUsageError("runCommand() takes an array of ids.");
      ids.forEach((id) => checkId(id));
      return this.#send<ActionResult>({
        method: "POST",
        path: `${resource.path}/runcommand`,
        options,
        body: jsonBody({ Key: key, Ids: ids, Parameters: parameters }),
        expect: "object",
        mayHaveHappened: `The command ${key} may have run. Check the records before running it again.`,
      });
    });
  }

  /**
   * Any authenticated JSON request, e.g. an endpoint the generator does not model: the same authentication, retries,
   * throttling, errors and options as every method. `path` starts with `/` and stays on `baseUrl`'s origin. An empty
   * answer resolves to `undefined`.
   */
  request<T>(method: string, path: string, options: RawRequestOptions = {}): NexudusPromise<T> {
    return this.#call(() => {
      if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//"))
        throw new NexudusUsageError(
          `request() takes a path starting with a single "/", not ${JSON.stringify(path)}.`,
        );
      const body = options.body === undefined ? undefined : jsonBody(options.body);
      return this.#send<T>({
        method: method.toUpperCase(),
        ...this.#target(path, options.query),
        options,
        body,
        expect: "any",
      });
    });
  }

  /** `PUT {path}` with a full record. */
  #put(
    resource: ResourceInfo,
    record: Json,
    options: RequestOptions,
  ): Promise<WithResponse<ActionResult>> {
    return this.#send<ActionResult>({
      method: "PUT",
      path: resource.path,
      options,
      body: jsonBody(record),
      expect: "object",
    });
  }

  /** Runs a call: any error it throws becomes a `NexudusError`, logged at level `error`. */
  #call<T>(run: () => Promise<WithResponse<T>>): NexudusPromise<T> {
    const answer = (async () => {
      try {
        return await run();
      } catch (error) {
        const failure =
          error instanceof NexudusError
            ? error
            : new NexudusError(
                this.#secrets.scrub(
                  `Unexpected failure: ${String((error as Error)?.message ?? error)}`,
                ),
                { cause: this.#secrets.scrubError(error) },
              );
        this.#log("error", failure.message, { name: failure.name, status: failure.status });
        throw failure;
      }
    })();
    return new NexudusPromise(answer);
  }

  /** Path and query string for a request. */
  #target(path: string, query: object | undefined): { path: string } {
    const text = formatQuery(query);
    return { path: path + (text ? "?" + text : "") };
  }

  /** Writes a log line when `level` is within the client's log level; a failing logger never breaks a request. */
  #log(
    level: Exclude<LogLevel, "off">,
    message: string,
    fields: Record<string, unknown> = {},
  ): void {
    if (LOG_LEVELS.indexOf(level) > this.#logLevel) return;
    try {
      this.#logger[level](`nexudus: ${message}`, fields);
    } catch {
      // a failing logger never breaks a request
    }
  }

  /** Calls a hook with a redacted event; a failing hook never breaks a request. */
  #hook<K extends "onRequest" | "onResponse">(
    name: K,
    event: Parameters<NonNullable<ClientOptions[K]>>[0],
  ): void {
    try {
      (this.#options[name] as ((e: typeof event) => void) | undefined)?.(event);
    } catch {
      // a failing hook never breaks a request
    }
  }

  /** The `Authorization` header value, getting or renewing a token when needed (one token request at a time). */
  async #authorization(options: RequestOptions): Promise<string> {
    const o = this.#options;
    if (this.#fixed) return this.#fixed;
    if ("getToken" in o) {
      let token: string;
      try {
        token = await unlessAborted(
          Promise.resolve().then(() => o.getToken()),
          options.signal,
        );
      } catch (error) {
        if (error instanceof NexudusError) throw error;
        throw new NexudusAuthError("getToken() failed", { cause: this.#secrets.scrubError(error) });
      }
      this.#secrets.remember(token);
      return "Bearer " + checkToken(token, "getToken()");
    }
    if (this.#access && Date.now() < this.#expires) return "Bearer " + this.#access;
    this.#pending ??= this.#login(options.timeoutMs).finally(() => (this.#pending = undefined));
    return "Bearer " + (await unlessAborted(this.#pending, options.signal));
  }

  /** Gets a token with the refresh token when there is one, else (or when it is refused) with the password grant. */
  async #login(timeoutMs: number | undefined): Promise<string> {
    if (this.#refresh) {
      try {
        return await this.#grant(
          { grant_type: "refresh_token", refresh_token: this.#refresh },
          timeoutMs,
        );
      } catch (error) {
        if (!(error instanceof NexudusAuthError)) throw error;
      }
    }
    const { username, password, totp } = this.#options as ClientOptions & {
      username: string;
      password: string;
      totp?: string;
    };
    return this.#grant(
      { grant_type: "password", username, password, ...(totp ? { totp } : {}) },
      timeoutMs,
    );
  }

  /**
   * `POST /api/token`, form-encoded, with the caller's timeout; stores the tokens. An answer without a usable
   * `access_token` is a `NexudusAuthError`.
   */
  async #grant(form: Record<string, string>, timeoutMs: number | undefined): Promise<string> {
    const clientId = (this.#options as { clientId?: string }).clientId;
    const { data, response } = await this.#send<Json>({
      method: "POST",
      path: "/api/token",
      options: { timeoutMs },
      body: new URLSearchParams(form).toString(),
      form: clientId ? { client_id: clientId } : {},
      expect: "object",
    });
    const token = data.access_token;
    if (!isUsableToken(token))
      throw new NexudusAuthError("The token answer has no usable access_token (POST /api/token)", {
        method: "POST",
        path: "/api/token",
        status: response.status,
      });
    const refresh =
      typeof data.refresh_token === "string" && data.refresh_token ? data.refresh_token : undefined;
    this.#secrets.remember(token, refresh);
    const seconds = Number(data.expires_in);
    const lifetime = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000;
    this.#access = token;
    this.#refresh = refresh;
    this.#expires = Date.now() + lifetime - Math.min(60_000, lifetime / 10);
    return token;
  }

  /** Waits for this request's slot when `maxRequestsPerSecond` is set; slots are taken only when a request can go. */
  async #throttle(signal?: AbortSignal): Promise<void> {
    const rate = this.#options.maxRequestsPerSecond;
    if (!rate) return;
    const now = Date.now();
    const at = Math.max(now, this.#nextSlot);
    this.#nextSlot = at + 1000 / rate;
    if (at > now) await sleep(at - now, signal);
  }

  /** Waits while a throttle answer holds every request of this client back, released with jitter. */
  async #awaitHold(signal?: AbortSignal): Promise<void> {
    for (let left = this.#holdUntil - Date.now(); left > 0; left = this.#holdUntil - Date.now()) {
      await sleep(left + Math.random() * Math.min(1000, left / 4), signal);
    }
  }

  /**
   * Sends one logical request with its retries: 409/429 (after the wait asked for, holding back the client's other
   * requests), 502/503/504 and network failures (not for POST), one re-authentication after a 401. Then turns the
   * answer into data or a `NexudusError`.
   */
  async #send<T>(call: Call): Promise<WithResponse<T>> {
    const { method, path, options, form } = call;
    const o = this.#options;
    const signal = options.signal;
    const maxRetries = options.maxRetries ?? o.maxRetries ?? 2;
    const maxDelay = o.retry?.maxDelayMs ?? 60_000;
    const timeoutMs = options.timeoutMs ?? o.timeoutMs ?? 60_000;
    if (!(timeoutMs > 0))
      throw new NexudusUsageError(`timeoutMs must be a positive number, not ${String(timeoutMs)}.`);
    const where = `${method} ${path.split("?")[0]}`;
    const headers = this.#headers(options, call.body !== undefined, form);
    let reauthenticated = false;
    let resent = false;

    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw aborted(signal);
      await this.#awaitHold(signal);
      const authorization = form ? undefined : await this.#authorization(options);
      await this.#throttle(signal);
      if (signal?.aborted) throw aborted(signal);
      if (authorization) headers.set("Authorization", authorization);
      const exchange = await this.#attempt(call, headers, attempt, timeoutMs);
      const { response, failure } = exchange;

      if (failure !== undefined || !response) {
        if (signal?.aborted) throw aborted(signal);
        const cause = this.#secrets.scrubError(failure);
        const effect = call.mayHaveHappened ? ` ${call.mayHaveHappened}` : "";
        if (exchange.timedOut)
          throw this.#error(
            call,
            NexudusTimeoutError,
            `No answer within ${timeoutMs} ms.${effect}`,
            { cause },
          );
        if (method === "POST" || attempt >= maxRetries)
          throw this.#error(
            call,
            NexudusNetworkError,
            `Network failure: no answer came.${method === "POST" ? effect : ""}`,
            { cause },
          );
        this.#log(
          "warn",
          `retrying ${where} after a network failure in ${Math.round(exchange.wait)} ms`,
        );
        await sleep(exchange.wait, signal);
        resent = true;
        continue;
      }

      const status = response.status;
      if (status === 401 && authorization && !reauthenticated && !this.#fixed) {
        // The token expired or was revoked: renew it once (single-flight) and try again.
        reauthenticated = true;
        if (authorization === "Bearer " + this.#access) this.#access = undefined;
        attempt--;
        continue;
      }
      const { retryAfter, wait } = exchange;
      const throttled = status === 409 || status === 429;
      const retryable =
        throttled || (method !== "POST" && (status === 502 || status === 503 || status === 504));
      if (retryable && retryAfter !== undefined && retryAfter > maxDelay) {
        throw this.#error(
          call,
          form || throttled ? NexudusRateLimitError : apiErrorClass(status),
          `HTTP ${status} asks to wait ${Math.ceil(retryAfter / 1000)} s, longer than retry.maxDelayMs (${maxDelay} ms): not re-sent`,
          { ...this.#details(response, exchange.text), retryAfterMs: retryAfter },
        );
      }
      if (retryable && attempt < maxRetries) {
        this.#log("warn", `retrying ${where} after HTTP ${status} in ${Math.round(wait)} ms`, {
          status,
        });
        // A throttled request waits for the client-wide hold its answer set, like every other request.
        if (!throttled) await sleep(wait, signal);
        resent = true;
        continue;
      }
      if (status === 404 && call.deleteId !== undefined && resent)
        return {
          data: deletedResult(call.deleteId) as T,
          response: rebuild(response, exchange.text),
        };
      return {
        data: this.#result(call, response, exchange.text, attempt, retryAfter) as T,
        response: rebuild(response, exchange.text),
      };
    }
  }

  /** One HTTP attempt, with its timeout, hooks and log lines; never throws. */
  async #attempt(
    call: Call,
    headers: Headers,
    attempt: number,
    timeoutMs: number,
  ): Promise<Exchange> {
    const { method, path, options } = call;
    const url = this.#base + path;
    const event: RequestEvent = {
      method,
      url: this.#secrets.scrub(url),
      headers: this.#secrets.headers(headers),
      attempt,
    };
    this.#hook("onRequest", event);
    this.#log("debug", `→ ${method} ${event.url} #${attempt}`, { headers: event.headers });

    const started = Date.now();
    const signal = options.signal;
    const controller = new AbortController();
    const abort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener("abort", abort);
    const exchange: Exchange = { text: "", timedOut: false, wait: 0 };
    const timer =
      timeoutMs <= MAX_TIMER_MS
        ? setTimeout(() => {
            exchange.timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    try {
      exchange.response = await (this.#options.fetch ?? fetch)(url, {
        ...options.fetchOptions,
        method,
        headers,
        ...(call.body === undefined ? {} : { body: call.body }),
        signal: controller.signal,
        redirect: "manual",
      });
      exchange.text = await exchange.response.text();
    } catch (error) {
      exchange.failure = error ?? new Error("fetch failed");
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    }
    const status = exchange.response?.status ?? 0;
    const durationMs = Date.now() - started;
    const maxDelay = this.#options.retry?.maxDelayMs ?? 60_000;
    exchange.retryAfter = parseRetryAfter(exchange.response?.headers.get("retry-after") ?? null);
    exchange.wait =
      exchange.retryAfter ??
      Math.min(maxDelay, backoff(this.#options.retry?.baseDelayMs ?? 500, attempt));
    // One throttle answer holds back every request of this client until the wait is over, set before the hooks run.
    if ((status === 409 || status === 429) && exchange.wait <= maxDelay)
      this.#holdUntil = Math.max(this.#holdUntil, Date.now() + exchange.wait);
    const responseHeaders = exchange.response
      ? this.#secrets.headers(exchange.response.headers)
      : {};
    this.#hook("onResponse", { ...event, status, responseHeaders, durationMs });
    this.#log("info", `← ${method} ${path.split("?")[0]} ${status} in ${durationMs} ms`, {
      status,
      headers: responseHeaders,
    });
    return exchange;
  }

  /** Status, redacted headers and scrubbed body of an answer, for its error. */
  #details(response: Response, text: string): ErrorDetails {
    return {
      status: response.status,
      headers: this.#secrets.headers(response.headers),
      body: this.#secrets.scrub(text).slice(0, MAX_ERROR_BODY),
    };
  }

  /** An error of the call, its message scrubbed and ending with the method and path. */
  #error<E extends NexudusError>(
    call: Call,
    ErrorClass: new (message: string, details: Details) => E,
    message: string,
    details: Details = {},
  ): E {
    const where = `${call.method} ${call.path.split("?")[0]}`;
    return new ErrorClass(this.#secrets.scrub(`${message} (${where})`), {
      method: call.method,
      path: call.path,
      ...details,
    });
  }

  /** The data of a final answer, or the error it means: redirects, throttles, refusals, failures, wrong shapes. */
  #result(
    call: Call,
    response: Response,
    text: string,
    attempt: number,
    retryAfter: number | undefined,
  ): unknown {
    const status = response.status;
    const details = this.#details(response, text);
    if (response.type === "opaqueredirect" || (status >= 300 && status < 400)) {
      throw this.#error(
        call,
        call.form ? NexudusAuthError : apiErrorClass(status),
        `Nexudus answered a redirect (HTTP ${status || "3xx"}); the client never follows one, so no credential or body went elsewhere. Check baseUrl`,
        details,
      );
    }
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      if (status < 300)
        throw this.#error(
          call,
          NexudusApiError,
          `HTTP ${status} with a body that is not valid JSON`,
          details,
        );
    }
    const json = isObject(data) ? data : {};
    const message = String(
      json.Message ??
        json.error_description ??
        json.error ??
        (details.body?.slice(0, 200) || "no details"),
    );
    if (status === 409 || status === 429)
      throw this.#error(
        call,
        NexudusRateLimitError,
        `Throttled by Nexudus (HTTP ${status}) after ${attempt} retries: ${message}`,
        { ...details, retryAfterMs: retryAfter },
      );
    if (call.form && status >= 300) {
      const code = typeof json.error === "string" ? json.error : undefined;
      const reason =
        code === "invalid_grant"
          ? "Nexudus refused the credentials (invalid_grant)"
          : "Token request failed";
      throw this.#error(call, NexudusAuthError, `${reason}: ${message}`, { ...details, code });
    }
    if (status === 401 || status === 403)
      throw this.#error(
        call,
        apiErrorClass(status),
        `Not authorized (HTTP ${status}): ${message}`,
        details,
      );
    if (status >= 300 || status < 200 || json.WasSuccessful === false) {
      const errors = Array.isArray(json.Errors) ? (json.Errors as ValidationError[]) : [];
      const effect = status >= 500 && call.mayHaveHappened ? ` ${call.mayHaveHappened}` : "";
      throw this.#error(
        call,
        status >= 300 ? apiErrorClass(status) : NexudusApiError,
        `Nexudus answered HTTP ${status}${status < 300 ? " with WasSuccessful: false" : ""}: ${message}${effect}`,
        { ...details, errors },
      );
    }
    if (
      (call.expect === "object" && !isObject(data)) ||
      (call.expect === "array" && !Array.isArray(data))
    ) {
      throw this.#error(
        call,
        NexudusApiError,
        `HTTP ${status} without the ${call.expect} expected (${text ? "another JSON value" : "an empty body"})`,
        details,
      );
    }
    return data;
  }

  /** Request headers: Accept and Content-Type, `userAgent`, `defaultHeaders`, the call's headers, the token form's. */
  #headers(options: RequestOptions, hasBody: boolean, form?: Record<string, string>): Headers {
    const values: HeaderValues = { Accept: JSON_TYPE };
    if (hasBody) values["Content-Type"] = form ? "application/x-www-form-urlencoded" : JSON_TYPE;
    if (this.#options.userAgent) values["User-Agent"] = this.#options.userAgent;
    const headers = new Headers();
    try {
      for (const layer of [values, this.#options.defaultHeaders, options.headers, form]) {
        for (const [name, value] of Object.entries(layer ?? {})) {
          if (name.toLowerCase() === "authorization")
            throw new NexudusUsageError(
              "The Authorization header is set by the client's authentication options.",
            );
          if (value == null) headers.delete(name);
          else headers.set(name, value);
        }
      }
    } catch (error) {
      if (error instanceof NexudusError) throw error;
      throw new NexudusUsageError(
        `Invalid header: ${this.#secrets.scrub((error as Error).message)}`,
      );
    }
    return headers;
  }
}

/** The page a listing query asks for (default 1). */
const pageNumber = (query: object): number => {
  const page = (query as { page?: unknown }).page;
  return typeof page === "number" ? page : 1;
};

/** A `Response` with the answer's status, headers and body, whose body can still be read. */
const rebuild = (response: Response, text: string): Response => {
  const empty = [101, 204, 205, 304].includes(response.status) || response.status < 200;
  try {
    return new Response(empty ? null : text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  } catch {
    return new Response(text, { status: 200, headers: response.headers });
  }
};

/** What a re-sent DELETE answering 404 resolves to: its first attempt deleted the record. */
const deletedResult = (id: number): ActionResult => ({
  Status: 200,
  Message:
    "Already deleted: an earlier attempt of this DELETE took effect (the re-sent one answered 404).",
  Value: { Id: id },
  OpenInDialog: false,
  OpenInWindow: false,
  RedirectURL: null,
  JavaScript: null,
  UpdatedOn: null,
  UpdatedBy: null,
  Errors: null,
  WasSuccessful: true,
});

/** An environment variable where there is a `process` (Node, Bun, Deno's compatibility layer); else undefined. */
const environment = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
