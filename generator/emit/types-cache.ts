import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ApiModel } from "../model.js";
import { codeFingerprint } from "../run-memo.js";
import type { Emitter } from "./emitter.js";
import { typescriptFile, type GeneratedFile } from "./generated-file.js";
import { emitTypes, ENUMS_MODULE, typesModulePath } from "./types.js";

/**
 * emitTypes for the entities that changed only. A types module is a function of its entity's
 * model (the enums module: of the enums) and of the generator's code, so its text is remembered
 * under a hash of those; a later run reuses the text of every module whose hash is unchanged and
 * asks ts-morph only for the others, or does not load ts-morph at all. The texts are unformatted:
 * the format stage then reuses the formatted disk copies as usual.
 */

interface TypesCache {
  modules: Record<string, { key: string; content: string }>;
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/** Where the texts are remembered, beside the format cache. */
export function typesCacheFile(cacheFile: string): string {
  return `${cacheFile.replace(/\.json$/, "")}.types.json`;
}

/** The same files as `emitTypes(model)`; with a cache file, only changed modules are emitted. */
export async function emitTypesIncrementally(
  model: ApiModel,
  cacheFile: string | undefined,
): Promise<GeneratedFile[]> {
  if (!cacheFile) return emitTypes(model);
  const file = typesCacheFile(cacheFile);
  let cache: TypesCache;
  try {
    cache = JSON.parse(await readFile(file, "utf8")) as TypesCache;
  } catch {
    cache = { modules: {} };
  }
  const code = await codeFingerprint();
  const keys = new Map<string, string>([
    [ENUMS_MODULE, hash(`${code}\0${JSON.stringify(model.enums)}`)],
  ]);
  for (const entity of model.entities)
    keys.set(typesModulePath(entity), hash(`${code}\0${JSON.stringify(entity)}`));

  const stale = new Set(
    [...keys]
      .filter(([modulePath, key]) => cache.modules[modulePath]?.key !== key)
      .map(([modulePath]) => modulePath),
  );
  const fresh = stale.size ? await emitTypes(model, stale) : [];
  const byPath = new Map(fresh.map((f) => [f.path, f]));
  const files = [...keys.keys()].map(
    (modulePath): GeneratedFile => byPath.get(modulePath) ?? typescriptFile(modulePath, cache.modules[modulePath]!.content),
  );

  const live = Object.keys(cache.modules).every((modulePath) => keys.has(modulePath));
  if (stale.size || !live) {
    const modules = Object.fromEntries(
      files.map((f) => [f.path, { key: keys.get(f.path)!, content: f.content }]),
    );
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ modules } satisfies TypesCache));
  }
  return files;
}

/** The types modules (one per entity) and the enums module, through the types cache. */
export const typesEmitter: Emitter = {
  name: "emit types",
  emit: (model, { cacheFile }) => emitTypesIncrementally(model, cacheFile),
};
