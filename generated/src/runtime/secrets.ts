// Copied by nexudus-codegen from templates/runtime/secrets.ts. Do not edit here: edit the template and run `npm run generate`.
import { NexudusAbortError, NexudusError } from "./errors.js";

/** What every credential is replaced with. */
export const REDACTED = "[redacted]";

/** Headers whose values are credentials, shown redacted in hooks, logs and errors: (proxy-)authorization, (set-)cookie. */
const SECRET_HEADERS = /authorization|cookie/;

/**
 * The credentials a transport knows, each as it is, URL-encoded, form-encoded and JSON-escaped, to scrub them from
 * every text that may leave it: messages, error bodies and causes, log lines and hook events. The transport keeps it
 * in a private field: neither `JSON.stringify` nor `util.inspect` shows it.
 */
export type Secrets = Set<string>;

/**
 * Remembers credentials (empty ones and those under 4 characters are ignored). Provider tokens rotate, so past 400
 * encoded variants the oldest are dropped.
 */
export const remember = (secrets: Secrets, ...values: (string | undefined)[]): void => {
  for (const secret of values)
    if (secret && secret.length > 3)
      for (const variant of [
        secret,
        encodeURIComponent(secret),
        String(new URLSearchParams({ s: secret })).slice(2),
        JSON.stringify(secret).slice(1, -1),
      ])
        secrets.add(variant);
  for (const oldest of secrets) if (secrets.size > 400) secrets.delete(oldest);
};

/** Replaces every known credential in `text`, longest first; done before any truncation, so no prefix is left. */
export const scrub = (secrets: Secrets, text: string): string =>
  [...secrets]
    .sort((a, b) => b.length - a.length)
    .reduce((left, secret) => left.replaceAll(secret, REDACTED), text);

/**
 * `error` with every credential scrubbed from its message, stack and causes (4 deep): the client's own errors in place,
 * any other in a copy (name, code, message, stack and cause). An abort's cause is the caller's own reason, kept as it is.
 */
export const scrubError = (secrets: Secrets, error: unknown, depth = 0): unknown => {
  if (!(error instanceof Error)) return typeof error === "string" ? scrub(secrets, error) : error;
  const message = scrub(secrets, error.message);
  const code = (error as { code?: unknown }).code;
  const clean =
    error instanceof NexudusError
      ? error
      : Object.assign(
          new Error(message),
          { name: error.name },
          typeof code === "string" && { code },
        );
  clean.message = message;
  clean.stack = scrub(secrets, error.stack ?? "");
  if (error.cause !== undefined && depth < 4 && !(error instanceof NexudusAbortError))
    clean.cause = scrubError(secrets, error.cause, depth + 1);
  return clean;
};

/** Headers as a plain object (lower-case names), credential headers redacted, values scrubbed. */
export const redactHeaders = (secrets: Secrets, headers: Headers): Record<string, string> =>
  // fromEntries defines properties, never through a setter: a header named `__proto__` stays data.
  Object.fromEntries(
    [...headers].map(([name, value]) => [
      name,
      SECRET_HEADERS.test(name) ? REDACTED : scrub(secrets, value),
    ]),
  );
