// Copied by nexudus-codegen from templates/runtime/auth.ts. Do not edit here: edit the template and run `npm run generate`.
import {
  NexudusApiError,
  NexudusAuthError,
  NexudusError,
  NexudusRateLimitError,
} from "./errors.js";
import { isObject, isUsableToken } from "./checks.js";
import { unlessAborted } from "./timing.js";
import type { Authentication } from "./types.js";

/** Credentials of the OAuth2 password grant. */
export interface PasswordGrant {
  /** The user's e-mail. */
  username: string;
  /** The user's password. */
  password: string;
  /** Two-factor code, when two-factor authentication is on. */
  totp?: string | undefined;
  /** Sent as the `client_id` header of token requests. */
  clientId?: string | undefined;
}

/**
 * The OAuth2 password grant on `POST /api/token` (form-encoded, never JSON, never redirected): the token is cached,
 * renewed with the refresh token before it expires, and fetched once for concurrent calls. After a 401 it renews
 * once and re-sends. A refused grant is a `NexudusAuthError` (`code: "invalid_grant"` for bad credentials).
 *
 * ```ts
 * new NexudusClient({ auth: passwordGrant({ username: "admin@example.com", password }) });
 * ```
 */
export function passwordGrant(credentials: PasswordGrant): Authentication {
  return (context) => {
    const { username, password, totp, clientId } = credentials;
    context.remember(password, totp);
    let access: string | undefined;
    let refresh: string | undefined;
    let expires = 0;
    let pending: Promise<string> | undefined;

    /** `POST /api/token` with `form`; stores the tokens. Every refusal is a `NexudusAuthError`. */
    const grant = async (form: Record<string, string>, timeoutMs?: number): Promise<string> => {
      let answer;
      try {
        // Form-encoded, never JSON; sent without Authorization, as its own headers say.
        answer = await context.send(
          "POST",
          "/api/token",
          { timeoutMs },
          "record",
          new URLSearchParams(form).toString(),
          undefined,
          { "Content-Type": "application/x-www-form-urlencoded", client_id: clientId },
        );
      } catch (error) {
        if (!(error instanceof NexudusApiError) || error instanceof NexudusRateLimitError)
          throw error;
        let code: unknown;
        try {
          code = (JSON.parse(error.body) as { error?: unknown }).error;
        } catch {
          // not JSON: no OAuth code
        }
        const reason =
          code === "invalid_grant"
            ? "Nexudus refused the credentials (invalid_grant)"
            : "Token request failed";
        throw new NexudusAuthError(`${reason}: ${error.message}`, {
          ...error,
          code: typeof code === "string" ? code : undefined,
        });
      }
      const data = isObject(answer.data) ? answer.data : {};
      const token = data.access_token;
      if (!isUsableToken(token))
        throw new NexudusAuthError(
          "The token answer has no usable access_token (POST /api/token)",
          {
            method: "POST",
            path: "/api/token",
            status: answer.response.status,
          },
        );
      refresh =
        typeof data.refresh_token === "string" && data.refresh_token
          ? data.refresh_token
          : undefined;
      context.remember(token, refresh);
      const seconds = Number(data.expires_in);
      const lifetime = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000;
      expires = Date.now() + lifetime - Math.min(60_000, lifetime / 10);
      return (access = token);
    };

    /** A new token: with the refresh token when there is one, else (or when it is refused) with the password. */
    const login = async (timeoutMs?: number): Promise<string> => {
      if (refresh) {
        try {
          return await grant({ grant_type: "refresh_token", refresh_token: refresh }, timeoutMs);
        } catch (error) {
          if (!(error instanceof NexudusAuthError)) throw error;
        }
      }
      return grant(
        { grant_type: "password", username, password, ...(totp ? { totp } : {}) },
        timeoutMs,
      );
    };

    return {
      header: async (options) => {
        if (access && Date.now() < expires) return "Bearer " + access;
        pending ??= login(options.timeoutMs).finally(() => (pending = undefined));
        return "Bearer " + (await unlessAborted(pending, options.signal));
      },
      renew: (header) => {
        // The token expired or was revoked: the next header gets a new one (single-flight).
        if (header === "Bearer " + access) access = undefined;
        return true;
      },
    };
  };
}

/**
 * The caller's own token provider, called before each request (and once more after a 401). A provider that throws or
 * gives no usable token is a `NexudusAuthError`; its tokens are scrubbed like every credential.
 */
export function tokenProvider(getToken: () => string | Promise<string>): Authentication {
  return (context) => ({
    header: async (options) => {
      let token: unknown;
      try {
        token = await unlessAborted(Promise.resolve().then(getToken), options.signal);
      } catch (error) {
        if (error instanceof NexudusError) throw error;
        throw new NexudusAuthError("The token provider failed", { cause: error });
      }
      if (!isUsableToken(token))
        throw new NexudusAuthError(
          "The token provider gave no usable bearer token (a non-empty string of visible ASCII).",
        );
      context.remember(token);
      return "Bearer " + token;
    },
    renew: () => true,
  });
}

/** HTTP Basic authentication: `Authorization: Basic base64(username:password)`, UTF-8 encoded. */
export function basicAuth(username: string, password: string): Authentication {
  return (context) => {
    const encoded = btoa(
      String.fromCharCode(...new TextEncoder().encode(username + ":" + password)),
    );
    context.remember(password, encoded);
    return { header: () => "Basic " + encoded };
  };
}
