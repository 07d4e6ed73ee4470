import type { EntityModel, FieldModel, OperationName, TypeModel } from "../model.js";
import type { EntityScope } from "./emitter.js";
import { PACKAGE_NAME } from "./package.js";
import { group, hardline, ifBreak, indent, join, line, print, unsure, type Doc } from "./print/doc.js";
import { importDeclaration, objectProperty } from "./print/typescript.js";

const SAMPLE_ID = 87654321;

/** A literal of the type that compiles, for docs examples. */
function sample(type: TypeModel, scope: EntityScope, name: string): string {
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
      const first = scope.enums.find((e) => e.name === type.enumName)?.values[0];
      value = first ? `${type.enumName}.${first.name}` : "1";
      break;
    }
  }
  return type.array ? `[${value}]` : value;
}

/**
 * `{ a: 1, b: 2 }` as the last argument of a call, hugged by prettier: `call({` then one entry a
 * line when it does not fit. An entry prettier would break inside itself is `unsure`.
 */
function objectLiteral(entries: readonly (readonly [string, string] | string)[]): Doc {
  if (entries.length === 0) return "{}";
  const printed = entries.map((entry) => {
    if (typeof entry === "string") return unsure(entry);
    const [key, value] = entry;
    // Prettier breaks values other than literals inside themselves.
    return LITERAL.test(value) ? objectProperty(key, value) : unsure(`${key}: ${value}`);
  });
  return group(["{", indent([line, join([",", line], printed)]), ifBreak(","), line, "}"]);
}

/** A string, number or boolean literal, or null. */
const LITERAL = /^(?:"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)$/;

/** A statement that ends in a call whose last argument is an object: `head({ ... });`. */
const huggedCall = (head: string, object: Doc): Doc => [unsure(head), object, ");"];

/** An example entity page: one runnable TypeScript example per operation, and its import line. */
export interface OperationExamples {
  /** The examples, printed as prettier prints them. */
  examples: Partial<Record<OperationName, string>>;
  /** The import line of the page's setup block. */
  imports: string;
  /** False when a line came out too long for the examples to be sure to be prettier's (print/doc.ts `unsure`). */
  final: boolean;
}

/** One runnable TypeScript example per supported operation, as the entity docs page shows them. */
export function operationExamples(entity: EntityModel, scope: EntityScope, printWidth: number): OperationExamples {
  const call = accessor(entity);
  const docs: Partial<Record<OperationName, Doc>> = {};
  const { ops } = entity;
  const sortable = entity.fields.find((f) => f.name === "CreatedOn") ?? entity.fields[0];
  const paging: [string, string][] = [["page", "1"], ["size", "15"], ...(sortable ? ([["orderBy", JSON.stringify(sortable.name)], ["dir", "-1"]] as [string, string][]) : [])];

  if (ops.list) {
    const filter = entity.filters.find((f) => !f.base) ?? entity.filters[0];
    const range = entity.rangeFilters.find((r) => r.name.endsWith("_UpdatedOn")) ?? entity.rangeFilters[0];
    const filterEntries: [string, string][] = [];
    if (filter) filterEntries.push([filter.name, sample(filter.type, scope, filter.name.split("_").pop()!)]);
    if (range) {
      filterEntries.push([range.fromName, range.type.kind === "datetime" ? "new Date(Date.UTC(2025, 0, 1))" : sample(range.type, scope, range.name)]);
    }
    docs.list = join(hardline, [
      huggedCall(`const page = await ${call}.list(`, objectLiteral(paging)),
      // As prettier prints it: a call given a call with a function is broken even when it fits.
      "console.log(",
      "  page.TotalItems,",
      "  page.Records.map((r) => r.Id),",
      ");",
      "",
      "// Filters and range filters under their exact Nexudus names:",
      huggedCall(`const filtered = await ${call}.list(`, objectLiteral(filterEntries)),
      "",
      "// Every record of every page, one page in memory at a time:",
      unsure(`for await (const record of ${call}.listAll({ size: 100 })) {`),
      "  console.log(record.Id);",
      "}",
    ]);
  }
  if (ops.get) docs.get = unsure(`const record = await ${call}.get(${SAMPLE_ID});`);
  if (ops.getMany) docs.getMany = unsure(`const records = await ${call}.getMany([${SAMPLE_ID}, ${SAMPLE_ID + 1}]);`);
  if (ops.create) {
    const required = entity.fields.filter((f) => f.required && f.inCreate);
    docs.create = join(hardline, [
      huggedCall(`const result = await ${call}.create(`, objectLiteral(required.map((f) => [f.name, sample(f.type, scope, f.name)]))),
      "const newId = result.Value?.Id;",
    ]);
  }
  const editable: FieldModel | undefined = entity.fields.find((f) => f.inUpdate && !f.required && !f.base) ?? entity.fields.find((f) => f.inUpdate);
  if (ops.update && ops.get && editable) {
    const change: [string, string] = [editable.name, sample(editable.type, scope, editable.name)];
    docs.update = join(hardline, [
      "// Start from the full record: a PUT clears every field it does not carry.",
      unsure(`const current = await ${call}.get(${SAMPLE_ID});`),
      huggedCall(`await ${call}.update(`, objectLiteral(["...current", change])),
      "",
      "// Or let patch() do the read-merge-write:",
      huggedCall(`await ${call}.patch(${SAMPLE_ID}, `, objectLiteral([change])),
    ]);
  }
  if (ops.delete) docs.delete = unsure(`await ${call}.delete(${SAMPLE_ID});`);
  if (ops.commands) docs.commands = unsure(`const commands = await ${call}.commands(${SAMPLE_ID});`);
  if (ops.runCommand) {
    docs.runCommand = join(hardline, [
      'const parameters = [{ Name: "Parameter name", Value: "Parameter value" }];',
      unsure(`await ${call}.runCommand("COMMAND_KEY", [${SAMPLE_ID}], parameters);`),
    ]);
  }

  const examples: Partial<Record<OperationName, string>> = {};
  let final = true;
  for (const [name, doc] of Object.entries(docs) as [OperationName, Doc][]) {
    const printed = print(doc, printWidth);
    examples[name] = printed.text;
    final &&= printed.sure;
  }
  const used = new Set(["NexudusClient", ...enumsNamed(Object.values(examples), scope)]);
  const imports = print(importDeclaration([...used].sort(), PACKAGE_NAME), printWidth).text;
  return { examples, imports, final };
}

/**
 * The enums whose name followed by a dot is in one of the texts. A name of word characters ends
 * where a dot follows: the word characters before each dot are looked up, each ending there, in
 * place of searching every text for every enum of the model (~420 in the synthetic set).
 */
function enumsNamed(texts: readonly string[], scope: EntityScope): Set<string> {
  let names = enumNames.get(scope);
  if (!names) {
    const all = scope.enums.map((e) => e.name);
    enumNames.set(scope, (names = { words: new Set(all.filter((name) => WORD.test(name))), others: all.filter((name) => !WORD.test(name)) }));
  }
  const found = new Set<string>();
  for (const text of texts) {
    for (let dot = text.indexOf("."); dot !== -1; dot = text.indexOf(".", dot + 1)) {
      let start = dot;
      while (start > 0 && isWordCharacter(text.charCodeAt(start - 1))) start--;
      for (let from = start; from < dot; from++) {
        const name = text.slice(from, dot);
        if (names.words.has(name)) found.add(name);
      }
    }
    for (const name of names.others) if (text.includes(`${name}.`)) found.add(name);
  }
  return found;
}

const WORD = /^[A-Za-z0-9_$]+$/;
const enumNames = new WeakMap<EntityScope, { words: ReadonlySet<string>; others: readonly string[] }>();

function isWordCharacter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x24;
}

/** `nx.billing.coworkerTimePasses` for prose. */
export function accessor(entity: EntityModel): string {
  return `nx.${entity.area}.${entity.resourceProperty}`;
}
