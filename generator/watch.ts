/**
 * What `--watch` is made of: a watcher that sees every save, and runs that never overlap.
 * chokidar, not `fs.watch`: on Node 20 and 22 a recursive `fs.watch` goes deaf to a file once
 * it was replaced by a rename (an editor's atomic save, `git checkout`); chokidar watches the
 * new file again.
 */
import type { FSWatcher } from "chokidar";

/** How long the folders must be quiet before a run: a save or a checkout is many events. */
export const QUIET_MS = 50;

/**
 * Calls `onChange` once the folders have been quiet for `QUIET_MS` after any file or folder
 * under them was added, changed or removed. Resolves once the watcher sees every file.
 */
export async function watchFolders(folders: readonly string[], onChange: () => void, onError: (error: Error) => void): Promise<FSWatcher> {
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
