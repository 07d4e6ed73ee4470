import { parseArgs } from "node:util";
import { importFacts } from "./facts.js";
import { ImportError, importPages, type ImportResult } from "./import.js";

const HELP = `nexudus-codegen import: turn Nexudus REST API docs pages into endpoint specs.

Usage: npm run import -- <page>... [--out specs/] [--dry-run]
       npm run import -- --facts <folder or file> [--out specs/] [--dry-run]

Each <page> is one docs page (developers.nexudus.com/rest-api/...) saved as text: select the
page in the browser and paste it into a .txt file, or save its Markdown (.md) form. The
listing page ("Search X") gives the filters, range filters, enums, the fields the listing
leaves out and the record fields of the example; Get one, Get many, Create, Update, Delete,
Commands and Run command pages add their operation (and, for Create/Update, which fields
are required). Pages of one endpoint may be given together.

It writes specs/<area>/<entities>.yaml. An existing spec is merged: what a person wrote
(descriptions, enum names, types, flags) is kept, and the changes are listed. What the page
does not settle is marked with a "# import:" comment in the YAML and listed as a warning.
The result is checked with the generator's validator; on any error nothing is written.

With --facts, it reads entity fact files instead (one YAML file per entity: fields, flags,
read-only names, enums; see docs/importer.md): every entity with an area gets a spec, existing
specs keep what they say and gain what the facts add, and entities without an area are listed
under areaUnknown in common.yaml.

Options:
  --facts <path> Entity fact files: a folder of them, or one file.
  --out <dir>   Specs folder to write into (default: specs). It must hold common.yaml.
  --dry-run     Show what would change; write nothing.
  -h, --help    Show this help.

Exit codes: 0 imported (warnings may be printed), 1 a page or spec could not be used, 2 usage.
`;

function report(result: ImportResult, dryRun: boolean): void {
  for (const file of result.files) {
    const verb = file.unchanged ? "unchanged" : file.created ? (dryRun ? "would create" : "created") : dryRun ? "would update" : "updated";
    process.stdout.write(`${verb} ${file.file}\n`);
    if (file.created) {
      const count = (prefix: string) => file.changes.filter((c) => c.startsWith(prefix)).length;
      const parts = [
        [count("added field "), "fields"],
        [count("added filter "), "filters"],
        [count("added range filter "), "range filters"],
        [count("added enum "), "enums"],
      ].map(([n, what]) => `${n} ${what}`);
      process.stdout.write(`  ${parts.join(", ")}\n`);
    } else if (!file.unchanged) {
      for (const change of file.changes) process.stdout.write(`  ${change}\n`);
    }
  }
  if (result.warnings.length > 0) {
    process.stdout.write(`\n${result.warnings.length} warning${result.warnings.length === 1 ? "" : "s"} (marked "# import:" in the specs where they concern an entry):\n`);
    for (const w of result.warnings) process.stdout.write(`  ${w.file}${w.line ? `:${w.line}` : ""}: ${w.message}\n`);
  }
}

async function main(): Promise<void> {
  let values: { out?: string; facts?: string; "dry-run"?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: process.argv.slice(2),
      options: {
        out: { type: "string" },
        facts: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
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
  if (values.facts && positionals.length > 0) {
    process.stderr.write(`--facts imports fact files, not pages: give one or the other\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (positionals.length === 0 && !values.facts) {
    process.stderr.write(`no page given\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const dryRun = values["dry-run"] === true;
  try {
    const specsDir = values.out ?? "specs";
    const result = values.facts ? await importFacts({ facts: values.facts, specsDir, dryRun }) : await importPages({ pages: positionals, specsDir, dryRun });
    report(result, dryRun);
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}

await main();
