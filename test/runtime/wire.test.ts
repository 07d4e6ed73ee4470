import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatDateTime, formatQuery, NexudusUsageError, Transport, list, get, getMany, create, update, remove, commands, runCommand, request } from "../../templates/runtime/index.js";
import type { NexudusTestServer } from "../../templates/testing/server.js";
import { client, passes, startServer, thrown, TOKEN } from "./helpers.js";

let server: NexudusTestServer;
beforeAll(async () => {
  server = await startServer(30);
});
afterAll(() => server.close());
beforeEach(() => server.clearRequests());

const last = () => server.requests[server.requests.length - 1]!;

describe("formatQuery / formatDateTime", () => {
  it("formats dates as UTC YYYY-MM-DDTHH:mm", () => {
    expect(formatDateTime(new Date(Date.UTC(2025, 0, 1)))).toBe("2025-01-01T00:00");
    expect(formatDateTime(new Date(Date.UTC(2025, 11, 31, 23, 59, 59, 999)))).toBe(
      "2025-12-31T23:59",
    );
  });

  it("keeps key order, skips null/undefined, leaves ':' readable", () => {
    expect(
      formatQuery({
        from_CoworkerTimePass_UpdatedOn: new Date(Date.UTC(2025, 0, 1)),
        to_CoworkerTimePass_UpdatedOn: "2025-12-31T23:59",
        orderBy: "UpdatedOn",
        dir: -1,
      }),
    ).toBe(
      "from_CoworkerTimePass_UpdatedOn=2025-01-01T00:00&to_CoworkerTimePass_UpdatedOn=2025-12-31T23:59&orderBy=UpdatedOn&dir=-1",
    );
    expect(formatQuery({ a: undefined, b: null, c: true, d: false, e: 0, f: "x y&z/é" })).toBe(
      "c=true&d=false&e=0&f=x%20y%26z%2F%C3%A9",
    );
    expect(formatQuery(undefined)).toBe("");
    expect(formatQuery({})).toBe("");
  });
});

describe("requests on the wire", () => {
  it("list: GET {path}?{query} with the exact query string", async () => {
    const page = await list(client(server.url), passes, {
      from_CoworkerTimePass_UpdatedOn: new Date(Date.UTC(2025, 0, 1)),
      to_CoworkerTimePass_UpdatedOn: "2099-12-31T23:59",
      orderBy: "UpdatedOn",
      dir: -1,
    });
    expect(last().method).toBe("GET");
    expect(last().url).toBe(
      "/api/billing/coworkertimepasses?from_CoworkerTimePass_UpdatedOn=2025-01-01T00:00&to_CoworkerTimePass_UpdatedOn=2099-12-31T23:59&orderBy=UpdatedOn&dir=-1",
    );
    expect(page.TotalItems).toBe(30);
    await list(client(server.url), passes, undefined);
    expect(last().url).toBe("/api/billing/coworkertimepasses");
  });

  it("get, getMany, create, update, delete, commands, runCommand use the documented paths", async () => {
    const t = client(server.url);
    const record = await get<Record<string, unknown>>(t, passes, 3);
    expect(last()).toMatchObject({ method: "GET", url: "/api/billing/coworkertimepasses/3" });
    await getMany(t, passes, [1, 2, 3]);
    expect(last()).toMatchObject({
      method: "GET",
      url: "/api/billing/coworkertimepasses/?id=%5B1%2C2%2C3%5D",
    });
    const created = await create(t, passes, { CoworkerId: 1, BusinessId: 1, TimePassId: 7 });
    expect(last()).toMatchObject({ method: "POST", url: "/api/billing/coworkertimepasses" });
    expect(JSON.parse(last().body)).toEqual({ CoworkerId: 1, BusinessId: 1, TimePassId: 7 });
    expect(last().headers["content-type"]).toBe("application/json");
    await update(t, passes, record);
    expect(last()).toMatchObject({ method: "PUT", url: "/api/billing/coworkertimepasses" });
    expect(JSON.parse(last().body)).toEqual(record);
    await remove(t, passes, created.Value!.Id);
    expect(last()).toMatchObject({
      method: "DELETE",
      url: `/api/billing/coworkertimepasses/${created.Value!.Id}`,
    });
    await commands(t, passes);
    expect(last()).toMatchObject({
      method: "GET",
      url: "/api/billing/coworkertimepasses/commands",
    });
    await commands(t, passes, 5);
    expect(last()).toMatchObject({
      method: "GET",
      url: "/api/billing/coworkertimepasses/commands?id=5",
    });
    await runCommand(t, passes, "MARK_USED", [1, 2]);
    expect(last()).toMatchObject({
      method: "POST",
      url: "/api/billing/coworkertimepasses/runcommand",
    });
    expect(JSON.parse(last().body)).toEqual({ Key: "MARK_USED", Ids: [1, 2] });
    await runCommand(t, passes, "ADD_NOTE", [4], [{ Name: "Note", Value: "hi" }]);
    expect(JSON.parse(last().body)).toEqual({
      Key: "ADD_NOTE",
      Ids: [4],
      Parameters: [{ Name: "Note", Value: "hi" }],
    });
  });

  it("sends Accept, Bearer Authorization, no Content-Type without a body, User-Agent only when given (in defaultHeaders)", async () => {
    await get(client(server.url), passes, 1);
    expect(last().headers.accept).toBe("application/json");
    expect(last().headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(last().headers["content-type"]).toBeUndefined();
    expect(last().headers["user-agent"]).not.toMatch(/my-app/);
    await get(client(server.url, { defaultHeaders: { "User-Agent": "my-app/1.0" } }), passes, 1);
    expect(last().headers["user-agent"]).toBe("my-app/1.0");
  });

  it("strips trailing slashes from baseUrl and defaults to spaces.nexudus.com", async () => {
    await get(client(server.url + "//"), passes, 2);
    expect(last().url).toBe("/api/billing/coworkertimepasses/2");
    expect(new Transport({ token: "x" }).baseUrl).toBe("https://spaces.nexudus.com");
  });

  it("uses a custom fetch when given", async () => {
    const seen: string[] = [];
    const t = client(server.url, {
      fetch: (url, init) => {
        seen.push(`${init.method} ${url}`);
        return fetch(url, init);
      },
    });
    await get(t, passes, 4);
    expect(seen).toEqual([`GET ${server.url}/api/billing/coworkertimepasses/4`]);
  });

  it("request() reaches endpoints the generator does not model", async () => {
    const page = await request<{ TotalItems: number }>(client(server.url), "GET", passes.path, {
      query: { size: 1 },
    });
    expect(page.TotalItems).toBe(30);
    expect(last().url).toBe("/api/billing/coworkertimepasses?size=1");
  });

  it("refuses options without any authentication", () => {
    expect(() => new Transport({} as never)).toThrow(NexudusUsageError);
  });

  it("commands and runCommand answer as documented", async () => {
    const t = client(server.url);
    const available = await commands(t, passes, 1);
    expect(available.map((c) => c.Key)).toEqual(["MARK_USED", "ADD_NOTE"]);
    expect(available[1]!.RequiresParameters).toEqual([{ Name: "Note", Type: "string" }]);
    const result = await runCommand(t, passes, "MARK_USED", [2, 4]);
    expect(result.WasSuccessful).toBe(true);
    expect(server.record(passes.path, 2)!.Used).toBe(true);
    expect(server.commandRuns.at(-1)).toMatchObject({ Key: "MARK_USED", Ids: [2, 4] });
    expect(String(await thrown(() => runCommand(t, passes, "NOPE", [1])))).toMatch(
      /Unknown command NOPE/,
    );
  });
});
