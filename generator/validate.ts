import { didYouMean, type Diagnostic } from "./diagnostics.js";
import { COMMON_SPEC, entry, type LoadedSpec, type SpecMap, type SpecNode, type SpecScalar } from "./load.js";
import { COPIED_FOLDERS, isOperationTableName } from "./emit/client.js";
import { validateHostile } from "./validate-hostile.js";
import { validateAgainstSchema } from "./validate-schema.js";
import { isPrimitive, parseTypeName, PLACEHOLDER_DESCRIPTION, PRIMITIVE_TYPES, RANGE_TYPES } from "./types.js";
import { BUILTIN_NAMES, camelCase, defaultPath, defaultPlural, RESERVED_WORDS, updateInfoName } from "./names.js";
import { reservedExports } from "./emit/registry.js";

/** Where each name was first defined, to point at both places of a clash. */
type Registry = Map<string, SpecScalar>;

/**
 * Validates every loaded spec: the schema first, then what a schema cannot say (references to
 * enums and fields, types that do not fit, clashes between files). Returns nothing; every problem
 * becomes a diagnostic so that one run reports them all.
 */
export function validateSpecs(specs: readonly LoadedSpec[], out: Diagnostic[], reserved: ReadonlySet<string> = reservedExports()): void {
  const parsed = specs.filter((s): s is LoadedSpec & { root: SpecNode } => s.root !== undefined);
  const common = parsed.find((s) => s.name === COMMON_SPEC);
  const entitySpecs = parsed.filter((s) => s.name !== COMMON_SPEC);

  // What no spec may contain, under any key: see validate-hostile.ts.
  validateHostile(specs, out);
  // The schema editors use, whole: see validate-schema.ts.
  for (const spec of parsed) if (!spec.checked) validateAgainstSchema(spec, out);
  if (!common && specs.every((s) => s.name !== COMMON_SPEC)) {
    out.push({ file: "specs/common.yaml", line: 1, column: 1, message: "specs/common.yaml is missing", hint: "create it with the baseFields every record carries (see docs/spec-format.md)" });
  }

  // Enums are one namespace across all files.
  const enums: Registry = new Map();
  for (const spec of parsed) {
    const enumsNode = spec.root.kind === "map" ? entry(spec.root, "enums")?.value : undefined;
    if (enumsNode?.kind !== "map") continue;
    for (const e of enumsNode.entries) {
      const first = enums.get(e.key);
      if (first) {
        out.push({ ...pos(e.keyNode), message: `enum "${e.key}" is already defined in ${first.file}:${first.line}`, hint: "define an enum once and use it by name from every spec" });
        continue;
      }
      enums.set(e.key, e.keyNode);
      if (BUILTIN_NAMES.has(e.key)) out.push({ ...pos(e.keyNode), message: `enum "${e.key}" would shadow TypeScript's built-in ${e.key}`, hint: `rename it, e.g. ${e.key}Kind` });
      if (reserved.has(e.key)) out.push({ ...pos(e.keyNode), message: `enum "${e.key}" has the name of an export of the package's runtime`, hint: `rename it, e.g. ${e.key}Kind` });
      const values = e.value.kind === "map" ? entry(e.value, "values")?.value : undefined;
      if (values?.kind === "map") {
        const seenValues = new Map<unknown, string>();
        for (const v of values.entries) {
          if (v.value.kind !== "scalar") continue;
          const other = seenValues.get(v.value.value);
          if (other !== undefined) out.push({ ...pos(v.value), message: `enum "${e.key}": ${v.key} and ${other} both have the value ${String(v.value.value)}`, hint: "give each member its own integer value" });
          else seenValues.set(v.value.value, v.key);
        }
        if (values.entries.length === 0) out.push({ ...pos(values), message: `enum "${e.key}" has no values`, hint: "list its members as Name: integer" });
      }
    }
  }

  const baseFieldsNode = common?.root.kind === "map" ? entry(common.root, "baseFields")?.value : undefined;
  const baseFieldNames = baseFieldsNode?.kind === "map" ? baseFieldsNode.entries.map((e) => e.key) : [];
  if (common && baseFieldsNode?.kind === "map") checkFieldTypes(baseFieldsNode, enums, out);

  const entities: Registry = new Map();
  const paths: Registry = new Map();
  // Client property names (nx.<area>.<camelCase plural>) must not clash either.
  const properties: Registry = new Map();
  const infoExports: Registry = new Map();
  const updateInfoExports = new Set<string>();
  for (const spec of entitySpecs) {
    if (spec.root.kind !== "map") continue;
    const root = spec.root;
    const entityNode = scalarAt(root, "entity");
    const entityName = typeof entityNode?.value === "string" ? entityNode.value : undefined;
    if (!entityName || !entityNode) continue;

    const firstEntity = entities.get(entityName);
    if (firstEntity) out.push({ ...pos(entityNode), message: `entity "${entityName}" is already specified in ${firstEntity.file}:${firstEntity.line}`, hint: "keep one spec file per entity" });
    else entities.set(entityName, entityNode);
    const areaNode = scalarAt(root, "area");
    const pluralNode = scalarAt(root, "plural");
    const plural = typeof pluralNode?.value === "string" ? pluralNode.value : defaultPlural(entityName);
    // The entity's generated type names share the package's one namespace with the enums and the runtime.
    for (const typeName of [entityName, `${entityName}ListingRecord`, `${entityName}Create`, `${entityName}Query`, `${entityName}OrderBy`, `${plural}Resource`]) {
      const clash = enums.get(typeName);
      if (clash) out.push({ ...pos(clash), message: `enum "${typeName}" has the name of a type generated for entity ${entityName} (${spec.file})`, hint: `rename the enum, e.g. ${typeName}Kind, or after the docs' e-name` });
      if (BUILTIN_NAMES.has(typeName)) out.push({ ...pos(entityNode), message: `entity ${entityName} would generate "${typeName}", which would shadow TypeScript's built-in ${typeName}`, hint: `choose another entity name, e.g. ${entityName}Entry` });
      if (reserved.has(typeName)) out.push({ ...pos(pluralNode && typeName.endsWith("Resource") ? pluralNode : entityNode), message: `entity ${entityName} would generate "${typeName}", which the package's runtime already exports`, hint: typeName.endsWith("Resource") ? "set another plural" : `choose another entity name, e.g. Web${entityName}` });
    }

    const area = typeof areaNode?.value === "string" ? areaNode.value : undefined;
    // NexudusClient has one property per area beside its `transport`.
    if (area === "transport" && areaNode) out.push({ ...pos(areaNode), message: `area "transport" would clash with NexudusClient's transport property`, hint: "Nexudus areas are billing, spaces, content, crm, community, collaboration, support, sys, apps and security" });
    // The package's hand-written folders (src/runtime/, src/testing/) cannot also be an area's.
    if (area && (COPIED_FOLDERS as readonly string[]).includes(area) && areaNode) out.push({ ...pos(areaNode), message: `area "${area}" would put its files in the package's own src/${area}/ folder`, hint: "Nexudus areas are billing, spaces, content, crm, community, collaboration, support, sys, apps and security" });
    const pathNode = scalarAt(root, "path") ?? areaNode ?? entityNode;
    const endpointPath = typeof scalarAt(root, "path")?.value === "string" ? String(scalarAt(root, "path")!.value) : area ? defaultPath(area, plural) : undefined;
    if (endpointPath) {
      const first = paths.get(endpointPath);
      if (first) out.push({ ...pos(pathNode), message: `path ${endpointPath} is already claimed by ${first.file}:${first.line}`, hint: "two specs cannot describe one endpoint: merge them, or set plural/path on the one that differs" });
      else paths.set(endpointPath, { ...pathNode, value: endpointPath });
      const property = `${area}.${camelCase(plural)}`;
      const firstProperty = properties.get(property);
      if (firstProperty && !first) out.push({ ...pos(pluralNode ?? entityNode), message: `the client property nx.${property} is already taken by ${firstProperty.file}:${firstProperty.line}`, hint: "give one of the two entities another plural" });
      else if (!firstProperty) properties.set(property, entityNode);
      // Each resource module exports its info as `export const <camelCase plural>`, and the package
      // index re-exports every one: one namespace across areas, beside the runtime's functions.
      const infoExport = camelCase(plural);
      // An entity that updates also exports its info with the update rules, in the same namespace.
      const operations = entry(root, "operations")?.value;
      const updates = operations?.kind === "seq" && operations.items.some((item) => item.kind === "scalar" && item.value === "update");
      const infoNames = [infoExport, ...(updates ? [updateInfoName(infoExport)] : [])];
      const taken = infoNames.map((name) => ({ name, first: infoExports.get(name) })).find((t) => t.first);
      if (RESERVED_WORDS.has(infoExport)) out.push({ ...pos(pluralNode ?? entityNode), message: `the resource info export "${infoExport}" would be a word JavaScript reserves`, hint: `set another plural, e.g. ${plural}Records` });
      else if (infoNames.some((name) => reserved.has(name))) out.push({ ...pos(pluralNode ?? entityNode), message: `the resource info export "${infoNames.find((name) => reserved.has(name))}" would clash with the runtime's export of that name`, hint: `set another plural, e.g. ${plural}Records` });
      else if (isOperationTableName(infoExport)) out.push({ ...pos(pluralNode ?? entityNode), message: `the resource info export "${infoExport}" would clash with the table of operation functions of that name in its area's module`, hint: `set another plural, e.g. ${plural}Records` });
      else if (taken && !first && !firstProperty)
        out.push({
          ...pos(pluralNode ?? entityNode),
          message: taken.name === infoExport && !updateInfoExports.has(infoExport) ? `the plural "${plural}" is already taken by ${taken.first!.file}:${taken.first!.line}: both would export ${plural}Resource and ${infoExport}` : `the plural "${plural}" would export "${taken.name}", which ${taken.first!.file}:${taken.first!.line} already exports`,
          hint: "the package exports one resource class and one info per plural (and an entity that updates, its info for updates: <info>ForUpdate), across areas: give one of the two entities another plural",
        });
      else if (!taken) {
        for (const name of infoNames) infoExports.set(name, entityNode);
        if (updates) updateInfoExports.add(updateInfoName(infoExport));
      }
    }

    const fieldsNode = entry(root, "fields")?.value;
    const fieldNames = new Set<string>(fieldsNode?.kind === "map" ? fieldsNode.entries.map((e) => e.key) : []);
    if (scalarAt(root, "baseFields")?.value !== false) for (const name of baseFieldNames) fieldNames.add(name);
    if (fieldsNode?.kind === "map") checkFieldTypes(fieldsNode, enums, out);

    const filtersNode = entry(root, "filters")?.value;
    if (filtersNode?.kind === "map") {
      for (const e of filtersNode.entries) {
        checkPrefix(e.keyNode, e.key, entityName, "filter", out);
        const type = typeNode(e.value);
        checkType(type, enums, out, "filter");
        const parsedType = typeof type?.value === "string" ? parseTypeName(type.value) : undefined;
        if (type && parsedType && (parsedType.array || parsedType.nullable || parsedType.base === "json")) {
          out.push({ ...pos(type), message: `filter "${e.key}" cannot be of type ${String(type.value)}: a filter takes one plain value`, hint: "use integer, number, string, boolean, datetime or an enum name, without [] or ?" });
        }
      }
    }
    const rangeNode = entry(root, "rangeFilters")?.value;
    if (rangeNode?.kind === "map") {
      for (const e of rangeNode.entries) {
        if (/^(from|to)_/i.test(e.key)) {
          out.push({ ...pos(e.keyNode), message: `range filter "${e.key}" must be written without its from_/to_ prefix`, hint: `write ${e.key.replace(/^(from|to)_/i, "")}; the from_ and to_ parameters are generated from it` });
          continue;
        }
        checkPrefix(e.keyNode, e.key, entityName, "range filter", out);
        const type = typeNode(e.value);
        if (!type || typeof type.value !== "string") continue;
        const parsedType = parseTypeName(type.value);
        if (parsedType && (!RANGE_TYPES.includes(parsedType.base) || parsedType.array || parsedType.nullable)) {
          out.push({ ...pos(type), message: `range filter "${e.key}" cannot be of type ${type.value}: Nexudus compares ranges of numbers and dates only`, hint: `use ${RANGE_TYPES.join(", ")}; a ${parsedType.base} belongs under filters` });
        }
      }
    }

    const statusNode = entry(root, "docs")?.value;
    const status = statusNode?.kind === "map" ? scalarAt(statusNode, "status") : undefined;
    if (status?.value === "complete" && scalarAt(root, "description")?.value?.toString().trim() === PLACEHOLDER_DESCRIPTION) {
      out.push({ ...pos(status), message: `${entityName} is marked complete, but its description is still the placeholder`, hint: "write the entity's description from its docs page, or mark it partial" });
    }

    const omitsNode = entry(root, "listingOmits")?.value;
    if (omitsNode?.kind === "seq") {
      for (const item of omitsNode.items) {
        if (item.kind === "scalar" && typeof item.value === "string" && !fieldNames.has(item.value)) {
          out.push({ ...pos(item), message: `listingOmits names "${item.value}", which is not a field of ${entityName}.${didYouMean(item.value, fieldNames)}`, hint: "list only names defined under fields (or the base fields)" });
        }
      }
    }
  }

  function checkFieldTypes(fields: SpecMap, known: Registry, sink: Diagnostic[]): void {
    for (const e of fields.entries) {
      checkType(typeNode(e.value), known, sink, "field");
      if (e.value.kind === "scalar" && typeof e.value.value === "string" && parseTypeName(e.value.value)?.base === "object") {
        sink.push({ ...pos(e.value), message: `field "${e.key}" of type ${e.value.value} needs properties`, hint: "list the child objects' properties: { type: object[], properties: { ProductId: integer } }" });
      }
      if (e.value.kind === "map") {
        const readOnly = scalarAt(e.value, "readOnly");
        const required = scalarAt(e.value, "required");
        if (readOnly?.value === true && required?.value === true) {
          sink.push({ ...pos(required), message: `field "${e.key}" is both readOnly and required`, hint: "a field the create body requires is not read-only: drop one of the two" });
        }
        checkFieldFlags(e.key, e.value, sink);
        const properties = entry(e.value, "properties")?.value;
        if (properties?.kind === "map") for (const p of properties.entries) checkType(typeNode(p.value), known, sink, "field");
      }
    }
  }
}

/** What the field flags of the compact format require of a field's type and of each other. */
function checkFieldFlags(name: string, field: SpecMap, out: Diagnostic[]): void {
  const typeScalar = scalarAt(field, "type");
  const type = typeof typeScalar?.value === "string" ? parseTypeName(typeScalar.value) : undefined;
  if (!type || !typeScalar) return;
  const flag = (key: string) => (scalarAt(field, key)?.value === true ? scalarAt(field, key) : undefined);
  const exclusive = ["readOnly", "createOnly", "updateOnly"].filter((key) => flag(key));
  if (exclusive.length > 1) out.push({ ...pos(flag(exclusive[1]!)!), message: `field "${name}" is both ${exclusive[0]} and ${exclusive[1]}`, hint: "keep the one the sources say" });
  const filter = flag("filter");
  if (filter && (type.array || ["json", "unknown", "object"].includes(type.base))) {
    out.push({ ...pos(filter), message: `field "${name}" of type ${String(typeScalar.value)} cannot have a filter: a filter takes one plain value`, hint: "drop filter: true, or write the filter the docs name under filters" });
  }
  const range = flag("range");
  if (range && (type.array || !RANGE_TYPES.includes(type.base))) {
    out.push({ ...pos(range), message: `field "${name}" of type ${String(typeScalar.value)} cannot have range filters: Nexudus compares ranges of numbers and dates only`, hint: `drop range: true; range filters take ${RANGE_TYPES.join(", ")}` });
  }
  const collection = flag("collection");
  if (collection && !(type.base === "integer" && type.array)) {
    out.push({ ...pos(collection), message: `collection field "${name}" must be of type integer[] or integer[]?, not ${String(typeScalar.value)}`, hint: "a collection is a list of record ids" });
  }
  const properties = entry(field, "properties");
  const isChildren = type.base === "object";
  if (properties && !(isChildren && type.array)) {
    out.push({ ...pos(properties.keyNode), message: `field "${name}" has properties but is of type ${String(typeScalar.value)}`, hint: "properties describe inline child objects: write type: object[] (or object[]?)" });
  } else if (isChildren && !properties) {
    out.push({ ...pos(typeScalar), message: `field "${name}" of type ${String(typeScalar.value)} needs properties`, hint: "list the child objects' properties: properties: { ProductId: integer, Quantity: integer }" });
  }
  if (properties?.value.kind === "map") {
    for (const p of properties.value.entries) {
      const childType = typeNode(p.value);
      const parsed = typeof childType?.value === "string" ? parseTypeName(childType.value) : undefined;
      if (childType && parsed?.base === "object") out.push({ ...pos(childType), message: `child property "${p.key}" of "${name}" cannot itself be an object`, hint: "type it unknown when no source gives its shape" });
    }
  }
}

function checkType(node: SpecScalar | undefined, enums: Registry, out: Diagnostic[], what: string): void {
  if (!node || typeof node.value !== "string") return;
  const parsed = parseTypeName(node.value);
  if (!parsed) return; // the schema's pattern already reported it
  if ((parsed.base === "object" || parsed.base === "unknown") && what !== "field") {
    out.push({ ...pos(node), message: `"${parsed.base}" is only for fields`, hint: "a filter takes one plain value: integer, number, string, boolean, datetime, untyped or an enum" });
    return;
  }
  if (parsed.base === "untyped" && what !== "filter") {
    out.push({ ...pos(node), message: `"untyped" is only for filters the docs name without a type`, hint: "a field whose shape the docs do not give is json" });
    return;
  }
  if (!isPrimitive(parsed.base) && !enums.has(parsed.base)) {
    out.push({
      ...pos(node),
      message: `unknown type "${parsed.base}" for a ${what}.${didYouMean(parsed.base, [...PRIMITIVE_TYPES, ...enums.keys()])}`,
      hint: `use ${PRIMITIVE_TYPES.join(", ")} or an enum defined under enums (in any spec or specs/common.yaml)`,
    });
  }
}

function checkPrefix(node: SpecScalar, name: string, entity: string, what: string, out: Diagnostic[]): void {
  if (!name.startsWith(`${entity}_`)) {
    out.push({ ...pos(node), message: `${what} "${name}" does not start with "${entity}_"`, hint: `Nexudus names listing filters <Entity>_<Field>; write ${entity}_${name.replace(/^[^_]*_/, "")} as the docs page spells it` });
  }
}

/** Root keys whose whole value the checks across specs read (and the model: the enums). */
const OUTLINED_WHOLE = new Set(["entity", "area", "plural", "path", "operations", "baseFields", "enums", "listingOmits"]);

/**
 * What the checks across specs read of an entity spec, with its places: its names (entity, area,
 * plural, path), `baseFields`, its enums whole (the model reads them too), `listingOmits`, and of
 * its fields and filters only those that name an enum (a child object's properties likewise; any
 * other type reads as null) and the fields `listingOmits` names or that are named like one of the
 * base fields (`baseFieldNames`, of specs/common.yaml: an outline is made for one set of them).
 * Its operations too (an entity that updates exports a second info). Nothing else: descriptions, docs, the other fields and filters and the range filters
 * concern the spec alone.
 *
 * A spec whose text passed every check of its own (`checked`) is validated against the others from
 * its outline alone, by the same code: the checks of one spec alone find nothing in an outline, as
 * they found nothing in the whole spec, since an outline only leaves things out (no check fires on
 * a missing description or flag; a child object keeps its type and properties).
 */
export function outline(root: SpecNode, baseFieldNames: readonly string[]): SpecNode {
  if (root.kind !== "map") return root;
  const omitted = entry(root, "listingOmits")?.value;
  const omits = new Set(omitted?.kind === "seq" ? omitted.items.flatMap((i) => (i.kind === "scalar" ? [String(i.value)] : [])) : []);
  const base = new Set(baseFieldNames.map((name) => name.toLowerCase()));
  const entries = root.entries.flatMap((e) => {
    if (OUTLINED_WHOLE.has(e.key)) return [e];
    if ((e.key === "fields" || e.key === "filters") && e.value.kind === "map") {
      // Another spec can only change what a field or filter that names an enum means, or what a
      // field named like a base field (case, listingOmits) or named in listingOmits means.
      const kept = e.value.entries
        .map((f) => ({ ...f, value: typeOutline(f.value) }))
        .filter((f) => namesEnum(f.value) || (e.key === "fields" && (omits.has(f.key) || base.has(f.key.toLowerCase()))));
      return [{ ...e, value: { ...e.value, entries: kept } }];
    }
    return [];
  });
  return { ...root, entries };
}

/** Whether a type outline names an enum (itself, or one of its child object's properties). */
function namesEnum(node: SpecNode): boolean {
  if (node.kind === "scalar") return node.value !== null;
  const properties = node.kind === "map" ? entry(node, "properties")?.value : undefined;
  return properties?.kind === "map" && properties.entries.some((p) => namesEnum(p.value));
}

/** A field's or filter's type as its outline keeps it: an enum's name, or null; a child object with its properties. */
function typeOutline(node: SpecNode): SpecNode {
  const type = typeNode(node);
  const properties = node.kind === "map" ? entry(node, "properties") : undefined;
  if (node.kind === "map" && type && properties?.value.kind === "map") {
    const children = { ...properties.value, entries: properties.value.entries.map((p) => ({ ...p, value: typeOutline(p.value) })) };
    return { ...node, entries: [...node.entries.filter((e) => e.key === "type"), { ...properties, value: children }] };
  }
  const parsed = typeof type?.value === "string" ? parseTypeName(type.value) : undefined;
  if (type && parsed && !isPrimitive(parsed.base)) return type;
  return { kind: "scalar", file: node.file, line: node.line, column: node.column, value: null };
}

function scalarAt(map: SpecMap, key: string): SpecScalar | undefined {
  const node = entry(map, key)?.value;
  return node?.kind === "scalar" ? node : undefined;
}

/** The type scalar of a field/filter written either as `Name: type` or `Name: { type: ... }`. */
export function typeNode(node: SpecNode): SpecScalar | undefined {
  if (node.kind === "scalar") return node;
  if (node.kind === "map") return scalarAt(node, "type");
  return undefined;
}

function pos(node: SpecScalar | SpecNode): Pick<Diagnostic, "file" | "line" | "column"> {
  return { file: node.file, line: node.line, column: node.column };
}
