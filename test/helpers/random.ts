import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { BUILTIN_NAMES, camelCase, defaultPlural, RESERVED_WORDS } from "../../generator/names.js";
import { reservedExports } from "../../generator/emit/registry.js";

/** mulberry32: a small seeded PRNG, so that a failing case is the same case on every run. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** Items kept with probability p each, in their order. */
  subset<T>(items: readonly T[], p: number): T[] {
    return items.filter(() => this.chance(p));
  }

  /** `length` characters: the first from `first`, the others from `rest`. */
  word(length: number, first: string, rest: string): string {
    let text = first[this.int(0, first.length - 1)]!;
    for (let i = 1; i < length; i++) text += rest[this.int(0, rest.length - 1)]!;
    return text;
  }
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";

/** Names no spec may use for a field, enum member or client property (validate-hostile.ts). */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** What a random spec set is made of: spec path under specs/ -> YAML text. */
export interface RandomSpecSet {
  specs: Map<string, string>;
  /** Entity names, for the test's messages. */
  entities: string[];
}

const OPERATIONS = ["list", "get", "getMany", "create", "update", "delete", "commands", "runCommand"] as const;
const FIELD_TYPES = ["integer", "number", "string", "boolean", "datetime", "json", "unknown"] as const;
const FILTER_TYPES = ["integer", "number", "string", "boolean", "datetime", "untyped"] as const;
const RANGE_TYPES = ["integer", "number", "datetime"] as const;

/**
 * `count` entity specs (and the enums they use) valid for the spec schema and the validator, whose
 * names (areas, entities, fields, filters, enums and their members) are random and up to `maxName`
 * characters long, so that the generated lines end on either side of the print width. Names are
 * kept unique across the set, and clear of the names the validator refuses.
 */
export function randomSpecSet(random: Random, count: number, maxName = 110): RandomSpecSet {
  const taken = new Set<string>([...reservedExports(), ...BUILTIN_NAMES, ...RESERVED_WORDS, ...PROTOTYPE_NAMES, "transport", "runtime", "testing", "Id"]);
  const fresh = (make: () => string): string => {
    for (;;) {
      const name = make();
      const lower = name.toLowerCase();
      if (taken.has(name) || taken.has(lower)) continue;
      taken.add(name);
      taken.add(lower);
      return name;
    }
  };
  const pascal = (max: number) => fresh(() => random.word(random.int(1, max), UPPER, `${UPPER}${LOWER}${DIGITS}`));
  const identifier = (max: number) => fresh(() => random.word(random.int(1, max), `${UPPER}${LOWER}_`, `${UPPER}${LOWER}${DIGITS}_`));
  const text = (words: number) => Array.from({ length: words }, () => random.word(random.int(1, 12), LOWER, LOWER)).join(" ") + ".";

  const areas = Array.from({ length: 2 }, () => fresh(() => random.word(random.int(3, 24), LOWER, `${LOWER}${DIGITS}`)));
  const enums: { name: string; spec: Record<string, unknown> }[] = [];
  const specs = new Map<string, string>();
  const entities: string[] = [];
  for (let index = 0; index < count; index++) {
    const area = areas[index % areas.length]!;
    // The entity's generated names must be free too: <Entity>Query, <Plural>Resource, camelCase plural.
    const entity = fresh(() => {
      for (;;) {
        const name = random.word(random.int(1, maxName), UPPER, `${UPPER}${LOWER}${DIGITS}`);
        const plural = defaultPlural(name);
        const derived = [`${name}ListingRecord`, `${name}Create`, `${name}Query`, `${name}OrderBy`, `${plural}Resource`, camelCase(plural), plural.toLowerCase()];
        if (derived.every((n) => !taken.has(n) && !taken.has(n.toLowerCase()))) {
          for (const n of derived) taken.add(n);
          return name;
        }
      }
    });
    entities.push(entity);

    const ownEnums = Array.from({ length: random.int(0, 2) }, () => {
      const name = pascal(maxName);
      const members = Array.from({ length: random.int(1, 8) }, () => identifier(maxName));
      const values = Object.fromEntries(members.map((m, i) => [m, i + random.int(0, 3) * 100]));
      const spec = { nexudusName: `e${name}`, description: text(random.int(1, 20)), values };
      enums.push({ name, spec });
      return { name, spec };
    });
    const typeFor = (options: readonly string[]) => (enums.length && random.chance(0.2) ? random.pick(enums).name : random.pick(options));

    const fields: Record<string, Record<string, unknown>> = {};
    for (let i = random.int(2, 12); i > 0; i--) {
      const name = identifier(maxName);
      const base = random.chance(0.08) ? "object" : typeFor(FIELD_TYPES);
      const array = base === "object" || random.chance(0.15);
      const nullable = random.chance(0.4);
      const field: Record<string, unknown> = { type: `${base}${array ? "[]" : ""}${nullable ? "?" : ""}` };
      if (base === "object") {
        field.properties = Object.fromEntries(Array.from({ length: random.int(1, 4) }, () => [identifier(maxName / 2), random.pick(FIELD_TYPES)]));
      }
      if (random.chance(0.5)) field.description = text(random.int(1, 30));
      const flag = random.int(0, 4);
      if (flag === 1) field.readOnly = true;
      else if (flag === 2) field.required = true;
      else if (flag === 3 && random.chance(0.5)) field.createOnly = true;
      else if (flag === 3) field.updateOnly = true;
      const scalar = !array && base !== "json" && base !== "unknown";
      if (scalar && random.chance(0.3)) field.filter = true;
      if (scalar && (RANGE_TYPES as readonly string[]).includes(base) && random.chance(0.3)) field.range = true;
      fields[name] = field;
    }
    // A filter or range filter named by a docs page: <Entity>_<anything>.
    const filters = Object.fromEntries(
      Array.from({ length: random.int(0, 5) }, () => [`${entity}_${identifier(maxName)}`, { type: typeFor(FILTER_TYPES), description: text(random.int(1, 15)) }]),
    );
    const rangeFilters = Object.fromEntries(
      Array.from({ length: random.int(0, 3) }, () => [`${entity}_${identifier(maxName)}`, { type: random.pick(RANGE_TYPES), description: text(random.int(1, 4)).slice(0, -1) }]),
    );
    const operations = OPERATIONS.filter(() => random.chance(0.7));
    const spec: Record<string, unknown> = {
      entity,
      area,
      description: text(random.int(3, 60)),
      docs: { status: "partial", sources: [`https://example.com/${random.word(random.int(1, maxName), LOWER, LOWER)}`], missing: text(5) },
      operations: operations.length ? operations : ["get"],
      fields,
      filters,
      rangeFilters,
      listingOmits: random.subset(Object.keys(fields), 0.4),
      ...(ownEnums.length ? { enums: Object.fromEntries(ownEnums.map((e) => [e.name, e.spec])) } : {}),
    };
    // JSON is YAML: the loader takes it as it is.
    specs.set(`${area}/${defaultPlural(entity).toLowerCase()}.yaml`, JSON.stringify(spec, null, 2));
  }
  return { specs, entities };
}

/** Writes a spec set into a project's specs folder (beside the common.yaml it has). */
export async function writeSpecSet(specsDir: string, set: RandomSpecSet): Promise<void> {
  for (const [relative, text] of set.specs) {
    await mkdir(path.dirname(path.join(specsDir, relative)), { recursive: true });
    await writeFile(path.join(specsDir, relative), text);
  }
}

/**
 * Runs `check` on `rounds` texts made by `mutatedText` (seeded: a failing case is the same on every
 * run) and counts those it returns true for.
 */
export function countMutations(seed: number, texts: readonly string[], inserts: readonly string[], rounds: number, check: (text: string) => boolean): number {
  const random = new Random(seed);
  let count = 0;
  for (let round = 0; round < rounds; round++) if (check(mutatedText(random, texts, inserts))) count++;
  return count;
}

/**
 * One of `texts` with one or two random slips, as a hand edit makes them: a character deleted, one
 * of `inserts` typed in, a line doubled, a line indented more or less. For tests that compare two
 * readers of the same YAML.
 */
function mutatedText(random: Random, texts: readonly string[], inserts: readonly string[]): string {
  let text = random.pick(texts);
  for (let edits = 1 + random.int(0, 1); edits > 0; edits--) {
    const at = random.int(0, text.length - 1);
    const lines = text.split("\n");
    const line = random.int(0, lines.length - 1);
    switch (random.int(0, 5)) {
      case 0:
        text = text.slice(0, at) + text.slice(at + 1);
        break;
      case 1:
      case 2:
        text = text.slice(0, at) + random.pick(inserts) + text.slice(at);
        break;
      case 3:
        lines.splice(line, 0, lines[line]!);
        text = lines.join("\n");
        break;
      case 4:
        lines[line] = " ".repeat(1 + random.int(0, 1)) + lines[line];
        text = lines.join("\n");
        break;
      default:
        lines[line] = lines[line]!.replace(/^ {1,2}/, "");
        text = lines.join("\n");
    }
  }
  return text;
}
