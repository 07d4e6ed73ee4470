/**
 * Issue 11, "No silent data loss on writes": update() refuses partial records whatever their shape, patch() refuses
 * a read that is not the record and detects a concurrent change, a create that may have happened says so, a DELETE
 * re-sent after a failure that answers 404 is reported as deleted. Runtime checks use own-property tests.
 */
import { describe, expect, it } from "vitest";
import { NexudusApiError, NexudusConflictError, NexudusNetworkError, NexudusTimeoutError, NexudusUsageError, type ResourceInfo, list, getMany, update, get, patch, create, remove, hooks } from "../../templates/runtime/index.js";
import { client, fast, json, passes, startRawServer, thrown, timePasses, TOKEN, useServer } from "./helpers.js";

type Full = Record<string, unknown> & { Id: number };

const server = useServer(12);

/** CoworkerTimePasses as the generated resource describes them: required and fixed fields too. */
const generatedPasses: ResourceInfo = {
  ...passes,
  requiredOnUpdate: ["CoworkerId", "BusinessId", "TimePassId", "CreateMultiple"],
  readOnlyOnUpdate: ["Id", "UniqueId", "CreatedOn", "UpdatedOn", "TimePassName"],
};

describe("update() refuses partial records before any request", () => {
  it("a listing record whose listing leaves out nothing is refused all the same, and so is a getMany record", async () => {
    const t = client(server.url);
    const listed = (await list<Full>(t, timePasses, { size: 1 })).Records[0]!;
    const batch = (await getMany<Full>(t, passes, [3]))[0]!;
    // Give the batch record every field the listing omits: its shape is now complete.
    Object.assign(batch, { Notes: "n", PurchaseOrder: "p", Free: false, Price: 1, CreateMultiple: 1 });
    server.clearRequests();
    for (const [resource, record] of [[timePasses, listed], [passes, batch]] as const) {
      const error = await thrown(() => update(t, resource, record));
      expect(error).toBeInstanceOf(NexudusUsageError);
      expect((error as Error).message).toMatch(/from a listing or getMany/);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("a record lacking a field required on update is refused", async () => {
    const t = client(server.url);
    const { CoworkerId: _dropped, ...record } = await get<Full>(t, passes, 4);
    server.clearRequests();
    const error = await thrown(() => update(t, generatedPasses, record));
    expect(error).toBeInstanceOf(NexudusUsageError);
    expect((error as Error).message).toMatch(/lacks CoworkerId, required on update/);
    expect(server.requests).toHaveLength(0);
  });

  it("fields named like Object.prototype members are checked as own properties", async () => {
    const t = client(server.url);
    const resource: ResourceInfo = { ...passes, listingOmits: ["constructor", "toString"], requiredOnUpdate: ["hasOwnProperty"] };
    const record = await get<Full>(t, passes, 5);
    server.clearRequests();
    const error = await thrown(() => update(t, resource, record));
    expect(error).toBeInstanceOf(NexudusUsageError);
    expect((error as Error).message).toMatch(/lacks constructor, toString \(left out of listings\).*lacks hasOwnProperty/);
    expect(server.requests).toHaveLength(0);
  });

  it("an Id that is not a positive integer is refused", async () => {
    const t = client(server.url);
    const record = await get<Full>(t, passes, 5);
    server.clearRequests();
    for (const Id of ["5", 0, -5, 1.5, Number.NaN]) {
      expect(await thrown(() => update(t, passes, { ...record, Id }))).toBeInstanceOf(NexudusUsageError);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("patch()", () => {
  it("sends no PUT when the read answers an empty body, null, another record or one without its Id", async () => {
    const answers = [undefined, null, { Id: 99, Notes: "x" }, { Notes: "no id" }, [{ Id: 1 }]];
    const raw = await startRawServer((_req, res, index) => json(res, 200, answers[index % answers.length]));
    try {
      const t = client(raw.url);
      for (const _answer of answers) {
        const error = await thrown(() => patch(t, passes, 1, { Notes: "changed" }));
        expect(error).toBeInstanceOf(NexudusApiError);
      }
      expect(raw.requests.map((r) => r.method)).toEqual(answers.map(() => "GET"));
    } finally {
      await raw.close();
    }
  });

  it("detects a change made between its read and its write (UpdatedOn moved): conflict, nothing overwritten", async () => {
    server.addRecords(passes.path, [{ Id: 50, CoworkerId: 1, BusinessId: 1, TimePassId: 7, Notes: "original", UpdatedOn: "2020-01-01T00:00:00Z" }]);
    let changed = false;
    const t = client(server.url, {
      // Another writer changes the record right after patch() read it.
      log: hooks({
        onResponse: (event) => {
          if (!changed && event.method === "GET" && event.url.endsWith("/50")) {
            changed = true;
            server.addRecords(passes.path, [{ Id: 50, CoworkerId: 1, BusinessId: 1, TimePassId: 7, Notes: "theirs" }]);
          }
        },
      }),
    });
    const error = await thrown(() => patch(t, passes, 50, { Used: true }));
    expect(error).toBeInstanceOf(NexudusConflictError);
    expect((error as Error).message).toMatch(/changed while patch\(\).*no PUT was sent/);
    expect(server.requestsTo(passes.path, "PUT")).toHaveLength(0);
    expect(server.record(passes.path, 50)).toMatchObject({ Notes: "theirs" });
  });

  it("refuses changes to fields an update does not change", async () => {
    const error = await thrown(() => patch(client(server.url), generatedPasses, 6, { TimePassName: "x", Notes: "y" }));
    expect(error).toBeInstanceOf(NexudusUsageError);
    expect((error as Error).message).toMatch(/cannot change TimePassName/);
    expect(server.requests).toHaveLength(0);
  });

  it("a change to a field named __proto__ is sent as data, never as a prototype", async () => {
    const t = client(server.url);
    const changes = JSON.parse('{"__proto__": {"polluted": true}, "Notes": "proto"}') as object;
    await patch(t, passes, 6, changes);
    const body = JSON.parse(server.requestsTo(passes.path, "PUT")[0]!.body) as Record<string, unknown>;
    expect(Object.hasOwn(body, "__proto__")).toBe(true);
    expect(body.Notes).toBe("proto");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("a write that may have happened says so", () => {
  it("a create that timed out or lost its connection: the error says it may have been created and how to check", async () => {
    server.inject({ type: "delay", ms: 400, method: "POST" }, { type: "reset", afterProcessing: true, method: "POST" });
    const t = client(server.url, { timeoutMs: 100 });
    const input = { CoworkerId: 101, BusinessId: 1, TimePassId: 7 };
    const timeout = await thrown(() => create(t, passes, input));
    const reset = await thrown(() => create(t, passes, input));
    expect(timeout).toBeInstanceOf(NexudusTimeoutError);
    expect(reset).toBeInstanceOf(NexudusNetworkError);
    for (const error of [timeout, reset])
      expect((error as Error).message).toMatch(/may have been created.*list\(\{ orderBy: "CreatedOn", dir: -1 \}\)/);
    expect(server.requestsTo(passes.path, "POST")).toHaveLength(2);
  });

  it("a DELETE re-sent after a 503 that then answers 404 is reported as deleted", async () => {
    // The first attempt deleted the record but its answer was lost as a 503; the re-sent one finds nothing.
    server.inject({ type: "status", status: 503, method: "DELETE", retryAfter: null }, { type: "status", status: 404, method: "DELETE" });
    const result = await remove(client(server.url), passes, 9);
    expect(result).toMatchObject({ WasSuccessful: true, Value: { Id: 9 } });
    expect(result.Message).toMatch(/Already deleted/);
    expect(server.requestsTo(`${passes.path}/9`, "DELETE").map((r) => r.status)).toEqual([503, 404]);
  });

  it("a DELETE answering 404 at once is still a not-found error", async () => {
    server.inject({ type: "status", status: 404, method: "DELETE" });
    expect(await thrown(() => remove(client(server.url), passes, 10))).toMatchObject({ status: 404, name: "NexudusNotFoundError" });
  });
});

describe("the generated resources carry what the runtime checks", () => {
  it("update() refuses a record lacking a field required on update; patch() a field an update cannot change", async () => {
    const { NexudusClient } = await import("../../generated/src/index.js");
    const nx = new NexudusClient({ baseUrl: server.url, token: TOKEN, ...fast });
    const full = await nx.billing.coworkerTimePasses.get(11);
    server.clearRequests();
    const { CoworkerId: _dropped, ...lacking } = full;
    const update = await thrown(() => nx.billing.coworkerTimePasses.update(lacking as typeof full));
    expect((update as Error).message).toMatch(/lacks CoworkerId, required on update/);
    const patch = await thrown(() => nx.billing.coworkerTimePasses.patch(11, { UniqueId: "x" } as object));
    expect((patch as Error).message).toMatch(/cannot change UniqueId/);
    expect(server.requests).toHaveLength(0);
  });
});
