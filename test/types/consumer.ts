// Example consumer code: the public surface of the generated package as a user writes it.
// Type-checked with `tsc --strict` by test/types/types.test.ts; never run.
import {
  BookingRepeatCycle,
  CoworkerTimePassesResource,
  NexudusApiError,
  NexudusClient,
  RecurrentChargePattern,
  RepeatedBookingUpdateAction,
  Transport,
  type CoworkerTimePass,
  type CoworkerTimePassListingRecord,
  type CoworkerTimePassQuery,
  type Page,
  type ProductTimePassCreate,
} from "nexudus-api";

const nx = new NexudusClient({ token: "..." }); // baseUrl defaults to https://spaces.nexudus.com
const page: Page<CoworkerTimePassListingRecord> = await nx.billing.coworkerTimePasses.list({ page: 1, size: 15, orderBy: "CreatedOn", dir: 1 });
await nx.billing.coworkerTimePasses.list({
  from_CoworkerTimePass_UpdatedOn: new Date(Date.UTC(2025, 0, 1)), // sent as 2025-01-01T00:00 (UTC)
  to_CoworkerTimePass_UpdatedOn: "2025-12-31T23:59",
  orderBy: "UpdatedOn",
  dir: -1,
});
const one: CoworkerTimePass = await nx.billing.coworkerTimePasses.get(87654321);
await nx.billing.coworkerTimePasses.create({ CoworkerId: 1, BusinessId: 2, TimePassId: 3, CreateMultiple: 1 });
await nx.billing.coworkerTimePasses.update(one);
await nx.billing.coworkerTimePasses.delete(87654321);

// Listing records expose what the listing carries.
const first = page.Records[0];
if (first) console.log(first.Id, first.TimePassName?.toUpperCase(), first.UsedDate ?? "never used");

// Full records carry what listings omit; nullable fields are typed as such.
const price: number | null = one.Price;
const notes: string | null = one.Notes;
console.log(price, notes);

// A query can be built up front and reused.
const query: CoworkerTimePassQuery = { CoworkerTimePass_Used: false, CoworkerTimePass_Price: 9.5, from_CoworkerTimePass_Price: 1 };
for await (const record of nx.billing.coworkerTimePasses.listAll(query)) console.log(record.CoworkerId);

// Enums are values and types of the same name.
const expiry: RecurrentChargePattern = RecurrentChargePattern.Month;
const input: ProductTimePassCreate = { ProductId: 1, TimePassId: 2, PassesIncluded: 10, ExpirationType: expiry };
const created = await nx.billing.productTimePasses.create(input);
console.log(created.Value?.Id);
await nx.billing.productTimePasses.list({ ProductTimePass_ExpirationType: RecurrentChargePattern.Week });

// Safe partial update.
await nx.billing.coworkerTimePasses.patch(87654321, { Notes: "Renewed" });

// One resource on its own, for small bundles.
const passes = new CoworkerTimePassesResource(new Transport({ token: "..." }));
await passes.getMany([1, 2, 3]);

try {
  await passes.get(1);
} catch (error) {
  if (error instanceof NexudusApiError) console.log(error.status);
}

// A filter the docs name without a type takes any scalar.
await nx.spaces.coworkerMessages.list({ CoworkerMessage_IsNewMessage: true, CoworkerMessage_Coworker_Email: "a@example.com", CoworkerMessage_MessageId: 7 });

// Create-only fields (a booking's repeat settings) are part of the create input, and inline child
// objects are typed arrays of their properties.
await nx.spaces.bookings.create({
  ResourceId: 1,
  FromTime: "2025-01-15T10:00:00Z",
  ToTime: "2025-01-15T11:00:00Z",
  Repeats: BookingRepeatCycle.Weekly,
  WhichBookingsToUpdate: RepeatedBookingUpdateAction.UpdateThisBookingOnly,
  RepeatBooking: true,
  RepeatEvery: 1,
  BookingProducts: [{ ProductId: 5, Quantity: 2 }],
});
const booking = await nx.spaces.bookings.get(1);
const bookingProducts: { ProductId?: unknown; Quantity?: unknown; InvoiceInMinutes?: unknown }[] | null = booking.BookingProducts;
console.log(bookingProducts?.length);

// An id list comes with the full record; AddedX / RemovedX change it on update.
const product = await nx.billing.products.get(1);
const tariffIds: number[] = product.Tariffs;
console.log(tariffIds.length);
await nx.billing.products.update({ ...product, AddedTariffs: [7], RemovedTariffs: [8] });

// A read-only entity can be listed and read.
await nx.sys.countries.list({ orderBy: "Name" });
const country = await nx.sys.countries.get(1);
console.log(country.Id);
