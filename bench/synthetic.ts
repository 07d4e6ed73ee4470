/**
 * A deterministic synthetic spec set shaped like Nexudus: 215 entities across the real areas, each
 * with about 40 fields, 25 filters, 15 range filters, 1 to 3 enums and 3 to 5 fields left out of
 * listings. Same seed, same bytes: the benchmark and the tests can rely on it.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { defaultPlural } from "../generator/names.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Entities per area, adding up to Nexudus's ~215. */
export const AREA_SIZES: Readonly<Record<string, number>> = {
  billing: 45,
  spaces: 40,
  crm: 30,
  content: 25,
  community: 20,
  sys: 20,
  collaboration: 15,
  apps: 10,
  security: 10,
};

/** The fixed seed of the benchmark's spec set ("nexu"). */
export const DEFAULT_SEED = 0x6e657875;

/** mulberry32: a tiny PRNG with a fixed seed, so every run builds the same specs. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    shuffle: (items) => {
      // Fisher-Yates: unlike sort() with a random comparator, the same on every engine.
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
  };
}

/** The seeded random source the builder draws from. */
export interface Random {
  /** In [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
}

const AREA_NOUNS: Record<string, string[]> = {
  billing: ["Invoice", "Charge", "Payment", "Tariff", "Product", "Credit", "Discount", "Refund", "Subscription", "TaxRate", "TimePass", "Voucher", "Ledger", "Deposit", "Fee"],
  spaces: ["Resource", "Booking", "Desk", "Room", "Floor", "Area", "Location", "Visitor", "CheckIn", "Locker", "ParkingSpot", "Amenity", "Schedule", "Closure"],
  crm: ["Coworker", "Team", "Contact", "Lead", "Opportunity", "Proposal", "Contract", "Note", "Task", "Stage", "Source", "Segment"],
  content: ["Article", "WebPage", "Event", "Gallery", "Image", "Banner", "Faq", "Newsletter", "Template", "Snippet", "Category", "Tag"],
  community: ["Thread", "Post", "Group", "Member", "Reaction", "Poll", "Challenge", "Badge", "Perk", "Skill"],
  collaboration: ["Project", "Milestone", "Board", "Card", "Comment", "Attachment", "Channel", "Message", "Mention"],
  sys: ["Setting", "Webhook", "Log", "Job", "Integration", "Language", "Currency", "Country", "TimeZone", "Printer"],
  apps: ["App", "Widget", "Plugin", "Connector", "Token", "Scope", "Install", "Callback"],
  security: ["User", "Role", "Permission", "Session", "Key", "Policy", "Audit", "Device"],
};

const QUALIFIERS = ["Coworker", "Business", "Product", "Resource", "Team", "Member", "Event", "Public", "Recurring", "External", "Custom", "Default", "Online", "Local", "Shared"];
const FIELD_WORDS = ["Name", "Code", "Title", "Notes", "Email", "Phone", "Address", "City", "Amount", "Price", "Quantity", "Total", "Balance", "Start", "End", "Due", "Paid", "Active", "Visible", "Archived", "Capacity", "Position", "Color", "Url", "Reference", "Priority", "Level", "Weight", "Duration", "Limit", "Count", "Rate", "Discount", "Tax", "Label", "Summary", "Status", "Source", "Comment", "Score"];
const FIELD_QUALIFIERS = ["Billing", "Shipping", "Primary", "Secondary", "Display", "Internal", "Public", "Last", "First", "Next", "Max", "Min", "Default", "Custom", "Original"];
const ENUM_WORDS = ["Status", "Kind", "Mode", "Visibility", "Frequency", "Channel", "Stage", "Scope"];
const ENUM_MEMBERS = ["None", "Pending", "Active", "Suspended", "Cancelled", "Completed", "Draft", "Published", "Daily", "Weekly", "Monthly", "Yearly", "Email", "Sms", "Push", "Manual", "Automatic", "Public", "Private", "Internal"];
const JOINED = ["Name", "Code", "Email", "FullName", "Title", "Currency_Code", "Business_Name"];

type FieldType = "integer" | "number" | "string" | "boolean" | "datetime";

interface SyntheticField {
  name: string;
  type: string;
  base: FieldType | "enum" | "array";
  nullable: boolean;
  readOnly: boolean;
  required: boolean;
  description?: string;
}

/** Words of a PascalCase name, for descriptions: `ExpireDate` -> `expire date`. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();

function entityNames(random: Random): { area: string; name: string }[] {
  const used = new Set<string>();
  const out: { area: string; name: string }[] = [];
  for (const [area, size] of Object.entries(AREA_SIZES)) {
    const nouns = AREA_NOUNS[area]!;
    let made = 0;
    // Bare nouns first, then qualified ones: `Invoice`, `CoworkerInvoice`, ...
    for (const noun of nouns) {
      if (made === size) break;
      if (used.has(noun)) continue;
      used.add(noun);
      out.push({ area, name: noun });
      made++;
    }
    while (made < size) {
      const name = `${random.pick(QUALIFIERS)}${random.pick(nouns)}${random.chance(0.3) ? random.pick(["Line", "Item", "Log", "Rule", "Link"]) : ""}`;
      if (used.has(name)) continue;
      used.add(name);
      out.push({ area, name });
      made++;
    }
  }
  return out;
}

function makeFields(random: Random, entity: string, enumNames: readonly string[]): SyntheticField[] {
  const count = random.int(36, 44);
  const used = new Set<string>(["Id", "UniqueId", "CreatedOn", "UpdatedOn", "UpdatedBy", "IsNew", "SystemId", "ToStringText", "LocalizationDetails", "CustomFields"]);
  // Each enum is used by one field; the rest follow Nexudus's mix of types.
  const plan: (FieldType | "array")[] = [];
  while (plan.length < count - enumNames.length) {
    const roll = random.next();
    plan.push(roll < 0.22 ? "integer" : roll < 0.4 ? "number" : roll < 0.62 ? "string" : roll < 0.76 ? "boolean" : roll < 0.96 ? "datetime" : "array");
  }
  const fields: SyntheticField[] = [];
  for (const kind of plan) {
    let name: string;
    do {
      const word = random.pick(FIELD_WORDS);
      const suffix = kind === "datetime" ? random.pick(["Date", "On", "At"]) : kind === "integer" && random.chance(0.4) ? "Id" : "";
      name = kind === "boolean" ? `${random.pick(["Is", "Has", "Allow", "Show"])}${random.pick(FIELD_QUALIFIERS)}${word}` : `${random.pick(FIELD_QUALIFIERS)}${word}${suffix}`;
    } while (used.has(name));
    used.add(name);
    const nullable = kind !== "boolean" && random.chance(0.35);
    fields.push({
      name,
      type: `${kind === "array" ? "integer[]" : kind}${nullable ? "?" : ""}`,
      base: kind,
      nullable,
      readOnly: random.chance(0.15),
      required: false,
      ...(random.chance(0.6) ? { description: `The ${words(name)} of the record${random.chance(0.3) ? ", as shown in the admin panel" : ""}.` } : {}),
    });
  }
  // Enum fields are named after their enum (`InvoiceStatus` -> `Status`) and sit among the others.
  for (const enumName of enumNames) {
    const name = enumName.startsWith(entity) ? enumName.slice(entity.length) : "ExpirationType";
    const nullable = random.chance(0.3);
    fields.splice(random.int(0, fields.length), 0, {
      name,
      type: `${enumName}${nullable ? "?" : ""}`,
      base: "enum",
      nullable,
      readOnly: false,
      required: false,
      description: `The ${words(name)} of the record: one of the ${enumName} values.`,
    });
  }
  // Two to four required fields among the writable ones, as POST pages show.
  const writable = fields.filter((f) => !f.readOnly && f.base !== "array");
  for (const f of writable.slice(0, random.int(2, 4))) f.required = true;
  return fields;
}

/** One entity's spec as a plain object, ready for YAML. */
function makeSpec(random: Random, area: string, name: string): Record<string, unknown> {
  const enumCount = random.int(1, 3);
  const enums: Record<string, unknown> = {};
  const enumNames: string[] = [];
  for (let i = 0; i < enumCount; i++) {
    let enumName: string;
    do enumName = `${name}${random.pick(ENUM_WORDS)}`;
    while (enumNames.includes(enumName));
    enumNames.push(enumName);
    const members = random.shuffle(ENUM_MEMBERS).slice(0, random.int(3, 8));
    enums[enumName] = {
      nexudusName: `e${enumName}`,
      description: `How ${words(name)} records are classified (${words(enumName.slice(name.length))}).`,
      values: Object.fromEntries(members.map((m, index) => [m, index + 1])),
    };
  }
  // A few entities also use the shared enum of specs/common.yaml, as ProductTimePass does.
  const usesShared = random.chance(0.2);
  const fields = makeFields(random, name, usesShared ? [...enumNames, "RecurrentChargePattern"] : enumNames);

  const scalar = fields.filter((f) => f.base !== "array");
  const filterTarget = random.int(22, 28);
  const filters: Record<string, unknown> = {};
  for (const f of scalar) {
    if (Object.keys(filters).length >= filterTarget - 3) break;
    const filterName = `${name}_${f.name.endsWith("Id") && f.base === "integer" ? f.name.slice(0, -2) : f.name}`;
    if (filterName in filters) continue;
    const base = f.base === "enum" ? f.type.replace(/\?$/, "") : f.base;
    filters[filterName] = { type: base, description: `Filter by ${words(f.name)}.` };
  }
  // Joined filters: properties of related records, which are no fields of this one.
  while (Object.keys(filters).length < filterTarget) {
    const joined = `${name}_${random.pick(QUALIFIERS)}_${random.pick(JOINED)}`;
    if (joined in filters) continue;
    filters[joined] = { type: "string", description: `Filter by ${words(joined.slice(name.length + 1).replace(/_/g, " "))}.` };
  }

  const rangeTarget = random.int(13, 17);
  const rangeFilters: Record<string, unknown> = {};
  for (const f of scalar.filter((x) => ["integer", "number", "datetime"].includes(x.base)).slice(0, rangeTarget)) {
    rangeFilters[`${name}_${f.name}`] = { type: f.base, description: words(f.name) };
  }

  const ownNames = fields.map((f) => f.name);
  const omitCount = random.int(3, 5);
  const listingOmits = random.shuffle(ownNames).slice(0, omitCount);
  const roll = random.next();
  const operations =
    roll < 0.1
      ? ["list", "get"]
      : roll < 0.4
        ? ["list", "get", "getMany", "create", "update", "delete", "commands", "runCommand"]
        : ["list", "get", "getMany", "create", "update", "delete"];
  const slug = slugOf(name);

  return {
    entity: name,
    area,
    description: `One ${words(name)} of the ${area} area.\nSynthetic spec for the benchmark: shaped like a Nexudus page, with the usual fields, filters and range filters.\n`,
    docs: { status: "complete", sources: [`https://developers.nexudus.com/rest-api/${area}/get-${slug}`] },
    operations,
    fields: Object.fromEntries(
      fields.map((f) => [
        f.name,
        f.readOnly || f.required || f.description ? { type: f.type, ...(f.readOnly ? { readOnly: true } : {}), ...(f.required ? { required: true } : {}), ...(f.description ? { description: f.description } : {}) } : f.type,
      ]),
    ),
    filters,
    rangeFilters,
    listingOmits,
    enums,
  };
}

/** The file and URL slug of an entity: its plural, lower-cased, as the generator derives it. */
const slugOf = (name: string) => defaultPlural(name).toLowerCase();

/** How much of the spec set to build, and from which seed. */
export interface SyntheticOptions {
  /** How many entities, taken in area order (default all 215). */
  entities?: number;
  seed?: number;
}

/** One spec file of the set. */
export interface SyntheticSpecFile {
  /** Relative to the specs folder, `billing/invoices.yaml`. */
  path: string;
  text: string;
}

/** Builds every spec file's text in memory. specs/common.yaml is the project's own. */
export async function buildSyntheticSpecs(options: SyntheticOptions = {}): Promise<SyntheticSpecFile[]> {
  const random = createRandom(options.seed ?? DEFAULT_SEED);
  const header = "# yaml-language-server: $schema=../../generator/schema/spec.schema.json\n# Synthetic benchmark spec (bench/synthetic.ts). Not a real Nexudus entity.\n";
  const files: SyntheticSpecFile[] = [{ path: "common.yaml", text: await readFile(path.join(ROOT, "specs/common.yaml"), "utf8") }];
  const names = entityNames(random).slice(0, options.entities ?? Infinity);
  for (const { area, name } of names) {
    const spec = makeSpec(random, area, name);
    files.push({ path: `${area}/${slugOf(name)}.yaml`, text: header + stringify(spec, { lineWidth: 0 }) });
  }
  return files;
}

/** Writes the synthetic specs into `dir` (emptied first). Returns the files written. */
export async function writeSyntheticSpecs(dir: string, options: SyntheticOptions = {}): Promise<SyntheticSpecFile[]> {
  const files = await buildSyntheticSpecs(options);
  await rm(dir, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(dir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.text);
  }
  return files;
}
