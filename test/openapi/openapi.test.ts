import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { buildOpenApiDocument, type JsonSchema } from "../../generator/emit/openapi.js";
import { orderByFields } from "../../generator/emit/typescript.js";
import { loadSpecs } from "../../generator/load.js";
import { buildModel, type ApiModel, type EntityModel, type TypeModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The parts of an OpenAPI document these tests read. */
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
  content?: Record<string, { schema: JsonSchema }>;
}
interface Operation {
  operationId: string;
  summary: string;
  description: string;
  "x-nexudus-role": string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: JsonSchema }> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: string; scheme?: string; flows?: { password?: { tokenUrl: string } } }>;
  };
  security: Record<string, string[]>[];
}

async function loadModel(specsDir: string): Promise<ApiModel> {
  const diagnostics: Diagnostic[] = [];
  const specs = await loadSpecs(specsDir, diagnostics);
  validateSpecs(specs, diagnostics);
  expect(diagnostics).toEqual([]);
  return buildModel(specs);
}

async function validate(document: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  return new Validator().validate(document as Record<string, unknown>);
}

/** The schema a query parameter of `type` must have. */
function expectedQueryType(type: TypeModel): string | string[] {
  if (type.kind === "untyped") return ["string", "number", "boolean"];
  return type.kind === "datetime" ? "string" : type.kind === "enum" ? "$ref" : type.kind;
}

function operationOf(doc: OpenApiDocument, method: string, pathName: string): Operation {
  const operation = doc.paths[pathName]?.[method.toLowerCase()];
  expect(operation, `${method} ${pathName}`).toBeDefined();
  return operation!;
}

/** Every filter, range filter, paging and sorting parameter of every entity, checked against the model. */
function checkListParameters(doc: OpenApiDocument, entity: EntityModel): void {
  const list = operationOf(doc, "GET", entity.path);
  const params = new Map((list.parameters ?? []).map((p) => [p.name, p]));
  expect([...params.values()].every((p) => p.in === "query")).toBe(true);
  expect(params.get("page")?.schema?.type).toBe("integer");
  expect(params.get("size")?.schema?.type).toBe("integer");
  expect(params.get("orderBy")?.schema?.enum).toEqual(orderByFields(entity).map((f) => f.name));
  expect(params.get("dir")?.schema).toMatchObject({ type: "integer", enum: [1, -1], "x-enum-varnames": ["Ascending", "Descending"] });

  for (const filter of entity.filters) {
    const param = params.get(filter.name);
    expect(param, `${entity.name}: filter ${filter.name}`).toBeDefined();
    const schema = filter.type.array ? param!.schema!.items! : param!.schema!;
    if (filter.type.kind === "enum") expect(schema.$ref).toBe(`#/components/schemas/${filter.type.enumName}`);
    else if (filter.type.kind !== "json") expect(schema.type, filter.name).toEqual(expectedQueryType(filter.type));
    if (filter.type.kind === "datetime") expect(schema.description).toContain("YYYY-MM-DDTHH:mm");
  }
  for (const range of entity.rangeFilters) {
    for (const name of [range.fromName, range.toName]) {
      const param = params.get(name);
      expect(param, `${entity.name}: range filter ${name}`).toBeDefined();
      expect(param!.schema!.type, name).toBe(expectedQueryType(range.type));
      if (range.type.kind === "datetime") expect(param!.schema!.description).toContain("YYYY-MM-DDTHH:mm");
    }
  }
  // Nothing else: paging, sorting, filters and ranges, each once.
  expect(list.parameters!.length).toBe(4 + entity.filters.length + 2 * entity.rangeFilters.length);
}

function checkEntity(doc: OpenApiDocument, entity: EntityModel): void {
  for (const op of entity.operations) {
    const pathName = op.name === "getMany" ? `${entity.path}/` : op.path;
    const operation = operationOf(doc, op.method, pathName);
    expect(operation.summary).toBe(op.title);
    expect(operation["x-nexudus-role"]).toBe(op.role);
    expect(operation.description).toContain(`Role: \`${op.role}\``);
  }
  const { schemas } = doc.components;
  const record = schemas[entity.typeNames.record]!;
  expect(Object.keys(record.properties!)).toEqual(entity.fields.map((f) => f.name));
  expect(record.required).toEqual(entity.fields.map((f) => f.name));
  const listingRecord = schemas[entity.typeNames.listingRecord]!;
  expect(Object.keys(listingRecord.properties!).sort()).toEqual(entity.fields.filter((f) => !entity.listingOmits.includes(f.name)).map((f) => f.name).sort());
  for (const omitted of entity.listingOmits) expect(listingRecord.properties![omitted], omitted).toBeUndefined();
  for (const field of entity.fields) {
    const schema = record.properties![field.name]!;
    // json and unknown values are any JSON value, null included, so they carry no type.
    if (field.type.nullable && field.type.kind !== "json" && field.type.kind !== "unknown") {
      if (field.type.kind === "enum" && !field.type.array) expect(schema.anyOf, field.name).toContainEqual({ type: "null" });
      else expect(schema.type, field.name).toEqual([field.type.array ? "array" : field.type.kind === "datetime" ? "string" : field.type.kind, "null"]);
    }
  }
  if (entity.ops.create) {
    const create = schemas[entity.typeNames.create]!;
    expect(create.required ?? []).toEqual(entity.fields.filter((f) => f.required && !f.readOnly && !f.updateOnly).map((f) => f.name));
    for (const f of entity.fields.filter((x) => x.readOnly || x.updateOnly)) expect(create.properties![f.name], f.name).toBeUndefined();
  }
  if (entity.ops.getMany) {
    const many = operationOf(doc, "GET", `${entity.path}/`);
    const id = many.parameters!.find((p) => p.name === "id")!;
    expect(id).toMatchObject({ in: "query", required: true });
    expect(id.content!["application/json"]!.schema).toEqual({ type: "array", items: { type: "integer" } });
  }
  if (entity.ops.get) expect(operationOf(doc, "GET", `${entity.path}/{id}`).parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path", required: true }));
  if (entity.ops.list) checkListParameters(doc, entity);
}

function checkEnums(doc: OpenApiDocument, model: ApiModel): void {
  for (const e of model.enums) {
    const schema = doc.components.schemas[e.name]!;
    expect(schema.type).toBe("integer");
    expect(schema.enum).toEqual(e.values.map((v) => v.value));
    expect(schema["x-enum-varnames"]).toEqual(e.values.map((v) => v.name));
    expect(schema.description).toBeTruthy();
  }
}

describe("generated/openapi.json", () => {
  let doc: OpenApiDocument;
  let model: ApiModel;
  beforeAll(async () => {
    doc = JSON.parse(await readFile(path.join(ROOT, "generated/openapi.json"), "utf8")) as OpenApiDocument;
    model = await loadModel(path.join(ROOT, "specs"));
  });

  it("is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it("is what the emitter produces from the specs (same data as the committed file), at the package's version", async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, "generated", "package.json"), "utf8")) as { version: string };
    expect(doc).toEqual(buildOpenApiDocument(model, version));
  });

  it("has every operation of every entity, with its role, and every filter and range filter as a parameter", () => {
    expect(model.entities.length).toBeGreaterThan(0);
    for (const entity of model.entities) checkEntity(doc, entity);
  });

  it("marks every name no docs page shows with x-nexudus-provenance, and no other", () => {
    let marked = 0;
    for (const entity of model.entities) {
      const record = doc.components.schemas[entity.typeNames.record]!;
      for (const field of entity.fields) {
        expect((record.properties![field.name] as Record<string, unknown>)["x-nexudus-provenance"], `${entity.name}.${field.name}`).toBe(field.provenance);
      }
      if (!entity.ops.list) continue;
      const parameters = operationOf(doc, "GET", entity.path).parameters! as unknown as { name: string; "x-nexudus-provenance"?: string }[];
      const byName = new Map(parameters.map((p) => [p.name, p["x-nexudus-provenance"]]));
      for (const filter of entity.filters) expect(byName.get(filter.name), filter.name).toBe(filter.provenance);
      for (const range of entity.rangeFilters) {
        expect(byName.get(range.fromName), range.fromName).toBe(range.provenance);
        expect(byName.get(range.toName), range.toName).toBe(range.provenance);
      }
      marked += entity.unverified.length;
    }
    expect(marked).toBeGreaterThan(0);
    expect(doc.info.description).toContain("x-nexudus-provenance");
  });

  it("writes every enum as an integer schema with x-enum-varnames matching its values", () => {
    expect(model.enums.length).toBeGreaterThan(0);
    checkEnums(doc, model);
  });

  it("has the shared schemas and the security schemes", () => {
    const { schemas, securitySchemes } = doc.components;
    for (const name of ["ActionResult", "ErrorAnswer", "ValidationError", "PageEnvelope", "Command", "RunCommand"]) expect(schemas[name], name).toBeDefined();
    expect(schemas.ErrorAnswer!.properties!.Errors).toEqual({ type: "array", items: { $ref: "#/components/schemas/ValidationError" }, description: expect.any(String) });
    expect(securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(securitySchemes.basic).toMatchObject({ type: "http", scheme: "basic" });
    expect(securitySchemes.oauth2!.flows!.password!.tokenUrl).toBe("/api/token");
    expect(doc.security.map((s) => Object.keys(s)[0])).toEqual(["bearer", "oauth2", "basic"]);
  });
});

describe("OpenAPI export at Nexudus scale (the benchmark's synthetic specs)", () => {
  it("is valid and complete for 40 synthetic entities with enums, arrays and nullable fields", async () => {
    const { writeSyntheticSpecs } = await import("../../bench/synthetic.js");
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(path.join(tmpdir(), "nexudus-openapi-"));
    try {
      await writeSyntheticSpecs(dir, { entities: 40 });
      const model = await loadModel(dir);
      const doc = buildOpenApiDocument(model) as unknown as OpenApiDocument;
      const result = await validate(doc);
      expect(result.errors).toBeUndefined();
      for (const entity of model.entities) checkEntity(doc, entity);
      checkEnums(doc, model);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
