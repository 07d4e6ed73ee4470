import { entityPart, enumsUsed, PROVENANCE_MEANINGS, type ApiModel, type EntityModel, type FieldModel } from "../model.js";
import { FACTS_ONLY_MISSING, PROVENANCES } from "../types.js";
import { absoluteLinks, TESTED_NODE_VERSIONS } from "../project.js";
import { prettierConfig } from "../format.js";
import { accessor, operationExamples, type OperationExamples } from "./examples.js";
import type { Emitter, EntityScope } from "./emitter.js";
import { markdownFile, mdHeader, type GeneratedFile } from "./generated-file.js";
import { PACKAGE_NAME } from "./package.js";
import type { Templates } from "./templates.js";
import { tsType, writeNote } from "./typescript.js";

/** Path of an entity's docs page in the package. */
export function docsPagePath(entity: EntityModel): string {
  return `docs/${entity.area}/${entity.fileBase}.md`;
}

/** The generated page every entity page refers to for what they all share. */
export const COVERAGE_PAGE = "docs/coverage.md";

/** How a field's row reads in the docs: its TypeScript type and what create does with it. */
function fieldRow(f: FieldModel) {
  return {
    ...f,
    ts: tsType(f.type, "record"),
    onCreate: f.readOnly
      ? "read-only"
      : f.updateOnly
        ? "update-only"
        : f.createOnly
          ? f.required
            ? "required, create-only"
            : "create-only"
          : f.required
            ? "required"
            : "optional",
    note: writeNote(f),
  };
}

/** What the entity page prints: the model plus examples and rendered types. */
function entityView(entity: EntityModel, scope: EntityScope, examples: OperationExamples) {
  const usedEnums = new Set(enumsUsed(entity));
  return {
    header: mdHeader(entity.specFile),
    entity,
    accessor: accessor(entity),
    // The client's setup is the README's; an entity page only says what its examples import.
    setup: `${examples.imports}\n\ndeclare const nx: NexudusClient; // set up as the README's "Authenticate" shows`,
    operations: entity.operations.map((op) => ({ ...op, example: examples.examples[op.name] })),
    // Base fields are listed once, on the coverage page; a spec's own version of one stays here.
    fields: entity.fields.filter((f) => !f.base).map(fieldRow),
    hasBaseFields: entity.fields.some((f) => f.base),
    filters: entity.filters.map((f) => ({ ...f, ts: tsType(f.type, "query") })),
    rangeFilters: entity.rangeFilters.map((r) => ({
      ...r,
      ts: tsType(r.type, "query"),
      isDate: r.type.kind === "datetime",
    })),
    enums: scope.enums.filter((e) => usedEnums.has(e.name)),
    partial: entity.docs.status !== "complete",
  };
}

/** Counts of a group of entities, for the coverage page and the README. */
function counts(entities: readonly EntityModel[]) {
  const each = entities.map(countedOf);
  const sum = (count: (c: (typeof each)[number]) => number) => each.reduce((n, c) => n + count(c), 0);
  return {
    entities: entities.length,
    complete: each.filter((c) => c.status === "complete").length,
    partial: each.filter((c) => c.status !== "complete").length,
    fields: sum((c) => c.fields),
    filters: sum((c) => c.filters),
    rangeFilters: sum((c) => c.rangeFilters),
    unverified: sum((c) => c.unverified),
    operations: sum((c) => c.operations),
  };
}

/** What the README and the coverage page count of one entity (a part: see entityPart). */
function countedOf(entity: EntityModel) {
  return entityPart(entity, "docs counts", (e) => ({
    status: e.docs.status,
    factsOnly: e.docs.factsOnly,
    fields: e.fields.filter((f) => !f.base).length,
    filters: e.filters.length,
    rangeFilters: e.rangeFilters.length,
    unverified: e.unverified.length,
    operations: e.operations.length,
  }));
}

/** The coverage page: every area and entity, what it has and how well it is known. */
function coverageView(model: ApiModel) {
  return {
    header: mdHeader("specs/"),
    totals: {
      ...counts(model.entities),
      areas: model.areas.length,
      enums: model.enums.length,
      factsOnly: model.entities.filter((e) => countedOf(e).factsOnly).length,
    },
    factsOnlyMissing: FACTS_ONLY_MISSING,
    provenance: PROVENANCES.map((name) => ({ name, meaning: PROVENANCE_MEANINGS[name] })),
    baseFields: model.baseFields.map(fieldRow),
    areas: model.areas.map((area) => ({
      name: area.name,
      counts: counts(area.entities),
      entities: area.entities.map((entity) => entityPart(entity, "coverage row", coverageRow)),
    })),
    areaUnknown: model.areaUnknown,
  };
}

/** An entity's row on the coverage page. */
function coverageRow(e: EntityModel) {
  return {
        plural: e.plural,
        docsPath: `${e.area}/${e.fileBase}.md`,
        methods: e.methods.join(", "),
        fields: e.fields.filter((f) => !f.base).length,
        filters: e.filters.length,
        rangeFilters: e.rangeFilters.length,
        status: e.docs.status,
        // Filters named by the convention are counted; the other unverified names are listed.
        conventional: [...e.filters, ...e.rangeFilters].filter((f) => f.field !== undefined).length,
        unverified: e.unverified
          .filter(
            (u) =>
              ![...e.filters, ...e.rangeFilters].some(
                (f) => f.field !== undefined && f.name === u.name,
              ),
          )
          .map((u) => u.name),
  };
}

/**
 * Whether every line of a page's TypeScript blocks fits in the print width. The README's examples
 * are written in the template as prettier prints them; only the names they take from the model
 * vary, and where those make a line too long, prettier must lay it out.
 */
function codeLinesFit(markdown: string, printWidth: number): boolean {
  let inCode = false;
  for (const text of markdown.split("\n")) {
    if (/^```/.test(text)) inCode = !inCode && /^```(ts|typescript)\s*$/.test(text);
    else if (inCode && [...text].length > printWidth) return false;
  }
  return true;
}

/** An entity's docs page: its operations with examples, fields, filters and enums. */
export function emitEntityPage(entity: EntityModel, scope: EntityScope, templates: Templates): GeneratedFile {
  const examples = operationExamples(entity, scope, prettierConfig().options.printWidth);
  return markdownFile(docsPagePath(entity), templates["docs/entity.md.hbs"](entityView(entity, scope, examples)), { codeFinal: examples.final });
}

/** What the README prints: names, operations, counts and statuses, no description. */
function readmeView(model: ApiModel, packageName: string) {
  const first = model.exampleEntity;
  return {
    header: mdHeader("specs/"),
    packageName,
    testedNode: TESTED_NODE_VERSIONS,
    first: first && entityPart(first, "readme example", (e) => ({ entity: { name: e.name, resourceProperty: e.resourceProperty, resourceClass: e.resourceClass }, accessor: accessor(e) })),
    areas: model.areas.map((area) => ({
      name: area.name,
      counts: counts(area.entities),
      entities: area.entities.map((entity) =>
        entityPart(entity, "readme row", (e) => ({
          plural: e.plural,
          path: e.path,
          docs: { status: e.docs.status },
          docsPath: docsPagePath(e),
          operationNames: e.methods.map((m) => `${m}()`).join(", "),
        })),
      ),
    })),
    counts: counts(model.entities),
    coveragePath: COVERAGE_PAGE,
    areaUnknown: model.areaUnknown.length,
  };
}

/** What the README and the coverage page print, as plain data. */
export function docsWholeView(model: ApiModel, packageName: string) {
  return { readme: readmeView(model, packageName), coverage: coverageView(model) };
}

/** The package README and the coverage page, printed from their view. */
export function emitDocsWhole(view: ReturnType<typeof docsWholeView>, templates: Templates): GeneratedFile[] {
  const { printWidth } = prettierConfig().options;
  // Read on the registry's page, where a relative link resolves to nothing.
  const readme = absoluteLinks(templates["docs/README.md.hbs"](view.readme));
  return [
    markdownFile(COVERAGE_PAGE, templates["docs/coverage.md.hbs"](view.coverage)),
    markdownFile("README.md", readme, { codeFinal: codeLinesFit(readme, printWidth) }),
  ];
}

/** Every docs file: one page per entity, the coverage page and the package README. */
export function emitDocs(model: ApiModel, templates: Templates, packageName: string): GeneratedFile[] {
  return [...model.entities.map((entity) => emitEntityPage(entity, model, templates)), ...emitDocsWhole(docsWholeView(model, packageName), templates)];
}

/** The package README, the coverage page and the entity pages. */
export const docsEmitter: Emitter<ReturnType<typeof docsWholeView>> = {
  name: "emit docs",
  entity: (entity, scope, { templates }) => [emitEntityPage(entity, scope, templates)],
  view: (model) => docsWholeView(model, PACKAGE_NAME),
  emit: (_model, { templates }, view) => emitDocsWhole(view, templates),
  packageFiles: ["README.md"],
};
