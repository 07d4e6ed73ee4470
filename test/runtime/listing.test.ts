import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NexudusApiError, list, get, pages, listAll } from "../../templates/runtime/index.js";
import type { NexudusTestServer } from "../../templates/testing/server.js";
import { client, pass, passes, startServer, thrown, TOKEN } from "./helpers.js";

type Pass = {
  Id: number;
  CoworkerId: number;
  TimePassName: string;
  Price?: number;
  Notes?: string;
  ExpireDate: string;
};

let server: NexudusTestServer;
beforeAll(async () => {
  server = await startServer(60);
});
afterAll(() => server.close());
beforeEach(() => server.clearRequests());

const ids = (records: { Id: number }[]) => records.map((r) => r.Id);
const all = Array.from({ length: 60 }, (_, k) => pass(k + 1)) as unknown as Pass[];

describe("list", () => {
  it("returns the typed envelope with the documented defaults (page 1, size 25)", async () => {
    const page = await list<Pass>(client(server.url), passes);
    expect(page).toMatchObject({
      CurrentPage: 1,
      CurrentPageSize: 25,
      FirstItem: 1,
      LastItem: 25,
      TotalItems: 60,
      TotalPages: 3,
      HasNextPage: true,
      HasPreviousPage: false,
    });
    expect(ids(page.Records)).toEqual(ids(all.slice(0, 25)));
  });

  it("leaves the listing-omitted fields out of records; get() has them", async () => {
    const page = await list<Record<string, unknown>>(client(server.url), passes, { size: 2 });
    for (const field of passes.listingOmits!) expect(page.Records[0]).not.toHaveProperty(field);
    const full = await get<Record<string, unknown>>(client(server.url), passes, 1);
    for (const field of passes.listingOmits!) expect(full).toHaveProperty(field);
  });

  it("pages and sorts: page/size, orderBy/dir", async () => {
    const page = await list<Pass>(client(server.url), passes, {
      page: 3,
      size: 7,
      orderBy: "Price",
      dir: -1,
    });
    const expected = [...all].sort((a, b) => b.Price! - a.Price!).slice(14, 21);
    expect(ids(page.Records)).toEqual(ids(expected));
    expect(page).toMatchObject({
      CurrentPage: 3,
      FirstItem: 15,
      LastItem: 21,
      HasPreviousPage: true,
      CurrentSortDirection: -1,
    });
  });

  it("filters by <Entity>_<Field>: foreign keys drop Id, joined names chain with _", async () => {
    const t = client(server.url);
    const byCoworker = await list<Pass>(t, passes, { CoworkerTimePass_Coworker: 101, size: 100 });
    expect(ids(byCoworker.Records)).toEqual(ids(all.filter((p) => p.CoworkerId === 101)));
    const byName = await list<Pass>(t, passes, {
      CoworkerTimePass_TimePass_Name: "Half day",
      size: 100,
    });
    expect(ids(byName.Records)).toEqual(ids(all.filter((p) => p.TimePassName === "Half day")));
    const used = await list<Pass>(t, passes, {
      CoworkerTimePass_Used: true,
      CoworkerTimePass_Coworker: 100,
      size: 100,
    });
    expect(ids(used.Records)).toEqual([15, 30, 45, 60]);
    expect(server.requests[2]!.query).toBe(
      "CoworkerTimePass_Used=true&CoworkerTimePass_Coworker=100&size=100",
    );
  });

  it("range filters from_/to_ compare dates as YYYY-MM-DDTHH:mm and numbers numerically", async () => {
    const t = client(server.url);
    const page = await list<Pass>(t, passes, {
      from_CoworkerTimePass_ExpireDate: new Date(Date.UTC(2025, 2, 1)),
      to_CoworkerTimePass_ExpireDate: "2025-04-15T10:30",
      from_CoworkerTimePass_Price: 20,
      to_CoworkerTimePass_Price: 40,
      size: 100,
    });
    const expected = all.filter(
      (p) =>
        p.ExpireDate >= "2025-03" &&
        p.ExpireDate.slice(0, 16) <= "2025-04-15T10:30" &&
        p.Price! >= 20 &&
        p.Price! <= 40,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(page.Records)).toEqual(ids(expected));
    expect(server.requests[0]!.query).toBe(
      "from_CoworkerTimePass_ExpireDate=2025-03-01T00:00&to_CoworkerTimePass_ExpireDate=2025-04-15T10:30&from_CoworkerTimePass_Price=20&to_CoworkerTimePass_Price=40&size=100",
    );
  });

  it("the test server refuses a filter that names no field (catches misspelt filters)", async () => {
    const error = await thrown(() => list(client(server.url), passes, { CoworkerTimePass_Nope: 1 }));
    expect(error).toBeInstanceOf(NexudusApiError);
    expect((error as Error).message).toMatch(/Unknown filter CoworkerTimePass_Nope/);
  });
});

describe("pages / listAll", () => {
  it("pages() iterates every page from query.page, keeping the caller's query", async () => {
    const seen: number[] = [];
    for await (const page of pages<Pass>(client(server.url), passes, {
      orderBy: "Id",
      page: 2,
      size: 20,
    }))
      seen.push(page.CurrentPage);
    expect(seen).toEqual([2, 3]);
    expect(server.requests.map((r) => r.query)).toEqual([
      "orderBy=Id&page=2&size=20",
      "orderBy=Id&page=3&size=20",
    ]);
  });

  it("pages() of an empty listing yields one empty page", async () => {
    const seen = [];
    for await (const page of pages(client(server.url), passes, { CoworkerTimePass_Coworker: 999 }))
      seen.push(page);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.Records).toEqual([]);
  });

  it("listAll() fetches lazily: one page in memory at a time, nothing after a break", async () => {
    const t = client(server.url);
    const iterator = listAll<Pass>(t, passes, { size: 10 });
    let count = 0;
    for await (const record of iterator) {
      count++;
      // After consuming record n, only ceil(n / 10) pages have been requested.
      expect(server.requests).toHaveLength(Math.ceil(count / 10));
      expect(record.Id).toBe(count);
      if (count === 25) break;
    }
    expect(server.requests).toHaveLength(3);
  });

  it("listAll() stops when its AbortSignal aborts", async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await thrown(async () => {
      for await (const record of listAll<Pass>(
        client(server.url),
        passes,
        { size: 10 },
        { signal: controller.signal },
      )) {
        seen.push(record.Id);
        if (seen.length === 15) controller.abort();
      }
    });
    expect((error as Error).name).toBe("NexudusAbortError");
    expect(seen).toHaveLength(15);
    expect(server.requests).toHaveLength(2);
  });

  it("fault: listAll() retries a throttled page and carries on", async () => {
    server.inject({ type: "status", status: 409, retryAfter: 0, path: /page=3/ });
    let count = 0;
    for await (const _ of listAll(client(server.url), passes, { size: 10 })) count++;
    expect(count).toBe(60);
    expect(server.requests.map((r) => r.status)).toEqual([200, 200, 409, 200, 200, 200, 200]);
  });
});

describe("listAll over 10,000 records", () => {
  let big: NexudusTestServer;
  beforeAll(async () => {
    big = await startServer(10_000);
  });
  afterAll(() => big.close());

  it("yields each record exactly once (in-process, default page size)", async () => {
    const counts = new Map<number, number>();
    for await (const record of listAll<Pass>(client(big.url), passes, {
      orderBy: "CreatedOn",
      dir: 1,
    })) {
      counts.set(record.Id, (counts.get(record.Id) ?? 0) + 1);
    }
    expect(counts.size).toBe(10_000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(big.requests).toHaveLength(400);
  });

  it("stays memory-bounded by one page (measured in a child process with --expose-gc)", async () => {
    const child = fileURLToPath(new URL("./listall-memory.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--expose-gc", "--import", "tsx", child, big.url, TOKEN, "100"],
      {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
      },
    );
    const result = JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, number>;
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
    console.log(
      `listAll over 10,000 records (pages of 100): peak retained heap ${mb(result.peakRetained!)}, ` +
        `peak heapUsed incl. garbage ${mb(result.peakUsed!)}, after the walk ${mb(result.afterStream!)}; ` +
        `holding all 10,000 records instead: ${mb(result.collected!)}`,
    );
    expect(result).toMatchObject({ seen: 10_000, once: 10_000, twice: 0, kept: 10_000 });
    // Deliberately loose: the walk retains far less than holding every record does.
    expect(result.peakRetained!).toBeLessThan(result.collected! / 2);
  });
});
