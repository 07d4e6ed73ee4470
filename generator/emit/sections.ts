import { createHash } from "node:crypto";
import type { Session } from "../session.js";
import type { CacheSection } from "../cache.js";
import { assembledFile, type OutputFolder } from "../write.js";
import type { GeneratedFile } from "./generated-file.js";

/**
 * A file printed in sections, each from a value of its own and known by a key (an entity's hash, or the hash of the
 * value printed): with the same key, a section prints the same bytes. A run takes an unchanged section's bytes as they
 * are, from the last print of this process (a session) or from the file the last run wrote (where the memo says
 * it sits), and prints only the others. The file is known by a hash of what it is assembled from, so its text is
 * neither joined nor hashed to be compared and written.
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
export interface SectionsMemo {
  /** The file's identity (its hash in the output record). */
  file: string;
  /** Section name -> its key and its bytes' start and end. */
  sections: Record<string, [key: string, start: number, end: number]>;
}

/** A file being printed in sections: the text between sections, and the sections, in order. */
export class SectionPrinter {
  readonly pieces: Buffer[] = [];
  readonly sections = new Map<string, Section>();
  readonly memo: SectionsMemo["sections"] = {};
  #length = 0;
  readonly #identity = createHash("sha256");
  readonly #old: ((name: string, key: string) => Buffer | undefined) | undefined;

  /** `old` gives the bytes an unchanged section had (see `oldSections`). */
  constructor(old?: (name: string, key: string) => Buffer | undefined) {
    this.#old = old;
  }

  #push(bytes: Buffer): void {
    this.pieces.push(bytes);
    this.#length += bytes.length;
  }

  /** Text between sections: printed every time, and section of the file's identity. */
  between(text: string): void {
    if (text === "") return;
    this.#push(Buffer.from(text));
    this.#identity.update(`\0${text}\0`);
  }

  /** A section by name: its old bytes when its key is the one they were printed from, else `print()`. */
  section(name: string, key: string, print: () => string): void {
    const bytes = this.#old?.(name, key) ?? Buffer.from(print());
    this.sections.set(name, { key, bytes });
    this.memo[name] = [key, this.#length, this.#length + bytes.length];
    this.#push(bytes);
    this.#identity.update(`${name}\0${key}\0`);
  }

  /** A hash of what the file is assembled from (each section's name and key, the text between), which names its bytes. */
  identity(): string {
    return this.#identity.digest("hex").slice(0, 16);
  }
}

/** What a session remembers of the files printed in sections, by path. */
const printedBySession = new WeakMap<Session, Map<string, PrintedSections>>();

/**
 * The bytes of each unchanged section of the file at `path`: from the session's last print when the file on disk is
 * that one, else from the file the memo describes; none when neither is the file on disk.
 */
async function oldSections(path: string, folder: OutputFolder, memo: SectionsMemo | undefined, last: PrintedSections | undefined): Promise<((name: string, key: string) => Buffer | undefined) | undefined> {
  const onDisk = last || memo ? await folder.hashOf(path) : undefined;
  if (onDisk === undefined) return undefined;
  if (last?.file === onDisk) return (name, key) => (last.sections.get(name)?.key === key ? last.sections.get(name)!.bytes : undefined);
  if (memo?.file !== onDisk) return undefined;
  const bytes = await folder.bytes(path);
  if (bytes === undefined) return undefined;
  return (name, key) => {
    const [was, start, end] = memo.sections[name] ?? [];
    return was === key && end! <= bytes.length ? bytes.subarray(start, end) : undefined;
  };
}

/** Where a file printed in sections finds its last print: the output folder, the cache's memos, the session. */
export interface SectionsContext {
  folder: OutputFolder;
  memos: CacheSection<unknown>;
  session?: Session;
}

/**
 * Prints the file at `path` in sections (`print` calls the printer's `between` and `section`), taking unchanged sections
 * from its last print, and remembers where each section sits for the next run. The file is final as printed: every
 * section and the text between are in their final form.
 */
export async function printInSections(path: string, file: Omit<GeneratedFile, "path" | "content">, context: SectionsContext, print: (printer: SectionPrinter) => void): Promise<GeneratedFile> {
  const remembered = context.memos.get(path) as SectionsMemo | undefined;
  let memory = context.session && printedBySession.get(context.session);
  if (context.session && !memory) printedBySession.set(context.session, (memory = new Map()));
  const printer = new SectionPrinter(await oldSections(path, context.folder, remembered?.sections ? remembered : undefined, memory?.get(path)));
  print(printer);
  const identity = printer.identity();
  context.memos.set(path, { file: identity, sections: printer.memo } satisfies SectionsMemo);
  memory?.set(path, { file: identity, sections: printer.sections });
  return assembledFile({ path, ...file }, printer.pieces, identity);
}

/** Forgets what the file at `path` was printed from: its next print prints every section (a file prettier formats). */
export function forgetSections(path: string, context: SectionsContext): void {
  context.memos.delete(path);
  if (context.session) printedBySession.get(context.session)?.delete(path);
}
