import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { formatDiagnostics, type Diagnostic } from "./diagnostics.js";
import { PLACEHOLDER_DESCRIPTION } from "./import/to-spec.js";
import { COMMON_SPEC, displayPath, loadSpecs, parseSpec } from "./load.js";
import { defaultPlural } from "./names.js";
import { validateSpecs } from "./validate.js";

const HELP = `nexudus-codegen new: write a minimal spec to fill in.

Usage: npm run new -- <area>/<entities> [--entity <Name>] [--specs <dir>]

Writes specs/<area>/<entities>.yaml: a valid spec with the list operation and, as comments,
an example of every section. Give the plural in PascalCase (billing/CoworkerTimePasses) or
pass --entity so the names get Nexudus's casing; the file name is always lower-case.
An existing file is never overwritten.

Options:
  --entity <Name>   Singular entity name in PascalCase, e.g. CoworkerTimePass.
  --specs <dir>     Specs folder (default: specs).
  -h, --help        Show this help.
`;

/** A scaffold that cannot be written; nothing was. */
export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScaffoldError";
  }
}

/** Where to write which new spec. */
export interface ScaffoldOptions {
  specsDir: string;
  /** `billing/coworkertimepasses` or `billing/CoworkerTimePasses`. */
  target: string;
  /** Singular PascalCase name; derived from the target when absent. */
  entity?: string;
}

/** The spec `scaffoldSpec` wrote. */
export interface ScaffoldResult {
  /** Path as shown to the user. */
  file: string;
  text: string;
  entity: string;
  /** Remarks for the user, such as a derived entity name to check. */
  notes: string[];
}

/** `CoworkerTimePasses` -> `CoworkerTimePass`, the inverse of defaultPlural. */
function singular(plural: string): string {
  if (/[^aeiou]ies$/.test(plural)) return `${plural.slice(0, -3)}y`;
  if (/(s|x|z|ch|sh)es$/.test(plural)) return plural.slice(0, -2);
  return plural.replace(/s$/, "");
}

/** The spec text: valid as it stands, with every optional section shown as a comment. */
function specText(entity: string, area: string, segment: string, plural: string | undefined): string {
  const pluralLine = plural
    ? `plural: ${plural}`
    : `# plural: ${defaultPlural(entity)}   # only when the path's last segment is not the English plural of entity`;
  return `# yaml-language-server: $schema=../../generator/schema/spec.schema.json
# The Nexudus endpoint /api/${area}/${segment}. Fill it in from its docs pages, or let
# \`npm run import -- <page.txt>\` fill it from a copied page, then run \`npm run generate\`.
# docs/spec-format.md describes every key; the commented-out sections show their shape.
entity: ${entity}
${pluralLine}
area: ${area}
# path: /api/${area}/${segment}   # only when Nexudus deviates from /api/<area>/<lower-case plural>
description: |
  ${PLACEHOLDER_DESCRIPTION}
docs:
  status: partial   # complete once every field, filter and range filter of the docs is here
  sources:
    - https://developers.nexudus.com/rest-api/${area}/get-${segment}
  missing: Everything; the spec was scaffolded and is not filled in yet.
operations: [list]   # list, get, getMany, create, update, delete, commands, runCommand
# roles:   # only where a page names another role than ${entity}-List, -Read, -Create, -Edit, -Delete
#   list: ${entity}-List
# baseFields: false    # the record lacks Id, UniqueId, CreatedOn, ... (specs/common.yaml)
# baseFilters: false   # the listing lacks the CreatedOn filter and the CreatedOn/UpdatedOn ranges

# Record fields as Get one returns them, in the docs' order: a type, or a map with flags.
# Types: integer, number, string, boolean, datetime, json, unknown (no source types it), object
# (with properties) or an enum name; [] an array, ? may be null. filter: true and range: true give
# the conventional ${entity}_<Field> filter and from_/to_ range filters (provenance: derived).
# fields:
#   Name: { type: string, filter: true }
#   Price: { type: number?, filter: true, range: true }
#   BusinessId: { type: integer, required: true, filter: true, description: Id of the location. }
#   BusinessName: { type: string?, readOnly: true }
#   RepeatEvery: { type: integer?, createOnly: true }   # or updateOnly: true
#   Tariffs: { type: "integer[]?", collection: true }    # an id list; AddedTariffs/RemovedTariffs change it
#   Lines: { type: "object[]?", properties: { ProductId: integer, Quantity: unknown } }
#   Office365Id: { type: string?, provenance: derived }  # capitals not seen on a docs page

# Listing filters a docs page names, under their exact query names (joined ones chain with _).
# filters:
#   ${entity}_Name: { type: string, description: Filter by Name. }
#   ${entity}_Business_Name: { type: string, description: Filter by the location's name. }

# Range filters without their from_/to_ prefix: integer, number or datetime.
# rangeFilters:
#   ${entity}_Price: { type: number, description: price }

# Fields the listing leaves out of Records[] (the docs' "Partial records" note).
# listingOmits: [Price]

# Integer enums by TypeScript name; one namespace across all specs (shared ones go in common.yaml).
# enums:
#   ${entity}Status:
#     nexudusName: e${entity}Status
#     values: { None: 0, Active: 1 }
`;
}

/**
 * Writes a new minimal spec after checking it with the validator against the other specs (a
 * clash of entity or path is reported, not written). Refuses to overwrite an existing file.
 */
export async function scaffoldSpec(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const match = /^([a-z][a-z0-9]*)\/([A-Za-z][A-Za-z0-9]*)(?:\.ya?ml)?$/.exec(options.target);
  if (!match) throw new ScaffoldError(`"${options.target}" is not <area>/<entities>, e.g. billing/coworkertimepasses`);
  const area = match[1]!;
  const given = match[2]!;
  const segment = given.toLowerCase();
  const notes: string[] = [];
  let entity = options.entity;
  if (entity !== undefined && !/^[A-Z][A-Za-z0-9]*$/.test(entity)) throw new ScaffoldError(`--entity "${entity}" is not a PascalCase name such as CoworkerTimePass`);
  if (entity === undefined) {
    const base = singular(given);
    entity = base.charAt(0).toUpperCase() + base.slice(1);
    if (given === segment) notes.push(`entity ${entity} is derived from the path; if Nexudus writes it with other capitals, fix entity (or pass --entity)`);
  }
  const regularPlural = defaultPlural(entity).toLowerCase() === segment;
  // An irregular plural can only be written when it was given with its capitals.
  const plural = regularPlural || given === segment ? undefined : given;
  if (!regularPlural && plural === undefined) {
    throw new ScaffoldError(`the plural of ${entity} is not "${segment}": give the plural with its capitals (${area}/${given.charAt(0).toUpperCase()}${given.slice(1)}, as Nexudus writes it) so the spec can set it`);
  }

  const specsDir = path.resolve(options.specsDir);
  const name = `${area}/${segment}.yaml`;
  const absolute = path.join(specsDir, name);
  const file = displayPath(absolute);
  if (existsSync(absolute)) throw new ScaffoldError(`${file} already exists; it was left as it is (edit it, or run \`npm run import\` to merge a page into it)`);
  if (!existsSync(path.join(specsDir, COMMON_SPEC))) throw new ScaffoldError(`${displayPath(path.join(specsDir, COMMON_SPEC))} not found: --specs must be the specs folder`);

  const text = specText(entity, area, segment, plural);
  const before: Diagnostic[] = [];
  const specs = await loadSpecs(specsDir, before);
  validateSpecs(specs, before);
  const after: Diagnostic[] = [];
  validateSpecs([...specs, parseSpec(name, file, text, after)], after);
  const known = new Set(before.map((d) => `${d.file}\u0000${d.message}`));
  const introduced = after.filter((d) => !known.has(`${d.file}\u0000${d.message}`));
  if (introduced.length > 0) throw new ScaffoldError(formatDiagnostics(introduced).replace(/\n[^\n]*generated\/ was left as it was\.$/, "\nnothing was written."));

  await mkdir(path.dirname(absolute), { recursive: true });
  await writeFile(absolute, text, { flag: "wx" });
  return { file, text, entity, notes };
}

async function main(): Promise<void> {
  let values: { entity?: string; specs?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: process.argv.slice(2),
      options: { entity: { type: "string" }, specs: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`give one <area>/<entities>\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  try {
    const result = await scaffoldSpec({ specsDir: values.specs ?? "specs", target: positionals[0]!, ...(values.entity ? { entity: values.entity } : {}) });
    process.stdout.write(`created ${result.file} (entity ${result.entity})\n`);
    for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}

// Run as the `npm run new` command; importing the module (tests) runs nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
