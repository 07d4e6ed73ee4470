import { createRequire } from "node:module";
import path from "node:path";
import type { ts as TS } from "ts-morph";

/**
 * The package's public TypeScript API as it is emitted, read from the generated sources with the
 * TypeScript parser ts-morph bundles (its `ts`): syntax only, no program, no type-checking, JSDoc
 * not parsed; declarations are printed by the TypeScript printer without comments. (ts-morph's
 * node wrappers read the same but took ~5x as long over the 205-entity package.)
 *
 * Every source file the public API reaches gets a record: its exported declarations (one signature
 * line per declaration and per member), the non-exported types they name, and its wiring (re-exports
 * and the imports its declarations name). A record depends on its file's text only, so a file
 * whose text is the same on both sides of a comparison is read once. `publicApi()` follows the
 * wiring from the entry points to the flat list the release compares. The release reads the API
 * only when generated code changed in a way the specs do not explain (see surface.ts).
 */

/** A file's record: key -> signature line. Keys are sorted. */
export type ModuleRecord = Record<string, string>;

/** Records by source path (`src/runtime/types.ts`). */
export type ApiRecords = Record<string, ModuleRecord>;

/** The package's entry points and the prefix their exports are known by. */
export const API_ENTRIES: readonly { file: string; prefix: string }[] = [
  { file: "src/index.ts", prefix: "" },
  { file: "src/testing/index.ts", prefix: "testing:" },
];

/*
 * Record keys:
 *   `Name`            an exported declaration: `export interface Name<T> extends Base`, `export function f(a: A): R`
 *   `Name.member`     one member: `readonly transport: Transport`, `list(query?: Q): R`, `timeoutMs?: number`
 *   `~Name`, `~Name.member`   a type the file does not export but its exported declarations name
 *   `* from ./x.js`   `export * from` (value `*`); `Alias from ./x.js` (value `Name`): `export { Name as Alias } from`
 *   `Alias from .`    `export { Name as Alias }` of a local or imported name
 *   `^Local`          an import its declarations name: value `Name from ./x.js`
 */
const LOCAL_PREFIX = "~";
const IMPORT_PREFIX = "^";
const FROM = " from ";

/**
 * ts-morph's TypeScript, loaded on first use: loading it takes ~0.3 s, which a run that reads no
 * API (most runs: see surface.ts) must not pay.
 */
let ts: typeof TS;
let printer: TS.Printer;
function loadTypeScript(): void {
  ts ??= (createRequire(import.meta.url)("ts-morph") as typeof import("ts-morph")).ts;
  printer ??= ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
}

/** One file's parse, read with the TypeScript parser ts-morph bundles: syntax only, no program, no JSDoc. */
function parse(file: string, text: string): TS.SourceFile {
  loadTypeScript();
  return ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true);
}

/** A node printed on one line without comments: formatting and JSDoc never change a signature. */
function print(node: TS.Node | undefined): string {
  if (!node) return "";
  return printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile()).replace(/\s*\n\s*/g, " ");
}

const printList = (nodes: readonly TS.Node[] | undefined): string => (nodes ?? []).map(print).join(", ");
const typeParameters = (node: { typeParameters?: TS.NodeArray<TS.TypeParameterDeclaration> | undefined }): string =>
  node.typeParameters?.length ? `<${printList(node.typeParameters)}>` : "";
const hasModifier = (node: TS.Node, kind: TS.SyntaxKind): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
const isExported = (node: TS.Node): boolean => hasModifier(node, ts.SyntaxKind.ExportKeyword);
const nameOf = (name: TS.PropertyName | TS.BindingName | undefined): string =>
  !name ? "default" : ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name) ? name.text : name.getText();

/** `(a: A, b?: B): R` of a function-like node; an initializer makes a parameter optional, as the caller sees it. */
function callSignature(node: TS.SignatureDeclaration): string {
  const params = node.parameters.map((p) => {
    const optional = p.questionToken || p.initializer ? "?" : "";
    return `${p.dotDotDotToken ? "..." : ""}${nameOf(p.name)}${optional}: ${p.type ? print(p.type) : "unknown"}`;
  });
  return `${typeParameters(node)}(${params.join(", ")})${node.type ? `: ${print(node.type)}` : ""}`;
}

/** Modifiers a consumer sees: `static`, `protected`, `abstract`, `readonly`. */
function modifiers(node: TS.Node): string {
  const words: [TS.SyntaxKind, string][] = [
    [ts.SyntaxKind.StaticKeyword, "static"],
    [ts.SyntaxKind.ProtectedKeyword, "protected"],
    [ts.SyntaxKind.AbstractKeyword, "abstract"],
    [ts.SyntaxKind.ReadonlyKeyword, "readonly"],
  ];
  return words.filter(([kind]) => hasModifier(node, kind)).map(([, word]) => `${word} `).join("");
}

/** What a consumer cannot reach: `private`, `#private`. */
function isPrivate(node: TS.Node): boolean {
  const name = (node as { name?: TS.Node }).name;
  return hasModifier(node, ts.SyntaxKind.PrivateKeyword) || (name !== undefined && ts.isPrivateIdentifier(name));
}

/** The signature line of one member of a class, interface, type literal or object literal; undefined for what is not public. */
function memberLine(member: TS.Node): [name: string, line: string] | undefined {
  if (isPrivate(member)) return undefined;
  if (ts.isConstructorDeclaration(member)) return ["constructor", `constructor${callSignature(member)}`];
  if (ts.isCallSignatureDeclaration(member)) return ["()", callSignature(member)];
  if (ts.isConstructSignatureDeclaration(member)) return ["new()", `new ${callSignature(member)}`];
  if (ts.isIndexSignatureDeclaration(member)) return ["[]", `${modifiers(member)}[${printList(member.parameters)}]: ${print(member.type)}`];
  const named = member as TS.Node & { name?: TS.PropertyName; questionToken?: TS.QuestionToken };
  if (!named.name) return undefined;
  const name = nameOf(named.name);
  const optional = named.questionToken ? "?" : "";
  if (ts.isMethodDeclaration(member) || ts.isMethodSignature(member)) return [name, `${modifiers(member)}${name}${optional}${callSignature(member)}`];
  if (ts.isGetAccessorDeclaration(member)) return [`get ${name}`, `${modifiers(member)}get ${name}${callSignature(member)}`];
  if (ts.isSetAccessorDeclaration(member)) return [`set ${name}`, `${modifiers(member)}set ${name}${callSignature(member)}`];
  if (ts.isPropertyDeclaration(member) || ts.isPropertySignature(member)) {
    const initializer = ts.isPropertyDeclaration(member) ? member.initializer : undefined;
    return [name, `${modifiers(member)}${name}${optional}: ${member.type ? print(member.type) : initializer ? `typeof ${print(initializer)}` : "unknown"}`];
  }
  if (ts.isPropertyAssignment(member)) return [name, `${name}: ${print(member.initializer)}`];
  if (ts.isShorthandPropertyAssignment(member)) return [name, `${name}: ${name}`];
  return undefined;
}

/** Adds the lines of overloads and merged declarations under one key, sorted: moving one is no change. */
function put(record: ModuleRecord, key: string, line: string): void {
  record[key] = record[key] === undefined ? line : [...record[key]!.split("\n"), line].sort().join("\n");
}

/** The names a declaration's signatures mention: type references, heritage, `typeof x`. */
function namesUsedBy(node: TS.Node): Set<string> {
  const names = new Set<string>();
  const visit = (child: TS.Node): void => {
    if (ts.isFunctionLike(child) && "body" in child && child.body) {
      // A body is not a signature: visit the parameters, type parameters and return type only.
      for (const part of [...(child.typeParameters ?? []), ...child.parameters, ...(child.type ? [child.type] : [])]) visit(part);
      return;
    }
    if (ts.isTypeReferenceNode(child) || ts.isExpressionWithTypeArguments(child) || ts.isTypeQueryNode(child)) {
      let name: TS.Node = ts.isTypeReferenceNode(child) ? child.typeName : ts.isTypeQueryNode(child) ? child.exprName : child.expression;
      while (ts.isQualifiedName(name) || ts.isPropertyAccessExpression(name)) name = ts.isQualifiedName(name) ? name.left : name.expression;
      if (ts.isIdentifier(name)) names.add(name.text);
    }
    if (ts.isPropertyDeclaration(child) && child.initializer && !child.type) return;
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

/** Whether a member is an implementation that overloads stand for (the implementation is not callable as written). */
function isOverloadedImplementation(member: TS.Node, siblings: readonly TS.Node[]): boolean {
  if (!(ts.isMethodDeclaration(member) || ts.isFunctionDeclaration(member) || ts.isConstructorDeclaration(member)) || !member.body) return false;
  const name = ts.isConstructorDeclaration(member) ? "constructor" : nameOf(member.name);
  return siblings.some((other) => other !== member && other.kind === member.kind && !(other as TS.FunctionLikeDeclaration).body && (ts.isConstructorDeclaration(other) ? "constructor" : nameOf((other as TS.MethodDeclaration).name)) === name);
}

/** One module-level declaration's lines, keyed under `key`. */
function declarationLines(record: ModuleRecord, key: string, node: TS.Node, siblings: readonly TS.Node[]): void {
  const members = (list: readonly TS.Node[]) => {
    for (const member of list) {
      if (isOverloadedImplementation(member, list)) continue;
      const line = memberLine(member);
      if (line) put(record, `${key}.${line[0]}`, line[1]);
    }
  };
  if (ts.isVariableDeclaration(node)) {
    const list = node.parent as TS.VariableDeclarationList;
    const exported = isExported(list.parent) ? "export " : "";
    const kind = list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
    let initializer = node.initializer;
    if (initializer && ts.isAsExpression(initializer) && print(initializer.type) === "const") initializer = initializer.expression;
    const head = `${exported}${kind} ${nameOf(node.name)}`;
    if (node.type) put(record, key, `${head}: ${print(node.type)}`);
    else if (initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) put(record, key, `${head}: ${callSignature(initializer)}`);
    else if (initializer && ts.isObjectLiteralExpression(initializer)) {
      put(record, key, `${head} = {}`);
      members(initializer.properties);
    } else put(record, key, `${head} = ${print(initializer)}`);
    return;
  }
  const exported = isExported(node) ? "export " : "";
  if (ts.isInterfaceDeclaration(node)) {
    const heritage = node.heritageClauses?.flatMap((clause) => clause.types) ?? [];
    put(record, key, `${exported}interface ${node.name.text}${typeParameters(node)}${heritage.length ? ` extends ${printList(heritage)}` : ""}`);
    members(node.members);
  } else if (ts.isClassDeclaration(node)) {
    const clause = (kind: TS.SyntaxKind) => node.heritageClauses?.find((c) => c.token === kind)?.types;
    const base = clause(ts.SyntaxKind.ExtendsKeyword);
    const implemented = clause(ts.SyntaxKind.ImplementsKeyword);
    put(record, key, `${exported}${modifiers(node)}class ${nameOf(node.name)}${typeParameters(node)}${base ? ` extends ${printList(base)}` : ""}${implemented ? ` implements ${printList(implemented)}` : ""}`);
    members(node.members);
  } else if (ts.isTypeAliasDeclaration(node)) {
    if (ts.isTypeLiteralNode(node.type)) {
      put(record, key, `${exported}type ${node.name.text}${typeParameters(node)} = {}`);
      members(node.type.members);
    } else put(record, key, `${exported}type ${node.name.text}${typeParameters(node)} = ${print(node.type)}`);
  } else if (ts.isFunctionDeclaration(node)) {
    if (isOverloadedImplementation(node, siblings)) return;
    put(record, key, `${exported}function ${nameOf(node.name)}${callSignature(node)}`);
  } else if (ts.isEnumDeclaration(node)) {
    put(record, key, `${exported}${hasModifier(node, ts.SyntaxKind.ConstKeyword) ? "const " : ""}enum ${node.name.text}`);
    for (const member of node.members) put(record, `${key}.${nameOf(member.name)}`, `${nameOf(member.name)} = ${print(member.initializer) || "auto"}`);
  }
}

/** Relative module specifier of a re-export or import, as a source path: `./x.js` from src/index.ts -> `src/x.ts`. */
export function resolveModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return path.posix.join(path.posix.dirname(from), specifier).replace(/\.js$/, ".ts");
}

/** Reads one source file into its record. */
function readModule(source: TS.SourceFile): ModuleRecord {
  const record: ModuleRecord = {};
  const locals = new Map<string, TS.Node[]>();
  const imports = new Map<string, string>();
  const exportsList: TS.ExportDeclaration[] = [];
  const statements = source.statements;
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) locals.set(nameOf(declaration.name), [...(locals.get(nameOf(declaration.name)) ?? []), declaration]);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      const name = nameOf(statement.name);
      locals.set(name, [...(locals.get(name) ?? []), statement]);
    } else if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) imports.set(element.name.text, `${(element.propertyName ?? element.name).getText()}${FROM}${statement.moduleSpecifier.text}`);
      }
    } else if (ts.isExportDeclaration(statement)) exportsList.push(statement);
  }
  const exportedNode = (node: TS.Node) => (ts.isVariableDeclaration(node) ? isExported(node.parent.parent) : isExported(node));

  // Exported declarations, then the local types and imports they name, transitively.
  const pending: string[] = [];
  const mention = (node: TS.Node) => pending.push(...namesUsedBy(node));
  for (const [name, nodes] of locals) {
    if (!nodes.some(exportedNode)) continue;
    for (const node of nodes) {
      declarationLines(record, name, node, statements);
      mention(node);
    }
  }
  for (const declaration of exportsList) {
    const specifier = declaration.moduleSpecifier && ts.isStringLiteral(declaration.moduleSpecifier) ? declaration.moduleSpecifier.text : undefined;
    const clause = declaration.exportClause;
    // `export * as ns from` is not used by the package; `export {} from` exports nothing.
    if (specifier !== undefined && !clause) record[`*${FROM}${specifier}`] = "*";
    if (!clause || !ts.isNamedExports(clause)) continue;
    for (const element of clause.elements) {
      const original = (element.propertyName ?? element.name).getText();
      record[`${element.name.getText()}${FROM}${specifier ?? "."}`] = original;
      if (specifier === undefined) pending.push(original);
    }
  }
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const nodes = locals.get(name);
    const imported = imports.get(name);
    if (nodes && record[name] === undefined) {
      for (const node of nodes) {
        // A value the signatures name (`typeof x`) or a local type: it shapes the public API.
        declarationLines(record, `${LOCAL_PREFIX}${name}`, node, statements);
        mention(node);
      }
    } else if (!nodes && imported) record[`${IMPORT_PREFIX}${name}`] = imported;
  }
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One source file's record, read with the TypeScript parser. */
export function readModuleRecord(file: string, text: string): ModuleRecord {
  return readModule(parse(file, text));
}

/** The records `readApiRecords` read, and how many files it parsed. */
export interface ApiReadReport {
  records: ApiRecords;
  /** Files read with the TypeScript parser (the others were `known`). */
  parsed: number;
  /** Files the graph reaches that `read` did not find. */
  missing: string[];
}

/**
 * The records of every file the public API reaches from the entry points, among `paths` (the
 * package's files), each read with `read`. A file `known` holds a record of (the same text, read
 * for the other side of a comparison) is not parsed again.
 */
export async function readApiRecords(
  paths: Iterable<string>,
  read: (path: string) => Promise<string | undefined>,
  known: ApiRecords = {},
): Promise<ApiReadReport> {
  const sources = new Set([...paths].filter((file) => file.endsWith(".ts")));
  const records: ApiRecords = {};
  const missing: string[] = [];
  let parsed = 0;
  const queue = API_ENTRIES.map((entry) => entry.file).filter((file) => sources.has(file));
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (records[file]) continue;
    if (known[file]) records[file] = known[file];
    else {
      const text = await read(file);
      if (text === undefined) {
        missing.push(file);
        records[file] = {};
        continue;
      }
      records[file] = readModuleRecord(file, text);
      parsed++;
    }
    for (const [key, value] of Object.entries(records[file]!)) {
      const specifier = key.startsWith(IMPORT_PREFIX) ? value.slice(value.indexOf(FROM) + FROM.length) : key.includes(FROM) ? key.slice(key.indexOf(FROM) + FROM.length) : undefined;
      const target = specifier && specifier !== "." ? resolveModule(file, specifier) : undefined;
      if (target && sources.has(target) && !records[target]) queue.push(target);
    }
  }
  for (const file of missing) delete records[file];
  return { records: Object.fromEntries(Object.entries(records).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), parsed, missing };
}

/** The public API: public name (`ClientOptions`, `ClientOptions.timeoutMs`, `testing:startNexudusTestServer`) -> signature line. */
export type PublicApi = Record<string, string>;

/**
 * The flat public API of a set of records: every export of the entry points under its public name,
 * with its members, and the types behind it that no entry point exports (keys starting `~`, under
 * their own name), since their members shape what consumers pass and read.
 */
export function publicApi(records: ApiRecords): PublicApi {
  const api: PublicApi = {};
  /** Exported name -> [file, key in that file's record]; memoized per file. */
  const exportsCache = new Map<string, Map<string, [string, string]>>();
  const exportsOf = (file: string, seen = new Set<string>()): Map<string, [string, string]> => {
    const cached = exportsCache.get(file);
    if (cached) return cached;
    const out = new Map<string, [string, string]>();
    const record = records[file];
    if (!record || seen.has(file)) return out;
    seen.add(file);
    for (const key of Object.keys(record)) {
      if (!key.includes(".") && !key.startsWith(LOCAL_PREFIX) && !key.startsWith(IMPORT_PREFIX) && !key.includes(FROM)) out.set(key, [file, key]);
    }
    for (const [key, value] of Object.entries(record)) {
      if (!key.includes(FROM) || key.startsWith(IMPORT_PREFIX)) continue;
      const [alias, specifier] = key.split(FROM) as [string, string];
      if (specifier === ".") {
        const target = resolveName(file, value, seen);
        if (target) out.set(alias, target);
        continue;
      }
      const module = resolveModule(file, specifier);
      if (!module) continue;
      if (value === "*") {
        for (const [name, target] of exportsOf(module, seen)) if (!out.has(name)) out.set(name, target);
      } else {
        const target = exportsOf(module, seen).get(value);
        if (target) out.set(alias, target);
      }
    }
    exportsCache.set(file, out);
    return out;
  };
  /** A local or imported name of `file`, to its declaration. */
  const resolveName = (file: string, name: string, seen?: Set<string>): [string, string] | undefined => {
    const record = records[file] ?? {};
    if (record[name] !== undefined) return [file, name];
    if (record[`${LOCAL_PREFIX}${name}`] !== undefined) return [file, `${LOCAL_PREFIX}${name}`];
    const imported = record[`${IMPORT_PREFIX}${name}`];
    if (!imported) return undefined;
    const [original, specifier] = imported.split(FROM) as [string, string];
    const module = resolveModule(file, specifier);
    return module ? exportsOf(module, new Set(seen)).get(original) : undefined;
  };

  const copied = new Set<string>();
  /** Per file: declaration key -> its members' [suffix, line], grouped once. */
  const membersByFile = new Map<string, Map<string, [string, string][]>>();
  const membersOf = (file: string, key: string): [string, string][] => {
    let members = membersByFile.get(file);
    if (!members) {
      members = new Map();
      for (const [member, line] of Object.entries(records[file]!)) {
        const dot = member.indexOf(".");
        if (dot < 0 || member.includes(FROM)) continue;
        const owner = member.slice(0, dot);
        const list = members.get(owner) ?? [];
        list.push([member.slice(dot), line]);
        members.set(owner, list);
      }
      membersByFile.set(file, members);
    }
    return members.get(key) ?? [];
  };
  /**
   * An interface as a user sees it: its own members and those of the interfaces it extends in the
   * package (`extends Base` or `extends Omit<Base, "a" | "b">`), and its line without those bases.
   * Moving a member between an interface and its base changes nothing a user can write.
   */
  const flattened = (file: string, key: string, seen = new Set<string>()): { line: string; members: [string, string][] } => {
    const line = records[file]![key]!;
    const members = membersOf(file, key);
    const heritage = /^((?:export )?interface \w+) extends (.+)$/.exec(line);
    if (!heritage || seen.has(`${file}\0${key}`)) return { line, members };
    seen.add(`${file}\0${key}`);
    const own = new Set(members.map(([suffix]) => suffix));
    const inherited: [string, string][] = [];
    const kept: string[] = [];
    for (const clause of topLevelList(heritage[2]!)) {
      const base = /^(\w+)$|^Omit<(\w+), ((?:"[^"]*"(?: \| )?)+)>$/.exec(clause);
      const target = base && resolveName(file, base[1] ?? base[2]!);
      if (!target || !/^(export )?interface \w+( extends |$)/.test(records[target[0]]![target[1]]!)) {
        kept.push(clause);
        continue;
      }
      const omitted = new Set(base![3] ? [...base![3].matchAll(/"([^"]*)"/g)].map((m) => `.${m[1]}`) : []);
      for (const [suffix, memberLine] of flattened(target[0], target[1], seen).members) {
        if (!own.has(suffix) && !omitted.has(suffix)) inherited.push([suffix, memberLine]);
      }
    }
    return { line: kept.length ? `${heritage[1]} extends ${kept.join(", ")}` : heritage[1]!, members: [...members, ...inherited] };
  };
  const copy = (publicName: string, [file, key]: [string, string]) => {
    copied.add(`${file}\0${key}`);
    const { line, members } = flattened(file, key);
    api[publicName] = line;
    for (const [suffix, memberLine] of members) api[`${publicName}${suffix}`] = memberLine;
  };
  const reached = new Set<string>();
  for (const { file, prefix } of API_ENTRIES) {
    for (const [name, target] of exportsOf(file)) {
      copy(`${prefix}${name}`, target);
      reached.add(target[0]);
    }
  }
  // The types behind the exports: local ones and imports the declarations name, by their own name.
  const behind = [...reached];
  const visited = new Set<string>();
  while (behind.length > 0) {
    const file = behind.pop()!;
    if (visited.has(file)) continue;
    visited.add(file);
    for (const [key, value] of Object.entries(records[file] ?? {})) {
      if (key.startsWith(LOCAL_PREFIX) && !key.includes(".")) {
        if (!copied.has(`${file}\0${key}`)) copy(key, [file, key]);
      } else if (key.startsWith(IMPORT_PREFIX)) {
        const target = resolveName(file, key.slice(1));
        if (!target) continue;
        const [original] = value.split(FROM) as [string];
        if (!copied.has(`${target[0]}\0${target[1]}`)) copy(`${LOCAL_PREFIX}${original}`, target);
        behind.push(target[0]);
      }
    }
  }
  return Object.fromEntries(Object.entries(api).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The items of a comma-separated list, split only at commas outside brackets and strings (`A<B, C>, D`). */
function topLevelList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"' && text[i - 1] !== "\\") quoted = !quoted;
    else if (quoted) continue;
    else if (char === "<" || char === "(" || char === "[" || char === "{") depth++;
    else if ((char === ">" && text[i - 1] !== "=") || char === ")" || char === "]" || char === "}") depth--;
    else if (char === "," && depth === 0) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(text.slice(start).trim());
  return items;
}

/** One classified difference of two public APIs; `kind` as in surface.TS. */
export interface ApiChange {
  kind: "Breaking" | "Added" | "Changed";
  /** The public name the change is about (`ClientOptions.timeoutMs`). */
  key: string;
  text: string;
}

/** A signature line, parsed back: a property, a call (function, method, constructor) or something else. */
type Parsed =
  | { form: "property"; optional: boolean; readonly: boolean; type: string }
  | { form: "call"; params: { name: string; optional: boolean; rest: boolean; type: string }[]; returns: string }
  | { form: "other"; text: string };

/** The line as TypeScript that parses: a member inside a class or interface, a declaration with `declare`. */
function parseLine(key: string, line: string): Parsed[] {
  const member = key.includes(".");
  return line.split("\n").map((text) => {
    const source = member
      ? /^(\(|new )/.test(text) ? `interface __ { ${text}; }` : `declare class __ { ${text}; }`
      : `declare ${text.replace(/^export /, "")}${/^(export )?(interface|class|(abstract )?class|enum|const enum)\b/.test(text) ? " {}" : ";"}`;
    const file = ts.createSourceFile("line.ts", source, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone });
    const statement = file.statements[0];
    const node = member && statement && (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) ? statement.members[0] : statement;
    const typeText = (type: TS.TypeNode | undefined) => (type ? print(type) : "unknown");
    if (node && (ts.isPropertyDeclaration(node) || ts.isPropertySignature(node))) {
      const readonly = (ts.getCombinedModifierFlags(node as TS.Declaration) & ts.ModifierFlags.Readonly) !== 0;
      return { form: "property", optional: node.questionToken !== undefined, readonly, type: typeText(node.type) };
    }
    const call = node && ts.isVariableStatement(node) ? node.declarationList.declarations[0]?.type : node;
    if (call && (ts.isFunctionLike(call) || ts.isFunctionTypeNode(call))) {
      return {
        form: "call",
        params: call.parameters.map((p) => ({ name: p.name.getText(file), optional: p.questionToken !== undefined || p.initializer !== undefined, rest: p.dotDotDotToken !== undefined, type: typeText(p.type) })),
        returns: typeText(call.type),
      };
    }
    return { form: "other", text };
  });
}

/** The members of a union type, printed: `A | B | null` -> A, B, null. */
function unionMembers(type: string): Set<string> {
  const file = ts.createSourceFile("t.ts", `type __ = ${type};`, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone });
  const alias = file.statements[0];
  let node = alias && ts.isTypeAliasDeclaration(alias) ? alias.type : undefined;
  while (node && ts.isParenthesizedTypeNode(node)) node = node.type;
  const members = node && ts.isUnionTypeNode(node) ? [...node.types] : node ? [node] : [];
  return new Set(members.map(print));
}

const isSubset = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));

/** Whether consumers write values of a type (pass it), read them (get it back), or both. */
interface Roles {
  input: Set<string>;
  output: Set<string>;
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const topName = (key: string) => key.replace(/^~|^testing:/, "").split(".")[0]!;

/**
 * Which types are inputs and which outputs: parameters are written, return types and class
 * properties read; a type's property types take the type's roles. A type no signature names (a
 * type exported for consumers' own annotations) counts as both.
 */
function rolesOf(api: PublicApi): Roles {
  const roles: Roles = { input: new Set(), output: new Set() };
  const names = new Set(Object.keys(api).filter((k) => !k.includes(".")).map(topName));
  const edges = new Map<string, Set<string>>();
  const mark = (set: Set<string>, text: string) => {
    for (const name of text.match(IDENTIFIER) ?? []) if (names.has(name)) set.add(name);
  };
  for (const [key, line] of Object.entries(api)) {
    const owner = topName(key);
    // Most lines are properties and aliases: only lines with a call in them need parsing.
    const lines: Parsed[] = line.includes("(") ? parseLine(key, line) : [{ form: "other", text: key.includes(".") ? line.slice(line.indexOf(":") + 1) : line }];
    for (const parsed of lines) {
      if (parsed.form === "call") {
        for (const p of parsed.params) mark(roles.input, p.type);
        mark(roles.output, parsed.returns);
      } else {
        // A property's or alias's type, or a heritage clause: it takes its owner's roles.
        const text = parsed.form === "property" ? parsed.type : key.includes(".") ? parsed.text : parsed.text.replace(/^[^=]*?(=|extends|implements)/, "");
        const used = new Set<string>();
        mark(used, text);
        used.delete(owner);
        edges.set(owner, new Set([...(edges.get(owner) ?? []), ...used]));
        // A class's properties are read from its instances.
        if (key.includes(".") && /^(export )?(abstract )?class /.test(api[key.slice(0, key.indexOf("."))] ?? "")) mark(roles.output, text);
      }
    }
  }
  for (const set of [roles.input, roles.output]) {
    const queue = [...set];
    while (queue.length > 0) {
      for (const next of edges.get(queue.pop()!) ?? []) {
        if (set.has(next)) continue;
        set.add(next);
        queue.push(next);
      }
    }
  }
  for (const name of names) {
    if (roles.input.has(name) || roles.output.has(name)) continue;
    roles.input.add(name);
    roles.output.add(name);
  }
  return roles;
}

/**
 * Every difference between two public APIs, classified from a consumer's point of view: a removed
 * export, method, property or option, a narrowed parameter, a newly required option or parameter, a
 * widened result is breaking; an addition is a feature; a widened parameter or a narrowed result is
 * a change that compiles as before. Types only the package names (`~`) are compared by their
 * members, not their names.
 */
export function diffPublicApi(before: PublicApi, after: PublicApi): ApiChange[] {
  loadTypeScript();
  const changes: ApiChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  // Merged declarations' lines in any order are the same declarations.
  const same = (a: string | undefined, b: string | undefined) => a === b || (a !== undefined && b !== undefined && a.split("\n").sort().join("\n") === b.split("\n").sort().join("\n"));
  const changed = keys.filter((key) => !same(before[key], after[key]));
  if (changed.length === 0) return changes;
  // Roles parse every call in both APIs: only when a change needs them.
  let roles: [Roles, Roles] | undefined;
  const hasRole = (key: string, role: keyof Roles) => {
    roles ??= [rolesOf(before), rolesOf(after)];
    return roles.some((r) => r[role].has(topName(key)));
  };
  const isInput = (key: string) => hasRole(key, "input");
  const isOutput = (key: string) => hasRole(key, "output");
  const add = (kind: ApiChange["kind"], key: string, text: string) => changes.push({ kind, key, text });
  const shown = (key: string) => `\`${key.replace(/^~/, "")}\``;

  for (const key of changed) {
    const parent = key.includes(".") ? key.slice(0, key.indexOf(".")) : undefined;
    const internal = key.startsWith("~");
    if (after[key] === undefined) {
      if (parent !== undefined && (before[parent] === undefined || after[parent] === undefined)) continue;
      if (parent === undefined && internal) continue;
      add("Breaking", key, `${parent === undefined ? "export " : ""}${shown(key)} removed`);
      continue;
    }
    if (before[key] === undefined) {
      if (parent !== undefined && before[parent] === undefined) continue;
      if (parent === undefined && internal) continue;
      const [parsed] = parseLine(key, after[key]!);
      const quoted = after[key]!.split("\n")[0]!;
      const shownLine = quoted.length > QUOTED_MAX ? "" : ` (\`${quoted}\`)`;
      if (parent !== undefined && parsed?.form === "property" && !parsed.optional && isInput(key)) add("Breaking", key, `${shown(key)} added, required${shownLine}`);
      else add("Added", key, `${parent === undefined ? "export " : ""}${shown(key)}${shownLine}`);
      continue;
    }
    diffLine(parseLine(key, before[key]!), parseLine(key, after[key]!), () => isInput(key), () => isOutput(key), (kind, text) => add(kind, key, `${shown(key)} ${text}`));
  }
  return changes;
}

type AddLine = (kind: ApiChange["kind"], text: string) => void;

/** A type that changed where consumers pass it (`input`) and/or read it (`output`). */
function diffType(what: string, old: string, now: string, input: () => boolean, output: () => boolean, add: AddLine): void {
  if (old === now) return;
  const [a, b] = [unionMembers(old), unionMembers(now)];
  const widened = isSubset(a, b);
  const narrowed = isSubset(b, a);
  if ((!widened && input()) || (!narrowed && output())) add("Breaking", `${what} changed${fromTo(old, now)}`);
  else add("Changed", `${what} ${widened ? "widened" : "narrowed"}${fromTo(old, now)}`);
}

function diffLine(old: Parsed[], now: Parsed[], input: () => boolean, output: () => boolean, add: AddLine): void {
  const [a, b] = [old[0], now[0]];
  if (old.length !== 1 || now.length !== 1 || !a || !b || a.form !== b.form) {
    add("Breaking", `changed${fromTo(old.map(textOf).join("; "), now.map(textOf).join("; "))}`);
    return;
  }
  if (a.form === "property" && b.form === "property") {
    if (a.optional && !b.optional) add(input() ? "Breaking" : "Changed", input() ? "became required" : "is always present now");
    else if (!a.optional && b.optional) add(output() ? "Breaking" : "Changed", output() ? "may be missing now" : "became optional");
    if (!a.readonly && b.readonly) add("Breaking", "became read-only");
    else if (a.readonly && !b.readonly) add("Changed", "is no longer read-only");
    diffType("type", a.type, b.type, input, output, add);
  } else if (a.form === "call" && b.form === "call") {
    for (let i = 0; i < Math.max(a.params.length, b.params.length); i++) {
      const [p, q] = [a.params[i], b.params[i]];
      // Parameters are positional: a new name in the same place is the same parameter renamed.
      const name = p && q && p.name !== q.name ? `parameter ${i + 1} (\`${p.name}\` -> \`${q.name}\`)` : `parameter \`${(q ?? p)!.name}\``;
      if (!q) add("Breaking", `${name} removed`);
      else if (!p) add(q.optional || q.rest ? "Added" : "Breaking", `${name} added${q.optional || q.rest ? "" : ", required"}`);
      else {
        if (p.optional && !q.optional && !q.rest) add("Breaking", `${name} became required`);
        else if (!p.optional && q.optional) add("Changed", `${name} became optional`);
        if (p.rest !== q.rest) add("Breaking", `${name} ${q.rest ? "became" : "is no longer"} a rest parameter`);
        // A parameter is written by the caller: only widening is safe.
        diffType(`${name} type`, p.type, q.type, () => true, () => false, add);
      }
    }
    diffType("result", a.returns, b.returns, () => false, () => true, add);
  } else if (a.form === "other" && b.form === "other") {
    const alias = /^export type [^=]+= /;
    if (alias.test(a.text) && alias.test(b.text) && a.text.replace(/=.*/, "") === b.text.replace(/=.*/, "")) {
      diffType("type", a.text.replace(alias, ""), b.text.replace(alias, ""), input, output, add);
    } else add("Breaking", `changed${fromTo(a.text, b.text)}`);
  }
}

/** Longest signature a changelog line quotes; a longer one is named, not quoted. */
const QUOTED_MAX = 120;

/** `(`a` -> `b`)`, or nothing when either side is too long to read in a changelog line. */
const fromTo = (a: string, b: string): string => (a.length > QUOTED_MAX || b.length > QUOTED_MAX ? "" : ` (\`${a}\` -> \`${b}\`)`);

const textOf = (parsed: Parsed): string =>
  parsed.form === "other" ? parsed.text : parsed.form === "property" ? `${parsed.optional ? "?" : ""}: ${parsed.type}` : `(${parsed.params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${p.type}`).join(", ")}): ${parsed.returns}`;
