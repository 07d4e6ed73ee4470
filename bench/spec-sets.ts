/**
 * The two spec sets the benchmark measures side by side: the project's real specs (copied, so the
 * benchmark's edits never touch specs/) and the synthetic 215-entity set of bench/synthetic.ts.
 */
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { writeSyntheticSpecs } from "./synthetic.js";

export type SpecSetName = "real" | "synthetic";

/** A spec set: how to lay it out, which spec an edit changes, and which resource the apps use. */
export interface SpecSet {
  name: SpecSetName;
  label: string;
  /** Writes the set's specs into `dir` (emptied first). */
  write(dir: string, root: string): Promise<void>;
  /** The spec the "one changed spec" measures edit, relative to the specs folder. */
  editedSpec: string;
  /** The generated module of the resource the one-endpoint apps list, relative to src/, without extension. */
  resourceModule: string;
}

export const SPEC_SETS: Readonly<Record<SpecSetName, SpecSet>> = {
  real: {
    name: "real",
    label: "real specs (specs/)",
    async write(dir, root) {
      await rm(dir, { recursive: true, force: true });
      await cp(path.join(root, "specs"), dir, { recursive: true });
    },
    editedSpec: "billing/coworkertimepasses.yaml",
    resourceModule: "billing/coworkertimepasses",
  },
  synthetic: {
    name: "synthetic",
    label: "synthetic set (bench/synthetic.ts)",
    async write(dir) {
      await writeSyntheticSpecs(dir);
    },
    editedSpec: "billing/invoices.yaml",
    resourceModule: "billing/invoices",
  },
};

/**
 * Changes one spec the way an edit would: the first one-line description after `fields:` gets an
 * `(edit <round>) ` prefix, different for each `round`, so every call is a real change of the spec
 * and of its generated files. Block scalars (`|`, `>`) are passed over: a prefix would break them.
 */
export async function editOneSpec(specsDir: string, spec: string, round: number): Promise<void> {
  const file = path.join(specsDir, spec);
  const text = await readFile(file, "utf8");
  const fields = text.search(/^fields:/m);
  if (fields < 0) throw new Error(`${spec} has no fields: to edit`);
  const rest = text.slice(fields).replace(/^(\s+description: )(\(edit \d+\) )?(?=[^|>\s])/m, `$1(edit ${round}) `);
  const next = text.slice(0, fields) + rest;
  if (next === text) throw new Error(`${spec}: no one-line description after fields: to edit`);
  await writeFile(file, next);
}
