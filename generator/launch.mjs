// Starts the generator CLI from a bundle that esbuild makes of generator/, and makes again
// whenever a source changed: plain node starts in ~0.1 s where a TypeScript loader needs ~0.45 s,
// which is most of a no-op regeneration. The bundle lives in node_modules/.cache; it is keyed by
// a hash of every generator source, so it is never stale.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const generatorDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(generatorDir);
const cacheDir = path.join(root, "node_modules", ".cache", "nexudus-codegen", "cli");

/** Hash of every source esbuild would read from generator/. */
async function sourcesHash() {
  const entries = await readdir(generatorDir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && /\.(ts|json)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const digest = createHash("sha256");
  for (const file of files) digest.update(path.relative(generatorDir, file)).update("\0").update(await readFile(file)).update("\0");
  return digest.digest("hex").slice(0, 16);
}

const bundle = path.join(cacheDir, `cli-${await sourcesHash()}.mjs`);
try {
  await readFile(bundle);
} catch {
  const { build } = await import("esbuild");
  await mkdir(cacheDir, { recursive: true });
  const temporary = `${bundle}.${process.pid}.tmp`;
  await build({
    entryPoints: [path.join(generatorDir, "cli.ts")],
    outfile: temporary,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "warning",
  });
  await rename(temporary, bundle);
  // Bundles of older sources are not used again; a day's grace spares one a running process uses.
  for (const name of await readdir(cacheDir)) {
    const file = path.join(cacheDir, name);
    if (name.startsWith("cli-") && file !== bundle && Date.now() - (await stat(file)).mtimeMs > 86_400_000) await rm(file, { force: true });
  }
}
await import(pathToFileURL(bundle).href);
