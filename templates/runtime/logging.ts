import type { Hooks } from "./types.js";

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

/** What `logging()` takes. */
export interface LoggingOptions {
  /** What to log (default: the `NEXUDUS_LOG` environment variable, else `off`). */
  level?: LogLevel | undefined;
  /** Where log lines go (default: `console`). */
  logger?: Logger | undefined;
}

const LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/**
 * Logging for the `log` option: requests and answers with redacted headers (`debug`), answers with status and
 * duration (`info`), retries (`warn`), failed calls (`error`). The level defaults to the `NEXUDUS_LOG` environment
 * variable. A failing logger never breaks a request.
 *
 * ```ts
 * new NexudusClient({ token, log: logging({ level: "info" }) });
 * ```
 */
export function logging(options: LoggingOptions = {}): Hooks {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env?.NEXUDUS_LOG;
  const level = Math.max(0, LEVELS.indexOf((options.level ?? env) as LogLevel));
  const logger = options.logger ?? console;
  const write = (
    at: Exclude<LogLevel, "off">,
    message: string,
    fields: Record<string, unknown>,
  ) => {
    if (LEVELS.indexOf(at) <= level) logger[at](`nexudus: ${message}`, fields);
  };
  return {
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
  };
}
