import path from "node:path";
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Pair } from "yaml";
import { SpecError, type Diagnostic } from "../diagnostics.js";
import { parseSpec, type LoadedSpec } from "../load.js";
import type { EntityModel, FieldModel } from "../model.js";
import { validateSpecs } from "../validate.js";
import type { Difference, SpecSet } from "./compare.js";
import { writeFileAtomic, type Observation } from "./shape.js";

/** One spec file the update changed. */
export interface SpecUpdate {
  /** Spec name, `billing/coworkertimepasses.yaml`. */
  name: string;
  /** The new text. */
  text: string;
  /** What was written, one line each: `added field Foo (integer?)`. */
  changes: string[];
}

/** A text edit: replace `[start, end)` with `text` (an insertion when start equals end). */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The spec type that describes what was observed: `integer?`, `datetime`, `string[]`, `unknown?` (only
 * null). `nullable` (default: whether null was seen) decides the `?`.
 */
export function observedType(observed: Observation, nullable = observed.null === true): string {
  const base = (o: Observation): string => {
    const types = o.types;
    if (types.length === 0) return "unknown";
    if (types.every((t) => t === "integer" || t === "number")) return types.includes("number") ? "number" : "integer";
    if (types.length > 1) return "json";
    switch (types[0]) {
      case "string":
        return o.formats?.every((f) => f === "date-time") ? "datetime" : "string";
      case "boolean":
        return "boolean";
      case "array": {
        const item = o.items ? base(o.items) : "unknown";
        return item === "json" || item.endsWith("[]") ? "json" : `${item}[]`;
      }
      default:
        return "json";
    }
  };
  const label = base(observed);
  return nullable ? `${label}?` : label;
}

/**
 * A string as a YAML scalar that reads the same in block and flow context: plain when it is a bare word
 * (`integer?`), double-quoted otherwise (`"string[]"`: inside `{ }` an unquoted `[` opens a list).
 */
const scalar = (value: string): string => (/^[A-Za-z0-9_?]+$/.test(value) ? value : JSON.stringify(value));

/** A one-line flow map, `{ type: integer?, readOnly: true, provenance: observed }`. */
const flowMap = (entries: [string, string | number | boolean][]): string =>
  `{ ${entries.map(([k, v]) => `${k}: ${typeof v === "string" ? scalar(v) : String(v)}`).join(", ")} }`;

/** Text positions of one spec document, through the `yaml` package's Document API. */
class SpecText {
  readonly doc: Document;
  readonly edits: Edit[] = [];

  constructor(readonly text: string) {
    this.doc = parseDocument(text, { keepSourceTokens: false });
  }

  pair(pathKeys: string[]): Pair<YamlNode, YamlNode | null> | undefined {
    let node: unknown = this.doc.contents;
    let found: Pair<YamlNode, YamlNode | null> | undefined;
    for (const key of pathKeys) {
      if (!isMap(node)) return undefined;
      found = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair<YamlNode, YamlNode | null> | undefined;
      if (!found) return undefined;
      node = found.value;
    }
    return found;
  }

  /** The start of the line after the node that ends at `end` (a block node's end may already be past its newline). */
  private lineAfter(end: number): number {
    const newline = this.text.indexOf("\n", Math.max(0, end - 1));
    return newline < 0 ? this.text.length : newline + 1;
  }

  private columnOf(offset: number): number {
    return offset - (this.text.lastIndexOf("\n", offset - 1) + 1);
  }

  /** Inserts block lines on the line after the node ending at `end`. */
  private insertLines(end: number, lines: string[]): void {
    const at = this.lineAfter(end);
    const needsNewline = at === this.text.length && !this.text.endsWith("\n");
    this.edits.push({ start: at, end: at, text: `${needsNewline ? "\n" : ""}${lines.map((l) => `${l}\n`).join("")}` });
  }

  /** Inserts `, a, b` after the last item of a flow collection, or `a, b` into an empty one. */
  private insertFlow(collection: YamlNode & { items: unknown[] }, close: string, texts: string[]): void {
    const last = collection.items.at(-1) as (YamlNode & { value?: YamlNode | null; key?: YamlNode }) | undefined;
    const lastNode = last && (isScalar(last) || isMap(last) || isSeq(last) ? last : (last.value ?? last.key));
    if (lastNode?.range) {
      this.edits.push({ start: lastNode.range[1], end: lastNode.range[1], text: `, ${texts.join(", ")}` });
    } else {
      const at = this.text.lastIndexOf(close, collection.range![1]);
      this.edits.push({ start: at, end: at, text: close === "}" ? ` ${texts.join(", ")} ` : texts.join(", ") });
    }
  }

  /** Adds `key: value` lines to the map at `pathKeys` (creating a top-level one at the end of the file when absent). */
  addEntries(pathKeys: string[], entries: [string, string][], comment?: string): void {
    if (entries.length === 0) return;
    const trailer = comment ? ` # ${comment}` : "";
    const pair = this.pair(pathKeys);
    const map = pair?.value;
    if (isMap(map) && map.flow) {
      this.insertFlow(map, "}", entries.map(([k, v]) => `${k}: ${v}`));
    } else if (isMap(map) && map.items.length > 0) {
      const indent = " ".repeat(this.columnOf((map.items[0]!.key as YamlNode).range![0]));
      const last = map.items.at(-1)!;
      const end = ((last.value as YamlNode | null)?.range ?? (last.key as YamlNode).range)![1];
      this.insertLines(end, entries.map(([k, v]) => `${indent}${k}: ${v}${trailer}`));
    } else if (pair) {
      // `fields:` with nothing (or `~`) after it: the entries go on the lines below the key.
      const key = pair.key as YamlNode;
      const indent = " ".repeat(this.columnOf(key.range![0]) + 2);
      if (pair.value?.range && pair.value.range[1] > pair.value.range[0]) this.replace(pair.value, "");
      this.insertLines(key.range![1] + 1, entries.map(([k, v]) => `${indent}${k}: ${v}${trailer}`));
    } else if (pathKeys.length === 1) {
      this.append([`${pathKeys[0]}:`, ...entries.map(([k, v]) => `  ${k}: ${v}${trailer}`)]);
    }
  }

  /** Adds items to the top-level list `key` (flow or block), creating `key: [..]` at the end when absent. */
  addItems(key: string, items: string[]): void {
    if (items.length === 0) return;
    const pair = this.pair([key]);
    const seq = pair?.value;
    if (isSeq(seq) && seq.flow) {
      this.insertFlow(seq, "]", items);
    } else if (isSeq(seq) && seq.items.length > 0) {
      const first = seq.items[0] as YamlNode;
      const indent = " ".repeat(this.columnOf(this.text.lastIndexOf("-", first.range![0])));
      this.insertLines((seq.items.at(-1) as YamlNode).range![1], items.map((i) => `${indent}- ${i}`));
    } else if (!pair) {
      this.append([`${key}: [${items.join(", ")}]`]);
    }
  }

  /** Replaces the scalar a node holds. */
  replace(node: YamlNode, text: string): void {
    this.edits.push({ start: node.range![0], end: node.range![1], text });
  }

  private append(lines: string[]): void {
    const at = this.text.length;
    this.edits.push({ start: at, end: at, text: `${this.text.endsWith("\n") || at === 0 ? "" : "\n"}${lines.map((l) => `${l}\n`).join("")}` });
  }

  /** The text with every edit applied (later offsets first, so earlier ones stay valid). */
  result(): string {
    let out = this.text;
    const ordered = this.edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.i - a.i);
    for (const e of ordered) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
  }
}

/** The field's new type after type and null differences, or undefined when it keeps its own. */
function correctedType(field: FieldModel, differences: readonly Difference[]): string | undefined {
  const typeDifference = differences.find((d) => d.kind === "type");
  const nullable = field.type.nullable || differences.some((d) => d.kind === "null" || d.observed?.null);
  const base = typeDifference?.observed ? observedType(typeDifference.observed, false) : field.type.label.replace(/\?$/, "");
  const label = nullable ? `${base}?` : base;
  return label === field.type.label ? undefined : label;
}

/**
 * Writes what was observed into the specs, keeping every comment and the layout: the text is edited at
 * the positions the `yaml` Document API gives, never reprinted. Adds answered properties the spec lacks
 * (`readOnly`, marked `provenance: observed`), makes types nullable or corrects them, adds listing
 * omissions and enum numbers (named `Observed<N>`). It never deletes anything: unseen fields and
 * listingOmits that listings contradict stay as they are, for a person to judge. The updated specs are
 * validated before anything is written; on any problem nothing is written.
 */
export async function updateSpecs(set: SpecSet, differences: readonly Difference[], specsDir: string): Promise<SpecUpdate[]> {
  const texts = new Map<string, SpecText>();
  const changes = new Map<string, string[]>();
  const textOf = (name: string): SpecText => {
    let found = texts.get(name);
    if (!found) {
      const spec = set.specs.find((s) => s.name === name);
      if (!spec) throw new Error(`no spec ${name}`);
      texts.set(name, (found = new SpecText(spec.text)));
    }
    return found;
  };
  const note = (name: string, change: string) => changes.set(name, [...(changes.get(name) ?? []), change]);
  const specName = (entity: EntityModel) => entity.specFile.replace(/^specs\//, "");

  const byEntity = new Map<EntityModel, Difference[]>();
  for (const d of differences) byEntity.set(d.entity, [...(byEntity.get(d.entity) ?? []), d]);

  for (const [entity, list] of byEntity) {
    const name = specName(entity);
    const spec = textOf(name);
    const newFields: [string, string][] = [];
    const newOmissions: string[] = [];

    for (const d of list.filter((x) => x.kind === "extra" && x.observed)) {
      const type = observedType(d.observed!);
      newFields.push([d.field, flowMap([["type", type], ["readOnly", true], ["provenance", "observed"]])]);
      note(name, `added field ${d.field} (${type}, observed)`);
    }

    const byField = new Map<string, Difference[]>();
    for (const d of list.filter((x) => x.kind === "type" || x.kind === "null")) byField.set(d.field, [...(byField.get(d.field) ?? []), d]);
    for (const [fieldName, fieldDifferences] of byField) {
      const field = entity.fields.find((f) => f.name === fieldName)!;
      const label = correctedType(field, fieldDifferences);
      if (!label) continue;
      const own = spec.pair(["fields", fieldName]);
      if (own) {
        const typeNode = isMap(own.value) ? (own.value.items.find((p) => isScalar(p.key) && p.key.value === "type")?.value as YamlNode | undefined) : own.value;
        if (typeNode) spec.replace(typeNode, scalar(label));
      } else {
        // A base field of common.yaml: the entity's own spec overrides it, leaving other entities as they are.
        newFields.push([fieldName, flowMap([["type", label], ...(field.readOnly ? [["readOnly", true] as [string, boolean]] : []), ...(field.description ? [["description", field.description] as [string, string]] : [])])]);
      }
      note(name, `${fieldName}: ${field.type.label} -> ${label}`);
    }

    for (const d of list.filter((x) => x.kind === "notInListing")) newOmissions.push(d.field);
    spec.addEntries(["fields"], newFields);
    const uniqueOmissions = [...new Set(newOmissions)].filter((f) => !entity.listingOmits.includes(f));
    spec.addItems("listingOmits", uniqueOmissions);
    for (const f of uniqueOmissions) note(name, `listingOmits += ${f}`);
  }

  // Enum numbers go to the spec that defines the enum, once each however many entities answered them.
  const missing = new Map<string, Set<number>>();
  for (const d of differences) if (d.kind === "enum" && d.enumName) for (const v of d.values ?? []) missing.set(d.enumName, (missing.get(d.enumName) ?? new Set()).add(v));
  for (const [enumName, values] of missing) {
    const model = set.model.enums.find((e) => e.name === enumName)!;
    const name = model.specFile.replace(/^specs\//, "");
    const taken = new Set(model.values.map((v) => v.name));
    const entries = [...values].sort((a, b) => a - b).map((v): [string, string] => {
      let valueName = `Observed${v < 0 ? `Minus${-v}` : v}`;
      while (taken.has(valueName)) valueName += "_";
      taken.add(valueName);
      note(name, `enum ${enumName} += ${valueName}: ${v}`);
      return [valueName, String(v)];
    });
    textOf(name).addEntries(["enums", enumName, "values"], entries, "observed in a live answer; no docs page names it");
  }

  const updates: SpecUpdate[] = [...texts]
    .map(([name, spec]) => ({ name, text: spec.result(), changes: changes.get(name) ?? [] }))
    .filter((u) => u.text !== set.specs.find((s) => s.name === u.name)?.text);
  checkUpdates(set.specs, updates);
  for (const u of updates) await writeFileAtomic(path.join(specsDir, u.name), u.text);
  return updates.sort((a, b) => a.name.localeCompare(b.name));
}

/** Validates the specs as they would be after the update; throws `SpecError` (and nothing is written) on a problem. */
function checkUpdates(specs: readonly LoadedSpec[], updates: readonly SpecUpdate[]): void {
  const diagnostics: Diagnostic[] = [];
  const next = specs.map((spec) => {
    const update = updates.find((u) => u.name === spec.name);
    return update ? parseSpec(spec.name, spec.file, update.text, diagnostics) : spec;
  });
  if (diagnostics.length === 0) validateSpecs(next, diagnostics);
  if (diagnostics.length > 0) {
    throw new SpecError(diagnostics.map((d) => ({ ...d, message: `after --update: ${d.message}` })));
  }
}
