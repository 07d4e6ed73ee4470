// Strict-project code that must not compile: each directive names the error the next line gives.
// test/runtime/strict-types.test.ts blanks the directives and checks exactly these lines fail.
import { coworkerInvoiceLines, coworkerTimePasses, coworkerTimePassesForUpdate, create, list, logging, NexudusClient, patch, update } from "nexudus-api";

const nx = new NexudusClient({ token: "t" });
const page = await nx.billing.coworkerTimePasses.list();

// @ts-expect-error TS2353 patch() takes only fields an update can change: Id is set by Nexudus.
await nx.billing.coworkerTimePasses.patch(1, { Id: 2 });
// @ts-expect-error TS2353 UpdatedOn is read-only too.
await nx.billing.coworkerTimePasses.patch(1, { UpdatedOn: "2025-01-01T00:00:00Z" });
// @ts-expect-error TS2739 A listing record is never the base of an update (the error names the fields it lacks).
await nx.billing.coworkerTimePasses.update(page.Records[0]!);
// @ts-expect-error TS2532 noUncheckedIndexedAccess: a page may be empty.
console.log(page.Records[0].Id);
// @ts-expect-error TS2322 Only the named log levels.
new NexudusClient({ token: "t", log: logging({ level: "verbose" }) });
// @ts-expect-error TS2322 Header values are strings.
await nx.billing.coworkerTimePasses.get(1, { headers: { "X-Count": 1 } });
// @ts-expect-error TS2339 withResponse() gives data and response, no second call shape.
console.log((await nx.billing.coworkerTimePasses.get(1).withResponse()).status);
// @ts-expect-error TS2769 The operation functions know an entity's query: no such filter.
await list(nx.transport, coworkerTimePasses, { NoSuchFilter: 1 });
// @ts-expect-error TS2769 An invoice line cannot be created: its info has no create.
await create(nx.transport, coworkerInvoiceLines, {});
// @ts-expect-error TS2769 patch() through the function takes only fields an update can change, too.
await patch(nx.transport, coworkerTimePassesForUpdate, 1, { Id: 2 });
// @ts-expect-error TS2769 create() through the function takes the entity's create body, not a field it does not have.
await create(nx.transport, coworkerTimePasses, { NoSuchField: 1 });
// @ts-expect-error TS2769 update() through the function refuses a listing record too (the error names the fields it lacks).
await update(nx.transport, coworkerTimePassesForUpdate, page.Records[0]!);
// @ts-expect-error TS2769 update() takes the info with the update rules, not the one a read-only app imports.
await update(nx.transport, coworkerTimePasses, await nx.billing.coworkerTimePasses.get(1));
