/**
 * A document printer in the Wadler style that prettier itself uses: code is described as text,
 * line breaks that may or may not happen, indentation and groups; a group is printed on one line
 * when what follows it up to the next certain line break fits in the print width, else its lines
 * break. The TypeScript builders (typescript.ts) describe our constructs the way prettier's
 * TypeScript printer does, so the text comes out exactly as prettier would format it, without
 * parsing it again. test/generator/prettier-output.test.ts and print.test.ts hold that to prettier.
 */

/** A document: text, a sequence, or one of the commands below. */
export type Doc = string | readonly Doc[] | Command;

type Command =
  | { readonly kind: "line"; readonly soft: boolean; readonly hard: boolean }
  | { readonly kind: "indent"; readonly contents: Doc }
  | { readonly kind: "group"; readonly contents: Doc; readonly broken: boolean; readonly id?: symbol }
  | { readonly kind: "indentIfBreak"; readonly contents: Doc; readonly groupId: symbol }
  | { readonly kind: "ifBreak"; readonly broken: Doc; readonly flat: Doc }
  | { readonly kind: "unsure"; readonly text: string };

/** A space when its group fits on the line, else a line break. */
export const line: Doc = { kind: "line", soft: false, hard: false };
/** Nothing when its group fits on the line, else a line break. */
export const softline: Doc = { kind: "line", soft: true, hard: false };
/** Always a line break; every group around it breaks. */
export const hardline: Doc = { kind: "line", soft: false, hard: true };

export const indent = (contents: Doc): Doc => ({ kind: "indent", contents });

/**
 * Contents printed flat when they fit in what is left of the line, else with their lines broken.
 * An `id` lets an `indentIfBreak` later in the document follow this group's choice.
 */
export const group = (contents: Doc, id?: symbol): Doc => ({ kind: "group", contents, broken: hasHardline(contents), ...(id ? { id } : {}) });

/** Contents indented when the group `groupId` (printed before them) broke, as they are when it did not. */
export const indentIfBreak = (contents: Doc, groupId: symbol): Doc => ({ kind: "indentIfBreak", contents, groupId });

/** `broken` when the enclosing group breaks, `flat` when it does not (prettier's trailing commas). */
export const ifBreak = (broken: Doc, flat: Doc = ""): Doc => ({ kind: "ifBreak", broken, flat });

/**
 * Text that prettier may lay out in a way the builders do not describe (it might break inside it).
 * Printed as it is; when its line ends up longer than the print width, `print` says the output is
 * not sure to be prettier's.
 */
export const unsure = (text: string): Doc => ({ kind: "unsure", text });

export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const joined: Doc[] = [];
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) joined.push(separator);
    joined.push(docs[i]!);
  }
  return joined;
}

function hasHardline(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (isSequence(doc)) return doc.some(hasHardline);
  switch (doc.kind) {
    case "line":
      return doc.hard;
    case "indent":
    case "indentIfBreak":
      return hasHardline(doc.contents);
    case "group":
      return doc.broken;
    case "ifBreak":
      return hasHardline(doc.broken) || hasHardline(doc.flat);
    case "unsure":
      return false;
  }
}

const isSequence = (doc: Doc): doc is readonly Doc[] => Array.isArray(doc);

/**
 * Columns a text takes: prettier counts code points (and wide characters twice, which never reach
 * the measured parts of our code: identifiers and string literals are checked by the validator).
 */
function width(text: string): number {
  // Most texts hold no surrogate pair: one native scan says so.
  if (!LOW_SURROGATE.test(text)) return text.length;
  let n = text.length;
  for (let i = 0; i < text.length; i++) if ((text.charCodeAt(i) & 0xfc00) === 0xdc00) n--;
  return n;
}

const LOW_SURROGATE = /[\udc00-\udfff]/;

const FLAT = 0;
const BREAK = 1;
type Mode = typeof FLAT | typeof BREAK;

/**
 * The printer's stack of documents to print, each with its indentation and mode, in three
 * parallel arrays: at Nexudus scale it holds millions of entries over a run, and one object each
 * was most of the printer's time (in the garbage collector).
 */
class Stack {
  readonly indentations: number[] = [];
  readonly modes: Mode[] = [];
  readonly docs: Doc[] = [];

  push(indentation: number, mode: Mode, doc: Doc): void {
    this.indentations.push(indentation);
    this.modes.push(mode);
    this.docs.push(doc);
  }

  get size(): number {
    return this.docs.length;
  }
}

/** Whether `doc` in flat mode (then the rest of `stack`, up to its first line break) fits in `room` columns. */
function fits(doc: Doc, stack: Stack, room: number): boolean {
  const docs: Doc[] = [doc];
  const modes: Mode[] = [FLAT];
  let restIndex = stack.size;
  while (room >= 0) {
    let current: Doc;
    let mode: Mode;
    if (docs.length > 0) {
      current = docs.pop()!;
      mode = modes.pop()!;
    } else {
      if (restIndex === 0) return true;
      restIndex--;
      current = stack.docs[restIndex]!;
      mode = stack.modes[restIndex]!;
    }
    if (typeof current === "string") {
      room -= width(current);
    } else if (isSequence(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        docs.push(current[i]!);
        modes.push(mode);
      }
    } else {
      switch (current.kind) {
        case "indent":
        case "indentIfBreak":
          docs.push(current.contents);
          modes.push(mode);
          break;
        case "group":
          // A group that must break ends the measured line where its first break is.
          docs.push(current.contents);
          modes.push(current.broken ? BREAK : mode);
          break;
        case "ifBreak":
          docs.push(mode === BREAK ? current.broken : current.flat);
          modes.push(mode);
          break;
        case "unsure":
          room -= width(current.text);
          break;
        case "line":
          if (mode === BREAK || current.hard) return true;
          if (!current.soft) room -= 1;
          break;
      }
    }
  }
  return false;
}

/**
 * Prints a document in `printWidth` columns, two spaces per indentation level, `\n` line ends.
 * `sure` is false when an `unsure` text ended on a line longer than the print width.
 */
export function print(doc: Doc, printWidth: number): { text: string; sure: boolean } {
  const out: string[] = [];
  let column = 0;
  let sure = true;
  let lineHasUnsure = false;
  const stack = new Stack();
  stack.push(0, BREAK, doc);
  const groupModes = new Map<symbol, Mode>();
  while (stack.size > 0) {
    const indentation = stack.indentations.pop()!;
    const mode = stack.modes.pop()!;
    const current = stack.docs.pop()!;
    if (typeof current === "string") {
      out.push(current);
      column += width(current);
    } else if (isSequence(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push(indentation, mode, current[i]!);
    } else {
      switch (current.kind) {
        case "indent":
          stack.push(indentation + 2, mode, current.contents);
          break;
        case "group": {
          const fitsFlat = mode === FLAT || (!current.broken && fits(current.contents, stack, printWidth - column));
          stack.push(indentation, fitsFlat ? FLAT : BREAK, current.contents);
          if (current.id) groupModes.set(current.id, fitsFlat ? FLAT : BREAK);
          break;
        }
        case "indentIfBreak":
          stack.push(groupModes.get(current.groupId) === BREAK ? indentation + 2 : indentation, mode, current.contents);
          break;
        case "ifBreak":
          stack.push(indentation, mode, mode === BREAK ? current.broken : current.flat);
          break;
        case "unsure":
          out.push(current.text);
          column += width(current.text);
          lineHasUnsure = true;
          break;
        case "line":
          if (mode === FLAT && !current.hard) {
            if (!current.soft) {
              out.push(" ");
              column += 1;
            }
          } else {
            if (lineHasUnsure && column > printWidth) sure = false;
            lineHasUnsure = false;
            trimTrailingSpaces(out);
            out.push("\n", indentationText(indentation));
            column = indentation;
          }
          break;
      }
    }
  }
  if (lineHasUnsure && column > printWidth) sure = false;
  return { text: out.join(""), sure };
}

const indentations: string[] = [];

/** `width` spaces, made once per width. */
function indentationText(width: number): string {
  return (indentations[width] ??= " ".repeat(width));
}

/** Prettier never leaves spaces at the end of a line. */
function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    const end = last.charCodeAt(last.length - 1);
    if (last.length > 0 && end !== 0x20 && end !== 0x09) return;
    const trimmed = last.replace(/[ \t]+$/, "");
    if (trimmed.length > 0) {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}
