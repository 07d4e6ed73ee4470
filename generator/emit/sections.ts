import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CacheSection } from "../cache.js";
import type { Session } from "../session.js";
import { assembledFile, type OutputFolder } from "../write.js";
import type { GeneratedFile } from "./generated-file.js";

/**
 * A file printed in sections, each from a value of its own and known by a key (an entity's hash, or the hash of
 * the value printed): with the same key, a section prints the same bytes. A run prints only the sections whose key
 * changed; it takes the others as they are, from the last print of this process (a session) or from the file the
 * last run wrote, where the memo says they sit, read only if the file is written or read. The file is known by a
 * hash of what it is assembled from, so an unchanged file is neither joined, read, hashed nor written.
 */
export interface Section {
  key: string;
  bytes: Buffer;
}

/** What a watching process remembers of a file it printed in sections: its identity and every section's bytes. */
export interface PrintedSections {
  file: string;
  sections: ReadonlyMap<string, Section>;
}

/** Where each section sits in the file the last run wrote, for the next process to copy from the file. */
interface SectionsMemo {
  /** The file's identity (its hash in the output record). */
  file: string;
  /** Section name -> its key and its bytes' start and end. */
  sections: Record<string, [key: string, start: number, end: number]>;
}

/** Where a file's unchanged sections come from: the bytes a session kept, or their place in the file on disk. */
interface LastPrint {
  /** The section's bytes, when `key` is the one they were printed from. */
  bytes?(name: string, key: string): Buffer | undefined;
  /** The section's start and end in the file on disk, when `key` is the one it was printed from. */
  place?(name: string, key: string): readonly [number, number] | undefined;
  /** The file on disk, read when a placed section is needed; undefined when it is gone. */
  read?(): Buffer | undefined;
}

/** A section: printed (or kept) bytes, or the place of unchanged bytes in the last file, with how to print them. */
type Entry = { bytes: Buffer } | { place: readonly [number, number]; print: () => string | Buffer };

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

  /** Text between sections: printed every time, and part of the file's identity. */
  between(text: string): void {
    if (text === "") return;
    const bytes = Buffer.from(text);
    this.#entries.push({ bytes });
    this.#length += bytes.length;
    this.#identity.update(`\0${text}\0`);
  }

  /** A section by name: unchanged when `key` is the one its last bytes were printed from, else `print()` (a text, or its bytes). */
  section(name: string, key: string, print: () => string | Buffer): void {
    const kept = this.#last.bytes?.(name, key);
    const place = kept ? undefined : this.#last.place?.(name, key);
    const entry: Entry = place ? { place, print } : { bytes: kept ?? bytesOf(print()) };
    const length = "bytes" in entry ? entry.bytes.length : place![1] - place![0];
    this.#keys.set(this.#entries.length, [name, key]);
    this.#entries.push(entry);
    this.memo[name] = [key, this.#length, this.#length + length];
    this.#length += length;
    this.#identity.update(`${name}\0${key}\0`);
  }

  /** A hash of what the file is assembled from (each section's name and key, the text between), which names its bytes. */
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

  /** Every section's key and bytes, for a session to take unchanged sections from. */
  sections(): ReadonlyMap<string, Section> {
    const pieces = this.pieces();
    return new Map([...this.#keys].map(([index, [name, key]]) => [name, { key, bytes: pieces[index]! }]));
  }
}

/**
 * Where the unchanged sections of the file at `path` come from: the session's last print when the file on disk is
 * that one, else the file the memo describes; nowhere when neither is the file on disk.
 */
async function lastPrint(path: string, folder: OutputFolder, memo: SectionsMemo | undefined, printed: PrintedSections | undefined): Promise<LastPrint> {
  const onDisk = printed || memo ? await folder.hashOf(path) : undefined;
  if (onDisk === undefined) return {};
  if (printed?.file === onDisk) return { bytes: (name, key) => (printed.sections.get(name)?.key === key ? printed.sections.get(name)!.bytes : undefined) };
  if (memo?.file !== onDisk) return {};
  return {
    place: (name, key) => {
      const [was, start, end] = memo.sections[name] ?? [];
      return was === key ? [start!, end!] : undefined;
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
