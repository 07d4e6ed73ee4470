import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NexudusUsageError, create, remove, list, update, get, patch, getMany, request } from "../../templates/runtime/index.js";
import type { NexudusTestServer } from "../../templates/testing/server.js";
import { client, pass, passes, startServer, thrown, timePasses } from "./helpers.js";

type Full = Record<string, unknown> & { Id: number };

let server: NexudusTestServer;
beforeAll(async () => {
  server = await startServer(20);
});
afterAll(() => server.close());
beforeEach(() => server.clearRequests());

describe("create / delete", () => {
  it("create returns the ActionResult with the new id; unset fields are null", async () => {
    const result = await create(client(server.url), passes, {
      CoworkerId: 104,
      BusinessId: 1,
      TimePassId: 7,
      Notes: "hello",
    });
    expect(result).toMatchObject({
      Status: 200,
      WasSuccessful: true,
      Errors: null,
      Value: { Id: 21 },
    });
    expect(server.record(passes.path, 21)).toMatchObject({
      Id: 21,
      CoworkerId: 104,
      Notes: "hello",
      Price: null,
      PurchaseOrder: null,
    });
    const deleted = await remove(client(server.url), passes, 21);
    expect(deleted).toMatchObject({ WasSuccessful: true, Value: { Id: 21 } });
    expect(server.record(passes.path, 21)).toBeUndefined();
  });
});

describe("update: only full records", () => {
  it("refuses a listing record before any request, pointing to get() and patch()", async () => {
    const t = client(server.url);
    const page = await list<Full>(t, passes, { size: 1 });
    server.clearRequests();
    const error = await thrown(() => update(t, passes, { ...page.Records[0]!, Used: true }));
    expect(error).toBeInstanceOf(NexudusUsageError);
    const message = (error as Error).message;
    expect(message).toContain("Notes, PurchaseOrder, Free, Price, CreateMultiple");
    expect(message).toMatch(/get\(id\)/);
    expect(message).toMatch(/patch\(id, changes\)/);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a record without Id, and one whose omitted field is undefined", async () => {
    const t = client(server.url);
    const full = await get<Full>(t, passes, 2);
    server.clearRequests();
    const { Id: _id, ...withoutId } = full;
    expect(await thrown(() => update(t, passes, withoutId))).toBeInstanceOf(NexudusUsageError);
    expect(await thrown(() => update(t, passes, { ...full, Price: undefined }))).toBeInstanceOf(
      NexudusUsageError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("accepts a full record from get(); null values count as present", async () => {
    const t = client(server.url);
    const full = await get<Full>(t, passes, 3);
    const result = await update(t, passes, { ...full, Notes: null, Used: true });
    expect(result).toMatchObject({ WasSuccessful: true, Value: { Id: 3 } });
    expect(server.record(passes.path, 3)).toMatchObject({
      Notes: null,
      Used: true,
      PurchaseOrder: "PO-3",
      Price: 13,
    });
  });

  it("a 400 on update surfaces the field errors", async () => {
    const t = client(server.url);
    const full = await get<Full>(t, timePasses, 1);
    const error = await thrown(() => update(t, timePasses, { ...full, Name: "" }));
    expect(error).toMatchObject({
      status: 400,
      errors: [{ PropertyName: "Name", Message: "is a required field", AttemptedValue: "" }],
    });
  });
});

describe("patch: GET, merge, PUT", () => {
  it("the server really clears what a PUT leaves out (why listing records are refused)", async () => {
    const t = client(server.url);
    const listed = (await list<Full>(t, passes, { CoworkerTimePass_Coworker: 104, size: 1 }))
      .Records[0]!;
    // Bypassing update()'s check with the raw escape hatch shows the damage a listing record does:
    await request(t, "PUT", passes.path, { body: { ...listed, Used: true } });
    expect(server.record(passes.path, listed.Id)).toMatchObject({
      Used: true,
      Notes: null,
      PurchaseOrder: null,
      Price: null,
      Free: null,
    });
  });

  it("patch keeps every field a PUT of a listing record would have cleared", async () => {
    const t = client(server.url);
    const before = server.record(passes.path, 7)!;
    const result = await patch(t, passes, 7, { Used: true, RemainingUses: 0 });
    expect(result.WasSuccessful).toBe(true);
    // Read, read again (has UpdatedOn moved?), then write.
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${passes.path}/7`,
      `GET ${passes.path}/7`,
      `PUT ${passes.path}`,
    ]);
    const after = server.record(passes.path, 7)!;
    expect(after).toMatchObject({ Used: true, RemainingUses: 0 });
    for (const field of [
      "Notes",
      "PurchaseOrder",
      "Free",
      "Price",
      "CreateMultiple",
      "CoworkerId",
      "TimePassName",
    ]) {
      expect(after[field]).toEqual(before[field]);
    }
    expect(after).toMatchObject({ ...pass(7), Used: true, RemainingUses: 0 });
    expect(JSON.parse(server.requests[2]!.body)).toMatchObject({
      Id: 7,
      Notes: "note 7",
      Price: 17,
    });
  });

  it("patch ignores undefined values and clears with null", async () => {
    const t = client(server.url);
    await patch(t, passes, 8, { Notes: undefined, PurchaseOrder: null });
    expect(server.record(passes.path, 8)).toMatchObject({
      Notes: "note 8",
      PurchaseOrder: null,
      Price: 18,
    });
  });
});

describe("getMany: batch form, split when the URL grows too long", () => {
  it("returns the records in order; an empty id list sends nothing", async () => {
    const t = client(server.url);
    const records = await getMany<Full>(t, passes, [5, 1, 9]);
    expect(records.map((r) => r.Id)).toEqual([5, 1, 9]);
    expect(await getMany(t, passes, [])).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("splits long id lists under maxUrlLength, concatenating results in order", async () => {
    const many = await (async () => {
      const big = await startServer(1500, { maxUrlLength: 2000 });
      try {
        const ids = Array.from({ length: 1500 }, (_, k) => 1500 - k);
        const t = client(big.url);
        const records = await getMany<Full>(t, passes, ids);
        expect(records.map((r) => r.Id)).toEqual(ids);
        const urls = big.requests.map((r) => big.url + r.url);
        expect(urls.length).toBeGreaterThan(1);
        expect(urls.every((u) => u.length <= 2000)).toBe(true);
        expect(big.requests.every((r) => r.status === 200)).toBe(true);
        // A smaller limit means more requests; every id is asked for exactly once.
        big.clearRequests();
        const small = await getMany<Full>(client(big.url, { maxUrlLength: 300 }), passes, ids);
        expect(small.map((r) => r.Id)).toEqual(ids);
        expect(big.requests.every((r) => (big.url + r.url).length <= 300)).toBe(true);
        const asked = big.requests.flatMap(
          (r) => JSON.parse(decodeURIComponent(r.query.slice(3))) as number[],
        );
        expect(asked).toEqual(ids);
        return big.requests.length;
      } finally {
        await big.close();
      }
    })();
    expect(many).toBeGreaterThan(20);
  });

  it("the test server answers 414 when a URL is too long (what splitting avoids)", async () => {
    const big = await startServer(5, { maxUrlLength: 100 });
    try {
      const ids = Array.from({ length: 100 }, (_, k) => k + 1);
      expect(
        await thrown(() => getMany(client(big.url, { maxUrlLength: 10_000 }), passes, ids)),
      ).toMatchObject({ status: 414 });
    } finally {
      await big.close();
    }
  });
});
