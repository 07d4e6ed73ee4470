import type { ApiModel, EntityModel } from "../model.js";
import { absoluteLinks, TESTED_NODE_VERSIONS } from "../project.js";
import { accessor, CLIENT_SETUP, exampleImports, operationExamples } from "./examples.js";
import { mdHeader, type GeneratedFile } from "./generated-file.js";
import type { Templates } from "./templates.js";
import { tsType, writeNote } from "./typescript.js";

/** Path of an entity's docs page in the package. */
export function docsPagePath(entity: EntityModel): string {
  return `docs/${entity.area}/${entity.fileBase}.md`;
}

/** What the entity page prints: the model plus examples and rendered types. */
function entityView(entity: EntityModel, model: ApiModel) {
  const examples = operationExamples(entity, model);
  const usedEnums = new Set([...entity.fields, ...entity.filters].flatMap((f) => (f.type.enumName ? [f.type.enumName] : [])));
  return {
    header: mdHeader(entity.specFile),
    entity,
    accessor: accessor(entity),
    setup: `${exampleImports(model, examples)}\n\n${CLIENT_SETUP}`,
    operations: entity.operations.map((op) => ({ ...op, example: examples[op.name] })),
    fields: entity.fields.map((f) => ({
      ...f,
      ts: tsType(f.type, "record"),
      onCreate: f.readOnly ? "read-only" : f.updateOnly ? "update-only" : f.createOnly ? (f.required ? "required, create-only" : "create-only") : f.required ? "required" : "optional",
      note: writeNote(f),
    })),
    filters: entity.filters.map((f) => ({ ...f, ts: tsType(f.type, "query") })),
    rangeFilters: entity.rangeFilters.map((r) => ({ ...r, ts: tsType(r.type, "query"), isDate: r.type.kind === "datetime" })),
    enums: model.enums.filter((e) => usedEnums.has(e.name)),
    partial: entity.docs.status !== "complete",
  };
}

/** Emits the package README and one Markdown page per entity. */
export function emitDocs(model: ApiModel, templates: Templates, packageName: string): GeneratedFile[] {
  const files: GeneratedFile[] = model.entities.map((entity) => ({
    path: docsPagePath(entity),
    parser: "markdown",
    content: templates["docs/entity.md.hbs"](entityView(entity, model)),
  }));
  const first = model.exampleEntity;
  files.push({
    path: "README.md",
    parser: "markdown",
    // Read on the registry's page, where a relative link resolves to nothing.
    content: absoluteLinks(templates["docs/README.md.hbs"]({
      header: mdHeader("specs/"),
      packageName,
      testedNode: TESTED_NODE_VERSIONS,
      model,
      first: first && { entity: first, accessor: accessor(first) },
      areas: model.areas.map((area) => ({
        ...area,
        entities: area.entities.map((e) => ({ ...e, docsPath: docsPagePath(e), operationNames: e.operations.map((op) => `${op.name}()`).join(", ") })),
      })),
      counts: {
        entities: model.entities.length,
        complete: model.entities.filter((e) => e.docs.status === "complete").length,
        operations: model.entities.reduce((n, e) => n + e.operations.length, 0),
      },
    })),
  });
  return files;
}
