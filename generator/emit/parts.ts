import { createHash } from "node:crypto";
import type { Session } from "../session.js";
import type { CacheSection } from "../cache.js";
import { assembledFile, type OutputFolder } from "../write.js";
import type { GeneratedFile } from "./generated-file.js";

/**
 * A file printed in parts, each from a value of its own and known by a key (an entity's hash, or the hash of the
 * value printed): with the same key, a part prints the same bytes. A run takes an unchanged part's bytes as they
 * are, from the last print of this process (a session) or from the file the last run wrote (where the memo says
 * it sits), and prints only the others. The file is known by a hash of what it is assembled from, so its text is
 * neither joined nor hashed to be compared and written.
 */
export interface Part {
  key: string;
  bytes: Buffer;
}

/** What a watching process remembers of a file it printed in parts: its identity and every part's bytes. */
export interface PrintedParts {
  file: string;
  parts: ReadonlyMap<string, Part>;
}

/** Where each part sits in the file the last run wrote, for the next process to copy from the file. */
export interface PartsMemo {
  /** The file's identity (its hash in the output record). */
  file: string;
  /** Part name -> its key and its bytes' start and end. */
  parts: Record<string, [key: string, start: number, end: number]>;
}

/** A file being printed in parts: the text between parts, and the parts, in order. */
export class PartsPrinter {
  readonly pieces: Buffer[] = [];
  readonly parts = new Map<string, Part>();
  readonly memo: PartsMemo["parts"] = {};
  #length = 0;
  readonly #identity = createHash("sha256");
  readonly #old: ((name: string, key: string) => Buffer | undefined) | undefined;

  /** `old` gives the bytes an unchanged part had (see `oldParts`). */
  constructor(old?: (name: string, key: string) => Buffer | undefined) {
    this.#old = old;
  }

  #push(bytes: Buffer): void {
    this.pieces.push(bytes);
    this.#length += bytes.length;
  }

  /** Text between parts: printed every time, and part of the file's identity. */
  between(text: string): void {
    if (text === "") return;
    this.#push(Buffer.from(text));
    this.#identity.update(`\0${text}\0`);
  }

  /** A part by name: its old bytes when its key is the one they were printed from, else `print()`. */
  part(name: string, key: string, print: () => string): void {
    const bytes = this.#old?.(name, key) ?? Buffer.from(print());
    this.parts.set(name, { key, bytes });
    this.memo[name] = [key, this.#length, this.#length + bytes.length];
    this.#push(bytes);
    this.#identity.update(`${name}\0${key}\0`);
  }

  /** A hash of what the file is assembled from (each part's name and key, the text between), which names its bytes. */
  identity(): string {
    return this.#identity.digest("hex").slice(0, 16);
  }
}

/** What a session remembers of the files printed in parts, by path. */
const printedBySession = new WeakMap<Session, Map<string, PrintedParts>>();

/**
 * The bytes of each unchanged part of the file at `path`: from the session's last print when the file on disk is
 * that one, else from the file the memo describes; none when neither is the file on disk.
 */
async function oldParts(path: string, folder: OutputFolder, memo: PartsMemo | undefined, last: PrintedParts | undefined): Promise<((name: string, key: string) => Buffer | undefined) | undefined> {
  const onDisk = last || memo ? await folder.hashOf(path) : undefined;
  if (onDisk === undefined) return undefined;
  if (last?.file === onDisk) return (name, key) => (last.parts.get(name)?.key === key ? last.parts.get(name)!.bytes : undefined);
  if (memo?.file !== onDisk) return undefined;
  const bytes = await folder.bytes(path);
  if (bytes === undefined) return undefined;
  return (name, key) => {
    const [was, start, end] = memo.parts[name] ?? [];
    return was === key && end! <= bytes.length ? bytes.subarray(start, end) : undefined;
  };
}

/** Where a file printed in parts finds its last print: the output folder, the cache's memos, the session. */
export interface PartsContext {
  folder: OutputFolder;
  memos: CacheSection<unknown>;
  session?: Session;
}

/**
 * Prints the file at `path` in parts (`print` calls the printer's `between` and `part`), taking unchanged parts
 * from its last print, and remembers where each part sits for the next run. The file is final as printed: every
 * part and the text between are in their final form.
 */
export async function printInParts(path: string, file: Omit<GeneratedFile, "path" | "content">, context: PartsContext, print: (printer: PartsPrinter) => void): Promise<GeneratedFile> {
  const remembered = context.memos.get(path) as PartsMemo | undefined;
  let memory = context.session && printedBySession.get(context.session);
  if (context.session && !memory) printedBySession.set(context.session, (memory = new Map()));
  const printer = new PartsPrinter(await oldParts(path, context.folder, remembered?.parts ? remembered : undefined, memory?.get(path)));
  print(printer);
  const identity = printer.identity();
  context.memos.set(path, { file: identity, parts: printer.memo } satisfies PartsMemo);
  memory?.set(path, { file: identity, parts: printer.parts });
  return assembledFile({ path, ...file }, printer.pieces, identity);
}

/** Forgets what the file at `path` was printed from: its next print prints every part (a file prettier formats). */
export function forgetParts(path: string, context: PartsContext): void {
  context.memos.delete(path);
  if (context.session) printedBySession.get(context.session)?.delete(path);
}
