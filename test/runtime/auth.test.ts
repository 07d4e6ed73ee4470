import { afterEach, describe, expect, it } from "vitest";
import { basicAuth, create, get, NexudusAuthError, passwordGrant, tokenProvider, Transport, type PasswordGrant, request } from "../../templates/runtime/index.js";
import { startNexudusTestServer, type NexudusTestServer } from "../../templates/testing/server.js";
import { fast, passes, startServer, thrown, TOKEN, USER } from "./helpers.js";

let server: NexudusTestServer;
afterEach(() => server?.close());

const login = (url: string, extra: Partial<PasswordGrant> = {}) =>
  new Transport({ baseUrl: url, auth: passwordGrant({ ...USER, ...extra }), ...fast });
const tokenPosts = () => server.requestsTo("/api/token", "POST");
const grants = () => tokenPosts().map((r) => new URLSearchParams(r.body).get("grant_type"));

describe("fixed token, basicAuth, tokenProvider", () => {
  it("a fixed bearer token is sent as is; a wrong one is a NexudusAuthError without retry", async () => {
    server = await startServer(3);
    await get(new Transport({ baseUrl: server.url, token: TOKEN }), passes, 1);
    const error = await thrown(() =>
      get(new Transport({ baseUrl: server.url, token: "wrong-token" }), passes, 1),
    );
    expect(error).toBeInstanceOf(NexudusAuthError);
    expect((error as NexudusAuthError).status).toBe(401);
    expect(server.requests.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it("basicAuth sends base64(username:password) and works against the server", async () => {
    server = await startServer(3, { users: [{ username: "ünï@example.com", password: "pä:ss" }] });
    const t = new Transport({
      baseUrl: server.url,
      auth: basicAuth("ünï@example.com", "pä:ss"),
    });
    await get(t, passes, 1);
    const header = server.requests[0]!.headers.authorization!;
    expect(header).toBe("Basic " + Buffer.from("ünï@example.com:pä:ss").toString("base64"));
    const bad = new Transport({ baseUrl: server.url, auth: basicAuth("x", "y") });
    expect(await thrown(() => get(bad, passes, 1))).toBeInstanceOf(NexudusAuthError);
  });

  it("tokenProvider's function is called per request, and once more after a 401", async () => {
    server = await startServer(3);
    const fresh = server.issueToken();
    const handed = ["revoked-token", fresh];
    let calls = 0;
    const t = new Transport({
      baseUrl: server.url,
      auth: tokenProvider(async () => handed[Math.min(calls++, 1)]!),
    });
    await get(t, passes, 1);
    expect(calls).toBe(2);
    expect(server.requests.map((r) => r.status)).toEqual([401, 200]);
    await get(t, passes, 1);
    expect(calls).toBe(3);
  });
});

describe("password grant", () => {
  it("posts a form body (never JSON) with the client_id header, caches the token", async () => {
    server = await startServer(3);
    const t = login(server.url, { clientId: "my-client" });
    await get(t, passes, 1);
    await get(t, passes, 2);
    expect(tokenPosts()).toHaveLength(1);
    const request = tokenPosts()[0]!;
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request.headers.client_id).toBe("my-client");
    expect(request.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: "password",
      username: USER.username,
      password: USER.password,
    });
    expect(
      server.requests.slice(1).every((r) => /^Bearer .{20,}/.test(String(r.headers.authorization))),
    ).toBe(true);
  });

  it("the test server refuses a JSON token request with unsupported_grant_type", async () => {
    server = await startServer(0);
    const response = await fetch(server.url + "/api/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ grant_type: "password", ...USER }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "unsupported_grant_type" });
  });

  it("sends totp when two-factor is on", async () => {
    server = await startNexudusTestServer({
      users: [{ ...USER, totp: "123456" }],
      collections: [],
    });
    await request(login(server.url, { totp: "123456" }), "GET", "/api/none").catch(() => undefined);
    expect(new URLSearchParams(tokenPosts()[0]!.body).get("totp")).toBe("123456");
    const error = await thrown(() =>
      request(login(server.url, { totp: "000000" }), "GET", "/api/none"),
    );
    expect(error).toBeInstanceOf(NexudusAuthError);
  });

  it("invalid_grant becomes a NexudusAuthError that says so, without retry", async () => {
    server = await startServer(3);
    const error = await thrown(() =>
      get(login(server.url, { password: "wrong-password" }), passes, 1),
    );
    expect(error).toBeInstanceOf(NexudusAuthError);
    expect((error as NexudusAuthError).code).toBe("invalid_grant");
    expect((error as Error).message).toMatch(/invalid_grant/);
    expect((error as Error).message).toMatch(/refused the credentials/);
    expect(tokenPosts()).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it("concurrent first calls share one token request", async () => {
    server = await startServer(20);
    const t = login(server.url);
    const records = await Promise.all(
      Array.from({ length: 10 }, (_, i) => get<{ Id: number }>(t, passes, i + 1)),
    );
    expect(records.map((r) => r.Id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(tokenPosts()).toHaveLength(1);
    expect(server.requests).toHaveLength(11);
  });

  it("renews with the refresh token before expiry; the rotated refresh token replaces the old one", async () => {
    server = await startServer(3, { tokenTtlSeconds: 1 });
    const t = login(server.url, { clientId: "cid" });
    await get(t, passes, 1);
    // 1 s tokens are renewed 100 ms before they expire.
    await new Promise((resolve) => setTimeout(resolve, 950));
    await get(t, passes, 1);
    await new Promise((resolve) => setTimeout(resolve, 950));
    await get(t, passes, 1);
    expect(grants()).toEqual(["password", "refresh_token", "refresh_token"]);
    expect(server.requests.filter((r) => r.status === 401)).toHaveLength(0);
    const [, first, second] = tokenPosts();
    expect(first!.headers.client_id).toBe("cid");
    const firstRefresh = new URLSearchParams(first!.body).get("refresh_token");
    const secondRefresh = new URLSearchParams(second!.body).get("refresh_token");
    expect(secondRefresh).not.toBe(firstRefresh);
    // The server rotated: the first refresh token no longer works.
    const replay = await fetch(server.url + "/api/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", client_id: "cid" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: firstRefresh!,
      }).toString(),
    });
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("fault: after a 401 it re-authenticates once (with the refresh token) and retries", async () => {
    server = await startServer(3);
    const t = login(server.url);
    await get(t, passes, 1);
    server.expireTokens();
    const record = await get<{ Id: number }>(t, passes, 2);
    expect(record.Id).toBe(2);
    expect(grants()).toEqual(["password", "refresh_token"]);
    expect(server.requests.map((r) => r.status)).toEqual([200, 200, 401, 200, 200]);
  });

  it("fault: an expired-token fault on a POST re-authenticates and the create happens once", async () => {
    server = await startServer(3);
    const t = login(server.url);
    await get(t, passes, 1);
    server.inject({ type: "expired-token", method: "POST", path: passes.path });
    const result = await create(t, passes, { CoworkerId: 1, BusinessId: 1, TimePassId: 7 });
    expect(result.WasSuccessful).toBe(true);
    expect(server.records(passes.path)).toHaveLength(4);
    expect(server.requestsTo(passes.path, "POST").map((r) => r.status)).toEqual([401, 200]);
  });

  it("fault: a second 401 in a row is a NexudusAuthError (one re-authentication only)", async () => {
    server = await startServer(3);
    const t = login(server.url);
    server.inject({ type: "status", status: 401, times: 2, path: passes.path });
    const error = await thrown(() => get(t, passes, 1));
    expect(error).toBeInstanceOf(NexudusAuthError);
    expect(server.requestsTo(`${passes.path}/1`)).toHaveLength(2);
  });

  it("fault: falls back to the password grant when the refresh token is refused", async () => {
    server = await startServer(3, { refreshTtlSeconds: 0 });
    const t = login(server.url);
    await get(t, passes, 1);
    server.expireTokens();
    await get(t, passes, 1);
    expect(grants()).toEqual(["password", "refresh_token", "password"]);
  });

  it("fault: an abort while the token is being fetched sends no API request", async () => {
    server = await startServer(3);
    server.inject({ type: "delay", ms: 200, path: "/api/token" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await thrown(() =>
      get(login(server.url), passes, 1, { signal: controller.signal }),
    );
    expect((error as Error).name).toBe("NexudusAbortError");
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(server.requests.map((r) => r.path)).toEqual(["/api/token"]);
  });

  it("fault: concurrent 401s lead to a single renewal", async () => {
    server = await startServer(10);
    const t = login(server.url);
    await get(t, passes, 1);
    server.expireTokens();
    await Promise.all(Array.from({ length: 8 }, (_, i) => get(t, passes, i + 1)));
    expect(grants()).toEqual(["password", "refresh_token"]);
  });
});
