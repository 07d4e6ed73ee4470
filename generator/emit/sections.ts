import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hash, type CacheSection } from "../cache.js";
import type { Session } from "../session.js";
import { assembledFile, type OutputFolder } from "../write.js";
import type { GeneratedFile } from "./generated-file.js";

/**
 * A file printed in sections, each from a value of its own and known by a key (an entity's hash, or the hash of
 * the value printed): with the same key, a section prints the same bytes. A run prints only the sections whose key
 * changed; it takes the others as they are, from the last print of this process (a session) or from the file the
 * last run wrote, where the memo says they sit, read only if the file is written or read. The file is known by its
 * identity, a hash of its sections' hashes and the text between them: it changes with the file's text and not with
 * the keys, as the output's record and surface.json's file hashes need (a generator change that prints the same
 * bytes, in the same sections, changes none), and it is taken without joining or hashing the whole file. So an
 * unchanged file is neither joined, read, hashed nor written.
 */
export interface Section {
  key: string;
  bytes: Buffer;
  /** The hash of `bytes`. */
  hash: string;
}

/** What a watching process remembers of a file it printed in sections: its identity and every section. */
export interface PrintedSections {
  file: string;
  sections: ReadonlyMap<string, Section>;
}

/** Where each section sits in the file the last run wrote, for the next process to copy from the file. */
interface SectionsMemo {
  /** The file's identity (its hash in the output record). */
  file: string;
  /** Section name -> its key, its bytes' start and end, and their hash. */
  sections: Record<string, [key: string, start: number, end: number, hash: string]>;
}

/** Where a file's unchanged sections come from: what a session kept, or their place in the file on disk. */
interface LastPrint {
  /** The section, when `key` is the one it was printed from. */
  section?(name: string, key: string): Section | undefined;
  /** The section's start, end and hash in the file on disk, when `key` is the one it was printed from. */
  place?(name: string, key: string): readonly [start: number, end: number, hash: string] | undefined;
  /** The file on disk, read when a placed section is needed; undefined when it is gone. */
  read?(): Buffer | undefined;
}

/** A section or text between: bytes printed (or kept), or the place of unchanged bytes in the last file with how to print them; and their hash. */
type Entry = ({ bytes: Buffer } | { place: readonly [number, number]; print: () => string | Buffer }) & { hash: string };

const bytesOf = (printed: string | Buffer): Buffer => (typeof printed === "string" ? Buffer.from(printed) : printed);

/** A file being printed in sections: the text between them, and the sections, in order. */
export class SectionPrinter {
  readonly memo: SectionsMemo["sections"] = {};
  readonly #entries: Entry[] = [];
  readonly #keys = new Map<number, [name: string, key: string]>();
  #length = 0;
  readonly #identity = createHash("sha256");
  readonly #last: LastPrint;
  #pieces: Buffer[] | undefined;

  constructor(last: LastPrint = {}) {
    this.#last = last;
  }

  /** Text between sections: printed every time, and part of the file's identity as it is. */
  between(text: string): void {
    if (text === "") return;
    const bytes = Buffer.from(text);
    this.#entries.push({ bytes, hash: "" });
    this.#length += bytes.length;
    this.#identity.update(`\0t${text}\0`);
  }

  /**
   * A section by name: unchanged when `key` is the one its last bytes were printed from, else `print()` (a text, or
   * its bytes). `printedHash`, when the caller knows it, is the hash of what `print()` gives: it is not hashed again.
   */
  section(name: string, key: string, print: () => string | Buffer, printedHash?: string): void {
    const kept = this.#last.section?.(name, key);
    const place = kept ? undefined : this.#last.place?.(name, key);
    let entry: Entry;
    if (kept) entry = { bytes: kept.bytes, hash: kept.hash };
    else if (place) entry = { place: [place[0], place[1]], print, hash: place[2] };
    else {
      const printed = print();
      entry = { bytes: bytesOf(printed), hash: printedHash ?? hash(printed) };
    }
    const length = "bytes" in entry ? entry.bytes.length : entry.place[1] - entry.place[0];
    this.#keys.set(this.#entries.length, [name, key]);
    this.#entries.push(entry);
    this.memo[name] = [key, this.#length, this.#length + length, entry.hash];
    this.#length += length;
    this.#identity.update(`\0s${entry.hash}\0`);
  }

  /** A hash of the sections' hashes and the text between them, in order, which names the file's bytes. */
  identity(): string {
    return this.#identity.copy().digest("hex").slice(0, 16);
  }

  /** The file's bytes in order: unchanged sections are read from the last file now (printed again if it is gone). */
  pieces(): readonly Buffer[] {
    if (!this.#pieces) {
      let file: Buffer | undefined;
      let read = false;
      const bytesAt = (place: readonly [number, number]) => {
        if (!read) [file, read] = [this.#last.read?.(), true];
        return file && place[1] <= file.length ? file.subarray(place[0], place[1]) : undefined;
      };
      this.#pieces = this.#entries.map((entry) => ("bytes" in entry ? entry.bytes : (bytesAt(entry.place) ?? bytesOf(entry.print()))));
    }
    return this.#pieces;
  }

  /** Every section, for a session to take unchanged sections from. */
  sections(): ReadonlyMap<string, Section> {
    const pieces = this.pieces();
    return new Map([...this.#keys].map(([index, [name, key]]) => [name, { key, bytes: pieces[index]!, hash: this.#entries[index]!.hash }]));
  }
}

/**
 * Where the unchanged sections of the file at `path` come from: the session's last print when the file on disk is
 * that one, else the file the memo describes; nowhere when neither is the file on disk.
 */
async function lastPrint(path: string, folder: OutputFolder, memo: SectionsMemo | undefined, printed: PrintedSections | undefined): Promise<LastPrint> {
  const onDisk = printed || memo ? await folder.hashOf(path) : undefined;
  if (onDisk === undefined) return {};
  if (printed?.file === onDisk) return { section: (name, key) => (printed.sections.get(name)?.key === key ? printed.sections.get(name) : undefined) };
  if (memo?.file !== onDisk) return {};
  return {
    place: (name, key) => {
      const [was, start, end, hash] = memo.sections[name] ?? [];
      return was === key ? [start!, end!, hash!] : undefined;
    },
    read: () => {
      // A file that is no longer there is printed again whole, section by section.
      try {
        return readFileSync(join(folder.dir, path));
      } catch {
        return undefined;
      }
    },
  };
}

/** Where a file printed in sections finds its last print: the output folder, the cache's memos, the session. */
export interface SectionsContext {
  folder: OutputFolder;
  memos: CacheSection<unknown>;
  session?: Session;
}

/**
 * Prints the file at `path` in sections (`print` calls the printer's `between` and `section`), taking unchanged
 * sections from its last print, and remembers where each sits for the next run. The file is final as printed: every
 * section and the text between are in their final form.
 */
export async function printInSections(path: string, file: Omit<GeneratedFile, "path" | "content">, context: SectionsContext, print: (printer: SectionPrinter) => void): Promise<GeneratedFile> {
  const remembered = context.memos.get(path) as SectionsMemo | undefined;
  const memory = context.session?.sections;
  const printer = new SectionPrinter(await lastPrint(path, context.folder, remembered?.sections ? remembered : undefined, memory?.get(path)));
  print(printer);
  const identity = printer.identity();
  context.memos.set(path, { file: identity, sections: printer.memo } satisfies SectionsMemo);
  // A session keeps the bytes for its next run; a single run reads the last file only if it writes or reads this one.
  memory?.set(path, { file: identity, sections: printer.sections() });
  return assembledFile({ path, ...file }, () => printer.pieces(), identity);
}

/** Forgets what the file at `path` was printed from: its next print prints every section (a file prettier formats). */
export function forgetSections(path: string, context: SectionsContext): void {
  context.memos.delete(path);
  context.session?.sections.delete(path);
}
