import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { loadSpecs } from "../../generator/load.js";
import { buildModel, conventionalFilterName, type ApiModel, type EntityModel, type FieldModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";
import { BookingRepeatCycle, NexudusClient, RepeatedBookingUpdateAction, type ProductCreate } from "../../generated/src/index.js";
import { startNexudusTestServer, type NexudusTestServer } from "../../generated/src/testing/index.js";
import { ROOT } from "../helpers/project.js";

/** What every generated resource offers for the operations these tests use. */
interface AnyResource {
  list(query?: Record<string, unknown>): Promise<{ Records: Record<string, unknown>[]; TotalItems: number }>;
  get(id: number): Promise<Record<string, unknown>>;
  create?(input: Record<string, unknown>): Promise<{ WasSuccessful: boolean; Value: { Id: number } | null }>;
}

/** A value of a field's type that the client and the server both take. */
function sample(field: FieldModel, model: ApiModel): unknown {
  const { type } = field;
  const one = (() => {
    switch (type.kind) {
      case "integer":
        return 7;
      case "number":
        return 7.5;
      case "boolean":
        return true;
      case "datetime":
        return "2025-01-15T10:30:00Z";
      case "enum":
        return model.enums.find((e) => e.name === type.enumName)!.values[0]!.value;
      default:
        return `sample ${field.name}`;
    }
  })();
  return type.array ? [one] : one;
}

/** The entity of an area these tests drive: the first one that can be listed, read and created. */
function pick(area: ApiModel["areas"][number]): EntityModel {
  return area.entities.find((e) => e.ops.list && e.ops.get && e.ops.create) ?? area.entities.find((e) => e.ops.list && e.ops.get)!;
}

/**
 * The generated client against the package's own test server, which serves every generated entity
 * from the model: one entity of every area, chosen from the model, end to end.
 */
describe("one entity of every area against the Nexudus-like server", () => {
  let model: ApiModel;
  let server: NexudusTestServer;
  let nx: NexudusClient;

  beforeAll(async () => {
    const diagnostics: Diagnostic[] = [];
    const specs = await loadSpecs(path.join(ROOT, "specs"), diagnostics);
    validateSpecs(specs, diagnostics);
    expect(diagnostics).toEqual([]);
    model = buildModel(specs);
    server = await startNexudusTestServer({ tokens: ["areas-token"] });
    nx = new NexudusClient({ token: "areas-token", baseUrl: server.url });
  });
  afterAll(() => server.close());

  it("covers every area of the model", () => {
    expect(model.areas.map((a) => a.name)).toEqual(["apps", "billing", "collaboration", "community", "content", "crm", "security", "spaces", "support", "sys"]);
    expect(model.areas.every((a) => pick(a) !== undefined)).toBe(true);
  });

  it("creates (or seeds), reads and lists a record of each area's entity, filtering by a conventional filter", async () => {
    const filteredIn: string[] = [];
    for (const area of model.areas) {
      const entity = pick(area);
      const resource = (nx as unknown as Record<string, Record<string, AnyResource>>)[area.name]![entity.resourceProperty]!;
      const writable = entity.fields.filter((f) => !f.readOnly && !f.updateOnly && !f.base && f.type.kind !== "object" && f.type.kind !== "unknown" && f.type.kind !== "json");
      const input = Object.fromEntries(writable.filter((f) => f.required || f === writable[0]).map((f) => [f.name, sample(f, model)]));
      let id: number;
      if (entity.ops.create && resource.create) {
        const result = await resource.create(input);
        expect(result.WasSuccessful, entity.name).toBe(true);
        id = result.Value!.Id;
      } else {
        // A read-only entity cannot be created through the API: the test puts its record on the server.
        [id] = server.addRecords(entity.path, [input]) as [number];
      }
      const record = await resource.get(id);
      expect(record, entity.name).toMatchObject({ Id: id, ...input });

      // A derived filter on the first scalar field the record carries finds the record.
      const flagged = entity.filters.find((f) => f.provenance === "derived" && writable.some((w) => conventionalFilterName(entity.name, w.name, w.type) === f.name && w.name in input && !w.type.array));
      if (flagged) {
        const field = writable.find((w) => conventionalFilterName(entity.name, w.name, w.type) === flagged.name)!;
        const page = await resource.list({ [flagged.name]: input[field.name] });
        expect(page.Records.map((r) => r.Id), `${entity.name} ${flagged.name}`).toContain(id);
        filteredIn.push(area.name);
      }
      const all = await resource.list({ size: 100 });
      expect(all.Records.some((r) => r.Id === id), entity.name).toBe(true);
    }
    expect(filteredIn.length).toBeGreaterThanOrEqual(model.areas.length - 1);
  });

  it("sends a booking's create-only repeat settings and its child objects, and reads the children back", async () => {
    const result = await nx.spaces.bookings.create({
      ResourceId: 3,
      FromTime: "2025-01-15T10:00:00Z",
      ToTime: "2025-01-15T11:00:00Z",
      Repeats: BookingRepeatCycle.Weekly,
      WhichBookingsToUpdate: RepeatedBookingUpdateAction.UpdateThisBookingOnly,
      RepeatBooking: true,
      RepeatEvery: 2,
      BookingProducts: [{ ProductId: 5, Quantity: 2 }, { ProductId: 6, Quantity: 1, InvoiceInMinutes: 30 }],
      BookingVisitors: [{ VisitorFullName: "Ada Lovelace", VisitorEmail: "ada@example.com" }],
    });
    const request = server.requests.at(-1)!;
    expect(JSON.parse(request.body)).toMatchObject({ RepeatBooking: true, RepeatEvery: 2, BookingProducts: [{ ProductId: 5, Quantity: 2 }, { ProductId: 6, Quantity: 1, InvoiceInMinutes: 30 }] });
    const booking = await nx.spaces.bookings.get(result.Value!.Id);
    expect(booking.BookingProducts).toEqual([{ ProductId: 5, Quantity: 2 }, { ProductId: 6, Quantity: 1, InvoiceInMinutes: 30 }]);
    expect(booking.BookingVisitors).toEqual([{ VisitorFullName: "Ada Lovelace", VisitorEmail: "ada@example.com" }]);
    // Derived filters reach the server under their conventional names: a foreign key drops its Id.
    const page = await nx.spaces.bookings.list({ Booking_Resource: 3 });
    expect(page.Records.map((r) => r.Id)).toContain(result.Value!.Id);
  });

  it("reads an id list only from the full record, never from a listing record", async () => {
    const created = await nx.billing.products.create({ ...requiredOf("Product"), Tariffs: [11, 12] } as ProductCreate);
    const full = await nx.billing.products.get(created.Value!.Id);
    expect(full.Tariffs).toEqual([11, 12]);
    const listed = (await nx.billing.products.list({ size: 100 })).Records.find((r) => r.Id === created.Value!.Id)!;
    expect(listed).toBeDefined();
    expect("Tariffs" in listed).toBe(false);
    expect("AddedTariffs" in listed).toBe(false);
  });

  /** The required create fields of an entity, with sample values. */
  function requiredOf(entityName: string): Record<string, unknown> {
    const entity = model.entities.find((e) => e.name === entityName)!;
    return Object.fromEntries(entity.fields.filter((f) => f.required && !f.readOnly && !f.updateOnly).map((f) => [f.name, sample(f, model)]));
  }
});
