import { entityPart, type ApiModel, type EntityModel } from "../model.js";
import type { Emitter } from "./emitter.js";
import { prettierConfig } from "../format.js";
import { printedFile, tsHeader, type GeneratedFile } from "./generated-file.js";
import { hardline, indent, join } from "./print/doc.js";
import { arrayLiteral, block, documented, importDeclaration, joinStatements, objectProperty, printModule } from "./print/typescript.js";

/**
 * What the test server (`templates/testing/server.ts`) needs to serve one entity like Nexudus does,
 * from the model: its path, its operations, the fields listings leave out, the fields a create or
 * an update must carry, the filters that name no field of its own, and every field of a full
 * record (a PUT clears the ones it leaves out).
 */
function testEntity(entity: EntityModel) {
  const { requiredOnCreate, requiredOnUpdate } = entity;
  const sameOnUpdate = requiredOnUpdate.join() === requiredOnCreate.join();
  // The server finds the field of `<Entity>_<Field>` (`_Coworker` is `CoworkerId`, `_TimePass_Name`
  // is `TimePassName`); a documented filter on anything else (a related record's field) it must be told.
  const fieldNames = new Set(entity.fields.map((f) => f.name));
  const namesNoField = (name: string) => {
    const joined = name.slice(entity.name.length + 1).replaceAll("_", "");
    return !fieldNames.has(joined) && !fieldNames.has(`${joined}Id`);
  };
  const otherFilters = [...entity.filters.map((f) => f.name), ...entity.rangeFilters.map((r) => r.name)].filter(namesNoField);
  return {
    entity: entity.name,
    path: entity.path,
    operations: entity.operations.map((op) => op.name),
    listingOmits: entity.listingOmits,
    required: requiredOnCreate,
    ...(sameOnUpdate ? {} : { requiredOnUpdate }),
    ...(otherFilters.length > 0 ? { filters: otherFilters } : {}),
    fields: entity.fields.map((f) => f.name),
  };
}

/** The module of an entity's types (its area's), relative to `src/testing/`. */
const typesModule = (entity: EntityModel) => `../${entity.area}/index.js`;

/**
 * `src/testing/entities.ts`, the test server's manifest of every entity and the type of the seed
 * records (typed by the package's own record types), and `src/testing/index.ts`, the
 * `nexudus-api/testing` entry that serves them all by default. Only types are imported from the
 * client, so the testing entry adds nothing to an app's bundle and the client nothing to it.
 */
/** What the test server's modules print: each entity's manifest and names, no description. */
export function testingView(model: ApiModel) {
  return {
    entities: model.entities.map((entity) => entityPart(entity, "test server entry", (e) => ({ name: e.name, plural: e.plural, path: e.path, record: e.typeNames.record, module: typesModule(e), manifest: testEntity(e) }))),
    // Examples name an entity the package has.
    example: (model.exampleEntity ?? model.entities[0])?.name,
  };
}

export type TestingView = ReturnType<typeof testingView>;

export function emitTesting(view: TestingView, printWidth = prettierConfig().options.printWidth): GeneratedFile[] {
  const header = tsHeader("specs/");
  const { example } = view;
  const exampleSeed = example ? `{ ${example}: [{}] }` : "{}";
  // The record types each module gives, in the order of the entities.
  const recordsByModule = new Map<string, string[]>();
  for (const e of view.entities) recordsByModule.set(e.module, [...(recordsByModule.get(e.module) ?? []), e.record]);
  const imports = [importDeclaration(["TestCollection"], "./server.js", true), ...[...recordsByModule].map(([module, records]) => importDeclaration(records, module, true))];
  const manifest = view.entities.map((e) =>
    block(
      "{",
      Object.entries(e.manifest).map(([key, value]) => [objectProperty(key, typeof value === "string" ? JSON.stringify(value) : arrayLiteral(value.map((v) => JSON.stringify(v)))), ","]),
    ),
  );
  // Prettier never breaks a `readonly T[]` type, however long its line.
  const seedFields = view.entities.map((e) => documented(`Seed records of ${e.plural} (\`${e.path}\`).`, `readonly ${e.name}?: readonly Partial<${e.record}>[];`));
  const entities = joinStatements([
    join(hardline, imports),
    documented(
      [
        "Every entity of the package as the test server serves it: path, operations, the fields listing",
        "records leave out, the fields a create (`required`) or an update must carry, the filters that",
        "name no field of its own, and every field.",
      ].join("\n"),
      manifest.length ? ["export const TEST_ENTITIES: readonly TestCollection[] = [", indent([hardline, join([",", hardline], manifest), ","]), hardline, "];"] : "export const TEST_ENTITIES: readonly TestCollection[] = [];",
    ),
    documented(
      ["Seed records by entity name, each typed by the package's own record type: a field the record", "does not have, or a value of the wrong type, does not compile. Fields left out are `null`."].join("\n"),
      block("export type SeedRecords = {", seedFields, "};"),
    ),
  ]);
  // Fixed text but for the example's entity name, which is in comments only: written as prettier prints it.
  const index = `${header}/**
 * \`nexudus-api/testing\`: a Nexudus-like HTTP server to test code that uses the client, without the
 * real API. It serves every entity of the package (paths, operations, listing omissions and required
 * fields from the specs) and takes typed seed records.
 * @example
 * const server = await startNexudusTestServer({ tokens: ["t"], seed: ${exampleSeed} });
 * const client = new NexudusClient({ baseUrl: server.url, token: "t" });
 */
import {
  startNexudusTestServer as startServer,
  type NexudusTestServer,
  type TestServerOptions as ServerOptions,
} from "./server.js";
import { TEST_ENTITIES, type SeedRecords } from "./entities.js";

export { TEST_ENTITIES, type SeedRecords } from "./entities.js";
export type {
  CommandRun,
  Fault,
  FaultRule,
  NexudusTestServer,
  RecordedRequest,
  TestCollection,
  TestCommand,
  TestOperation,
  TestRecord,
  TestUser,
} from "./server.js";

/** Options of \`startNexudusTestServer\`: \`seed\` takes records typed by the package's record types. */
export type TestServerOptions = Omit<ServerOptions, "seed"> & {
  /** Seed records by entity name (\`${exampleSeed}\`); an \`Id\` is assigned to those without one. */
  seed?: SeedRecords;
};

/**
 * Starts a Nexudus-like server on 127.0.0.1 (a free port) serving every entity of the package
 * (\`entities\` narrows that; \`collections\` adds or replaces collections by path).
 */
export function startNexudusTestServer(
  options: TestServerOptions = {},
): Promise<NexudusTestServer> {
  return startServer({ entities: TEST_ENTITIES, ...options });
}
`;
  return [
    printedFile("src/testing/entities.ts", printModule(header, entities, printWidth)),
    printedFile("src/testing/index.ts", { text: index, final: true }),
  ];
}

/** The test server's manifest and the `nexudus-api/testing` entry (the server itself is copied with the runtime). */
export const testingEmitter: Emitter<TestingView> = {
  name: "emit testing",
  view: (model) => testingView(model),
  emit: (_model, _context, view) => emitTesting(view),
  packageExports: { testing: "testing/index" },
  nodeOnlyFolders: ["testing"],
};
