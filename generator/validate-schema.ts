/**
 * Specs against `generator/schema/*.schema.json`, the schema editors use, enforced whole by ajv
 * (JSON Schema 2020-12, every keyword). Each ajv error lands on the YAML node it is about, with
 * a fix taken from the schema (`x-hint`, `description`, `title`) or from the keyword.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ErrorObject } from "ajv";
import commonSchema from "./schema/common.schema.json" with { type: "json" };
import specSchema from "./schema/spec.schema.json" with { type: "json" };
import { didYouMean, type Diagnostic } from "./diagnostics.js";
import { COMMON_SPEC, entry, plain, type LoadedSpec, type SpecNode } from "./load.js";

type SchemaObject = Record<string, unknown>;
type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
/** One validator per schema: `spec` for every entity spec, `common` for specs/common.yaml. */
export type SchemaValidators = Record<"spec" | "common", Validate>;

/** The schemas by file name, as their `$ref`s name them. */
const SCHEMAS: Record<string, SchemaObject> = { "spec.schema.json": specSchema, "common.schema.json": commonSchema };
/** Our keyword beside JSON Schema's own: how to fix a value, as editors show it too. */
const HINT = "x-hint";
/** Every error (not only the first), with the schema that raised it, checking own properties only. */
const AJV_OPTIONS = { allErrors: true, verbose: true, ownProperties: true, strict: true, code: { source: true } };

const requireHere = createRequire(import.meta.url);

/** node_modules/.cache/nexudus-codegen, where the CLI bundle is kept too. */
export function defaultValidatorCacheDir(): string {
  return path.join(path.dirname(path.dirname(requireHere.resolve("ajv/package.json"))), ".cache", "nexudus-codegen");
}

/**
 * The validators of both schemas. Loading ajv and compiling the schemas takes ~150 ms, half of a
 * one-spec regeneration; the standalone code ajv makes of them loads in ~5 ms. So that code is
 * kept in `cacheDir`, keyed by the schemas, ajv's version and its options: it is never stale.
 */
export function loadSchemaValidators(cacheDir: string): { validators: SchemaValidators; compiled: boolean } {
  const ajvVersion = (requireHere("ajv/package.json") as { version: string }).version;
  const key = createHash("sha256").update(JSON.stringify([ajvVersion, AJV_OPTIONS, HINT, SCHEMAS])).digest("hex").slice(0, 16);
  const file = path.join(cacheDir, `spec-schema-${key}.cjs`);
  try {
    return { validators: evaluate(readFileSync(file, "utf8")), compiled: false };
  } catch {
    // Not made yet, or damaged: compile, and keep the code for the next process.
  }
  const { Ajv2020 } = requireHere("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const { default: standaloneCode } = requireHere("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js");
  const ajv = new Ajv2020(AJV_OPTIONS);
  ajv.addKeyword({ keyword: HINT, schemaType: "string" });
  ajv.addSchema([specSchema, commonSchema]);
  const ids = { spec: specSchema.$id, common: commonSchema.$id };
  const validators: SchemaValidators = { spec: ajv.getSchema(ids.spec)!, common: ajv.getSchema(ids.common)! };
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, standaloneCode(ajv, ids));
    renameSync(temporary, file);
    // Code of earlier schemas is never used again.
    for (const name of readdirSync(cacheDir)) {
      if (/^spec-schema-\w+\.cjs$/.test(name) && path.join(cacheDir, name) !== file) rmSync(path.join(cacheDir, name), { force: true });
    }
  } catch {
    // A read-only install: the compiled validators serve this process.
  }
  return { validators, compiled: true };
}

/** Runs ajv's standalone code (CommonJS that requires ajv's runtime helpers) and returns its exports. */
function evaluate(code: string): SchemaValidators {
  const module = { exports: {} as Partial<SchemaValidators> };
  // Code ajv wrote from our own schemas; ajv runs its compiled validators the same way.
  new Function("require", "module", "exports", code)(requireHere, module, module.exports);
  const { spec, common } = module.exports;
  if (typeof spec !== "function" || typeof common !== "function") throw new Error("incomplete validator code");
  return { spec, common };
}

let validators: SchemaValidators | undefined;

/** The schemas' validators, loaded once per process: a watching process loads them at its start (`prepareSchemaValidators`), not at the first save. */
function schemaValidators(): SchemaValidators {
  return (validators ??= loadSchemaValidators(defaultValidatorCacheDir()).validators);
}

export function prepareSchemaValidators(): void {
  schemaValidators();
}

/** Checks one parsed spec against its schema, pushing a diagnostic for every error. */
export function validateAgainstSchema(spec: LoadedSpec & { root: SpecNode }, out: Diagnostic[]): void {
  const validators = schemaValidators();
  const isCommon = spec.name === COMMON_SPEC;
  const validate = isCommon ? validators.common : validators.spec;
  if (validate(plain(spec.root))) return;
  out.push(...schemaDiagnostics(validate.errors ?? [], spec.root, isCommon ? "common.yaml" : "the spec"));
}

/** ajv's errors as diagnostics at YAML positions, once each. */
export function schemaDiagnostics(errors: readonly ErrorObject[], root: SpecNode, rootName: string): Diagnostic[] {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const diagnostic of relevant(errors).flatMap((error) => diagnose(error, root, rootName))) {
    const key = `${diagnostic.line}:${diagnostic.column}:${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/**
 * The errors that explain: a `oneOf` whose value has the kind of one alternative (a map, or a
 * type name) reports that alternative's errors, not that the others are of another kind; a
 * value of no alternative's kind gets one error. A key refused by `propertyNames` is reported by
 * the error about the key itself.
 */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const skip = new Set<ErrorObject>();
  errors.forEach((error, index) => {
    if (error.keyword === "propertyNames") skip.add(error);
    if (error.keyword !== "oneOf") return;
    // ajv reports the alternatives' errors right before the oneOf's own.
    let first = index;
    while (first > 0 && within(errors[first - 1]!.instancePath, error.instancePath)) first--;
    const alternatives = errors.slice(first, index);
    const otherKind = alternatives.filter((e) => e.keyword === "type" && e.instancePath === error.instancePath);
    if (alternatives.length > otherKind.length) {
      skip.add(error);
      for (const e of otherKind) skip.add(e);
    } else {
      for (const e of alternatives) skip.add(e);
    }
  });
  return errors.filter((e) => !skip.has(e));
}

const within = (pointer: string, base: string) => pointer === base || pointer.startsWith(`${base}/`);

/** The node a JSON pointer names, and how a message calls it: `"Name"`, `an item of "operations"`. */
function locate(root: SpecNode, pointer: string, rootName: string): { node: SpecNode; where: string } {
  let node = root;
  let where = rootName;
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const next = node.kind === "map" ? entry(node, part)?.value : node.kind === "seq" ? node.items[Number(part)] : undefined;
    if (!next) break;
    where = node.kind === "seq" ? `an item of ${where}` : `"${part}"`;
    node = next;
  }
  return { node, where };
}

const kindOf = (node: SpecNode): string =>
  node.kind === "map"
    ? "a map"
    : node.kind === "seq"
      ? "a list"
      : node.value === null
        ? "empty"
        : typeof node.value === "number"
          ? Number.isInteger(node.value) ? "an integer" : "a number"
          : typeof node.value === "boolean"
            ? "a boolean"
            : "a string";

/** A JSON Schema type in words, and how to write a value of it. */
const TYPES: Record<string, { noun: string; hint: string }> = {
  object: { noun: "a map", hint: "write a map: one `key: value` per line, indented below" },
  array: { noun: "a list", hint: "write a YAML list: [a, b] or one `- item` per line" },
  string: { noun: "a string", hint: "write text; quote it if YAML would read it as a number, boolean or empty" },
  integer: { noun: "an integer", hint: "write a whole number, e.g. 3" },
  number: { noun: "a number", hint: "write a number, e.g. 2.5" },
  boolean: { noun: "a boolean", hint: "write true or false" },
  null: { noun: "empty", hint: "leave the value empty" },
};

const shown = (node: SpecNode) => (node.kind === "scalar" ? String(node.value) : JSON.stringify(plain(node)));

/** The schema a `$ref` points at, in the schema file it names or in any (`#/$defs/...`). */
function dereference(schema: SchemaObject): SchemaObject {
  let current = schema;
  for (let hops = 0; typeof current.$ref === "string" && hops < 10; hops++) {
    const [file, pointer = ""] = current.$ref.split("#");
    const documents = file ? [SCHEMAS[path.basename(file)]] : Object.values(SCHEMAS);
    const target = documents
      .map((document) => pointer.split("/").filter(Boolean).reduce<unknown>((at, part) => (at as SchemaObject | undefined)?.[part], document))
      .find((found) => found !== undefined);
    if (!target) break;
    current = target as SchemaObject;
  }
  return current;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** One ajv error in our words, at the node (or key) it is about; a repeat in a list for each repeat. */
function diagnose(error: ErrorObject, root: SpecNode, rootName: string): Diagnostic | Diagnostic[] {
  const { node, where } = locate(root, error.instancePath, rootName);
  const schema = (error.parentSchema ?? {}) as SchemaObject;
  const schemaHint = text(schema[HINT]) ?? text(schema.description);
  const at = (target: SpecNode, message: string, hint: string) => ({ file: target.file, line: target.line, column: target.column, message, hint });
  const params = error.params as Record<string, unknown>;

  if (error.propertyName !== undefined) {
    const key = node.kind === "map" ? entry(node, error.propertyName)?.keyNode : undefined;
    return at(key ?? node, `"${error.propertyName}" in ${where} is not a valid name`, schemaHint ?? "use letters, digits and _ only");
  }
  switch (error.keyword) {
    case "type": {
      const type = TYPES[String(params.type)] ?? { noun: String(params.type), hint: `write ${String(params.type)}` };
      // A flag or a list is written the same everywhere; other values say what they hold.
      const hint = text(schema[HINT]) ?? (params.type === "boolean" || params.type === "array" ? type.hint : (text(schema.description) ?? type.hint));
      return at(node, `${where} must be ${type.noun}, not ${kindOf(node)}`, hint);
    }
    case "required": {
      const key = String(params.missingProperty);
      const property = (schema.properties as Record<string, SchemaObject> | undefined)?.[key];
      const described = property && (text(property.description) ?? text(dereference(property).description));
      return at(node, `${where} is missing the required key "${key}"`, described ? `add ${key}: ${described}` : `add ${key}`);
    }
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((schema.properties as SchemaObject | undefined) ?? {});
      const keyNode = node.kind === "map" ? entry(node, key)?.keyNode : undefined;
      return at(keyNode ?? node, `unknown key "${key}" in ${where}.${didYouMean(key, allowed)}`, allowed.length ? `allowed keys: ${allowed.join(", ")}` : "remove it");
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const value = shown(node);
      return at(node, `${where}: "${value}" is not one of ${allowed.join(", ")}.${didYouMean(value, allowed)}`, `use one of: ${allowed.join(", ")}`);
    }
    case "pattern": {
      const value = shown(node);
      // A pattern that wants some text refuses blank text: that is an empty value.
      if (value.trim() === "") return at(node, `${where} must not be empty`, schemaHint ?? "write the text");
      return at(node, `${where}: "${value}" is not valid`, schemaHint ?? `match the pattern ${String(params.pattern)}`);
    }
    case "minLength": {
      const limit = Number(params.limit);
      return at(node, limit === 1 ? `${where} must not be empty` : `${where} must be at least ${limit} characters long`, schemaHint ?? "write the text");
    }
    case "minItems": {
      const limit = Number(params.limit);
      return at(node, `${where} must have at least ${limit} item${limit === 1 ? "" : "s"}`, schemaHint ?? "add an item");
    }
    case "uniqueItems": {
      // ajv names one pair; every repeat is worth pointing at.
      const firsts = new Map<string, SpecNode>();
      const repeats: Diagnostic[] = [];
      for (const item of node.kind === "seq" ? node.items : []) {
        const first = firsts.get(JSON.stringify(plain(item)));
        if (first) repeats.push(at(item, `${where} lists "${shown(item)}" twice (first at line ${first.line})`, "remove the repeated item"));
        else firsts.set(JSON.stringify(plain(item)), item);
      }
      return repeats;
    }
    case "oneOf": {
      const alternatives = (error.schema as SchemaObject[]).map((alternative) => text(alternative.title) ?? TYPES[String(dereference(alternative).type)]?.noun ?? "another value");
      return at(node, `${where} must be ${alternatives.join(" or ")}, not ${kindOf(node)}`, schemaHint ?? `write ${alternatives.join(" or ")}`);
    }
    default:
      // Any other keyword the schema may come to use: ajv's words, and where the schema says it.
      return at(node, `${where} ${error.message ?? `fails ${error.keyword}`}`, schemaHint ?? `see ${error.schemaPath} in generator/schema/`);
  }
}
