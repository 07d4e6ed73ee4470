import type { Hooks, Observer } from "./types.js";

/** Log levels, from the quietest: `off`, `error`, `warn`, `info`, `debug`. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** Where log lines go (default: `console`). Every message and field has credentials redacted. */
export interface Logger {
  /** Each request and answer, with headers. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Each answer: method, path, status, duration. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Retries and throttling. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Calls that failed. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What `logging()` takes: the level, the logger, and hooks to call as well. */
export interface LoggingOptions extends Hooks {
  /** What to log (default: the `NEXUDUS_LOG` environment variable, else `off`). */
  level?: LogLevel | undefined;
  /** Where log lines go (default: `console`). */
  logger?: Logger | undefined;
}

/**
 * The `log` option that calls `sets` of hooks, in order: `onRequest` before each HTTP attempt, `onResponse` after it
 * (answered or not), `onRetry` before a re-send, `onError` with every error a call fails with. A failing hook never
 * breaks a request; credentials are redacted from every event.
 *
 * ```ts
 * new NexudusClient({ token, log: hooks({ onRetry: (event) => metrics.retry(event.path, event.status) }) });
 * ```
 */
export function hooks(...sets: Hooks[]): Observer {
  // Each set's hook, given the same event.
  const each = (run: (set: Hooks) => void): void => {
    for (const set of sets)
      try {
        run(set);
      } catch {
        // a failing hook never breaks a request
      }
  };
  return {
    request: (method, url, headers, attempt) => {
      const event = { method, url, headers, attempt };
      const started = Date.now();
      each((set) => set.onRequest?.(event));
      return (status, responseHeaders) => {
        const answered = { ...event, status, responseHeaders, durationMs: Date.now() - started };
        each((set) => set.onResponse?.(answered));
      };
    },
    retry: (method, path, status, waitMs) => {
      const event = { method, path, status, waitMs };
      each((set) => set.onRetry?.(event));
    },
    error: (error) => each((set) => set.onError?.(error)),
  };
}

const LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/**
 * Logging for the `log` option: requests and answers with redacted headers (`debug`), answers with status and
 * duration (`info`), retries (`warn`), failed calls (`error`). The level defaults to the `NEXUDUS_LOG` environment
 * variable. Hooks among the options are called too, as `hooks()` calls them. A failing logger never breaks a request.
 *
 * ```ts
 * new NexudusClient({ token, log: logging({ level: "info" }) });
 * ```
 */
export function logging(options: LoggingOptions = {}): Observer {
  // Through `unknown`: asserting `globalThis` straight to this shape makes tsc compare it with every global's type.
  const env = (globalThis as unknown as { process?: { env?: Record<string, string | undefined> } })
    .process?.env?.NEXUDUS_LOG;
  const level = Math.max(0, LEVELS.indexOf((options.level ?? env) as LogLevel));
  const logger: Logger = options.logger ?? console;
  const write = (
    at: Exclude<LogLevel, "off">,
    message: string,
    fields: Record<string, unknown>,
  ) => {
    if (LEVELS.indexOf(at) <= level) logger[at](`nexudus: ${message}`, fields);
  };
  return hooks(
    {
      onRequest: (event) =>
        write("debug", `→ ${event.method} ${event.url} #${event.attempt}`, {
          headers: event.headers,
        }),
      onResponse: (event) =>
        write(
          "info",
          `← ${event.method} ${event.url.split("?")[0]} ${event.status} in ${event.durationMs} ms`,
          { status: event.status, headers: event.responseHeaders },
        ),
      onRetry: (event) =>
        write(
          "warn",
          `retrying ${event.method} ${event.path} after ${event.status ? `HTTP ${event.status}` : "a network failure"} in ${Math.round(event.waitMs)} ms`,
          { status: event.status },
        ),
      onError: (error) => write("error", error.message, { name: error.name, status: error.status }),
    },
    options,
  );
}
