import { FORBIDDEN, visible, type Diagnostic } from "./diagnostics.js";
import { COMMON_SPEC, entry, type LoadedSpec, type SpecMap, type SpecNode, type SpecScalar } from "./load.js";
import { camelCase, defaultPath, defaultPlural } from "./names.js";

/**
 * Checks that treat a spec as hostile input: what it may not contain, whatever key holds it. A
 * spec's names and text reach TypeScript, JSDoc, Markdown and JSON; these checks walk every key
 * and value of every spec (not a list of known keys), so new spec keys are covered as they come.
 * The rules are documented in docs/spec-format.md, "What a spec may not contain".
 */

const CHARACTER_NAMES: Record<number, string> = {
  0x00: "NUL",
  0x07: "BEL",
  0x08: "backspace",
  0x0b: "vertical tab",
  0x0c: "form feed",
  0x0d: "carriage return",
  0x1b: "ESC, which starts ANSI escape sequences",
  0x7f: "DEL",
  0x00ad: "soft hyphen",
  0x200b: "zero-width space",
  0x200e: "left-to-right mark",
  0x200f: "right-to-left mark",
  0x2028: "line separator, a line break in JavaScript",
  0x2029: "paragraph separator, a line break in JavaScript",
  0x202a: "left-to-right embedding",
  0x202b: "right-to-left embedding",
  0x202c: "pop directional formatting",
  0x202d: "left-to-right override",
  0x202e: "right-to-left override",
  0x2066: "left-to-right isolate",
  0x2067: "right-to-left isolate",
  0x2068: "first strong isolate",
  0x2069: "pop directional isolate",
  0xfeff: "zero-width no-break space (byte order mark)",
  0xfffd: "replacement character: the file is not valid UTF-8 here",
};

/** `U+202E (right-to-left override)`. */
export function describeCharacter(char: string): string {
  const code = char.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  const isSurrogate = char.length === 1 && code >= 0xd800 && code <= 0xdfff;
  const name = CHARACTER_NAMES[code] ?? (isSurrogate ? "a lone surrogate" : code < 0x20 || (code >= 0x7f && code <= 0x9f) ? "a control character" : "an invisible formatting character");
  return `U+${hex} (${name})`;
}

/** The names of `Object.prototype`: as a key they shadow or replace what every object has. */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** An area folder: the area's name. A spec file: the endpoint's last path segment. */
const FOLDER_NAME = /^[a-z][a-z0-9]*$/;
const FILE_NAME = /^([a-z][a-z0-9]*)\.ya?ml$/;

/** Map keys whose entries are record fields: an `Id` among them must keep the base type. */
const FIELD_MAPS = new Set(["fields", "baseFields"]);
const ID_TYPE = "integer";

type Located = Pick<Diagnostic, "file" | "line" | "column">;
const at = (node: SpecNode | SpecScalar): Located => ({ file: node.file, line: node.line, column: node.column });

/** Every hostile-input rule, for every spec: pushes one diagnostic per problem. */
export function validateHostile(specs: readonly LoadedSpec[], out: Diagnostic[]): void {
  for (const spec of specs) {
    // What one spec alone may not contain was checked in this very text before.
    if (spec.checked) continue;
    checkLayout(spec, out);
    const rawFound = checkText(spec, out);
    if (!spec.root) continue;
    walk(spec.root, undefined, (node, key) => checkNode(node, key, !rawFound, out));
    if (spec.root.kind === "map" && spec.name !== COMMON_SPEC) checkEntityNames(spec, spec.root, out);
  }
  checkCaseAcrossSpecs(specs, out);
  checkFieldCaseAgainstBase(specs, out);
}

/** specs/common.yaml, or specs/<area>/<endpoint>.yaml: nothing else, no deeper folders. */
function checkLayout(spec: LoadedSpec, out: Diagnostic[]): void {
  const top: Located = { file: spec.file, line: 1, column: 1 };
  const parts = spec.name.split("/");
  if (parts.length === 1) {
    if (spec.name !== COMMON_SPEC) {
      out.push({ ...top, message: `spec file "${visible(spec.name)}" is at the top of specs/, where only common.yaml belongs`, hint: "move it into its area folder: specs/<area>/<endpoint>.yaml" });
    }
    return;
  }
  if (parts.length > 2) {
    out.push({ ...top, message: `spec file "${visible(spec.name)}" is in a nested folder; the layout is specs/<area>/<endpoint>.yaml, one folder deep`, hint: `move it to specs/${visible(parts[0]!)}/${visible(parts[parts.length - 1]!)}` });
    return;
  }
  const [folder, file] = parts as [string, string];
  if (!FOLDER_NAME.test(folder)) {
    out.push({ ...top, message: `folder name "${visible(folder)}" is not an area name`, hint: "name area folders in lower-case letters and digits, as the API path writes the area (billing, spaces, ...)" });
  }
  if (!FILE_NAME.test(file)) {
    out.push({ ...top, message: `file name "${visible(file)}" is not a spec name`, hint: "name the file after the endpoint's last path segment, lower-case letters and digits, e.g. coworkertimepasses.yaml" });
  }
}

/**
 * Forbidden characters anywhere in the file's text, comments included (a bidi override in a
 * comment misleads a reviewer as well). Reports the first of each line at its exact column;
 * returns whether any was found.
 */
function checkText(spec: LoadedSpec, out: Diagnostic[]): boolean {
  let found = false;
  const lines = spec.text.split("\n");
  for (const [index, line] of lines.entries()) {
    // A byte order mark may open the file; a CR may end a line (CRLF).
    const text = (index === 0 ? line.replace(/^\uFEFF/, "") : line).replace(/\r$/, "");
    const offset = line.length - text.length - (line.endsWith("\r") ? 1 : 0);
    const match = FORBIDDEN.exec(text);
    if (!match) continue;
    found = true;
    out.push({
      file: spec.file,
      line: index + 1,
      column: match.index + offset + 1,
      message: `the spec contains the character ${describeCharacter(match[0])}`,
      hint: "delete it: specs hold plain text, and control, bidirectional and invisible characters can hide or change what the generated code and docs say",
    });
  }
  return found;
}

/** Visits every node with the key it is the value of (undefined for list items and the root). */
function walk(node: SpecNode, key: SpecScalar | undefined, visit: (node: SpecNode, key: SpecScalar | undefined) => void): void {
  visit(node, key);
  if (node.kind === "map") for (const e of node.entries) walk(e.value, e.keyNode, visit);
  else if (node.kind === "seq") for (const item of node.items) walk(item, undefined, visit);
}

function checkNode(node: SpecNode, key: SpecScalar | undefined, escapesOnly: boolean, out: Diagnostic[]): void {
  if (node.kind === "scalar") {
    checkScalar(node, escapesOnly, out);
    // A name in a list (listingOmits, ...) becomes a property key just as a map key does.
    if (key === undefined && typeof node.value === "string") checkPropertyName(node, node.value, "a listed name", out);
    return;
  }
  if (node.kind === "seq") {
    if (key?.value === "sources") checkSources(node, out);
    return;
  }
  const seen = new Map<string, SpecScalar>();
  for (const e of node.entries) {
    // Keys are scalars: their characters were checked with the text; escaped ones are checked here.
    checkScalar(e.keyNode, escapesOnly, out);
    checkPropertyName(e.keyNode, e.key, "a key", out);
    const lower = e.key.toLowerCase();
    const first = seen.get(lower);
    if (first && first.value !== e.key) {
      out.push({ ...at(e.keyNode), message: `"${visible(e.key)}" differs from "${visible(String(first.value))}" (line ${first.line}) only in case`, hint: "names that differ only in case clash wherever case is ignored (a server binding JSON or query names, a case-insensitive file system): keep one, spelled as the docs spell it" });
    } else if (!first) {
      seen.set(lower, e.keyNode);
    }
  }
  const parentKey = key?.value;
  if (typeof parentKey === "string" && FIELD_MAPS.has(parentKey)) checkIdType(node, out);
}

/** A source is printed as a link: it must be one URL, nothing that could end the link early. */
function checkSources(node: SpecNode, out: Diagnostic[]): void {
  if (node.kind !== "seq") return;
  for (const item of node.items) {
    if (item.kind !== "scalar" || typeof item.value !== "string") continue;
    let valid = !/[\s<>"'`\\{}|^]/.test(item.value);
    try {
      new URL(item.value);
    } catch {
      valid = false;
    }
    if (!valid) out.push({ ...at(item), message: `source "${visible(item.value)}" is not a plain URL`, hint: "write the page's address as the browser shows it, without spaces, quotes, <, >, backticks or braces (percent-encode them)" });
  }
}

/** Characters written as escapes ("\e", "\u202E") and numbers no spec can state exactly. */
function checkScalar(node: SpecScalar, escapesOnly: boolean, out: Diagnostic[]): void {
  const { value } = node;
  if (typeof value === "string") {
    const match = escapesOnly ? FORBIDDEN.exec(value) : undefined;
    if (match) {
      out.push({ ...at(node), message: `this text contains the character ${describeCharacter(match[0])}, written as an escape`, hint: "remove the escape sequence: specs hold plain text, and control, bidirectional and invisible characters can hide or change what the generated code and docs say" });
    }
    return;
  }
  if (typeof value !== "number") return;
  if (!Number.isFinite(value)) {
    out.push({ ...at(node), message: `${String(value)} is not a number a spec can state`, hint: "write a finite number (an enum value is an integer)" });
  } else if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    out.push({ ...at(node), message: `${value} is beyond the integers JavaScript holds exactly (±${Number.MAX_SAFE_INTEGER}, 2^53 − 1)`, hint: "write an integer between -9007199254740991 and 9007199254740991; a larger value would silently change in the generated code" });
  }
}

function checkPropertyName(node: SpecScalar, name: string, what: string, out: Diagnostic[]): void {
  if (!PROTOTYPE_NAMES.has(name)) return;
  out.push({ ...at(node), message: `"${name}" cannot be ${what}: it is a name every JavaScript object has (Object.prototype.${name})`, hint: `a field, enum member or listed name "${name}" would shadow or replace the object's own ${name}: rename it, e.g. ${name.replace(/^_+|_+$/g, "")}Value` });
}

/** Every record's `Id` is a positive integer: the client's ids and the test server rely on it. */
function checkIdType(fields: SpecMap, out: Diagnostic[]): void {
  const id = entry(fields, "Id");
  if (!id) return;
  const type = id.value.kind === "scalar" ? id.value : id.value.kind === "map" ? entry(id.value, "type")?.value : undefined;
  if (type?.kind !== "scalar" || type.value === ID_TYPE) return;
  out.push({ ...at(type), message: `Id must be of type ${ID_TYPE}, not ${visible(String(type.value))}: every Nexudus record is identified by an integer`, hint: `write Id: { type: ${ID_TYPE} } (or leave Id to specs/common.yaml and describe only what differs)` });
}

/** The spec's area is its folder; its file is named after its endpoint's last path segment. */
function checkEntityNames(spec: LoadedSpec, root: SpecMap, out: Diagnostic[]): void {
  const parts = spec.name.split("/");
  if (parts.length !== 2) return;
  const [folder, file] = parts as [string, string];
  const text = (key: string) => {
    const node = entry(root, key)?.value;
    return node?.kind === "scalar" && typeof node.value === "string" ? { node, value: node.value } : undefined;
  };
  const area = text("area");
  const entity = text("entity");
  const plural = text("plural");
  const path = text("path");
  if (area && FOLDER_NAME.test(folder) && area.value !== folder) {
    out.push({ ...at(area.node), message: `area "${visible(area.value)}" does not match the spec's folder specs/${folder}/`, hint: `move the file to specs/${visible(area.value)}/ or write area: ${folder}` });
  }
  // nx.<area> and nx.<area>.<camelCase plural> are properties of the client's objects.
  const clientProperty = (node: SpecScalar, property: string, hint: string) => {
    if (PROTOTYPE_NAMES.has(property)) out.push({ ...at(node), message: `the client property "${property}" would be a name every JavaScript object has (Object.prototype.${property})`, hint });
  };
  if (area) clientProperty(area.node, area.value, "an area is named as the API path names it; this one cannot be generated");
  const resource = plural ?? (entity && { node: entity.node, value: defaultPlural(entity.value) });
  if (resource) clientProperty(resource.node, camelCase(resource.value), "set another plural");
  const fileBase = FILE_NAME.exec(file)?.[1];
  if (!fileBase || !entity || !area) return;
  const endpoint = path?.value ?? defaultPath(area.value, plural?.value ?? defaultPlural(entity.value));
  const expected = endpoint.split("/").pop()!;
  if (expected !== fileBase) {
    const node = path?.node ?? plural?.node ?? entity.node;
    out.push({ ...at(node), message: `${visible(file)} describes entity ${visible(entity.value)} at ${visible(endpoint)}, whose spec file is ${visible(expected)}.yaml`, hint: `name the file after the endpoint's last path segment (rename it to ${visible(expected)}.yaml), or fix entity/plural/path` });
  }
}

/** Entity and enum names share the package's one namespace: none may differ from another only in case. */
function checkCaseAcrossSpecs(specs: readonly LoadedSpec[], out: Diagnostic[]): void {
  const seen = new Map<string, SpecScalar>();
  const register = (node: SpecScalar, name: string, what: string) => {
    const lower = name.toLowerCase();
    const first = seen.get(lower);
    if (!first) seen.set(lower, node);
    else if (first.value !== name) {
      out.push({ ...at(node), message: `${what} "${visible(name)}" differs from "${visible(String(first.value))}" (${first.file}:${first.line}) only in case`, hint: "type names differ by more than case: generated files and docs pages would clash on case-insensitive file systems; rename one" });
    }
  };
  for (const spec of specs) {
    if (spec.root?.kind !== "map") continue;
    const entity = entry(spec.root, "entity")?.value;
    if (entity?.kind === "scalar" && typeof entity.value === "string") register(entity, entity.value, "entity");
    const enums = entry(spec.root, "enums")?.value;
    if (enums?.kind === "map") for (const e of enums.entries) register(e.keyNode, e.key, "enum");
  }
}

/** An entity's own field may redefine a base field, but not under another case of its name. */
function checkFieldCaseAgainstBase(specs: readonly LoadedSpec[], out: Diagnostic[]): void {
  const common = specs.find((s) => s.name === COMMON_SPEC)?.root;
  const base = common?.kind === "map" ? entry(common, "baseFields")?.value : undefined;
  if (base?.kind !== "map") return;
  const baseNames = new Map(base.entries.map((e) => [e.key.toLowerCase(), e.key]));
  for (const spec of specs) {
    if (spec.name === COMMON_SPEC || spec.root?.kind !== "map") continue;
    const withBase = entry(spec.root, "baseFields")?.value;
    if (withBase?.kind === "scalar" && withBase.value === false) continue;
    const fields = entry(spec.root, "fields")?.value;
    if (fields?.kind !== "map") continue;
    for (const e of fields.entries) {
      const baseName = baseNames.get(e.key.toLowerCase());
      if (baseName !== undefined && baseName !== e.key) {
        out.push({ ...at(e.keyNode), message: `field "${e.key}" differs from the base field "${baseName}" (specs/common.yaml) only in case`, hint: `write ${baseName} to redefine the base field, or give the field its own name` });
      }
    }
  }
}
