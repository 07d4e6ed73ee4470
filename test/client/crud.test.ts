import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CoworkerTimePassesResource,
  NexudusApiError,
  NexudusClient,
  NexudusResource,
  ProductTimePassesResource,
  RecurrentChargePattern,
  Transport,
  type CoworkerTimePass,
} from "../../generated/src/index.js";
import { startNexudusTestServer, type NexudusTestServer } from "../../generated/src/testing/index.js";

const PASSES = "/api/billing/coworkertimepasses";
const PRODUCTS = "/api/billing/producttimepasses";

/** The generated client, end to end, against the package's own Nexudus-like server on 127.0.0.1. */
describe("generated client against the Nexudus-like server", () => {
  let server: NexudusTestServer;
  let nx: NexudusClient;

  beforeAll(async () => {
    server = await startNexudusTestServer({
      tokens: ["crud-token"],
      collections: [
        {
          entity: "CoworkerTimePass",
          path: PASSES,
          listingOmits: ["Notes", "PurchaseOrder", "Free", "Price", "CreateMultiple"],
          required: ["CoworkerId", "BusinessId", "TimePassId", "CreateMultiple"],
          records: [
            { CoworkerId: 1, BusinessId: 2, TimePassId: 3, CreateMultiple: 1, Notes: "first", Price: 10, Used: false, TimePassName: "Day" },
            { CoworkerId: 4, BusinessId: 2, TimePassId: 3, CreateMultiple: 1, Notes: "second", Price: 20, Used: true, TimePassName: "Week" },
          ],
        },
        {
          entity: "ProductTimePass",
          path: PRODUCTS,
          listingOmits: ["ExpireTimeInMonths", "ExpireTimeInWeeks", "ExpiresIn"],
          required: ["ProductId", "TimePassId", "PassesIncluded"],
          records: [],
        },
      ],
    });
    nx = new NexudusClient({ token: "crud-token", baseUrl: server.url });
  });
  afterAll(() => server.close());

  it("create POSTs the input as JSON with the bearer token and returns the new id", async () => {
    server.clearRequests();
    const result = await nx.billing.coworkerTimePasses.create({ CoworkerId: 7, BusinessId: 2, TimePassId: 3, CreateMultiple: 1, Notes: "new" });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: "POST", url: PASSES });
    expect(request!.headers.authorization).toBe("Bearer crud-token");
    expect(request!.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(request!.body)).toEqual({ CoworkerId: 7, BusinessId: 2, TimePassId: 3, CreateMultiple: 1, Notes: "new" });
    expect(result.WasSuccessful).toBe(true);
    expect(server.record(PASSES, result.Value!.Id)).toMatchObject({ CoworkerId: 7, Notes: "new" });
  });

  it("listing filters and sorting reach the server under their Nexudus names", async () => {
    const page = await nx.billing.coworkerTimePasses.list({ CoworkerTimePass_Used: true, orderBy: "CoworkerId", dir: -1 });
    expect(page.Records.map((r) => r.CoworkerId)).toEqual([4]);
    expect(server.requests.at(-1)!.query).toBe("CoworkerTimePass_Used=true&orderBy=CoworkerId&dir=-1");
    // Listing records lack the omitted fields, as the types say.
    expect(page.Records[0]).not.toHaveProperty("Notes");
  });

  it("update PUTs the full record to the collection path, without an id in the path", async () => {
    const record = await nx.billing.coworkerTimePasses.get(1);
    server.clearRequests();
    await nx.billing.coworkerTimePasses.update({ ...record, Notes: "edited" });
    const [put] = server.requests;
    expect(put).toMatchObject({ method: "PUT", url: PASSES });
    expect(JSON.parse(put!.body)).toMatchObject({ Id: 1, Notes: "edited", Price: 10 });
    expect(server.record(PASSES, 1)).toMatchObject({ Notes: "edited", Price: 10 });
  });

  it("update refuses a listing record at run time, before any request", async () => {
    const page = await nx.billing.coworkerTimePasses.list();
    server.clearRequests();
    const listed = page.Records[0] as unknown as CoworkerTimePass; // what the types already refuse
    await expect(nx.billing.coworkerTimePasses.update(listed)).rejects.toThrow(/lacks Notes, PurchaseOrder, Free, Price, CreateMultiple.*get\(id\).*patch\(id, changes\)/);
    expect(server.requests).toHaveLength(0);
  });

  it("patch keeps the fields a listing record would have cleared", async () => {
    await nx.billing.coworkerTimePasses.patch(2, { Used: false });
    expect(server.record(PASSES, 2)).toMatchObject({ Used: false, Notes: "second", Price: 20, CreateMultiple: 1 });
  });

  it("getMany asks for the batch form ?id=[...] URL-encoded", async () => {
    server.clearRequests();
    const records = await nx.billing.coworkerTimePasses.getMany([1, 2]);
    expect(server.requests[0]!.url).toBe(`${PASSES}/?id=%5B1%2C2%5D`);
    expect(records.map((r) => r.Id)).toEqual([1, 2]);
  });

  it("delete sends DELETE to the record's path", async () => {
    const created = await nx.billing.coworkerTimePasses.create({ CoworkerId: 9, BusinessId: 2, TimePassId: 3, CreateMultiple: 1 });
    const id = created.Value!.Id;
    server.clearRequests();
    await nx.billing.coworkerTimePasses.delete(id);
    expect(server.requests[0]).toMatchObject({ method: "DELETE", url: `${PASSES}/${id}` });
    await expect(nx.billing.coworkerTimePasses.get(id)).rejects.toBeInstanceOf(NexudusApiError);
  });

  it("a missing required field surfaces the 400's field errors", async () => {
    const error = await nx.billing.productTimePasses
      // @ts-expect-error PassesIncluded is required: the server must refuse it too
      .create({ ProductId: 1, TimePassId: 2, ExpirationType: RecurrentChargePattern.Month })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NexudusApiError);
    expect((error as NexudusApiError).status).toBe(400);
    expect(JSON.stringify(error)).toContain("PassesIncluded");
  });

  it("a single resource works without the root client", async () => {
    const passes = new CoworkerTimePassesResource(new Transport({ token: "crud-token", baseUrl: server.url }));
    expect((await passes.get(1)).Id).toBe(1);
  });

  it("a resource class is a class of its own: named, subclassable, its methods named, each refusing a non-resource `this`", async () => {
    const transport = new Transport({ token: "crud-token", baseUrl: server.url });
    const passes = new CoworkerTimePassesResource(transport);
    expect(CoworkerTimePassesResource.name).toBe("CoworkerTimePassesResource");
    expect(passes).toBeInstanceOf(CoworkerTimePassesResource);
    expect(passes).toBeInstanceOf(NexudusResource);
    expect(passes).not.toBeInstanceOf(ProductTimePassesResource);
    expect(Object.keys(passes)).toEqual([]);
    expect([passes.list.name, passes.update.name, passes.patch.name, passes.delete.name]).toEqual(["list", "update", "patch", "delete"]);
    class Audited extends CoworkerTimePassesResource {}
    expect((await new Audited(transport).get(2)).Id).toBe(2);
    expect(() => passes.get.call({}, 1)).toThrow(TypeError);
    // update() goes through the info with the update rules: a listing record is refused before any request.
    server.clearRequests();
    const [listed] = (await passes.list()).Records;
    await expect(passes.update(listed as CoworkerTimePass)).rejects.toThrow(/listing/);
    expect(server.requests.map((r) => r.method)).toEqual(["GET"]);
  });
});
