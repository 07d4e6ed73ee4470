import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GenerateOptions, GenerateReport } from "./pipeline.js";
import { prettierConfig } from "./format.js";
import { packageVersion } from "./project.js";

/**
 * The whole-input short-circuit of a no-op run. Generation is a function of its inputs (specs,
 * templates, the generator's own code and the formatter's version) and of the output folder. A
 * run is remembered with a fingerprint of its inputs and the size and mtime of every output file;
 * a later run that finds the same fingerprint and the same output files is a no-op, and returns
 * the remembered report without loading YAML, ts-morph or prettier.
 */

/** The report a no-op run gave, without its timings. */
type RememberedReport = Omit<GenerateReport, "timings">;

interface RunRecord {
  fingerprint: string;
  /** Output path -> [size, mtime in ms]. */
  outputs: Record<string, [number, number]>;
  report: RememberedReport;
}

/** Build output and installs in the output folder, which generation does not own (as write.ts). */
const NOT_OWNED_FOLDERS = new Set(["dist", "node_modules"]);

/** This module's file: in the source tree, generator/run-memo.ts; in a bundled CLI, the bundle. */
const THIS_FILE = fileURLToPath(import.meta.url);


/** Every file under `dir` (sorted, relative, `/`-separated), skipping folders named in `skip`. */
async function listFiles(dir: string, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  const out: string[] = [];
  const walk = async (relative: string) => {
    let entries;
    try {
      entries = await readdir(path.join(dir, relative), {
        withFileTypes: true,
      });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = relative ? `${relative}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!(relative === "" && skip.has(e.name))) await walk(child);
      } else if (e.isFile() && !e.name.endsWith(".tgz")) {
        out.push(child);
      }
    }
  };
  await walk("");
  return out.sort();
}

let codeHash: Promise<string> | undefined;

/** A hash of the generator's own code and of the versions of prettier and ts-morph. */
export function codeFingerprint(): Promise<string> {
  codeHash ??= (async () => {
    const digest = createHash("sha256");
    digest.update(
      `prettier ${packageVersion("prettier")}\0ts-morph ${packageVersion("ts-morph")}\0`,
    );
    // The generator's sources when running from them; a bundled generator is its own single file.
    const dir = path.dirname(THIS_FILE);
    if (path.basename(THIS_FILE) === "run-memo.ts") await hashFolder(digest, "generator", dir, /\.(ts|json)$/);
    else digest.update(await readFile(THIS_FILE));
    return digest.digest("hex");
  })();
  return codeHash;
}

async function hashFolder(
  digest: ReturnType<typeof createHash>,
  label: string,
  dir: string,
  only?: RegExp,
): Promise<void> {
  const files = (await listFiles(dir, new Set(["node_modules"]))).filter((file) => !only || only.test(file));
  const texts = await Promise.all(files.map((file) => readFile(path.join(dir, file))));
  files.forEach((file, index) =>
    digest.update(`${label}/${file}\0`).update(texts[index]!).update("\0"),
  );
}

/** A hash of everything generation reads besides the output folder. */
async function inputFingerprint(options: GenerateOptions): Promise<string> {
  const digest = createHash("sha256");
  digest.update(`${await codeFingerprint()}\0${options.outDir}\0`);
  await hashFolder(digest, "specs", options.specsDir);
  await hashFolder(digest, "templates", options.templatesDir);
  // The format of record decides every output byte, so a config edit is a change like any other.
  digest.update("prettier config\0").update(await readFile(prettierConfig().path));
  return digest.digest("hex");
}

async function outputStats(
  outDir: string,
  paths: readonly string[],
): Promise<Record<string, [number, number]> | undefined> {
  try {
    const stats = await Promise.all(paths.map((p) => stat(path.join(outDir, p))));
    return Object.fromEntries(
      paths.map((p, index) => [p, [stats[index]!.size, stats[index]!.mtimeMs]]),
    );
  } catch {
    return undefined;
  }
}

/** Remembers and recalls no-op runs for one format cache. */
export interface RunMemo {
  /** The report of the same no-op run, when inputs and outputs are what it left. */
  recalled: RememberedReport | undefined;
  /** After a run: remember it (as the no-op its inputs now give), or forget the last one. */
  remember(report: GenerateReport): Promise<void>;
}

/** The memo of a run, or undefined when there is nothing to remember with (check mode, no cache). */
export async function openRunMemo(options: GenerateOptions): Promise<RunMemo | undefined> {
  if (options.check || !options.cacheDir) return undefined;
  const file = path.join(options.cacheDir, "last-run.json");
  const fingerprint = await inputFingerprint(options);
  const recall = async (): Promise<RememberedReport | undefined> => {
    let record: RunRecord;
    try {
      record = JSON.parse(await readFile(file, "utf8")) as RunRecord;
    } catch {
      return undefined;
    }
    if (record.fingerprint !== fingerprint) return undefined;
    const expected = Object.keys(record.outputs).sort();
    const present = await listFiles(options.outDir, NOT_OWNED_FOLDERS);
    if (present.length !== expected.length || present.some((p, index) => p !== expected[index]))
      return undefined;
    const now = await outputStats(options.outDir, expected);
    if (
      !now ||
      expected.some(
        (p) => now[p]![0] !== record.outputs[p]![0] || now[p]![1] !== record.outputs[p]![1],
      )
    )
      return undefined;
    return record.report;
  };
  return {
    recalled: await recall(),
    async remember(report) {
      const outputs = await outputStats(options.outDir, await listFiles(options.outDir, NOT_OWNED_FOLDERS));
      if (!outputs) {
        await rm(file, { force: true });
        return;
      }
      // The output is a fixed point of its inputs: run again, the pipeline finds surface.json at
      // the version it wrote and changes nothing. So even a run that wrote is remembered, as the
      // no-op that the next run with the same inputs would be.
      const { timings: _timings, ...rest } = report;
      const { changed, unchanged } = rest.changes;
      const noop: RememberedReport = {
        ...rest,
        changes: { changed: [], removed: [], unchanged: unchanged + changed.length },
        formatted: 0,
        reused: rest.formatted + rest.reused,
        release: { ...rest.release, previousVersion: rest.release.version, level: undefined, changes: [] },
      };
      const record: RunRecord = { fingerprint, outputs, report: noop };
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(record));
    },
  };
}
