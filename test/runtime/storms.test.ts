/**
 * Issue 11, "No hangs, no storms": paging cannot loop, the token request honours the caller's signal and timeout
 * and refuses unusable answers, request spacing holds while the first token is fetched, Retry-After is parsed
 * strictly, one 409 holds back the client's other requests, and huge timeouts work.
 */
import { describe, expect, it } from "vitest";
import { NexudusAbortError, NexudusApiError, NexudusAuthError, NexudusRateLimitError, NexudusTimeoutError, Transport, pages, list, get, passwordGrant, hooks, maxRequestsPerSecond } from "../../templates/runtime/index.js";
import { parseRetryAfter } from "../../templates/runtime/timing.js";
import { client, fast, json, passes, startRawServer, startServer, thrown, TOKEN, USER, useServer } from "./helpers.js";

const server = useServer(30);

/** A listing envelope for page `page` of `pages` pages. */
const envelope = (page: number, pages: number, ids: number[], extra: object = {}) => ({
  Records: ids.map((Id) => ({ Id })),
  CurrentPage: page,
  CurrentPageSize: ids.length,
  TotalItems: pages * ids.length,
  TotalPages: pages,
  HasNextPage: page < pages,
  HasPreviousPage: page > 1,
  ...extra,
});

/** Runs `pages()` to the end (or its error), counting the pages; stops the test at 20 so a loop cannot hang it. */
const walk = async (t: Transport): Promise<{ pages: number; error?: unknown }> => {
  let count = 0;
  try {
    for await (const _page of pages(t, passes, { size: 2 })) if (++count >= 20) break;
  } catch (error) {
    return { pages: count, error };
  }
  return { pages: count };
};

describe("paging cannot loop", () => {
  it("a server that ignores page (answers page 1 every time) is an API error after the first page", async () => {
    const raw = await startRawServer((_req, res) => json(res, 200, envelope(1, 5, [1, 2])));
    try {
      const { pages, error } = await walk(client(raw.url));
      expect(pages).toBe(1);
      expect(error).toBeInstanceOf(NexudusApiError);
      expect((error as Error).message).toMatch(/page 2 repeats page 1/);
    } finally {
      await raw.close();
    }
  });

  it("a server that repeats a page under the right number is an API error", async () => {
    const raw = await startRawServer((req, res) => {
      const page = Number(new URL(req.url, "http://x").searchParams.get("page"));
      json(res, 200, envelope(page, 5, [1, 2]));
    });
    try {
      const { pages, error } = await walk(client(raw.url));
      expect(pages).toBe(1);
      expect((error as Error).message).toMatch(/page 2 repeats page 1/);
    } finally {
      await raw.close();
    }
  });

  it("HasNextPage past TotalPages stops at TotalPages", async () => {
    const raw = await startRawServer((req, res) => {
      const page = Number(new URL(req.url, "http://x").searchParams.get("page"));
      json(res, 200, envelope(page, 3, [page * 10, page * 10 + 1], { HasNextPage: true }));
    });
    try {
      expect(await walk(client(raw.url))).toEqual({ pages: 3 });
      expect(raw.requests).toHaveLength(3);
    } finally {
      await raw.close();
    }
  });

  it("Records: null (or missing) is an API error, not a TypeError", async () => {
    const answers = [{ ...envelope(1, 1, []), Records: null }, { CurrentPage: 1 }];
    const raw = await startRawServer((_req, res, index) => json(res, 200, answers[index]));
    try {
      for (const _answer of answers) {
        const error = await thrown(() => list(client(raw.url), passes));
        expect(error).toBeInstanceOf(NexudusApiError);
        expect((error as Error).message).toMatch(/the answer is not a page/);
      }
    } finally {
      await raw.close();
    }
  });
});

describe("the token request", () => {
  /** A server whose token endpoint answers only after `ms` (each test has its own, so none leaks into the next). */
  const slowTokens = (ms: number) =>
    startRawServer((req, res) => {
      if (req.url === "/api/token") setTimeout(() => json(res, 200, { access_token: "late-token", expires_in: 3600 }), ms);
      else json(res, 200, { Id: 1 });
    });

  it("honours the caller's AbortSignal: the call rejects at once and no API request is sent", async () => {
    const raw = await slowTokens(300);
    try {
      const t = new Transport({ baseUrl: raw.url, auth: passwordGrant(USER), ...fast });
      const error = await thrown(() => get(t, passes, 1, { signal: AbortSignal.timeout(50) }));
      expect(error).toBeInstanceOf(NexudusAbortError);
      // Once the token has come, the aborted call still sends nothing.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(raw.requests.filter((r) => r.url !== "/api/token")).toHaveLength(0);
    } finally {
      await raw.close();
    }
  });

  it("honours the caller's timeoutMs", async () => {
    const raw = await slowTokens(2000);
    try {
      const t = new Transport({ baseUrl: raw.url, auth: passwordGrant(USER), ...fast });
      const error = await thrown(() => get(t, passes, 1, { timeoutMs: 50 }));
      expect(error).toBeInstanceOf(NexudusTimeoutError);
      expect((error as Error).message).toMatch(/POST \/api\/token/);
    } finally {
      await raw.close();
    }
  });

  it("an answer without a usable access_token is an authentication error, never 'Bearer undefined'", async () => {
    const answers = [{}, { access_token: null }, { access_token: "" }, { access_token: "two words" }, { access_token: 42 }];
    const raw = await startRawServer((_req, res, index) => json(res, 200, answers[index]));
    try {
      for (const _answer of answers) {
        const error = await thrown(() => get(new Transport({ baseUrl: raw.url, auth: passwordGrant(USER), ...fast }), passes, 1));
        expect(error).toBeInstanceOf(NexudusAuthError);
        expect((error as Error).message).toMatch(/no usable access_token/);
      }
      expect(raw.requests.every((r) => r.url === "/api/token")).toBe(true);
    } finally {
      await raw.close();
    }
  });

  it("a throttled token endpoint is a rate-limit error with its wait", async () => {
    server.inject({ type: "status", status: 409, retryAfter: 0, path: "/api/token", times: 3 });
    const error = await thrown(() => get(new Transport({ baseUrl: server.url, auth: passwordGrant(USER), ...fast }), passes, 1));
    expect(error).toBeInstanceOf(NexudusRateLimitError);
    expect(error).toMatchObject({ status: 409, retryAfterMs: 0, path: "/api/token" });
  });
});

it("the pace holds while the first token is fetched: a 1-per-interval server sees no 409", async () => {
  // Slots taken before the token came would all be due at once when it comes: a burst the server answers with 409.
  const throttled = await startServer(5, { users: [USER], rateLimit: { intervalMs: 60, retryAfterSeconds: 1 } });
  try {
    const t = new Transport({ baseUrl: throttled.url, auth: passwordGrant(USER), pace: maxRequestsPerSecond(5), maxRetries: 0 });
    await Promise.all([1, 2, 3, 4, 5].map((id) => get(t, passes, id)));
    expect(throttled.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  } finally {
    await throttled.close();
  }
});

describe("Retry-After", () => {
  it("accepts delta-seconds and HTTP dates only", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(" 0 ")).toBe(0);
    const date = parseRetryAfter(new Date(Date.now() + 5000).toUTCString());
    expect(date).toBeGreaterThan(3000);
    for (const garbage of ["1.5", "-1", "1e3", "soon", "1, 2", "Infinity", "0x10", "2025-01-01T00:00:00Z", ""])
      expect(parseRetryAfter(garbage), garbage).toBeUndefined();
  });

  it("garbage and duplicated headers fall back to the backoff (no hour-long or NaN wait)", async () => {
    for (const value of ["later", "5, 3600", "1e9"]) {
      const raw = await startRawServer((_req, res, index) =>
        index === 0 ? json(res, 409, { Message: "wait" }, { "Retry-After": value }) : json(res, 200, { Id: 1 }),
      );
      try {
        expect(await get(client(raw.url), passes, 1)).toEqual({ Id: 1 });
        expect(raw.requests).toHaveLength(2);
      } finally {
        await raw.close();
      }
    }
  });

  it("one 409 holds back the client's other requests until the wait is over: 40 calls are 41 requests, not 120", async () => {
    let throttledUntil = 0;
    const raw = await startRawServer((_req, res) => {
      // Throttles every request for one second after the first one.
      if (!throttledUntil) throttledUntil = Date.now() + 1000;
      if (Date.now() < throttledUntil) json(res, 409, { Message: "You must wait" }, { "Retry-After": "1" });
      else json(res, 200, { Id: 1 });
    });
    try {
      const calls: Promise<unknown>[] = [];
      const t = client(raw.url, {
        retry: { maxDelayMs: 5000 },
        // The other 39 calls start once the client knows it is throttled.
        log: hooks({
          onResponse: (event) => {
            if (event.status === 409 && !calls.length) for (let i = 0; i < 39; i++) calls.push(get(t, passes, 1));
          },
        }),
      });
      await get(t, passes, 1);
      await Promise.all(calls);
      expect(calls).toHaveLength(39);
      expect(raw.requests).toHaveLength(41);
    } finally {
      await raw.close();
    }
  });
});

it("timeoutMs: Infinity or beyond the timer range works (no 1 ms timeout from timer overflow)", async () => {
  server.inject({ type: "delay", ms: 50 }, { type: "delay", ms: 50 });
  const t = new Transport({ baseUrl: server.url, token: TOKEN, timeoutMs: Infinity });
  expect(await get(t, passes, 1)).toMatchObject({ Id: 1 });
  expect(await get(t, passes, 2, { timeoutMs: 2 ** 40 })).toMatchObject({ Id: 2 });
  expect(await thrown(() => get(t, passes, 2, { timeoutMs: 0 }))).toMatchObject({ name: "NexudusUsageError" });
});
