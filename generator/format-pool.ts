import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** One text for prettier. */
export interface FormatJob {
  content: string;
  parser: string;
  printWidth: number;
  /** The repository's prettier options (see format.ts); `parser` and `printWidth` above win. */
  options?: Readonly<Record<string, unknown>>;
  /** The file's path, as prettier's CLI would see it: `.ts` is not JSX, so `<T>` stays `<T>`. */
  filepath?: string;
}

/** What prettier.format is given for a job. */
const prettierOptions = (job: FormatJob) => ({ ...job.options, parser: job.parser, printWidth: job.printWidth, ...(job.filepath ? { filepath: job.filepath } : {}) });

/**
 * Below this much text, formatting in this thread wins: a worker needs ~0.3 s to load prettier
 * before it formats anything.
 */
export const PARALLEL_MIN_CHARS = 2_000_000;

/** Workers at most; the benchmark machine has two cores. */
const MAX_WORKERS = 4;

/**
 * How many workers to use: `NEXUDUS_FORMAT_WORKERS` (`auto`: one per core; 0 or 1: none). Off by
 * default: on the 2-core benchmark machine two prettier threads (or processes) were no faster
 * than one, and sometimes slower (see docs/benchmark.md); prettier is allocation-bound there.
 */
function workerCount(jobs: number): number {
  const setting = process.env.NEXUDUS_FORMAT_WORKERS ?? "0";
  const wanted = setting === "auto" ? availableParallelism() : Number(setting);
  return Math.max(0, Math.min(Number.isFinite(wanted) ? wanted : 1, MAX_WORKERS, jobs));
}

/**
 * The worker: plain CommonJS given as source, so it runs the same under tsx, vitest or plain node
 * (no TypeScript loader needed in the thread). It loads prettier once and formats what it is sent.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const prettier = require(workerData.prettierPath);
parentPort.on("message", async (message) => {
  try {
    const output = await prettier.format(message.content, message.options);
    parentPort.postMessage({ id: message.id, output });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.stack) || error) });
  }
});
`;

type WorkerAnswer = { id: number; output: string; error?: undefined } | { id: number; error: string };

/**
 * Formats every job with prettier and returns the outputs in job order. Large batches are spread
 * over worker threads, one per core (up to four), largest texts first so the threads finish
 * together; small batches run here.
 */
export async function formatJobs(jobs: readonly FormatJob[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  const chars = jobs.reduce((n, job) => n + job.content.length, 0);
  const threads = workerCount(jobs.length);
  if (chars < PARALLEL_MIN_CHARS || threads < 2) {
    const prettier = await import("prettier");
    const outputs: string[] = [];
    for (const job of jobs) outputs.push(await prettier.format(job.content, prettierOptions(job)));
    return outputs;
  }
  return formatInWorkers(jobs, threads);
}

async function formatInWorkers(jobs: readonly FormatJob[], threads: number): Promise<string[]> {
  const prettierPath = createRequire(import.meta.url).resolve("prettier");
  const order = jobs.map((_, index) => index).sort((a, b) => jobs[b]!.content.length - jobs[a]!.content.length);
  const outputs: string[] = new Array<string>(jobs.length);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { prettierPath } }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= order.length) {
                resolve();
                return;
              }
              const id = order[next++]!;
              const job = jobs[id]!;
              worker.postMessage({ id, content: job.content, options: prettierOptions(job) });
            };
            worker.on("message", (answer: WorkerAnswer) => {
              if (answer.error !== undefined) {
                reject(new Error(`prettier failed in a worker: ${answer.error}`));
                return;
              }
              outputs[answer.id] = answer.output;
              send();
            });
            worker.on("error", reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outputs;
}
