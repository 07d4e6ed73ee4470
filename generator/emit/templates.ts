import { readFile } from "node:fs/promises";
import path from "node:path";
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

/** Reads and compiles every template once per run. */
export async function loadTemplates(templatesDir: string): Promise<Templates> {
  const hbs = createHandlebars();
  const entries = await Promise.all(
    TEMPLATE_NAMES.map(async (name) => {
      const source = await readFile(path.join(templatesDir, name), "utf8");
      const compiled = hbs.compile(source, { noEscape: true, strict: true, knownHelpers: KNOWN_HELPERS });
      return [name, (view: object) => compiled(view)] as const;
    }),
  );
  return Object.fromEntries(entries) as Templates;
}
