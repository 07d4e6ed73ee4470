/**
 * Issue 11, "Credentials never leave": no redirect is followed with credentials or a body, and secrets are scrubbed
 * from every message, stack, cause, toJSON(), util.inspect, log line and hook payload, in every encoding.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { NexudusApiError, NexudusAuthError, NexudusError, NexudusNetworkError, NexudusUsageError, Transport, type ClientOptions, type RequestEvent, type ResponseEvent, get, create, basicAuth, passwordGrant, tokenProvider, hooks } from "../../templates/runtime/index.js";
import { fast, json, passes, startRawServer, thrown, TOKEN, useServer } from "./helpers.js";

/** A password with every character URL and form encoding change. */
const PASSWORD = "p@ss w0rd+&=/?%é\"";
const TOTP = "482913";
const USER = { username: "enc@example.com", password: PASSWORD, totp: TOTP };

const server = useServer(3, { users: [USER] });

/** The ways a secret can appear in text. */
const encodings = (secret: string): string[] => [
  secret,
  encodeURIComponent(secret),
  new URLSearchParams({ s: secret }).toString().slice(2),
  JSON.stringify(secret).slice(1, -1),
];

/** Everything an error can show: String(), JSON, util.inspect (deep, hidden too), message + stack, cause chain. */
const views = (value: unknown): string[] => {
  const out = [String(value), JSON.stringify(value) ?? "", inspect(value, { depth: 10, showHidden: true })];
  for (let error = value; error instanceof Error; error = error.cause) out.push(`${error.message}\n${error.stack}`);
  return out;
};

const expectClean = (value: unknown, secrets: string[]): void => {
  for (const view of views(value))
    for (const secret of secrets) for (const encoded of encodings(secret)) expect(view).not.toContain(encoded);
};

describe("redirects are never followed", () => {
  it("a 307 from /api/token does not send the password to another origin", async () => {
    const elsewhere = await startRawServer((_req, res) => json(res, 200, { access_token: "stolen", expires_in: 3600 }));
    const origin = await startRawServer((_req, res) =>
      res.writeHead(307, { Location: `${elsewhere.url}/api/token` }).end(),
    );
    try {
      const t = new Transport({ baseUrl: origin.url, auth: passwordGrant(USER), ...fast });
      const error = await thrown(() => get(t, passes, 1));
      expect(error).toBeInstanceOf(NexudusAuthError);
      expect((error as Error).message).toMatch(/HTTP 307 \(redirect not followed: check baseUrl/);
      expect(elsewhere.requests).toHaveLength(0);
      expect(origin.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /api/token"]);
      expectClean(error, [PASSWORD, TOTP]);
    } finally {
      await Promise.all([origin.close(), elsewhere.close()]);
    }
  });

  it("a redirected create is an error, not a success, and nothing reaches the other origin", async () => {
    const elsewhere = await startRawServer((_req, res) => json(res, 200, { WasSuccessful: true, Value: { Id: 9 } }));
    for (const status of [301, 302, 303, 307, 308]) {
      const origin = await startRawServer((_req, res) => res.writeHead(status, { Location: elsewhere.url + passes.path }).end());
      try {
        const t = new Transport({ baseUrl: origin.url, token: TOKEN, ...fast });
        const error = await thrown(() => create(t, passes, { CoworkerId: 1 }));
        expect(error).toBeInstanceOf(NexudusApiError);
        expect(error).toMatchObject({ status, method: "POST" });
        const read = await thrown(() => get(t, passes, 1));
        expect(read).toMatchObject({ status });
        expect(origin.requests).toHaveLength(2);
      } finally {
        await origin.close();
      }
    }
    expect(elsewhere.requests).toHaveLength(0);
    await elsewhere.close();
  });
});

describe("secrets are scrubbed in every encoding", () => {
  it("a server that echoes the form-encoded and URL-encoded password and the TOTP code", async () => {
    const form = new URLSearchParams({ password: PASSWORD, totp: TOTP }).toString();
    const raw = await startRawServer((req, res) =>
      json(res, 400, { error: "invalid_request", error_description: `bad form: ${req.body} / ${encodeURIComponent(PASSWORD)} / ${form}` }),
    );
    try {
      const error = await thrown(() => get(new Transport({ baseUrl: raw.url, auth: passwordGrant(USER), ...fast }), passes, 1));
      expect(error).toBeInstanceOf(NexudusAuthError);
      expect(raw.requests[0]!.body).toContain(encodeURIComponent(TOTP)); // the echo really carried them
      expect((error as NexudusAuthError).body).toContain("[redacted]");
      expectClean(error, [PASSWORD, TOTP]);
    } finally {
      await raw.close();
    }
  });

  it("scrubs before truncating: a secret across the 200-character cut never leaks a prefix", async () => {
    const long = "s3cret-".repeat(40); // 280 characters
    const raw = await startRawServer((_req, res) => {
      res.writeHead(500, { "Content-Type": "text/plain" }).end("x".repeat(190) + long);
    });
    try {
      const error = await thrown(() => get(new Transport({ baseUrl: raw.url, token: long, ...fast, maxRetries: 0 }), passes, 1));
      expect(error).toBeInstanceOf(NexudusApiError);
      for (const view of views(error)) expect(view).not.toContain("s3cret-s3cret");
      expect((error as NexudusApiError).body).toBe("x".repeat(190) + "[redacted]");
    } finally {
      await raw.close();
    }
  });

  it("tokens from a token provider and issued tokens echoed in a body are scrubbed, in errors and hooks", async () => {
    const provided = "provider-token-" + "a".repeat(20);
    const raw = await startRawServer((req, res) =>
      json(res, 403, { Message: `token ${String(req.headers.authorization)} lacks a role (${encodeURIComponent(provided)})` }),
    );
    const events: (RequestEvent | ResponseEvent)[] = [];
    try {
      const t = new Transport({
        baseUrl: raw.url,
        auth: tokenProvider(() => provided),
        ...fast,
        log: hooks({ onRequest: (e) => events.push(e), onResponse: (e) => events.push(e) }),
      });
      const error = await thrown(() => get(t, passes, 1));
      expect(error).toBeInstanceOf(NexudusAuthError);
      expect((error as Error).message).toContain("token Bearer [redacted] lacks a role ([redacted])");
      expectClean(error, [provided]);
      expectClean(events, [provided]);
    } finally {
      await raw.close();
    }
  });

  it("a password in baseUrl user info is refused without echoing it", () => {
    const error = (() => {
      try {
        new Transport({ baseUrl: `http://admin:${encodeURIComponent(PASSWORD)}@127.0.0.1:1`, token: TOKEN });
      } catch (e) {
        return e;
      }
      throw new Error("expected a throw");
    })();
    expect(error).toBeInstanceOf(NexudusUsageError);
    expect((error as Error).message).toMatch(/without user info/);
    expectClean(error, [PASSWORD]);
  });

  it("the cause of a network failure is a scrubbed copy: message, stack and nested causes", async () => {
    const secret = "Fetch-Secret-0123456789";
    const t = new Transport({
      baseUrl: server.url,
      token: secret,
      ...fast,
      maxRetries: 0,
      fetch: async (url, init) => {
        const inner = new Error(`socket closed while sending ${new Headers(init.headers).get("authorization")}`);
        throw new TypeError(`fetch ${url} failed with ${secret}`, { cause: inner });
      },
    });
    const error = await thrown(() => get(t, passes, 1));
    expect(error).toBeInstanceOf(NexudusNetworkError);
    const cause = (error as Error).cause as Error;
    expect(cause.name).toBe("TypeError");
    expect(cause.message).toContain("[redacted]");
    expect((cause.cause as Error).message).toContain("Bearer [redacted]");
    expectClean(error, [secret]);
  });

  it("toJSON() and util.inspect of an error show headers and body, credentials redacted", async () => {
    const raw = await startRawServer((req, res) =>
      json(res, 400, { Message: "bad", Echo: req.headers.authorization }, { "Set-Cookie": `session=${TOKEN}`, "X-Request-Id": "r-1" }),
    );
    try {
      const error = await thrown(() => get(new Transport({ baseUrl: raw.url, token: TOKEN, ...fast }), passes, 1));
      const view = JSON.parse(JSON.stringify(error)) as { headers: Record<string, string>; body: string };
      expect(view.headers["x-request-id"]).toBe("r-1");
      expect(view.headers["set-cookie"]).toBe("[redacted]");
      expect(view.body).toContain("Bearer [redacted]");
      expectClean(error, [TOKEN]);
      expect(error).toBeInstanceOf(NexudusError);
    } finally {
      await raw.close();
    }
  });
});

it("every authentication variant keeps its secrets out of a failed call (sanity across variants)", async () => {
  const variants: ClientOptions[] = [
    { baseUrl: server.url, token: TOKEN + "-x" },
    { baseUrl: server.url, auth: passwordGrant({ ...USER, password: PASSWORD + "-wrong" }) },
    { baseUrl: server.url, auth: basicAuth(USER.username, PASSWORD + "-wrong") },
  ];
  for (const options of variants) {
    const error = await thrown(() => get(new Transport({ ...fast, ...options }), passes, 1));
    expect(error).toBeInstanceOf(NexudusAuthError);
    expectClean(error, [TOKEN + "-x", PASSWORD + "-wrong", TOTP]);
  }
});
