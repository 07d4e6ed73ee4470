import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NexudusClient } from "../../generated/src/index.js";
import { ROOT } from "../helpers/project.js";

/** The seed pages as copied from the Nexudus docs. */
const SEEDS = {
  coworkerTimePasses: "get-coworkertimepasses.txt",
  productTimePasses: "get-producttimepasses.txt",
} as const;

/** The `curl` URLs of a seed page's three code examples, as path and raw query string. */
function curlExamples(page: string): { path: string; query: string }[] {
  const text = readFileSync(path.join(ROOT, "test/fixtures/pages", page), "utf8");
  return [...text.matchAll(/curl -X GET \\\n\s+"https:\/\/spaces\.nexudus\.com(\/api\/[^"?]+)\?([^"]+)"/g)].map((m) => ({ path: m[1]!, query: m[2]! }));
}

/** The "Example Response" JSON of a seed page, verbatim. */
function exampleResponse(page: string): string {
  const text = readFileSync(path.join(ROOT, "test/fixtures/pages", page), "utf8");
  return text.split("Example Response\n")[1]!;
}

/** A real HTTP server on 127.0.0.1 that records requests and answers every listing with a seed's example. */
describe("seed endpoints over HTTP", () => {
  let server: Server;
  let baseUrl: string;
  const requests: IncomingMessage[] = [];
  const answers = new Map<string, string>();

  beforeAll(async () => {
    answers.set("/api/billing/coworkertimepasses", exampleResponse(SEEDS.coworkerTimePasses));
    answers.set("/api/billing/producttimepasses", exampleResponse(SEEDS.productTimePasses));
    server = createServer((request, response) => {
      requests.push(request);
      const { pathname } = new URL(request.url!, "http://127.0.0.1");
      const record = /^(\/api\/billing\/[a-z]+)\/(\d+)$/.exec(pathname);
      if (record) {
        // Get one: the first record of the example listing, as a full record.
        const listing = JSON.parse(answers.get(record[1]!)!) as { Records: object[] };
        response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(listing.Records[0]));
        return;
      }
      response.writeHead(200, { "Content-Type": "application/json; charset=utf-8" }).end(answers.get(pathname) ?? "{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const nx = () => new NexudusClient({ token: "seed-token", baseUrl });

  it("the seed pages have three curl examples each", () => {
    expect(curlExamples(SEEDS.coworkerTimePasses)).toHaveLength(3);
    expect(curlExamples(SEEDS.productTimePasses)).toHaveLength(3);
  });

  it("CoworkerTimePasses: requests carry exactly the curl examples' query strings", async () => {
    const client = nx();
    requests.length = 0;
    await client.billing.coworkerTimePasses.list({ page: 1, size: 15, orderBy: "CreatedOn", dir: 1 });
    await client.billing.coworkerTimePasses.list({ CoworkerTimePass_CreatedOn: "example-value", orderBy: "CreatedOn", dir: 1 });
    await client.billing.coworkerTimePasses.list({
      from_CoworkerTimePass_UpdatedOn: new Date(Date.UTC(2025, 0, 1)),
      to_CoworkerTimePass_UpdatedOn: "2025-12-31T23:59",
      orderBy: "UpdatedOn",
      dir: -1,
    });
    expect(requests.map((r) => r.url)).toEqual(curlExamples(SEEDS.coworkerTimePasses).map((c) => `${c.path}?${c.query}`));
    for (const r of requests) {
      expect(r.method).toBe("GET");
      expect(r.headers.authorization).toBe("Bearer seed-token");
    }
  });

  it("ProductTimePasses: requests carry exactly the curl examples' query strings", async () => {
    const client = nx();
    requests.length = 0;
    await client.billing.productTimePasses.list({ page: 1, size: 15, orderBy: "CreatedOn", dir: 1 });
    await client.billing.productTimePasses.list({ ProductTimePass_CreatedOn: "example-value", orderBy: "CreatedOn", dir: 1 });
    await client.billing.productTimePasses.list({
      from_ProductTimePass_UpdatedOn: new Date(Date.UTC(2025, 0, 1)),
      to_ProductTimePass_UpdatedOn: new Date(Date.UTC(2025, 11, 31, 23, 59)),
      orderBy: "UpdatedOn",
      dir: -1,
    });
    expect(requests.map((r) => r.url)).toEqual(curlExamples(SEEDS.productTimePasses).map((c) => `${c.path}?${c.query}`));
  });

  it("parses the seeds' example responses into typed pages and records", async () => {
    const client = nx();
    const passes = await client.billing.coworkerTimePasses.list({ page: 1, size: 15 });
    expect(passes).toMatchObject({ CurrentPage: 1, CurrentPageSize: 15, TotalItems: 1, HasNextPage: false, CurrentOrderField: "CreatedOn" });
    const pass = passes.Records[0]!;
    expect(pass.Id).toBe(87654321);
    expect(pass.UpdatedOn).toBe("2025-01-15T10:30:00Z");
    expect(pass.TimePassName).toBeNull();

    const products = await client.billing.productTimePasses.list();
    expect(products.Records[0]).toMatchObject({ Id: 87654321, ProductId: 0, PassesIncluded: 0, ToStringText: "ProductTimePass Example" });

    const one = await client.billing.coworkerTimePasses.get(87654321);
    expect(one).toMatchObject({ Id: 87654321, Notes: null, CreateMultiple: 0 });
    expect(requests.at(-1)!.url).toBe("/api/billing/coworkertimepasses/87654321");
  });
});
