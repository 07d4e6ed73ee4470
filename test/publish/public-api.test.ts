import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Project } from "ts-morph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GeneratedFile } from "../../generator/emit/generated-file.js";
import { generate } from "../../generator/pipeline.js";
import { diffPublicApi, publicApi, readApiRecords, type ApiChange, type PublicApi } from "../../generator/public-api.js";
import { bumpVersion } from "../../generator/release.js";
import { ROOT, SMALL_SPEC_SET, snapshot, tempProject } from "../helpers/project.js";

/** A package of the runtime alone: its sources as the client emitter copies them, behind an index. */
async function runtimePackage(runtimeDir: string): Promise<GeneratedFile[]> {
  const names = (await readdir(runtimeDir)).filter((name) => name.endsWith(".ts")).sort();
  const files = await Promise.all(names.map(async (name) => ({ path: `src/runtime/${name}`, parser: "typescript" as const, content: await readFile(path.join(runtimeDir, name), "utf8") })));
  return [{ path: "src/index.ts", parser: "typescript", content: 'export * from "./runtime/index.js";\n' }, ...files];
}

/** The records of a set of files, read with their text. */
const recordsOf = (files: readonly GeneratedFile[]) => {
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  return readApiRecords(byPath.keys(), async (file) => byPath.get(file));
};
const apiOf = async (files: readonly GeneratedFile[]): Promise<PublicApi> => publicApi((await recordsOf(files)).records);
const lines = (changes: readonly ApiChange[]) => changes.map((c) => `${c.kind}: ${c.text}`);

/** A public method of a class that has a plain name (not `[Symbol.asyncIterator]`). */
function publicMethod(api: PublicApi, className: string): string {
  const key = Object.keys(api).find((k) => k.startsWith(`${className}.`) && /^\w+$/.test(k.slice(className.length + 1)) && k !== `${className}.constructor` && api[k]!.includes("("));
  if (!key) throw new Error(`${className} has no public method`);
  return key.slice(className.length + 1);
}

/** Edits one runtime file of a copy with ts-morph (syntactically: no type-checking needed). */
async function editRuntime(dir: string, file: string, edit: (source: import("ts-morph").SourceFile) => void): Promise<void> {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const source = project.createSourceFile(file, await readFile(path.join(dir, file), "utf8"));
  edit(source);
  await writeFile(path.join(dir, file), source.getFullText());
}

/** The runtime file that declares a top-level name. */
async function declaring(dir: string, pattern: RegExp): Promise<string> {
  for (const name of (await readdir(dir)).sort()) if (pattern.test(await readFile(path.join(dir, name), "utf8"))) return name;
  throw new Error(`no runtime file matches ${pattern}`);
}

describe("the public TypeScript API, read from a copy of templates/runtime", () => {
  let dir: string;
  let base: PublicApi;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "public-api-"));
    await cp(path.join(ROOT, "templates", "runtime"), dir, { recursive: true });
    base = await apiOf(await runtimePackage(dir));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The changes from the pristine copy to the copy after `edit`, which is then undone. */
  async function changesAfter(file: string, edit: (source: import("ts-morph").SourceFile) => void): Promise<ApiChange[]> {
    const original = await readFile(path.join(dir, file), "utf8");
    try {
      await editRuntime(dir, file, edit);
      return diffPublicApi(base, await apiOf(await runtimePackage(dir)));
    } finally {
      await writeFile(path.join(dir, file), original);
    }
  }

  it("holds the client's options, classes with their public methods, functions and types, sorted", () => {
    expect(Object.keys(base)).toEqual([...Object.keys(base)].sort());
    expect(base.Transport).toMatch(/^export class Transport/);
    expect(base.RequestOptions).toBe("export interface RequestOptions");
    expect(Object.keys(base).some((key) => key.startsWith("RequestOptions."))).toBe(true);
    expect(base.ClientOptions).toBeDefined();
    // Private members and function bodies are not the API.
    expect(Object.keys(base).filter((key) => key.includes("#"))).toEqual([]);
    expect(Object.values(base).filter((line) => line.includes("return "))).toEqual([]);
  });

  it("a renamed runtime option is breaking", async () => {
    const option = Object.keys(base).find((key) => key.startsWith("RequestOptions."))!.split(".")[1]!;
    const file = await declaring(dir, /export interface RequestOptions\b/);
    const changes = await changesAfter(file, (source) => source.getInterfaceOrThrow("RequestOptions").getPropertyOrThrow(option).getNameNode().replaceWithText(`${option}Renamed`));
    expect(lines(changes)).toContain(`Breaking: \`RequestOptions.${option}\` removed`);
    expect(lines(changes)).toContain(`Added: \`RequestOptions.${option}Renamed\` (\`${base[`RequestOptions.${option}`]!.replace(option, `${option}Renamed`)}\`)`);
  });

  it("a removed runtime method is breaking", async () => {
    const method = publicMethod(base, "ListPage");
    const file = await declaring(dir, /export class ListPage\b/);
    const changes = await changesAfter(file, (source) => source.getClassOrThrow("ListPage").getMethodOrThrow(method).remove());
    expect(lines(changes)).toEqual([`Breaking: \`ListPage.${method}\` removed`]);
  });

  it("a newly required option is breaking; a new optional option is a feature", async () => {
    const file = await declaring(dir, /export interface RequestOptions\b/);
    const required = await changesAfter(file, (source) => source.getInterfaceOrThrow("RequestOptions").addProperty({ name: "tenant", type: "string" }));
    // Interfaces that extend RequestOptions in the package (RawRequestOptions) take the option too.
    const extending = (line: (name: string) => string) => [line("RawRequestOptions"), line("RequestOptions")];
    expect(lines(required)).toEqual(extending((name) => `Breaking: \`${name}.tenant\` added, required (\`tenant: string\`)`));
    const optional = await changesAfter(file, (source) => source.getInterfaceOrThrow("RequestOptions").addProperty({ name: "tenant", type: "string", hasQuestionToken: true }));
    expect(lines(optional)).toEqual(extending((name) => `Added: \`${name}.tenant\` (\`tenant?: string\`)`));
  });

  it("an added export is a feature", async () => {
    const changes = await changesAfter("index.ts", (source) => source.addStatements("export function describeClient(name: string): string {\n  return name;\n}\n"));
    expect(lines(changes)).toEqual(["Added: export `describeClient` (`export function describeClient(name: string): string`)"]);
  });

  it("a removed export is breaking", async () => {
    const changes = await changesAfter("index.ts", (source) => {
      const declaration = source.getExportDeclarations().find((d) => d.getNamedExports().some((e) => e.getName() === "Transport"))!;
      declaration.getNamedExports().find((e) => e.getName() === "Transport")!.remove();
    });
    expect(lines(changes)).toEqual(["Breaking: export `Transport` removed"]);
  });

  it("a comment-only change is no API change", async () => {
    const file = await declaring(dir, /export interface RequestOptions\b/);
    const changes = await changesAfter(file, (source) => {
      source.getInterfaceOrThrow("RequestOptions").addJsDoc("Reworded: the options of one call.");
      source.insertText(0, "// A comment at the top.\n");
    });
    expect(changes).toEqual([]);
  });
});

describe("classification of signature changes", () => {
  const fixture = (body: string): GeneratedFile[] => [{ path: "src/index.ts", content: body }];
  const BASE = `
    export interface Options { timeoutMs?: number; mode: "a" | "b"; }
    export interface Answer { id: number; name: string | null; }
    export function send(options: Options, id: number | string): Answer { return { id: 1, name: null }; }
    export class Client { readonly answer: Answer | undefined = undefined; fetch(id: number, retries?: number): Promise<Answer> { return Promise.reject(new Error(String(id + (retries ?? 0)))); } }
  `;
  const diff = async (edited: string) => lines(diffPublicApi(await apiOf(fixture(BASE)), await apiOf(fixture(edited))));
  const cases: [string, [string, string], string[]][] = [
    ["a narrowed parameter is breaking", ["id: number | string", "id: number"], ["Breaking: `send` parameter `id` type changed (`number | string` -> `number`)"]],
    ["a widened parameter compiles as before", ["fetch(id: number,", "fetch(id: number | string,"], ["Changed: `Client.fetch` parameter `id` type widened (`number` -> `number | string`)"]],
    ["an optional parameter made required is breaking", ["retries?: number", "retries: number"], ["Breaking: `Client.fetch` parameter `retries` became required"]],
    ["a new required parameter is breaking", ["fetch(id: number,", "fetch(id: number, force: boolean,"], [
        "Breaking: `Client.fetch` parameter 2 (`retries` -> `force`) became required",
        "Breaking: `Client.fetch` parameter 2 (`retries` -> `force`) type changed (`number` -> `boolean`)",
        "Added: `Client.fetch` parameter `retries` added",
      ]],
    ["an option that became required is breaking", ["timeoutMs?: number", "timeoutMs: number"], ["Breaking: `Options.timeoutMs` became required"]],
    ["a narrowed option type is breaking", ['mode: "a" | "b"', 'mode: "a"'], ['Breaking: `Options.mode` type changed (`"a" | "b"` -> `"a"`)']],
    ["a wider result is breaking", ["name: string | null", "name: string | number | null"], ["Breaking: `Answer.name` type changed (`string | null` -> `string | number | null`)"]],
    ["a narrower result compiles as before", ["name: string | null", "name: string"], ["Changed: `Answer.name` type narrowed (`string | null` -> `string`)"]],
    ["a required property added to a result is a feature", ["id: number;", "id: number; code: string;"], ["Added: `Answer.code` (`code: string`)"]],
    ["a property of a result that may now be missing is breaking", ["id: number;", "id?: number;"], ["Breaking: `Answer.id` may be missing now"]],
    ["a renamed method is breaking", ["fetch(", "load("], ["Breaking: `Client.fetch` removed", "Added: `Client.load` (`load(id: number, retries?: number): Promise<Answer>`)"]],
    ["a value and a type of one name are one export", ["export interface Answer {", "export type Kind = 1; export const Kind = 1;\n    export interface Answer {"], ["Added: export `Kind` (`export const Kind = 1`)"]],
    ["a body or comment change is no change", ["return { id: 1, name: null };", "/** one */ return { id: 2, name: null };"], []],
  ];
  it("merged declarations read in another order are no change", () => {
    const lines = ["export const Kind = {}", "export type Kind = (typeof Kind)[keyof typeof Kind]"];
    expect(diffPublicApi({ Kind: lines.join("\n") }, { Kind: [...lines].reverse().join("\n") })).toEqual([]);
  });

  it("members moved between an interface and the interfaces it extends in the package are no change; one dropped on the way is", async () => {
    const apiOfText = (text: string) => apiOf(fixture(text));
    // Before: the full record declares every field, the listing record is an Omit of it (as 0.3 printed them).
    const before = await apiOfText(`
      export interface Thing { Id: number; Name: string | null; Notes?: string; readonly UpdatedOn: string; }
      export interface ThingListingRecord extends Omit<Thing, "Notes"> {}
    `);
    // After: the listing record declares the shared fields, the full record extends it with the rest.
    const after = `
      export interface ThingListingRecord { Id: number; Name: string | null; readonly UpdatedOn: string; }
      export interface Thing extends ThingListingRecord { Notes?: string; }
    `;
    expect(diffPublicApi(before, await apiOfText(after))).toEqual([]);
    expect(lines(diffPublicApi(before, await apiOfText(after.replace(" Name: string | null;", ""))))).toEqual([
      "Breaking: `Thing.Name` removed",
      "Breaking: `ThingListingRecord.Name` removed",
    ]);
    // A base outside the package, or one with type arguments, stays in the line as written.
    const foreign = await apiOfText(`export interface Page extends Array<number> { total: number; }`);
    expect(foreign.Page).toBe("export interface Page extends Array<number>");
  });

  it.each(cases)("%s", async (_, [from, to], expected) => {
    expect(BASE).toContain(from);
    expect(await diff(BASE.replace(from, to))).toEqual(expected);
  });
});

describe("reading the API of a whole package", () => {
  it("parses each file the entry points reach once; a record known for the same text is not parsed again; a file not found is missing", async () => {
    const runtime = await runtimePackage(path.join(ROOT, "templates", "runtime"));
    const cold = await recordsOf(runtime);
    expect(cold.parsed).toBe(Object.keys(cold.records).length);
    expect(cold.missing).toEqual([]);
    const byPath = new Map(runtime.map((f) => [f.path, f.content]));
    const read = async (file: string) => byPath.get(file);
    // Known records (the other side of a comparison, same text) are taken as they are.
    const known = Object.fromEntries(Object.entries(cold.records).filter(([file]) => !file.endsWith("transport.ts")));
    expect(await readApiRecords(byPath.keys(), read, known)).toMatchObject({ parsed: 1, records: cold.records });
    // A file the graph reaches but `read` cannot find is reported, not read as empty.
    const lost = await readApiRecords(byPath.keys(), async (file) => (file.endsWith("transport.ts") ? undefined : byPath.get(file)));
    expect(lost.missing).toEqual(["src/runtime/transport.ts"]);
    expect(Object.keys(lost.records)).not.toContain("src/runtime/transport.ts");
  });
});

describe("the release sees the runtime's API", { timeout: 600_000 }, () => {
  it("a first generation and spec edits read no TypeScript: the specs explain every change", async () => {
    const project = await tempProject({ specs: SMALL_SPEC_SET });
    try {
      const edit = async (from: string, to: string) => {
        const file = path.join(project.options.specsDir, "billing/producttimepasses.yaml");
        const text = await readFile(file, "utf8");
        expect(text).toContain(from);
        await writeFile(file, text.replace(from, to));
      };
      const first = await generate(project.options);
      expect(first.release.apiParsed).toBe(0);

      await edit("ExpiresIn: integer?", "ExpiresIn: { type: integer?, description: Days until expiry. }");
      const described = await generate(project.options);
      expect(described.release.changes.map((c) => c.kind)).toEqual(["Docs"]);
      expect(described.release.apiParsed).toBe(0);

      await edit("ExpiresIn: { type: integer?,", "ExpiresIn: { type: string?,");
      const retyped = await generate(project.options);
      expect(retyped.release.level).toBe("major");
      expect(retyped.release.apiParsed).toBe(0);
    } finally {
      await project.cleanup();
    }
  });

  it("a method removed from the runtime is a breaking release; a comment-only change a patch", async () => {
    const project = await tempProject({ specs: SMALL_SPEC_SET });
    try {
      const first = await generate(project.options);
      const runtimeDir = path.join(project.options.templatesDir, "runtime");
      const file = await declaring(runtimeDir, /export class ListPage\b/);
      // The API as the release reads it: from the generated sources.
      const generated = await snapshot(project.options.outDir);
      const api = publicApi((await readApiRecords(generated.keys(), async (source) => generated.get(source))).records);
      const method = publicMethod(api, "ListPage");

      await editRuntime(runtimeDir, file, (source) => source.getClassOrThrow("ListPage").getMethodOrThrow(method).remove());
      const removed = await generate(project.options);
      expect(removed.release).toMatchObject({ version: bumpVersion(first.release.version, "major"), level: "major" });
      expect(removed.release.changes.map((c) => `${c.kind}: ${c.text}`)).toEqual([`Breaking: \`ListPage.${method}\` removed`]);
      // No spec explains a runtime change: the release read the API of the whole package.
      expect(removed.release.apiParsed).toBeGreaterThan(SMALL_SPEC_SET.length);

      await editRuntime(runtimeDir, file, (source) => source.getClassOrThrow("ListPage").addJsDoc("A page of a listing."));
      const comment = await generate(project.options);
      expect(comment.release.level).toBe("patch");
      expect(comment.release.changes.map((c) => c.kind)).toEqual(["Code"]);
      // The changed file's record is as it was: it alone was read, on both sides.
      expect(comment.release.apiParsed).toBe(2);
    } finally {
      await project.cleanup();
    }
  });
});
