// Copied by nexudus-codegen from templates/runtime/operations.ts. Do not edit here: edit the template and run `npm run generate`.
import {
  NexudusApiError,
  NexudusConflictError,
  NexudusNetworkError,
  NexudusServerError,
  NexudusTimeoutError,
  NexudusUsageError,
} from "./errors.js";
import { checkId, has, isObject, jsonBody, put, type Json } from "./checks.js";
import { ListPage } from "./page.js";
import type { NexudusPromise } from "./promise.js";
import { formatQuery } from "./query.js";
import { stopIfAborted } from "./timing.js";
import type {
  CommandsMethod,
  CreateMethod,
  DeleteMethod,
  GetManyMethod,
  GetMethod,
  ListMethod,
  PatchMethod,
  RunCommandMethod,
  UpdateMethod,
} from "./resource.js";
import { operate, type Transport } from "./transport.js";
import type {
  ActionResult,
  Command,
  CommandParameter,
  RequestOptions,
  ResourceInfo,
  Send,
  UpdateInfo,
  WithResponse,
} from "./types.js";

// The operations of every resource, one function each: a bundle holds only those its app calls. Each generated
// resource class calls them with its `ResourceInfo`; an app that wants the smallest bundle can call them directly.

/** Options of `request()`: per-call options plus an optional query and JSON body. */
export interface RawRequestOptions extends RequestOptions {
  /** Appended to the path with `formatQuery`. */
  query?: object | undefined;
  /** Sent as JSON. */
  body?: unknown;
}

/**
 * Any authenticated JSON request, e.g. an endpoint the generator does not model: the same authentication, retries,
 * throttling, errors and options as every operation. `path` starts with `/` and stays on `baseUrl`'s origin. An
 * empty answer resolves to `undefined`.
 */
export function request<T>(
  transport: Transport,
  method: string,
  path: string,
  options: RawRequestOptions = {},
): NexudusPromise<T> {
  return operate(transport, (send) => {
    if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//"))
      throw new NexudusUsageError(
        `request() takes a path starting with a single "/", not ${JSON.stringify(path)}.`,
      );
    return send<T>(
      method.toUpperCase(),
      withQuery(path, options.query),
      options,
      undefined,
      options.body === undefined ? undefined : jsonBody(options.body),
    );
  });
}

/** A path with its query string. */
const withQuery = (path: string, query: object | undefined): string => {
  const text = formatQuery(query);
  return text ? `${path}?${text}` : path;
};

/** Records that came from a listing or `getMany`: never the base of an update, whatever their shape. */
const listingRecords = new WeakSet<object>();

/** Hint of every refused update. */
const FETCH_FIRST = ". Fetch the record with get(id) first, or use patch(id, changes).";

/**
 * One page of a listing: `GET {path}?{query}`. The page has `hasNextPage()` / `getNextPage()` and can be iterated
 * with `for await` across every later page. An answer without a `Records` array is a `NexudusApiError`.
 */
export function list<T>(
  transport: Transport,
  resource: ResourceInfo,
  query?: object,
  options?: RequestOptions,
): NexudusPromise<ListPage<T>>;
/** The same, typed by a generated resource's info (e.g. `coworkerTimePasses`). */
export function list<Item, Query extends object>(
  transport: Transport,
  resource: ResourceInfo<{ list: ListMethod<Item, Query> }>,
  query?: NoInfer<Query>,
  options?: RequestOptions,
): NexudusPromise<ListPage<Item>>;
export function list<T>(
  transport: Transport,
  resource: ResourceInfo<object>,
  query: object = {},
  options: RequestOptions = {},
): NexudusPromise<ListPage<T>> {
  return operate(transport, async (send) => {
    const { data, response } = await send<Json & { Records: unknown[] }>(
      "GET",
      withQuery(resource.path, query),
      options,
      "page",
    );
    for (const record of data.Records) if (isObject(record)) listingRecords.add(record);
    return {
      // The page asked for: `query.page` as a number, default 1.
      data: new ListPage<T>(data, Number((query as { page?: unknown }).page) || 1, (next) =>
        list<T>(transport, resource as ResourceInfo, { ...query, page: next }, options),
      ),
      response,
    };
  });
}

/** Every page of a listing, fetched one at a time, from `query.page` (default 1); stops as `ListPage` says. */
export function pages<T>(
  transport: Transport,
  resource: ResourceInfo,
  query?: object,
  options?: RequestOptions,
): AsyncIterableIterator<ListPage<T>>;
/** The same, typed by a generated resource's info (e.g. `coworkerTimePasses`). */
export function pages<Item, Query extends object>(
  transport: Transport,
  resource: ResourceInfo<{ list: ListMethod<Item, Query> }>,
  query?: NoInfer<Query>,
  options?: RequestOptions,
): AsyncIterableIterator<ListPage<Item>>;
export async function* pages<T>(
  transport: Transport,
  resource: ResourceInfo<object>,
  query?: object,
  options?: RequestOptions,
): AsyncIterableIterator<ListPage<T>> {
  for (
    let page = await list<T>(transport, resource as ResourceInfo, query, options);
    ;
    page = await page.getNextPage()
  ) {
    yield page;
    if (!page.hasNextPage()) return;
  }
}

/** Every record of every page; holds at most one page in memory. Stops at the next record once `signal` aborts. */
export function listAll<T>(
  transport: Transport,
  resource: ResourceInfo,
  query?: object,
  options?: RequestOptions,
): AsyncIterableIterator<T>;
/** The same, typed by a generated resource's info (e.g. `coworkerTimePasses`). */
export function listAll<Item, Query extends object>(
  transport: Transport,
  resource: ResourceInfo<{ list: ListMethod<Item, Query> }>,
  query?: NoInfer<Query>,
  options?: RequestOptions,
): AsyncIterableIterator<Item>;
export async function* listAll<T>(
  transport: Transport,
  resource: ResourceInfo<object>,
  query?: object,
  options?: RequestOptions,
): AsyncIterableIterator<T> {
  for await (const page of pages<T>(transport, resource as ResourceInfo, query, options))
    for (const record of page.Records) {
      yield record;
      stopIfAborted(options?.signal);
    }
}

/** One full record: `GET {path}/{id}`. An answer that is not a record is a `NexudusApiError`. */
export function get<T>(
  transport: Transport,
  resource: ResourceInfo,
  id: number,
  options?: RequestOptions,
): NexudusPromise<T>;
/** The same, typed by a generated resource's info (e.g. `coworkerTimePasses`). */
export function get<Record>(
  transport: Transport,
  resource: ResourceInfo<{ get: GetMethod<Record> }>,
  id: number,
  options?: RequestOptions,
): NexudusPromise<Record>;
export function get<T>(
  transport: Transport,
  resource: ResourceInfo<object>,
  id: number,
  options: RequestOptions = {},
): NexudusPromise<T> {
  return operate(transport, (send) =>
    send<T>("GET", `${resource.path}/${checkId(id)}`, options, "record"),
  );
}

/**
 * Several records by id with `GET {path}/?id=[…]`, split when the URL would exceed the client's `maxUrlLength`. The
 * result follows the order of `ids`; a repeated id gives its record once, at its first position; an id without a
 * record is left out. `withResponse()` gives the last request's answer.
 */
export function getMany<T>(
  transport: Transport,
  resource: ResourceInfo,
  ids: readonly number[],
  options?: RequestOptions,
): NexudusPromise<T[]>;
/** The same, typed by a generated resource's info (e.g. `coworkerTimePasses`). */
export function getMany<Item>(
  transport: Transport,
  resource: ResourceInfo<{ getMany: GetManyMethod<Item> }>,
  ids: readonly number[],
  options?: RequestOptions,
): NexudusPromise<Item[]>;
export function getMany<T>(
  transport: Transport,
  resource: ResourceInfo<object>,
  ids: readonly number[],
  options: RequestOptions = {},
): NexudusPromise<T[]> {
  return operate(transport, async (send, { maxUrlLength = 2000 }) => {
    if (!Array.isArray(ids)) throw new NexudusUsageError("getMany() takes an array of ids.");
    const unique = [...new Set(ids.map((id) => checkId(id)))];
    const prefix = `${resource.path}/?id=`;
    const found = new Map<number, T>();
    let response = new Response("[]", { headers: { "Content-Type": "application/json" } });
    const chunks: number[][] = [];
    for (const id of unique) {
      const chunk = chunks.at(-1);
      const url = transport.baseUrl + prefix + encodeURIComponent(`[${[...(chunk ?? []), id]}]`);
      if (chunk && url.length <= maxUrlLength) chunk.push(id);
      else chunks.push([id]);
    }
    for (const chunk of chunks) {
      const answer = await send<unknown[]>(
        "GET",
        prefix + encodeURIComponent(`[${chunk}]`),
        options,
        "list",
      );
      for (const record of answer.data)
        if (isObject(record) && typeof record.Id === "number") {
          listingRecords.add(record);
          if (!found.has(record.Id)) found.set(record.Id, record as T);
        }
      response = answer.response;
    }
    return { data: unique.flatMap((id) => (found.has(id) ? [found.get(id) as T] : [])), response };
  });
}

/**
 * Creates a record: `POST {path}`. A POST is never re-sent after a network failure, a timeout or a 5xx; the error
 * then says the record may have been created and how to check.
 */
export function create(
  transport: Transport,
  resource: ResourceInfo,
  input: object,
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
/** The same, typed by a generated resource's info (e.g. `coworkerTimePasses`). */
export function create<Input extends object>(
  transport: Transport,
  resource: ResourceInfo<{ create: CreateMethod<Input> }>,
  input: NoInfer<Input>,
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
export function create(
  transport: Transport,
  resource: ResourceInfo<object>,
  input: object,
  options: RequestOptions = {},
): NexudusPromise<ActionResult> {
  return operate(transport, (send) => {
    if (!isObject(input))
      throw new NexudusUsageError(`create() takes a ${resource.entity} object.`);
    return post(
      send,
      resource.path,
      input,
      options,
      `The ${resource.entity} may have been created. Before creating it again, look for it, e.g. ` +
        `list({ orderBy: "CreatedOn", dir: -1 }) or a from_${resource.entity}_CreatedOn filter.`,
    );
  });
}

/**
 * `POST {path}` with a JSON body; never re-sent after a network failure, a timeout or a 5xx (the transport's rule for
 * POST). Such an error then says the write may have happened, and how to check.
 */
const post = (
  send: Send,
  path: string,
  body: object,
  options: RequestOptions,
  mayHaveHappened: string,
): Promise<WithResponse<ActionResult>> =>
  send<ActionResult>("POST", path, options, "record", jsonBody(body)).catch((error: unknown) => {
    if (
      error instanceof NexudusTimeoutError ||
      error instanceof NexudusNetworkError ||
      error instanceof NexudusServerError
    )
      error.message += " " + mayHaveHappened;
    throw error;
  });

/** `PUT {path}` with a full record. */
const putRecord = (
  send: Send,
  resource: ResourceInfo<object>,
  record: Json,
  options: RequestOptions,
) => send<ActionResult>("PUT", resource.path, options, "record", jsonBody(record));

/**
 * Replaces a record: `PUT {path}` with the full record. Refuses, before any request, a record from a listing or
 * `getMany` (whatever its shape), a record without a valid `Id`, and one lacking a field the listing leaves out or a
 * field required on update (a PUT would clear or refuse it): use `get()` first, or `patch()`.
 */
export function update(
  transport: Transport,
  resource: ResourceInfo,
  record: object,
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
/** The same, typed by a generated resource's info for updates (e.g. `coworkerTimePassesForUpdate`). */
export function update<Record extends object>(
  transport: Transport,
  resource: UpdateInfo<{ update: UpdateMethod<Record> }>,
  record: NoInfer<Record>,
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
export function update(
  transport: Transport,
  resource: ResourceInfo<object>,
  record: object,
  options: RequestOptions = {},
): NexudusPromise<ActionResult> {
  return operate(transport, (send) => {
    if (!isObject(record))
      throw new NexudusUsageError(`update() needs a full ${resource.entity} record${FETCH_FIRST}`);
    const missing = (resource.listingOmits ?? []).filter((field) => !has(record, field));
    const required = (resource.requiredOnUpdate ?? []).filter((field) => !has(record, field));
    if (!has(record, "Id") || missing.length || required.length)
      throw new NexudusUsageError(
        `update() needs a full ${resource.entity} record with its Id` +
          (missing.length
            ? `; this one lacks ${missing.join(", ")} (left out of listings), which the PUT would clear`
            : "") +
          (required.length ? `; this one lacks ${required.join(", ")}, required on update` : "") +
          FETCH_FIRST,
      );
    if (listingRecords.has(record))
      throw new NexudusUsageError(
        `update() refuses a ${resource.entity} record from a listing or getMany(): it may lack fields the PUT would clear${FETCH_FIRST}`,
      );
    checkId(record.Id, "The record's Id");
    return putRecord(send, resource, record, options);
  });
}

/**
 * Changes some fields safely: `GET {path}/{id}`, apply `changes` (undefined values ignored), read the record again,
 * then `PUT` it. Between the reads and the PUT another writer may change the record: when its `UpdatedOn` moved
 * between the two reads, nothing is sent and a `NexudusConflictError` says so; a change in the short window between
 * the second read and the PUT is overwritten. A read that answers no record with this `Id` sends no PUT.
 */
export function patch(
  transport: Transport,
  resource: ResourceInfo,
  id: number,
  changes: object,
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
/** The same, typed by a generated resource's info for updates (e.g. `coworkerTimePassesForUpdate`). */
export function patch<Changed extends object>(
  transport: Transport,
  resource: UpdateInfo<{ patch: PatchMethod<Changed> }>,
  id: number,
  changes: NoInfer<Changed>,
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
export function patch(
  transport: Transport,
  resource: ResourceInfo<object>,
  id: number,
  changes: object,
  options: RequestOptions = {},
): NexudusPromise<ActionResult> {
  return operate(transport, async (send) => {
    checkId(id);
    if (!isObject(changes)) throw new NexudusUsageError("patch() takes an object of changes.");
    const updates = Object.entries(changes).filter(([, value]) => value !== undefined);
    const fixed = updates.filter(([field]) => resource.readOnlyOnUpdate?.includes(field));
    if (fixed.length)
      throw new NexudusUsageError(
        `patch() cannot change ${fixed.map(([f]) => f).join(", ")}: an update does not change it.`,
      );
    const path = `${resource.path}/${id}`;
    const read = async (): Promise<Json> => {
      const { data } = await send<unknown>("GET", path, options);
      if (!isObject(data) || data.Id !== id)
        throw new NexudusApiError(
          `GET ${path} answered no ${resource.entity} record with Id ${id}; patch() sent no PUT`,
          { method: "GET", path },
        );
      return data;
    };
    const first = await read();
    const record = { ...first };
    for (const [field, value] of updates) put(record, field, value);
    if (typeof first.UpdatedOn === "string") {
      const again = await read();
      if (again.UpdatedOn !== first.UpdatedOn)
        throw new NexudusConflictError(
          `${resource.entity} ${id} changed while patch() was applying its changes (UpdatedOn ${first.UpdatedOn} -> ${String(again.UpdatedOn)}); no PUT was sent. Read it again and retry.`,
          { method: "PUT", path: resource.path },
        );
    }
    return putRecord(send, resource, record, options);
  });
}

/**
 * Deletes a record: `DELETE {path}/{id}` (the function behind each resource's `delete()`; `delete` is a reserved
 * word). When an attempt failed (5xx or no answer) and the re-sent DELETE answers 404, the first attempt did delete
 * it: the result is a successful `ActionResult` saying so.
 */
export function remove(
  transport: Transport,
  resource: ResourceInfo,
  id: number,
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
/** The same, typed by a generated resource's info (e.g. `coworkerTimePasses`). */
export function remove(
  transport: Transport,
  resource: ResourceInfo<{ delete: DeleteMethod }>,
  id: number,
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
export function remove(
  transport: Transport,
  resource: ResourceInfo<object>,
  id: number,
  options: RequestOptions = {},
): NexudusPromise<ActionResult> {
  return operate(transport, (send) =>
    send<ActionResult>(
      "DELETE",
      `${resource.path}/${checkId(id)}`,
      options,
      "record",
      undefined,
      (): ActionResult => ({
        Status: 200,
        Message:
          "Already deleted: an earlier attempt of this DELETE took effect (the re-sent one answered 404).",
        Value: { Id: id },
        OpenInDialog: false,
        OpenInWindow: false,
        RedirectURL: null,
        JavaScript: null,
        UpdatedOn: null,
        UpdatedBy: null,
        Errors: null,
        WasSuccessful: true,
      }),
    ),
  );
}

/** The commands of an entity, or those available for one record: `GET {path}/commands[?id=N]`. */
export function commands(
  transport: Transport,
  resource: ResourceInfo,
  id?: number,
  options?: RequestOptions,
): NexudusPromise<Command[]>;
/** The same, typed by a generated resource's info (e.g. `coworkerTimePasses`). */
export function commands(
  transport: Transport,
  resource: ResourceInfo<{ commands: CommandsMethod }>,
  id?: number,
  options?: RequestOptions,
): NexudusPromise<Command[]>;
export function commands(
  transport: Transport,
  resource: ResourceInfo<object>,
  id?: number,
  options: RequestOptions = {},
): NexudusPromise<Command[]> {
  return operate(transport, (send) =>
    send<Command[]>(
      "GET",
      `${resource.path}/commands${id === undefined ? "" : `?id=${checkId(id)}`}`,
      options,
      "list",
    ),
  );
}

/** Runs a command on records: `POST {path}/runcommand` with `{Key, Ids, Parameters?}`. Never re-sent after a failure. */
export function runCommand(
  transport: Transport,
  resource: ResourceInfo,
  key: string,
  ids: readonly number[],
  parameters?: readonly CommandParameter[],
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
/** The same, typed by a generated resource's info (e.g. `coworkerTimePasses`). */
export function runCommand(
  transport: Transport,
  resource: ResourceInfo<{ runCommand: RunCommandMethod }>,
  key: string,
  ids: readonly number[],
  parameters?: readonly CommandParameter[],
  options?: RequestOptions,
): NexudusPromise<ActionResult>;
export function runCommand(
  transport: Transport,
  resource: ResourceInfo<object>,
  key: string,
  ids: readonly number[],
  parameters?: readonly CommandParameter[],
  options: RequestOptions = {},
): NexudusPromise<ActionResult> {
  return operate(transport, (send) => {
    if (typeof key !== "string" || !key)
      throw new NexudusUsageError("runCommand() needs a command key.");
    if (!Array.isArray(ids)) throw new NexudusUsageError("runCommand() takes an array of ids.");
    ids.forEach((id) => checkId(id));
    return post(
      send,
      `${resource.path}/runcommand`,
      { Key: key, Ids: ids, Parameters: parameters },
      options,
      `The command ${key} may have run. Check the records before running it again.`,
    );
  });
}
