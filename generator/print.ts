/**
 * The print stage: every emitter's `entity` hook for one entity, its files formatted and hashed.
 * The pipeline prints the entities whose files must be printed again; on a run that prints most of
 * them, the second thread (second-thread.ts) prints a share with this very function.
 */
import type { EntityContext, EntityScope, Emitter } from "./emit/emitter.js";
import type { GeneratedFile } from "./emit/generated-file.js";
import { formatFiles } from "./format.js";
import type { EntityModel } from "./model.js";
import { producedFile, type ProducedFile } from "./write.js";

/** Runs a stage and counts its time under the stage's name (pipeline.ts `timed`). */
export type StageTimer = <T>(stage: string, run: () => T | Promise<T>) => Promise<T>;

const untimed: StageTimer = async (_stage, run) => run();

/** One entity's files, formatted, with their hashes; `formatted`: how many went to prettier. */
export interface PrintedEntity {
  files: ProducedFile[];
  formatted: number;
}

/** Prints one entity: every emitter's files for it, formatted and hashed. */
export async function printEntity(entity: EntityModel, scope: EntityScope, context: EntityContext, emitters: readonly Emitter[], time: StageTimer = untimed): Promise<PrintedEntity> {
  const files: GeneratedFile[] = [];
  for (const emitter of emitters) if (emitter.entity) files.push(...(await time(emitter.name, () => emitter.entity!(entity, scope, context))));
  const result = await time("format", () => formatFiles(files));
  return { files: result.files.map(producedFile), formatted: result.formatted };
}
