import path from "node:path";
import * as prettier from "prettier";
import { ROOT } from "./project.js";

/**
 * What `npx prettier --check generated` compares a generated file with: its config, its inferred
 * parser; null when prettier skips it.
 */
export async function prettierOutput(relative: string, content: string): Promise<string | null> {
  // The file's place in the repository decides its config, its parser and whether .gitignore/.prettierignore skip it.
  const filepath = path.join(ROOT, "generated", relative);
  const info = await prettier.getFileInfo(filepath, { ignorePath: [path.join(ROOT, ".gitignore"), path.join(ROOT, ".prettierignore")] });
  if (info.ignored || !info.inferredParser) return null;
  const options = await prettier.resolveConfig(filepath, { editorconfig: true });
  return prettier.format(content, { ...options, filepath });
}
