// Source files of the temporary consumer projects, written as a user of the published package would.
// They are strings because they import "nexudus-api" as installed from the tarball, which the
// repository's own tsconfig cannot resolve.

/**
 * A consumer that starts the package's own test server (`nexudus-api/testing`) and goes through
 * create, list, get, update and delete, then prints one JSON line. The same text compiles as an ES
 * module and as CommonJS (no top-level await, no import.meta).
 */
export const CONSUMER = `import {
  NexudusApiError,
  NexudusClient,
  RecurrentChargePattern,
  type CoworkerTimePass,
  type CoworkerTimePassListingRecord,
  type Page,
} from "nexudus-api";
import { startNexudusTestServer } from "nexudus-api/testing";

async function main(): Promise<void> {
  // Every entity of the package is served; seed records are typed by the package's record types.
  const server = await startNexudusTestServer({
    tokens: ["consumer-token"],
    seed: { CoworkerTimePass: [{ CoworkerId: 7, BusinessId: 2, TimePassId: 3, Notes: "seeded", Used: false }] },
  });
  try {
    const nx = new NexudusClient({ baseUrl: server.url, token: "consumer-token" });
    const passes = nx.billing.coworkerTimePasses;
    const created = await passes.create({
      CoworkerId: 1,
      BusinessId: 2,
      TimePassId: 3,
      CreateMultiple: 1,
      Notes: "new",
      PurchaseOrder: null,
      Free: false,
      Price: 9.5,
    });
    const id = created.Value?.Id;
    if (id === undefined) throw new Error("create returned no id");
    const page: Page<CoworkerTimePassListingRecord> = await passes.list({
      page: 1,
      size: 15,
      orderBy: "CreatedOn",
      dir: 1,
      from_CoworkerTimePass_UpdatedOn: new Date(Date.UTC(2020, 0, 1)),
    });
    const one: CoworkerTimePass = await passes.get(id);
    await passes.update({ ...one, Notes: "renewed" });
    const updated = await passes.get(id);
    await passes.delete(id);
    let afterDelete = 0;
    try {
      await passes.get(id);
    } catch (error) {
      if (error instanceof NexudusApiError) afterDelete = error.status ?? -1;
    }
    const listQuery = server.requestsTo("/api/billing/coworkertimepasses", "GET")[0]?.query ?? "";
    console.log(
      JSON.stringify({
        format: typeof require === "function" ? "commonjs" : "module",
        node: process.version,
        listed: page.Records.length,
        listQuery,
        notes: updated.Notes,
        afterDelete,
        month: RecurrentChargePattern.Month,
      }),
    );
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/**
 * Seed records and collections as a user writes them: what compiles, and (each \`@ts-expect-error\`)
 * what must not. tsc fails on an expected error that does not happen.
 */
export const SEED_TYPES = `import type { TestCollection, TestServerOptions } from "nexudus-api/testing";

export const seeded: TestServerOptions = {
  seed: {
    CoworkerTimePass: [{ CoworkerId: 1, Notes: null, Price: 9.5 }],
    TimePass: [{}],
  },
};

// A field the record does not have.
// @ts-expect-error
export const unknownField: TestServerOptions = { seed: { CoworkerTimePass: [{ NotAField: 1 }] } };

// A value of the wrong type.
// @ts-expect-error
export const wrongType: TestServerOptions = { seed: { CoworkerTimePass: [{ CoworkerId: "seven" }] } };

// An entity the package does not have.
// @ts-expect-error
export const unknownEntity: TestServerOptions = { seed: { NoSuchEntity: [{}] } };

// Collections stay untyped records: a verification tool seeds records that differ from the specs on purpose.
export const differing: TestCollection = { entity: "TimePass", path: "/api/billing/timepasses", records: [{ NotInTheSpec: true }] };
`;

/**
 * An app that lists one endpoint with the operation function, as the README's "Small bundles" shows: its bundle must
 * hold no other resource and no other operation.
 */
export const ONE_ENDPOINT_APP = `import { coworkerTimePasses, list, Transport } from "nexudus-api";

const [baseUrl, token] = process.argv.slice(2);
const page = await list(new Transport({ baseUrl, token: token ?? "" }), coworkerTimePasses, { size: 5 });
console.log(JSON.stringify({ listed: page.Records.length }));
`;

/** An app that reads one record with the operation function: no listing page, no other operation. */
export const ONE_RECORD_APP = `import { coworkerTimePasses, get, Transport } from "nexudus-api";

const [baseUrl, token] = process.argv.slice(2);
const record = await get(new Transport({ baseUrl, token: token ?? "" }), coworkerTimePasses, 1);
console.log(JSON.stringify({ id: record.Id }));
`;

/** An app that constructs one resource class on its own: every method of that resource, no other resource. */
export const ONE_RESOURCE_APP = `import { CoworkerTimePassesResource, Transport } from "nexudus-api";

const [baseUrl, token] = process.argv.slice(2);
const passes = new CoworkerTimePassesResource(new Transport({ baseUrl, token: token ?? "" }));
const page = await passes.list({ size: 5 });
console.log(JSON.stringify({ listed: page.Records.length }));
`;

/** An app that takes the whole client: its bundle holds every resource. */
export const ALL_ENDPOINTS_APP = `import { NexudusClient } from "nexudus-api";

const [baseUrl, token] = process.argv.slice(2);
const nx = new NexudusClient({ baseUrl, token: token ?? "" });
const page = await nx.billing.coworkerTimePasses.list({ size: 5 });
console.log(JSON.stringify({ listed: page.Records.length }));
`;
