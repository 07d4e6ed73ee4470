import Handlebars from "handlebars";
import { docSafe } from "./typescript.js";

/**
 * Every helper the templates may call, registered in one place. Templates only print: anything
 * that decides or computes lives in the model, in the view built by an emitter, or here.
 */
export function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper({
    /** A value as a TypeScript/JSON literal. */
    json: (value: unknown) => JSON.stringify(value),
    /** Lines of a JSDoc block body (` * ...`), safe against `*\/` in spec text. */
    doc: (text: string) =>
      docSafe(String(text ?? ""))
        .split("\n")
        .map((line) => (line.trim() ? ` * ${line}` : " *"))
        .join("\n"),
    /** Text for a Markdown table cell: no line breaks, pipes escaped. */
    cell: (text: unknown) =>
      String(text ?? "")
        .replace(/\\/g, "\\\\")
        .replace(/\|/g, "\\|")
        .replace(/\s*\n\s*/g, " ")
        .trim(),
    /** Inline code in Markdown that survives backticks in the text. */
    code: (text: unknown) => {
      const value = String(text ?? "");
      return value.includes("`") ? `\`\` ${value} \`\`` : `\`${value}\``;
    },
  });
  return hbs;
}
