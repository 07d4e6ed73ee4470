import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Node, Project, SyntaxKind, type SourceFile } from "ts-morph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CacheSection, hash } from "../../generator/cache.js";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { docsPagePath } from "../../generator/emit/docs.js";
import { isOperationTableName } from "../../generator/emit/client.js";
import type { EmitContext, Emitter } from "../../generator/emit/emitter.js";
import type { GeneratedFile } from "../../generator/emit/generated-file.js";
import { buildOpenApiDocument, OPENAPI_PATH } from "../../generator/emit/openapi.js";
import { EMITTERS } from "../../generator/emit/registry.js";
import { loadTemplates, type Templates } from "../../generator/emit/templates.js";
import { prettierConfig } from "../../generator/format.js";
import { formatJson } from "../../generator/format-json.js";
import { loadSpecs, type LoadedSpec } from "../../generator/load.js";
import { buildModel, type ApiModel, type EntityModel } from "../../generator/model.js";
import { validateSpecs } from "../../generator/validate.js";
import { OutputFolder, producedFile, type ProducedFile } from "../../generator/write.js";
import { ROOT, SMALL_SPEC_SET, tempProject } from "../helpers/project.js";

/** The small set plus a read-only entity (list and get only) in a third area. */
const SPECS = [...SMALL_SPEC_SET, "sys/countries.yaml"];
const TEMPLATES_DIR = path.join(ROOT, "templates");
const EDITED = "billing/coworkertimepasses.yaml";

const byName = (name: string): Emitter => EMITTERS.find((e) => e.name === name)!;
const types = byName("emit types");
const areas = byName("emit areas");
const client = byName("emit client");
const docs = byName("emit docs");
const openapi = byName("emit openapi");
const testing = byName("emit testing");
const release = byName("release");
const packaging = byName("emit package");

let templates: Templates;
const scratch: string[] = [];

/** An empty temp folder, removed after the tests. */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "nexudus-emitters-"));
  scratch.push(dir);
  return dir;
}

/** The specs of SPECS (less `without`), loaded from a temp copy after `edit` changed it, validated, as one model. */
async function modelOf(edit?: (specsDir: string) => Promise<void>, without: readonly string[] = []): Promise<{ model: ApiModel; specs: LoadedSpec[] }> {
  const project = await tempProject({ specs: SPECS.filter((s) => !without.includes(s)) });
  try {
    await edit?.(project.options.specsDir);
    const diagnostics: Diagnostic[] = [];
    const specs = await loadSpecs(project.options.specsDir, diagnostics);
    validateSpecs(specs, diagnostics);
    expect(diagnostics).toEqual([]);
    return { model: buildModel(specs), specs };
  } finally {
    await project.cleanup();
  }
}

/** Replaces `from` (which must be there) by `to` in one spec. */
const replaceIn = (spec: string, from: string, to: string) => async (specsDir: string) => {
  const file = path.join(specsDir, spec);
  const text = await readFile(file, "utf8");
  expect(text).toContain(from);
  await writeFile(file, text.replace(from, to));
};

/** An emit context as the pipeline builds one, over `folder` (an empty temp folder unless given). */
async function contextOf(specs: LoadedSpec[], folder?: OutputFolder, memos = new CacheSection<unknown>({})): Promise<EmitContext & { produced: ProducedFile[] }> {
  return { templates, templatesDir: TEMPLATES_DIR, specs, folder: folder ?? (await OutputFolder.read(await tempDir())), produced: [], emitters: EMITTERS, memos };
}

/** Every emitter of the registry run as the pipeline runs them: entities first, then each `emit` in order. */
async function runRegistry(model: ApiModel, context: EmitContext & { produced: ProducedFile[] }) {
  const views = new Map<string, unknown>();
  const files = new Map<string, GeneratedFile[]>();
  for (const entity of model.entities) {
    for (const emitter of EMITTERS) {
      const printed = emitter.entity?.(entity, model, context) ?? [];
      context.produced.push(...printed.map(producedFile));
    }
  }
  for (const emitter of EMITTERS) {
    if (!emitter.emit) continue;
    const view = emitter.view?.(model, context);
    views.set(emitter.name, view);
    const printed = await emitter.emit(model, context, view);
    files.set(emitter.name, printed);
    context.produced.push(...printed.map(producedFile));
  }
  return { views, files, context };
}

/** The emitter's whole-model files, its view taken as the pipeline takes it. */
async function emitWhole(emitter: Emitter, model: ApiModel, context: EmitContext): Promise<GeneratedFile[]> {
  return emitter.emit!(model, context, emitter.view?.(model, context));
}

/** Writes files into a folder, as the write stage would leave them. */
async function writeFiles(dir: string, files: Iterable<{ path: string; content: string }>): Promise<void> {
  for (const file of files) {
    await mkdir(path.dirname(path.join(dir, file.path)), { recursive: true });
    await writeFile(path.join(dir, file.path), file.content);
  }
}

const tsProject = new Project({ useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true });
const parse = (file: GeneratedFile): SourceFile => tsProject.createSourceFile(`/parsed/${file.path}`, file.content, { overwrite: true });
const fileAt = (files: readonly GeneratedFile[], at: string) => {
  const file = files.find((f) => f.path === at);
  expect(file, `${at} among ${files.map((f) => f.path).join(", ")}`).toBeDefined();
  return file!;
};

let base: { model: ApiModel; specs: LoadedSpec[] };
const entityNamed = (name: string): EntityModel => base.model.entities.find((e) => e.name === name)!;

beforeAll(async () => {
  templates = await loadTemplates(TEMPLATES_DIR);
  base = await modelOf();
});

afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("areas emitter", () => {
  /** Each area's module, as the areas emitter prints them from the model, parsed. */
  const areaModules = async () => {
    const files = await emitWhole(areas, base.model, await contextOf(base.specs));
    expect(files.map((f) => f.path)).toEqual(base.model.areas.map((a) => `src/${a.name}/index.ts`));
    return new Map(base.model.areas.map((area) => [area.name, parse(fileAt(files, `src/${area.name}/index.ts`))]));
  };

  it("prints one module per area with each entity's types: the record and listing record, the create input only with create, query and orderBy only with list", async () => {
    const modules = await areaModules();
    expect(base.model.entities.some((e) => !e.ops.create)).toBe(true);
    for (const entity of base.model.entities) {
      const module = modules.get(entity.area)!;
      const names = entity.typeNames;
      const expected = [names.record, names.listingRecord, ...(entity.ops.create ? [names.create] : []), ...(entity.ops.list ? [names.query, names.orderBy] : [])].sort();
      const declared = [...module.getInterfaces().map((i) => i.getName()), ...module.getTypeAliases().map((t) => t.getName())].filter((name) => Object.values(names).includes(name)).sort();
      expect(declared, entity.name).toEqual(expected);
      // Each field is declared once: the listing record's in it; the full record extends it with those listings omit.
      const own = (name: string) => module.getInterfaceOrThrow(name).getProperties().map((p) => p.getName());
      const record = module.getInterfaceOrThrow(names.record);
      const listed = entity.fields.filter((f) => !entity.listingOmits.includes(f.name)).map((f) => f.name);
      const omitted = entity.fields.filter((f) => entity.listingOmits.includes(f.name)).map((f) => f.name);
      if (omitted.length) {
        expect(record.getExtends().map((e) => e.getText())).toEqual([names.listingRecord]);
        expect(own(names.record)).toEqual(omitted);
        expect(own(names.listingRecord)).toEqual(listed);
      } else {
        expect(own(names.record)).toEqual(listed);
        expect(module.getInterfaceOrThrow(names.listingRecord).getExtends().map((e) => e.getText())).toEqual([names.record]);
      }
      expect(record.getType().getProperties().map((p) => p.getName()).sort()).toEqual(entity.fields.map((f) => f.name).sort());
    }
  });

  it("prints each entity's resource with one method per client method of its operations, none for the operations it lacks", async () => {
    const modules = await areaModules();
    const readOnly = entityNamed("Country");
    expect(readOnly.operations.map((op) => op.name)).toEqual(["list", "get"]);
    for (const entity of base.model.entities) {
      const source = modules.get(entity.area)!;
      // Each method a member typed by the runtime's type of that method (`list: ListMethod<Item, Query>`).
      const members = source.getInterfaceOrThrow(entity.resourceClass).getProperties();
      const methods = members.map((m) => m.getName());
      expect(methods, entity.name).toEqual(entity.methods);
      for (const member of members) expect(member.getTypeNodeOrThrow().getText().replace(/<[\s\S]*$/, ""), entity.name).toBe(`${member.getName()[0]!.toUpperCase()}${member.getName().slice(1)}Method`);
      const expected = entity.operations.flatMap((op) => (op.name === "list" ? ["list", "pages", "listAll"] : op.name === "update" && entity.ops.get ? ["update", "patch"] : [op.name]));
      expect(methods, entity.name).toEqual(expected);
      // The class the runtime builds has the same methods: each operation table it is given (a const of the module,
      // shared by the resources with the same methods), with the info after it (update() and patch() with the info
      // that has the update rules).
      const args = source.getVariableDeclarationOrThrow(entity.resourceClass).getInitializerIfKindOrThrow(SyntaxKind.CallExpression).getArguments();
      const table = (arg: Node | undefined) => {
        const literal = Node.isIdentifier(arg) ? source.getVariableDeclarationOrThrow(arg.getText()).getInitializerIfKindOrThrow(SyntaxKind.ObjectLiteralExpression) : arg;
        if (!Node.isObjectLiteralExpression(literal)) return arg?.getText();
        return literal.getProperties().map((p) => (Node.isShorthandPropertyAssignment(p) ? p.getName() : Node.isPropertyAssignment(p) ? `${p.getName()}: ${p.getInitializerOrThrow().getText()}` : ""));
      };
      const updates: string[] = expected.filter((m) => m === "update" || m === "patch");
      const calls = (methods: string[]) => methods.map((m) => (m === "delete" ? "delete: remove" : m));
      expect([args[0]!.getText(), table(args[1]), args[2]!.getText(), ...args.slice(3).map((arg, i) => (i ? arg.getText() : table(arg)))], entity.name).toEqual([
        JSON.stringify(entity.resourceClass),
        calls(expected.filter((m) => !updates.includes(m))),
        entity.resourceProperty,
        ...(updates.length ? [calls(updates), `${entity.resourceProperty}ForUpdate`] : []),
      ]);
      // Infos are typed by the resource's interface; the info for updates has its update rules.
      const infoType = source.getVariableDeclarationOrThrow(entity.resourceProperty).getTypeNodeOrThrow().getText();
      expect(infoType, entity.name).toBe(`ResourceInfo<${entity.resourceClass}>`);
      if (updates.length) expect(source.getVariableDeclarationOrThrow(`${entity.resourceProperty}ForUpdate`).getTypeNodeOrThrow().getText(), entity.name).toBe(`UpdateInfo<${entity.resourceClass}>`);
    }
    // Each table is declared once per module, named after its methods.
    for (const module of modules.values()) {
      const tables = module.getVariableDeclarations().filter((v) => v.getName().endsWith("Methods"));
      expect(new Set(tables.map((t) => t.getName())).size).toBe(tables.length);
      for (const t of tables) expect(isOperationTableName(t.getName()), t.getName()).toBe(true);
    }
    const readOnlyMethods = modules.get(readOnly.area)!.getInterfaceOrThrow(readOnly.resourceClass).getProperties().map((m) => m.getName());
    for (const write of ["create", "update", "patch", "delete"]) expect(readOnlyMethods).not.toContain(write);
  });

  it("ends each area's module with the area's class, one property per resource, and imports every name it uses once", async () => {
    const modules = await areaModules();
    for (const area of base.model.areas) {
      const module = modules.get(area.name)!;
      expect(module.getClassOrThrow(area.className).getProperties().map((p) => p.getName())).toEqual(area.entities.map((e) => e.resourceProperty));
      const imported = module.getImportDeclarations().flatMap((d) => d.getNamedImports().map((i) => i.getName()));
      expect(new Set(imported).size, area.name).toBe(imported.length);
      // Every imported name is used, and the module compiles against the runtime (the package's tsc test).
      for (const name of imported) expect(module.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === name).length, `${area.name}: ${name}`).toBeGreaterThan(1);
    }
  });
  it("views the enums alone and prints every one of them into src/enums.ts", async () => {
    const context = await contextOf(base.specs);
    expect(base.model.enums.length).toBeGreaterThan(0);
    const view = types.view!(base.model, context);
    expect(view).toEqual(base.model.enums);
    const files = await types.emit!(base.model, context, view);
    expect(files.map((f) => f.path)).toEqual(["src/enums.ts"]);
    const module = parse(files[0]!);
    for (const e of base.model.enums) {
      const values = module.getVariableDeclarationOrThrow(e.name).getInitializerOrThrow().getDescendantsOfKind(SyntaxKind.PropertyAssignment);
      expect(values.map((p) => [p.getName(), Number(p.getInitializerOrThrow().getText())]), e.name).toEqual(e.values.map((v) => [v.name, v.value]));
      expect(module.getTypeAlias(e.name), e.name).toBeDefined();
    }
  });
});

describe("client emitter", () => {
  it("prints the root client, the package index re-exporting every module, and the runtime copied with its header", async () => {
    const context = await contextOf(base.specs);
    const files = await emitWhole(client, base.model, context);
    const root = parse(fileAt(files, "src/client.ts")).getClassOrThrow("NexudusClient");
    expect(root.getProperties().map((p) => p.getName())).toEqual(["transport", ...base.model.areas.map((a) => a.name)]);

    const reexported = parse(fileAt(files, "src/index.ts")).getExportDeclarations().map((d) => d.getModuleSpecifierValue());
    expect(reexported).toEqual(expect.arrayContaining(["./runtime/index.js", "./enums.js", "./client.js", ...base.model.areas.map((a) => `./${a.name}/index.js`)]));

    const runtime = (await readdir(path.join(TEMPLATES_DIR, "runtime"))).sort();
    expect(runtime.length).toBeGreaterThan(0);
    for (const name of runtime) {
      const copy = fileAt(files, `src/runtime/${name}`);
      expect(copy.content.split("\n")[0]).toMatch(/^\/\/ Copied by nexudus-codegen from templates\/runtime\//);
      expect(copy.content.slice(copy.content.indexOf("\n") + 1)).toBe(await readFile(path.join(TEMPLATES_DIR, "runtime", name), "utf8"));
    }
  });
});

describe("docs emitter", () => {
  it("prints each entity's page, the README and the coverage page listing every entity", async () => {
    const context = await contextOf(base.specs);
    for (const entity of base.model.entities) {
      const files = docs.entity!(entity, base.model, context);
      expect(files.map((f) => f.path)).toEqual([docsPagePath(entity)]);
      expect(files[0]!.content).toContain(entity.path);
      for (const field of entity.fields.filter((f) => !f.base)) expect(files[0]!.content, `${entity.name}.${field.name}`).toContain(field.name);
    }
    const whole = await emitWhole(docs, base.model, context);
    expect(whole.map((f) => f.path).sort()).toEqual(["README.md", "docs/coverage.md"]);
    for (const file of whole) for (const entity of base.model.entities) expect(file.content, `${file.path}: ${entity.plural}`).toContain(entity.plural);
  });
});

describe("views: what an emitter's whole-model files are printed from", () => {
  /** The views of every emitter that has one, after the release emitter set the version (the package view needs it). */
  async function viewsOf(model: { model: ApiModel; specs: LoadedSpec[] }): Promise<Map<string, string>> {
    const { views } = await runRegistry(model.model, await contextOf(model.specs));
    return new Map(EMITTERS.filter((e) => e.view).map((e) => [e.name, JSON.stringify(views.get(e.name))]));
  }

  it("hold no description: an entity's or a field's description edited leaves every view as it was", async () => {
    const edited = await modelOf(async (dir) => {
      await replaceIn(EDITED, "A time pass assigned to a customer.", "A time pass a customer holds.")(dir);
      await replaceIn(EDITED, "Id of the customer (Coworker) who holds the pass.", "The customer (Coworker) holding the pass.")(dir);
    });
    expect(edited.model.entities.find((e) => e.name === "CoworkerTimePass")!.description).not.toBe(entityNamed("CoworkerTimePass").description);
    const [before, after] = [await viewsOf(base), await viewsOf(edited)];
    expect([...after.keys()]).toEqual(expect.arrayContaining(["emit client", "emit docs", "emit package", "emit testing", "emit types"]));
    for (const [name, view] of before) expect(after.get(name), name).toBe(view);
  });

  it("change with a field added: the testing view and the coverage view, not the client view", async () => {
    const added = await modelOf(replaceIn(EDITED, "  PurchaseOrder: string?\n", "  PurchaseOrder: string?\n  Reference: string?\n"));
    const [before, after] = [await viewsOf(base), await viewsOf(added)];
    expect(after.get("emit testing")).not.toBe(before.get("emit testing"));
    const coverage = (views: Map<string, string>) => JSON.stringify((JSON.parse(views.get("emit docs")!) as { coverage: unknown }).coverage);
    expect(coverage(after)).not.toBe(coverage(before));
    expect(after.get("emit client")).toBe(before.get("emit client"));
  });
});

describe("openapi emitter", () => {
  const printWidth = prettierConfig().options.printWidth;
  const fresh = (model: ApiModel) => formatJson(JSON.stringify(buildOpenApiDocument(model)), printWidth);

  /** A context as the openapi emitter finds it: after the release emitter, which decided the version. */
  const afterRelease = async (specs: LoadedSpec[], folder?: OutputFolder, memos?: CacheSection<unknown>) => ({
    ...(await contextOf(specs, folder, memos)),
    release: { previousVersion: undefined, version: "0.1.0", level: undefined, changes: [], files: [], apiParsed: 0 },
  });

  /** openapi.json printed from `model` after a first print of `base` was written and remembered. */
  async function printAfter(first: ApiModel, next: ApiModel, tamper?: (text: string) => string) {
    const memos = new CacheSection<unknown>({});
    const [printed] = await openapi.emit!(first, await afterRelease(base.specs, undefined, memos), undefined);
    const dir = await tempDir();
    const text = tamper ? tamper(printed!.content) : printed!.content;
    await writeFiles(dir, [{ path: OPENAPI_PATH, content: text }]);
    if (tamper) (memos.get(OPENAPI_PATH) as { file: string }).file = hash(text);
    const [again] = await openapi.emit!(next, await afterRelease(base.specs, await OutputFolder.read(dir), memos), undefined);
    return again!;
  }

  it("prints with empty memos exactly what formatJson prints of the whole document", async () => {
    const memos = new CacheSection<unknown>({});
    const files = await openapi.emit!(base.model, await afterRelease(base.specs, undefined, memos), undefined);
    expect(files.map((f) => f.path)).toEqual([OPENAPI_PATH]);
    expect(files[0]!.content).toBe(fresh(base.model));
    expect(memos.get(OPENAPI_PATH)).toBeDefined();
  });

  it("splices its last print into exactly the fresh full print for an entity edited, added or removed", async () => {
    const edited = await modelOf(async (dir) => {
      await replaceIn(EDITED, "Id of the customer (Coworker) who holds the pass.", "The customer (Coworker) holding the pass.")(dir);
      await replaceIn(EDITED, "  CoworkerContractUniqueId: string?\n", "")(dir);
    });
    const withoutCountries = await modelOf(undefined, ["sys/countries.yaml"]);
    const cases: [string, ApiModel, ApiModel][] = [
      ["edited", base.model, edited.model],
      ["added", withoutCountries.model, base.model],
      ["removed", base.model, withoutCountries.model],
    ];
    for (const [change, first, next] of cases) {
      expect(fresh(next), change).not.toBe(fresh(first));
      expect((await printAfter(first, next)).content, change).toBe(fresh(next));
    }
  });

  it("copies an unchanged entity's members from its last print, and prints afresh when the file is not the one it left", async () => {
    // The first operation's summary, inside the paths (the document's own summary is printed each time).
    const marker = (text: string) => text.replace(/("paths": \{[\s\S]*?"summary": ")/, "$1TAMPERED ");
    // The memo says the tampered file is the one it left: the unchanged entities' text is taken from it.
    expect((await printAfter(base.model, base.model, marker)).content).toContain('"summary": "TAMPERED ');
    // A file changed behind the memo's back is not trusted.
    const memos = new CacheSection<unknown>({});
    const [printed] = await openapi.emit!(base.model, await afterRelease(base.specs, undefined, memos), undefined);
    const dir = await tempDir();
    await writeFiles(dir, [{ path: OPENAPI_PATH, content: marker(printed!.content) }]);
    const [again] = await openapi.emit!(base.model, await afterRelease(base.specs, await OutputFolder.read(dir), memos), undefined);
    expect(again!.content).toBe(fresh(base.model));
  });
});

describe("testing emitter", () => {
  it("prints one TEST_ENTITIES entry per entity with its path and every field, and the testing entry", async () => {
    const files = await emitWhole(testing, base.model, await contextOf(base.specs));
    expect(files.map((f) => f.path).sort()).toEqual(["src/testing/entities.ts", "src/testing/index.ts"]);
    const list = parse(fileAt(files, "src/testing/entities.ts")).getVariableDeclarationOrThrow("TEST_ENTITIES").getInitializerIfKindOrThrow(SyntaxKind.ArrayLiteralExpression);
    const entries = list.getElements().map((element) => {
      const object = element.asKindOrThrow(SyntaxKind.ObjectLiteralExpression);
      const value = (key: string) => object.getPropertyOrThrow(key).asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerOrThrow();
      return {
        entity: value("entity").asKindOrThrow(SyntaxKind.StringLiteral).getLiteralValue(),
        path: value("path").asKindOrThrow(SyntaxKind.StringLiteral).getLiteralValue(),
        fields: value("fields").asKindOrThrow(SyntaxKind.ArrayLiteralExpression).getElements().map((f) => f.asKindOrThrow(SyntaxKind.StringLiteral).getLiteralValue()),
      };
    });
    expect(entries).toEqual(base.model.entities.map((e) => ({ entity: e.name, path: e.path, fields: e.fields.map((f) => f.name) })));
    expect(parse(fileAt(files, "src/testing/index.ts")).getFunction("startNexudusTestServer")?.isExported()).toBe(true);
  });
});

describe("release and package emitters", () => {
  it("release a first generation at 0.1.0, then a removed field as a breaking 0.2.0 naming the field; package.json follows the version", async () => {
    const first = await runRegistry(base.model, await contextOf(base.specs));
    expect(first.context.release?.version).toBe("0.1.0");
    const released = first.files.get("release")!;
    expect(released.map((f) => f.path).sort()).toEqual(["CHANGELOG.md", "surface.json"]);
    expect(fileAt(released, "CHANGELOG.md").content).toMatch(/## 0\.1\.0\s+- Initial release/);
    expect((JSON.parse(fileAt(released, "surface.json").content) as { version: string }).version).toBe("0.1.0");

    const packaged = first.files.get("emit package")!;
    const packageJson = JSON.parse(fileAt(packaged, "package.json").content) as { version: string; exports: Record<string, unknown> };
    expect(packageJson.version).toBe("0.1.0");
    const subpaths = EMITTERS.flatMap((e) => Object.keys(e.packageExports ?? {}).map((s) => `./${s}`));
    expect(subpaths).toContain("./testing");
    expect(Object.keys(packageJson.exports)).toEqual(expect.arrayContaining([".", ...subpaths]));
    for (const file of ["tsconfig.json", "tsconfig.build.json", "tsconfig.cjs.json", "LICENSE"]) fileAt(packaged, file);
    // The package's project runs in browsers (no Node types); the test server is a project of its own, with them.
    type Tsconfig = { extends?: string; compilerOptions?: { types?: string[] }; include?: string[]; exclude?: string[] };
    const tsconfig = (file: string) => JSON.parse(fileAt(packaged, file).content) as Tsconfig;
    expect(tsconfig("tsconfig.json")).toMatchObject({ compilerOptions: { types: [] }, include: ["src"], exclude: ["src/testing"] });
    expect(tsconfig("src/testing/tsconfig.json")).toMatchObject({ extends: "../../tsconfig.json", compilerOptions: { types: ["node"] }, include: ["."], exclude: [] });
    expect(tsconfig("tsconfig.build.json")).toMatchObject({ compilerOptions: { types: ["node"] }, exclude: [] });
    expect(JSON.parse(fileAt(packaged, "package.json").content).scripts.build).toMatch(/tsc -p tsconfig\.json && tsc -p tsconfig\.build\.json/);

    const out = await tempDir();
    await writeFiles(out, [...first.files.values()].flat());
    const removed = await modelOf(replaceIn(EDITED, "  CoworkerContractUniqueId: string?\n", ""));
    const next = await runRegistry(removed.model, await contextOf(removed.specs, await OutputFolder.read(out)));
    expect(next.context.release).toMatchObject({ previousVersion: "0.1.0", version: "0.2.0", level: "major" });
    const changelog = fileAt(next.files.get("release")!, "CHANGELOG.md").content;
    const entry = changelog.slice(changelog.indexOf("## 0.2.0"), changelog.indexOf("## 0.1.0"));
    expect(entry).toMatch(/Breaking:.*CoworkerContractUniqueId/);
    expect(changelog).toMatch(/## 0\.1\.0\s+- Initial release/);
    expect((JSON.parse(fileAt(next.files.get("emit package")!, "package.json").content) as { version: string }).version).toBe("0.2.0");
  });

  it("the package emitter refuses to run before the release emitter", async () => {
    const context = await contextOf(base.specs);
    expect(() => packaging.view!(base.model, context)).toThrow(/release emitter/);
    await release.emit!(base.model, context, undefined);
    expect(() => packaging.view!(base.model, context)).not.toThrow();
  });
});

describe("every registered emitter", () => {
  it("prints the same bytes twice, at relative POSIX paths", async () => {
    const [one, two] = [await runRegistry(base.model, await contextOf(base.specs)), await runRegistry(base.model, await contextOf(base.specs))];
    const entityFiles = (context: { produced: ProducedFile[] }) => context.produced.map((f) => [f.path, f.file!.content]);
    expect(entityFiles(two.context)).toEqual(entityFiles(one.context));
    for (const emitter of EMITTERS) {
      if (!emitter.emit) continue;
      const files = one.files.get(emitter.name)!;
      expect(files.length, emitter.name).toBeGreaterThan(0);
      expect(two.files.get(emitter.name), emitter.name).toEqual(files);
    }
    for (const { path: at } of one.context.produced) {
      expect(path.posix.isAbsolute(at) || at.includes("\\") || at.split("/").some((s) => s === ".." || s === "." || s === ""), at).toBe(false);
    }
    // Every emitter with an entity hook printed for every entity.
    for (const emitter of EMITTERS.filter((e) => e.entity)) {
      for (const entity of base.model.entities) expect(emitter.entity!(entity, base.model, one.context).length, `${emitter.name} ${entity.name}`).toBeGreaterThan(0);
    }
  });
});
