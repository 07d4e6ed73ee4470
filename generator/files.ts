import { readdir } from "node:fs/promises";
import path from "node:path";

/**
 * Every file under `dir` (in every subfolder but `node_modules`), as a POSIX path relative to it,
 * in path order; none when the folder does not exist. The one listing the pipeline uses for specs,
 * templates, the generator's sources and the output folder.
 */
export async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile() && !path.relative(dir, e.parentPath).split(path.sep).includes("node_modules"))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
