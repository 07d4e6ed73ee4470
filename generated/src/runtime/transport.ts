// Copied by nexudus-codegen from templates/runtime/transport.ts. Do not edit here: edit the template and run `npm run generate`.
import {
  NexudusApiError,
  NexudusAuthError,
  NexudusError,
  NexudusNetworkError,
  NexudusRateLimitError,
  NexudusTimeoutError,
  NexudusUsageError,
} from "./errors.js";
import { formatQuery } from "./query.js";
import type {
  ActionResult,
  ClientOptions,
  Command,
  CommandParameter,
  Page,
  RequestOptions,
  ResourceInfo,
  ValidationError,
} from "./types.js";

const JSON_TYPE = "application/json";
const REDACTED = "[redacted]";
type Json = Record<string, unknown>;

/** Options of `Transport.request`: per-call options plus an optional query and JSON body. */
export interface RawRequestOptions extends RequestOptions {
  /** Appended to the path with `formatQuery`. */
  query?: object;
  /** Sent as JSON. */
  body?: unknown;
}

/** Waits `ms` milliseconds; rejects with the signal's reason when it aborts. */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    if (signal?.aborted) stop();
    else signal?.addEventListener("abort", stop, { once: true });
  });

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
const parseRetryAfter = (value: string | null): number | undefined => {
  if (!value) return undefined;
  const at = /^\s*\d+(\.\d+)?\s*$/.test(value)
    ? Date.now() + Number(value) * 1000
    : Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
};

/**
 * The HTTP engine behind every generated resource: authentication (fixed token, password grant with refresh,
 * token provider, Basic), throttling and retries, timeouts, typed errors, paging and safe updates.
 * It keeps every credential in private fields: neither `JSON.stringify` nor `util.inspect` shows one.
 */
export class Transport {
  #base: string;
  #options: ClientOptions;
  #secrets: string[] = [];
  #fixed?: string;
  #access?: string;
  #refresh?: string;
  #expires = 0;
  #pending?: Promise<string>;
  #next = 0;

  /** Creates a transport; throws `NexudusUsageError` when no authentication variant is given. */
  constructor(options: ClientOptions) {
    this.#options = options;
    this.#base = (options.baseUrl ?? "https://spaces.nexudus.com").replace(/\/+$/, "");
    if ("token" in options) this.#fixed = "Bearer " + options.token;
    else if ("basic" in options) {
      const raw = new TextEncoder().encode(options.basic.username + ":" + options.basic.password);
      this.#fixed = "Basic " + btoa(String.fromCharCode(...raw));
      this.#secrets.push(options.basic.password, this.#fixed.slice(6));
    } else if (!("getToken" in options) && !("password" in options)) {
      throw new NexudusUsageError(
        "ClientOptions needs token, username and password, getToken or basic",
      );
    }
    if ("token" in options) this.#secrets.push(options.token);
    if ("password" in options) this.#secrets.push(options.password);
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

  /** One page of a listing: `GET {path}?{query}`. */
  list<T>(resource: ResourceInfo, query?: object, options?: RequestOptions): Promise<Page<T>> {
    return this.request("GET", resource.path, { ...options, query });
  }

  /** Every page of a listing, fetched one at a time, from `query.page` (default 1). */
  async *pages<T>(
    resource: ResourceInfo,
    query: object = {},
    options?: RequestOptions,
  ): AsyncIterableIterator<Page<T>> {
    for (let page = Number((query as Json).page ?? 1); ; page++) {
      const result = await this.list<T>(resource, { ...query, page }, options);
      yield result;
      if (!result.HasNextPage || !result.Records.length) return;
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
        options?.signal?.throwIfAborted();
      }
    }
  }

  /** One full record: `GET {path}/{id}`. */
  get<T>(resource: ResourceInfo, id: number, options?: RequestOptions): Promise<T> {
    return this.request("GET", `${resource.path}/${id}`, options);
  }

  /** Several records by id with `GET {path}/?id=[…]`, split when the URL would exceed `maxUrlLength`; results in order. */
  async getMany<T>(
    resource: ResourceInfo,
    ids: readonly number[],
    options?: RequestOptions,
  ): Promise<T[]> {
    const prefix = `${resource.path}/?id=`;
    const limit = this.#options.maxUrlLength ?? 2000;
    const out: T[] = [];
    let chunk: number[] = [];
    let length = 0;
    const flush = async (): Promise<void> => {
      if (chunk.length)
        out.push(
          ...(await this.request<T[]>("GET", prefix + encodeURIComponent(`[${chunk}]`), options)),
        );
      chunk = [];
    };
    for (const id of ids) {
      const grow = String(id).length + (chunk.length ? 3 : 0);
      if (chunk.length && this.#base.length + prefix.length + 6 + length + grow > limit)
        await flush();
      length = chunk.length ? length + grow : String(id).length;
      chunk.push(id);
    }
    await flush();
    return out;
  }

  /** Creates a record: `POST {path}`. A POST is never retried after a network failure or a 5xx. */
  create(resource: ResourceInfo, input: object, options?: RequestOptions): Promise<ActionResult> {
    return this.request("POST", resource.path, { ...options, body: input });
  }

  /**
   * Replaces a record: `PUT {path}` with the full record. Refuses, before any request, a record without `Id`
   * or lacking a field the listing leaves out (a PUT would clear it): use `get()` first, or `patch()`.
   */
  async update(
    resource: ResourceInfo,
    record: object,
    options?: RequestOptions,
  ): Promise<ActionResult> {
    const full = record as Json;
    const missing = resource.listingOmits.filter((field) => full[field] === undefined);
    if (typeof full.Id !== "number" || missing.length) {
      throw new NexudusUsageError(
        `update() needs a full ${resource.entity} record with its Id` +
          (missing.length
            ? `; this one lacks ${missing.join(", ")} (left out of listings), which the PUT would clear`
            : "") +
          ". Fetch the record with get(id) first, or use patch(id, changes).",
      );
    }
    return this.request("PUT", resource.path, { ...options, body: record });
  }

  /** Changes some fields safely: `GET {path}/{id}`, merge `changes` (undefined values ignored), then `PUT`. */
  async patch(
    resource: ResourceInfo,
    id: number,
    changes: object,
    options?: RequestOptions,
  ): Promise<ActionResult> {
    const record = await this.get<Json>(resource, id, options);
    for (const [key, value] of Object.entries(changes))
      if (value !== undefined) record[key] = value;
    return this.request("PUT", resource.path, { ...options, body: { ...record, Id: id } });
  }

  /** Deletes a record: `DELETE {path}/{id}`. */
  delete(resource: ResourceInfo, id: number, options?: RequestOptions): Promise<ActionResult> {
    return this.request("DELETE", `${resource.path}/${id}`, options);
  }

  /** The commands of an entity, or those available for one record: `GET {path}/commands[?id=N]`. */
  commands(resource: ResourceInfo, id?: number, options?: RequestOptions): Promise<Command[]> {
    return this.request("GET", `${resource.path}/commands`, { ...options, query: { id } });
  }

  /** Runs a command on records: `POST {path}/runcommand` with `{Key, Ids, Parameters?}`. */
  runCommand(
    resource: ResourceInfo,
    key: string,
    ids: readonly number[],
    parameters?: readonly CommandParameter[],
    options?: RequestOptions,
  ): Promise<ActionResult> {
    return this.request("POST", `${resource.path}/runcommand`, {
      ...options,
      body: { Key: key, Ids: ids, Parameters: parameters },
    });
  }

  /** Any authenticated JSON request, e.g. an endpoint the generator does not model. */
  request<T>(method: string, path: string, options: RawRequestOptions = {}): Promise<T> {
    const query = formatQuery(options.query);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    return this.#send(method, path + (query ? "?" + query : ""), options, body) as Promise<T>;
  }

  /** Removes every known credential from a text that may echo one. */
  #scrub(text: string): string {
    for (const secret of [...this.#secrets, this.#access, this.#refresh]) {
      if (secret && secret.length > 3) text = text.split(secret).join(REDACTED);
    }
    return text;
  }

  /** The `Authorization` header value, getting or renewing a token when needed (one token request at a time). */
  async #authorization(): Promise<string> {
    const options = this.#options;
    if (this.#fixed) return this.#fixed;
    if ("getToken" in options) return "Bearer " + (await options.getToken());
    if (this.#access && Date.now() < this.#expires) return "Bearer " + this.#access;
    return (
      "Bearer " +
      (await (this.#pending ??= this.#login().finally(() => (this.#pending = undefined))))
    );
  }

  /** Gets a token with the refresh token when there is one, else (or when it is refused) with the password grant. */
  async #login(): Promise<string> {
    if (this.#refresh) {
      try {
        return await this.#grant({ grant_type: "refresh_token", refresh_token: this.#refresh });
      } catch (error) {
        if (!(error instanceof NexudusAuthError)) throw error;
      }
    }
    const { username, password, totp } = this.#options as ClientOptions & {
      username: string;
      password: string;
      totp?: string;
    };
    return this.#grant({ grant_type: "password", username, password, ...(totp ? { totp } : {}) });
  }

  /** `POST /api/token`, form-encoded; stores the tokens. */
  async #grant(form: Record<string, string>): Promise<string> {
    const clientId = (this.#options as { clientId?: string }).clientId;
    const data = (await this.#send(
      "POST",
      "/api/token",
      {},
      new URLSearchParams(form).toString(),
      clientId ? { client_id: clientId } : {},
    )) as Json;
    const lifetime = Number(data.expires_in) * 1000 || 3_600_000;
    this.#access = String(data.access_token);
    this.#refresh = typeof data.refresh_token === "string" ? data.refresh_token : undefined;
    this.#expires = Date.now() + lifetime - Math.min(60_000, lifetime / 10);
    return this.#access;
  }

  /** Waits for this request's slot when `maxRequestsPerSecond` is set. */
  async #throttle(signal?: AbortSignal): Promise<void> {
    const rate = this.#options.maxRequestsPerSecond;
    if (!rate) return;
    const now = Date.now();
    const at = Math.max(now, this.#next);
    this.#next = at + 1000 / rate;
    if (at > now) await sleep(at - now, signal);
  }

  /**
   * Sends one logical request with its retries. `form` marks a token request (form body, no Authorization);
   * its value holds the extra headers.
   */
  async #send(
    method: string,
    path: string,
    options: RequestOptions,
    body?: string,
    form?: Record<string, string>,
  ): Promise<unknown> {
    const o = this.#options;
    const url = this.#base + path;
    const signal = options.signal;
    const maxRetries = options.maxRetries ?? o.maxRetries ?? 2;
    const baseDelay = o.retry?.baseDelayMs ?? 500;
    const maxDelay = o.retry?.maxDelayMs ?? 60_000;
    const timeoutMs = options.timeoutMs ?? o.timeoutMs ?? 60_000;
    const fail = (
      ErrorClass: typeof NexudusError,
      message: string,
      extra: object = {},
    ): NexudusError =>
      new ErrorClass(this.#scrub(`${message} (${method} ${path.split("?")[0]})`), {
        method,
        path,
        ...extra,
      });
    let reauthenticated = false;

    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      await this.#throttle(signal);
      const headers: Record<string, string> = { Accept: JSON_TYPE, ...form };
      if (body !== undefined)
        headers["Content-Type"] = form ? "application/x-www-form-urlencoded" : JSON_TYPE;
      if (o.userAgent) headers["User-Agent"] = o.userAgent;
      const authorization = form ? undefined : await this.#authorization();
      signal?.throwIfAborted();
      if (authorization) headers.Authorization = authorization;
      const event = { method, url: this.#scrub(url), headers: { ...headers }, attempt };
      if (authorization) event.headers.Authorization = REDACTED;
      try {
        o.onRequest?.(event);
      } catch {
        // a failing hook never breaks a request
      }

      const started = Date.now();
      const controller = new AbortController();
      const abort = (): void => controller.abort(signal?.reason);
      signal?.addEventListener("abort", abort);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      let response: Response | undefined;
      let text = "";
      let failure: NexudusError | undefined;
      try {
        response = await (o.fetch ?? fetch)(url, {
          method,
          headers,
          body,
          signal: controller.signal,
        });
        text = await response.text();
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (timedOut)
          throw fail(NexudusTimeoutError, `No answer within ${timeoutMs} ms`, { cause: error });
        failure = fail(NexudusNetworkError, "Network failure", { cause: error });
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
        try {
          o.onResponse?.({
            ...event,
            status: response?.status ?? 0,
            durationMs: Date.now() - started,
          });
        } catch {
          // a failing hook never breaks a request
        }
      }

      const status = response?.status ?? 0;
      const throttled = status === 409 || status === 429;
      const retryAfter = parseRetryAfter(response?.headers.get("retry-after") ?? null);
      if (status === 401 && authorization && !reauthenticated && !this.#fixed) {
        // The token expired or was revoked: renew it once (single-flight) and try again.
        reauthenticated = true;
        if (authorization === "Bearer " + this.#access) this.#access = undefined;
        attempt--;
        continue;
      }
      const retryable =
        throttled ||
        (method !== "POST" &&
          (failure !== undefined || status === 502 || status === 503 || status === 504));
      if (retryable && attempt < maxRetries) {
        const backoff = baseDelay * 2 ** attempt * (0.5 + Math.random() / 2);
        await sleep(Math.min(maxDelay, retryAfter ?? backoff), signal);
        continue;
      }
      if (failure) throw failure;

      let data: unknown;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        if (status < 300)
          throw fail(NexudusApiError, `HTTP ${status} with a body that is not valid JSON`, {
            status,
          });
      }
      const json = (data ?? {}) as Json;
      const message = String(
        json.Message ??
          json.error_description ??
          json.error ??
          (text.slice(0, 200) || "no details"),
      );
      if (form && status >= 300) {
        const code = typeof json.error === "string" ? json.error : undefined;
        const reason =
          code === "invalid_grant"
            ? "Nexudus refused the credentials (invalid_grant)"
            : "Token request failed";
        throw fail(NexudusAuthError, `${reason}: ${message}`, { status, code });
      }
      if (throttled) {
        throw fail(
          NexudusRateLimitError,
          `Throttled by Nexudus (HTTP ${status}) after ${attempt} retries: ${message}`,
          {
            status,
            retryAfterMs: retryAfter,
          },
        );
      }
      if (status === 401 || status === 403)
        throw fail(NexudusAuthError, `Not authorized (HTTP ${status}): ${message}`, { status });
      if (status >= 300 || json.WasSuccessful === false) {
        const errors = Array.isArray(json.Errors) ? (json.Errors as ValidationError[]) : [];
        throw fail(
          NexudusApiError,
          `Nexudus answered HTTP ${status}${status < 300 ? " with WasSuccessful: false" : ""}: ${message}`,
          {
            status,
            errors,
          },
        );
      }
      return data;
    }
  }
}
