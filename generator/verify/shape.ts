import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EntityModel } from "../model.js";

/**
 * A recording keeps the shape of what Nexudus answered, never a value: per property, the JSON types seen,
 * whether null was seen, the format of strings (date-time, UUID, ...) and, on enum-typed fields only, the
 * integers seen. Strings, other numbers, object contents and array contents are never kept.
 */

/** A JSON type as recordings name it; `integer` is a number without a fraction. */
export type JsonType = "array" | "boolean" | "integer" | "number" | "object" | "string";

/** What a string looked like, recognised without keeping it: `text` is any other string. */
export type StringFormat = "date" | "date-time" | "text" | "uuid";

/** The shape of one property across the records of a section. */
export interface Observation {
  /** Non-null JSON types seen, sorted. */
  types: JsonType[];
  /** Present (true) when the property was null in at least one record. */
  null?: true;
  /** Formats of the string values, sorted. */
  formats?: StringFormat[];
  /** Integers seen on an enum-typed field (or in its arrays), sorted. */
  enumValues?: number[];
  /** The shape of array items. */
  items?: Observation;
}

/** The records of one kind (listing records or full records) of one entity. */
export interface Section {
  /** How many records were seen. */
  records: number;
  /** Property name -> shape. */
  properties: Record<string, Observation>;
}

/** Everything recorded for one entity; stored as `recordings/<area>/<entities>.json`. */
export interface Recording {
  /** The spec's entity name, `CoworkerTimePass`. */
  entity: string;
  /** The endpoint, `/api/billing/coworkertimepasses`. */
  path: string;
  /** Records of listing (Search) answers. */
  listing?: Section;
  /** Full records: Get one and Get many answers. */
  full?: Section;
}

/**
 * Names kept from answers: identifiers starting with a letter, as Nexudus names properties, so no answer
 * can smuggle a value (an e-mail address, a sentence) or a `__proto__` in through a key.
 */
const PROPERTY_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
/** Caps that keep a hostile answer from growing a recording without bound. */
const MAX_PROPERTIES = 2000;
const MAX_ENUM_VALUES = 200;

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,7})?)?(Z|[+-]\d\d:?\d\d)?$/;
const DATE = /^\d{4}-\d\d-\d\d$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The format of a string value. */
export function formatOf(value: string): StringFormat {
  if (DATE_TIME.test(value)) return "date-time";
  if (DATE.test(value)) return "date";
  if (UUID.test(value)) return "uuid";
  return "text";
}

interface Accumulator {
  types: Set<JsonType>;
  null: boolean;
  formats: Set<StringFormat>;
  enumValues: Set<number>;
  items?: Accumulator;
}

const accumulator = (): Accumulator => ({ types: new Set(), null: false, formats: new Set(), enumValues: new Set() });

function observeValue(acc: Accumulator, value: unknown, isEnum: boolean): void {
  if (value === null || value === undefined) {
    acc.null = true;
  } else if (typeof value === "string") {
    acc.types.add("string");
    acc.formats.add(formatOf(value));
  } else if (typeof value === "number") {
    const integer = Number.isInteger(value);
    acc.types.add(integer ? "integer" : "number");
    if (isEnum && integer && acc.enumValues.size < MAX_ENUM_VALUES) acc.enumValues.add(value);
  } else if (typeof value === "boolean") {
    acc.types.add("boolean");
  } else if (Array.isArray(value)) {
    acc.types.add("array");
    acc.items ??= accumulator();
    for (const item of value) observeValue(acc.items, item, isEnum);
  } else {
    acc.types.add("object");
  }
}

function finish(acc: Accumulator): Observation {
  const sorted = <T>(set: Set<T>): T[] => [...set].sort();
  return {
    types: sorted(acc.types),
    ...(acc.null ? { null: true as const } : {}),
    ...(acc.formats.size ? { formats: sorted(acc.formats) } : {}),
    ...(acc.enumValues.size ? { enumValues: [...acc.enumValues].sort((a, b) => a - b) } : {}),
    ...(acc.items ? { items: finish(acc.items) } : {}),
  };
}

/** Collects the shape of records of one kind; values are dropped as soon as they are looked at. */
export class SectionBuilder {
  #records = 0;
  #properties = new Map<string, Accumulator>();

  /** `enumFields`: the fields whose integers are kept (the spec types them with an enum). */
  constructor(private readonly enumFields: ReadonlySet<string>) {}

  /** How many records were added. */
  get records(): number {
    return this.#records;
  }

  /** Adds one record; anything that is not a JSON object is ignored. */
  add(record: unknown): void {
    if (record === null || typeof record !== "object" || Array.isArray(record)) return;
    this.#records++;
    for (const [name, value] of Object.entries(record)) {
      if (!PROPERTY_NAME.test(name)) continue;
      let acc = this.#properties.get(name);
      if (!acc) {
        if (this.#properties.size >= MAX_PROPERTIES) continue;
        acc = accumulator();
        this.#properties.set(name, acc);
      }
      observeValue(acc, value, this.enumFields.has(name));
    }
  }

  /** The section, or undefined when no record was added. */
  build(): Section | undefined {
    if (this.#records === 0) return undefined;
    const names = [...this.#properties.keys()].sort();
    return {
      records: this.#records,
      properties: Object.fromEntries(names.map((name) => [name, finish(this.#properties.get(name)!)])),
    };
  }
}

/** Builds the recording of one entity from its listing records and full records. */
export class RecordingBuilder {
  /** Records of listing answers. */
  readonly listing: SectionBuilder;
  /** Full records (Get one, Get many). */
  readonly full: SectionBuilder;

  constructor(readonly entity: EntityModel) {
    const enumFields = new Set(entity.fields.filter((f) => f.type.kind === "enum").map((f) => f.name));
    this.listing = new SectionBuilder(enumFields);
    this.full = new SectionBuilder(enumFields);
  }

  /** Whether any record was added. */
  get empty(): boolean {
    return this.listing.records === 0 && this.full.records === 0;
  }

  /** The recording. */
  build(): Recording {
    const listing = this.listing.build();
    const full = this.full.build();
    return { entity: this.entity.name, path: this.entity.path, ...(listing ? { listing } : {}), ...(full ? { full } : {}) };
  }
}

/** Merges two observations of one property (listing and full records) into one. */
export function mergeObservations(a: Observation | undefined, b: Observation | undefined): Observation | undefined {
  if (!a || !b) return a ?? b;
  const union = <T>(x: T[] = [], y: T[] = []): T[] => [...new Set([...x, ...y])].sort();
  const formats = union(a.formats, b.formats);
  const enumValues = [...new Set([...(a.enumValues ?? []), ...(b.enumValues ?? [])])].sort((x, y) => x - y);
  const items = mergeObservations(a.items, b.items);
  return {
    types: union(a.types, b.types),
    ...(a.null || b.null ? { null: true as const } : {}),
    ...(formats.length ? { formats } : {}),
    ...(enumValues.length ? { enumValues } : {}),
    ...(items ? { items } : {}),
  };
}

/** Where an entity's recording is stored, relative to the recordings folder: `billing/coworkertimepasses.json`. */
export function recordingName(entity: EntityModel): string {
  return `${entity.area}/${entity.fileBase}.json`;
}

/** A multi-line JSON array of strings and numbers only, as `JSON.stringify` indents it. */
const SCALAR_ARRAY = /\[\n\s*((?:"[^"\\\n]*"|-?\d+(?:\.\d+)?)(?:,\n\s*(?:"[^"\\\n]*"|-?\d+(?:\.\d+)?))*)\n\s*\]/g;

/** JSON with object keys sorted at every level, two-space indented, short scalar lists on one line, ending with a newline. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  const text = JSON.stringify(sort(value), null, 2).replace(SCALAR_ARRAY, (_, items: string) => `[${items.split(/,\n\s*/).join(", ")}]`);
  return `${text}\n`;
}

/** Writes a file atomically (temporary file, then rename), creating its folder. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Stores one entity's recording. */
export async function writeRecording(recordingsDir: string, entity: EntityModel, recording: Recording): Promise<void> {
  await writeFileAtomic(path.join(recordingsDir, recordingName(entity)), stableJson(recording));
}

/** Every recording under the folder, by name (`billing/coworkertimepasses.json`); a missing folder has none. */
export async function readRecordings(recordingsDir: string): Promise<Map<string, Recording>> {
  const found = new Map<string, Recording>();
  let entries;
  try {
    entries = await readdir(recordingsDir, { recursive: true, withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith(".json") || e.name.startsWith(".")) continue;
    const file = path.join(e.parentPath, e.name);
    const name = path.relative(recordingsDir, file).split(path.sep).join("/");
    let recording: unknown;
    try {
      recording = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      throw new Error(`${file}: not a recording (${(error as Error).message}); delete it and record again`);
    }
    if (!isRecording(recording)) throw new Error(`${file}: not a recording (it needs entity, path, and listing/full sections of property shapes); delete it and record again`);
    found.set(name, recording);
  }
  return found;
}

const JSON_TYPES: readonly string[] = ["array", "boolean", "integer", "number", "object", "string"];
const FORMATS: readonly string[] = ["date", "date-time", "text", "uuid"];

function isObservation(value: unknown): value is Observation {
  if (!value || typeof value !== "object") return false;
  const o = value as Record<string, unknown>;
  const list = (v: unknown, ok: (x: unknown) => boolean) => v === undefined || (Array.isArray(v) && v.every(ok));
  return (
    Array.isArray(o.types) &&
    list(o.types, (t) => JSON_TYPES.includes(t as string)) &&
    (o.null === undefined || o.null === true) &&
    list(o.formats, (f) => FORMATS.includes(f as string)) &&
    list(o.enumValues, (n) => Number.isInteger(n)) &&
    (o.items === undefined || isObservation(o.items))
  );
}

function isSection(value: unknown): value is Section {
  if (!value || typeof value !== "object") return false;
  const s = value as Record<string, unknown>;
  return (
    typeof s.records === "number" &&
    !!s.properties &&
    typeof s.properties === "object" &&
    Object.entries(s.properties).every(([name, o]) => PROPERTY_NAME.test(name) && isObservation(o))
  );
}

/** Whether a parsed file is a recording this version can read (a hand-edited or foreign file is refused by name). */
function isRecording(value: unknown): value is Recording {
  if (!value || typeof value !== "object") return false;
  const r = value as Record<string, unknown>;
  return typeof r.entity === "string" && typeof r.path === "string" && (r.listing === undefined || isSection(r.listing)) && (r.full === undefined || isSection(r.full));
}
