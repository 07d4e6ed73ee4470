import type { ApiModel, EntityModel, FieldModel, OperationName, TypeModel } from "../model.js";

const SAMPLE_ID = 87654321;

/** A literal of the type that compiles, for docs examples. */
function sample(type: TypeModel, model: ApiModel, name: string): string {
  let value: string;
  switch (type.kind) {
    case "integer":
      value = name.endsWith("Id") ? "1" : "2";
      break;
    case "number":
      value = "9.5";
      break;
    case "string":
      value = JSON.stringify(name.endsWith("UniqueId") ? "a1b2c3d4-e5f6-7890-abcd-ef1234567890" : `Example ${name}`);
      break;
    case "boolean":
      value = "true";
      break;
    case "datetime":
      value = JSON.stringify("2025-01-15T10:30:00Z");
      break;
    case "untyped":
      value = JSON.stringify(`Example ${name}`);
      break;
    case "json":
    case "unknown":
      value = "null";
      break;
    case "object":
      value = "{}";
      break;
    case "enum": {
      const first = model.enums.find((e) => e.name === type.enumName)?.values[0];
      value = first ? `${type.enumName}.${first.name}` : "1";
      break;
    }
  }
  return type.array ? `[${value}]` : value;
}

function objectLiteral(entries: [string, string][]): string {
  return entries.length ? `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(", ")} }` : "{}";
}

/** One runnable TypeScript example per supported operation, as the entity docs page shows them. */
export function operationExamples(entity: EntityModel, model: ApiModel): Partial<Record<OperationName, string>> {
  const call = accessor(entity);
  const examples: Partial<Record<OperationName, string>> = {};
  const { ops } = entity;
  const sortable = entity.fields.find((f) => f.name === "CreatedOn") ?? entity.fields[0];
  const orderBy = sortable ? `, orderBy: ${JSON.stringify(sortable.name)}, dir: -1` : "";

  if (ops.list) {
    const filter = entity.filters.find((f) => !f.base) ?? entity.filters[0];
    const range = entity.rangeFilters.find((r) => r.name.endsWith("_UpdatedOn")) ?? entity.rangeFilters[0];
    const filterEntries: [string, string][] = [];
    if (filter) filterEntries.push([filter.name, sample(filter.type, model, filter.name.split("_").pop()!)]);
    if (range) {
      filterEntries.push([range.fromName, range.type.kind === "datetime" ? "new Date(Date.UTC(2025, 0, 1))" : sample(range.type, model, range.name)]);
    }
    examples.list = [
      `const page = await ${call}.list({ page: 1, size: 15${orderBy} });`,
      `console.log(page.TotalItems, page.Records.map((r) => r.Id));`,
      ``,
      `// Filters and range filters under their exact Nexudus names:`,
      `const filtered = await ${call}.list(${objectLiteral(filterEntries)});`,
      ``,
      `// Every record of every page, one page in memory at a time:`,
      `for await (const record of ${call}.listAll({ size: 100 })) {`,
      `  console.log(record.Id);`,
      `}`,
    ].join("\n");
  }
  if (ops.get) examples.get = `const record = await ${call}.get(${SAMPLE_ID});`;
  if (ops.getMany) examples.getMany = `const records = await ${call}.getMany([${SAMPLE_ID}, ${SAMPLE_ID + 1}]);`;
  if (ops.create) {
    const required = entity.fields.filter((f) => f.required && f.inCreate);
    examples.create = [
      `const result = await ${call}.create(${objectLiteral(required.map((f) => [f.name, sample(f.type, model, f.name)]))});`,
      `const newId = result.Value?.Id;`,
    ].join("\n");
  }
  const editable: FieldModel | undefined = entity.fields.find((f) => f.inUpdate && !f.required && !f.base) ?? entity.fields.find((f) => f.inUpdate);
  if (ops.update && ops.get && editable) {
    examples.update = [
      `// Start from the full record: a PUT clears every field it does not carry.`,
      `const current = await ${call}.get(${SAMPLE_ID});`,
      `await ${call}.update({ ...current, ${editable.name}: ${sample(editable.type, model, editable.name)} });`,
      ``,
      `// Or let patch() do the read-merge-write:`,
      `await ${call}.patch(${SAMPLE_ID}, { ${editable.name}: ${sample(editable.type, model, editable.name)} });`,
    ].join("\n");
  }
  if (ops.delete) examples.delete = `await ${call}.delete(${SAMPLE_ID});`;
  if (ops.commands) examples.commands = `const commands = await ${call}.commands(${SAMPLE_ID});`;
  if (ops.runCommand) examples.runCommand = `await ${call}.runCommand("COMMAND_KEY", [${SAMPLE_ID}], [{ Name: "Parameter name", Value: "Parameter value" }]);`;
  return examples;
}

/** The import line the examples of an entity need. */
export function exampleImports(model: ApiModel, examples: Partial<Record<OperationName, string>>): string {
  const used = new Set(["NexudusClient"]);
  for (const text of Object.values(examples)) {
    for (const e of model.enums) if (text.includes(`${e.name}.`)) used.add(e.name);
  }
  return `import { ${[...used].sort().join(", ")} } from "nexudus-api";`;
}

/** The variable the examples call the client by. */
export const CLIENT_SETUP = `const nx = new NexudusClient({ token: process.env.NEXUDUS_TOKEN! });`;

/** `nx.billing.coworkerTimePasses` for prose. */
export function accessor(entity: EntityModel): string {
  return `nx.${entity.area}.${entity.resourceProperty}`;
}
