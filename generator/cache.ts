import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { listFiles } from "./files.js";
import { packageVersion, repositoryFile } from "./project.js";

/**
 * The pipeline's one cache, in the cache folder (node_modules/.cache/nexudus-codegen by default):
 * `cache.json`, read by every run, and `pieces.bin`, read only when a spec must be loaded. What a
 * run may skip is remembered by content. `cache.json` has sections:
 *
 * - `entities`: entity name -> the hash of everything its files are printed from, and those files
 *   (pipeline.ts), so an unchanged entity is not printed again;
 * - `outputs`: output path -> the hash, size and mtime of the file the last run left (write.ts), so
 *   the output folder is checked by `stat`, not read;
 * - `memos`: what an emitter keeps for its next run (emit/openapi.ts: where each part of the
 *   openapi.json it wrote sits);
 * - `run`: the inputs' fingerprint and summary of the last run, which a no-op run repeats.
 *
 * `pieces.bin` holds what the stages keep of each spec (see `SpecPieces`), each by the hash of what
 * it is made from: its parsed tree (load.ts), so an unchanged spec is not parsed again, and whether
 * that text passed the checks of one spec alone; its outline (validate.ts), which stands in for the
 * tree in the checks across specs; and its entity model (model.ts). So a spec that did not change
 * is neither parsed, nor restored, nor checked whole, nor built again.
 *
 * The whole cache belongs to one version of the generator (its code, the templates' format of
 * record, prettier and ts-morph): any other version starts empty. Every section is swept on save
 * to what this run used, so the file holds the current project and nothing else; a cache that
 * does not parse is ignored (and replaced). `--check` uses none.
 */

/**
 * A spec's parsed tree as stored, compactly: the tree of load.ts
 * without the file shown in messages, each node an array. A scalar is `[line, column, value]`; a
 * sequence `[line, column, 0, items]`; a map `[line, column, 1, entries]`, each entry
 * `[keyLine, keyColumn, key, value]`, plus the key's own value when it is not the key text (`1:`).
 */
export type StoredNode =
  | [line: number, column: number, value: string | number | boolean | null]
  | [line: number, column: number, kind: 0, items: StoredNode[]]
  | [line: number, column: number, kind: 1, entries: StoredEntry[]];

export type StoredEntry = [line: number, column: number, key: string, value: StoredNode] | [line: number, column: number, key: string, value: StoredNode, keyValue: string | number | boolean | null];

export interface CachedSpec {
  hash: string;
  tree: StoredNode;
  /** The checks of one spec alone (validate.ts) found nothing in this text. */
  checked?: true;
}

/** Files printed from something remembered by its hash: an entity, or an emitter's view. */
export interface CachedPrint {
  /** Hash of everything the files are printed from. */
  key: string;
  /** The output files printed from it. */
  files: string[];
}

export interface CachedOutput {
  /** `hash()` of the content. */
  hash: string;
  size: number;
  mtimeMs: number;
}

export interface CachedRun<Summary> {
  /** Hash of every input of the run and the output folder's path. */
  fingerprint: string;
  /** Hash of the templates folder (part of every entity's key). */
  templates: string;
  /** Spec and template file -> [size, mtime] when the fingerprint was taken: unchanged, they are not read again. */
  inputs: Record<string, [number, number]>;
  summary: Summary;
}

interface CacheFile {
  version: string;
  entities: Record<string, CachedPrint>;
  outputs: Record<string, CachedOutput>;
  memos: Record<string, unknown>;
  run?: CachedRun<unknown>;
}

/** The files in the cache folder: `cache.json`, read by every run; `pieces.bin`, read only when a spec is loaded. */
export const CACHE_FILE = "cache.json";
export const PIECES_CACHE_FILE = "pieces.bin";

/** Digests of short texts: a watching process hashes the same keys (an enum, an entity's key) on every run. */
const shortDigests = new Map<string, string>();
/** Texts up to this length are remembered; at most this many, then forgotten all at once. */
const SHORT_TEXT = 4096;
const SHORT_DIGESTS = 50_000;

/** 16 hex digits of sha256: what the cache, the surface manifest and the output check compare. */
export function hash(text: string | Buffer): string {
  if (typeof text !== "string" || text.length > SHORT_TEXT) return createHash("sha256").update(text).digest("hex").slice(0, 16);
  let digest = shortDigests.get(text);
  if (digest === undefined) {
    if (shortDigests.size >= SHORT_DIGESTS) shortDigests.clear();
    shortDigests.set(text, (digest = createHash("sha256").update(text).digest("hex").slice(0, 16)));
  }
  return digest;
}

/** One section: entries read from the last run; what this run gets or sets is what is saved. */
export class CacheSection<T> {
  #previous: Readonly<Record<string, T>>;
  readonly #kept = new Map<string, T>();
  /** Whether this run set or deleted an entry. */
  #changed = false;

  constructor(previous: Readonly<Record<string, T>>) {
    this.#previous = previous;
  }

  /** The entry the last run left, or one set in this run; either way it is kept. */
  get(key: string): T | undefined {
    const value = this.#kept.get(key) ?? (Object.hasOwn(this.#previous, key) ? this.#previous[key] : undefined);
    if (value !== undefined) this.#kept.set(key, value);
    return value;
  }

  set(key: string, value: T): void {
    this.#changed = true;
    this.#kept.set(key, value);
  }

  delete(key: string): void {
    this.#changed = true;
    this.#kept.delete(key);
  }

  /** Whether what would be saved is what the last run left: nothing set, nothing swept. */
  isUnchanged(): boolean {
    return !this.#changed && this.#kept.size === Object.keys(this.#previous).length;
  }

  /** What was saved becomes the last run's entries: a process that runs again starts from them. */
  commit(): void {
    this.#previous = this.toJSON();
    this.startRun();
  }

  /** Forgets what a run got or set without saving (a run that failed): the next starts from the last saved. */
  startRun(): void {
    this.#kept.clear();
    this.#changed = false;
  }

  /** Drops every entry but those of `keys`. */
  retainOnly(keys: Iterable<string>): void {
    const wanted = new Set(keys);
    for (const key of [...this.#kept.keys()]) if (!wanted.has(key)) this.#kept.delete(key);
  }

  /** The keys the last run left. */
  previousKeys(): string[] {
    return Object.keys(this.#previous);
  }

  /** What is saved: this run's entries, in key order so that the file is deterministic. */
  toJSON(): Record<string, T> {
    return Object.fromEntries([...this.#kept].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** One piece: its key, and its value once read or set; `stored` is the group it was read from. */
interface Piece {
  key: string;
  value?: unknown;
  stored?: StoredGroup;
}

/** A group of pieces as stored: deflated JSON `{ slot: [key, value] }`, parsed on first use (null when it does not read). */
interface StoredGroup {
  bytes: Buffer;
  slots: readonly string[];
  parsed?: Record<string, [string, unknown]> | null;
}

/** How many groups each kind of piece is spread over: few to inflate, small to deflate again. */
const GROUPS_PER_KIND = 64;

/** The group a slot is stored in: its kind and a hash of the rest, `model:7` for `model:billing/invoices.yaml`. */
function groupOf(slot: string): string {
  const kind = slot.indexOf(":");
  // FNV-1a: the same slot always lands in the same group.
  let h = 0x811c9dc5;
  for (let i = kind + 1; i < slot.length; i++) h = Math.imul(h ^ slot.charCodeAt(i), 0x01000193);
  return `${slot.slice(0, kind)}:${(h >>> 0) % GROUPS_PER_KIND}`;
}

/**
 * Pieces of JSON by slot (`tree:<spec>`, `outline:<spec>`, `model:<spec>`, `template:<name>`...),
 * each remembered with the hash of what it was made from. Stored in `pieces.bin`: an index (each
 * group's slots and keys), then the groups, each its pieces' JSON deflated together; a group is
 * one kind of piece, one sixteenth of the specs (`model:7`). A run inflates only the groups it
 * reads from, and deflates again only the groups whose pieces changed: the others' bytes are
 * copied as they were. Grouping, not one stream per piece: inflating 205 models one by one costs
 * three times as much; one stream for all would be deflated again after every change. The real specs' trees, outlines and entity models take 1.2 MB (the models alone are
 * 3.6 MB of JSON). A file that does not read, or a group that does not inflate, is not
 * remembered. What a run neither gets, keeps nor sets is swept. A piece read once is not read
 * again by a later run of the process.
 */
export class SpecPieces {
  #previous = new Map<string, Piece>();
  #groups = new Map<string, StoredGroup>();
  readonly #kept = new Map<string, Piece>();
  /** Groups that had a piece set or deleted in this run. */
  readonly #dirty = new Set<string>();
  /** The groups the last `toBuffer` wrote, which `commit` makes the last run's. */
  #written: Map<string, StoredGroup> | undefined;

  /** The file's pieces when it is of this generator's version; none when missing, damaged or another version's. */
  static read(file: string, version: string): SpecPieces {
    const pieces = new SpecPieces();
    try {
      const data = readFileSync(file);
      const headerLength = data.readUInt32LE(0);
      const header = JSON.parse(data.subarray(4, 4 + headerLength).toString("utf8")) as { version?: unknown; groups?: [string, number, Record<string, string>][] };
      if (header.version !== version || !Array.isArray(header.groups)) return pieces;
      let offset = 4 + headerLength;
      for (const [group, length, keys] of header.groups) {
        if (offset + length > data.length) return new SpecPieces();
        const stored: StoredGroup = { bytes: data.subarray(offset, offset + length), slots: Object.keys(keys) };
        pieces.#groups.set(group, stored);
        for (const [slot, key] of Object.entries(keys)) pieces.#previous.set(slot, { key, stored });
        offset += length;
      }
      return pieces;
    } catch {
      // Missing, cut short or not ours: every piece is made again, as in a cold run.
      return new SpecPieces();
    }
  }

  /** The key of the piece in this slot, kept for the next run without being read; undefined when there is none. */
  keep(slot: string): string | undefined {
    const piece = this.#kept.get(slot) ?? this.#previous.get(slot);
    if (piece) this.#kept.set(slot, piece);
    return piece?.key;
  }

  /** The piece remembered in this slot with this key; undefined when none is, or it does not read (then it is dropped). */
  get(slot: string, key: string): unknown {
    const piece = this.#kept.get(slot) ?? this.#previous.get(slot);
    if (piece?.key !== key) return undefined;
    const value = valueOf(slot, piece);
    if (value === undefined) {
      this.delete(slot);
      return undefined;
    }
    this.#kept.set(slot, piece);
    return value;
  }

  /** Remembers a piece; its group is deflated again when saved. */
  set(slot: string, key: string, value: unknown): void {
    this.#dirty.add(groupOf(slot));
    this.#kept.set(slot, { key, value });
  }

  delete(slot: string): void {
    if (this.#kept.delete(slot) || this.#previous.has(slot)) this.#dirty.add(groupOf(slot));
  }

  /** Whether what would be saved is what the last run left. */
  isUnchanged(): boolean {
    return this.#dirty.size === 0 && this.#kept.size === this.#previous.size;
  }

  /** The slots the last run left. */
  slots(): string[] {
    return [...this.#previous.keys()];
  }

  /** The file's bytes: the index (group, length, slot -> key), then the groups in that order. */
  toBuffer(version: string): Buffer {
    const bySlot = [...this.#kept].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const groups = new Map<string, [string, Piece][]>();
    for (const entry of bySlot) {
      const group = groupOf(entry[0]);
      groups.set(group, [...(groups.get(group) ?? []), entry]);
    }
    this.#written = new Map();
    const index: [string, number, Record<string, string>][] = [];
    for (const [group, entries] of groups) {
      const before = this.#groups.get(group);
      const same = !this.#dirty.has(group) && before !== undefined && before.slots.length === entries.length && entries.every(([, piece]) => piece.stored === before);
      let stored = before!;
      if (!same) {
        const content: Record<string, [string, unknown]> = {};
        for (const [slot, piece] of entries) {
          const value = valueOf(slot, piece);
          if (value !== undefined) content[slot] = [piece.key, value];
        }
        stored = { bytes: deflateRawSync(JSON.stringify(content), { level: 1 }), slots: Object.keys(content), parsed: content };
      }
      this.#written.set(group, stored);
      index.push([group, stored.bytes.length, Object.fromEntries(stored.slots.map((slot) => [slot, this.#kept.get(slot)!.key]))]);
    }
    const header = Buffer.from(JSON.stringify({ version, groups: index }));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length, 0);
    return Buffer.concat([length, header, ...[...this.#written.values()].map((stored) => stored.bytes)]);
  }

  /** What was saved becomes the last run's pieces, for a next run in the same process. */
  commit(): void {
    if (this.#written) {
      this.#groups = this.#written;
      this.#previous = new Map();
      for (const stored of this.#groups.values()) {
        for (const slot of stored.slots) this.#previous.set(slot, { ...this.#kept.get(slot)!, stored });
      }
      this.#written = undefined;
    } else {
      this.#previous = new Map(this.#kept);
    }
    this.startRun();
  }

  /** Forgets what a run got or set without saving (a run that failed). */
  startRun(): void {
    this.#kept.clear();
    this.#dirty.clear();
  }
}

/** A piece's value: set or read before, or read from its group now; undefined when it does not read. */
function valueOf(slot: string, piece: Piece): unknown {
  if (piece.value !== undefined || !piece.stored) return piece.value;
  const stored = piece.stored;
  if (stored.parsed === undefined) {
    try {
      stored.parsed = JSON.parse(inflateRawSync(stored.bytes).toString("utf8")) as Record<string, [string, unknown]>;
    } catch {
      stored.parsed = null;
    }
  }
  const found = stored.parsed && Object.hasOwn(stored.parsed, slot) ? stored.parsed[slot] : undefined;
  if (found?.[0] !== piece.key) return undefined;
  piece.value = found[1];
  return piece.value;
}

/** What load.ts needs of the cache: the tree remembered for each spec. */
export interface SpecTrees {
  get(name: string): CachedSpec | undefined;
  set(name: string, spec: CachedSpec): void;
  delete(name: string): void;
}

/**
 * The spec trees as pieces: `tree:<spec>` by the hash of its text, and `checked:<spec>` when that
 * text passed the checks of one spec alone. A tree is inflated only when its spec is restored.
 */
function specTrees(pieces: SpecPieces): SpecTrees & { check(name: string, textHash: string): void } {
  return {
    get(name) {
      const textHash = pieces.keep(`tree:${name}`);
      if (textHash === undefined) return undefined;
      const checked = pieces.keep(`checked:${name}`) === textHash;
      return {
        hash: textHash,
        /** Undefined when the piece does not read after all: load.ts parses the text again. */
        get tree() {
          return pieces.get(`tree:${name}`, textHash) as StoredNode;
        },
        ...(checked ? { checked: true as const } : {}),
      };
    },
    set(name, { hash: textHash, tree, checked }) {
      pieces.set(`tree:${name}`, textHash, tree);
      if (checked) pieces.set(`checked:${name}`, textHash, true);
      else pieces.delete(`checked:${name}`);
    },
    delete(name) {
      pieces.delete(`tree:${name}`);
      pieces.delete(`checked:${name}`);
    },
    check(name, textHash) {
      if (pieces.keep(`checked:${name}`) !== textHash) pieces.set(`checked:${name}`, textHash, true);
    },
  };
}

export class Cache {
  readonly entities: CacheSection<CachedPrint>;
  readonly outputs: CacheSection<CachedOutput>;
  readonly memos: CacheSection<unknown>;
  /** The last run's fingerprint and summary; set by the pipeline for the next run. */
  run: CachedRun<unknown> | undefined;
  readonly #file: string | undefined;
  readonly #version: string;

  #pieces: SpecPieces | undefined;

  private constructor(file: string | undefined, version: string, stored: Partial<CacheFile>) {
    this.#file = file;
    this.#version = version;
    this.entities = new CacheSection(stored.entities ?? {});
    this.outputs = new CacheSection(stored.outputs ?? {});
    this.memos = new CacheSection(stored.memos ?? {});
    this.run = stored.run;
  }

  /** The cache in `dir`, or an empty one that saves nothing when `dir` is undefined. */
  static async open(dir: string | undefined): Promise<Cache> {
    const version = await codeFingerprint();
    if (!dir) return new Cache(undefined, version, {});
    const file = path.join(dir, CACHE_FILE);
    return new Cache(file, version, await readVersioned<CacheFile>(file, version));
  }

  /** The parsed spec trees (pieces `tree:`), for the load stage. */
  specTrees(): SpecTrees & { check(name: string, textHash: string): void } {
    return specTrees(this.pieces());
  }

  /** What earlier runs kept of each spec (outlines, entity models), read on first use. */
  pieces(): SpecPieces {
    this.#pieces ??= this.#file ? SpecPieces.read(this.#piecesFile(), this.#version) : new SpecPieces();
    return this.#pieces;
  }

  #piecesFile(): string {
    return path.join(path.dirname(this.#file!), PIECES_CACHE_FILE);
  }

  /** Whether results are remembered at all (not in `--check`). */
  get enabled(): boolean {
    return this.#file !== undefined;
  }

  /** The sections this object holds, the spec trees once read. */
  #sections(): CacheSection<unknown>[] {
    return [this.entities, this.outputs, this.memos];
  }

  /** A new run in the same process (session.ts): it starts from what the last run saved. */
  startRun(): void {
    for (const section of this.#sections()) section.startRun();
    this.#pieces?.startRun();
  }

  /**
   * Writes what this run used, atomically: a run stopped halfway leaves the last cache whole. The
   * spec trees (most of the cache) are written only when a spec changed. What was saved is then
   * the last run's, for a next run in the same process.
   */
  async save(): Promise<void> {
    if (!this.#file) return;
    if (this.#pieces && !this.#pieces.isUnchanged()) await writeAtomically(this.#piecesFile(), this.#pieces.toBuffer(this.#version));
    const data: CacheFile = {
      version: this.#version,
      entities: this.entities.toJSON(),
      outputs: this.outputs.toJSON(),
      memos: this.memos.toJSON(),
      ...(this.run ? { run: this.run } : {}),
    };
    await writeAtomically(this.#file, JSON.stringify(data));
    for (const section of this.#sections()) section.commit();
    this.#pieces?.commit();
  }
}

/** A cache file's content when it is of this generator's version; empty when missing, cut short, not JSON or another version's. */
async function readVersioned<T extends object>(file: string, version: string): Promise<Partial<T>> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as { version?: unknown } | null;
    if (parsed && typeof parsed === "object" && parsed.version === version) return parsed as Partial<T>;
  } catch {
    // Missing, cut short or not JSON: start empty, as a cold run.
  }
  return {};
}

/** Written to a temporary file and renamed over the old one: a run stopped halfway leaves the old file whole. */
async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

/** This module's file: in the source tree, generator/cache.ts; in the bundled CLI, the bundle. */
const THIS_FILE = fileURLToPath(import.meta.url);

let codeHash: Promise<string> | undefined;

/**
 * A hash of the generator's own code, of the format of record, and of the versions of prettier and
 * ts-morph: whatever decides output bytes besides the specs and templates.
 */
export function codeFingerprint(): Promise<string> {
  codeHash ??= (async () => {
    const digest = createHash("sha256");
    digest.update(`prettier ${packageVersion("prettier")}\0ts-morph ${packageVersion("ts-morph")}\0`);
    // The format of record decides every output byte (format.ts finds it at the repository root).
    digest.update(readFileSync(repositoryFile(".prettierrc.json")));
    // The generator's sources when running from them; a bundled generator is its own single file,
    // which the launcher names by a hash of the sources it bundled (launch.mjs): the name stands
    // for the 1.5 MB it would take reading and hashing on every run.
    const bundle = /^cli-[0-9a-f]{16}\.cjs$/.exec(path.basename(THIS_FILE));
    if (path.basename(THIS_FILE) === "cache.ts") {
      for (const [name, text] of await readFolder(path.dirname(THIS_FILE), /\.(ts|json)$/)) digest.update(`${name}\0`).update(text).update("\0");
    } else if (bundle) {
      digest.update(bundle[0]);
    } else {
      digest.update(await readFile(THIS_FILE));
    }
    return digest.digest("hex").slice(0, 16);
  })();
  return codeHash;
}

/** Every file under `dir` whose name matches, as [relative path, content], in path order. */
export async function readFolder(dir: string, only?: RegExp): Promise<[string, Buffer][]> {
  const names = (await listFiles(dir)).filter((name) => !only || only.test(name));
  // One after the other: for many small files, faster than in parallel.
  return names.map((name) => [name, readFileSync(path.join(dir, name))] as [string, Buffer]);
}

/** Every file under `dir` as [relative path, [size, mtime]], in path order: what a run checks its inputs by. */
export async function statFolder(dir: string): Promise<[string, [number, number]][]> {
  const found: [string, [number, number]][] = [];
  for (const name of await listFiles(dir)) {
    try {
      const stats = statSync(path.join(dir, name));
      found.push([name, [stats.size, stats.mtimeMs]]);
    } catch {
      // Gone since the listing: the run that reads it will say so.
    }
  }
  return found;
}
