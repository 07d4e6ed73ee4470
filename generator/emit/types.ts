import type { SourceFileStructure } from "ts-morph";
import type { ApiModel, EntityModel } from "../model.js";
import { tsHeader, typescriptFile, type GeneratedFile } from "./generated-file.js";
import { docSafe, docText, fieldDoc, filterDoc, orderByFields, rangeDoc, tsType } from "./typescript.js";

/** The statements of one module, as ts-morph structures (or plain text). */
type Statements = Extract<SourceFileStructure["statements"], unknown[]>;

/** Enum declarations live in one module, written once however many entities use them. */
export const ENUMS_MODULE = "src/enums.ts";

/** Path of an entity's types module. */
export function typesModulePath(entity: EntityModel): string {
  return `src/${entity.area}/${entity.fileBase}.types.ts`;
}

/**
 * Emits the type declarations with ts-morph: one module per entity (record, listing record,
 * create input, query, orderBy) and one module of enums. ts-morph is loaded only when types must
 * actually be emitted, so runs that stop earlier stay fast.
 *
 * Each module is described as one ts-morph structure and printed in one go: adding declarations
 * one by one re-parses the file after every addition, which cost seconds at Nexudus scale.
 */
export async function emitTypes(model: ApiModel, only?: ReadonlySet<string>): Promise<GeneratedFile[]> {
  const { Project, StructureKind, VariableDeclarationKind } = await import("ts-morph");
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const files: GeneratedFile[] = [];

  const print = (path: string, statements: Statements, header: string) => {
    const source = project.createSourceFile(path, { statements }, { overwrite: true });
    files.push(typescriptFile(path, header + source.getFullText()));
    // Printed once and done with: forget it, so the in-memory project does not grow.
    project.removeSourceFile(source);
  };

  if (!only || only.has(ENUMS_MODULE)) {
    const statements: Statements = [];
    for (const e of model.enums) {
      const docs = [docSafe([e.description && docText(e.description), e.nexudusName ? `Nexudus name: \`${docText(e.nexudusName)}\`.` : undefined, e.usedBy.length ? `Used by ${e.usedBy.join(", ")}.` : undefined].filter(Boolean).join("\n\n") || e.name)];
      statements.push({
        kind: StructureKind.VariableStatement,
        // Printed in one go, statements of this kind get no blank line between them: ask for it.
        ...(statements.length ? { leadingTrivia: "\n" } : {}),
        isExported: true,
        docs,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [
          {
            name: e.name,
            initializer: (writer) => {
              writer.write("{").newLine();
              for (const v of e.values) writer.writeLine(`/** ${docSafe(v.name)} = ${v.value} */`).writeLine(`${v.name}: ${v.value},`);
              writer.write("} as const");
            },
          },
        ],
      });
      statements.push({
        kind: StructureKind.TypeAlias,
        leadingTrivia: "\n",
        isExported: true,
        name: e.name,
        docs: [`One of the {@link ${e.name}} values: ${e.values.map((v) => `${v.value} (${v.name})`).join(", ")}.`],
        type: `(typeof ${e.name})[keyof typeof ${e.name}]`,
      });
    }
    if (model.enums.length === 0) statements.push("export {};");
    print(ENUMS_MODULE, statements, tsHeader("specs/ (the enums of every spec)"));
  }

  for (const entity of model.entities) {
    const path = typesModulePath(entity);
    if (only && !only.has(path)) continue;
    const statements: Statements = [];
    const usedEnums = [...new Set([...entity.fields, ...entity.filters].flatMap((f) => (f.type.enumName ? [f.type.enumName] : [])))].sort();
    if (usedEnums.length) statements.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: "../enums.js", namedImports: usedEnums });
    if (entity.ops.list) statements.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: "../runtime/index.js", namedImports: ["SortDirection"] });

    const names = entity.typeNames;
    const sources = entity.docs.sources.length ? [entity.docs.sources.map((url) => `@see ${url}`).join("\n")] : [];
    const omitted = entity.listingOmits.length ? `Listing records leave out ${entity.listingOmits.map((f) => `\`${f}\``).join(", ")}; see {@link ${names.listingRecord}}.` : "Listing records carry every field.";

    statements.push({
      kind: StructureKind.Interface,
      name: names.record,
      isExported: true,
      docs: [docSafe([docText(entity.description), `The full record, as \`get()\` returns it. ${omitted}`, ...sources].join("\n\n"))],
      properties: entity.fields.map((f) => ({ name: f.name, type: tsType(f.type, "record"), docs: [fieldDoc(f, "record")] })),
    });

    // Listing records are the full record less the omitted fields: one declaration keeps both in step.
    const omittedUnion = entity.listingOmits.map((f) => JSON.stringify(f)).join(" | ");
    statements.push({
      kind: StructureKind.Interface,
      name: names.listingRecord,
      isExported: true,
      extends: [omittedUnion ? `Omit<${names.record}, ${omittedUnion}>` : names.record],
      docs: [docSafe(`A ${entity.name} as listing pages return it in \`Records[]\`.${entity.listingOmits.length ? ` It lacks ${entity.listingOmits.map((f) => `\`${f}\``).join(", ")}, so it can never be the base of an update: a PUT would clear them.` : " Listings carry every field."}`)],
    });

    if (entity.ops.create) {
      const writable = entity.fields.filter((f) => f.inCreate);
      statements.push({
        kind: StructureKind.Interface,
        name: names.create,
        isExported: true,
        docs: [docSafe(`The body of \`create()\`: the writable fields of a ${entity.name}, required ones first in the docs' order.`)],
        properties: [...writable.filter((f) => f.required), ...writable.filter((f) => !f.required)].map((f) => ({
          name: f.name,
          type: tsType(f.type, "input"),
          hasQuestionToken: !f.required,
          docs: [fieldDoc(f, "create")],
        })),
      });
    }

    if (entity.ops.list) {
      statements.push({
        kind: StructureKind.TypeAlias,
        name: names.orderBy,
        isExported: true,
        docs: [`A property of {@link ${names.record}} that listings can be sorted by.`],
        type: orderByFields(entity).map((f) => JSON.stringify(f.name)).join(" | ") || "never",
      });
      statements.push({
        kind: StructureKind.Interface,
        name: names.query,
        isExported: true,
        docs: [docSafe(`Query of \`list()\`, \`pages()\` and \`listAll()\`: paging, sorting, filters and range filters under their exact Nexudus names.`)],
        properties: [
          { name: "page", type: "number", hasQuestionToken: true, docs: ["The page number to retrieve. Default 1."] },
          { name: "size", type: "number", hasQuestionToken: true, docs: ["The number of records per page. Default 25."] },
          { name: "orderBy", type: names.orderBy, hasQuestionToken: true, docs: ["The property name to sort results by."] },
          { name: "dir", type: "SortDirection", hasQuestionToken: true, docs: ["Sort direction: 1 for ascending, -1 for descending."] },
          ...entity.filters.map((f) => ({ name: f.name, type: tsType(f.type, "query"), hasQuestionToken: true, docs: [filterDoc(f)] })),
          ...entity.rangeFilters.flatMap((r) => [
            { name: r.fromName, type: tsType(r.type, "query"), hasQuestionToken: true, docs: [rangeDoc(r, "from")] },
            { name: r.toName, type: tsType(r.type, "query"), hasQuestionToken: true, docs: [rangeDoc(r, "to")] },
          ]),
        ].map((property) => ({ ...property, type: `${property.type} | undefined` })), // strict projects may pass undefined
      });
    }
    print(path, statements, tsHeader(entity.specFile));
  }
  return files;
}
