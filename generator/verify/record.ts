import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { EntityModel } from "../model.js";
import {
  get,
  list,
  maxRequestsPerSecond,
  NexudusError,
  passwordGrant,
  Transport,
  type ClientOptions,
  type ResourceInfo,
} from "../../templates/runtime/index.js";
import { RecordingBuilder, recordingName, stableJson, writeFileAtomic, writeRecording } from "./shape.js";

/** Nexudus allows one request per 100 ms; recording never goes faster, whatever the caller asks. */
export const MAX_REQUESTS_PER_SECOND = 10;
/** Records asked for per listing: one small page. */
export const DEFAULT_PAGE_SIZE = 10;
/** The file that remembers an unfinished recording run, in the recordings folder. */
export const SESSION_FILE = ".session.json";

/** What the progress display is told after each entity. */
export interface RecordProgress {
  /** Entities finished so far in this run, resumed ones included. */
  done: number;
  total: number;
  /** `billing/coworkertimepasses` */
  name: string;
  /** `recorded`, `skipped` (Nexudus refused, e.g. HTTP 403), or `resumed` (recorded by the interrupted run). */
  status: "recorded" | "skipped" | "resumed";
  /** Why it was skipped: an HTTP status and error class, never the server's message. */
  reason?: string;
}

/** Options of `record`. */
export interface RecordOptions {
  /** The entities to record. */
  entities: readonly EntityModel[];
  /** Where recordings go. */
  recordingsDir: string;
  /**
   * Credentials and origin, as the client takes them (a token, or username and password through the
   * client's own password grant). Retry settings may be tuned; the request rate is always capped.
   */
  connection: ClientOptions;
  /** Records per listing page (default 10). */
  pageSize?: number;
  /** Forget an interrupted run and record every entity again. */
  restart?: boolean;
  /** Stops the run; what was recorded stays, and the next run resumes. */
  signal?: AbortSignal;
  /** Called after each entity. */
  onProgress?: (progress: RecordProgress) => void;
}

/** What a recording run did. */
export interface RecordResult {
  /** Names of the entities recorded by this run. */
  recorded: string[];
  /** Entities recorded by the interrupted run this one resumed. */
  resumed: string[];
  /** Entities Nexudus refused, with the reason (HTTP status and error class). */
  skipped: { name: string; reason: string }[];
}

/** Thrown when a run stops before its end; the recordings so far are kept and the next run resumes. */
export class RecordInterrupted extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`recording stopped after ${done} of ${total} entities: ${reason}; run the same command again to resume`, options);
    this.name = "RecordInterrupted";
  }
}

interface Session {
  done: string[];
  skipped: { name: string; reason: string }[];
}

async function readSession(file: string): Promise<Session> {
  try {
    const session = JSON.parse(await readFile(file, "utf8")) as Session;
    if (Array.isArray(session.done) && Array.isArray(session.skipped)) return session;
  } catch {
    // no session (or an unreadable one): start afresh
  }
  return { done: [], skipped: [] };
}

/** The client options a recording uses: the caller's, with patient retries and its own pace (any other is replaced). */
export function transportOptions(connection: ClientOptions): ClientOptions {
  return { maxRetries: 5, ...connection, pace: maxRequestsPerSecond(MAX_REQUESTS_PER_SECOND) };
}

/**
 * Why Nexudus refused one entity (a missing role, an endpoint it does not have), without its message,
 * which may quote a value. Bad credentials (401) and throttling that outlasted the retries stop the run.
 */
function refusal(error: unknown): string | undefined {
  const status = error instanceof NexudusError ? error.status : undefined;
  if (status === undefined || status < 400 || status >= 500 || [401, 409, 429].includes(status)) return undefined;
  return `HTTP ${status} (${(error as Error).name})`;
}

/**
 * Records the shape of each entity's answers: one small page of its listing and a `get` of the first
 * record, through the client runtime (its auth, retries and Retry-After handling), at most one request per
 * 100 ms. Each entity's recording is written as soon as it is complete, and the run is remembered in
 * `.session.json` so an interrupted run resumes where it stopped.
 */
export async function record(options: RecordOptions): Promise<RecordResult> {
  const sessionFile = path.join(options.recordingsDir, SESSION_FILE);
  if (options.restart) await rm(sessionFile, { force: true });
  const session = await readSession(sessionFile);
  const transport = new Transport(transportOptions(options.connection));
  const size = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const result: RecordResult = { recorded: [], resumed: [], skipped: [] };
  const total = options.entities.length;
  let done = 0;

  for (const entity of options.entities) {
    const name = recordingName(entity).replace(/\.json$/, "");
    if (session.done.includes(name)) {
      done++;
      result.resumed.push(name);
      options.onProgress?.({ done, total, name, status: "resumed" });
      continue;
    }
    if (options.signal?.aborted) throw new RecordInterrupted(done, total, "interrupted");
    let reason: string | undefined;
    try {
      await writeRecording(options.recordingsDir, entity, await observe(transport, entity, size, options.signal));
    } catch (error) {
      reason = refusal(error);
      if (reason === undefined) {
        const why = options.signal?.aborted
          ? "interrupted"
          : error instanceof NexudusError
            ? `${error.name}${error.status ? ` (HTTP ${error.status})` : ""} on ${entity.path}`
            : `${(error as Error).name ?? "error"} on ${entity.path}`;
        throw new RecordInterrupted(done, total, why, { cause: error });
      }
    }
    done++;
    session.done.push(name);
    if (reason) {
      session.skipped.push({ name, reason });
      result.skipped.push({ name, reason });
    } else {
      result.recorded.push(name);
    }
    await writeFileAtomic(sessionFile, stableJson(session));
    options.onProgress?.({ done, total, name, status: reason ? "skipped" : "recorded", ...(reason ? { reason } : {}) });
  }
  // Skips of the resumed run are part of this run's outcome.
  for (const skip of session.skipped) if (!result.skipped.some((s) => s.name === skip.name)) result.skipped.push(skip);
  await rm(sessionFile, { force: true });
  return result;
}

/** One entity's answers, reduced to their shape: a listing page, then the first record in full. */
async function observe(transport: Transport, entity: EntityModel, size: number, signal?: AbortSignal) {
  const resource: ResourceInfo = { entity: entity.name, path: entity.path, listingOmits: entity.listingOmits };
  const builder = new RecordingBuilder(entity);
  let firstId: number | undefined;
  if (entity.ops.list) {
    const page = await list<unknown>(transport, resource, { page: 1, size }, { signal });
    const records = Array.isArray(page?.Records) ? page.Records : [];
    for (const item of records) builder.listing.add(item);
    const first = records[0] as { Id?: unknown } | undefined;
    if (typeof first?.Id === "number" && Number.isSafeInteger(first.Id)) firstId = first.Id;
  }
  if (entity.ops.get && firstId !== undefined) builder.full.add(await get<unknown>(transport, resource, firstId, { signal }));
  return builder.build();
}

/**
 * Credentials and origin from the environment: `NEXUDUS_TOKEN`, or `NEXUDUS_USERNAME` and `NEXUDUS_PASSWORD`
 * (and `NEXUDUS_TOTP`), with `NEXUDUS_BASE_URL`; undefined when none are set.
 */
export function connectionFromEnvironment(env: NodeJS.ProcessEnv): ClientOptions | undefined {
  const baseUrl = env.NEXUDUS_BASE_URL || undefined;
  if (env.NEXUDUS_TOKEN) return { baseUrl, token: env.NEXUDUS_TOKEN };
  if (env.NEXUDUS_USERNAME && env.NEXUDUS_PASSWORD) {
    return { baseUrl, auth: passwordGrant({ username: env.NEXUDUS_USERNAME, password: env.NEXUDUS_PASSWORD, totp: env.NEXUDUS_TOTP }) };
  }
  return undefined;
}

/** A progress bar on a terminal, one plain line per entity otherwise. Names entities only, never data. */
export function progressPrinter(stream: NodeJS.WriteStream): { update: (p: RecordProgress) => void; end: () => void } {
  let drawn = false;
  return {
    update: (p) => {
      const suffix = p.status === "recorded" ? "" : p.status === "skipped" ? ` (skipped: ${p.reason})` : " (recorded before)";
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((p.done / Math.max(1, p.total)) * width);
        stream.write(`\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${p.done}/${p.total} ${p.name}${suffix}`);
        drawn = true;
      } else {
        stream.write(`[${p.done}/${p.total}] ${p.status} ${p.name}${p.status === "skipped" ? `: ${p.reason}` : ""}\n`);
      }
    },
    end: () => {
      if (drawn) stream.write("\n");
    },
  };
}
