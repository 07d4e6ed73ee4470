/**
 * What `--watch` is made of: a watcher that sees every save, and runs that never overlap.
 * chokidar, not `fs.watch`: on Node 20 and 22 a recursive `fs.watch` goes deaf to a file once
 * it was replaced by a rename (an editor's atomic save, `git checkout`); chokidar watches the
 * new file again.
 */
import { readdirSync, statSync, watch as fsWatch, type FSWatcher } from "node:fs";
import path from "node:path";
import type { FSWatcher as ChokidarWatcher } from "chokidar";

/** How long the folders must be quiet before a run: a save or a checkout is many events. */
export const QUIET_MS = 50;

/**
 * Calls `onChange` once the folders have been quiet for `QUIET_MS` after any file or folder
 * under them was added, changed or removed. Resolves once the watcher sees every file.
 */
export async function watchFolders(folders: readonly string[], onChange: () => void, onError: (error: Error) => void): Promise<ChokidarWatcher> {
  // Loaded here: a run without --watch is not slowed down by it.
  const { watch } = await import("chokidar");
  const watcher = watch([...folders], { ignoreInitial: true });
  let timer: NodeJS.Timeout | undefined;
  watcher.on("all", () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, QUIET_MS);
  });
  watcher.on("error", (error) => onError(error instanceof Error ? error : new Error(String(error))));
  await new Promise<void>((resolve) => watcher.once("ready", resolve));
  return watcher;
}

/**
 * `run`, one at a time: a request during a run makes one more run after it, however many came,
 * so the last change is always seen and two runs never overlap. A run that throws is reported
 * and later requests run again; `onIdle` is called each time no run is due any more. The
 * returned promise settles then.
 */
export function serially(run: () => Promise<unknown>, handlers: { onError: (error: unknown) => void; onIdle: () => void }): () => Promise<void> {
  let current: Promise<void> | undefined;
  let due = false;
  return () => {
    due = true;
    current ??= (async () => {
      try {
        while (due) {
          due = false;
          try {
            await run();
          } catch (error) {
            handlers.onError(error);
          }
        }
      } finally {
        current = undefined;
      }
      handlers.onIdle();
    })();
    return current;
  };
}

/**
 * The files under a folder that may have changed since a run last recorded it, from the system's
 * notifications: `fs.watch` on the folder and on each folder under it (inotify on Linux, which
 * tells of every write, rename and delete in a folder it watches). A watching process checks
 * these alone, where it would `stat` every file. A file notified stays so until a run that took it
 * has recorded the folder (`recorded`): a run that fails leaves it to the next. The notifications
 * cannot say what changed from the start until a first run records the folder, nor after a
 * folder under it was added or removed, a watcher failed or a name was not given: then every
 * file is checked, and the watcher is made again. The watchers do not keep the process alive.
 */
export class FolderChanges {
  readonly dir: string;
  readonly #skip: readonly string[];
  readonly #watchers = new Map<string, FSWatcher>();
  /** Path -> the number of its last notification. */
  readonly #notified = new Map<string, number>();
  #count = 0;
  /** Whether the watchers no longer cover the folder: a folder added or removed, a watcher failed, a name not given. */
  #lost = false;
  /** Until a first run records the folder, nothing says how it was when they started. */
  #recordedOnce = false;
  /** The notifications the last `take` answered with, up to this number. */
  #taken: number | undefined;

  /** Watches `dir` and every folder under it but `node_modules` and the `skip` folders (relative to `dir`), from now on. */
  constructor(dir: string, skip: readonly string[] = []) {
    this.dir = dir;
    this.#skip = skip;
    this.#watch("");
  }

  #watch(relative: string): void {
    const folder = relative === "" ? this.dir : path.join(this.dir, relative);
    try {
      const watcher = fsWatch(folder, (_event, name) => this.#notify(relative, name));
      watcher.on("error", () => void (this.#lost = true));
      watcher.unref();
      this.#watchers.set(relative, watcher);
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory() && this.#watches(child)) this.#watch(child);
      }
    } catch {
      // A folder gone, or one that cannot be watched: what is under it is not known.
      this.#lost = true;
    }
  }

  #watches(relative: string): boolean {
    return !relative.split("/").includes("node_modules") && !this.#skip.includes(relative);
  }

  #notify(relative: string, name: string | Buffer | null): void {
    if (name === null) {
      this.#lost = true;
      return;
    }
    const file = relative === "" ? String(name) : `${relative}/${String(name)}`;
    // A folder added, removed or replaced: the watchers no longer cover what is under it.
    if (this.#watchers.has(file) || (this.#watches(file) && isFolder(path.join(this.dir, file)))) this.#lost = true;
    this.#notified.set(file, ++this.#count);
  }

  /**
   * The paths notified since a run last recorded the folder (files, relative, `/`-separated), once
   * every notification the system holds is delivered; undefined when the watchers cannot say.
   */
  async take(): Promise<ReadonlySet<string> | undefined> {
    // Notifications are read in the event loop's poll phase, which comes before its next setImmediate.
    await new Promise((resolve) => setImmediate(resolve));
    this.#taken = this.#count;
    return this.#recordedOnce && !this.#lost ? new Set(this.#notified.keys()) : undefined;
  }

  /** The run that took the last answer has recorded the folder: what was notified up to then is known. */
  recorded(): void {
    const taken = this.#taken;
    if (taken === undefined) return;
    this.#taken = undefined;
    for (const [file, count] of this.#notified) if (count <= taken) this.#notified.delete(file);
    this.#recordedOnce = true;
  }

  /** Whether the watchers no longer cover the folder: they must be made again. */
  get lost(): boolean {
    return this.#lost;
  }

  close(): void {
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
