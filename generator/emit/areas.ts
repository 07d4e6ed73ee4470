import { hash } from "../cache.js";
import { prettierConfig } from "../format.js";
import { entityHash, entityPart, type ApiModel, type AreaModel, type EntityModel } from "../model.js";
import { areaClass, entityResource, namingMethods, operationFunction, operationTables, resourceImports, resourceNames, type OperationTable } from "./client.js";
import type { Emitter } from "./emitter.js";
import { tsHeader, typescriptFile, type GeneratedFile } from "./generated-file.js";
import { hardline, join, print, type Doc } from "./print/doc.js";
import { assignment, documented, importDeclaration, joinStatements, objectLiteral, objectProperty } from "./print/typescript.js";
import { forgetSections, printInSections, type SectionsContext } from "./sections.js";
import { entityTypes, typesImports } from "./types.js";

/** An area's module: its entities' types and resources, and the area's class. */
const areaModulePath = (area: string): string => `src/${area}/index.ts`;

/** The runtime's values an area module imports, in this order; its types follow, by name. */
const RUNTIME_VALUES = ["list", "pages", "listAll", "get", "getMany", "create", "update", "patch", "remove", "commands", "runCommand", "resourceClass"];

/** What an entity's types and resource import: runtime names (`type X` for a type) and enums (a part: see `entityPart`). */
const entityImports = (entity: EntityModel) =>
  entityPart(entity, "area imports", (e) => {
    const types = typesImports(e);
    return { runtime: [...new Set([...resourceImports(e), ...types.runtime])], enums: [...types.enums] };
  });

/** The import declarations of an area module (names, module, type-only): every name its entities and its class use, each once, in a fixed order. */
function areaImports(area: AreaModel): [string[], string, boolean][] {
  const runtime = new Set(["type Transport"]);
  const enums = new Set<string>();
  for (const entity of area.entities) {
    const imports = entityImports(entity);
    for (const name of imports.runtime) runtime.add(name);
    for (const name of imports.enums) enums.add(name);
  }
  const values = RUNTIME_VALUES.filter((name) => runtime.has(name));
  const types = [...runtime].filter((name) => name.startsWith("type ")).sort();
  const declarations: [string[], string, boolean][] = [[[...values, ...types], "../runtime/index.js", false]];
  if (enums.size) declarations.push([[...enums].sort(), "../enums.js", true]);
  return declarations;
}

/** The operation tables an area's resources' classes take (client.ts `operationTables`), each once, in the order of first use. */
function areaOperationTables(area: AreaModel): OperationTable[] {
  const tables = new Map<string, OperationTable>();
  for (const entity of area.entities) {
    const { main, update } = entityPart(entity, "operation tables", operationTables);
    for (const table of [main, update]) if (table && !tables.has(table.name)) tables.set(table.name, table);
  }
  return [...tables.values()];
}

/** How a table's JSDoc says a method whose name is not the verb itself. */
const METHOD_VERBS: Record<string, string | undefined> = { getMany: "get many", commands: "list commands", runCommand: "run commands" };

/** `const listGetMethods = { list, pages, listAll, get };`, documented by what its methods do. */
function operationTableDeclaration({ name, methods }: OperationTable): Doc {
  const verbs = namingMethods(methods).map((method) => METHOD_VERBS[method] ?? method);
  const said = verbs.length > 1 ? `${verbs.slice(0, -1).join(", ")} and ${verbs.at(-1)}` : verbs.join("");
  const properties = methods.map((method) => (operationFunction(method) === method ? method : objectProperty(method, operationFunction(method))));
  return documented(`The operation functions, by method name, of the area's resources that ${said}: their classes call them.`, [
    assignment(`const ${name}`, objectLiteral(properties)),
    ";",
  ]);
}

/** An entity's section of its area's module: its types, then its resource. */
export function printEntitySection(entity: EntityModel, printWidth: number): { text: string; sure: boolean } {
  return print(joinStatements([...entityTypes(entity), ...entityResource(entity)]), printWidth);
}

/**
 * An area's module, printed in sections (sections.ts): the imports; then each entity's types and resource, one
 * section known by the entity's hash, printed only when the entity changed; then the area's class. One module per
 * area rather than two per entity: tsc checks the same declarations in about a quarter less time
 * (docs/benchmark.md). A module the printer is unsure of goes to prettier whole.
 */
export async function emitAreaModule(area: AreaModel, context: SectionsContext, printWidth = prettierConfig().options.printWidth): Promise<GeneratedFile> {
  const path = areaModulePath(area.name);
  let sure = true;
  const printed = (doc: Doc) => {
    const result = print(doc, printWidth);
    sure &&= result.sure;
    return result.text;
  };
  const file = await printInSections(path, { parser: "typescript", final: true }, context, (printer) => {
    printer.between(`${tsHeader(`specs/${area.name}/`)}\n`);
    const imports = areaImports(area);
    printer.section("imports", hash(JSON.stringify([imports, printWidth])), () => printed(join(hardline, imports.map(([names, from, typeOnly]) => importDeclaration(names, from, typeOnly)))));
    printer.between("\n\n");
    const tables = areaOperationTables(area);
    printer.section("operation tables", hash(JSON.stringify([tables, printWidth])), () => printed(joinStatements(tables.map(operationTableDeclaration))));
    printer.between("\n\n");
    for (const entity of area.entities) {
      printer.section(`entity:${entity.name}`, `${entityHash(entity)}:${printWidth}`, () => {
        const section = printEntitySection(entity, printWidth);
        sure &&= section.sure;
        return section.text;
      });
      printer.between("\n\n");
    }
    const view = { name: area.name, className: area.className, entities: area.entities.map(resourceNames) };
    printer.section("area class", hash(JSON.stringify([view, printWidth])), () => printed(areaClass(view)));
    printer.between("\n");
  });
  if (sure) return file;
  forgetSections(path, context);
  return typescriptFile(path, file.content);
}

/** One module per area: its entities' types and resources, and the area's class. */
export const areasEmitter: Emitter = {
  name: "emit areas",
  async emit(model: ApiModel, context) {
    const printWidth = prettierConfig().options.printWidth;
    const files: GeneratedFile[] = [];
    for (const area of model.areas) files.push(await emitAreaModule(area, context, printWidth));
    return files;
  },
};
