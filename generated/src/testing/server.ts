// Copied by nexudus-codegen from templates/testing/server.ts. Do not edit here: edit the template and run `npm run generate`.
/**
 * A Nexudus-like HTTP server for tests (node:http on 127.0.0.1), with an in-memory data set, the token endpoint,
 * listings with filters, range filters, paging and sorting, get / batch / create / true-PUT update / delete,
 * commands, and fault injection. Exported by the generated package as `nexudus-api/testing`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** A stored record: any JSON object; the server adds `Id, UniqueId, CreatedOn, UpdatedOn, UpdatedBy, IsNew, SystemId`. */
export type TestRecord = Record<string, unknown>;

/** A command offered by a collection (`GET …/commands`, `POST …/runcommand`). */
export interface TestCommand {
  /** Command key. */
  Key: string;
  /** Display name (default: the key). */
  Name?: string;
  /** Parameters the command expects. */
  RequiresParameters?: { Name: string; Type: string }[];
  /** Optional effect on the targeted records (they are the stored objects: mutate them). */
  run?: (records: TestRecord[], parameters: { Name: string; Value: unknown }[]) => void;
}

/** An operation of the client, as the package's model names it. */
export type TestOperation =
  "list" | "get" | "getMany" | "create" | "update" | "delete" | "commands" | "runCommand";

/** One entity collection served under `path`. */
export interface TestCollection {
  /** Entity name, e.g. `CoworkerTimePass`; filters are named `<Entity>_<Field>`. */
  entity: string;
  /** Endpoint path, e.g. `/api/billing/coworkertimepasses`. */
  path: string;
  /** Seed records; an `Id` is assigned to those without one. */
  records?: TestRecord[];
  /** Fields left out of listing records. */
  listingOmits?: readonly string[];
  /** Fields left out of batch (`?id=[…]`) records. */
  batchOmits?: readonly string[];
  /** Fields a create or an update must carry (400 otherwise). */
  required?: readonly string[];
  /** Fields an update must carry, when they differ from `required` (create-only fields are not sent on update). */
  requiredOnUpdate?: readonly string[];
  /**
   * Filters it takes that name no field of the record (`Charge_Business_Name`, `ResourceProduct_ProductPrice`).
   * Through a served related record they compare its field (the Business of `BusinessId`, its `Name`);
   * otherwise the record's field of the joined name (`BusinessName`, `ProductPrice`), which a seed may set.
   */
  filters?: readonly string[];
  /** The operations served (default: all); any other request to the collection is answered 405. */
  operations?: readonly TestOperation[];
  /** Every field of a full record (default: the seed records' fields, `listingOmits` and `required`). */
  fields?: readonly string[];
  /** Commands (default: one `SAMPLE_COMMAND`). */
  commands?: TestCommand[];
}

/** A user of the password grant (and of HTTP Basic). */
export interface TestUser {
  /** E-mail. */
  username: string;
  /** Password. */
  password: string;
  /** When set, the password grant needs `totp` equal to it. */
  totp?: string;
}

/** Options of `startNexudusTestServer`. */
export interface TestServerOptions {
  /** Users for the password grant and Basic authentication. */
  users?: TestUser[];
  /** Bearer tokens that are always valid (until `expireTokens()` or an `expired-token` fault). */
  tokens?: string[];
  /** Lifetime of issued access tokens in seconds (default 604 799; fractions allowed). */
  tokenTtlSeconds?: number;
  /** Lifetime of refresh tokens in seconds (default 15 days). */
  refreshTtlSeconds?: number;
  /**
   * Entities served by default, before any seed (the package's `nexudus-api/testing` passes every
   * entity it has; `[]` serves only `collections`).
   */
  entities?: readonly TestCollection[];
  /**
   * Seed records by entity name, added to the entity's collection (`{ TimePass: [{ Name: "Day" }] }`);
   * an `Id` is assigned to those without one.
   */
  seed?: { readonly [entity: string]: readonly object[] | undefined };
  /** Collections to serve; one at the path of an entity replaces that entity's default. */
  collections?: TestCollection[];
  /** Largest `size` honoured (default 1000). */
  maxPageSize?: number;
  /** Longer request URLs (path and query) are answered 414. */
  maxUrlLength?: number;
  /** Server-side throttle like Nexudus: a request sooner than `intervalMs` after the last accepted one gets 409. */
  rateLimit?: { intervalMs: number; retryAfterSeconds?: number };
}

/** A fault to inject into the next matching request(s). */
export type Fault =
  /** Answer this status instead (409/429 default to a `Retry-After: 1` header and Nexudus's throttle message). */
  | { type: "status"; status: number; retryAfter?: number | string | null; body?: unknown }
  /** Destroy the connection without an answer; with `afterProcessing` the request takes effect first. */
  | { type: "reset"; afterProcessing?: boolean }
  /** Hold the request `ms` milliseconds, then process it normally. */
  | { type: "delay"; ms: number }
  /** Answer 200 with a truncated JSON body. */
  | { type: "malformed-json" }
  /** Answer 200 with an ActionResult whose `WasSuccessful` is false (nothing happens). */
  | { type: "unsuccessful"; message?: string }
  /** Expire the presented bearer token, answering 401. */
  | { type: "expired-token" };

/** A fault plus which requests it hits: `times` (default 1) matching requests by method and path. */
export type FaultRule = Fault & {
  /** How many matching requests it hits (default 1). */
  times?: number;
  /** Only this HTTP method. */
  method?: string;
  /** Only this path (and its sub-paths), or URLs matching this expression. */
  path?: string | RegExp;
};

/** A request as the server received it. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** Path with the raw query string, exactly as sent. */
  url: string;
  /** Path only. */
  path: string;
  /** Raw query string without `?` (empty when none). */
  query: string;
  /** Request headers (lower-case names). */
  headers: IncomingHttpHeaders;
  /** Raw body. */
  body: string;
  /** Status answered, 0 when the connection was reset. */
  status: number;
  /** Raw body answered (empty when none). */
  response: string;
  /** Arrival time (`performance.now()`). */
  at: number;
  /** The injected fault, if any. */
  fault?: Fault["type"];
}

/** A command run seen by the server. */
export interface CommandRun {
  /** Collection path. */
  path: string;
  /** Command key. */
  Key: string;
  /** Target ids. */
  Ids: number[];
  /** Parameters. */
  Parameters: { Name: string; Value: unknown }[];
}

/** A running test server. */
export interface NexudusTestServer {
  /** Origin to use as `baseUrl`, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Every command run, in order. */
  readonly commandRuns: CommandRun[];
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
  /** Serves one more collection. */
  addCollection(collection: TestCollection): void;
  /** Adds records to a collection; returns their ids. */
  addRecords(path: string, records: TestRecord[]): number[];
  /** Copies of the stored (full) records of a collection. */
  records(path: string): TestRecord[];
  /** A copy of one stored record. */
  record(path: string, id: number): TestRecord | undefined;
  /** Queues faults for the next matching requests. */
  inject(...rules: FaultRule[]): void;
  /** Number of faults still queued (counting `times`). */
  pendingFaults(): number;
  /** Drops queued faults. */
  clearFaults(): void;
  /** Empties the request log. */
  clearRequests(): void;
  /** Requests to a path (optionally one method), e.g. `requestsTo("/api/token", "POST")`. */
  requestsTo(path: string, method?: string): RecordedRequest[];
  /** Issues a valid access token without the token endpoint. */
  issueToken(ttlSeconds?: number): string;
  /** Expires every access token (refresh tokens still work). */
  expireTokens(): void;
}

const BASE_FIELDS = ["Id", "UniqueId", "CreatedOn", "UpdatedOn", "UpdatedBy", "IsNew", "SystemId"];
const THROTTLE_MESSAGE = "You must wait before accessing this url again.";

interface Grant {
  username: string;
  expiresAt: number;
  clientId?: string | undefined;
}

interface State {
  info: TestCollection;
  records: Map<number, TestRecord>;
  fields: string[];
  nextId: number;
  commands: TestCommand[];
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

const actionResult = (message: string, id: number | null, user: string): TestRecord => ({
  Status: 200,
  Message: message,
  Value: id === null ? null : { Id: id },
  OpenInDialog: false,
  OpenInWindow: false,
  RedirectURL: null,
  JavaScript: null,
  UpdatedOn: now(),
  UpdatedBy: user,
  Errors: null,
  WasSuccessful: true,
});

const failure = (status: number, message: string, errors: TestRecord[] | null = null): HttpAnswer =>
  new HttpAnswer(status, {
    Status: status,
    Message: message,
    Value: null,
    Errors: errors,
    WasSuccessful: false,
  });

const omit = (record: TestRecord, fields: readonly string[] = []): TestRecord => {
  const copy = { ...record };
  for (const field of fields) delete copy[field];
  return copy;
};

const compare = (a: unknown, b: unknown): number => {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number) < (b as number) ? -1 : 1;
};

/** Does a stored value match an equality filter? Strings: case-insensitive "contains" (dates: prefix). */
const matches = (value: unknown, wanted: string): boolean => {
  if (value === null || value === undefined) return false;
  if (typeof value === "number") return value === Number(wanted);
  if (typeof value === "boolean") return String(value) === wanted.toLowerCase();
  const text = String(value);
  if (/^\d{4}-\d\d-\d\dT/.test(text)) return text.startsWith(wanted);
  return text.toLowerCase().includes(wanted.toLowerCase());
};

/** Does a stored value fall on the right side of a range bound? Dates compare as `YYYY-MM-DDTHH:mm`. */
const inRange = (value: unknown, bound: string, from: boolean): boolean => {
  if (value === null || value === undefined) return false;
  const order =
    typeof value === "number"
      ? compare(value, Number(bound))
      : compare(String(value).slice(0, 16), bound.slice(0, 16));
  return from ? order >= 0 : order <= 0;
};

/** The operation a request to a collection asks for (`rest` is the path after the collection's). */
const operationOf = (
  method: string,
  rest: string,
  params: URLSearchParams,
): TestOperation | undefined => {
  const byId = /^\/\d+$/.test(rest);
  if (method === "GET" && rest === "") return params.has("id") ? "getMany" : "list";
  if (method === "GET" && byId) return "get";
  if (method === "GET" && rest === "/commands") return "commands";
  if (method === "POST" && rest === "") return "create";
  if (method === "POST" && rest === "/runcommand") return "runCommand";
  if (method === "PUT" && rest === "") return "update";
  if (method === "DELETE" && byId) return "delete";
  return undefined;
};

/** Starts a Nexudus-like server on 127.0.0.1 (a free port). */
export async function startNexudusTestServer(
  options: TestServerOptions = {},
): Promise<NexudusTestServer> {
  const users = options.users ?? [];
  const access = new Map<string, Grant>();
  const refresh = new Map<string, Grant>();
  for (const token of options.tokens ?? [])
    access.set(token, { username: "admin@example.com", expiresAt: Infinity });
  const collections: State[] = [];
  const requests: RecordedRequest[] = [];
  const commandRuns: CommandRun[] = [];
  let faults: FaultRule[] = [];
  let lastAccepted = -Infinity;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const tokenTtl = options.tokenTtlSeconds ?? 604_799;

  const issue = (username: string, clientId?: string, ttl = tokenTtl): TestRecord => {
    const token = randomBytes(24).toString("base64url");
    const refreshToken = randomBytes(24).toString("base64url");
    access.set(token, { username, clientId, expiresAt: Date.now() + ttl * 1000 });
    refresh.set(refreshToken, {
      username,
      clientId,
      expiresAt: Date.now() + (options.refreshTtlSeconds ?? 15 * 86_400) * 1000,
    });
    return {
      access_token: token,
      token_type: "bearer",
      expires_in: ttl,
      refresh_token: refreshToken,
    };
  };

  const addRecords = (state: State, records: TestRecord[]): number[] =>
    records.map((input) => {
      const id = typeof input.Id === "number" ? input.Id : state.nextId;
      state.nextId = Math.max(state.nextId, id + 1);
      const record: TestRecord = {
        Id: id,
        UniqueId: randomUUID(),
        CreatedOn: now(),
        UpdatedOn: now(),
        UpdatedBy: "admin@example.com",
        IsNew: false,
        SystemId: null,
      };
      for (const field of state.fields) record[field] = input[field] ?? null;
      for (const [key, value] of Object.entries(input)) {
        record[key] = value;
        if (!BASE_FIELDS.includes(key) && !state.fields.includes(key)) state.fields.push(key);
      }
      state.records.set(id, record);
      return id;
    });

  const addCollection = (info: TestCollection): void => {
    const fields = new Set<string>([
      ...(info.fields ?? []),
      ...(info.listingOmits ?? []),
      ...(info.required ?? []),
    ]);
    for (const record of info.records ?? []) for (const key of Object.keys(record)) fields.add(key);
    for (const field of BASE_FIELDS) fields.delete(field);
    const state: State = {
      info,
      records: new Map(),
      fields: [...fields],
      nextId: 1,
      commands: info.commands ?? [{ Key: "SAMPLE_COMMAND", Name: "Sample command" }],
    };
    addRecords(state, info.records ?? []);
    collections.push(state);
  };
  const explicitPaths = new Set((options.collections ?? []).map((c) => c.path));
  for (const entity of options.entities ?? [])
    if (!explicitPaths.has(entity.path)) addCollection(entity);
  for (const collection of options.collections ?? []) addCollection(collection);
  for (const [entity, records] of Object.entries(options.seed ?? {})) {
    const state = collections.find((c) => c.info.entity === entity);
    if (!state)
      throw new Error(`seed: no entity "${entity}" is served; name an entity the package has.`);
    addRecords(state, (records ?? []) as TestRecord[]);
  }

  const find = (path: string): State => {
    const state = collections.find((c) => c.info.path === path);
    if (!state) throw new Error(`No collection at ${path}`);
    return state;
  };

  /** Takes the first queued fault matching the request. */
  const takeFault = (method: string, url: string, path: string): Fault | undefined => {
    const rule = faults.find(
      (f) =>
        (!f.method || f.method.toUpperCase() === method) &&
        (f.path === undefined ||
          (typeof f.path === "string"
            ? path === f.path || path.startsWith(f.path.replace(/\/$/, "") + "/")
            : f.path.test(url))),
    );
    if (!rule) return undefined;
    rule.times = (rule.times ?? 1) - 1;
    if (rule.times <= 0) faults = faults.filter((f) => f !== rule);
    return rule;
  };

  /** Who is calling: the user name, or an answer to send (401). */
  const authenticate = (headers: IncomingHttpHeaders): string | HttpAnswer => {
    const [scheme, value = ""] = (headers.authorization ?? "").split(" ");
    if (scheme === "Bearer") {
      const grant = access.get(value);
      if (grant && grant.expiresAt > Date.now()) return grant.username;
    } else if (scheme === "Basic") {
      const [username, ...rest] = Buffer.from(value, "base64").toString("utf8").split(":");
      const user = users.find((u) => u.username === username && u.password === rest.join(":"));
      if (user) return user.username;
    }
    return new HttpAnswer(401, { Message: "Authorization has been denied for this request." });
  };

  const tokenEndpoint = (headers: IncomingHttpHeaders, body: string): HttpAnswer => {
    if (!String(headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      return new HttpAnswer(400, { error: "unsupported_grant_type" });
    }
    const form = new URLSearchParams(body);
    const clientId = typeof headers.client_id === "string" ? headers.client_id : undefined;
    const invalid = (description: string): HttpAnswer =>
      new HttpAnswer(400, { error: "invalid_grant", error_description: description });
    if (form.get("grant_type") === "password") {
      const user = users.find(
        (u) => u.username === form.get("username") && u.password === form.get("password"),
      );
      if (!user) return invalid("The user name or password is incorrect.");
      if (user.totp !== undefined && form.get("totp") !== user.totp)
        return invalid("The two-factor code is incorrect.");
      return new HttpAnswer(200, issue(user.username, clientId));
    }
    if (form.get("grant_type") === "refresh_token") {
      const token = form.get("refresh_token") ?? "";
      const grant = refresh.get(token);
      if (!grant || grant.expiresAt <= Date.now())
        return invalid("The refresh token is invalid or expired.");
      if (grant.clientId !== undefined && grant.clientId !== clientId)
        return invalid("The client_id does not match.");
      refresh.delete(token);
      return new HttpAnswer(200, issue(grant.username, grant.clientId));
    }
    return new HttpAnswer(400, { error: "unsupported_grant_type" });
  };

  /**
   * What a filter compares, read from a record: a field (`Coworker` → `CoworkerId`, `TimePass_Name`
   * → `TimePassName`), or a field of a served related record (`Business_Name` → `Name` of the
   * Business whose Id is the record's `BusinessId`).
   */
  const filterValue = (
    state: State,
    parts: string[],
    depth = 0,
  ): ((record: TestRecord) => unknown) | undefined => {
    const joined = parts.join("");
    const field = [joined, joined + "Id"].find(
      (f) => f === "Id" || state.fields.includes(f) || BASE_FIELDS.includes(f),
    );
    if (field) return (record) => record[field];
    const [head, ...rest] = parts;
    const related = collections.find((c) => c.info.entity === head);
    const key = `${head}Id`;
    if (!related || rest.length === 0 || !state.fields.includes(key) || depth > 3) return undefined;
    const inner = filterValue(related, rest, depth + 1);
    if (!inner) return undefined;
    return (record) => {
      const target = related.records.get(Number(record[key]));
      return target && inner(target);
    };
  };

  /** A filter the collection declares but no record field answers compares the joined name (seed it). */
  const declaredFilter = (state: State, filter: string, parts: string[]) =>
    state.info.filters?.includes(filter)
      ? (record: TestRecord): unknown => record[parts.join("")]
      : undefined;

  const listing = (state: State, params: URLSearchParams): HttpAnswer => {
    const prefix = state.info.entity + "_";
    let records = [...state.records.values()];
    for (const [name, value] of params) {
      if (["page", "size", "orderBy", "dir"].includes(name)) continue;
      const range = /^(from|to)_/.exec(name);
      const filter = range ? name.slice(range[0].length) : name;
      if (!filter.startsWith(prefix)) continue;
      const parts = filter.slice(prefix.length).split("_");
      const read = filterValue(state, parts) ?? declaredFilter(state, filter, parts);
      if (!read) return failure(400, `Unknown filter ${name}`);
      records = records.filter((r) =>
        range ? inRange(read(r), value, range[1] === "from") : matches(read(r), value),
      );
    }
    const orderBy = params.get("orderBy") ?? "Id";
    const dir = params.get("dir") === "-1" ? -1 : 1;
    records.sort((a, b) => (compare(a[orderBy], b[orderBy]) || compare(a.Id, b.Id)) * dir);
    const page = Math.max(1, Number.parseInt(params.get("page") ?? "", 10) || 1);
    const size = Math.min(
      options.maxPageSize ?? 1000,
      Math.max(1, Number.parseInt(params.get("size") ?? "", 10) || 25),
    );
    const total = records.length;
    const slice = records.slice((page - 1) * size, page * size);
    const totalPages = Math.ceil(total / size);
    return new HttpAnswer(200, {
      Records: slice.map((r) => omit(r, state.info.listingOmits)),
      CurrentPage: page,
      CurrentPageSize: size,
      CurrentOrderField: orderBy,
      CurrentSortDirection: dir,
      FirstItem: slice.length ? (page - 1) * size + 1 : 0,
      LastItem: slice.length ? (page - 1) * size + slice.length : 0,
      TotalItems: total,
      TotalPages: totalPages,
      HasNextPage: page < totalPages,
      HasPreviousPage: page > 1,
      PageNumber: page,
      PageSize: size,
    });
  };

  const validate = (
    input: TestRecord,
    required: readonly string[] = [],
  ): HttpAnswer | undefined => {
    const missing = required.filter(
      (f) => input[f] === undefined || input[f] === null || input[f] === "",
    );
    if (!missing.length) return undefined;
    const errors = missing.map((f) => ({
      AttemptedValue: input[f] ?? null,
      Message: "is a required field",
      PropertyName: f,
    }));
    return new HttpAnswer(400, {
      Message: errors.map((e) => `${e.PropertyName}: ${e.Message}`).join(", "),
      Value: null,
      Errors: errors,
      WasSuccessful: false,
    });
  };

  /** Routes one authenticated request to a collection. */
  const route = (
    method: string,
    path: string,
    params: URLSearchParams,
    body: string,
    user: string,
    isJson: boolean,
  ): HttpAnswer => {
    const state = collections.find(
      (c) => path === c.info.path || path.startsWith(c.info.path + "/"),
    );
    if (!state) return new HttpAnswer(404, { Message: `No endpoint at ${path}` });
    const { entity } = state.info;
    const rest = path.slice(state.info.path.length).replace(/^\/$/, "");
    let input: TestRecord = {};
    if (method === "POST" || method === "PUT") {
      if (!isJson) return failure(415, "The request body must be application/json.");
      try {
        input = JSON.parse(body) as TestRecord;
      } catch {
        return failure(400, "The request body is not valid JSON.");
      }
    }
    const idMatch = /^\/(\d+)$/.exec(rest);
    const record = idMatch ? state.records.get(Number(idMatch[1])) : undefined;
    const operation = operationOf(method, rest, params);
    if (operation && state.info.operations && !state.info.operations.includes(operation))
      return new HttpAnswer(405, { Message: `${entity} has no ${operation} operation.` });

    if (method === "GET" && rest === "" && params.has("id")) {
      let ids: unknown;
      try {
        ids = JSON.parse(params.get("id") ?? "");
      } catch {
        return failure(400, "id must be a JSON array of integers.");
      }
      if (!Array.isArray(ids)) return failure(400, "id must be a JSON array of integers.");
      return new HttpAnswer(
        200,
        ids.flatMap((id) => {
          const found = state.records.get(Number(id));
          return found ? [omit(found, state.info.batchOmits)] : [];
        }),
      );
    }
    if (method === "GET" && rest === "") return listing(state, params);
    if (method === "GET" && idMatch) {
      return record
        ? new HttpAnswer(200, record)
        : new HttpAnswer(404, { Message: `No ${entity} with Id ${idMatch[1]}.` });
    }
    if (method === "GET" && rest === "/commands") {
      const oneRecord = params.has("id");
      return new HttpAnswer(
        200,
        state.commands.map((c, index) => ({
          Key: c.Key,
          Name: c.Name ?? c.Key,
          AppliesOnlyToMultipleEntities: false,
          DisplayInDropdown: true,
          DisplayInDropdownV2: true,
          AppliesOnlyToOneEntity: oneRecord,
          AppliesOnlyToTwoEntities: false,
          DisplayInGrid: true,
          Icon: null,
          NeedsEntitiesToRun: true,
          Order: index,
          RequiresParameters: c.RequiresParameters ?? [],
        })),
      );
    }
    if (method === "POST" && rest === "") {
      const invalid = validate(input, state.info.required);
      if (invalid) return invalid;
      const { Id: _ignored, ...fields } = input;
      const [id] = addRecords(state, [{ ...fields, UpdatedBy: user }]);
      return new HttpAnswer(
        200,
        actionResult(`${entity} was successfully created.`, id ?? null, user),
      );
    }
    if (method === "POST" && rest === "/runcommand") {
      const command = state.commands.find((c) => c.Key === input.Key);
      const ids = input.Ids;
      if (!command) return failure(400, `Unknown command ${String(input.Key)}.`);
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === "number"))
        return failure(400, "Ids must be an array of integers.");
      const parameters = Array.isArray(input.Parameters)
        ? (input.Parameters as CommandRun["Parameters"])
        : [];
      commandRuns.push({
        path: state.info.path,
        Key: command.Key,
        Ids: ids as number[],
        Parameters: parameters,
      });
      const targets = (ids as number[]).flatMap((id): TestRecord[] => {
        const found = state.records.get(id);
        return found ? [found] : [];
      });
      command.run?.(targets, parameters);
      return new HttpAnswer(200, actionResult("The command was run correctly.", null, user));
    }
    if (method === "PUT" && rest === "") {
      const existing = typeof input.Id === "number" ? state.records.get(input.Id) : undefined;
      if (!existing) return failure(404, `No ${entity} with Id ${String(input.Id)}.`);
      const invalid = validate(input, state.info.requiredOnUpdate ?? state.info.required);
      if (invalid) return invalid;
      // True PUT: every field the body leaves out is cleared.
      const replaced: TestRecord = {
        Id: existing.Id,
        UniqueId: existing.UniqueId,
        CreatedOn: existing.CreatedOn,
        UpdatedOn: now(),
        UpdatedBy: user,
        IsNew: false,
        SystemId: existing.SystemId,
      };
      for (const field of state.fields) replaced[field] = input[field] ?? null;
      for (const [key, value] of Object.entries(input))
        if (!BASE_FIELDS.includes(key)) replaced[key] = value;
      state.records.set(existing.Id as number, replaced);
      return new HttpAnswer(
        200,
        actionResult(`${entity} was successfully updated.`, existing.Id as number, user),
      );
    }
    if (method === "DELETE" && idMatch) {
      if (!record)
        return failure(500, `The ${entity} could not be deleted: no record with Id ${idMatch[1]}.`);
      state.records.delete(record.Id as number);
      return new HttpAnswer(
        200,
        actionResult(`${entity} was successfully deleted.`, record.Id as number, user),
      );
    }
    return new HttpAnswer(405, { Message: `${method} is not supported on ${path}.` });
  };

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const entry: RecordedRequest = {
      method,
      url,
      path,
      query: queryAt < 0 ? "" : url.slice(queryAt + 1),
      headers: req.headers,
      body,
      status: 0,
      response: "",
      at: performance.now(),
    };
    requests.push(entry);
    let resetAfter = false;
    const send = (answer: HttpAnswer, raw?: string): void => {
      if (resetAfter) {
        req.socket.destroy();
        return;
      }
      entry.status = answer.status;
      entry.response = raw ?? (answer.body === undefined ? "" : JSON.stringify(answer.body));
      res.writeHead(answer.status, {
        "Content-Type": "application/json; charset=utf-8",
        ...answer.headers,
      });
      res.end(entry.response);
    };

    const fault = takeFault(method, url, path);
    if (fault) entry.fault = fault.type;
    switch (fault?.type) {
      case "reset":
        if (!fault.afterProcessing) {
          req.socket.destroy();
          return;
        }
        resetAfter = true;
        break;
      case "delay":
        await wait(fault.ms);
        break;
      case "malformed-json":
        return send(new HttpAnswer(200, undefined), '{"Records":[{"Id":1,"Name":');
      case "unsuccessful":
        return send(failure(200, fault.message ?? "The operation could not be completed."));
      case "expired-token": {
        const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
        const grant = access.get(token);
        if (grant) grant.expiresAt = 0;
        return send(
          new HttpAnswer(401, { Message: "Authorization has been denied for this request." }),
        );
      }
      case "status": {
        const throttle = fault.status === 409 || fault.status === 429;
        const retryAfter =
          fault.retryAfter === undefined ? (throttle ? 1 : null) : fault.retryAfter;
        const headers: Record<string, string> =
          retryAfter === null ? {} : { "Retry-After": String(retryAfter) };
        if (fault.body === undefined && fault.status >= 502 && fault.status <= 504) {
          return send(
            new HttpAnswer(fault.status, undefined, { ...headers, "Content-Type": "text/html" }),
            `<html><body><h1>${fault.status} Service unavailable</h1></body></html>`,
          );
        }
        const body =
          fault.body ??
          (throttle
            ? { Message: THROTTLE_MESSAGE }
            : failure(fault.status, "An error occurred.").body);
        return send(new HttpAnswer(fault.status, body, headers));
      }
    }

    if (options.maxUrlLength !== undefined && url.length > options.maxUrlLength) {
      return send(new HttpAnswer(414, { Message: "Request-URI Too Long" }));
    }
    if (options.rateLimit) {
      const arrived = performance.now();
      if (arrived - lastAccepted < options.rateLimit.intervalMs) {
        return send(
          new HttpAnswer(
            409,
            { Message: THROTTLE_MESSAGE },
            { "Retry-After": String(options.rateLimit.retryAfterSeconds ?? 1) },
          ),
        );
      }
      lastAccepted = arrived;
    }
    if (path === "/api/token") {
      return send(
        method === "POST"
          ? tokenEndpoint(req.headers, body)
          : new HttpAnswer(405, { Message: "Use POST." }),
      );
    }
    const user = authenticate(req.headers);
    if (user instanceof HttpAnswer) return send(user);
    const isJson = String(req.headers["content-type"] ?? "").startsWith("application/json");
    send(route(method, path, new URLSearchParams(entry.query), body, user, isJson));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ Status: 500, Message: String(error), WasSuccessful: false }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    commandRuns,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    addCollection,
    addRecords: (path, records) => addRecords(find(path), records),
    records: (path) => [...find(path).records.values()].map((r) => structuredClone(r)),
    record: (path, id) => {
      const found = find(path).records.get(id);
      return found && structuredClone(found);
    },
    inject: (...rules) => {
      faults.push(...rules.map((rule) => ({ ...rule })));
    },
    pendingFaults: () => faults.reduce((sum, f) => sum + (f.times ?? 1), 0),
    clearFaults: () => {
      faults = [];
    },
    clearRequests: () => {
      requests.length = 0;
    },
    requestsTo: (path, method) =>
      requests.filter((r) => r.path === path && (!method || r.method === method)),
    issueToken: (ttlSeconds) =>
      String(issue("admin@example.com", undefined, ttlSeconds).access_token),
    expireTokens: () => {
      for (const grant of access.values()) grant.expiresAt = 0;
    },
  };
}
