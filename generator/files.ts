import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * Every file under `dir` (in every subfolder but `node_modules` and the `skip` folders, given
 * relative to `dir`), as a POSIX path relative to it, in path order; none when the folder does not
 * exist. The one listing the pipeline uses for specs, templates, the generator's sources and the
 * output folder. One folder after the other, synchronously, each path made by joining names: for
 * the output folder with a build in it, 2,000 entries, several times faster than `readdir`'s
 * recursive mode with `path.relative` on each.
 */
export async function listFiles(dir: string, skip: readonly string[] = []): Promise<string[]> {
  const files: string[] = [];
  const walk = (folder: string, prefix: string, top: boolean) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      // A missing folder has no files; a subfolder removed while listing had none left.
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || (!top && (error as NodeJS.ErrnoException).code === "ENOTDIR")) return;
      throw error;
    }
    for (const entry of entries) {
      const relative = prefix + entry.name;
      if (entry.isFile()) files.push(relative);
      else if (entry.isDirectory() && entry.name !== "node_modules" && !skip.includes(relative)) walk(path.join(folder, entry.name), `${relative}/`, false);
    }
  };
  walk(dir, "", true);
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
