import {
  apiErrorClass,
  NexudusApiError,
  NexudusError,
  NexudusNetworkError,
  NexudusTimeoutError,
  NexudusUsageError,
  type ErrorDetails,
} from "./errors.js";
import { checkBaseUrl, isObject, isUsableToken } from "./checks.js";
import { NexudusPromise } from "./promise.js";
import { redactHeaders, remember, scrub, scrubError, type Secrets } from "./secrets.js";
import { MAX_TIMER_MS, parseRetryAfter, sleep, stopIfAborted } from "./timing.js";
import type {
  Authorizer,
  ClientOptions,
  Expect,
  HeaderValues,
  RequestOptions,
  Send,
  WithResponse,
} from "./types.js";

/** What an operation function does with a transport: its requests, through `send`, and its result. */
type Operation<T> = (send: Send, options: ClientOptions) => Promise<WithResponse<T>>;

/**
 * Runs an operation on a transport with the client's options: its requests go through `send`, and any error it
 * throws becomes a `NexudusError` with every credential scrubbed. The operation functions use it; it is not part of
 * the package's exports.
 */
export let operate: <T>(transport: Transport, operation: Operation<T>) => NexudusPromise<T>;

/**
 * The HTTP engine behind every operation: authentication (a fixed token, or `auth`), throttling and retries,
 * timeouts, typed errors. The operation functions (`list()`, `get()`, `create()`…, and `request()` for endpoints
 * the specs do not cover) send their requests through it; so do the generated resources.
 * It keeps every credential out of sight (in the closures of its private `#run`): neither `JSON.stringify` nor
 * `util.inspect` shows one, and it scrubs them (in every encoding they can take) from every error, log line and hook
 * event.
 */
export class Transport {
  static {
    operate = (transport, operation) => transport.#run(operation);
  }

  /** The API origin requests go to. */
  declare readonly baseUrl: string;
  readonly #run: <T>(operation: Operation<T>) => NexudusPromise<T>;

  /**
   * Creates a transport; throws `NexudusUsageError` when neither `token` nor `auth` is given, or `baseUrl` is not an
   * http(s) origin without credentials.
   */
  constructor(options: ClientOptions) {
    // The state lives in this constructor's closures, not in fields: a minifier can shorten the names of locals.
    const base = (this.baseUrl = checkBaseUrl(options.baseUrl ?? "https://spaces.nexudus.com"));
    const { token, auth, retry = {}, log } = options;
    const secrets: Secrets = new Set();
    /** Until when a throttle answer holds back every request of this client. */
    let holdUntil = 0;

    /**
     * Sends one logical request with its retries: 409/429 (after the wait asked for, holding back the client's other
     * requests), 502/503/504 and network failures (not for POST), one renewal of the authorization after a 401. Then
     * turns the answer into data or a `NexudusError`.
     */
    const send: Send = async <T>(
      method: string,
      path: string,
      callOptions: RequestOptions,
      expect?: Expect,
      body?: string,
      gone?: () => unknown,
      form?: HeaderValues,
    ): Promise<WithResponse<T>> => {
      const { signal } = callOptions;
      const maxRetries = callOptions.maxRetries ?? options.maxRetries ?? 2;
      const maxDelay = retry.maxDelayMs ?? 60_000;
      const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs ?? 60_000;
      if (!(timeoutMs > 0))
        throw new NexudusUsageError(`timeoutMs must be over 0, not ${timeoutMs}.`);
      const url = base + path;
      const endpoint = path.split("?")[0]!;
      // Accept and Content-Type, then `defaultHeaders`, the call's headers and a token request's, each
      // over the ones before (a null or undefined value removes a header).
      const headers = new Headers();
      try {
        for (const [name, value] of Object.entries({
          Accept: "application/json",
          "Content-Type": body && "application/json",
          ...options.defaultHeaders,
          ...callOptions.headers,
          ...form,
        }))
          if (value == null) headers.delete(name);
          else headers.set(name, value);
        if (headers.has("Authorization")) throw new Error("Authorization is set by token or auth");
      } catch (error) {
        throw new NexudusUsageError(`Invalid header: ${(error as Error).message}.`);
      }
      let response: Response | undefined;
      let text = "";
      let renewed = false;
      let resent = false;

      /**
       * An error of this call, its message ending with the method and path, with the answer's status, redacted headers
       * and body (scrubbed, then cut) when one came.
       */
      const fail = (
        ErrorClass: new (message: string, details: ErrorDetails) => NexudusError,
        message: string,
        details?: ErrorDetails,
      ): NexudusError =>
        new ErrorClass(`${message} (${method} ${endpoint})`, {
          method,
          path,
          ...(response && {
            status: response.status,
            headers: redactHeaders(secrets, response.headers),
            body: scrub(secrets, text).slice(0, 10_000),
          }),
          ...details,
        });

      for (let attempt = 0; ; attempt++) {
        stopIfAborted(signal);
        // One throttle answer holds back every request of this client until its wait is over, released with jitter.
        for (let left: number; (left = holdUntil - Date.now()) > 0;)
          await sleep(left + Math.random() * Math.min(1000, left / 4), signal);
        const authorization = form ? "" : await authorizer.header(callOptions);
        // The pace (maxRequestsPerSecond()) gives a slot only once the request can go: its token is there.
        await options.pace?.(signal);
        stopIfAborted(signal);
        if (authorization) headers.set("Authorization", authorization);

        // One HTTP attempt, with its timeout; `log` sees it before and after.
        const answered = log?.request(
          method,
          scrub(secrets, url),
          redactHeaders(secrets, headers),
          attempt,
        );
        const controller = new AbortController();
        const abort = (): void => controller.abort(signal?.reason);
        signal?.addEventListener("abort", abort);
        let failure: unknown;
        let copy: Response | undefined;
        // No timer beyond the timer range (`Infinity` included): it would fire at once.
        const clock =
          timeoutMs > MAX_TIMER_MS ? undefined : setTimeout(() => controller.abort(), timeoutMs);
        try {
          response = await (options.fetch ?? fetch)(url, {
            ...callOptions.fetchOptions,
            method,
            headers,
            body: body ?? null,
            signal: controller.signal,
            redirect: "manual",
          });
          // The caller gets a copy whose body can still be read (withResponse(), asResponse()).
          copy = response.clone();
          text = await response.text();
        } catch (error) {
          response = undefined;
          failure = error;
        }
        clearTimeout(clock);
        signal?.removeEventListener("abort", abort);
        const status = response?.status ?? 0;
        const throttled = status === 409 || status === 429;
        const retryAfter = parseRetryAfter(response?.headers.get("retry-after"));
        // Exponential backoff with jitter: `baseDelayMs * 2^attempt`, times 0.5 to 1.
        const wait =
          retryAfter ??
          Math.min(maxDelay, (retry.baseDelayMs ?? 500) * 2 ** attempt * (0.5 + Math.random() / 2));
        // Set before the hooks run, so that a request a hook starts waits too.
        if (throttled && wait <= maxDelay) holdUntil = Math.max(holdUntil, Date.now() + wait);
        answered?.(status, response ? redactHeaders(secrets, response.headers) : {});

        if (!response) {
          stopIfAborted(signal);
          // Not the caller's abort: the timer's.
          const timedOut = controller.signal.aborted;
          if (timedOut || method === "POST" || attempt >= maxRetries)
            throw fail(
              timedOut ? NexudusTimeoutError : NexudusNetworkError,
              timedOut ? `No answer within ${timeoutMs} ms.` : "No answer (network failure).",
              { cause: failure },
            );
        } else if (
          status === 401 &&
          authorization &&
          !renewed &&
          authorizer.renew?.(authorization)
        ) {
          // The token expired or was revoked: renew it once and try again.
          renewed = true;
          attempt--;
          continue;
        }
        const retryable =
          !response || throttled || (method !== "POST" && status > 501 && status < 505);
        // A wait longer than retry.maxDelayMs fails at once: re-sending early would only be refused again.
        const tooLong = retryable && retryAfter! > maxDelay;
        if (retryable && !tooLong && attempt < maxRetries) {
          log?.retry(method, endpoint, status, wait);
          // A throttled request waits for the client-wide hold its answer set, like every other request.
          if (!throttled) await sleep(wait, signal);
          resent = true;
          continue;
        }
        if (status === 404 && resent && gone) return { data: gone() as T, response: copy! };

        // The final answer: data, or the error it means.
        const { ok } = response!;
        let data: unknown;
        let problem: string | undefined;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          problem = "the body is not JSON";
        }
        const answer = isObject(data) ? data : {};
        if (ok && answer.WasSuccessful !== false) {
          if (
            problem ||
            (expect &&
              !(expect === "list"
                ? Array.isArray(data)
                : isObject(data) && (expect === "record" || Array.isArray(data.Records))))
          )
            throw fail(
              NexudusApiError,
              `HTTP ${status}: ${problem ?? `the answer is not a ${expect}`}.`,
            );
          return { data: data as T, response: copy! };
        }
        throw fail(
          apiErrorClass(status),
          // A redirect is a 3xx, or status 0 where fetch hides it (browsers).
          `HTTP ${status || "3xx"}${
            ok
              ? " (WasSuccessful: false)"
              : status < 400
                ? " (redirect not followed: check baseUrl)"
                : tooLong
                  ? ` (Retry-After ${Math.ceil(retryAfter! / 1000)} s > retry.maxDelayMs)`
                  : throttled
                    ? ` (throttled, ${attempt} retries)`
                    : ""
            // Nexudus's message, or the start of the body (a token endpoint's OAuth error, for one).
          }: ${answer.Message ?? (scrub(secrets, text).slice(0, 200) || "no details")}`,
          {
            errors: Array.isArray(answer.Errors) ? answer.Errors : [],
            ...(throttled && { retryAfterMs: retryAfter }),
          },
        );
      }
    };

    let authorizer: Authorizer;
    if (auth) authorizer = auth({ send, remember: remember.bind(null, secrets) });
    else if (isUsableToken(token)) {
      remember(secrets, token);
      authorizer = { header: () => "Bearer " + token };
    } else
      throw new NexudusUsageError("token must be printable ASCII without spaces, or use auth.");

    this.#run = (operation) =>
      new NexudusPromise(
        // An async arrow, so that an operation's synchronous throw (a bad argument) rejects too.
        (async () => operation(send, options))().catch((error: unknown) => {
          const failure = scrubError(
            secrets,
            error instanceof NexudusError
              ? error
              : new NexudusError(`Unexpected failure: ${String(error)}`, { cause: error }),
          ) as NexudusError;
          log?.error(failure);
          throw failure;
        }),
      );
  }
}
