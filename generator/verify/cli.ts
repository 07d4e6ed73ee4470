import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { SpecError } from "../diagnostics.js";
import { compare, formatReport, loadSpecSet, selectEntities, type VerifyReport } from "./compare.js";
import { readHar } from "./har.js";
import { connectionFromEnvironment, DEFAULT_PAGE_SIZE, progressPrinter, record, RecordInterrupted } from "./record.js";
import { readRecordings, writeRecording } from "./shape.js";
import { updateSpecs } from "./update.js";

const HELP = `npm run verify: check the specs against what the Nexudus API really answers.

Usage:
  npm run verify                       compare recordings/ with the specs; exit 1 on any difference
  npm run verify -- --record           record the live API's answers (read-only), then compare
  npm run verify -- --har <file>       take the /api/<area>/<entities> answers of a browser HAR file, then compare
  npm run verify -- --update           write what was observed into the specs, then compare again

A recording keeps shapes, never values: per entity, for listing and full records, each property's
JSON types, whether null was seen, string formats (date-time, UUID) and the integers of enum-typed
fields. See docs/verify.md.

Options:
  --record             Call each selected entity's listing (one page) and get (one record), at most
                       one request per 100 ms, waiting out 409 Retry-After. Credentials from the
                       environment: NEXUDUS_TOKEN, or NEXUDUS_USERNAME and NEXUDUS_PASSWORD (and
                       NEXUDUS_TOTP); NEXUDUS_BASE_URL (default https://spaces.nexudus.com).
                       An interrupted run resumes where it stopped when run again.
  --restart            With --record: forget an interrupted run and record everything again.
  --page-size <n>      With --record: records per listing page (default ${DEFAULT_PAGE_SIZE}, at most 100).
  --har <file>         Read a HAR file (repeatable).
  --update             Write observations into the specs (keeps comments and layout; adds, never
                       deletes; added names are marked provenance: observed).
  --area <name>        Only this area (repeatable).
  --entity <name>      Only this entity, e.g. Booking (repeatable).
  --specs <dir>        Specs folder (default: specs).
  --recordings <dir>   Recordings folder (default: recordings).
  -h, --help           Show this help.

Exit codes: 0 the specs agree with the recordings, 1 they differ (or a spec is broken),
2 usage error, missing credentials or an interrupted recording.
`;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      record: { type: "boolean", default: false },
      restart: { type: "boolean", default: false },
      "page-size": { type: "string" },
      har: { type: "string", multiple: true, default: [] },
      update: { type: "boolean", default: false },
      area: { type: "string", multiple: true, default: [] },
      entity: { type: "string", multiple: true, default: [] },
      specs: { type: "string", default: "specs" },
      recordings: { type: "string", default: "recordings" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

class UsageError extends Error {}

async function run(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const specsDir = path.resolve(args.specs);
  const recordingsDir = path.resolve(args.recordings);
  const set = await loadSpecSet(specsDir);
  const entities = selectEntities(set.model, { areas: args.area, entities: args.entity });

  if (args.record) {
    const connection = connectionFromEnvironment(process.env);
    if (!connection) throw new UsageError("--record needs credentials: set NEXUDUS_TOKEN, or NEXUDUS_USERNAME and NEXUDUS_PASSWORD");
    const pageSize = args["page-size"] === undefined ? DEFAULT_PAGE_SIZE : Number(args["page-size"]);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new UsageError("--page-size takes a whole number from 1 to 100");
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    const progress = progressPrinter(process.stderr);
    try {
      const result = await record({ entities, recordingsDir, connection, pageSize, restart: args.restart, signal: controller.signal, onProgress: progress.update });
      progress.end();
      const skipped = result.skipped.map((s) => `\n  skipped ${s.name}: ${s.reason}`).join("");
      process.stderr.write(`recorded ${result.recorded.length} entities into ${args.recordings}/ (${result.resumed.length} recorded before the interruption, ${result.skipped.length} skipped)${skipped}\n`);
    } catch (error) {
      progress.end();
      if (error instanceof RecordInterrupted) {
        process.stderr.write(`${error.message}\n`);
        return 2;
      }
      throw error;
    } finally {
      process.off("SIGINT", stop);
    }
  }

  if (args.har.length) {
    const texts = await Promise.all(args.har.map(async (file) => ({ file, text: await readFile(file, "utf8") })));
    const reading = readHar(texts, entities);
    for (const [entity, recording] of reading.recordings) await writeRecording(recordingsDir, entity, recording);
    const unspecified = [...reading.unspecified].sort().map(([p, n]) => `\n  no spec for ${p} (${n} answer${n === 1 ? "" : "s"})`).join("");
    const unreadable = reading.unreadable ? `; ${reading.unreadable} answers were not JSON (a HAR saved without content?)` : "";
    process.stderr.write(`took ${reading.recordings.size} entities from ${args.har.join(", ")} into ${args.recordings}/${unreadable}${unspecified}\n`);
  }

  let report: VerifyReport = compare(set, await readRecordings(recordingsDir), entities);
  if (args.update) {
    const updates = await updateSpecs(set, report.differences, specsDir);
    for (const u of updates) {
      process.stdout.write(`updated ${path.join(args.specs, u.name)}:\n${u.changes.map((c) => `  ${c}`).join("\n")}\n`);
    }
    if (updates.length === 0) process.stdout.write("nothing to write into the specs\n");
    else process.stdout.write("run `npm run generate` to regenerate the client; what remains below needs a person:\n");
    const updated = await loadSpecSet(specsDir);
    report = compare(updated, await readRecordings(recordingsDir), selectEntities(updated.model, { areas: args.area, entities: args.entity }));
  }
  process.stdout.write(`${formatReport(report)}\n`);
  if (report.seen.size === 0) process.stdout.write(`nothing recorded in ${args.recordings}/ yet: record with --record or --har (docs/verify.md)\n`);
  return report.differences.length ? 1 : 0;
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof SpecError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`verify: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
