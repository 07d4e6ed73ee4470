import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The files that take longest (measured on the 2-core CI machine, slowest first). They start first,
 * so that no long file starts last and runs alone while the other worker is idle.
 */
const SLOWEST_FILES = [
  "test/publish/release.test.ts",
  "test/generator/pipeline.test.ts",
  "test/verify/verify.test.ts",
  "test/publish/consumer.test.ts",
  "test/generator/format-markdown.test.ts",
  "test/generator/broken-specs.test.ts",
  "test/generator/stages.test.ts",
  "test/bench/incremental.test.ts",
  "test/generator/prettier-output.test.ts",
  "test/bench/format-performance.test.ts",
  "test/runtime/listing.test.ts",
  "test/runtime/strict-types.test.ts",
  "test/import/seeds.test.ts",
];

/** Vitest's order (failed first, then longest by its own timings when it has them), the known slowest files ahead. */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = SLOWEST_FILES.indexOf(relative(file.project.config.root, file.moduleId).split("\\").join("/"));
      return index === -1 ? SLOWEST_FILES.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Processes, not threads: tests spawn the CLI, tsc and npm, and set process-wide state.
    pool: "forks",
    // At least two files at a time: vitest's default (cores - 1) is one on a 2-core machine, while
    // much of the suite waits on child processes (tsc, npm, the CLI) and test servers.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowestFirst },
  },
});
