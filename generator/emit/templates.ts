import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { hash } from "../cache.js";
import { createHandlebars, KNOWN_HELPERS } from "./helpers.js";

/** A compiled template: a view in, text out. */
export type Template = (view: object) => string;

/** The templates the emitters print with, by path relative to templates/. */
export const TEMPLATE_NAMES = [
  "docs/README.md.hbs",
  "docs/entity.md.hbs",
  "docs/coverage.md.hbs",
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export type Templates = Record<TemplateName, Template>;

/**
 * Templates compiled by an earlier run, as the JavaScript handlebars precompiles them to, by
 * template name and a key of its text and handlebars' version (the cache's pieces).
 */
export interface TemplateMemory {
  get(name: string, key: string): string | undefined;
  set(name: string, key: string, code: string): void;
  keep(name: string): void;
}

const COMPILE_OPTIONS = { noEscape: true, strict: true, knownHelpers: KNOWN_HELPERS };

/**
 * Reads every template; each is compiled when first printed, so a run that prints none loads no
 * handlebars (`eager`: all of them now, for a watching process, which prints one at its first
 * save). With a memory, a template compiled before is run from its precompiled code by
 * handlebars' runtime: compiling the entity page's template costs more than printing one page.
 */
export async function loadTemplates(templatesDir: string, memory?: TemplateMemory, { eager = false } = {}): Promise<Templates> {
  const sources = await Promise.all(TEMPLATE_NAMES.map(async (name) => [name, await readFile(path.join(templatesDir, name), "utf8")] as const));
  const version = memory && (createRequire(import.meta.url)("handlebars/package.json") as { version: string }).version;
  let compiler: ReturnType<typeof createHandlebars> | undefined;
  let runtime: ReturnType<typeof createHandlebars> | undefined;
  const compile = (name: TemplateName, source: string): Template => {
    if (!memory) return (compiler ??= createHandlebars()).compile(source, COMPILE_OPTIONS);
    const key = hash(`${version}\0${source}`);
    let code = memory.get(name, key);
    if (code === undefined) {
      code = (compiler ??= createHandlebars()).precompile(source, COMPILE_OPTIONS) as string;
      memory.set(name, key, code);
    }
    // Code handlebars wrote from our own templates, kept in the cache folder beside the CLI bundle.
    return (runtime ??= createHandlebars("handlebars/runtime")).template(new Function(`return ${code};`)() as TemplateSpecification);
  };
  const entries = sources.map(([name, source]) => {
    memory?.keep(name);
    let compiled: Template | undefined = eager ? compile(name, source) : undefined;
    return [name, (view: object) => (compiled ??= compile(name, source))(view)] as const;
  });
  return Object.fromEntries(entries) as Templates;
}

type TemplateSpecification = Parameters<ReturnType<typeof createHandlebars>["template"]>[0];
