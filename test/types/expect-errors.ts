// Wrong code that must not compile. Each `@ts-expect-error` names the TypeScript error it
// stands for; test/types/types.test.ts checks that, with the directives removed, exactly
// these lines fail with exactly these errors.
import { NexudusClient, type CountriesResource, type CoworkerTimePassListingRecord } from "nexudus-api";

const nx = new NexudusClient({ token: "..." });

// An unknown filter name.
// @ts-expect-error TS2561 unknown filter name
await nx.billing.coworkerTimePasses.list({ CoworkerTimePass_Colour: "red" });

// A filter value of the wrong type.
// @ts-expect-error TS2322 filter value of the wrong type
await nx.billing.coworkerTimePasses.list({ CoworkerTimePass_Used: "yes" });

// A range filter value of the wrong type.
// @ts-expect-error TS2322 range filter value of the wrong type
await nx.billing.coworkerTimePasses.list({ from_CoworkerTimePass_Price: "cheap" });

// An unknown orderBy field.
// @ts-expect-error TS2322 unknown orderBy field
await nx.billing.coworkerTimePasses.list({ orderBy: "Colour" });

// A sort direction that is not 1 or -1.
// @ts-expect-error TS2322 dir must be 1 or -1
await nx.billing.coworkerTimePasses.list({ dir: 0 });

// A filter of another entity.
// @ts-expect-error TS2353 filter of another entity
await nx.billing.coworkerTimePasses.list({ ProductTimePass_Product: 1 });

// An enum filter given a value outside the enum.
// @ts-expect-error TS2322 enum filter outside its values
await nx.billing.productTimePasses.list({ ProductTimePass_ExpirationType: 9 });

const page = await nx.billing.coworkerTimePasses.list();
const item: CoworkerTimePassListingRecord = page.Records[0]!;

// Reading a field the listing omits from a listing record.
// @ts-expect-error TS2339 omitted field on a listing record
console.log(item.Notes);

// Passing a listing record to update.
// @ts-expect-error TS2739 listing record passed to update: it lacks the fields listings omit (the error names them)
await nx.billing.coworkerTimePasses.update(item);

// A create without a required field.
// @ts-expect-error TS2741 create without a required field
await nx.billing.coworkerTimePasses.create({ CoworkerId: 1, BusinessId: 2, TimePassId: 3 });

// A create that sets a read-only field.
// @ts-expect-error TS2353 read-only field on create
await nx.billing.coworkerTimePasses.create({ CoworkerId: 1, BusinessId: 2, TimePassId: 3, CreateMultiple: 1, Invoiced: true });

// get() takes a numeric id.
// @ts-expect-error TS2345 get with a string id
await nx.billing.coworkerTimePasses.get("87654321");

// An untyped filter still takes only scalars.
// @ts-expect-error TS2322 untyped filter given an object
await nx.spaces.coworkerMessages.list({ CoworkerMessage_IsNewMessage: { yes: true } });

// A read-only entity has no create, update, patch or delete.
const country = await nx.sys.countries.get(1);
// @ts-expect-error TS2339 create on a read-only entity
await nx.sys.countries.create({});
// @ts-expect-error TS2339 update on a read-only entity
await nx.sys.countries.update(country);
// @ts-expect-error TS2339 patch on a read-only entity
await nx.sys.countries.patch(1, {});
// @ts-expect-error TS2339 delete on a read-only entity
await nx.sys.countries.delete(1);

// A listing record has no id-list collection: only get() returns it.
const productItem = (await nx.billing.products.list()).Records[0]!;
// @ts-expect-error TS2339 collection on a listing record
console.log(productItem.Tariffs);

// An id list holds numbers, and a child object only its own properties.
const product = await nx.billing.products.get(1);
// @ts-expect-error TS2322 id list of strings
await nx.billing.products.update({ ...product, AddedTariffs: ["7"] });
const booking = await nx.spaces.bookings.get(1);
// @ts-expect-error TS2353 unknown property of a child object
await nx.spaces.bookings.update({ ...booking, BookingProducts: [{ Colour: "red" }] });

// A resource comes from its class: an object of the same methods does not pass for one (it lacks the private transport).
const countries = nx.sys.countries;
// @ts-expect-error TS2741 an object of a resource's methods is not a resource
const fakeCountries: CountriesResource = { list: countries.list, pages: countries.pages, listAll: countries.listAll, get: countries.get };
console.log(fakeCountries);
