import { SpecError, type Diagnostic } from "../diagnostics.js";
import { COMMON_SPEC, entry, loadSpecs, type LoadedSpec, type SpecMap } from "../load.js";
import { buildModel, type ApiModel, type EntityModel, type EnumModel, type FieldModel, type TypeModel } from "../model.js";
import { validateSpecs } from "../validate.js";
import { mergeObservations, recordingName, type JsonType, type Observation, type Recording, type Section } from "./shape.js";

/** The specs as the generator reads them: loaded with positions, validated, and built into the one model. */
export interface SpecSet {
  specs: LoadedSpec[];
  model: ApiModel;
}

/** Loads, validates and models the specs; broken specs throw `SpecError` with every diagnostic. */
export async function loadSpecSet(specsDir: string): Promise<SpecSet> {
  const diagnostics: Diagnostic[] = [];
  const specs = await loadSpecs(specsDir, diagnostics);
  if (diagnostics.length === 0) validateSpecs(specs, diagnostics);
  if (diagnostics.length > 0) throw new SpecError(diagnostics);
  return { specs, model: buildModel(specs) };
}

/** Which entities a run is about: `--area` and `--entity` limits (none given: all). */
export interface Selection {
  areas?: readonly string[];
  entities?: readonly string[];
}

/** The entities a selection names; an unknown area or entity name is an error that lists the known ones. */
export function selectEntities(model: ApiModel, selection: Selection): EntityModel[] {
  const areas = selection.areas ?? [];
  const names = selection.entities ?? [];
  for (const area of areas) {
    if (!model.areas.some((a) => a.name === area)) throw new Error(`no area "${area}"; the specs have ${model.areas.map((a) => a.name).join(", ")}`);
  }
  const byName = (e: EntityModel, name: string) => [e.name, e.plural, e.fileBase].some((n) => n.toLowerCase() === name.toLowerCase());
  for (const name of names) {
    if (!model.entities.some((e) => byName(e, name))) throw new Error(`no entity "${name}" in the specs (give its name, e.g. ${model.entities[0]?.name ?? "Booking"})`);
  }
  return model.entities.filter(
    (e) => (areas.length === 0 || areas.includes(e.area)) && (names.length === 0 || names.some((n) => byName(e, n))),
  );
}

/**
 * The kinds of disagreement, one word each:
 * `extra` a property answered but not in the spec; `unseen` a spec field never answered; `type` a type
 * mismatch; `null` null answered where the spec says not null; `notInListing` in full records but absent from
 * listings (a listingOmits candidate); `inListingAfterAll` named by listingOmits but answered by listings; `listingOnly`
 * in listings but absent from full records; `enum` an enum number the spec does not define.
 */
export type DifferenceKind = "extra" | "unseen" | "type" | "null" | "notInListing" | "inListingAfterAll" | "listingOnly" | "enum";

/** One disagreement between a spec and a recording, at the place in the spec it concerns. */
export interface Difference {
  kind: DifferenceKind;
  entity: EntityModel;
  /** The property or field concerned. */
  field: string;
  /** What was answered, where the difference comes from an answer. */
  observed?: Observation;
  /** For `enum`: the enum and the numbers it lacks. */
  enumName?: string;
  values?: number[];
  /** Spec position and message, as diagnostics print them. */
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

/** The outcome of a comparison. */
export interface VerifyReport {
  /** Every difference, sorted by entity, then position. */
  differences: Difference[];
  /** Recorded entities with no difference. */
  agreeing: EntityModel[];
  /** Selected entities with no recording. */
  unrecorded: EntityModel[];
  /** Recording names no spec produces (a removed or renamed spec). */
  orphans: string[];
  /** Per recorded entity: how many listing and full records its recording saw. */
  seen: Map<EntityModel, { listing: number; full: number }>;
}

/** A place in a spec file. */
type Place = { file: string; line: number; column: number };

/** Positions of an entity's own spec and of the common base fields. */
class Positions {
  constructor(
    private readonly spec: LoadedSpec | undefined,
    private readonly common: LoadedSpec | undefined,
  ) {}

  private root(spec: LoadedSpec | undefined): SpecMap | undefined {
    return spec?.root?.kind === "map" ? spec.root : undefined;
  }

  /** The spec root (the file's first position when it has none). */
  entityAt(): Place {
    const root = this.root(this.spec);
    const entityEntry = root && entry(root, "entity");
    return entityEntry?.keyNode ?? root ?? { file: this.spec?.file ?? "", line: 1, column: 1 };
  }

  /** A top-level key of the entity's spec, or the entity key when it has none. */
  keyAt(key: string): Place {
    const root = this.root(this.spec);
    return (root && entry(root, key)?.keyNode) ?? this.entityAt();
  }

  /** The field's own entry, or its base field entry in common.yaml. */
  private fieldEntry(field: FieldModel) {
    const own = this.root(this.spec);
    const fields = own && entry(own, "fields")?.value;
    const found = fields?.kind === "map" ? entry(fields, field.name) : undefined;
    if (found || !field.base) return found;
    const common = this.root(this.common);
    const base = common && entry(common, "baseFields")?.value;
    return base?.kind === "map" ? entry(base, field.name) : undefined;
  }

  /** Where a field is named. */
  fieldAt(field: FieldModel): Place {
    return this.fieldEntry(field)?.keyNode ?? this.keyAt("fields");
  }

  /** Where a field's type is written (`integer` in `Id: integer` or in `type: integer`). */
  typeAt(field: FieldModel): Place {
    const found = this.fieldEntry(field);
    if (!found) return this.keyAt("fields");
    if (found.value.kind === "map") return entry(found.value, "type")?.value ?? found.value;
    return found.value;
  }

  /** Where listingOmits names a field. */
  omissionAt(name: string): Place {
    const root = this.root(this.spec);
    const omits = root && entry(root, "listingOmits")?.value;
    const item = omits?.kind === "seq" ? omits.items.find((i) => i.kind === "scalar" && i.value === name) : undefined;
    return item ?? this.keyAt("listingOmits");
  }
}

/** Where an enum's values are written. */
function enumValuesAt(specs: readonly LoadedSpec[], enumName: string): Place | undefined {
  for (const spec of specs) {
    if (spec.root?.kind !== "map") continue;
    const enums = entry(spec.root, "enums")?.value;
    const found = enums?.kind === "map" ? entry(enums, enumName) : undefined;
    if (!found) continue;
    return (found.value.kind === "map" ? entry(found.value, "values")?.keyNode : undefined) ?? found.keyNode;
  }
  return undefined;
}

/** Describes an observation: `integer, null seen`, `string (date-time)`, `array of integer`, `only null`. */
export function describeObservation(observed: Observation, withNull = true): string {
  const parts = observed.types.map((t) => {
    if (t === "string" && observed.formats) return `string (${observed.formats.join(", ")})`;
    if (t === "array" && observed.items?.types.length) return `array of ${describeObservation(observed.items, false)}`;
    return t;
  });
  if (parts.length === 0) return "only null";
  return parts.join(" or ") + (withNull && observed.null ? ", null seen" : "");
}

/** The JSON types a spec type accepts (null aside), and which string formats when it is a datetime. */
function accepted(type: TypeModel): { types: JsonType[] | "any"; formats?: string[] } {
  switch (type.kind) {
    case "integer":
    case "enum":
      return { types: ["integer"] };
    case "number":
      return { types: ["integer", "number"] };
    case "string":
      return { types: ["string"] };
    case "boolean":
      return { types: ["boolean"] };
    case "datetime":
      return { types: ["string"], formats: ["date-time", "date"] };
    case "object":
      return { types: ["object"] };
    case "json":
    case "unknown":
    case "untyped":
      return { types: "any" };
  }
}

/** What of an observation a spec type does not accept, described; empty when it accepts all of it. */
function mismatches(type: TypeModel, observed: Observation): string[] {
  if (type.array) {
    const out = observed.types.filter((t) => t !== "array");
    const items = observed.items && mismatches({ ...type, array: false }, observed.items);
    return [...out, ...(items?.length ? items.map((i) => `array of ${i}`) : [])];
  }
  const { types, formats } = accepted(type);
  if (types === "any") return [];
  const out: string[] = observed.types.filter((t) => !types.includes(t));
  const badFormats = formats && observed.types.includes("string") ? (observed.formats ?? []).filter((f) => !formats.includes(f)) : [];
  if (badFormats.length) out.push(`string (${badFormats.join(", ")})`);
  return out;
}

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : word.endsWith("y") ? `${word.slice(0, -1)}ies` : `${word}s`}`;

/** Compares recordings with the specs: every difference, per selected entity, at its spec position. */
export function compare(set: SpecSet, recordings: ReadonlyMap<string, Recording>, entities: readonly EntityModel[]): VerifyReport {
  const common = set.specs.find((s) => s.name === COMMON_SPEC);
  const report: VerifyReport = { differences: [], agreeing: [], unrecorded: [], orphans: [], seen: new Map() };
  const known = new Set(set.model.entities.map(recordingName));
  const enums = new Map(set.model.enums.map((e) => [e.name, e]));
  report.orphans = [...recordings.keys()].filter((name) => !known.has(name)).sort();

  for (const entity of entities) {
    const recording = recordings.get(recordingName(entity));
    const listing = recording?.listing?.records ? recording.listing : undefined;
    const full = recording?.full?.records ? recording.full : undefined;
    if (!listing && !full) {
      report.unrecorded.push(entity);
      continue;
    }
    report.seen.set(entity, { listing: listing?.records ?? 0, full: full?.records ?? 0 });
    const spec = set.specs.find((s) => `specs/${s.name}` === entity.specFile);
    const differences = compareEntity(entity, listing, full, new Positions(spec, common), set.specs, enums);
    if (differences.length === 0) report.agreeing.push(entity);
    report.differences.push(...differences);
  }
  return report;
}

function compareEntity(
  entity: EntityModel,
  listing: Section | undefined,
  full: Section | undefined,
  at: Positions,
  specs: readonly LoadedSpec[],
  enums: ReadonlyMap<string, EnumModel>,
): Difference[] {
  const out: Difference[] = [];
  const push = (
    kind: DifferenceKind,
    field: string,
    place: Place,
    message: string,
    extra: Partial<Difference> = {},
  ) => out.push({ kind, entity, field, file: place.file, line: place.line, column: place.column, message, ...extra });
  const omission = (name: string) =>
    push("notInListing", name, at.keyAt("listingOmits"), `${name} is in full records but absent from listings: a listingOmits candidate`, {
      hint: "add it to listingOmits (so update() refuses listing records that lack it)",
    });
  const fields = new Map(entity.fields.map((f) => [f.name, f]));
  const inListing = (name: string) => listing !== undefined && Object.hasOwn(listing.properties, name);
  const inFull = (name: string) => full !== undefined && Object.hasOwn(full.properties, name);
  const names = [...new Set([...Object.keys(listing?.properties ?? {}), ...Object.keys(full?.properties ?? {})])].sort();

  for (const name of names) {
    const observed = mergeObservations(listing?.properties[name], full?.properties[name])!;
    const field = fields.get(name);
    const answeredIn = { listing: inListing(name), full: inFull(name) };
    if (!field) {
      const where = answeredIn.listing && answeredIn.full ? "listings and full records" : answeredIn.full ? "full records" : "listings";
      push("extra", name, at.keyAt("fields"), `${name} is answered (${describeObservation(observed)}, in ${where}) but is not in the spec`, {
        observed,
        hint: "add it to fields (npm run verify -- --update does, marked provenance: observed)",
      });
      if (full && listing && answeredIn.full && !answeredIn.listing) omission(name);
      continue;
    }
    const wrong = mismatches(field.type, observed);
    if (wrong.length) {
      push("type", name, at.typeAt(field), `${name} is ${field.type.label} in the spec, but the API answered ${wrong.join(" or ")}`, {
        observed,
        hint: "correct the type (npm run verify -- --update writes the observed one)",
      });
    }
    if (observed.null && !field.type.nullable) {
      push("null", name, at.typeAt(field), `${name} is ${field.type.label} in the spec (not null), but the API answered null`, {
        observed,
        hint: `make it nullable: ${field.type.label}?`,
      });
    }
    const enumName = field.type.enumName;
    if (enumName) {
      const seen = observed.enumValues ?? observed.items?.enumValues ?? [];
      const definedValues = new Set(enums.get(enumName)?.values.map((v) => v.value) ?? []);
      const unknown = seen.filter((v) => !definedValues.has(v));
      if (unknown.length) {
        const place = enumValuesAt(specs, enumName) ?? at.typeAt(field);
        push("enum", name, place, `${name} answered ${unknown.join(", ")}, which enum ${enumName} does not define`, {
          observed,
          enumName,
          values: unknown,
          hint: `add the value${unknown.length === 1 ? "" : "s"} to ${enumName} with the name the docs give`,
        });
      }
    }
    if (full && listing && answeredIn.full && !answeredIn.listing && field.inListing) omission(name);
    if (answeredIn.listing && !field.inListing) {
      push("inListingAfterAll", name, at.omissionAt(name), `${name} is left out of listings by the spec (listingOmits${field.collection ? " or collection" : ""}), but listings answer it`, {
        hint: "remove it from listingOmits if the docs agree",
      });
    }
    if (full && answeredIn.listing && !answeredIn.full) {
      push("listingOnly", name, at.fieldAt(field), `${name} is in listings but absent from full records`, {
        hint: "check the Get one docs; a full record usually holds every listing field",
      });
    }
  }

  for (const field of entity.fields) {
    if (inListing(field.name) || inFull(field.name)) continue;
    // Looked for where it should be: in full records, or in listings when the listing keeps it.
    if (full || (listing && field.inListing)) {
      const where = full && listing ? "listings or full records" : full ? "full records" : "listings";
      push("unseen", field.name, at.fieldAt(field), `${field.name} (${field.type.label}) was never answered in ${where}`, {
        hint: "check the field name against the docs; verify never deletes it",
      });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.field.localeCompare(b.field));
}

/** The report as printed: per entity, `file:line:column kind: message` lines, then a summary. */
export function formatReport(report: VerifyReport): string {
  const lines: string[] = [];
  const byEntity = new Map<EntityModel, Difference[]>();
  for (const d of report.differences) byEntity.set(d.entity, [...(byEntity.get(d.entity) ?? []), d]);
  for (const [entity, differences] of byEntity) {
    const seen = report.seen.get(entity)!;
    lines.push(`${entity.name} (${entity.specFile}; recorded ${plural(seen.listing, "listing record")}, ${plural(seen.full, "full record")}): ${plural(differences.length, "difference")}`);
    for (const d of differences) {
      lines.push(`  ${d.file}:${d.line}:${d.column} ${d.kind}: ${d.message}`);
      if (d.hint) lines.push(`    fix: ${d.hint}`);
    }
  }
  for (const orphan of report.orphans) lines.push(`note: recording ${orphan} matches no spec (removed or renamed?)`);
  const recorded = report.seen.size;
  lines.push(
    report.differences.length
      ? `${plural(byEntity.size, "entity")} of ${recorded} recorded ${byEntity.size === 1 ? "disagrees" : "disagree"} with the specs (${plural(report.differences.length, "difference")}); ${report.agreeing.length} agree; ${report.unrecorded.length} not recorded.`
      : `the specs agree with the recordings: ${plural(recorded, "entity")} recorded, ${report.unrecorded.length} not recorded.`,
  );
  return lines.join("\n");
}
