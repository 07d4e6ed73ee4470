/** What every credential is replaced with. */
export const REDACTED = "[redacted]";

/** Headers whose values are credentials, shown redacted in hooks, logs and errors. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

/** How many encoded variants are kept: provider tokens rotate, so the oldest are dropped. */
const MAX_VARIANTS = 400;

/**
 * The credentials a transport knows, to scrub them from every text that may leave it: messages, error bodies and
 * causes, log lines and hook events. A secret is known as it is, URL-encoded, form-encoded and JSON-escaped. The
 * list lives in a private field: neither `JSON.stringify` nor `util.inspect` shows it.
 */
export class Secrets {
  readonly #variants = new Set<string>();

  /** Remembers credentials (empty ones and those under 4 characters are ignored). */
  remember(...secrets: (string | undefined)[]): void {
    for (const secret of secrets) {
      if (!secret || secret.length < 4) continue;
      const form = new URLSearchParams({ s: secret }).toString().slice(2);
      for (const variant of [
        secret,
        encodeURIComponent(secret),
        form,
        JSON.stringify(secret).slice(1, -1),
      ])
        this.#variants.add(variant);
    }
    while (this.#variants.size > MAX_VARIANTS)
      this.#variants.delete(this.#variants.values().next().value as string);
  }

  /** Replaces every known credential in `text`; done before any truncation, so no prefix of one is left. */
  scrub(text: string): string {
    const known = [...this.#variants].sort((a, b) => b.length - a.length);
    for (const secret of known) text = text.split(secret).join(REDACTED);
    return text;
  }

  /** A credential-free copy of an underlying error: name, code, message, stack and causes, scrubbed. */
  scrubError(error: unknown, depth = 0): unknown {
    if (!(error instanceof Error)) return typeof error === "string" ? this.scrub(error) : error;
    const copy = new Error(this.scrub(error.message));
    copy.name = error.name;
    copy.stack = this.scrub(error.stack ?? "");
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") Object.assign(copy, { code });
    if (error.cause !== undefined && depth < 4)
      copy.cause = this.scrubError(error.cause, depth + 1);
    return copy;
  }

  /** Headers as a plain object (lower-case names), credential headers redacted, values scrubbed. */
  headers(headers: Headers): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of headers.entries()) {
      Object.defineProperty(out, name, {
        value: SECRET_HEADERS.has(name) ? REDACTED : this.scrub(value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
}
