import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { loadSpecs } from "../../generator/load.js";
import { buildModel, type EntityModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";
import { NexudusApiError, NexudusClient } from "../../generated/src/index.js";
import { startNexudusTestServer, type NexudusTestServer, type SeedRecords } from "../../generated/src/testing/index.js";
import { ROOT } from "../helpers/project.js";

/**
 * The package's own test server knows every entity of the package. The expectations come from the
 * model of the project's specs, the test server's only knowledge from its generated manifest.
 */
async function loadEntities(): Promise<EntityModel[]> {
  const diagnostics: Diagnostic[] = [];
  const specs = await loadSpecs(path.join(ROOT, "specs"), diagnostics);
  validateSpecs(specs, diagnostics);
  if (diagnostics.length > 0) throw new Error(`the specs do not validate: ${diagnostics.map((d) => d.message).join("; ")}`);
  return buildModel(specs).entities;
}
const entities = await loadEntities();
const has = (entity: EntityModel, operation: string) => entity.operations.some((op) => op.name === operation);
/** What a create (or an update) must carry: required fields it takes. */
const requiredOn = (entity: EntityModel, on: "create" | "update") =>
  entity.fields
    .filter((f) => f.required && !f.readOnly && !(on === "create" ? f.updateOnly : f.createOnly))
    .map((f) => f.name)
    .sort();

/** The client's resource of an entity, with the methods these tests call. */
interface AnyResource {
  list(query?: object): Promise<{ Records: Record<string, unknown>[]; TotalItems: number }>;
  get(id: number): Promise<Record<string, unknown>>;
  create(input: object): Promise<{ Value: { Id: number } | null }>;
}
function resourceOf(nx: NexudusClient, entity: EntityModel): AnyResource {
  return (nx as unknown as Record<string, Record<string, AnyResource>>)[entity.area]![entity.resourceProperty]!;
}

const TOKEN = "testing-token";

describe("nexudus-api/testing serves every entity of the package", () => {
  let server: NexudusTestServer;
  let nx: NexudusClient;
  /** Raw request, for operations the client does not have for an entity. */
  const send = (method: string, url: string, body?: object) =>
    fetch(server.url + url, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    // One empty seed record per entity, keyed by entity name, with no collection written out.
    const seed = Object.fromEntries(entities.map((e) => [e.name, [{}]])) as SeedRecords;
    server = await startNexudusTestServer({ tokens: [TOKEN], seed });
    nx = new NexudusClient({ baseUrl: server.url, token: TOKEN, maxRetries: 0 });
  });
  afterAll(() => server.close());

  it("the specs have entities to test", () => {
    expect(entities.length).toBeGreaterThan(0);
  });

  it.each(entities.map((e) => [e.name, e] as const))("%s: listed, read, and listing records leave out what the spec omits", async (_, entity) => {
    const resource = resourceOf(nx, entity);
    const [seeded] = server.records(entity.path);
    expect(seeded).toBeDefined();
    if (has(entity, "get")) {
      const record = await resource.get(seeded!.Id as number);
      // Every field of the entity is in the full record (null when never set).
      expect(Object.keys(record).sort()).toEqual(expect.arrayContaining(entity.fields.map((f) => f.name).sort()));
    } else {
      expect((await send("GET", `${entity.path}/${String(seeded!.Id)}`)).status).toBe(405);
    }
    if (has(entity, "list")) {
      const page = await resource.list();
      expect(page.TotalItems).toBe(1);
      for (const omitted of entity.listingOmits) expect(page.Records[0]).not.toHaveProperty(omitted);
    } else {
      expect((await send("GET", entity.path)).status).toBe(405);
    }
  });

  it.each(entities.filter((e) => has(e, "list")).map((e) => [e.name, e] as const))("%s: every filter and range filter of the entity is one the server knows", async (_, entity) => {
    const sample = (type: EntityModel["filters"][number]["type"]): unknown =>
      type.kind === "integer" || type.kind === "number" || type.kind === "enum" ? 1 : type.kind === "boolean" ? true : type.kind === "datetime" ? new Date(Date.UTC(2020, 0, 1)) : "x";
    const query = Object.fromEntries([
      ...entity.filters.map((f) => [f.name, sample(f.type)]),
      ...entity.rangeFilters.flatMap((r) => [
        [r.fromName, sample(r.type)],
        [r.toName, sample(r.type)],
      ]),
    ]);
    await expect(resourceOf(nx, entity).list(query)).resolves.toHaveProperty("Records");
  });

  it.each(entities.map((e) => [e.name, e] as const))("%s: create refuses a body without the required fields, naming each; without create it is 405", async (_, entity) => {
    if (!has(entity, "create")) {
      expect((await send("POST", entity.path, {})).status).toBe(405);
      expect(server.records(entity.path)).toHaveLength(1);
      return;
    }
    const required = requiredOn(entity, "create");
    if (required.length === 0) {
      const created = await resourceOf(nx, entity).create({});
      expect(server.record(entity.path, created.Value!.Id)).toBeDefined();
      return;
    }
    const error = await resourceOf(nx, entity).create({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NexudusApiError);
    expect((error as NexudusApiError).status).toBe(400);
    expect((error as NexudusApiError).errors.map((e) => e.PropertyName).sort()).toEqual(required);
  });

  it.each(entities.map((e) => [e.name, e] as const))("%s: update and delete only where the entity has them", async (_, entity) => {
    const [seeded] = server.records(entity.path);
    const update = await send("PUT", entity.path, seeded!);
    const remove = await send("DELETE", `${entity.path}/${String(seeded!.Id)}`);
    if (!has(entity, "update")) expect(update.status).toBe(405);
    else {
      // The seeded record has every field null: an update is refused when the entity requires one, naming each.
      const required = requiredOn(entity, "update");
      expect(update.status).toBe(required.length > 0 ? 400 : 200);
      if (required.length > 0) expect(((await update.json()) as { Errors: { PropertyName: string }[] }).Errors.map((e) => e.PropertyName).sort()).toEqual(required);
    }
    expect(remove.status).toBe(has(entity, "delete") ? 200 : 405);
  });
});

describe("nexudus-api/testing options", () => {
  const [first] = entities;
  const other = entities.find((e) => e.path !== first?.path);

  it("a collection at an entity's path replaces that entity's default, records and rules as given", async () => {
    // As a verification tool does: records that deliberately differ from the specs.
    const server = await startNexudusTestServer({
      tokens: [TOKEN],
      collections: [{ entity: first!.name, path: first!.path, records: [{ NotInTheSpec: "kept" }], required: [] }],
    });
    try {
      const [record] = server.records(first!.path);
      expect(record).toMatchObject({ NotInTheSpec: "kept" });
      // Only the collection's fields: the entity's default (its fields, its operations) is gone.
      for (const { name: field } of first!.fields) if (!["Id", "UniqueId", "CreatedOn", "UpdatedOn", "UpdatedBy", "IsNew", "SystemId"].includes(field)) expect(record).not.toHaveProperty(field);
      // Every other entity is still served.
      if (other) expect(server.records(other.path)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("a filter on a related record's field compares the field of the served related record", async () => {
    // `Charge_Business_Name` where Charge has no BusinessName: the Business of BusinessId, its Name.
    const joins = entities.flatMap((entity) =>
      entity.filters.flatMap((filter) => {
        const [head, field, ...more] = filter.name.slice(entity.name.length + 1).split("_");
        const related = entities.find((e) => e.name === head);
        const fieldNames = entity.fields.map((f) => f.name);
        const joined = related?.fields.find((f) => f.name === field && f.type.kind === "string");
        const usable = more.length === 0 && joined && fieldNames.includes(`${head}Id`) && !fieldNames.includes(`${head}${field}`) && has(entity, "list");
        return usable ? [{ entity, filter: filter.name, related: related!, key: `${head}Id`, field: field! }] : [];
      }),
    );
    expect(joins.length).toBeGreaterThan(0);
    const { entity, filter, related, key, field } = joins[0]!;
    const server = await startNexudusTestServer({
      tokens: [TOKEN],
      seed: {
        [related.name]: [{ Id: 1, [field]: "North" }, { Id: 2, [field]: "South" }],
        [entity.name]: [{ [key]: 1 }, { [key]: 2 }, { [key]: 1 }],
      } as SeedRecords,
    });
    try {
      const nx = new NexudusClient({ baseUrl: server.url, token: TOKEN });
      const page = await resourceOf(nx, entity).list({ [filter]: "north" });
      expect(page.Records.map((r) => r[key])).toEqual([1, 1]);
    } finally {
      await server.close();
    }
  });

  it("entities: [] serves only the collections given", async () => {
    const server = await startNexudusTestServer({ tokens: [TOKEN], entities: [] });
    try {
      const answer = await fetch(`${server.url}${first!.path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(answer.status).toBe(404);
      expect(() => server.records(first!.path)).toThrow(/No collection/);
    } finally {
      await server.close();
    }
  });

  it("a seed for an entity the package does not have fails with its name, before the server starts", async () => {
    await expect(startNexudusTestServer({ seed: { NoSuchEntity: [{}] } as SeedRecords })).rejects.toThrow(/seed: no entity "NoSuchEntity" is served/);
  });
});
