/** A problem found in a spec, pointing at the exact place to fix. */
export interface Diagnostic {
  /** Spec file path, relative to the working directory. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  hint?: string;
}

/**
 * Characters no spec may hold: C0 and C1 controls (NUL, ESC and ANSI escapes, ...) except tab
 * and line feed, line and paragraph separators (line breaks in JavaScript), bidirectional
 * controls (U+202E, the "Trojan source" overrides), zero-width and other invisible format
 * characters, tag characters, non-characters, lone surrogates, and U+FFFD (what invalid UTF-8
 * bytes are read as).
 */
export const FORBIDDEN =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB\uFFFD-\uFFFF]|\uDB40[\uDC00-\uDC7F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, "g");

/** Text with every forbidden character (and line break) written as a visible escape, for messages. */
export function visible(text: string): string {
  return text.replace(FORBIDDEN_ALL, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`).replace(/\n/g, "\\n").replace(/\t/g, "\\t");
}

/** Thrown when specs do not validate; carries every diagnostic of the run. */
export class SpecError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(formatDiagnostics(diagnostics));
    this.name = "SpecError";
  }
}

/** `file:line:column error: message` lines, with the fix indented below, as editors link them. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const lines = sortDiagnostics(diagnostics).map(
    // A message quotes spec text and names files: neither may move the cursor or hide text in a terminal.
    (d) => `${visible(d.file)}:${d.line}:${d.column} error: ${visible(d.message)}${d.hint ? `\n  fix: ${visible(d.hint)}` : ""}`,
  );
  const count = diagnostics.length;
  lines.push(`${count} error${count === 1 ? "" : "s"} in specs; generated/ was left as it was.`);
  return lines.join("\n");
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

/** The closest candidate by edit distance, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    // A shortened word ("int" for "integer") is as likely a slip as a typo.
    if (lower.length >= 3 && candidate.toLowerCase().startsWith(lower)) return candidate;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** " Did you mean "x"?" or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closest(word, candidates);
  return match ? ` Did you mean "${match}"?` : "";
}
