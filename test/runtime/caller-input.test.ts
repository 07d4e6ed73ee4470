/**
 * Issue 11, "Bad input from the caller": a clear `NexudusUsageError` before any request for bad ids and query values;
 * an empty answer where a record is expected is an API error; getMany keeps the order asked; every failure a caller
 * can see is a `NexudusError`.
 */
import { describe, expect, it } from "vitest";
import { formatQuery, NexudusApiError, NexudusError, NexudusUsageError, Transport, get, remove, patch, getMany, runCommand, commands, list, create, tokenProvider, request } from "../../templates/runtime/index.js";
import { client, json, passes, startRawServer, thrown, TOKEN, useServer } from "./helpers.js";

const server = useServer(10);

const BAD_IDS: unknown[] = ["../../sys/users/1", "1", 0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, null, undefined, {}, [1]];

describe("ids must be positive safe integers", () => {
  it("get, delete, patch, commands, getMany and runCommand refuse every bad id before any request", async () => {
    const t = client(server.url);
    for (const id of BAD_IDS) {
      const calls = [
        () => get(t, passes, id as number),
        () => remove(t, passes, id as number),
        () => patch(t, passes, id as number, { Notes: "x" }),
        () => getMany(t, passes, [1, id as number]),
        () => runCommand(t, passes, "MARK_USED", [id as number]),
        ...(id === undefined ? [] : [() => commands(t, passes, id as number)]),
      ];
      for (const call of calls) {
        const error = await thrown(call);
        expect(error, String(id)).toBeInstanceOf(NexudusUsageError);
        expect((error as Error).message).toMatch(/must be a positive integer/);
      }
    }
    expect(server.requests).toHaveLength(0);
  });

  it("request() keeps to baseUrl's origin", async () => {
    const t = client(server.url);
    for (const path of ["@evil.example/x", "//evil.example/x", "api/x", "https://evil.example/"]) {
      expect(await thrown(() => request(t, "GET", path))).toBeInstanceOf(NexudusUsageError);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("query values", () => {
  const bad: Record<string, unknown>[] = [
    { size: Number.NaN },
    { size: Infinity },
    { CoworkerTimePass_Coworker: [1, 2] },
    { CoworkerTimePass_Coworker: { Id: 1 } },
    { from_CoworkerTimePass_UpdatedOn: new Date("not a date") },
    { CoworkerTimePass_Notes: "\uD800 lone" },
    { CoworkerTimePass_Notes: "lone \uDC00" },
    { ["\uD800"]: "x" },
    { CoworkerTimePass_Notes: 10n },
    { CoworkerTimePass_Notes: Symbol("x") },
  ];

  it("non-finite numbers, arrays, objects, invalid Dates and lone surrogates are usage errors, nothing sent", async () => {
    const t = client(server.url);
    for (const query of bad) {
      const error = await thrown(() => list(t, passes, query));
      expect(error, String(Object.values(query)[0])).toBeInstanceOf(NexudusUsageError);
    }
    for (const query of bad) expect(() => formatQuery(query)).toThrow(NexudusUsageError);
    expect(server.requests).toHaveLength(0);
  });

  it("valid values still go: well-formed surrogate pairs, dates, booleans; own properties only", async () => {
    const query = Object.assign(Object.create({ inherited: "no" }) as object, { CoworkerTimePass_Notes: "😀", from_CoworkerTimePass_UpdatedOn: new Date(Date.UTC(2025, 0, 1)), CoworkerTimePass_Used: false });
    expect(formatQuery(query)).toBe("CoworkerTimePass_Notes=%F0%9F%98%80&from_CoworkerTimePass_UpdatedOn=2025-01-01T00:00&CoworkerTimePass_Used=false");
    await list(client(server.url), passes, query);
    expect(server.requests).toHaveLength(1);
  });

  it("a body JSON cannot hold is a usage error", async () => {
    const cyclic: Record<string, unknown> = { CoworkerId: 1 };
    cyclic.self = cyclic;
    expect(await thrown(() => create(client(server.url), passes, cyclic))).toBeInstanceOf(NexudusUsageError);
    expect(await thrown(() => create(client(server.url), passes, { Price: 1n }))).toBeInstanceOf(NexudusUsageError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("answers that are not what the call expects", () => {
  it("an empty 200 body (or another JSON value) where a record, a list or a result is expected is an API error", async () => {
    const answers = ["", "null", "[]", '"text"', "42"];
    const raw = await startRawServer((_req, res, index) => res.writeHead(200, { "Content-Type": "application/json" }).end(answers[index] ?? ""));
    try {
      const t = client(raw.url);
      for (const _answer of answers) {
        const error = await thrown(() => get(t, passes, 1));
        expect(error).toBeInstanceOf(NexudusApiError);
        expect((error as Error).message).toMatch(/the answer is not a record/);
      }
      for (const call of [() => create(t, passes, {}), () => getMany(t, passes, [1]), () => commands(t, passes)]) {
        expect(await thrown(call)).toBeInstanceOf(NexudusApiError);
      }
      expect(await request(t, "GET", "/api/anything")).toBeUndefined(); // request() takes any answer
    } finally {
      await raw.close();
    }
  });
});

describe("getMany", () => {
  it("returns records in the order asked, whatever order the server answers in", async () => {
    const raw = await startRawServer((_req, res) => json(res, 200, [{ Id: 1 }, { Id: 2 }, { Id: 3 }]));
    try {
      const records = await getMany<{ Id: number }>(client(raw.url), passes, [3, 1, 2]);
      expect(records.map((r) => r.Id)).toEqual([3, 1, 2]);
    } finally {
      await raw.close();
    }
  });

  it("a repeated id gives its record once, at its first position; an id without a record is left out", async () => {
    const records = await getMany<{ Id: number }>(client(server.url), passes, [5, 2, 5, 999, 2, 7]);
    expect(records.map((r) => r.Id)).toEqual([5, 2, 7]);
    expect(server.requests[0]!.query).toBe(`id=${encodeURIComponent("[5,2,999,7]")}`);
  });
});

it("every failure a caller can see is a NexudusError: aborts, a token provider and fetch that throw odd values, bad headers", async () => {
  const failures = [
    await thrown(() => get(client(server.url), passes, 1, { signal: AbortSignal.abort() })),
    await thrown(() => get(client(server.url), passes, 1, { signal: AbortSignal.abort("a string reason") })),
    await thrown(() => get(new Transport({ baseUrl: server.url, auth: tokenProvider(() => { throw "not an Error"; }) }), passes, 1)),
    await thrown(() => get(new Transport({ baseUrl: server.url, auth: tokenProvider(() => undefined as unknown as string) }), passes, 1)),
    await thrown(() => get(new Transport({ baseUrl: server.url, token: TOKEN, maxRetries: 0, fetch: () => Promise.reject(null) }), passes, 1)),
    await thrown(() => get(new Transport({ baseUrl: server.url, token: TOKEN, fetch: () => Promise.resolve(new Response("{", { status: 200 })) }), passes, 1)),
    await thrown(() => get(client(server.url), passes, 1, { headers: { "X-Bad": "line\r\nbreak" } })),
    await thrown(() => request(client(server.url), 42 as unknown as string, "/api/x")),
  ];
  expect(failures.map((e) => (e as Error).name)).toEqual([
    "NexudusAbortError",
    "NexudusAbortError",
    "NexudusAuthError",
    "NexudusAuthError",
    "NexudusNetworkError",
    "NexudusApiError",
    "NexudusUsageError",
    "NexudusError",
  ]);
  for (const failure of failures) expect(failure).toBeInstanceOf(NexudusError);
});

it("a token option that cannot be sent in a header is refused when the client is made, without echoing it", () => {
  for (const token of ["", "two words", "line\nbreak", undefined as unknown as string]) {
    expect(() => new Transport({ token })).toThrow(NexudusUsageError);
  }
  expect(() => new Transport({ token: "secret value" })).toThrow(/^token must be printable ASCII without spaces/);
});
