import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { prettierConfig } from "../format.js";
import { entityPart, OPERATION_NAMES, type ApiModel, type EntityModel, type OperationModel } from "../model.js";
import { pascalCase, updateInfoName } from "../names.js";
import { packageFileUrl, repositoryFile } from "../project.js";
import { docsPagePath } from "./docs.js";
import type { Emitter } from "./emitter.js";
import { printedFile, tsHeader, type GeneratedFile } from "./generated-file.js";
import { hardline, join, type Doc } from "./print/doc.js";
import { arrayLiteral, assignment, block, call, documented, exportDeclaration, importDeclaration, joinStatements, jsdoc, objectProperty, printModule, typeReference, union } from "./print/typescript.js";
import { docSafe, docText } from "./typescript.js";

/** The hand-written parts of the package, copied as they are: folder in templates/ -> folder in src/. */
export const COPIED_FOLDERS = ["runtime", "testing"] as const;

/** The fields `patch()` can change: those an update changes (not those Nexudus sets or that only a create takes). */
const changeableFields = (entity: EntityModel) => entity.fields.filter((f) => f.inUpdate).map((f) => f.name);

/** The runtime names an entity's resource imports: the function of each method (`remove` for `delete`), then the types it uses. */
export function resourceImports(entity: EntityModel): string[] {
  const patchable = Boolean(entity.ops.update && entity.ops.get);
  return [
    ...entity.methods.map(operationFunction),
    "resourceClass",
    "type NexudusResource",
    "type ResourceInfo",
    ...(entity.ops.update ? ["type UpdateInfo"] : []),
    ...entity.methods.map((name) => `type ${methodType(name)}`),
    ...(patchable && changeableFields(entity).length ? ["type Changes"] : []),
  ];
}

/** The runtime's function a method calls: the method's name, but `remove` for `delete` (a reserved word). */
export const operationFunction = (method: string): string => (method === "delete" ? "remove" : method);

/** The runtime's type of a method: `listAll` -> `ListAllMethod`. */
const methodType = (name: string) => `${pascalCase(name)}Method`;

/**
 * A table of the operation functions a resource's class calls, by method name (`operationFunction`). Each set
 * of methods has one table per area module, named after the methods (`list` also stands for `pages` and `listAll`):
 * `listGetCreateDeleteMethods`, `updatePatchMethods`. A class takes its tables by name: tsc checks each table once
 * per module, not its functions again in every resource (docs/benchmark.md).
 */
export interface OperationTable {
  name: string;
  /** `list`, `pages`, `listAll`, `get`…, in the order of the resource's methods. */
  methods: string[];
}

/** The methods a table is named and documented by: `list` stands for its companions `pages` and `listAll`. */
export const namingMethods = (methods: readonly string[]): string[] => methods.filter((m) => m !== "pages" && m !== "listAll");

/** The table of `methods`, named after them: `["list", "pages", "listAll", "get"]` -> `listGetMethods`. */
const operationTable = (methods: readonly string[]): OperationTable => {
  const [first, ...rest] = namingMethods(methods);
  return { name: `${first}${rest.map(pascalCase).join("")}Methods`, methods: [...methods] };
};

/** An entity's operation tables: the one its info serves, and (for an entity that updates) the one its info for updates serves. */
export function operationTables(entity: EntityModel): { main?: OperationTable; update?: OperationTable } {
  const updating = new Set(["update", "patch"]);
  const main = entity.methods.filter((m) => !updating.has(m));
  const update = entity.methods.filter((m) => updating.has(m));
  return { ...(main.length ? { main: operationTable(main) } : {}), ...(update.length ? { update: operationTable(update) } : {}) };
}

/**
 * Every name an operation table could take: one per set of the info's methods (named by the operations other than
 * `update`), and of the info for updates' (`update`, `patch`).
 */
const TABLE_NAMES = new Set(
  [OPERATION_NAMES.filter((op) => op !== "update"), ["update", "patch"]].flatMap((methods) =>
    Array.from({ length: 2 ** methods.length - 1 }, (_, set) => operationTable(methods.filter((_, i) => (set + 1) & (1 << i))).name),
  ),
);

/** Whether `name` is one an area module's operation table could take: no entity's info export may take it. */
export const isOperationTableName = (name: string): boolean => TABLE_NAMES.has(name);

/** A JSDoc body from lines; spec text in them is already made safe by the caller. */
const docLines = (...lines: (string | false | undefined)[]) => lines.filter((l): l is string => typeof l === "string").join("\n");

/** `GET /path` (role `Role`), the line that ends every method's JSDoc. */
const endpoint = (method: string, op: OperationModel) => `\`${method} ${op.path}\` (role \`${op.role}\`).`;

/** One method of a resource: its JSDoc and its type in the resource's interface, the runtime's type of the method given the entity's types. */
const method = (doc: string, name: string, typeArguments: readonly string[] = []): Doc =>
  documented(docSafe(doc), [`${name}: `, typeArguments.length ? typeReference(methodType(name), typeArguments) : methodType(name), ";"]);

/**
 * An entity's resource, printed in its final form: its info (path, listing omissions, update rules), the
 * interface of its documented methods and its class. It sits in the entity's area module (emit/areas.ts), after
 * the entity's types, which imports what `resourceImports` names.
 */
export function entityResource(entity: EntityModel): Doc[] {
  const { ops, typeNames: names, resourceProperty: info } = entity;
  const list = (values: readonly string[]) => values.map((v) => `\`${v}\``).join(", ");
  const statements: Doc[] = [];
  // Local to the area module: each entity's has a name of its own.
  const patchableType = `${names.record}Patchable`;
  const patchable = ops.update && ops.get;
  if (patchable) {
    // A `Pick` of the fields an update changes, not an `Omit` of the others: `Omit` is a conditional type over every
    // field, and in every resource module it cost tsc more than half of the package's type instantiations. With no
    // such field, `Record<string, never>`: tsc checks no excess property against an empty object type (`{}`).
    const changeable = changeableFields(entity).map((f) => JSON.stringify(f));
    statements.push(
      changeable.length
        ? documented(
            "What `patch()` can change: the fields an update can change (not those Nexudus sets or that only a create takes).",
            [assignment(`type ${patchableType}`, typeReference("Changes", [typeReference("Pick", [names.record, union(changeable)])])), ";"],
          )
        : documented(`What \`patch()\` can change: no field of a ${entity.name} (Nexudus sets them, or only a create takes them).`, `type ${patchableType} = Record<string, never>;`),
    );
  }
  const strings = (values: readonly string[]) => arrayLiteral(values.map((v) => JSON.stringify(v)));
  const where: Doc[] = [[objectProperty("entity", JSON.stringify(entity.name)), ","], [objectProperty("path", JSON.stringify(entity.path)), ","]];
  /**
   * `export const name: ResourceInfo<XResource> = { values };`, the object literal broken one property a line. Typed by
   * the resource's interface rather than a shape of its own: tsc resolves no second type per info.
   */
  const infoDeclaration = (name: string, type: string, values: Doc[]): Doc => [assignment(`export const ${name}: ${type}<${entity.resourceClass}>`, block("{", values)), ";"];
  // What only update() and patch() need is a second export, so that an app that only reads does not carry it.
  const updateInfo = updateInfoName(info);
  statements.push(
    documented(
      docLines(
        `Where ${entity.plural} live and (for the types) the methods of \`${entity.resourceClass}\`, which passes it to`,
        `the operation functions; an app that wants the smallest bundle can too: \`list(transport, ${info}, query)\`.`,
        ops.update && `\`update()\` and \`patch()\` take \`${updateInfo}\`.`,
      ),
      infoDeclaration(info, "ResourceInfo", where),
    ),
  );
  if (ops.update)
    statements.push(
      documented(
        docLines(
          `What \`update()\` and \`patch()\` check on ${entity.plural} before any request: the fields their listing leaves out`,
          `and those an update needs (a PUT would clear or refuse them), and those an update cannot change.`,
          `\`${entity.resourceClass}\` passes it to them; so can an app: \`update(transport, ${updateInfo}, record)\`.`,
        ),
        infoDeclaration(updateInfo, "UpdateInfo", [
          ...where,
          [objectProperty("listingOmits", strings(entity.listingOmits)), ","],
          [objectProperty("requiredOnUpdate", strings(entity.requiredOnUpdate)), ","],
          [objectProperty("readOnlyOnUpdate", strings(entity.readOnlyOnUpdate)), ","],
        ]),
      ),
    );

  const methods: Doc[] = [];
  if (ops.list) {
    const { list: op } = ops;
    const listed = [names.listingRecord, names.query];
    methods.push(
      method(
        docLines(
          `${op.title}: one page of records, filtered and sorted. The page has \`hasNextPage()\` and`,
          "`getNextPage()`, and `for await (const record of page)` runs over this page and every later one.",
          `Records lack ${entity.listingOmits.length ? list(entity.listingOmits) : "no field"}: never base an update on them.`,
          "",
          endpoint("GET", op),
        ),
        "list",
        listed,
      ),
      method(
        docLines(`Every page of a ${op.title} query, one request per page, starting at \`query.page\`.`, "", endpoint("GET", op)),
        "pages",
        listed,
      ),
      method(
        docLines(`Every record of every page of a ${op.title} query; holds one page in memory at a time.`, "", endpoint("GET", op)),
        "listAll",
        listed,
      ),
    );
  }
  if (ops.get) {
    methods.push(
      method(
        docLines(`${ops.get.title}: the full record, the only safe base for \`update()\`.`, "", endpoint("GET", ops.get)),
        "get",
        [names.record],
      ),
    );
  }
  if (ops.getMany) {
    methods.push(
      method(
        docLines(
          `${ops.getMany.title} by id, in one request or several when the URL would grow too long.`,
          "Like listing records, batch records may lack fields: never base an update on them (`update()` refuses them).",
          "Records come in the order of `ids`; a repeated id gives its record once; an id without a record is left out.",
          "",
          endpoint("GET", ops.getMany),
        ),
        "getMany",
        [names.listingRecord],
      ),
    );
  }
  if (ops.create) {
    methods.push(
      method(
        docLines(
          `${ops.create.title}. The new record's id is \`result.Value.Id\`.`,
          "Never retried after a network failure, a timeout or a server error, so a record is never created twice; the",
          "error then says the record may have been created and how to check.",
          "",
          endpoint("POST", ops.create),
        ),
        "create",
        [names.create],
      ),
    );
  }
  if (ops.update) {
    methods.push(
      method(
        docLines(
          `${ops.update.title}. A PUT replaces the whole record: every field left out is cleared.`,
          "Pass the full record from `get()` with your changes applied, or use `patch()`.",
          "Refused before any request: a record from `list()` or `getMany()`, one without its `Id`, and one lacking a",
          "field that listings omit or that an update requires.",
          "",
          endpoint("PUT", ops.update),
        ),
        "update",
        [names.record],
      ),
    );
    if (ops.get) {
      methods.push(
        method(
          docLines(
            "Changes some fields an update can change (not those Nexudus sets or that only a create takes) and keeps the rest: reads the full record, applies `changes` (`undefined` values",
            "are ignored, `null` clears), reads it again and PUTs it back. If its `UpdatedOn` moved between the two reads,",
            "another writer changed it: nothing is sent and a `NexudusConflictError` is thrown. A change made in the short",
            "window between the second read and the PUT is overwritten.",
            "",
            `\`GET ${ops.get.path}\` then \`PUT ${ops.update.path}\` (roles \`${ops.get.role}\`, \`${ops.update.role}\`).`,
          ),
          "patch",
          [patchableType],
        ),
      );
    }
  }
  if (ops.delete) {
    methods.push(
      method(
        docLines(
          `${ops.delete.title}: removes the record for good. A DELETE re-sent after a server error or a lost`,
          "connection that then answers 404 is reported as deleted (the first attempt did it).",
          "",
          endpoint("DELETE", ops.delete),
        ),
        "delete",
      ),
    );
  }
  if (ops.commands) {
    methods.push(
      method(
        docLines(`${ops.commands.title}: the commands that can run on ${entity.plural}, or on one record when \`id\` is given.`, "", endpoint("GET", ops.commands)),
        "commands",
      ),
    );
  }
  if (ops.runCommand) {
    methods.push(
      method(
        docLines(`${ops.runCommand.title} on the records \`ids\`, with its parameters.`, "", endpoint("POST", ops.runCommand)),
        "runCommand",
      ),
    );
  }
  statements.push(
    documented(
      docLines(
        docText(entity.description),
        "",
        `Endpoint \`${entity.path}\`. Docs: ${packageFileUrl(docsPagePath(entity))}`,
        "",
        "Every method takes `RequestOptions` last (`signal`, `timeoutMs`, `maxRetries`, `headers`, `fetchOptions`) and",
        "returns a `NexudusPromise`: await it for the value, or call `.withResponse()` / `.asResponse()` for the HTTP answer.",
      ),
      block(`export interface ${entity.resourceClass} extends NexudusResource {`, [join([hardline, hardline], methods)]),
    ),
  );
  // The class is built by the runtime from the area's operation tables: tsc checks the interface's signatures and no
  // method body. Pure, so that a bundle importing only the module's info leaves the class and its operations out.
  const tables = operationTables(entity);
  const built = call(`/* @__PURE__ */ resourceClass<${entity.resourceClass}>`, [
    JSON.stringify(entity.resourceClass),
    tables.main ? tables.main.name : "{}",
    info,
    ...(tables.update ? [tables.update.name, updateInfo] : []),
  ]);
  statements.push(documented(`The class of \`${entity.resourceClass}\`: \`new ${entity.resourceClass}(transport)\`; resources can share a transport.`, [assignment(`export const ${entity.resourceClass}`, built), ";"]));
  return statements;
}

/** An area's class: one property per resource of the area, all sending their requests through one transport. */
export function areaClass(area: { name: string; className: string; entities: readonly { plural: string; path: string; resourceProperty: string; resourceClass: string }[] }): Doc {
  const members: Doc[] = [
    ...area.entities.map((e) => [jsdoc(`${e.plural}: \`${e.path}\`.`), hardline, `readonly ${e.resourceProperty}: ${e.resourceClass};`]),
  ];
  const constructor = [
    jsdoc("The area's resources, all sending their requests through `transport`."),
    hardline,
    block("constructor(transport: Transport) {", area.entities.map((e) => [assignment(`this.${e.resourceProperty}`, call(`new ${e.resourceClass}`, ["transport"])), ";"])),
  ];
  return documented(
    `The \`${area.name}\` area of the Nexudus API: ${area.entities.map((e) => e.plural).join(", ")}.`,
    block(`export class ${area.className} {`, [join(hardline, members), "", constructor]),
  );
}

/** The root client: one property per area. */
export function emitRootClient(model: Pick<ClientView, "areas" | "exampleEntity">, printWidth = prettierConfig().options.printWidth): GeneratedFile {
  const example = model.exampleEntity;
  const imports: Doc[] = [importDeclaration(["Transport", "type ClientOptions"], "./runtime/index.js"), ...model.areas.map((a) => importDeclaration([a.className], `./${a.name}/index.js`))];
  const doc = docLines(
    "The Nexudus REST API client: one property per area, one resource per entity.",
    "",
    "```ts",
    "const nx = new NexudusClient({ token: process.env.NEXUDUS_TOKEN! });",
    example && `const page = await nx.${example.area}.${example.resourceProperty}.list({ page: 1, size: 15 });`,
    "```",
    "",
    "To keep a bundle small, construct only the resources you use instead:",
    `\`new ${example ? example.resourceClass : "SomeResource"}(new Transport(options))\`.`,
  );
  const fields: Doc[] = [
    [jsdoc("The transport every resource shares: authentication, retries, throttling."), hardline, "readonly transport: Transport;"],
    ...model.areas.map((a) => [jsdoc(`${a.plurals.join(", ")}.`), hardline, `readonly ${a.name}: ${a.className};`]),
  ];
  const constructor = [
    jsdoc("A client authenticated and tuned by `options`: one authentication variant plus the common options."),
    hardline,
    block("constructor(options: ClientOptions) {", ["this.transport = new Transport(options);", ...model.areas.map((a) => [assignment(`this.${a.name}`, call(`new ${a.className}`, ["this.transport"])), ";"])]),
  ];
  const body = documented(doc, block("export class NexudusClient {", [join(hardline, fields), "", constructor]));
  return printedFile("src/client.ts", printModule(`${tsHeader("specs/")}\n`, joinStatements([join(hardline, imports), body]), printWidth));
}

/** The package index: the runtime, the enums, the client and every area module. */
export function emitPackageIndex(model: Pick<ClientView, "areas">, indexModules: readonly string[], printWidth = prettierConfig().options.printWidth): GeneratedFile {
  const lines: Doc[] = [
    'export * from "./runtime/index.js";',
    'export * from "./enums.js";',
    exportDeclaration(["NexudusClient"], "./client.js"),
    ...model.areas.map((a) => `export * from ${JSON.stringify(`./${a.name}/index.js`)};`),
    ...indexModules.map((m) => `export * from ${JSON.stringify(m)};`),
  ];
  return printedFile("src/index.ts", printModule(`${tsHeader("specs/")}\n`, join(hardline, lines), printWidth));
}

/** The names of an entity's resource that the area's class and the root client print (a part: see `entityPart`). */
export const resourceNames = (entity: EntityModel) =>
  entityPart(entity, "resource names", (e) => ({ area: e.area, plural: e.plural, path: e.path, resourceProperty: e.resourceProperty, resourceClass: e.resourceClass }));

/** What the client's whole-model modules print: names only, so a field or description edit does not print them again. */
export function clientView(model: ApiModel, indexModules: readonly string[]) {
  return {
    areas: model.areas.map((a) => ({ name: a.name, className: a.className, plurals: a.entities.map((e) => resourceNames(e).plural) })),
    exampleEntity: model.exampleEntity && resourceNames(model.exampleEntity),
    indexModules,
  };
}
export type ClientView = ReturnType<typeof clientView>;

/**
 * The client modules printed from the whole model (the root client, the package index) and the runtime they stand
 * on, copied. The package index also re-exports `indexModules`, what the other emitters of the registry add to it.
 */
async function emitClient(view: ClientView, templatesDir: string): Promise<GeneratedFile[]> {
  const printWidth = prettierConfig().options.printWidth;
  return [emitRootClient(view, printWidth), emitPackageIndex(view, view.indexModules, printWidth), ...(await copyHandWritten(templatesDir))];
}

async function copyHandWritten(templatesDir: string): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const folder of COPIED_FOLDERS) {
    const dir = path.join(templatesDir, folder);
    const names = (await readdir(dir)).filter((n) => n.endsWith(".ts")).sort();
    for (const name of names) {
      const text = await readFile(path.join(dir, name), "utf8");
      // Kept formatted in templates/ (test/generator/prettier-output.test.ts), so final as it is.
      const header = `// Copied by nexudus-codegen from templates/${folder}/${name}. Do not edit here: edit the template and run \`npm run generate\`.\n`;
      files.push(printedFile(`src/${folder}/${name}`, { text: header + text, final: true }));
    }
  }
  return files;
}

/** The runtime's entry, whose exports the package index re-exports. */
const RUNTIME_INDEX = path.join("templates", "runtime", "index.ts");

/** The names an `export { ... }` or `export type { ... }` list of the runtime's index exports. */
export function runtimeExports(indexText: string = readFileSync(repositoryFile(RUNTIME_INDEX), "utf8")): string[] {
  return [...indexText.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
    m[1]!.split(",").map((name) => name.replace(/^\s*type\s+/, "").trim()).filter(Boolean),
  );
}

/** The root client, the package index and the copied runtime (each entity's resource is in its area module: emit/areas.ts). */
export const clientEmitter: Emitter<ClientView> = {
  name: "emit client",
  view: (model, { emitters }) => clientView(model, emitters.flatMap((emitter) => emitter.indexModules ?? [])),
  emit: (_model, { templatesDir }, view) => emitClient(view, templatesDir),
  exports: () => ["NexudusClient", ...runtimeExports()],
};
