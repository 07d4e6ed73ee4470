/**
 * Whether generation grows linearly with a spec's size (issue 10: a spec with 4,000 fields took
 * 37 s, 35 s of it formatting). One spec with N fields (every third a filter, every seventh number
 * or date a range filter, each with a one-line description), generated cold as a whole process for
 * growing N. Linear growth shows as a steady cost per 1,000 fields: the figures are the process
 * time, and that time less the smallest spec's, per 1,000 fields added.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateOnce, type GenerationSample } from "./ours.js";
import { settleDisk, stat, type Stat } from "./measure.js";

/** The field counts the scaling measure generates. */
export const SCALING_SIZES = [500, 1000, 2000, 4000] as const;

/** One size: its cold generations. */
export interface ScalingPoint {
  fields: number;
  wallMs: Stat;
  /** Median per stage of the runs. */
  stages: Record<string, number>;
}

const FIELD_TYPES = ["string?", "integer", "number?", "boolean", "datetime?"] as const;

/** The spec of one entity with `fields` fields, as a user would write it (one line per field). */
export function bigSpec(fields: number): string {
  const lines = [
    "entity: BigThing",
    "area: billing",
    "description: A synthetic entity with very many fields, to measure how generation grows with a spec's size.",
    "docs:",
    "  status: partial",
    "  sources: [https://developers.nexudus.com/rest-api/billing]",
    "  missing: Every field is synthetic.",
    "operations: [list, get, getMany, create, update, delete]",
    "fields:",
  ];
  for (let i = 0; i < fields; i++) {
    const type = FIELD_TYPES[i % FIELD_TYPES.length]!;
    const filter = i % 3 === 0 ? "filter: true, " : "";
    const range = i % 7 === 0 && /^(integer|number|datetime)/.test(type) ? "range: true, " : "";
    lines.push(`  Field${i}Value: { type: ${type}, ${filter}${range}description: "Field ${i} of the synthetic entity, in one sentence." }`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Generates a one-spec project of each size in `sizes` (plus specs/common.yaml from `root`), `runs`
 * cold runs each (empty output and cache), and returns the medians.
 */
export async function measureScaling(root: string, work: string, runs: number, progress: (message: string) => void, sizes: readonly number[] = SCALING_SIZES): Promise<ScalingPoint[]> {
  const common = await readFile(path.join(root, "specs", "common.yaml"), "utf8");
  const points: ScalingPoint[] = [];
  for (const fields of sizes) {
    const dir = path.join(work, `scaling-${fields}`);
    const folders = { specs: path.join(dir, "specs"), out: path.join(dir, "out"), cache: path.join(dir, "cache") };
    await rm(dir, { recursive: true, force: true });
    await mkdir(path.join(folders.specs, "billing"), { recursive: true });
    await writeFile(path.join(folders.specs, "common.yaml"), common);
    await writeFile(path.join(folders.specs, "billing", "bigthings.yaml"), bigSpec(fields));
    const samples: GenerationSample[] = [];
    for (let i = 0; i < runs; i++) {
      await rm(folders.out, { recursive: true, force: true });
      await rm(folders.cache, { recursive: true, force: true });
      await settleDisk();
      samples.push(await generateOnce(root, folders));
    }
    const wallMs = stat(samples.map((s) => s.wallMs));
    const stages: Record<string, number> = {};
    for (const name of Object.keys(samples[0]!.stages)) stages[name] = stat(samples.map((s) => s.stages[name] ?? 0)).median;
    points.push({ fields, wallMs, stages });
    progress(`one spec of ${fields} fields, cold: ${Math.round(wallMs.median)} ms`);
  }
  return points;
}

/** Milliseconds per 1,000 fields added, from the smallest spec to each larger one. */
export function costPerThousandFields(points: readonly ScalingPoint[]): { fields: number; msPerThousand: number }[] {
  const [first, ...rest] = points;
  if (!first) return [];
  return rest.map((p) => ({ fields: p.fields, msPerThousand: ((p.wallMs.median - first.wallMs.median) / (p.fields - first.fields)) * 1000 }));
}
