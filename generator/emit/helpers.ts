import { createRequire } from "node:module";
import type Handlebars from "handlebars";
import { markdownCode, markdownParagraphs, markdownText, oneLine } from "./markdown-text.js";

/**
 * Every helper the templates may call, registered in one place. Templates only print: anything
 * that decides or computes lives in the model, in the view built by an emitter, or here.
 */
export const TEMPLATE_HELPERS = {
  /** Text for a Markdown table cell: no line breaks, pipes escaped. */
  cell: (text: unknown) =>
    oneLine(
      String(text ?? "")
        .replace(/\\/g, "\\\\")
        .replace(/\|/g, "\\|"),
    ),
  /** Inline code in Markdown that survives backticks and line breaks in the text. */
  code: (text: unknown) => markdownCode(String(text ?? "")),
  /** Spec text in Markdown, on one line (a table cell, a note): rendered as written, never as Markdown or HTML. */
  text: (text: unknown) => markdownText(String(text ?? "")),
  /** Spec text in Markdown as paragraphs of its own: rendered as written, never as Markdown or HTML. */
  paragraphs: (text: unknown) => markdownParagraphs(String(text ?? "")),
};

/**
 * Compile options naming every helper as known: the compiled template calls each directly instead
 * of asking at every mustache whether a helper by that name exists (the docs render ~2x faster).
 */
export const KNOWN_HELPERS: Readonly<Record<keyof typeof TEMPLATE_HELPERS, true>> = Object.fromEntries(Object.keys(TEMPLATE_HELPERS).map((name) => [name, true])) as Record<keyof typeof TEMPLATE_HELPERS, true>;

/** A Handlebars environment with every helper of `TEMPLATE_HELPERS` registered. */
export function createHandlebars(module: "handlebars" | "handlebars/runtime" = "handlebars"): typeof Handlebars {
  // Loaded here, not at start-up: a no-op run never prints a template. The runtime alone runs
  // precompiled templates (emit/templates.ts) and loads in half the time.
  const hbs = (createRequire(import.meta.url)(module) as typeof Handlebars).create();
  hbs.registerHelper(TEMPLATE_HELPERS);
  return hbs;
}
