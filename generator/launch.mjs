// Starts the generator CLI from a bundle that esbuild makes of generator/, and makes again
// whenever a source changed: plain node starts in ~0.1 s where a TypeScript loader needs ~0.45 s,
// which is most of a no-op regeneration. The bundle lives in node_modules/.cache; it is keyed by
// a hash of every generator source, so it is never stale.
//
// The bundle holds the yaml package too, and runs as a script compiled from V8's code cache
// (Node 20 has no module.enableCompileCache): the first run of a bundle compiles every function of
// it at once and saves the cache beside it, so no later run parses or compiles any of it again.
// Other packages (handlebars, prettier, ts-morph...) are loaded from node_modules when a run needs
// them. Files are written under a temporary name and renamed, so two runs racing each see whole
// files; a cache V8 rejects (another Node version) is deleted, and the next run makes it again.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";

const generatorDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(generatorDir);
const cacheDir = path.join(root, "node_modules", ".cache", "nexudus-codegen", "cli");

/**
 * Hash of every source esbuild would read from generator/, and of this file, which says how to
 * bundle them. Read synchronously: for ~60 small files, twice as fast as awaiting each.
 */
function sourcesHash() {
  const files = readdirSync(generatorDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|json|mjs)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const digest = createHash("sha256");
  for (const file of files) digest.update(path.relative(generatorDir, file)).update("\0").update(readFileSync(file)).update("\0");
  return digest.digest("hex").slice(0, 16);
}

/** The packages bundled with the generator: every run that reads a spec needs them. */
const BUNDLED_PACKAGES = new Set(["yaml"]);

async function buildBundle(bundle) {
  const { build } = await import("esbuild");
  await mkdir(cacheDir, { recursive: true });
  const temporary = `${bundle}.${process.pid}.tmp`;
  await build({
    entryPoints: [path.join(generatorDir, "cli.ts")],
    outfile: temporary,
    bundle: true,
    platform: "node",
    // A script, so that vm.Script can compile it from a code cache (a module cannot, in Node 20).
    format: "cjs",
    define: { "import.meta.url": "__bundleUrl" },
    // import() of a package becomes require(): a script from a code cache has no module loader to import with.
    supported: { "dynamic-import": false },
    banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [
      {
        name: "packages-from-node-modules",
        setup(esbuild) {
          esbuild.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED_PACKAGES.has(args.path) ? undefined : { path: args.path, external: true }));
        },
      },
    ],
    logLevel: "warning",
  });
  await rename(temporary, bundle);
  // Bundles (and their code caches) of older sources are not used again; a day's grace spares one a running process uses.
  for (const name of await readdir(cacheDir)) {
    const file = path.join(cacheDir, name);
    if (name.startsWith("cli-") && !file.startsWith(bundle) && Date.now() - (await stat(file)).mtimeMs > 86_400_000) await rm(file, { force: true });
  }
}

/** Writes a file whole: under a temporary name, then renamed. */
function writeWhole(file, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

const bundle = path.join(cacheDir, `cli-${sourcesHash()}.cjs`);
const codeCache = `${bundle}.v8-cache`;
let source;
try {
  source = readFileSync(bundle, "utf8");
} catch {
  await buildBundle(bundle);
  source = readFileSync(bundle, "utf8");
}
const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const compile = (cachedData) => new vm.Script(wrapped, { filename: bundle, cachedData });

let cachedData;
try {
  cachedData = readFileSync(codeCache);
} catch {
  // First run of this bundle.
}
let script;
if (cachedData) {
  script = compile(cachedData);
  // Made again by the next run: compiled again now, the script would be the one V8 just compiled lazily.
  if (script.cachedDataRejected) rmSync(codeCache, { force: true });
} else {
  // Every function compiled now, not each when first called: the cache then holds all of them.
  v8.setFlagsFromString("--no-lazy");
  try {
    script = compile(undefined);
  } finally {
    v8.setFlagsFromString("--lazy");
  }
  writeWhole(codeCache, script.createCachedData());
}
const cli = { exports: {} };
script.runInThisContext()(cli.exports, createRequire(bundle), cli, bundle, path.dirname(bundle));
