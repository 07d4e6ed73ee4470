import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { GeneratedFile } from "./emit/generated-file.js";

/** Paths in the output folder that generation does not own: build output, installs, packs. */
const NOT_OWNED = [/^dist\//, /^node_modules\//, /\.tgz$/];

/** Every file generation owns in the output folder, with its content. */
export async function readOutput(outDir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  } catch {
    return found;
  }
  await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const relative = path.relative(outDir, path.join(e.parentPath, e.name)).split(path.sep).join("/");
        if (NOT_OWNED.some((pattern) => pattern.test(relative))) return;
        found.set(relative, await readFile(path.join(outDir, relative), "utf8"));
      }),
  );
  return found;
}

/** What a run changed, or in check mode would change. */
export interface OutputChanges {
  /** Files whose content differs (or that are new). */
  changed: string[];
  /** Files no spec produces any more. */
  removed: string[];
  unchanged: number;
}

/** Compares the wanted files with what is on disk. */
export function diffOutput(files: readonly GeneratedFile[], existing: ReadonlyMap<string, string>): OutputChanges {
  const wanted = new Set(files.map((f) => f.path));
  const changed = files.filter((f) => existing.get(f.path) !== f.content).map((f) => f.path).sort();
  const removed = [...existing.keys()].filter((p) => !wanted.has(p)).sort();
  return { changed, removed, unchanged: files.length - changed.length };
}

/**
 * Writes only what changed and deletes what is no longer produced. Each file is written to a
 * temporary name and renamed over the old one, so a reader never sees half a file.
 */
export async function applyOutput(outDir: string, files: readonly GeneratedFile[], changes: OutputChanges): Promise<void> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  await Promise.all(
    changes.changed.map(async (relative) => {
      const target = path.join(outDir, relative);
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, byPath.get(relative)!.content);
      await rename(temporary, target);
    }),
  );
  await Promise.all(changes.removed.map((relative) => rm(path.join(outDir, relative), { force: true })));
  await removeEmptyFolders(outDir);
}

async function removeEmptyFolders(dir: string): Promise<boolean> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  let empty = true;
  for (const e of entries) {
    if (e.isDirectory() && !["dist", "node_modules"].includes(e.name)) {
      if (await removeEmptyFolders(path.join(dir, e.name))) await rm(path.join(dir, e.name), { recursive: true });
      else empty = false;
    } else {
      empty = false;
    }
  }
  return empty;
}
