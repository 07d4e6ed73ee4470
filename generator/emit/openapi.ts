import { entityHash, PROVENANCE_NOTES, valueKey, type ApiModel, type EntityModel, type EnumModel, type FieldModel, type OperationModel, type TypeModel } from "../model.js";
import type { Provenance } from "../types.js";
import type { Emitter } from "./emitter.js";
import { hash } from "../cache.js";
import { prettierConfig } from "../format.js";
import { jsonMembers, type Json } from "../format-json.js";
// Descriptions are CommonMark to OpenAPI tools (Redoc renders their HTML): spec text in them is escaped.
import { markdownCode, markdownParagraphs, markdownText } from "./markdown-text.js";
import { orderByFields, writeNote } from "./typescript.js";
import { printInSections, type SectionPrinter } from "./sections.js";

/** Path of the OpenAPI document in the generated package. */
export const OPENAPI_PATH = "openapi.json";

/** The subset of JSON Schema 2020-12 (as OpenAPI 3.1 embeds it) this emitter writes. */
export interface JsonSchema {
  $ref?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: (string | number | null)[];
  const?: string | number | boolean | null;
  default?: string | number;
  minimum?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  examples?: unknown[];
  "x-enum-varnames"?: string[];
  "x-enum-descriptions"?: string[];
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  description?: string;
  required?: boolean;
  schema?: JsonSchema;
  /** For a parameter serialised as JSON (`?id=[1,2,3]`). */
  content?: Record<string, { schema: JsonSchema; example?: unknown }>;
  "x-nexudus-provenance"?: Provenance;
}

interface MediaContent {
  "application/json": { schema: JsonSchema };
}

interface Response {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: MediaContent;
}

type ResponseOrRef = Response | { $ref: string };

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  "x-nexudus-role": string;
  parameters?: Parameter[];
  requestBody?: { required: true; description: string; content: MediaContent };
  responses: Record<string, ResponseOrRef>;
}

type Method = "get" | "post" | "put" | "delete";

/** JSON is written with `/`-free names only; `#/components/schemas/X` is the one reference form used. */
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** Query-time dates: Nexudus wants minutes, no seconds and no zone, read as UTC. */
const QUERY_DATETIME_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$";
const QUERY_DATETIME_NOTE = "A date-time in the format `YYYY-MM-DDTHH:mm` (UTC), e.g. `2025-01-31T23:59`.";

/** Where a schema is used decides how datetimes read and whether null is allowed. */
type SchemaContext = "body" | "query";

/** The JSON Schema of a value of a spec type; nullable becomes a 3.1 type array (or anyOf for references). */
export function schemaOf(type: TypeModel, context: SchemaContext): JsonSchema {
  let schema: JsonSchema;
  switch (type.kind) {
    case "integer":
    case "number":
    case "string":
    case "boolean":
      schema = { type: type.kind };
      break;
    case "datetime":
      schema =
        context === "query"
          ? { type: "string", pattern: QUERY_DATETIME_PATTERN, description: QUERY_DATETIME_NOTE }
          : { type: "string", format: "date-time" };
      break;
    case "json":
    case "unknown":
      // The docs show no shape (json) or no type (unknown): any JSON value, null included.
      return {};
    case "object":
      schema = { type: "object", properties: Object.fromEntries((type.properties ?? []).map((p) => [p.name, schemaOf(p.type, context)])) };
      break;
    case "untyped":
      schema = { type: ["string", "number", "boolean"], description: "The docs give no type for this parameter." };
      break;
    case "enum":
      schema = ref(type.enumName!);
      break;
  }
  if (type.array) schema = { type: "array", items: schema };
  // A query never sends null (the client skips it), so only bodies carry nullability.
  if (!type.nullable || context === "query") return schema;
  if (schema.$ref) return { anyOf: [schema, { type: "null" }] };
  return { ...schema, type: [schema.type as string, "null"] };
}

/** Adds a description to a schema; a bare `$ref` gets it beside the reference (allowed in 3.1). */
function described(schema: JsonSchema, description: string | undefined): JsonSchema {
  if (!description) return schema;
  const own = schema.description;
  return { ...schema, description: own ? `${description}\n\n${own}` : description };
}

function fieldDescription(field: FieldModel, where: "record" | "listingRecord" | "create"): string {
  const facts: string[] = [];
  if (field.description) facts.push(markdownText(field.description));
  if (where !== "create" && field.readOnly) facts.push("Read-only: set by Nexudus.");
  const write = writeNote(field);
  if (write) facts.push(write);
  if (where === "record" && !field.inListing) facts.push("Not included in listing records: read it from Get one.");
  return facts.join(" ");
}

/** `x-nexudus-provenance` on a name no docs page shows (its meaning is in the document's info). */
function withProvenance<T extends object>(target: T, provenance: Provenance | undefined): T {
  return provenance ? { ...target, "x-nexudus-provenance": provenance } : target;
}

function objectSchema(description: string, fields: readonly FieldModel[], required: readonly string[], where: "record" | "listingRecord" | "create"): JsonSchema {
  return {
    type: "object",
    description,
    properties: Object.fromEntries(fields.map((f) => [f.name, withProvenance(described(schemaOf(f.type, "body"), fieldDescription(f, where) || undefined), f.provenance)])),
    ...(required.length ? { required: [...required] } : {}),
  };
}

/** `1 (PricePlan), 2 (Day), ...` */
const enumValueList = (e: EnumModel) => e.values.map((v) => `${v.value} (${v.name})`).join(", ");

function enumSchema(e: EnumModel): JsonSchema {
  const parts = [e.description && markdownParagraphs(e.description), e.nexudusName ? `Nexudus name: ${markdownCode(e.nexudusName)}.` : undefined, `Values: ${enumValueList(e)}.`];
  return {
    title: e.name,
    description: parts.filter(Boolean).join("\n\n"),
    type: "integer",
    enum: e.values.map((v) => v.value),
    "x-enum-varnames": e.values.map((v) => v.name),
    // Mirrors the JSDoc of each member in src/enums.ts.
    "x-enum-descriptions": e.values.map((v) => `${v.name} = ${v.value}`),
  };
}

/** Schemas every entity shares: the page envelope, ActionResult, the error answers, commands. */
function sharedSchemas(): Record<string, JsonSchema> {
  const int = { type: "integer" };
  const nullableString = { type: ["string", "null"] };
  return {
    PageEnvelope: {
      type: "object",
      description: "The paging fields of a listing (Search) answer; each entity's `<Entity>Page` adds its `Records`.",
      properties: {
        CurrentPage: { ...int, description: "Current page number, from 1." },
        CurrentPageSize: { ...int, description: "Number of records per page." },
        CurrentOrderField: { ...nullableString, description: "The field used for sorting." },
        CurrentSortDirection: { ...int, description: "The sort direction (1 ascending, -1 descending)." },
        FirstItem: { ...int, description: "1-based index of the first record of this page." },
        LastItem: { ...int, description: "1-based index of the last record of this page." },
        TotalItems: { ...int, description: "Number of records matching the query." },
        TotalPages: { ...int, description: "Number of pages." },
        HasNextPage: { type: "boolean", description: "Whether a later page exists." },
        HasPreviousPage: { type: "boolean", description: "Whether an earlier page exists." },
        PageNumber: { ...int, description: "Page number (present in some answers)." },
        PageSize: { ...int, description: "Page size (present in some answers)." },
      },
      required: ["CurrentPage", "CurrentPageSize", "CurrentOrderField", "CurrentSortDirection", "FirstItem", "LastItem", "TotalItems", "TotalPages", "HasNextPage", "HasPreviousPage"],
    },
    ValidationError: {
      type: "object",
      description: "One field error of a validation failure.",
      properties: {
        AttemptedValue: { description: "The value that was refused." },
        Message: { type: "string", description: "Why it was refused, e.g. `is a required field`." },
        PropertyName: { type: "string", description: "The field, e.g. `Name`." },
      },
      required: ["AttemptedValue", "Message", "PropertyName"],
    },
    ActionResult: {
      type: "object",
      description: "The answer of a create, update, delete or run-command request. An answer with `WasSuccessful: false` is a failure even when its HTTP status is 200.",
      properties: {
        Status: { ...int, description: "HTTP-like status code." },
        Message: { ...nullableString, description: "Human-readable outcome." },
        Value: {
          description: "The affected record's id (the new id after a create), or null.",
          type: ["object", "null"],
          properties: { Id: { ...int, description: "Record id." } },
          required: ["Id"],
        },
        OpenInDialog: { type: "boolean", description: "UI hint." },
        OpenInWindow: { type: "boolean", description: "UI hint." },
        RedirectURL: { ...nullableString, description: "UI hint." },
        JavaScript: { ...nullableString, description: "UI hint." },
        UpdatedOn: { type: ["string", "null"], format: "date-time", description: "When the record was updated." },
        UpdatedBy: { ...nullableString, description: "Who updated the record." },
        Errors: { type: ["array", "null"], items: ref("ValidationError"), description: "Field errors, if any." },
        WasSuccessful: { type: "boolean", description: "Whether the action succeeded." },
      },
      required: ["Status", "Message", "Value", "WasSuccessful"],
    },
    ErrorAnswer: {
      type: "object",
      description: "The answer of a refused request (HTTP 400 on a validation failure), e.g. `{\"Message\": \"Name: is a required field\", \"Value\": null, \"Errors\": [...], \"WasSuccessful\": false}`.",
      properties: {
        Message: { type: "string", description: "Summary of what was refused." },
        Value: { type: "null" },
        Errors: { type: "array", items: ref("ValidationError"), description: "One entry per refused field." },
        WasSuccessful: { const: false },
      },
      required: ["Message", "Errors", "WasSuccessful"],
    },
    ServerErrorAnswer: {
      type: "object",
      description: "The answer of a failed delete (HTTP 500).",
      properties: {
        Status: { ...int, description: "500." },
        Message: { type: "string", description: "Why the request failed." },
        WasSuccessful: { const: false },
      },
      required: ["Message", "WasSuccessful"],
    },
    Command: {
      type: "object",
      description: "A command that can be run on records of an entity.",
      properties: {
        Key: { type: "string", description: "Key to pass to runcommand." },
        Name: { type: "string", description: "Display name." },
        AppliesOnlyToMultipleEntities: { type: "boolean" },
        DisplayInDropdown: { type: "boolean" },
        DisplayInDropdownV2: { type: "boolean" },
        AppliesOnlyToOneEntity: { type: "boolean" },
        AppliesOnlyToTwoEntities: { type: "boolean" },
        DisplayInGrid: { type: "boolean" },
        Icon: nullableString,
        NeedsEntitiesToRun: { type: "boolean" },
        Order: int,
        RequiresParameters: {
          type: ["array", "null"],
          items: { type: "object", properties: { Name: { type: "string" }, Type: { type: "string" } }, required: ["Name", "Type"] },
        },
      },
      required: ["Key", "Name"],
    },
    RunCommand: {
      type: "object",
      description: "The body of a run-command request.",
      properties: {
        Key: { type: "string", description: "The command's key, from the commands listing." },
        Ids: { type: "array", items: int, description: "Ids of the records to run it on." },
        Parameters: {
          type: "array",
          description: "The command's parameters, when it takes any.",
          items: { type: "object", properties: { Name: { type: "string" }, Value: {} }, required: ["Name", "Value"] },
        },
      },
      required: ["Key", "Ids"],
    },
  };
}

/** Answers every operation can give besides its own. */
function sharedResponses(): Record<string, Response> {
  const json = (name: string): MediaContent => ({ "application/json": { schema: ref(name) } });
  return {
    ActionResult: { description: "The outcome. `WasSuccessful: false` with HTTP 200 is a failure too.", content: json("ActionResult") },
    ValidationFailed: { description: "Validation failure: one entry per refused field in `Errors`.", content: json("ErrorAnswer") },
    Unauthorized: { description: "A missing or expired token, or a user without the operation's role." },
    Throttled: {
      description: "Rate limit reached (Nexudus answers 409, not 429). The request did not happen; retry after `Retry-After` seconds.",
      headers: { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } },
    },
  };
}

const ROLE_NOTE = "A full unrestricted administrator may call every operation.";

/** The parameters of a listing: paging, sorting, filters and range filters under their exact names. */
function listParameters(entity: EntityModel): Parameter[] {
  const sortable = orderByFields(entity).map((f) => f.name);
  return [
    { name: "page", in: "query", description: "The page number to retrieve. Default 1.", schema: { type: "integer", minimum: 1, default: 1 } },
    { name: "size", in: "query", description: "The number of records per page. Default 25.", schema: { type: "integer", minimum: 1, default: 25 } },
    { name: "orderBy", in: "query", description: "The property name to sort results by.", schema: { type: "string", enum: sortable } },
    {
      name: "dir",
      in: "query",
      description: "Sort direction: 1 for ascending, -1 for descending.",
      schema: { type: "integer", enum: [1, -1], "x-enum-varnames": ["Ascending", "Descending"], "x-enum-descriptions": ["Ascending = 1", "Descending = -1"] },
    },
    ...entity.filters.map((f): Parameter => {
      const schema = schemaOf(f.type, "query");
      const note = f.type.kind === "enum" ? `Values: see \`${f.type.enumName}\`.` : undefined;
      return withProvenance({ name: f.name, in: "query", description: [f.description ? markdownText(f.description) : `Filter by ${f.name}.`, note].filter(Boolean).join(" "), schema }, f.provenance);
    }),
    ...entity.rangeFilters.flatMap((r): Parameter[] => [
      withProvenance({ name: r.fromName, in: "query", description: markdownText(r.fromDescription), schema: schemaOf(r.type, "query") }, r.provenance),
      withProvenance({ name: r.toName, in: "query", description: markdownText(r.toDescription), schema: schemaOf(r.type, "query") }, r.provenance),
    ]),
  ];
}

const idParameter = (entity: EntityModel): Parameter => ({
  name: "id",
  in: "path",
  required: true,
  description: `Id of the ${entity.name}.`,
  schema: { type: "integer" },
});

/** `/api/billing/coworkertimepasses/?id=[…]` is the list path plus a slash; the ids are a query parameter. */
function operationPath(entity: EntityModel, op: OperationModel): string {
  return op.name === "getMany" ? `${entity.path}/` : op.path;
}

function operationObject(entity: EntityModel, op: OperationModel): Operation {
  const names = entity.typeNames;
  const json = (schema: JsonSchema): MediaContent => ({ "application/json": { schema } });
  // Keys in reading order: id, summary, description (with the role), tag, then the rest.
  const operation = (operationId: string, description: string, rest: Pick<Operation, "parameters" | "requestBody" | "responses">): Operation => ({
    operationId,
    summary: op.title,
    description: `${description}\n\nRole: \`${op.role}\`. ${ROLE_NOTE}`,
    tags: [entity.plural],
    "x-nexudus-role": op.role,
    ...rest,
  });
  const common = { "401": responseRef("Unauthorized"), "409": responseRef("Throttled") };
  const omitted = entity.listingOmits.length
    ? `Listing records leave out ${entity.listingOmits.map((f) => `\`${f}\``).join(", ")}: never base an update on them.`
    : "Listing records carry every field.";
  switch (op.name) {
    case "list":
      return operation(`list${entity.plural}`, `One page of ${entity.plural}, filtered and sorted. ${omitted}`, {
        parameters: listParameters(entity),
        responses: { "200": { description: `A page of ${entity.name} listing records.`, content: json(ref(`${entity.name}Page`)) }, ...common },
      });
    case "get":
      return operation(`get${entity.name}`, "The full record, the only safe base for an update.", {
        parameters: [idParameter(entity)],
        responses: { "200": { description: `The ${entity.name}.`, content: json(ref(names.record)) }, ...common },
      });
    case "getMany":
      return operation(`getMany${entity.plural}`, "Several records by id in one request: `?id=[1,2,3]`, the brackets URL-encoded. Like listing records, these may lack fields.", {
        parameters: [
          {
            name: "id",
            in: "query",
            required: true,
            description: "The ids as a JSON array, e.g. `[1,2,3]` (sent URL-encoded: `%5B1%2C2%2C3%5D`).",
            // Serialised as JSON, so described by `content` (the example lives beside its schema).
            content: { "application/json": { schema: { type: "array", items: { type: "integer" } }, example: [1, 2, 3] } },
          },
        ],
        responses: { "200": { description: `The ${entity.plural} found.`, content: json({ type: "array", items: ref(names.listingRecord) }) }, ...common },
      });
    case "create":
      return operation(`create${entity.name}`, `Creates a ${entity.name}; the new id is \`Value.Id\` of the answer.`, {
        requestBody: { required: true, description: `The new ${entity.name}, without Id.`, content: json(ref(names.create)) },
        responses: { "200": responseRef("ActionResult"), "400": responseRef("ValidationFailed"), ...common },
      });
    case "update":
      return operation(
        `update${entity.name}`,
        `Replaces a ${entity.name}: the body is the **full** record with its \`Id\`, as Get one returns it. Every field left out is cleared. There is no PATCH.`,
        {
          requestBody: { required: true, description: `The full ${entity.name}, Id included.`, content: json(ref(names.record)) },
          responses: { "200": responseRef("ActionResult"), "400": responseRef("ValidationFailed"), ...common },
        },
      );
    case "delete":
      return operation(`delete${entity.name}`, "Removes the record for good.", {
        parameters: [idParameter(entity)],
        responses: {
          "200": responseRef("ActionResult"),
          ...common,
          "500": { description: "The delete failed.", content: json(ref("ServerErrorAnswer")) },
        },
      });
    case "commands":
      return operation(`get${entity.name}Commands`, `The commands that can run on ${entity.plural}, or on one record when \`id\` is given.`, {
        parameters: [{ name: "id", in: "query", description: `Id of one ${entity.name}.`, schema: { type: "integer" } }],
        responses: { "200": { description: "The commands.", content: json({ type: "array", items: ref("Command") }) }, ...common },
      });
    case "runCommand":
      return operation(`run${entity.name}Command`, "Runs a command on the records `Ids`.", {
        requestBody: { required: true, description: "The command, its records and parameters.", content: json(ref("RunCommand")) },
        responses: { "200": responseRef("ActionResult"), "400": responseRef("ValidationFailed"), ...common },
      });
  }
}

function entitySchemas(entity: EntityModel): Record<string, JsonSchema> {
  const names = entity.typeNames;
  const all = entity.fields.map((f) => f.name);
  const listing = entity.fields.filter((f) => f.inListing);
  const schemas: Record<string, JsonSchema> = {
    [names.record]: objectSchema(`${markdownParagraphs(entity.description)}\n\nThe full record, as Get one returns it and update takes it.`, entity.fields, all, "record"),
    [names.listingRecord]: objectSchema(
      `A ${entity.name} as listing pages return it in \`Records[]\`.${entity.listingOmits.length ? ` It lacks ${entity.listingOmits.join(", ")}, so it must never be the base of an update.` : ""}`,
      listing,
      listing.map((f) => f.name),
      "listingRecord",
    ),
  };
  if (entity.ops.create) {
    const writable = entity.fields.filter((f) => f.inCreate);
    const ordered = [...writable.filter((f) => f.required), ...writable.filter((f) => !f.required)];
    schemas[names.create] = objectSchema(
      `The body of a create: the writable fields of a ${entity.name}, required ones first.`,
      ordered,
      ordered.filter((f) => f.required).map((f) => f.name),
      "create",
    );
  }
  if (entity.ops.list) {
    schemas[`${entity.name}Page`] = {
      description: `A listing page of ${entity.plural}.`,
      allOf: [
        ref("PageEnvelope"),
        { type: "object", properties: { Records: { type: "array", items: ref(names.listingRecord) } }, required: ["Records"] },
      ],
    };
  }
  return schemas;
}

/** The path items of one entity's operations, by path. */
function entityPaths(entity: EntityModel): Record<string, Partial<Record<Method, Operation>>> {
  const paths: Record<string, Partial<Record<Method, Operation>>> = {};
  for (const op of entity.operations) {
    const item = (paths[operationPath(entity, op)] ??= {});
    item[op.method.toLowerCase() as Method] = operationObject(entity, op);
  }
  return paths;
}

/** Everything but the paths and the entities' schemas; their members come in order, each entity's together. */
function documentFrame(model: ApiModel, version: string) {
  return {
    head: {
      openapi: "3.1.0",
      info: {
        title: "Nexudus REST API",
        version,
        summary: `${model.entities.length} entities of the Nexudus REST API, exported from the nexudus-codegen specs.`,
        description: [
          "Generated by nexudus-codegen from specs/. Do not edit: change the specs and run `npm run generate`.",
          "Authenticate with a bearer token (from `POST /api/token`, the OAuth2 password grant, form-encoded) or HTTP Basic.",
          `Each operation names the role a non-administrator needs. ${ROLE_NOTE}`,
          "Throttled requests answer 409 with `Retry-After`. Listing records may lack fields: update only from a Get one record.",
          `\`x-nexudus-provenance\` marks a field, filter or range filter no Nexudus docs page shows: \`derived\`: ${PROVENANCE_NOTES.derived} \`observed\`: ${PROVENANCE_NOTES.observed}`,
        ].join("\n\n"),
        license: { name: "MIT", identifier: "MIT" },
      },
      servers: [{ url: "https://spaces.nexudus.com", description: "Nexudus" }],
      security: [{ bearer: [] }, { oauth2: [] }, { basic: [] }],
      tags: model.entities.map((e) => ({ name: e.plural, description: `${e.name} (\`${e.path}\`, area ${e.area}).` })),
      "x-tagGroups": model.areas.map((a) => ({ name: a.name, tags: a.entities.map((e) => e.plural) })),
    },
    /** Schemas after the entities' own: the enums, then the shared ones; made of the enums alone (and this code). */
    schemasAfter: (): Record<string, JsonSchema> => ({ ...Object.fromEntries(model.enums.map((e) => [e.name, enumSchema(e)])), ...sharedSchemas() }),
    componentsAfter: {
      responses: sharedResponses(),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A token from `POST /api/token` (recommended)." },
        oauth2: {
          type: "oauth2",
          // ASCII, as all our own text here: one character past Latin-1 makes the whole 6 MB document a
          // two-byte string in V8, read, spliced and written several times slower.
          description: "The password grant: `POST /api/token` with `grant_type=password&username=...&password=...` form-encoded (plus `totp` with two-factor); refresh with `grant_type=refresh_token`.",
          flows: { password: { tokenUrl: "/api/token", refreshUrl: "/api/token", scopes: {} } },
        },
        basic: { type: "http", scheme: "basic", description: "HTTP Basic `username:password`." },
      },
    },
  };
}

/** The document as a plain object: what openapi.json holds. */
export function buildOpenApiDocument(model: ApiModel, version = "0.1.0"): Record<string, unknown> {
  const { head, schemasAfter, componentsAfter } = documentFrame(model, version);
  return {
    ...head,
    paths: Object.assign({}, ...model.entities.map(entityPaths)) as Record<string, unknown>,
    components: { schemas: { ...Object.assign({}, ...model.entities.map(entitySchemas)), ...schemasAfter() }, ...componentsAfter },
  };
}

/**
 * Prints openapi.json as `formatJson` prints `buildOpenApiDocument`, in sections (sections.ts),
 * each from a value of its own: the head (info, tags...), each entity's paths, each entity's
 * schemas, the schemas after them (enums, shared), the components after the schemas. An entity's
 * sections are known by its hash, the others by the hash of the value printed: a section whose key
 * is unchanged is neither built nor printed, which is most of the file's 6 MB.
 */
export function printOpenApi(model: ApiModel, printWidth: number, printer: SectionPrinter, version = "0.1.0"): void {
  const { head, schemasAfter, componentsAfter } = documentFrame(model, version);
  /** A frame section, known by the hash of what it is made from (by default, its value). */
  const frameSection = (name: string, members: () => Record<string, unknown>, indent: string, last: boolean, madeFrom?: string) => {
    const value = madeFrom === undefined ? members() : undefined;
    printer.section(name, hash(madeFrom ?? JSON.stringify(value)), () => jsonMembers(Object.entries(value ?? members()) as [string, Json][], indent, printWidth, last));
  };
  const entities = model.entities.map((entity) => ({ entity, key: entityHash(entity) }));
  const some = entities.length > 0;

  printer.between("{\n");
  frameSection("head", () => head, "  ", false);
  printer.between(`,\n  "paths": {${some ? "\n" : ""}`);
  entities.forEach(({ entity, key }, index) => {
    if (index > 0) printer.between(",\n");
    printer.section(`paths:${entity.name}`, key, () => jsonMembers(Object.entries(entityPaths(entity)) as [string, Json][], "    ", printWidth));
  });
  printer.between(`${some ? "\n  " : ""}},\n  "components": {\n    "schemas": {\n`);
  entities.forEach(({ entity, key }, index) => {
    if (index > 0) printer.between(",\n");
    printer.section(`schemas:${entity.name}`, key, () => jsonMembers(Object.entries(entitySchemas(entity)) as [string, Json][], "      ", printWidth));
  });
  if (some) printer.between(",\n");
  // The enums' schemas are not made again while the enums are the same (420 of them in the synthetic set).
  frameSection("schemasAfter", schemasAfter, "      ", true, valueKey(model.enums));
  printer.between("\n    },\n");
  frameSection("componentsAfter", () => componentsAfter, "    ", true);
  printer.between("\n  }\n}\n");
}

/** openapi.json, the API as OpenAPI 3.1, printed in its final form; unchanged sections are copied from the last one. */
export const openApiEmitter: Emitter = {
  name: "emit openapi",
  async emit(model, { folder, memos, release, session }) {
    // The document's version is the package's: openapi.json is not published, so the release need not see it.
    if (!release) throw new Error("the openapi emitter needs the release emitter registered before it");
    const printWidth = prettierConfig().options.printWidth;
    // Known by what it is assembled from: its 6 MB are neither hashed nor joined into one text.
    const context = { folder, memos, ...(session ? { session } : {}) };
    return [await printInSections(OPENAPI_PATH, { parser: "json", final: true }, context, (printer) => printOpenApi(model, printWidth, printer, release.version))];
  },
};
