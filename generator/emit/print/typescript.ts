import { group, hardline, ifBreak, indent, join, line, print, softline, unsure, type Doc } from "./doc.js";

/**
 * The TypeScript constructs the emitters print, each described the way prettier's TypeScript
 * printer describes it, so that `printModule` gives prettier's output directly. Only constructs
 * whose prettier layout is known are breakable; the rest are printed flat, and `needsPrettier`
 * tells the format stage when a flat line ended up too long for that to be prettier's layout.
 */

/** A JSDoc block: `/** text *\/` when the text is one line, else one ` * ` line per line. */
export function jsdoc(text: string): Doc {
  const lines = text.split("\n").map((l) => l.trimEnd());
  if (lines.length === 1) return `/** ${lines[0]} */`;
  return join(hardline, ["/**", ...lines.map((l) => (l ? ` * ${l}` : " *")), " */"]);
}

/** A comma-separated list in brackets that breaks one item per line, with a trailing comma. */
function bracketed(open: string, items: readonly Doc[], close: string, padded: boolean): Doc {
  const edge = padded ? line : softline;
  return group([open, indent([edge, join([",", line], items)]), ifBreak(","), edge, close]);
}

/** `import { a, type B } from "x";` (prettier never breaks a list of one). */
export function importDeclaration(names: readonly string[], from: string, typeOnly = false): Doc {
  const head = typeOnly ? "import type " : "import ";
  const source = ` from ${JSON.stringify(from)};`;
  if (names.length === 1) return `${head}{ ${names[0]} }${source}`;
  return [head, bracketed("{", names, "}", true), source];
}

/** `export { a, b } from "x";` */
export function exportDeclaration(names: readonly string[], from: string, typeOnly = false): Doc {
  const head = typeOnly ? "export type " : "export ";
  const source = ` from ${JSON.stringify(from)};`;
  if (names.length === 1) return `${head}{ ${names[0]} }${source}`;
  return [head, bracketed("{", names, "}", true), source];
}

/** `["a", "b"]` */
export function arrayLiteral(items: readonly string[]): Doc {
  return items.length ? bracketed("[", items, "]", false) : "[]";
}

/** `name(a, b)`: arguments that are names or literals, never hugged. */
export function call(callee: string, args: readonly Doc[]): Doc {
  return args.length ? [callee, bracketed("(", args, ")", false)] : `${callee}()`;
}

/** `name(a: A, b?: B): R {`, the head of a method. */
export function methodHead(name: string, parameters: readonly string[], returns: string): Doc {
  return [name, parameters.length ? bracketed("(", parameters, ")", false) : "()", `: ${returns} {`];
}

/** A union: flat, or one `| A` per line when it does not fit (a union of one is its member). */
export function union(members: readonly string[]): Doc {
  if (members.length < 2) return members[0] ?? "never";
  return group([ifBreak("| "), join([line, "| "], members)]);
}

/**
 * What follows `=` in a type alias or `:` in a property: on the same line when it fits, else on
 * the next line, indented (prettier's "break after operator" layout), breaking further if need be.
 */
export function afterOperator(value: Doc): Doc {
  return group(indent([line, value]));
}

/** The members of a union type's text, split at its top-level ` | `. */
export function unionMembers(type: string): string[] {
  const members: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === "(" || c === "{" || c === "<" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === ">" || c === "]") depth--;
    else if (depth === 0 && type.startsWith(" | ", i)) {
      members.push(type.slice(start, i));
      start = i + 3;
    }
  }
  members.push(type.slice(start));
  return members;
}

/**
 * `name?: Type;`. A union with an inline object type moves below the name like any other, but
 * prettier breaks the object itself when even that line is too long, and hugs a lone object type:
 * those are `unsure`.
 */
export function propertySignature(name: string, type: string, optional = false): Doc {
  const key = `${name}${optional ? "?" : ""}:`;
  const members = unionMembers(type);
  if (!type.includes("{")) return [key, afterOperator(union(members)), ";"];
  if (members.length < 2) return unsure(`${key} ${type};`);
  return [key, afterOperator(unsure(type)), ";"];
}

/** `Name<A, B>`: type arguments that break one per line, without a trailing comma. */
export function typeReference(name: string, args: readonly Doc[]): Doc {
  return group([name, "<", indent([softline, join([",", line], args)]), softline, ">"]);
}

/** Statements of a module, a blank line between each. */
export function joinStatements(docs: readonly Doc[]): Doc {
  return join([hardline, hardline], docs);
}

/** A declaration preceded by its JSDoc. */
export function documented(doc: string | undefined, declaration: Doc): Doc {
  return doc === undefined ? declaration : [jsdoc(doc), hardline, declaration];
}

/** `{` members `}` as a block: each member on its own line, indented. */
export function block(head: Doc, members: readonly Doc[], tail = "}"): Doc {
  if (members.length === 0) return [head, tail];
  return [head, indent([hardline, join(hardline, members)]), hardline, tail];
}

/** A module's text (its header line, its statements, one line break at the end) and whether it is final. */
export function printModule(header: string, body: Doc, printWidth: number): { text: string; final: boolean } {
  const { text, sure } = print(body, printWidth);
  return { text: `${header}${text}\n`, final: sure };
}
