import { enumsUsed, type EntityModel, type EnumModel } from "../model.js";
import type { Emitter } from "./emitter.js";
import { printedFile, tsHeader, type GeneratedFile } from "./generated-file.js";
import { hardline, type Doc } from "./print/doc.js";
import { afterOperator, assignment, block, documented, joinStatements, printModule, propertySignature, union } from "./print/typescript.js";
import { docSafe, docText, fieldDoc, filterDoc, orderByFields, rangeDoc, tsType } from "./typescript.js";
import { prettierConfig } from "../format.js";

/** Enum declarations live in one module, written once however many entities use them. */
export const ENUMS_MODULE = "src/enums.ts";

/** A property signature with its JSDoc: `Name?: Type;`. */
function property(name: string, type: string, doc: string, optional = false): Doc {
  return documented(doc, propertySignature(name, type, optional));
}

/** An enum: a const object of its values and the type of one value, under the same name. */
function enumDeclarations(e: EnumModel): Doc[] {
  const doc = [e.description && docText(e.description), e.nexudusName ? `Nexudus name: \`${docText(e.nexudusName)}\`.` : undefined, e.usedBy.length ? `Used by ${e.usedBy.join(", ")}.` : undefined].filter(Boolean).join("\n\n") || e.name;
  const members = e.values.map((v) => [`/** ${docSafe(v.name)} = ${v.value} */`, hardline, `${v.name}: ${v.value},`]);
  return [
    documented(docSafe(doc), [assignment(`export const ${e.name}`, block("{", members, "} as const")), ";"]),
    documented(`One of the {@link ${e.name}} values: ${e.values.map((v) => `${v.value} (${v.name})`).join(", ")}.`, [`export type ${e.name} =`, afterOperator(`(typeof ${e.name})[keyof typeof ${e.name}]`), ";"]),
  ];
}

/** The enums module: every enum of every spec. */
export function emitEnums(enums: readonly EnumModel[], printWidth = prettierConfig().options.printWidth): GeneratedFile {
  const body = enums.length ? joinStatements(enums.flatMap(enumDeclarations)) : "export {};";
  return printedFile(ENUMS_MODULE, printModule(tsHeader("specs/ (the enums of every spec)"), body, printWidth));
}

/**
 * One entity's types, printed in their final form (print/typescript.ts): the record, the listing record, the
 * create input, the orderBy union and the query. They sit in the entity's area module (emit/areas.ts), which
 * imports what `typesImports` names.
 */
export function entityTypes(entity: EntityModel): Doc[] {
  const names = entity.typeNames;
  const declarations: Doc[] = [];
  const sources = entity.docs.sources.length ? [entity.docs.sources.map((url) => `@see ${url}`).join("\n")] : [];
  const omits = entity.listingOmits;
  const fields = (listed: boolean) => entity.fields.filter((f) => omits.includes(f.name) !== listed).map((f) => property(f.name, tsType(f.type, "record"), fieldDoc(f, "record")));
  const omitted = omits.map((f) => `\`${f}\``).join(", ");
  // Listing records are the full record less the omitted fields. The full record extends the listing record with
  // them, so that each field is declared once and tsc reads two plain interfaces (an `Omit` of the record cost it
  // a mapped type per entity, most of the check time of the types modules).
  if (omits.length) {
    declarations.push(
      documented(
        docSafe([docText(entity.description), `The full record, as \`get()\` returns it: a {@link ${names.listingRecord}} and the fields listings leave out, ${omitted}.`, ...sources].join("\n\n")),
        block(`export interface ${names.record} extends ${names.listingRecord} {`, fields(false)),
      ),
      documented(
        docSafe(`A ${entity.name} as listing pages return it in \`Records[]\`: every field but ${omitted}, so it can never be the base of an update: a PUT would clear them.`),
        block(`export interface ${names.listingRecord} {`, fields(true)),
      ),
    );
  } else {
    declarations.push(
      documented(
        docSafe([docText(entity.description), "The full record, as `get()` returns it. Listing records carry every field.", ...sources].join("\n\n")),
        block(`export interface ${names.record} {`, fields(true)),
      ),
      documented(docSafe(`A ${entity.name} as listing pages return it in \`Records[]\`. Listings carry every field.`), `export interface ${names.listingRecord} extends ${names.record} {}`),
    );
  }

  if (entity.ops.create) {
    const writable = entity.fields.filter((f) => f.inCreate);
    declarations.push(
      documented(
        docSafe(`The body of \`create()\`: the writable fields of a ${entity.name}, required ones first in the docs' order.`),
        block(
          `export interface ${names.create} {`,
          [...writable.filter((f) => f.required), ...writable.filter((f) => !f.required)].map((f) => property(f.name, tsType(f.type, "input"), fieldDoc(f, "create"), !f.required)),
        ),
      ),
    );
  }

  if (entity.ops.list) {
    declarations.push(
      documented(`A property of {@link ${names.record}} that listings can be sorted by.`, [`export type ${names.orderBy} =`, afterOperator(union(orderByFields(entity).map((f) => JSON.stringify(f.name)))), ";"]),
    );
    // Every parameter also takes undefined: strict projects (exactOptionalPropertyTypes) may pass it.
    const parameter = (name: string, type: string, doc: string) => property(name, `${type} | undefined`, doc, true);
    declarations.push(
      documented(
        docSafe(`Query of \`list()\`, \`pages()\` and \`listAll()\`: paging, sorting, filters and range filters under their exact Nexudus names.`),
        block(`export interface ${names.query} {`, [
          parameter("page", "number", "The page number to retrieve. Default 1."),
          parameter("size", "number", "The number of records per page. Default 25."),
          parameter("orderBy", names.orderBy, "The property name to sort results by."),
          parameter("dir", "SortDirection", "Sort direction: 1 for ascending, -1 for descending."),
          ...entity.filters.map((f) => parameter(f.name, tsType(f.type, "query"), filterDoc(f))),
          ...entity.rangeFilters.flatMap((r) => [
            parameter(r.fromName, tsType(r.type, "query"), rangeDoc(r, "from")),
            parameter(r.toName, tsType(r.type, "query"), rangeDoc(r, "to")),
          ]),
        ]),
      ),
    );
  }
  return declarations;
}

/** The enums and runtime types an entity's types use, by name. */
export function typesImports(entity: EntityModel): { enums: readonly string[]; runtime: readonly string[] } {
  return { enums: enumsUsed(entity), runtime: entity.ops.list ? ["type SortDirection"] : [] };
}

/** The enums module, every enum of every spec: an entity's types are in its area module (emit/areas.ts). */
export const typesEmitter: Emitter<readonly EnumModel[]> = {
  name: "emit types",
  // The enums module prints the enums and nothing else.
  view: (model) => model.enums,
  emit: (_model, _context, enums) => [emitEnums(enums)],
};
