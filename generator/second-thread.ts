/**
 * A run's second thread: on a run that parses and prints most specs (a cold run, `--check`), a
 * worker shares the two stages that work spec by spec, parsing (load) and printing (print). For
 * each, both threads take the next item from one shared counter until none is left, so neither
 * waits on the other for longer than one item, and a worker that is late or gone only means this
 * thread does more. The worker is this very bundle started again (cli.ts sees `secondThreadRole`),
 * when the run begins, so that it boots while this thread reads the specs.
 *
 * Everything crosses as plain data (structured clone). Parsing gives back a plain spec's tree as
 * the cache stores it (load.ts `store`), which this thread restores in a fraction of a parse; a spec
 * that is not plain, or has an error, is parsed here, where its errors are reported. Printing is
 * given the entities' models and the enums and gives back each entity's files, formatted and
 * hashed. Either way the result is the same bytes as one thread's: the same functions run on the
 * same input.
 */
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { LineCounter } from "yaml";
import type { StoredNode } from "./cache.js";
import type { EntityContext, EntityScope, Emitter } from "./emit/emitter.js";
import { EMITTERS } from "./emit/registry.js";
import { loadTemplates } from "./emit/templates.js";
import { store } from "./load.js";
import { readPlainTree } from "./load-tree.js";
import type { EntityModel, EnumModel } from "./model.js";
import { printEntity, type PrintedEntity, type StageTimer } from "./print.js";

/**
 * Below this many specs to parse or entities to print, this thread does them all: the second
 * thread needs ~50 ms to start, and its work a copy each way.
 */
export const SECOND_THREAD_MIN = 24;

/** What tells a worker of this bundle that it is a second thread. */
const ROLE = "nexudus-codegen second thread";

/** What the second thread is started with. */
interface StartData {
  role: typeof ROLE;
  templatesDir: string;
}

/** A spec to parse: its path as messages show it, and its text. */
export interface SpecText {
  file: string;
  text: string;
}

type Request = { parse: readonly SpecText[]; next: Int32Array } | { print: readonly EntityModel[]; enums: readonly EnumModel[]; next: Int32Array };

/** Each item the second thread did, by index: a spec's stored tree, or an entity's files. */
type Answer = { done: [number, StoredNode | PrintedEntity][] } | { error: string };

/**
 * The bundle this code runs from, when it runs from the launcher's bundle (a CommonJS script):
 * only a bundle can be started as a worker by plain Node. Under tsx or vitest there is none, and
 * this thread does everything.
 */
function bundleFile(): string | undefined {
  const self = import.meta.url;
  return self.startsWith("file:") && self.endsWith(".cjs") ? fileURLToPath(self) : undefined;
}

export class SecondThread {
  readonly #worker: Worker;
  #gone = false;

  private constructor(worker: Worker) {
    this.#worker = worker;
    // Never what keeps the process alive; if it fails, this thread does its share.
    worker.unref();
    const gone = () => (this.#gone = true);
    worker.on("error", gone);
    worker.on("exit", gone);
  }

  /** Starts the second thread, or returns undefined when this code does not run from the bundle. */
  static start(templatesDir: string): SecondThread | undefined {
    const bundle = bundleFile();
    if (!bundle || !isMainThread) return undefined;
    try {
      return new SecondThread(new Worker(bundle, { workerData: { role: ROLE, templatesDir } satisfies StartData }));
    } catch {
      return undefined;
    }
  }

  /**
   * Parses `specs` on both threads: this one calls `parseHere` for each spec it takes; the stored
   * trees of the plain specs the second thread parsed are returned by index. A spec in neither is
   * one this thread must still parse.
   */
  async shareParsing(specs: readonly SpecText[], parseHere: (index: number) => void): Promise<Map<number, StoredNode>> {
    const { done } = await this.#share((next) => ({ parse: specs, next }), specs.length, async (index) => parseHere(index));
    return done as Map<number, StoredNode>;
  }

  /**
   * Prints `entities` on both threads and returns every entity's files, in the order given, with
   * how many the second thread printed and how long this one waited for it at the end. Whatever
   * the second thread took but did not give back is printed here.
   */
  async sharePrinting(entities: readonly EntityModel[], scope: EntityScope, context: EntityContext, emitters: readonly Emitter[], time: StageTimer): Promise<{ printed: PrintedEntity[]; bySecondThread: number; waited: number }> {
    const printed: PrintedEntity[] = [];
    const printHere = async (index: number) => void (printed[index] = await printEntity(entities[index]!, scope, context, emitters, time));
    const { done, waited } = await this.#share((next) => ({ print: entities, enums: scope.enums, next }), entities.length, printHere);
    for (const [index, entity] of done as Map<number, PrintedEntity>) printed[index] = entity;
    for (let index = 0; index < entities.length; index++) if (!printed[index]) await printHere(index);
    return { printed, bySecondThread: done.size, waited };
  }

  /** Stops the second thread. */
  stop(): void {
    void this.#worker.terminate();
  }

  /** The second thread's answer to the request just sent; nothing when it is gone before answering. */
  #answer(): Promise<Iterable<[number, unknown]>> {
    // Held while it works for this thread: an awaited answer must keep the process alive.
    this.#worker.ref();
    return new Promise((resolve) => {
      const settle = (done: Iterable<[number, unknown]>) => {
        this.#worker.off("message", onMessage).off("error", onGone).off("exit", onGone).unref();
        resolve(done);
      };
      const onMessage = (message: Answer) => settle("done" in message ? message.done : []);
      const onGone = () => settle([]);
      this.#worker.on("message", onMessage).on("error", onGone).on("exit", onGone);
    });
  }

  /**
   * Sends the request `make` builds around a new shared counter, then takes items from that counter
   * here (`doHere`) until none is left, then waits (`waited` ms) for what the second thread did.
   */
  async #share(make: (next: Int32Array) => Request, count: number, doHere: (index: number) => Promise<void>): Promise<{ done: Map<number, unknown>; waited: number }> {
    const next = new Int32Array(new SharedArrayBuffer(4));
    let answer: Promise<Iterable<[number, unknown]>> | undefined;
    if (!this.#gone && count >= SECOND_THREAD_MIN) {
      try {
        this.#worker.postMessage(make(next));
        answer = this.#answer();
      } catch {
        // Something that cannot be copied (a model read lazily from the cache): this thread does it all.
      }
    }
    for (let index = Atomics.add(next, 0, 1); index < count; index = Atomics.add(next, 0, 1)) await doHere(index);
    const start = performance.now();
    const done = new Map(answer ? await answer : []);
    return { done, waited: performance.now() - start };
  }
}

/** True in a worker `SecondThread` started: cli.ts then runs `runSecondThread` instead of the CLI. */
export function secondThreadRole(): boolean {
  return !isMainThread && (workerData as { role?: unknown } | null)?.role === ROLE;
}

/** The second thread's side: does its share of each request, answers each once. */
export function runSecondThread(): void {
  const { templatesDir } = workerData as StartData;
  // Read while the main thread loads the specs; each template is compiled when first printed.
  const templates = loadTemplates(templatesDir);
  templates.catch(() => undefined);
  parentPort!.on("message", (request: Request) => {
    const take = async (count: number, doOne: (index: number) => Promise<StoredNode | PrintedEntity | undefined>): Promise<Answer> => {
      const done: [number, StoredNode | PrintedEntity][] = [];
      for (let index = Atomics.add(request.next, 0, 1); index < count; index = Atomics.add(request.next, 0, 1)) {
        const result = await doOne(index);
        if (result) done.push([index, result]);
      }
      return { done };
    };
    const work = async (): Promise<Answer> => {
      if ("parse" in request) {
        const specs = request.parse;
        return take(specs.length, async (index) => {
          const root = readPlainTree(specs[index]!.text, specs[index]!.file, new LineCounter());
          return root && store(root);
        });
      }
      const context: EntityContext = { templates: await templates, templatesDir };
      const scope: EntityScope = { enums: [...request.enums] };
      return take(request.print.length, (index) => printEntity(request.print[index]!, scope, context, EMITTERS));
    };
    void work()
      .catch((error: unknown) => ({ error: String((error as Error)?.stack ?? error) }))
      .then((answer) => parentPort!.postMessage(answer));
  });
}
