import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { generate } from "../../generator/pipeline.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const PAGES = path.join(ROOT, "test/fixtures/pages");
export const SPECS = path.join(ROOT, "specs");

const made: string[] = [];

/** A fresh temporary folder, removed by `cleanUp`. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `nexudus-import-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made; call from afterAll. */
export async function cleanUp(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A specs folder holding the project's common.yaml and, optionally, copies of some specs. */
export async function specsFolder(copies: readonly string[] = []): Promise<string> {
  const dir = await tempDir("specs");
  await copyFile(path.join(SPECS, "common.yaml"), path.join(dir, "common.yaml"));
  for (const name of copies) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await copyFile(path.join(SPECS, name), path.join(dir, name));
  }
  return dir;
}

/** A page fixture's text. */
export function page(name: string): Promise<string> {
  return readFile(path.join(PAGES, name), "utf8");
}

/** Writes a (modified) page into a temporary folder and returns its path. */
export async function writePage(name: string, text: string): Promise<string> {
  const dir = await tempDir("page");
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}


/** Generates the package from a specs folder into a new temporary folder; returns that folder. */
export async function generateFrom(specsDir: string): Promise<string> {
  const outDir = await tempDir("out");
  await generate({ specsDir, templatesDir: path.join(ROOT, "templates"), outDir });
  return outDir;
}

/** A spec file as plain data. */
export async function readSpec(specsDir: string, name: string): Promise<Record<string, unknown>> {
  return parse(await readFile(path.join(specsDir, name), "utf8")) as Record<string, unknown>;
}
