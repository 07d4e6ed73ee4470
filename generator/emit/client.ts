import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ApiModel, EntityModel } from "../model.js";
import { packageFileUrl, repositoryFile } from "../project.js";
import { docsPagePath } from "./docs.js";
import type { Emitter } from "./emitter.js";
import { tsHeader, typescriptFile, type GeneratedFile } from "./generated-file.js";
import type { Templates } from "./templates.js";

/** The hand-written parts of the package, copied as they are: folder in templates/ -> folder in src/. */
export const COPIED_FOLDERS = ["runtime", "testing"] as const;

/** The type names a resource module imports, by the operations it has. */
function typeImports(entity: EntityModel): string[] {
  const { ops, typeNames } = entity;
  const names = new Set<string>();
  if (ops.list) names.add(typeNames.query).add(typeNames.listingRecord);
  if (ops.getMany) names.add(typeNames.listingRecord);
  if (ops.get || ops.update) names.add(typeNames.record);
  if (ops.create) names.add(typeNames.create);
  return [...names].sort();
}

/**
 * Emits the client code from templates, and copies the runtime it stands on. The package index
 * also re-exports `indexModules`, what the other emitters of the registry add to it.
 */
export async function emitClient(model: ApiModel, templates: Templates, templatesDir: string, indexModules: readonly string[] = []): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const entity of model.entities) {
    files.push(
      typescriptFile(
        `src/${entity.area}/${entity.fileBase}.ts`,
        templates["client/resource.ts.hbs"]({
          header: tsHeader(entity.specFile),
          entity,
          typeImports: typeImports(entity),
          docsUrl: packageFileUrl(docsPagePath(entity)),
          writes: Boolean(entity.ops.create || entity.ops.update || entity.ops.delete || entity.ops.runCommand),
        }),
      ),
    );
  }
  for (const area of model.areas) {
    files.push(typescriptFile(`src/${area.name}/index.ts`, templates["client/area.ts.hbs"]({ header: tsHeader(`specs/${area.name}/`), area })));
  }
  const header = tsHeader("specs/");
  files.push(typescriptFile("src/client.ts", templates["client/client.ts.hbs"]({ header, model })));
  files.push(typescriptFile("src/index.ts", templates["client/index.ts.hbs"]({ header, model, indexModules })));
  files.push(...(await copyHandWritten(templatesDir)));
  return files;
}

async function copyHandWritten(templatesDir: string): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const folder of COPIED_FOLDERS) {
    const dir = path.join(templatesDir, folder);
    const names = (await readdir(dir)).filter((n) => n.endsWith(".ts")).sort();
    for (const name of names) {
      const text = await readFile(path.join(dir, name), "utf8");
      files.push(
        typescriptFile(
          `src/${folder}/${name}`,
          `// Copied by nexudus-codegen from templates/${folder}/${name}. Do not edit here: edit the template and run \`npm run generate\`.\n${text}`,
        ),
      );
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

/** The resource modules, area indexes, root client and package index, and the copied runtime. */
export const clientEmitter: Emitter = {
  name: "emit client",
  emit: (model, { templates, templatesDir, emitters }) =>
    emitClient(model, templates, templatesDir, emitters.flatMap((emitter) => emitter.indexModules ?? [])),
  exports: () => ["NexudusClient", ...runtimeExports()],
};
