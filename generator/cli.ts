import path from "node:path";
import { parseArgs } from "node:util";
import { SpecError } from "./diagnostics.js";
import { defaultOptions, generate, type GenerateOptions } from "./pipeline.js";
import { releaseSummary } from "./release.js";
import { Session } from "./session.js";
import { serially, watchFolders } from "./watch.js";

const HELP = `nexudus-codegen: YAML endpoint specs in, a typed Nexudus API client package out.

Usage: npm run generate -- [options]

Reads specs/**/*.yaml, validates them, and writes the nexudus-api package to generated/:
types, client, docs and package files, each as prettier formats it. Only what changed is
printed again (the cache remembers the rest by content) and only files whose content
changed are written; files of removed specs are deleted. When a spec is broken, every
error is printed as file:line:column and generated/ is left as it was. The package
version and CHANGELOG.md follow from how the specs changed the public surface recorded
in generated/surface.json (docs/publishing.md).

Options:
  --check            Write nothing; exit 1 and name every stale file when generated/
                     is not what the specs and templates produce (CI runs this).
  --watch            Regenerate after every save in specs/ or templates/ (atomic saves
                     and git checkouts too), one run at a time, keeping what is unchanged
                     in memory. Errors are printed and watching goes on, generated/
                     untouched.
  --specs <dir>      Specs folder (default: specs).
  --templates <dir>  Templates folder (default: templates).
  --out <dir>        Output folder (default: generated).
  --cache <dir>      Where results are remembered between runs (default:
                     node_modules/.cache/nexudus-codegen); --check uses none.
  --timings          Print the time of every pipeline stage.
  -h, --help         Show this help.

Exit codes: 0 done (or up to date), 1 spec errors or stale output, 2 usage or internal error.
`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        check: { type: "boolean", default: false },
        watch: { type: "boolean", default: false },
        specs: { type: "string" },
        templates: { type: "string" },
        out: { type: "string" },
        cache: { type: "string" },
        timings: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
}

/** One generation (in a watching process, one of its session); returns the exit code. */
async function runOnce(options: GenerateOptions, showTimings: boolean, session?: Session): Promise<number> {
  const started = performance.now();
  try {
    const report = await generate(options, undefined, session);
    const { changed, removed } = report.changes;
    const elapsed = Math.round(performance.now() - started);
    if (showTimings) {
      const stages = Object.entries(report.timings).map(([stage, ms]) => `${stage} ${ms} ms`).join(", ");
      process.stdout.write(`timings: ${stages}; entities printed ${report.printed}, models read ${report.modelsRead}, files formatted by prettier ${report.formatted}\n`);
    }
    const { entities, warnings } = report.summary;
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    const release = releaseSummary(report.release);
    if (options.check) {
      if (changed.length === 0 && removed.length === 0) {
        process.stdout.write(`generated/ is up to date (${entities} entities, ${elapsed} ms)\n`);
        return 0;
      }
      const lines = [...changed.map((p) => `  stale: ${p}`), ...removed.map((p) => `  not produced by any spec: ${p}`)];
      if (release) lines.push(`  ${release}`);
      process.stderr.write(`generated/ is stale; run \`npm run generate\`:\n${lines.join("\n")}\n`);
      return 1;
    }
    const summary = changed.length || removed.length ? `wrote ${changed.length}, deleted ${removed.length}` : "nothing changed";
    process.stdout.write(`${summary} (${entities} entities, ${elapsed} ms)\n`);
    for (const p of changed) process.stdout.write(`  wrote ${p}\n`);
    for (const p of removed) process.stdout.write(`  deleted ${p}\n`);
    if (release) process.stdout.write(`${release}\n`);
    if (session) {
      await session.settled();
      if (showTimings) process.stdout.write(`remembered for the next run in ${report.timings.remember ?? 0} ms, after the report\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof SpecError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}

/**
 * Regenerates after every save under specs/ or templates/, one run at a time, until stopped. The
 * runs share a session: what the last one left in memory is not read or computed again.
 */
async function watchAndRegenerate(options: GenerateOptions, showTimings: boolean): Promise<void> {
  const session = new Session();
  // The first run goes through every stage, so that the session holds what the first save needs.
  let first = true;
  const runNext = () => {
    const run = first ? { ...options, full: true } : options;
    first = false;
    return runOnce(run, showTimings, session);
  };
  const regenerate = serially(runNext, {
    onError: (error) => process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`),
    onIdle: () => process.stdout.write("watching for changes...\n"),
  });
  await watchFolders([options.specsDir, options.templatesDir], () => void regenerate(), (error) => process.stderr.write(`watch error: ${error.message}\n`));
  await regenerate();
}

async function main(): Promise<void> {
  // Output piped into `head` and the like: a closed pipe ends the run quietly, as other CLIs do.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const args = parse(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const root = process.cwd();
  const defaults = defaultOptions(root);
  const options: GenerateOptions = {
    ...defaults,
    specsDir: args.specs ? path.resolve(args.specs) : defaults.specsDir,
    templatesDir: args.templates ? path.resolve(args.templates) : defaults.templatesDir,
    outDir: args.out ? path.resolve(args.out) : defaults.outDir,
    cacheDir: args.cache ? path.resolve(args.cache) : defaults.cacheDir,
    check: args.check,
  };
  if (args.watch) {
    if (args.check) {
      process.stderr.write("--watch and --check cannot be combined\n");
      process.exit(2);
    }
    await watchAndRegenerate(options, args.timings);
    return;
  }
  process.exitCode = await runOnce(options, args.timings);
}

// No top-level await: the launcher runs the bundle as a script, from V8's code cache (launch.mjs).
main().catch((error: unknown) => {
  process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
});
