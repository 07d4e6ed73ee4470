/** English plural of a PascalCase entity name, as Nexudus forms its endpoint names. */
export function defaultPlural(entity: string): string {
  if (/(s|x|z|ch|sh)$/.test(entity)) return `${entity}es`;
  if (/[^aeiou]y$/.test(entity)) return `${entity.slice(0, -1)}ies`;
  return `${entity}s`;
}

/** `/api/<area>/<lower-case plural>`. */
export function defaultPath(area: string, plural: string): string {
  return `/api/${area}/${plural.toLowerCase()}`;
}

/** `CoworkerTimePasses` -> `coworkerTimePasses`. */
export function camelCase(pascal: string): string {
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** `billing` -> `Billing`. */
/**
 * The export of a resource's info with its update rules (`coworkerTimePassesForUpdate`), beside its
 * info (`coworkerTimePasses`): what `update()` and `patch()` take, so that an app that only reads
 * does not carry the rules.
 */
export function updateInfoName(infoName: string): string {
  return `${infoName}ForUpdate`;
}

export function pascalCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as TypeScript needs it: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** Built-in names the generated code refers to; a generated type of the same name would shadow one. */
/**
 * Words JavaScript reserves (in strict mode, which modules are): a resource's info export,
 * `export const <camelCase plural>`, cannot take one.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  ("await break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if implements import in instanceof interface let new null package private protected public return static " +
    "super switch this throw true try typeof var void while with yield").split(" "),
);

export const BUILTIN_NAMES: ReadonlySet<string> = new Set(["Date", "Promise", "Omit", "Partial", "Record", "Array", "AsyncIterableIterator", "Error", "Object", "String", "Number", "Boolean"]);

const LETTERS_AND_DIGITS = /^[A-Za-z0-9]*$/;

/**
 * `a.localeCompare(b)`'s order (its sign), computed without ICU for names of ASCII letters and
 * digits: the first use of ICU's collator costs ~6 ms of every process, a thirtieth of a run with
 * one changed spec. As the root collation orders them: digits before letters, letters whatever
 * their case; between names equal so, the first difference of case puts the lower case first.
 * Any other name is compared by `localeCompare` itself.
 */
export function compareNames(a: string, b: string): number {
  if (!LETTERS_AND_DIGITS.test(a) || !LETTERS_AND_DIGITS.test(b)) return Math.sign(a.localeCompare(b));
  const [lowerA, lowerB] = [a.toLowerCase(), b.toLowerCase()];
  if (lowerA !== lowerB) return lowerA < lowerB ? -1 : 1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] === lowerA[i] ? -1 : 1;
  }
  return 0;
}
