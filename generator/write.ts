import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync, writevSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { isAscii } from "node:buffer";
import path from "node:path";
import { hash, type CacheSection, type CachedOutput } from "./cache.js";
import { listFiles } from "./files.js";
import type { GeneratedFile } from "./emit/generated-file.js";

/** Folders of the output folder that generation does not own, not even listed: build output (and installs: `listFiles` lists no `node_modules`). */
const NOT_OWNED_FOLDERS = ["dist"];

/** Whether generation owns a file of the output folder, by relative path: not a build's, an install's or a pack. */
function isOwned(relative: string): boolean {
  const folders = relative.split("/").slice(0, -1);
  return !relative.endsWith(".tgz") && !folders.includes("node_modules") && !NOT_OWNED_FOLDERS.includes(folders[0] ?? "");
}

/** Every file generation owns in the output folder, by relative path. */
async function ownedFiles(outDir: string): Promise<string[]> {
  return (await listFiles(outDir, NOT_OWNED_FOLDERS)).filter(isOwned);
}

/** What a watching process knows of the output folder (session.ts). */
export interface OutputMemory {
  /** The text of an output file it knows by that hash. */
  outputText(relative: string, hash: string): string | undefined;
  /**
   * The files (relative paths) that may have changed in `dir` since its last run left it as the
   * record says; undefined when it cannot say, and every file must be listed and checked.
   * `skip`: folders of `dir` it need not watch.
   */
  outputChanges(dir: string, skip: readonly string[]): Promise<ReadonlySet<string> | undefined>;
}

/**
 * The output folder as a run finds it. Read whole (`--check`, or no cache), or checked against
 * what the last run left (the cache's `outputs`): a file whose size and mtime are those recorded
 * is known by its recorded hash without being read; any other is read when asked for.
 */
export class OutputFolder {
  readonly dir: string;
  /** Every file generation owns in the folder. */
  present: ReadonlySet<string>;
  readonly #contents = new Map<string, string | undefined>();
  readonly #verified = new Map<string, string>();
  /** Texts known without reading, by path and hash (a session's memory): asked for only when a file is read. */
  #knownText: ((relative: string, hash: string) => string | undefined) | undefined;

  private constructor(dir: string, present: readonly string[]) {
    this.dir = dir;
    this.present = new Set(present);
  }

  /** The folder with every file read (one after the other: for many small files, 2-3x faster than in parallel). */
  static async read(dir: string): Promise<OutputFolder> {
    const folder = new OutputFolder(dir, await ownedFiles(dir));
    for (const relative of folder.present) {
      try {
        folder.#contents.set(relative, readText(path.join(dir, relative)));
      } catch {
        folder.#contents.set(relative, undefined);
      }
    }
    return folder;
  }

  /**
   * The folder checked by `stat` against the record of the last run; nothing is read. With a
   * session's `memory`: a file found as recorded whose text it knows by that hash is read from
   * there; and when it can name the files that may have changed since its last run left the folder
   * (session.ts), only those are listed and checked, the others are as that run recorded them.
   */
  static async scan(dir: string, record: CacheSection<CachedOutput>, memory?: OutputMemory): Promise<OutputFolder> {
    const touched = await memory?.outputChanges(dir, NOT_OWNED_FOLDERS);
    const present = touched ? [...new Set([...record.previousKeys(), ...touched])].filter(isOwned) : await ownedFiles(dir);
    const check = touched ? (relative: string) => touched.has(relative) : () => true;
    const folder = new OutputFolder(dir, []);
    const found: string[] = [];
    for (const relative of present) {
      const known = record.get(relative);
      if (known && !check(relative)) {
        found.push(relative);
        folder.#verified.set(relative, known.hash);
        continue;
      }
      try {
        const stats = statSync(path.join(dir, relative));
        if (!stats.isFile()) continue;
        found.push(relative);
        if (known && stats.size === known.size && stats.mtimeMs === known.mtimeMs) folder.#verified.set(relative, known.hash);
      } catch {
        // Gone since the listing (or since the last run): not there.
        if (!touched) found.push(relative);
      }
    }
    folder.present = new Set(found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    folder.#knownText = memory && ((relative, hash) => memory.outputText(relative, hash));
    return folder;
  }

  /** Whether the file is on disk exactly as the last run left it (by the record, without reading it). */
  isVerified(relative: string): boolean {
    return this.#verified.has(relative);
  }

  /** Whether every file owned is one the last run left, unchanged, and nothing else is there. */
  isExactly(paths: readonly string[]): boolean {
    return paths.length === this.present.size && paths.every((p) => this.#verified.has(p));
  }

  /** The file's text, read once; undefined when it is not there. */
  async read(relative: string): Promise<string | undefined> {
    if (!this.#contents.has(relative)) {
      const verified = this.#verified.get(relative);
      let text = verified === undefined ? undefined : this.#knownText?.(relative, verified);
      try {
        if (text === undefined && this.present.has(relative)) text = readText(path.join(this.dir, relative));
      } catch {
        // Gone since the listing: missing.
      }
      this.#contents.set(relative, text);
    }
    return this.#contents.get(relative);
  }

  /** The file's bytes, read now (not kept); undefined when it is not there. */
  async bytes(relative: string): Promise<Buffer | undefined> {
    try {
      return this.present.has(relative) ? readFileSync(path.join(this.dir, relative)) : undefined;
    } catch {
      // Gone since the listing: missing.
      return undefined;
    }
  }

  /** Whether the file holds exactly what was printed: by the recorded hash when verified, else by its text. */
  async holds(printed: ProducedFile & { file: GeneratedFile }): Promise<boolean> {
    const verified = this.#verified.get(printed.path);
    if (verified !== undefined) return verified === printed.hash;
    return (await this.read(printed.path)) === printed.file.content;
  }

  /** The hash of the file's text: recorded when verified, else read and hashed; undefined when missing. */
  async hashOf(relative: string): Promise<string | undefined> {
    const verified = this.#verified.get(relative);
    if (verified !== undefined) return verified;
    const text = await this.read(relative);
    return text === undefined ? undefined : hash(text);
  }
}

/** One file this run produces: printed now (`file`), or remembered unchanged from the last run. */
export interface ProducedFile {
  path: string;
  hash: string;
  file?: GeneratedFile;
}

/** Files whose hash an emitter knows (and the bytes it assembled them from): hashed, and written, without their text. */
const knownFiles = new WeakMap<GeneratedFile, { hash: string; pieces?: () => readonly Buffer[] }>();

/**
 * A file assembled from pieces of bytes (openapi.json, the area modules), known by `digest`, a hash
 * of what they are (emit/sections.ts): the run hashes and writes it without its text, which is
 * joined only when read (a comparison with a file not as the last run left it, `--check`). Within
 * one version of the generator, one such hash names one text. The pieces may be given by a
 * function, called only when the file is written or read: an unchanged file is neither.
 */
export function assembledFile(file: Omit<GeneratedFile, "content">, pieces: readonly Buffer[] | (() => readonly Buffer[]), digest: string): GeneratedFile {
  let known: readonly Buffer[] | undefined;
  const bytes = () => (known ??= typeof pieces === "function" ? pieces() : pieces);
  let text: string | undefined;
  const assembled: GeneratedFile = {
    ...file,
    get content() {
      return (text ??= Buffer.concat(bytes()).toString("utf8"));
    },
  };
  knownFiles.set(assembled, { hash: digest, pieces: bytes });
  return assembled;
}

/** A file whose `hash()` its emitter took already (surface.json): not hashed again. */
export function hashedFile(file: GeneratedFile, digest: string): GeneratedFile {
  knownFiles.set(file, { hash: digest });
  return file;
}

/** A file printed in this run, as produced. */
export function producedFile(file: GeneratedFile): ProducedFile {
  return { path: file.path, hash: knownFiles.get(file)?.hash ?? hash(file.content), file };
}

/** What a run changed, or in check mode would change. */
export interface OutputChanges {
  /** Files whose content differs (or that are new). */
  changed: string[];
  /** Files no spec produces any more. */
  removed: string[];
  unchanged: number;
}

/** Compares the files produced with what is in the output folder. */
export async function diffOutput(produced: readonly ProducedFile[], folder: OutputFolder): Promise<OutputChanges> {
  const wanted = new Set(produced.map((f) => f.path));
  // A file remembered unchanged is on disk as the last run left it (verified by stat).
  const same = await Promise.all(produced.map((f) => (f.file ? folder.holds({ ...f, file: f.file }) : true)));
  const changed = produced.filter((_, index) => !same[index]).map((f) => f.path).sort();
  const removed = [...folder.present].filter((p) => !wanted.has(p)).sort();
  return { changed, removed, unchanged: produced.length - changed.length };
}

/**
 * Writes only what changed and deletes what is no longer produced. Each file is written to a
 * temporary name and renamed over the old one, so a reader never sees half a file. A large file's
 * old version is moved aside (see `replaceMovingAside`) and deleted before this returns, or, given
 * `later`, by the work handed to it (a watching process deletes it after its report: ~2 ms for
 * openapi.json's 11 MB, synthetic).
 */
export async function applyOutput(outDir: string, produced: readonly ProducedFile[], changes: OutputChanges, later?: (work: () => void) => void): Promise<void> {
  const asides: string[] = [];
  const byPath = new Map(produced.map((f) => [f.path, f.file]));
  // One after the other, synchronously: for hundreds of small files, faster than in parallel.
  for (const relative of changes.changed) {
    const target = path.join(outDir, relative);
    const temporary = `${target}.${process.pid}.tmp`;
    const file = byPath.get(relative)!;
    const pieces = knownFiles.get(file)?.pieces?.();
    const write = (): number => {
      if (pieces) return writePieces(temporary, pieces);
      writeFileSync(temporary, file.content);
      return file.content.length;
    };
    let length: number;
    try {
      length = write();
    } catch (error) {
      // Its folder is made when it is not there: most files replace one in a folder that is.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      mkdirSync(path.dirname(target), { recursive: true });
      length = write();
    }
    if (length >= MOVE_ASIDE_LENGTH) {
      const aside = replaceMovingAside(temporary, target);
      if (aside) asides.push(aside);
    } else {
      renameSync(temporary, target);
    }
  }
  const removeAsides = () => {
    for (const aside of asides) rmSync(aside, { force: true });
  };
  if (later && asides.length > 0) later(removeAsides);
  else removeAsides();
  await Promise.all(changes.removed.map((relative) => rm(path.join(outDir, relative), { force: true })));
  // Only a file deleted can leave a folder empty.
  if (changes.removed.length > 0) await removeEmptyFolders(outDir);
}

/** Writes a file from pieces of bytes, in one `writev` (the system may take fewer bytes a call); returns its length. */
function writePieces(file: string, pieces: readonly Buffer[]): number {
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const fd = openSync(file, "w");
  try {
    const written = writevSync(fd, pieces as Buffer[]);
    if (written < length) {
      const rest = Buffer.concat(pieces as Buffer[]).subarray(written);
      for (let at = 0; at < rest.length; ) at += writeSync(fd, rest, at);
    }
  } finally {
    closeSync(fd);
  }
  return length;
}

/**
 * From this length on, a file replaced is first moved aside, then deleted: renamed over directly,
 * ext4 writes the new file's data out at once (its `auto_da_alloc` guard for files replaced by a
 * rename), ~5 ms for openapi.json's 6 MB, where moved aside it is written out later, as any file.
 */
const MOVE_ASIDE_LENGTH = 256 * 1024;

/**
 * Renames `temporary` to `target` once the old `target` is moved aside; returns where the old one
 * is now, for its caller to delete (undefined when there was none). A reader sees the old file
 * whole, then for a moment none, then the new one whole, never half a file; a run stopped in that
 * moment leaves no `target`, which the next run writes, and the old one under a name no run
 * produces, which the next run deletes.
 */
function replaceMovingAside(temporary: string, target: string): string | undefined {
  const aside = `${target}.${process.pid}.old`;
  let movedAside = true;
  try {
    renameSync(target, aside);
  } catch {
    // Not there: a new file.
    movedAside = false;
  }
  renameSync(temporary, target);
  return movedAside ? aside : undefined;
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

/**
 * Records every produced file as it now is on disk, for the next run's `OutputFolder.scan`. A file
 * this run neither wrote nor found changed keeps its record, without a `stat`.
 */
export async function recordOutput(outDir: string, produced: readonly ProducedFile[], record: CacheSection<CachedOutput>, folder?: OutputFolder, changes?: OutputChanges): Promise<void> {
  record.retainOnly(produced.map((f) => f.path));
  const written = new Set(changes?.changed);
  for (const f of produced) {
    if (folder?.isVerified(f.path) && !written.has(f.path) && record.get(f.path)?.hash === f.hash) continue;
    try {
      const stats = statSync(path.join(outDir, f.path));
      record.set(f.path, { hash: f.hash, size: stats.size, mtimeMs: stats.mtimeMs });
    } catch {
      record.delete(f.path);
    }
  }
}

/**
 * A file's text. Bytes all ASCII (every generated file, but for what a spec writes in other
 * characters) are taken one for one, twice as fast as decoding UTF-8: ~6 ms for openapi.json's 6 MB.
 */
function readText(file: string): string {
  const bytes = readFileSync(file);
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}
