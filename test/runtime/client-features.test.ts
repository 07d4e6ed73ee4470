/**
 * Issue 12, "Client": raw responses, per-request options and default headers, error subclasses by status, logging,
 * hooks with headers, and list() pages that iterate across pages.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ListPage, NexudusApiError, NexudusAuthError, NexudusBadRequestError, NexudusForbiddenError, NexudusNotFoundError, NexudusPromise, NexudusRateLimitError, NexudusServerError, NexudusUnauthorizedError, NexudusUsageError, Transport, type Logger, type ResponseEvent, type RetryEvent, NexudusError, get, list, getMany, create, update, patch, remove, commands, runCommand, logging, passwordGrant, request, hooks } from "../../templates/runtime/index.js";
import { client, json, passes, startRawServer, thrown, TOKEN, USER, useServer } from "./helpers.js";

const server = useServer(12);

describe("raw responses without a second request", () => {
  it("withResponse() gives the parsed value and the Response; asResponse() the Response; one request each", async () => {
    const t = client(server.url);
    const call = get<{ Id: number }>(t, passes, 3);
    expect(call).toBeInstanceOf(NexudusPromise);
    expect(call).toBeInstanceOf(Promise);
    const { data, response } = await call.withResponse();
    expect(data.Id).toBe(3);
    expect(await call).toBe(data); // the same answer, not a new request
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(await response.json()).toMatchObject({ Id: 3 });
    const raw = await list(t, passes, { size: 2 }).asResponse();
    expect(((await raw.json()) as { Records: unknown[] }).Records).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it("then, catch and finally give plain promises; an unused call's failure is no unhandled rejection", async () => {
    const t = client(server.url);
    let settled = 0;
    const done = get<{ Id: number }>(t, passes, 3).finally(() => settled++);
    expect(done).not.toBeInstanceOf(NexudusPromise);
    expect(await done).toMatchObject({ Id: 3 });
    const caught = get(t, passes, 999).catch((error: unknown) => error);
    expect(caught).not.toBeInstanceOf(NexudusPromise);
    expect(await caught).toBeInstanceOf(NexudusNotFoundError);
    await expect(get(t, passes, 999).finally(() => settled++)).rejects.toBeInstanceOf(NexudusNotFoundError);
    expect(settled).toBe(2);
    // Only withResponse() is used: the value's promise is never made, so its failure cannot go unhandled.
    await expect(get(t, passes, 999).withResponse()).rejects.toBeInstanceOf(NexudusNotFoundError);
  });

  it("every method has them: list, getMany, create, update, patch, delete, commands, runCommand, request", async () => {
    const t = client(server.url);
    const full = await get<Record<string, unknown>>(t, passes, 4);
    const calls: NexudusPromise<unknown>[] = [
      list(t, passes),
      getMany(t, passes, [1, 2]),
      create(t, passes, { CoworkerId: 101, BusinessId: 1, TimePassId: 7 }),
      update(t, passes, { ...full, Notes: "u" }),
      patch(t, passes, 4, { Notes: "p" }),
      remove(t, passes, 5),
      commands(t, passes),
      runCommand(t, passes, "MARK_USED", [1]),
      request(t, "GET", `${passes.path}/1`),
    ];
    for (const call of calls) {
      const { data, response } = await call.withResponse();
      expect(data).toBeDefined();
      expect(response.status).toBe(200);
    }
  });

  it("an error status still rejects, with status, headers and the scrubbed raw body", async () => {
    server.inject({ type: "status", status: 400, body: { Message: `bad ${TOKEN}` } });
    const error = await thrown(() => get(client(server.url), passes, 1).asResponse());
    expect(error).toBeInstanceOf(NexudusBadRequestError);
    const apiError = error as NexudusApiError;
    expect(apiError.headers["content-type"]).toMatch(/application\/json/);
    expect(JSON.parse(apiError.body)).toEqual({ Message: "bad [redacted]" });
  });
});

describe("error subclasses by status, under NexudusApiError", () => {
  it("400, 401, 403, 404, 409/429, 5xx each have their class", async () => {
    const cases = [
      [400, NexudusBadRequestError],
      [401, NexudusUnauthorizedError],
      [403, NexudusForbiddenError],
      [404, NexudusNotFoundError],
      [409, NexudusRateLimitError],
      [429, NexudusRateLimitError],
      [500, NexudusServerError],
      [503, NexudusServerError],
      [418, NexudusApiError],
    ] as const;
    const raw = await startRawServer((req, res) => {
      const status = Number(req.url.split("/").pop());
      json(res, status, { Message: `status ${status}` }, { "X-Trace": String(status), "Retry-After": "0" });
    });
    try {
      const t = new Transport({ baseUrl: raw.url, token: TOKEN, maxRetries: 0 });
      for (const [status, ErrorClass] of cases) {
        const error = await thrown(() => request(t, "GET", `/api/status/${status}`));
        expect(error, String(status)).toBeInstanceOf(ErrorClass);
        expect(error).toBeInstanceOf(NexudusApiError);
        expect(error).toMatchObject({ status, headers: { "x-trace": String(status) }, body: JSON.stringify({ Message: `status ${status}` }) });
      }
      expect(NexudusUnauthorizedError.prototype).toBeInstanceOf(NexudusAuthError);
      expect(NexudusForbiddenError.prototype).toBeInstanceOf(NexudusAuthError);
    } finally {
      await raw.close();
    }
  });
});

describe("per-request options and default headers", () => {
  it("defaultHeaders go with every request; per-call headers override them, null removes one", async () => {
    const t = client(server.url, { defaultHeaders: { "X-Team": "ops", "X-Trace": "default" } });
    await get(t, passes, 1);
    await get(t, passes, 1, { headers: { "X-Trace": "call-1" } });
    await get(t, passes, 1, { headers: { "X-Team": null, "X-Other": undefined } });
    expect(server.requests.map((r) => [r.headers["x-team"], r.headers["x-trace"]])).toEqual([
      ["ops", "default"],
      ["ops", "call-1"],
      [undefined, "default"],
    ]);
  });

  it("Authorization cannot be set by headers", async () => {
    for (const options of [{ defaultHeaders: { authorization: "Bearer other" } }, {}]) {
      const t = client(server.url, options);
      const error = await thrown(() => get(t, passes, 1, { headers: { Authorization: "Bearer other" } }));
      expect(error).toBeInstanceOf(NexudusUsageError);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("timeoutMs, maxRetries and signal per call; fetchOptions reach fetch, but never its method, body or redirect", async () => {
    const seen: RequestInit[] = [];
    const t = client(server.url, {
      fetch: (url, init) => {
        seen.push(init);
        return fetch(url, init);
      },
    });
    await get(t, passes, 1, { fetchOptions: { cache: "no-store", keepalive: true, ...({ redirect: "follow", method: "DELETE" } as object) } });
    expect(seen[0]).toMatchObject({ cache: "no-store", keepalive: true, method: "GET", redirect: "manual" });
    server.inject({ type: "delay", ms: 500 });
    expect(await thrown(() => get(t, passes, 1, { timeoutMs: 50 }))).toMatchObject({ name: "NexudusTimeoutError" });
    server.inject({ type: "status", status: 503, times: 3 });
    expect(await thrown(() => get(t, passes, 1, { maxRetries: 1 }))).toBeInstanceOf(NexudusServerError);
    expect(server.requestsTo(`${passes.path}/1`).filter((r) => r.status === 503)).toHaveLength(2);
    server.clearFaults();
  });
});

describe("logging", () => {
  const lines: [string, string, Record<string, unknown> | undefined][] = [];
  const logger: Logger = {
    debug: (m, f) => lines.push(["debug", m, f]),
    info: (m, f) => lines.push(["info", m, f]),
    warn: (m, f) => lines.push(["warn", m, f]),
    error: (m, f) => lines.push(["error", m, f]),
  };
  afterEach(() => {
    lines.length = 0;
    vi.unstubAllEnvs();
  });

  it("logging at level debug logs requests with redacted headers, answers, retries and failures; no credential anywhere", async () => {
    const t = new Transport({ baseUrl: server.url, auth: passwordGrant(USER), retry: { baseDelayMs: 1 }, log: logging({ level: "debug", logger }) });
    server.inject({ type: "status", status: 503, path: passes.path });
    await get(t, passes, 1);
    await thrown(() => get(t, passes, 999));
    const levels = new Set(lines.map(([level]) => level));
    expect([...levels].sort()).toEqual(["debug", "error", "info", "warn"]);
    expect(lines.find(([level, m]) => level === "warn" && /retrying GET .* after HTTP 503/.test(m))).toBeDefined();
    expect(lines.find(([level, m]) => level === "error" && /HTTP 404/.test(m))).toBeDefined();
    const dump = JSON.stringify(lines);
    expect(dump).toContain('"authorization":"[redacted]"');
    expect(dump).not.toContain(USER.password);
    const issued = server.requestsTo("/api/token").map((r) => (JSON.parse(r.response) as { access_token: string }).access_token);
    for (const token of issued) expect(dump).not.toContain(token);
  });

  it("the level filters; NEXUDUS_LOG sets it when the option does not; the default is off", async () => {
    await get(client(server.url, { log: logging({ level: "warn", logger }) }), passes, 1);
    expect(lines).toHaveLength(0);
    await thrown(() => get(client(server.url, { log: logging({ level: "warn", logger }) }), passes, 999));
    expect(lines.map(([level]) => level)).toEqual(["error"]);
    lines.length = 0;
    vi.stubEnv("NEXUDUS_LOG", "info");
    await get(client(server.url, { log: logging({ logger }) }), passes, 1);
    expect(lines.map(([level]) => level)).toEqual(["info"]);
    vi.stubEnv("NEXUDUS_LOG", "");
    await get(client(server.url, { log: logging({ logger }) }), passes, 1);
    expect(lines).toHaveLength(1);
  });
});

it("onRetry sees each re-send with its status and wait, onError each failed call; a throwing hook breaks nothing", async () => {
  const retries: RetryEvent[] = [];
  const errors: NexudusError[] = [];
  const t = client(server.url, {
    log: hooks({
      onRetry: (event) => {
        retries.push(event);
        throw new Error("a broken hook");
      },
      onError: (error) => {
        errors.push(error);
        throw new Error("a broken hook");
      },
    }),
  });
  server.inject({ type: "status", status: 503, path: passes.path });
  expect(await get<{ Id: number }>(t, passes, 1)).toMatchObject({ Id: 1 });
  expect(retries).toEqual([{ method: "GET", path: `${passes.path}/1`, status: 503, waitMs: expect.any(Number) }]);
  expect(errors).toEqual([]);
  const error = await thrown(() => get(t, passes, 999));
  expect(error).toBeInstanceOf(NexudusNotFoundError);
  expect(errors).toEqual([error]);
});

it("hooks() calls every set it is given, in order; logging() calls the hooks among its options too", async () => {
  const seen: string[] = [];
  const t = client(server.url, {
    log: hooks({ onRequest: (e) => seen.push(`first ${e.attempt}`) }, { onRequest: (e) => seen.push(`second ${e.attempt}`) }),
  });
  await get(t, passes, 1);
  expect(seen).toEqual(["first 0", "second 0"]);
  const statuses: number[] = [];
  const logged = client(server.url, { log: logging({ level: "off", onResponse: (e) => statuses.push(e.status) }) });
  await get(logged, passes, 1);
  expect(statuses).toEqual([200]);
});

it("onResponse sees the response headers, cookies redacted", async () => {
  const raw = await startRawServer((_req, res) => json(res, 200, { Id: 1 }, { "Set-Cookie": "session=abc", "X-Request-Id": "r-9" }));
  try {
    const events: ResponseEvent[] = [];
    await get(new Transport({ baseUrl: raw.url, token: TOKEN, log: hooks({ onResponse: (e) => events.push(e) }) }), passes, 1);
    expect(events[0]!.responseHeaders).toMatchObject({ "set-cookie": "[redacted]", "x-request-id": "r-9" });
    expect(events[0]!.headers).toMatchObject({ authorization: "[redacted]" });
  } finally {
    await raw.close();
  }
});

describe("list() pages", () => {
  it("for await runs over the records of every page from this one; hasNextPage()/getNextPage() step through", async () => {
    const t = client(server.url);
    const page = await list<{ Id: number }>(t, passes, { size: 5 });
    expect(page).toBeInstanceOf(ListPage);
    expect(page.hasNextPage()).toBe(true);
    const ids: number[] = [];
    for await (const record of page) ids.push(record.Id);
    expect(ids).toEqual(server.records(passes.path).map((r) => r.Id));
    const second = await page.getNextPage();
    expect(second.CurrentPage).toBe(2);
    const third = await second.getNextPage();
    expect(third.hasNextPage()).toBe(false);
    expect(await thrown(() => third.getNextPage())).toBeInstanceOf(NexudusUsageError);
    expect(JSON.parse(JSON.stringify(page))).toMatchObject({ CurrentPage: 1, TotalPages: 3, HasNextPage: true });
  });

  it("a hostile envelope cannot replace the page's methods or prototype", async () => {
    const raw = await startRawServer((_req, res) =>
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"Records":[{"Id":1}],"CurrentPage":1,"TotalPages":1,"HasNextPage":false,"hasNextPage":true,"__proto__":{"x":1}}'),
    );
    try {
      const page = await list(client(raw.url), passes);
      expect(page).toBeInstanceOf(ListPage);
      expect(page.hasNextPage()).toBe(false);
    } finally {
      await raw.close();
    }
  });
});
