/**
 * A tiny app that depends on the generated package as a user's app would: node_modules/nexudus-api
 * points at the generated package, built (its ESM `dist/`, what `exports` names), and the app
 * imports one resource. The benchmark type-checks it and bundles it.
 */
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { runChecked } from "./measure.js";

/** The consumer project, ready for `tsc -p <dir>` and for bundling from `dir`. */
export interface Consumer {
  dir: string;
  /** The exported resource info the app lists (`coworkerTimePasses`). */
  resourceInfo: string;
}

/**
 * The name of the resource info of `resourceModule` (`billing/coworkertimepasses` -> `coworkerTimePasses`): the first
 * `ResourceInfo` its area module (src/billing/index.ts) exports with the path `/api/<resourceModule>`.
 */
export async function resourceInfoName(out: string, resourceModule: string): Promise<string> {
  const area = resourceModule.slice(0, resourceModule.indexOf("/"));
  const module = await readFile(path.join(out, "src", area, "index.ts"), "utf8");
  const infoPath = JSON.stringify(`/api/${resourceModule}`);
  const name = [...module.matchAll(/export const (\w+): ResourceInfo<[^=]*= \{\s*entity: "[^"]*",\s*path: ("[^"]+"),/g)].find((m) => m[2] === infoPath)?.[1];
  if (!name) throw new Error(`${out}/src/${area}/index.ts exports no resource info with the path ${infoPath}`);
  return name;
}

/** The app: one resource info, the `list` operation and the Transport, imported from the package. */
export function oneResourceApp(resourceInfo: string): string {
  return [
    `import { ${resourceInfo}, list, Transport } from "nexudus-api";`,
    ``,
    `const page = await list(new Transport({ token: "token" }), ${resourceInfo}, { page: 1, size: 10 });`,
    `for (const record of page.Records) console.log(record.Id, record.UpdatedOn);`,
    ``,
  ].join("\n");
}

/**
 * Builds the package's ESM output (`tsc -p tsconfig.build.json`, with the type packages of
 * `typeRoots` wherever the output folder is) and lays out the consumer project in `dir`.
 */
export async function prepareConsumer(options: { tsc: string; typeRoots: string; out: string; dir: string; resourceModule: string }): Promise<Consumer> {
  await runChecked(options.tsc, ["-p", path.join(options.out, "tsconfig.build.json"), "--typeRoots", options.typeRoots]);
  const resourceInfo = await resourceInfoName(options.out, options.resourceModule);
  await rm(options.dir, { recursive: true, force: true });
  await mkdir(path.join(options.dir, "node_modules"), { recursive: true });
  await symlink(options.out, path.join(options.dir, "node_modules", "nexudus-api"), "dir");
  await writeFile(path.join(options.dir, "package.json"), `${JSON.stringify({ name: "bench-consumer", private: true, type: "module" }, null, 2)}\n`);
  await writeAppTsconfig(options.dir, { module: "NodeNext", moduleResolution: "NodeNext" }, { files: ["app.ts"] });
  await writeFile(path.join(options.dir, "app.ts"), oneResourceApp(resourceInfo));
  return { dir: options.dir, resourceInfo };
}

/** A strict, no-emit tsconfig of an app in `dir` (browser and ES2022 libraries, no ambient types), resolving modules as `resolution` says. */
export async function writeAppTsconfig(dir: string, resolution: { module: string; moduleResolution: string }, sources: { include: string[] } | { files: string[] }): Promise<void> {
  const config = {
    compilerOptions: { target: "ES2022", lib: ["ES2022", "DOM", "DOM.Iterable"], ...resolution, strict: true, skipLibCheck: true, noEmit: true, types: [] },
    ...sources,
  };
  await writeFile(path.join(dir, "tsconfig.json"), `${JSON.stringify(config, null, 2)}\n`);
}
