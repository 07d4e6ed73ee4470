import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NexudusApiError, NexudusAuthError, NexudusError, NexudusRateLimitError, NexudusTimeoutError, Transport, type ClientOptions, type RequestEvent, type ResourceInfo, type ResponseEvent, get, list, create, update, basicAuth, passwordGrant, tokenProvider, type BaseClientOptions, hooks } from "../../templates/runtime/index.js";
import type { NexudusTestServer } from "../../templates/testing/server.js";
import { fast, passes, startServer, thrown, TOKEN, USER } from "./helpers.js";

let server: NexudusTestServer;
beforeAll(async () => {
  server = await startServer(5, {
    users: [USER, { username: "basic@example.com", password: "basic-Secret-42" }],
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.clearRequests();
});

/** Tokens the server issued (from the token endpoint's answers). */
const issued = (): { access_token: string; refresh_token: string }[] =>
  server
    .requestsTo("/api/token")
    .flatMap((r) =>
      r.status === 200
        ? [JSON.parse(r.response) as { access_token: string; refresh_token: string }]
        : [],
    );

/** Every credential the tests know about, including the tokens the server issued. */
const secrets = (): string[] => [
  TOKEN,
  USER.password,
  "basic-Secret-42",
  Buffer.from("basic@example.com:basic-Secret-42").toString("base64"),
  ...issued().flatMap((t) => [t.access_token, t.refresh_token]),
];

/** Everything an error can show: message, stack, String(), JSON, util.inspect (deep, hidden too). */
const views = (value: unknown): string[] => [
  String(value),
  JSON.stringify(value) ?? "",
  inspect(value, { depth: 10, showHidden: true }),
  value instanceof Error ? `${value.message}\n${value.stack}` : "",
];

const expectClean = (value: unknown): void => {
  for (const view of views(value)) {
    expect(view).not.toMatch(/authorization["']?\s*[:=]|Bearer \S|Basic \S/i);
    for (const secret of secrets()) expect(view).not.toContain(secret);
  }
};

const passwordClient = (extra: Partial<BaseClientOptions> = {}, password = USER.password) =>
  new Transport({
    baseUrl: server.url,
    auth: passwordGrant({ username: USER.username, password }),
    ...fast,
    ...extra,
  });

describe("no secret in errors", () => {
  it("invalid_grant, bad token, Basic refusal", async () => {
    const errors = [
      await thrown(() =>
        get(passwordClient({}, "wrong-" + USER.password), passes, 1),
      ),
      await thrown(() =>
        get(new Transport({ baseUrl: server.url, token: TOKEN + "-revoked" }), passes, 1),
      ),
      await thrown(() =>
        get(new Transport({
          baseUrl: server.url,
          auth: basicAuth("basic@example.com", "basic-Secret-43"),
        }), passes, 1),
      ),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(NexudusAuthError);
      expectClean(error);
    }
    expect(errors.map((e) => (e as Error).message).join("\n")).not.toContain(
      "wrong-" + USER.password,
    );
  });

  it("API errors, throttling, timeouts, network failures after a password login", async () => {
    // Only the delayed call has a short timeout: on a busy machine a 50 ms limit would cut the others short too.
    const t = passwordClient({ timeoutMs: 10_000 });
    await get(t, passes, 1); // logs in: the issued tokens join the list of secrets
    server.inject(
      { type: "status", status: 409, retryAfter: 0, times: 3, path: passes.path },
      { type: "delay", ms: 500, path: passes.path },
      { type: "reset", times: 3, path: passes.path },
      { type: "unsuccessful", path: passes.path },
    );
    const errors = [
      await thrown(() => list(t, passes)),
      await thrown(() => get(t, passes, 1, { timeoutMs: 50 })),
      await thrown(() => get(t, passes, 1)),
      await thrown(() => create(t, passes, { CoworkerId: 1, BusinessId: 1, TimePassId: 1 })),
      await thrown(() => create(t, passes, {})),
      await thrown(() => update(t, passes, { Id: 1 })),
    ];
    expect(errors.map((e) => (e as Error).name)).toEqual([
      "NexudusRateLimitError",
      "NexudusTimeoutError",
      "NexudusNetworkError",
      "NexudusApiError",
      "NexudusBadRequestError",
      "NexudusUsageError",
    ]);
    expect(secrets().length).toBeGreaterThan(4);
    for (const error of errors) {
      expect(error).toBeInstanceOf(NexudusError);
      expectClean(error);
    }
  });

  it("a server message that echoes a credential is scrubbed", async () => {
    const t = passwordClient();
    await get(t, passes, 1);
    const access = issued()[0]!.access_token;
    server.inject(
      {
        type: "status",
        status: 400,
        body: { Message: `token ${TOKEN} is odd`, WasSuccessful: false },
      },
      {
        type: "status",
        status: 500,
        body: { Message: `password ${USER.password} / token ${access} rejected` },
      },
    );
    // Each transport scrubs the credentials it holds.
    const first = await thrown(() =>
      get(new Transport({ baseUrl: server.url, token: TOKEN }), passes, 1),
    );
    const second = await thrown(() => get(t, passes, 1));
    expect((first as Error).message).toContain("token [redacted] is odd");
    expect((second as Error).message).toContain("password [redacted] / token [redacted] rejected");
    expectClean(first);
    expectClean(second);
  });

  it("errors serialize to a useful, plain JSON", async () => {
    const error = await thrown(() =>
      create(new Transport({ baseUrl: server.url, token: TOKEN }), { ...passes }, {}),
    );
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({
      name: "NexudusBadRequestError",
      status: 400,
      method: "POST",
      path: passes.path,
    });
    expect(json.errors).toHaveLength(3);
    expect(error).toBeInstanceOf(NexudusApiError);
    expect(NexudusRateLimitError.prototype).toBeInstanceOf(NexudusError);
    expect(NexudusTimeoutError.prototype.name).toBe("NexudusTimeoutError");
  });
});

describe("no secret in the transport or a client holding it", () => {
  it("util.inspect and JSON.stringify of the Transport and of a generated-style client", async () => {
    const variants: ClientOptions[] = [
      { baseUrl: server.url, token: TOKEN },
      { baseUrl: server.url, auth: passwordGrant(USER) },
      { baseUrl: server.url, auth: basicAuth("basic@example.com", "basic-Secret-42") },
      { baseUrl: server.url, auth: tokenProvider(() => TOKEN) },
    ];
    const resource: ResourceInfo = passes;
    class PassesResource {
      constructor(private readonly transport: Transport) {}
      get(id: number) {
        return get(this.transport, resource, id);
      }
    }
    class NexudusClient {
      readonly coworkerTimePasses: PassesResource;
      constructor(options: ClientOptions) {
        this.coworkerTimePasses = new PassesResource(new Transport(options));
      }
    }
    for (const options of variants) {
      const transport = new Transport(options);
      await get(transport, passes, 1);
      const nexudus = new NexudusClient(options);
      await nexudus.coworkerTimePasses.get(1);
      for (const value of [transport, nexudus]) {
        expectClean(value);
        expect(inspect(value)).toContain(server.url);
      }
      expect(JSON.parse(JSON.stringify(transport))).toEqual({ baseUrl: server.url });
    }
  });
});

describe("hooks", () => {
  it("onRequest/onResponse get method, URL, status and timing, with credentials redacted", async () => {
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const t = passwordClient({ log: hooks({ onRequest: (e) => requests.push(e), onResponse: (e) => responses.push(e) }) });
    server.inject({ type: "status", status: 503, path: passes.path });
    await get(t, passes, 2);
    expect(requests.map((e) => `${e.method} ${e.url} #${e.attempt}`)).toEqual([
      `POST ${server.url}/api/token #0`,
      `GET ${server.url}${passes.path}/2 #0`,
      `GET ${server.url}${passes.path}/2 #1`,
    ]);
    expect(responses.map((e) => e.status)).toEqual([200, 503, 200]);
    expect(responses.every((e) => e.durationMs >= 0)).toBe(true);
    expect(requests[1]!.headers.authorization).toBe("[redacted]");
    expect(requests[0]!.headers).not.toHaveProperty("authorization");
    const dump = JSON.stringify([requests, responses]);
    for (const secret of secrets()) expect(dump).not.toContain(secret);
  });

  it("reports status 0 when no answer came, and a throwing hook breaks nothing", async () => {
    const responses: ResponseEvent[] = [];
    const t = new Transport({
      baseUrl: server.url,
      token: TOKEN,
      ...fast,
      log: hooks({
        onRequest: () => {
          throw new Error("hook bug");
        },
        onResponse: (e) => {
          responses.push(e);
          throw new Error("hook bug");
        },
      }),
    });
    server.inject({ type: "reset" });
    expect(await get(t, passes, 3)).toMatchObject({ Id: 3 });
    expect(responses.map((e) => e.status)).toEqual([0, 200]);
  });
});
