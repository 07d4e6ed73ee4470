import { group, hardline, ifBreak, indent, indentIfBreak, join, line, print, softline, type Doc } from "./doc.js";

/**
 * The TypeScript constructs the emitters print, each described the way prettier's TypeScript
 * printer describes it, so that `printModule` gives prettier's output directly, whatever the
 * names' lengths (test/generator/print.test.ts holds each builder to prettier on random input).
 * Text an emitter cannot describe goes in `unsure` (doc.ts): its module goes to prettier when a
 * line of it ends up too long.
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

/** `{ a, b: c }`: an object literal (shorthand properties or `objectProperty`s) that breaks one property per line. */
export function objectLiteral(properties: readonly Doc[]): Doc {
  return properties.length ? bracketed("{", properties, "}", true) : "{}";
}

/** `name(a, b)`: arguments that are names or literals, never hugged. */
export function call(callee: string, args: readonly Doc[]): Doc {
  return args.length ? [callee, bracketed("(", args, ")", false)] : `${callee}()`;
}

/**
 * `name(a: A, b?: B): R {`, the head of a method (`end` `;`: a method signature). Its parameters and return type are one group:
 * the parameters break one per line when the whole head does not fit, and the return type (a
 * `typeReference`) then breaks on its own if `): R {` does not fit either. The return type is a
 * name or a `typeReference` (prettier would also move a union return type below the colon).
 */
export function methodHead(name: string, parameters: readonly string[], returns: Doc, end = " {"): Doc {
  const list = parameters.length ? ["(", indent([softline, join([",", line], parameters)]), ifBreak(","), softline, ")"] : "()";
  return [name, group([list, ": ", returns]), end];
}

/** TypeScript's keyword types: a union of one of them and `null` is not hugged. */
const KEYWORD_TYPES = new Set(["any", "bigint", "boolean", "never", "null", "number", "object", "string", "symbol", "undefined", "unknown", "void"]);

/** A type reference (`Name`, `Name<A>`) or an object type (`{ ... }`), as opposed to a keyword, literal or array type. */
const isReferenceOrObject = (member: string) => (/^[A-Za-z_$][\w$]*(<.*>)?$/.test(member) && !KEYWORD_TYPES.has(member)) || /^\{.*\}$/.test(member);

/**
 * Prettier prints a union of one type reference or object type and `null`/`void` as the members
 * side by side ("hugged"): never below the colon nor one member per line.
 */
const isHuggedUnion = (members: readonly string[]) => members.filter(isReferenceOrObject).length === 1 && members.every((m) => isReferenceOrObject(m) || m === "null" || m === "void");

/**
 * A union: flat, or one `| A` per line when it does not fit (a union of one is its member). A
 * member that breaks inside itself (an object type) is aligned after its `| `. A hugged union
 * (`isHuggedUnion`) stays on one line.
 */
export function union(members: readonly string[]): Doc {
  if (members.length < 2) return members[0] === undefined ? "never" : typeDoc(members[0]);
  if (isHuggedUnion(members)) return join(" | ", members.map(typeDoc));
  return group([ifBreak("| "), join([line, "| "], members.map((member) => indent(typeDoc(member))))]);
}

/**
 * What follows `=` in a type alias or `:` in a property: on the same line when it fits, else on
 * the next line, indented (prettier's "break after operator" layout), breaking further if need be.
 */
export function afterOperator(value: Doc): Doc {
  return group(indent([line, value]));
}

/** The parts of a type's text between the `separator`s that are outside any brackets. */
function splitTopLevel(type: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === "(" || c === "{" || c === "<" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === ">" || c === "]") depth--;
    else if (depth === 0 && type.startsWith(separator, i)) {
      parts.push(type.slice(start, i));
      start = i + separator.length;
    }
  }
  parts.push(type.slice(start));
  return parts;
}

/** The members of a union type's text, split at its top-level ` | `. */
export function unionMembers(type: string): string[] {
  return splitTopLevel(type, " | ");
}

/**
 * One type that is not a union, as prettier breaks it: an object type `{ a?: A; b?: B }` (in an
 * array type or not) breaks one member per line, a parenthesized union `(A | B)[]` inside its
 * parentheses; anything else (names, keywords, literals, their arrays) never breaks.
 */
function typeDoc(type: string): Doc {
  const object = /^\{ (.*) \}((?:\[\])*)$/.exec(type);
  if (object) {
    const members = splitTopLevel(object[1]!, "; ").map((member) => {
      const colon = member.indexOf(": ");
      return signature(member.slice(0, colon + 1), member.slice(colon + 2));
    });
    return [group(["{", indent([line, join([";", line], members)]), ifBreak(";"), line, "}"]), object[2]!];
  }
  const parenthesized = /^\((.*)\)((?:\[\])+)$/.exec(type);
  if (parenthesized) return ["(", group([indent([softline, union(unionMembers(parenthesized[1]!))]), softline]), ")", parenthesized[2]!];
  return type;
}

/** `key: Type` (key with its colon), a property signature without its `;`. */
function signature(key: string, type: string): Doc {
  const members = unionMembers(type);
  return members.length < 2 || isHuggedUnion(members) ? [key, " ", union(members)] : [key, afterOperator(union(members))];
}

/**
 * `name?: Type;`. A union moves below the name when it does not fit beside it (prettier's
 * "break after operator" layout), then one `| Member` per line; a hugged union (above) and any
 * other type stay beside the name, breaking inside if they can (`typeDoc`).
 */
export function propertySignature(name: string, type: string, optional = false): Doc {
  return [signature(`${name}${optional ? "?" : ""}:`, type), ";"];
}

/** `left` `operator` `value` in prettier's "fluid" assignment layout: the value stays after the operator when its first line fits there, else it moves to the next line, indented, and breaks further if need be. */
function fluid(left: string, operator: string, value: Doc): Doc {
  const operatorLine = Symbol("assignment");
  return group([left, operator, group(indent(line), operatorLine), indentIfBreak(value, operatorLine)]);
}

/**
 * `left = value` as prettier lays out a `new` expression, an object or a type reference after `=`
 * ("fluid"). Not for a call or member chain, nor a union type: prettier breaks after the `=` there.
 */
export function assignment(left: string, value: Doc): Doc {
  return fluid(left, " =", value);
}

/**
 * `key: value` in an object literal, as prettier lays it out. After a key of fewer than 5 columns,
 * and before a number or boolean literal, the value stays beside the key however long the line; a
 * string literal that does not fit moves below the key ("break after operator"); anything else
 * (null, an array) is `fluid`.
 */
export function objectProperty(key: string, value: Doc): Doc {
  if ([...key].length < 5 || (typeof value === "string" && /^(\d|true$|false$)/.test(value))) return [key, ": ", value];
  if (typeof value === "string" && value.startsWith('"')) return [`${key}:`, afterOperator(value)];
  return fluid(key, ":", value);
}

/**
 * `Name<A, B>`: type arguments that break one per line, without a trailing comma. A single keyword
 * or type name without type arguments (`Name<A>`) is never broken. (Prettier also keeps a single
 * object type or hugged union beside `<`; no emitter passes one.)
 */
export function typeReference(name: string, args: readonly Doc[]): Doc {
  if (args.length === 1 && typeof args[0] === "string" && /^[A-Za-z_$][\w$]*$/.test(args[0])) return `${name}<${args[0]}>`;
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
