import { areasEmitter } from "./areas.js";
import { clientEmitter } from "./client.js";
import { docsEmitter } from "./docs.js";
import type { Emitter } from "./emitter.js";
import { openApiEmitter } from "./openapi.js";
import { packageEmitter } from "./package.js";
import { releaseEmitter } from "./release.js";
import { testingEmitter } from "./testing.js";
import { typesEmitter } from "./types.js";

/**
 * Every output of the generator, in the order the pipeline runs them. An emitter sees the files of
 * those before it: release reads them all for the surface manifest, package and openapi read the
 * version (openapi.json is not published, so the release need not see it).
 * Adding an output is one module exporting an Emitter and one line here.
 */
export const EMITTERS: readonly Emitter[] = [
  typesEmitter,
  areasEmitter,
  clientEmitter,
  docsEmitter,
  testingEmitter,
  releaseEmitter,
  packageEmitter,
  openApiEmitter,
];

const reservedByRegistry = new WeakMap<readonly Emitter[], ReadonlySet<string>>();

/**
 * Names the package exports besides what specs generate (the root client, the runtime's exports,
 * whatever else an emitter adds to the index): a generated type or enum of the same name would
 * clash in the package's index. Derived from the registry, read once.
 */
export function reservedExports(emitters: readonly Emitter[] = EMITTERS): ReadonlySet<string> {
  let names = reservedByRegistry.get(emitters);
  if (!names) {
    names = new Set(emitters.flatMap((emitter) => emitter.exports?.() ?? []));
    reservedByRegistry.set(emitters, names);
  }
  return names;
}
