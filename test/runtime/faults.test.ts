/**
 * Fault scenarios against the Nexudus-like server. Every `it("fault: …")` is one scenario (counted in the report).
 */
import { describe, expect, it } from "vitest";
import { NexudusAbortError, NexudusApiError, NexudusNetworkError, NexudusRateLimitError, NexudusTimeoutError, Transport, get, create, list, runCommand, update, remove, maxRequestsPerSecond } from "../../templates/runtime/index.js";
import { startNexudusTestServer } from "../../templates/testing/server.js";
import { client, pass, passes, startServer, thrown, timePasses, TOKEN, useServer } from "./helpers.js";

const server = useServer(10);

const input = { CoworkerId: 101, BusinessId: 1, TimePassId: 7, Notes: "new" };
const posts = () => server.requestsTo(passes.path, "POST");
const count = () => server.records(passes.path).length;
const elapsed = async (fn: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

describe("throttling: 409 / 429 with Retry-After", () => {
  it("fault: 409 on a GET waits and retries", async () => {
    server.inject({ type: "status", status: 409, retryAfter: 0, path: passes.path });
    const record = await get<{ Id: number }>(client(server.url), passes, 1);
    expect(record.Id).toBe(1);
    expect(server.requests.map((r) => r.status)).toEqual([409, 200]);
  });

  it("fault: 409 on a POST is retried (the throttle means it did not happen) and creates once", async () => {
    const before = count();
    server.inject({ type: "status", status: 409, retryAfter: 0, method: "POST", times: 2 });
    const result = await create(client(server.url), passes, input);
    expect(result.WasSuccessful).toBe(true);
    expect(posts().map((r) => r.status)).toEqual([409, 409, 200]);
    expect(count()).toBe(before + 1);
  });

  it("fault: 429 is treated like 409, for GET and for a run-command POST", async () => {
    server.inject(
      { type: "status", status: 429, retryAfter: 0, method: "GET" },
      { type: "status", status: 429, retryAfter: 0, method: "POST" },
    );
    await list(client(server.url), passes, { size: 1 });
    await runCommand(client(server.url), passes, "MARK_USED", [1]);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200, 429, 200]);
    expect(server.commandRuns.filter((r) => r.Key === "MARK_USED")).toHaveLength(1);
  });

  it("fault: Retry-After: 1 is honoured as a full second when the cap allows it", async () => {
    server.inject({ type: "status", status: 409, retryAfter: 1 });
    const ms = await elapsed(() =>
      get(client(server.url, { retry: { maxDelayMs: 5000 } }), passes, 2),
    );
    expect(ms).toBeGreaterThanOrEqual(950);
  });

  it("fault: Retry-After as an HTTP date", async () => {
    const at = new Date(Date.now() + 2000).toUTCString();
    server.inject({ type: "status", status: 409, retryAfter: at });
    const ms = await elapsed(() =>
      get(client(server.url, { retry: { maxDelayMs: 5000 } }), passes, 2),
    );
    // The date has a one-second resolution: the wait is between 1 and 2 seconds.
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(server.requests.map((r) => r.status)).toEqual([409, 200]);
  });

  it("fault: a Retry-After longer than maxDelayMs fails at once with the wait, without re-sending early", async () => {
    server.inject({ type: "status", status: 409, retryAfter: 3600 });
    const error = await thrown(() => get(client(server.url, { retry: { maxDelayMs: 30 } }), passes, 2));
    expect(error).toBeInstanceOf(NexudusRateLimitError);
    expect(error).toMatchObject({ status: 409, retryAfterMs: 3_600_000 });
    expect((error as Error).message).toMatch(/Retry-After 3600 s > retry\.maxDelayMs/);
    expect(server.requests).toHaveLength(1);
  });

  it("fault: still throttled after maxRetries is a NexudusRateLimitError with the wait asked for", async () => {
    server.inject({ type: "status", status: 409, retryAfter: 0, times: 5 });
    const error = await thrown(() => list(client(server.url), passes));
    expect(error).toBeInstanceOf(NexudusRateLimitError);
    expect(error).toMatchObject({
      status: 409,
      retryAfterMs: 0,
      method: "GET",
    });
    expect((error as Error).message).toMatch(/You must wait before accessing this url again/);
    expect(server.requests).toHaveLength(3); // first try + maxRetries (2)
    server.clearFaults();
  });

  it("fault: maxRetries is an option, per client and per call", async () => {
    server.inject({ type: "status", status: 503, times: 10 });
    expect(await thrown(() => get(client(server.url, { maxRetries: 0 }), passes, 1))).toBeInstanceOf(
      NexudusApiError,
    );
    expect(server.requests).toHaveLength(1);
    expect(await thrown(() => get(client(server.url), passes, 1, { maxRetries: 4 }))).toBeInstanceOf(
      NexudusApiError,
    );
    expect(server.requests).toHaveLength(6);
  });

  it("fault: the server's own throttle (1 request per interval) is absorbed by retries", async () => {
    const throttled = await startServer(5, { rateLimit: { intervalMs: 40, retryAfterSeconds: 1 } });
    try {
      // One 409 holds every request back for the second asked, then releases them with jitter.
      const t = client(throttled.url, { maxRetries: 25, retry: { maxDelayMs: 1000 } });
      const records = await Promise.all(
        [1, 2, 3, 4].map((id) => get<{ Id: number }>(t, passes, id)),
      );
      expect(records.map((r) => r.Id)).toEqual([1, 2, 3, 4]);
      expect(throttled.requests.some((r) => r.status === 409)).toBe(true);
    } finally {
      await throttled.close();
    }
  });
});

describe("server errors and network failures", () => {
  it("fault: 502, 503 and 504 on GET are retried with backoff", async () => {
    server.inject(
      { type: "status", status: 502, method: "GET" },
      { type: "status", status: 503, method: "GET" },
      { type: "status", status: 504, method: "GET" },
    );
    const record = await get<{ Id: number }>(client(server.url, { maxRetries: 3 }), passes, 3);
    expect(record.Id).toBe(3);
    expect(server.requests.map((r) => r.status)).toEqual([502, 503, 504, 200]);
  });

  it("fault: 503 on DELETE and on PUT is retried", async () => {
    const t = client(server.url);
    const { Value } = await create(t, passes, input);
    const full = await get<Record<string, unknown>>(t, passes, Value!.Id);
    server.inject(
      { type: "status", status: 503, method: "PUT" },
      { type: "status", status: 504, method: "DELETE" },
    );
    await update(t, passes, { ...full, Notes: "changed" });
    expect(server.record(passes.path, Value!.Id)!.Notes).toBe("changed");
    await remove(t, passes, Value!.Id);
    expect(server.record(passes.path, Value!.Id)).toBeUndefined();
    expect(
      server.requests.filter((r) => r.method !== "GET" && r.method !== "POST").map((r) => r.status),
    ).toEqual([503, 200, 504, 200]);
  });

  it("fault: 503 on a POST is not retried: the create is sent once", async () => {
    const before = count();
    server.inject({ type: "status", status: 503, method: "POST" });
    const error = await thrown(() => create(client(server.url), passes, input));
    expect(error).toBeInstanceOf(NexudusApiError);
    expect(error).toMatchObject({ status: 503, method: "POST", path: passes.path });
    expect((error as Error).message).toMatch(/503 Service unavailable/);
    expect(posts()).toHaveLength(1);
    expect(count()).toBe(before);
  });

  it("fault: 500 is not retried, even on GET", async () => {
    server.inject({ type: "status", status: 500 });
    const error = await thrown(() => get(client(server.url), passes, 1));
    expect(error).toBeInstanceOf(NexudusApiError);
    expect((error as NexudusApiError).status).toBe(500);
    expect(server.requests).toHaveLength(1);
  });

  it("fault: a reset connection on GET is retried", async () => {
    server.inject({ type: "reset", method: "GET" });
    const record = await get<{ Id: number }>(client(server.url), passes, 4);
    expect(record.Id).toBe(4);
    expect(server.requests.map((r) => r.status)).toEqual([0, 200]);
  });

  it("fault: a reset connection on PUT is retried (PUT is idempotent)", async () => {
    const t = client(server.url);
    const full = await get<Record<string, unknown>>(t, passes, 5);
    server.inject({ type: "reset", method: "PUT", afterProcessing: true });
    await update(t, passes, { ...full, Notes: "after reset" });
    expect(server.requestsTo(passes.path, "PUT").map((r) => r.status)).toEqual([0, 200]);
    expect(server.record(passes.path, 5)!.Notes).toBe("after reset");
  });

  it("fault: a reset connection on POST is not retried: NexudusNetworkError, one POST", async () => {
    const before = count();
    server.inject({ type: "reset", method: "POST" });
    const error = await thrown(() => create(client(server.url), passes, input));
    expect(error).toBeInstanceOf(NexudusNetworkError);
    expect(posts()).toHaveLength(1);
    expect(count()).toBe(before);
  });

  it("fault: a POST that took effect before the reset is not duplicated", async () => {
    const before = count();
    server.inject({ type: "reset", method: "POST", afterProcessing: true });
    const error = await thrown(() => create(client(server.url, { maxRetries: 5 }), passes, input));
    expect(error).toBeInstanceOf(NexudusNetworkError);
    expect(posts()).toHaveLength(1);
    expect(count()).toBe(before + 1);
  });

  it("fault: a run-command POST is not retried after a reset", async () => {
    const runs = server.commandRuns.length;
    server.inject({ type: "reset", method: "POST", afterProcessing: true });
    expect(
      await thrown(() => runCommand(client(server.url), passes, "MARK_USED", [1])),
    ).toBeInstanceOf(NexudusNetworkError);
    expect(server.commandRuns.length).toBe(runs + 1);
    expect(server.requestsTo(`${passes.path}/runcommand`)).toHaveLength(1);
  });

  it("fault: resets on every attempt end in NexudusNetworkError after maxRetries", async () => {
    server.inject({ type: "reset", times: 3 });
    const error = await thrown(() => get(client(server.url), passes, 1));
    expect(error).toBeInstanceOf(NexudusNetworkError);
    expect((error as NexudusNetworkError).cause).toBeDefined();
    expect(server.requests).toHaveLength(3);
  });

  it("fault: connection refused is a NexudusNetworkError", async () => {
    const gone = await startNexudusTestServer();
    const url = gone.url;
    await gone.close();
    const error = await thrown(() => get(client(url, { maxRetries: 1 }), passes, 1));
    expect(error).toBeInstanceOf(NexudusNetworkError);
    expect(error).toMatchObject({ method: "GET", path: `${passes.path}/1` });
  });
});

describe("timeouts and aborts", () => {
  it("fault: a slow answer beyond timeoutMs is a NexudusTimeoutError, not retried", async () => {
    server.inject({ type: "delay", ms: 2000, method: "GET" });
    const started = performance.now();
    const error = await thrown(() => get(client(server.url, { timeoutMs: 100 }), passes, 1));
    expect(error).toBeInstanceOf(NexudusTimeoutError);
    expect((error as Error).message).toMatch(/100 ms/);
    expect(performance.now() - started).toBeLessThan(1900);
    expect(server.requests).toHaveLength(1);
  });

  it("fault: a slow POST times out and is not sent again, though it took effect", async () => {
    const before = count();
    server.inject({ type: "delay", ms: 150, method: "POST" });
    const error = await thrown(() => create(client(server.url), passes, input, { timeoutMs: 30 }));
    expect(error).toBeInstanceOf(NexudusTimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posts()).toHaveLength(1);
    expect(count()).toBe(before + 1);
  });

  it("fault: a slow answer within the timeout succeeds", async () => {
    server.inject({ type: "delay", ms: 50 });
    expect(await get(client(server.url, { timeoutMs: 2000 }), passes, 1)).toMatchObject({ Id: 1 });
  });

  it("fault: aborting during the wait before a retry stops retries", async () => {
    server.inject({ type: "status", status: 503, retryAfter: 5, times: 3 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await thrown(() =>
      get(client(server.url, { retry: { maxDelayMs: 10_000 } }), passes, 1, {
        signal: controller.signal,
      }),
    );
    expect(error).toBeInstanceOf(NexudusAbortError);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(server.requests).toHaveLength(1);
    server.clearFaults();
  });

  it("fault: aborting a slow request rejects with a NexudusAbortError carrying the reason, without retry", async () => {
    server.inject({ type: "delay", ms: 1000 });
    const controller = new AbortController();
    const reason = new Error("user went away");
    setTimeout(() => controller.abort(reason), 50);
    const error = await thrown(() => get(client(server.url), passes, 1, { signal: controller.signal }));
    expect(error).toBeInstanceOf(NexudusAbortError);
    expect((error as Error).cause).toBe(reason);
    expect(server.requests).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const error = await thrown(() =>
      list(client(server.url), passes, {}, { signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(NexudusAbortError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("error answers", () => {
  it("fault: malformed JSON is a NexudusApiError", async () => {
    server.inject({ type: "malformed-json" });
    const error = await thrown(() => list(client(server.url), passes));
    expect(error).toBeInstanceOf(NexudusApiError);
    expect((error as Error).message).toMatch(/the body is not JSON/);
  });

  it("fault: HTTP 200 with WasSuccessful: false is a NexudusApiError", async () => {
    const before = count();
    server.inject({
      type: "unsuccessful",
      message: "The time pass could not be assigned.",
      method: "POST",
    });
    const error = await thrown(() => create(client(server.url), passes, input));
    expect(error).toBeInstanceOf(NexudusApiError);
    expect(error).toMatchObject({ status: 200, method: "POST" });
    expect((error as Error).message).toMatch(
      /WasSuccessful: false.*The time pass could not be assigned\./,
    );
    expect(count()).toBe(before);
    expect(posts()).toHaveLength(1);
  });

  it("a 400 validation answer surfaces its field errors", async () => {
    const error = await thrown(() => create(client(server.url), timePasses, { Price: 5 }));
    expect(error).toBeInstanceOf(NexudusApiError);
    const apiError = error as NexudusApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.message).toMatch(/Name: is a required field/);
    expect(apiError.errors).toEqual([
      { AttemptedValue: null, Message: "is a required field", PropertyName: "Name" },
    ]);
    expect(server.requests).toHaveLength(1);
  });

  it("a failed delete (HTTP 500, WasSuccessful: false) is a NexudusApiError with its message", async () => {
    const error = await thrown(() => remove(client(server.url), passes, 999_999));
    expect(error).toMatchObject({ status: 500, method: "DELETE", path: `${passes.path}/999999` });
    expect((error as Error).message).toMatch(/could not be deleted/);
  });

  it("a missing record is a NexudusApiError 404", async () => {
    expect(await thrown(() => get(client(server.url), passes, 424242))).toMatchObject({
      status: 404,
    });
  });
});

describe("pace: maxRequestsPerSecond()", () => {
  it("spaces requests client-side, in call order", async () => {
    const t = client(server.url, { pace: maxRequestsPerSecond(20) });
    await Promise.all([1, 2, 3, 4, 5, 6].map((id) => get(t, passes, id)));
    const times = server.requests.map((r) => r.at);
    expect(server.requests.map((r) => r.path)).toEqual(
      [1, 2, 3, 4, 5, 6].map((id) => `${passes.path}/${id}`),
    );
    // 6 requests at 20/s: the last starts at least ~250 ms after the first.
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(200);
  });

  it("fault: queueing client-side keeps a throttling server happy", async () => {
    const throttled = await startServer(5, { rateLimit: { intervalMs: 40, retryAfterSeconds: 0 } });
    try {
      const t = new Transport({
        baseUrl: throttled.url,
        token: TOKEN,
        pace: maxRequestsPerSecond(5),
        maxRetries: 0,
      });
      await Promise.all([1, 2, 3, 4].map((id) => get(t, passes, id)));
      expect(throttled.requests.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    } finally {
      await throttled.close();
    }
  });

  it("one value is one budget: two transports given the same pace share it", async () => {
    const pace = maxRequestsPerSecond(20);
    const [a, b] = [client(server.url, { pace }), client(server.url, { pace })];
    await Promise.all([1, 2, 3, 4].map((id) => get(id % 2 ? a : b, passes, id)));
    const times = server.requests.map((r) => r.at);
    // 4 requests at 20/s across both: the last starts at least ~150 ms after the first.
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(120);
  });
});

it("test records helper stays in sync with the server (sanity)", () => {
  expect(server.record(passes.path, 1)).toMatchObject({ ...pass(1), Used: expect.any(Boolean) });
});
