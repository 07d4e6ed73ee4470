// Consumer code of a strict project (exactOptionalPropertyTypes + noUncheckedIndexedAccess): the client features of
// the generated package as a user writes them. Type-checked by test/runtime/strict-types.test.ts; never run.
import {
  ListPage,
  coworkerTimePasses,
  coworkerTimePassesForUpdate,
  get,
  list,
  logging,
  patch,
  request,
  update,
  NexudusClient,
  NexudusConflictError,
  NexudusNotFoundError,
  NexudusRateLimitError,
  type CoworkerTimePassListingRecord,
  type Logger,
  type RequestOptions,
  type WithResponse,
} from "nexudus-api";

// Optional values that may be undefined, as configuration usually is.
const env: Record<string, string | undefined> = process.env;
const timeoutMs = env["NEXUDUS_TIMEOUT"] ? Number(env["NEXUDUS_TIMEOUT"]) : undefined;
const logger: Logger | undefined = env["CI"] ? console : undefined;
const nx = new NexudusClient({
  token: env["NEXUDUS_TOKEN"] ?? "",
  baseUrl: env["NEXUDUS_URL"],
  timeoutMs,
  maxRetries: undefined,
  retry: { baseDelayMs: undefined, maxDelayMs: 10_000 },
  defaultHeaders: { "X-Team": "ops", "X-Removed": undefined },
  log: logging({ level: env["CI"] ? "debug" : undefined, logger }),
});

// Per-call options; a query whose values may be undefined.
const page = env["PAGE"] ? Number(env["PAGE"]) : undefined;
const options: RequestOptions = { signal: undefined, timeoutMs, headers: { "X-Trace": "1" }, fetchOptions: { cache: "no-store" } };
const first: ListPage<CoworkerTimePassListingRecord> = await nx.billing.coworkerTimePasses.list(
  { page, size: 50, CoworkerTimePass_Coworker: undefined },
  options,
);

// Pages: for await across pages, or step by hand.
for await (const record of first) console.log(record.Id, record.TimePassName);
if (first.hasNextPage()) console.log((await first.getNextPage()).CurrentPage);
for await (const each of nx.billing.coworkerTimePasses.pages({ size: 100 })) console.log(each.Records.length);

// Raw responses.
const { data, response }: WithResponse<ListPage<CoworkerTimePassListingRecord>> = await nx.billing.coworkerTimePasses.list().withResponse();
console.log(data.TotalItems, response.status, response.headers.get("content-type"));
const raw: Response = await nx.billing.coworkerTimePasses.get(1).asResponse();
console.log(raw.status);

// Indexed access stays checked.
const top = first.Records[0];
if (top) {
  const full = await nx.billing.coworkerTimePasses.get(top.Id);
  await nx.billing.coworkerTimePasses.update({ ...full, Notes: "checked" });
}

// patch takes writable fields; undefined leaves a field as it is, null clears it.
await nx.billing.coworkerTimePasses.patch(1, { Notes: undefined, PurchaseOrder: null, Used: true });

// Errors by status.
try {
  await nx.billing.coworkerTimePasses.delete(1);
} catch (error) {
  if (error instanceof NexudusNotFoundError) console.log(error.status, error.headers["x-request-id"], error.body);
  else if (error instanceof NexudusRateLimitError) console.log(error.retryAfterMs);
  else if (error instanceof NexudusConflictError) console.log(error.message);
}

// The escape hatch: any endpoint, same authentication and retries.
const answer = await request<{ Value: number }>(nx.transport, "GET", "/api/sys/something", { query: { id: 1, name: undefined } });
console.log(answer.Value);

// The operation functions, typed by a resource's info: the smallest bundle.
const lean: ListPage<CoworkerTimePassListingRecord> = await list(nx.transport, coworkerTimePasses, { size: 5, CoworkerTimePass_Coworker: undefined });
const full = await get(nx.transport, coworkerTimePasses, lean.Records[0]?.Id ?? 1);
await update(nx.transport, coworkerTimePassesForUpdate, { ...full, Notes: "renewed" });
await patch(nx.transport, coworkerTimePassesForUpdate, full.Id, { Notes: null });
