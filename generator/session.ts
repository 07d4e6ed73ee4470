import { Cache, statFolder } from "./cache.js";
import type { GeneratedFile } from "./emit/generated-file.js";
import type { PrintedSections } from "./emit/sections.js";
import type { Templates } from "./emit/templates.js";
import type { LoadedSpec } from "./load.js";
import type { GenerateOptions } from "./pipeline.js";
import type { ManifestMemory } from "./release.js";
import { lstatSync } from "node:fs";
import path from "node:path";
import { FolderChanges } from "./watch.js";
import type { OutputMemory, ProducedFile } from "./write.js";

/** An input file (spec or template) as last read: known unchanged while its size and mtime are. */
export interface KnownInput {
  size: number;
  mtimeMs: number;
  hash: string;
  /** A spec's text, for the load stage; templates keep only their hash. */
  text?: string;
}

/**
 * What a process that regenerates again and again (`--watch`) keeps in memory between runs, so
 * that a run redoes only what a change touched. Everything in it is keyed by content, so nothing
 * in it can be stale:
 *
 * - the open cache (cache.ts), not read again; each run saves it as a cold run does, while its
 *   caller reports the run (`settled()` says when it is saved);
 * - `inputs`: every spec and template file by its size and mtime, with its hash (and a spec's
 *   text): a file whose stats moved is read again, the others are not;
 * - `specs`: each loaded spec by name and the hash of its text: the same text is the same tree;
 * - `templates`: the compiled templates with the hash of the templates folder they came from;
 * - `outputs`: every output file the last run printed, by path and hash: a file the output
 *   folder's record (the `stat` check of write.ts) finds as it was left is read from here, not
 *   from disk (surface.json, CHANGELOG.md...); a file edited by hand has another hash;
 * - `manifest`: the surface manifest the last run printed, with its text (release.ts);
 * - `sections`: the sections of each file the last run printed in sections (openapi.json, the area
 *   modules), as bytes, by path (emit/sections.ts).
 *
 * A run that fails (a broken spec) leaves the output folder and the cache's record alone, and so
 * leaves the session's record of them too.
 */
export class Session implements OutputMemory {
  readonly inputs = new Map<string, KnownInput>();
  readonly specs = new Map<string, { hash: string; spec: LoadedSpec }>();
  templates: { key: string; templates: Templates } | undefined;
  readonly outputs = new Map<string, { hash: string; file: GeneratedFile }>();
  readonly manifest: ManifestMemory = {};
  readonly sections = new Map<string, PrintedSections>();
  #cache: { dir: string | undefined; cache: Promise<Cache> } | undefined;
  #saving: Promise<{ failed: unknown } | undefined> | undefined;
  #folders: string | undefined;
  /** What may have changed in the output folder since the last run recorded it. */
  #outputChanges: FolderChanges | undefined;
  /** Each input folder's files with their [size, mtime] as last statted, and what may have changed since. */
  readonly #inputFolders = new Map<string, { changes: FolderChanges; stats: Map<string, [number, number]> }>();

  /**
   * Starts a run on these folders (specs, templates, output, cache): the session's record of its
   * inputs and outputs is about one set of folders, and is forgotten for another. Returns the
   * cache, opened once; every run starts from what the last one saved.
   */
  async startRun({ specsDir, templatesDir, outDir, cacheDir }: GenerateOptions): Promise<Cache> {
    await this.settled();
    const folders = JSON.stringify([specsDir, templatesDir, outDir, cacheDir]);
    if (this.#folders !== folders) {
      this.#folders = folders;
      this.inputs.clear();
      this.outputs.clear();
      delete this.manifest.last;
      this.sections.clear();
      this.close();
    }
    const opened = this.#cache && this.#cache.dir === cacheDir ? this.#cache : (this.#cache = { dir: cacheDir, cache: Cache.open(cacheDir) });
    const cache = await opened.cache;
    cache.startRun();
    return cache;
  }

  /** Starts what a run does after its output is written (saving the cache), for its caller to report the run meanwhile. */
  afterRun(work: () => Promise<unknown>): void {
    // Started once the caller has reported the run: its first steps (the output folder's record,
    // the cache's pieces deflated) are synchronous, and would otherwise delay the report.
    // Held, not thrown, until `settled()`: a save that fails unawaited must not end the process.
    this.#saving = new Promise((resolve) => setImmediate(resolve)).then(work).then(
      () => void this.#outputChanges?.recorded(),
      (failed: unknown) => ({ failed }),
    );
  }

  /** Resolves once the last run's cache is saved; rejects as its save did. */
  async settled(): Promise<void> {
    const saving = this.#saving;
    this.#saving = undefined;
    const outcome = await saving;
    if (outcome) throw outcome.failed;
  }

  /**
   * The output files that may have changed since the last run recorded the folder: its own writes,
   * a hand edit, a stray file. Watched from a session's first scan on; undefined when the watchers
   * cannot say (the first run, a folder added or removed...), and every file is checked.
   */
  async outputChanges(dir: string, skip: readonly string[]): Promise<ReadonlySet<string> | undefined> {
    let watching = this.#outputChanges;
    if (watching && (watching.dir !== dir || watching.lost)) {
      watching.close();
      watching = undefined;
    }
    watching ??= this.#outputChanges = new FolderChanges(dir, skip);
    return watching.take();
  }

  /**
   * Every file of an input folder (specs, templates) with its [size, mtime], in path order, as
   * `statFolder` gives them: only the files its watchers saw change since the last call are statted
   * again; when they cannot say (the first call, a folder added or removed), every file is.
   */
  async inputStats(dir: string): Promise<[string, [number, number]][]> {
    let known = this.#inputFolders.get(dir);
    if (known?.changes.lost) {
      known.changes.close();
      known = undefined;
    }
    if (!known) this.#inputFolders.set(dir, (known = { changes: new FolderChanges(dir), stats: new Map() }));
    const touched = await known.changes.take();
    if (touched) {
      for (const name of touched) {
        try {
          // Not followed: `statFolder` lists no link either (`listFiles`).
          const stats = lstatSync(path.join(dir, name));
          if (stats.isFile()) known.stats.set(name, [stats.size, stats.mtimeMs]);
          else known.stats.delete(name);
        } catch {
          known.stats.delete(name);
        }
      }
    } else {
      known.stats = new Map(await statFolder(dir));
    }
    // What was notified until now is in these stats, whether this run succeeds or not.
    known.changes.recorded();
    return [...known.stats].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Stops watching the output and input folders (the watchers do not keep the process alive either way). */
  close(): void {
    this.#outputChanges?.close();
    this.#outputChanges = undefined;
    for (const { changes } of this.#inputFolders.values()) changes.close();
    this.#inputFolders.clear();
  }

  /** Remembers the files a run left in the output folder, for the next run to read instead of the files. */
  rememberOutput(produced: readonly ProducedFile[]): void {
    const paths = new Set(produced.map((f) => f.path));
    for (const known of [...this.outputs.keys()]) if (!paths.has(known)) this.outputs.delete(known);
    for (const f of produced) if (f.file) this.outputs.set(f.path, { hash: f.hash, file: f.file });
  }

  /** The text of an output file when this process knows it by that hash; taken from the file printed only now (openapi.json's is joined when read). */
  outputText(path: string, hash: string): string | undefined {
    const known = this.outputs.get(path);
    return known?.hash === hash ? known.file.content : undefined;
  }
}
