import { readdirSync, readFileSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GenerateOptions } from "../../generator/pipeline.js";

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * A few real specs, for tests of a behaviour that does not depend on how many entities there are
 * (release rules, the CLI, incremental runs): generating them takes a fraction of the whole API.
 * Two areas, so that area indexes are made; the tests edit the time pass specs.
 */
export const SMALL_SPEC_SET = [
  "billing/coworkertimepasses.yaml",
  "billing/producttimepasses.yaml",
  "billing/timepasses.yaml",
  "spaces/resources.yaml",
] as const;

/**
 * A throwaway copy of the project's specs and templates (and optionally generated/) in a temp folder.
 * `specs` copies only those specs (paths under specs/) with common.yaml; without it, every spec.
 */
export async function tempProject(options: { withGenerated?: boolean; specs?: readonly string[] } = {}): Promise<{
  dir: string;
  options: GenerateOptions;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), "nexudus-codegen-"));
  if (options.specs) {
    for (const spec of ["common.yaml", ...options.specs]) {
      await cp(path.join(ROOT, "specs", spec), path.join(dir, "specs", spec));
    }
  } else {
    await cp(path.join(ROOT, "specs"), path.join(dir, "specs"), { recursive: true });
  }
  await cp(path.join(ROOT, "templates"), path.join(dir, "templates"), { recursive: true });
  if (options.withGenerated) {
    await cp(path.join(ROOT, "generated"), path.join(dir, "generated"), {
      recursive: true,
      filter: (src) => !/[/\\](dist|node_modules)([/\\]|$)/.test(src),
    });
  }
  return {
    dir,
    options: {
      specsDir: path.join(dir, "specs"),
      templatesDir: path.join(dir, "templates"),
      outDir: path.join(dir, "generated"),
      cacheDir: path.join(dir, ".cache"),
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Every file under a folder, path -> content, skipping build output and installs. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return files;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    const relative = path.relative(dir, full).split(path.sep).join("/");
    if (/^(dist|node_modules)\//.test(relative) || relative.endsWith(".tgz")) continue;
    files.set(relative, await readFile(full, "utf8"));
  }
  return files;
}

/** Every spec text of a folder (`*.yaml`, `*.yml`), by path, in path order. */
export function specTexts(dir: string): [string, string][] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => [f, readFileSync(path.join(dir, f), "utf8")]);
}
