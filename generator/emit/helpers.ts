import { createRequire } from "node:module";
import type Handlebars from "handlebars";
import { markdownCode, markdownParagraphs, markdownText, oneLine } from "./markdown-text.js";
import { docText } from "./typescript.js";

/**
 * Every helper the templates may call, registered in one place. Templates only print: anything
 * that decides or computes lives in the model, in the view built by an emitter, or here.
 */
export function createHandlebars(module: "handlebars" | "handlebars/runtime" = "handlebars"): typeof Handlebars {
  // Loaded here, not at start-up: a no-op run never prints a template. The runtime alone runs
  // precompiled templates (emit/templates.ts) and loads in half the time.
  const hbs = (createRequire(import.meta.url)(module) as typeof Handlebars).create();
  hbs.registerHelper({
    /** A value as a TypeScript/JSON literal. */
    json: (value: unknown) => JSON.stringify(value),
    /** Lines of a JSDoc block body (` * ...`): spec text can neither close the comment nor start a tag. */
    doc: (text: string) =>
      docText(String(text ?? ""))
        .split("\n")
        .map((line) => (line.trim() ? ` * ${line}` : " *"))
        .join("\n"),
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
  });
  return hbs;
}
