import {
  apiErrorClass,
  NexudusAbortError,
  NexudusApiError,
  NexudusError,
  NexudusNetworkError,
  NexudusRateLimitError,
  NexudusTimeoutError,
  NexudusUsageError,
  type ErrorDetails,
} from "./errors.js";
import { checkBaseUrl, isObject, isUsableToken } from "./checks.js";
import { NexudusPromise } from "./promise.js";
import { redactHeaders, remember, scrub, scrubError, type Secrets } from "./secrets.js";
import { aborted, backoff, MAX_TIMER_MS, parseRetryAfter, sleep } from "./timing.js";
import type {
  Authorizer,
  ClientOptions,
  Hooks,
  HeaderValues,
  RequestEvent,
  RequestOptions,
  ValidationError,
  WithResponse,
} from "./types.js";

const JSON_TYPE = "application/json";

/** One logical request, as an operation asks the retry loop to send it. */
export interface Call {
  method: string;
  /** Path and query, from the origin. */
  path: string;
  options: RequestOptions;
  /** JSON text, or the form of a token request. */
  body?: string | undefined;
  /** What a successful answer's body must be; an answer without it is a `NexudusApiError`. */
  expect: "object" | "array" | "any";
  /** Said in the error of a write that timed out, lost its connection or met a 5xx: it may have happened, and how to check. */
  mayHaveHappened?: string | undefined;
  /** The value of a 404 to a re-sent request (its first attempt did it): a DELETE's success. */
  goneAfterResend?: (() => unknown) | undefined;
  /** A token request: sent form-encoded, without `Authorization`, with these headers. */
  token?: HeaderValues | undefined;
}

/** Sends one logical request with its retries and turns the answer into data or a `NexudusError`. */
export type Send = <T>(call: Call) => Promise<WithResponse<T>>;

/**
 * Runs an operation on a transport with the client's options: its requests go through `send`, and any error it
 * throws becomes a `NexudusError` with every credential scrubbed. The operation functions use it; it is not part of
 * the package's exports.
 */
export let operate: <T>(
  transport: Transport,
  operation: (send: Send, options: ClientOptions) => Promise<WithResponse<T>>,
) => NexudusPromise<T>;

/** Everything an error of a call may carry; each error class takes the part it knows. */
type Details = ErrorDetails & {
  errors?: ValidationError[] | undefined;
  retryAfterMs?: number | undefined;
};

/** What one HTTP attempt gave: an answer and its body text, or a failure (and whether it was the timeout). */
interface Exchange {
  response?: Response | undefined;
  /** An unread copy of the answer. */
  raw?: Response | undefined;
  text: string;
  failure?: unknown;
  timedOut?: boolean;
  /** The answer's valid `Retry-After`, in milliseconds. */
  retryAfter?: number | undefined;
  /** How long to wait before re-sending: `Retry-After`, else the backoff. */
  wait: number;
}

/**
 * The HTTP engine behind every operation: authentication (a fixed token, or `auth`), throttling and retries,
 * timeouts, typed errors. The operation functions (`list()`, `get()`, `create()`…, and `request()` for endpoints
 * the specs do not cover) send their requests through it; so do the generated resources.
 * It keeps every credential in private fields: neither `JSON.stringify` nor `util.inspect` shows one, and it scrubs
 * them (in every encoding they can take) from every error, log line and hook event.
 */
export class Transport {
  static {
    operate = (transport, operation) =>
      transport.#call(() => operation((call) => transport.#send(call), transport.#options));
  }

  readonly #base: string;
  readonly #options: ClientOptions;
  readonly #secrets: Secrets = new Set();
  readonly #auth: Authorizer;
  #nextSlot = 0;
  #holdUntil = 0;

  /**
   * Creates a transport; throws `NexudusUsageError` when neither `token` nor `auth` is given, or `baseUrl` is not an
   * http(s) origin without credentials.
   */
  constructor(options: ClientOptions) {
    this.#options = options;
    this.#base = checkBaseUrl(options.baseUrl ?? "https://spaces.nexudus.com");
    const { token, auth } = options;
    if (auth) {
      this.#auth = auth({
        postForm: (path, body, headers, { timeoutMs }) =>
          this.#send({
            method: "POST",
            path,
            options: { timeoutMs },
            body,
            expect: "object",
            token: headers,
          }),
        remember: (...secrets) => remember(this.#secrets, ...secrets),
      });
    } else if (token !== undefined) {
      if (!isUsableToken(token))
        throw new NexudusUsageError(
          "token must be a non-empty string of visible ASCII characters.",
        );
      remember(this.#secrets, token);
      this.#auth = { header: () => "Bearer " + token };
    } else {
      throw new NexudusUsageError(
        "ClientOptions needs token, or auth: passwordGrant(), tokenProvider() or basicAuth().",
      );
    }
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

  /** Runs a call: any error it throws becomes a `NexudusError`, credentials scrubbed, reported to `onError`. */
  #call<T>(run: () => Promise<WithResponse<T>>): NexudusPromise<T> {
    const secrets = this.#secrets;
    return new NexudusPromise(
      (async () => {
        try {
          return await run();
        } catch (error) {
          const failure =
            error instanceof NexudusError
              ? error
              : new NexudusError(
                  `Unexpected failure: ${String((error as Error)?.message ?? error)}`,
                  {
                    cause: error,
                  },
                );
          failure.message = scrub(secrets, failure.message);
          failure.stack = scrub(secrets, failure.stack ?? "");
          // An abort's cause is the caller's own reason, kept as it is.
          if (failure.cause !== undefined && !(failure instanceof NexudusAbortError))
            failure.cause = scrubError(secrets, failure.cause);
          this.#emit("onError", failure);
          throw failure;
        }
      })(),
    );
  }

  /** Calls a hook of the options and of `log` with a redacted event; a failing hook never breaks a request. */
  #emit<K extends keyof Hooks>(name: K, event: Parameters<NonNullable<Hooks[K]>>[0]): void {
    for (const hooks of [this.#options, this.#options.log])
      try {
        (hooks?.[name] as ((e: typeof event) => void) | undefined)?.(event);
      } catch {
        // a failing hook never breaks a request
      }
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

  /**
   * Sends one logical request with its retries: 409/429 (after the wait asked for, holding back the client's other
   * requests), 502/503/504 and network failures (not for POST), one renewal of the authorization after a 401. Then
   * turns the answer into data or a `NexudusError`.
   */
  async #send<T>(call: Call): Promise<WithResponse<T>> {
    const { method, options } = call;
    const o = this.#options;
    const signal = options.signal;
    const maxRetries = options.maxRetries ?? o.maxRetries ?? 2;
    const maxDelay = o.retry?.maxDelayMs ?? 60_000;
    const timeoutMs = options.timeoutMs ?? o.timeoutMs ?? 60_000;
    if (!(timeoutMs > 0))
      throw new NexudusUsageError(`timeoutMs must be a positive number, not ${String(timeoutMs)}.`);
    const headers = this.#headers(call);
    let renewed = false;
    let resent = false;

    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw aborted(signal);
      // One throttle answer holds back every request of this client until its wait is over, released with jitter.
      for (let left = this.#holdUntil - Date.now(); left > 0; left = this.#holdUntil - Date.now())
        await sleep(left + Math.random() * Math.min(1000, left / 4), signal);
      const authorization = call.token ? undefined : await this.#auth.header(options);
      await this.#throttle(signal);
      if (signal?.aborted) throw aborted(signal);
      if (authorization) headers.set("Authorization", authorization);
      const exchange = await this.#attempt(call, headers, attempt, timeoutMs);
      const { response, wait, retryAfter } = exchange;
      const status = response?.status ?? 0;
      const effect = call.mayHaveHappened ? " " + call.mayHaveHappened : "";

      if (!response) {
        if (signal?.aborted) throw aborted(signal);
        const cause = { cause: exchange.failure };
        if (exchange.timedOut)
          throw this.#error(
            call,
            NexudusTimeoutError,
            `No answer within ${timeoutMs} ms.${effect}`,
            exchange,
            cause,
          );
        if (method === "POST" || attempt >= maxRetries)
          throw this.#error(
            call,
            NexudusNetworkError,
            `Network failure: no answer came.${effect}`,
            exchange,
            cause,
          );
      } else if (status === 401 && authorization && !renewed && this.#auth.renew?.(authorization)) {
        // The token expired or was revoked: renew it once and try again.
        renewed = true;
        attempt--;
        continue;
      }
      const throttled = status === 409 || status === 429;
      const retryable =
        !response || throttled || (method !== "POST" && [502, 503, 504].includes(status));
      if (retryable && retryAfter! > maxDelay)
        throw this.#error(
          call,
          throttled ? NexudusRateLimitError : apiErrorClass(status),
          `HTTP ${status} asks to wait ${Math.ceil(retryAfter! / 1000)} s, longer than retry.maxDelayMs (${maxDelay} ms): not re-sent`,
          exchange,
          { retryAfterMs: retryAfter },
        );
      if (retryable && attempt < maxRetries) {
        this.#emit("onRetry", { method, path: call.path.split("?")[0]!, status, waitMs: wait });
        // A throttled request waits for the client-wide hold its answer set, like every other request.
        if (!throttled) await sleep(wait, signal);
        resent = true;
        continue;
      }
      const data =
        status === 404 && resent && call.goneAfterResend
          ? call.goneAfterResend()
          : this.#result(call, exchange, attempt);
      return { data: data as T, response: exchange.raw! };
    }
  }

  /** One HTTP attempt, with its timeout and hooks; never throws. */
  async #attempt(
    call: Call,
    headers: Headers,
    attempt: number,
    timeoutMs: number,
  ): Promise<Exchange> {
    const { method, options } = call;
    const url = this.#base + call.path;
    const o = this.#options;
    const event: RequestEvent = {
      method,
      url: scrub(this.#secrets, url),
      headers: redactHeaders(this.#secrets, headers),
      attempt,
    };
    this.#emit("onRequest", event);

    const started = Date.now();
    const signal = options.signal;
    const controller = new AbortController();
    const abort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener("abort", abort);
    const exchange: Exchange = { text: "", wait: 0 };
    const timer =
      timeoutMs <= MAX_TIMER_MS
        ? setTimeout(() => {
            exchange.timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    try {
      exchange.response = await (o.fetch ?? fetch)(url, {
        ...options.fetchOptions,
        method,
        headers,
        ...(call.body === undefined ? {} : { body: call.body }),
        signal: controller.signal,
        redirect: "manual",
      });
      // The caller gets a copy whose body can still be read (withResponse(), asResponse()).
      exchange.raw = exchange.response.clone();
      exchange.text = await exchange.response.text();
    } catch (error) {
      exchange.response = undefined;
      exchange.failure = error ?? new Error("fetch failed");
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    }
    const status = exchange.response?.status ?? 0;
    const maxDelay = o.retry?.maxDelayMs ?? 60_000;
    exchange.retryAfter = parseRetryAfter(exchange.response?.headers.get("retry-after") ?? null);
    exchange.wait =
      exchange.retryAfter ?? Math.min(maxDelay, backoff(o.retry?.baseDelayMs ?? 500, attempt));
    // One throttle answer holds back every request of this client until the wait is over, set before the hooks run.
    if ((status === 409 || status === 429) && exchange.wait <= maxDelay)
      this.#holdUntil = Math.max(this.#holdUntil, Date.now() + exchange.wait);
    this.#emit("onResponse", {
      ...event,
      status,
      responseHeaders: exchange.response
        ? redactHeaders(this.#secrets, exchange.response.headers)
        : {},
      durationMs: Date.now() - started,
    });
    return exchange;
  }

  /**
   * An error of the call, its message ending with the method and path (scrubbed when the call ends), with the answer's
   * status, redacted headers and scrubbed body (scrubbed, then cut) when one came.
   */
  #error<E extends NexudusError>(
    call: Call,
    ErrorClass: new (message: string, details: Details) => E,
    message: string,
    { response, text }: Exchange,
    details?: Details,
  ): E {
    return new ErrorClass(`${message} (${call.method} ${call.path.split("?")[0]})`, {
      method: call.method,
      path: call.path,
      ...(response && {
        status: response.status,
        headers: redactHeaders(this.#secrets, response.headers),
        body: scrub(this.#secrets, text).slice(0, 10_000),
      }),
      ...details,
    });
  }

  /** The data of a final answer, or the error it means: redirects, throttles, refusals, failures, wrong shapes. */
  #result(call: Call, exchange: Exchange, attempt: number): unknown {
    const { response, text } = exchange;
    const status = response!.status;
    if (response!.type === "opaqueredirect" || (status >= 300 && status < 400))
      throw this.#error(
        call,
        apiErrorClass(status),
        `Nexudus answered a redirect (HTTP ${status || "3xx"}); the client never follows one, so no credential or body went elsewhere. Check baseUrl`,
        exchange,
      );
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      if (status < 300)
        throw this.#error(
          call,
          NexudusApiError,
          `HTTP ${status} with a body that is not valid JSON`,
          exchange,
        );
    }
    const json = isObject(data) ? data : {};
    const message = String(
      json.Message ??
        json.error_description ??
        json.error ??
        (scrub(this.#secrets, text).slice(0, 200) || "no details"),
    );
    if (status === 409 || status === 429)
      throw this.#error(
        call,
        NexudusRateLimitError,
        `Throttled by Nexudus (HTTP ${status}) after ${attempt} retries: ${message}`,
        exchange,
        { retryAfterMs: exchange.retryAfter },
      );
    if (status === 401 || status === 403)
      throw this.#error(
        call,
        apiErrorClass(status),
        `Not authorized (HTTP ${status}): ${message}`,
        exchange,
      );
    if (status >= 300 || status < 200 || json.WasSuccessful === false)
      throw this.#error(
        call,
        status >= 300 ? apiErrorClass(status) : NexudusApiError,
        `Nexudus answered HTTP ${status}${status < 300 ? " with WasSuccessful: false" : ""}: ${message}${status >= 500 && call.mayHaveHappened ? " " + call.mayHaveHappened : ""}`,
        exchange,
        { errors: Array.isArray(json.Errors) ? (json.Errors as ValidationError[]) : [] },
      );
    if (
      (call.expect === "object" && !isObject(data)) ||
      (call.expect === "array" && !Array.isArray(data))
    )
      throw this.#error(
        call,
        NexudusApiError,
        `HTTP ${status} without the ${call.expect} expected (${text ? "another JSON value" : "an empty body"})`,
        exchange,
      );
    return data;
  }

  /** Request headers: Accept and Content-Type, `userAgent`, `defaultHeaders`, the call's headers, a token request's. */
  #headers({ options, body, token }: Call): Headers {
    const o = this.#options;
    const values: HeaderValues = { Accept: JSON_TYPE, "User-Agent": o.userAgent };
    if (body !== undefined)
      values["Content-Type"] = token ? "application/x-www-form-urlencoded" : JSON_TYPE;
    const headers = new Headers();
    try {
      for (const layer of [values, o.defaultHeaders, options.headers, token])
        for (const [name, value] of Object.entries(layer ?? {})) {
          if (name.toLowerCase() === "authorization")
            throw new NexudusUsageError(
              "The Authorization header is set by the client's authentication options.",
            );
          if (value == null) headers.delete(name);
          else headers.set(name, value);
        }
    } catch (error) {
      if (error instanceof NexudusError) throw error;
      throw new NexudusUsageError(`Invalid header: ${(error as Error).message}`);
    }
    return headers;
  }
}
