/**
 * Issue 11, "Bad input from the caller": a clear `NexudusUsageError` before any request for bad ids and query values;
 * an empty answer where a record is expected is an API error; getMany keeps the order asked; every failure a caller
 * can see is a `NexudusError`.
 */
import { describe, expect, it } from "vitest";
import {
  formatQuery,
  NexudusApiError,
  NexudusError,
  NexudusUsageError,
  Transport,
} from "../../templates/runtime/index.js";
import { client, json, passes, startRawServer, thrown, TOKEN, useServer } from "./helpers.js";

const server = useServer(10);

const BAD_IDS: unknown[] = ["../../sys/users/1", "1", 0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, null, undefined, {}, [1]];

describe("ids must be positive safe integers", () => {
  it("get, delete, patch, commands, getMany and runCommand refuse every bad id before any request", async () => {
    const t = client(server.url);
    for (const id of BAD_IDS) {
      const calls = [
        () => t.get(passes, id as number),
        () => t.delete(passes, id as number),
        () => t.patch(passes, id as number, { Notes: "x" }),
        () => t.getMany(passes, [1, id as number]),
        () => t.runCommand(passes, "MARK_USED", [id as number]),
        ...(id === undefined ? [] : [() => t.commands(passes, id as number)]),
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
      expect(await thrown(() => t.request("GET", path))).toBeInstanceOf(NexudusUsageError);
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
      const error = await thrown(() => t.list(passes, query));
      expect(error, String(Object.values(query)[0])).toBeInstanceOf(NexudusUsageError);
    }
    for (const query of bad) expect(() => formatQuery(query)).toThrow(NexudusUsageError);
    expect(server.requests).toHaveLength(0);
  });

  it("valid values still go: well-formed surrogate pairs, dates, booleans; own properties only", async () => {
    const query = Object.assign(Object.create({ inherited: "no" }) as object, { CoworkerTimePass_Notes: "😀", from_CoworkerTimePass_UpdatedOn: new Date(Date.UTC(2025, 0, 1)), CoworkerTimePass_Used: false });
    expect(formatQuery(query)).toBe("CoworkerTimePass_Notes=%F0%9F%98%80&from_CoworkerTimePass_UpdatedOn=2025-01-01T00:00&CoworkerTimePass_Used=false");
    await client(server.url).list(passes, query);
    expect(server.requests).toHaveLength(1);
  });

  it("a body JSON cannot hold is a usage error", async () => {
    const cyclic: Record<string, unknown> = { CoworkerId: 1 };
    cyclic.self = cyclic;
    expect(await thrown(() => client(server.url).create(passes, cyclic))).toBeInstanceOf(NexudusUsageError);
    expect(await thrown(() => client(server.url).create(passes, { Price: 1n }))).toBeInstanceOf(NexudusUsageError);
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
        const error = await thrown(() => t.get(passes, 1));
        expect(error).toBeInstanceOf(NexudusApiError);
        expect((error as Error).message).toMatch(/without the object expected/);
      }
      for (const call of [() => t.create(passes, {}), () => t.getMany(passes, [1]), () => t.commands(passes)]) {
        expect(await thrown(call)).toBeInstanceOf(NexudusApiError);
      }
      expect(await t.request("GET", "/api/anything")).toBeUndefined(); // request() takes any answer
    } finally {
      await raw.close();
    }
  });
});

describe("getMany", () => {
  it("returns records in the order asked, whatever order the server answers in", async () => {
    const raw = await startRawServer((_req, res) => json(res, 200, [{ Id: 1 }, { Id: 2 }, { Id: 3 }]));
    try {
      const records = await client(raw.url).getMany<{ Id: number }>(passes, [3, 1, 2]);
      expect(records.map((r) => r.Id)).toEqual([3, 1, 2]);
    } finally {
      await raw.close();
    }
  });

  it("a repeated id gives its record once, at its first position; an id without a record is left out", async () => {
    const records = await client(server.url).getMany<{ Id: number }>(passes, [5, 2, 5, 999, 2, 7]);
    expect(records.map((r) => r.Id)).toEqual([5, 2, 7]);
    expect(server.requests[0]!.query).toBe(`id=${encodeURIComponent("[5,2,999,7]")}`);
  });
});

it("every failure a caller can see is a NexudusError: aborts, getToken and fetch that throw odd values, bad headers", async () => {
  const failures = [
    await thrown(() => client(server.url).get(passes, 1, { signal: AbortSignal.abort() })),
    await thrown(() => client(server.url).get(passes, 1, { signal: AbortSignal.abort("a string reason") })),
    await thrown(() => new Transport({ baseUrl: server.url, getToken: () => { throw "not an Error"; } }).get(passes, 1)),
    await thrown(() => new Transport({ baseUrl: server.url, getToken: () => undefined as unknown as string }).get(passes, 1)),
    await thrown(() => new Transport({ baseUrl: server.url, token: TOKEN, maxRetries: 0, fetch: () => Promise.reject(null) }).get(passes, 1)),
    await thrown(() => new Transport({ baseUrl: server.url, token: TOKEN, fetch: () => Promise.resolve(new Response("{", { status: 200 })) }).get(passes, 1)),
    await thrown(() => client(server.url).get(passes, 1, { headers: { "X-Bad": "line\r\nbreak" } })),
    await thrown(() => client(server.url).request(42 as unknown as string, "/api/x")),
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
  expect(() => new Transport({ token: "secret value" })).toThrow(/^token must be a non-empty string/);
});
