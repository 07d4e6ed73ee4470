import type { EntityModel } from "../model.js";
import { RecordingBuilder, type Recording } from "./shape.js";

/** What a HAR file gave: recordings of the entities it answered, and the answers it could not use. */
export interface HarReading {
  /** Per entity seen, its recording. */
  recordings: Map<EntityModel, Recording>;
  /** `/api/<area>/<entities>` paths answered that no spec names, with how many answers each. */
  unspecified: Map<string, number>;
  /** Answers to spec'd paths that were not usable JSON. */
  unreadable: number;
}

interface HarEntry {
  request?: { method?: unknown; url?: unknown };
  response?: { status?: unknown; content?: { text?: unknown; encoding?: unknown } };
}

/** `/api/<area>/<entities>`, then nothing, `/`, or `/<id>`. Only these names are ever printed. */
const API_PATH = /^\/api\/([a-z0-9]+)\/([a-z0-9]+)(\/(\d+)?)?$/;

/**
 * Reads HAR texts (a browser's developer tools: "Save all as HAR") and takes every successful `GET` answer
 * of `/api/<area>/<entities>`: listing envelopes (`Records[]`) as listing records, `/<id>` answers and
 * Get many arrays (`?id=[…]`) as full records. Request headers, cookies and everything else in the file
 * are never read.
 */
export function readHar(texts: readonly { file: string; text: string }[], entities: readonly EntityModel[]): HarReading {
  const byPath = new Map(entities.map((e) => [e.path.toLowerCase(), e]));
  const builders = new Map<EntityModel, RecordingBuilder>();
  const reading: HarReading = { recordings: new Map(), unspecified: new Map(), unreadable: 0 };
  for (const { file, text } of texts) {
    let har: { log?: { entries?: unknown } };
    try {
      har = JSON.parse(text) as typeof har;
    } catch (error) {
      throw new Error(`${file} is not a HAR file: ${(error as Error).message}`);
    }
    if (!Array.isArray(har?.log?.entries)) throw new Error(`${file} is not a HAR file: it has no log.entries`);
    for (const item of har.log.entries as HarEntry[]) {
      const method = item?.request?.method;
      const status = item?.response?.status;
      if (method !== "GET" || typeof status !== "number" || status < 200 || status >= 300) continue;
      let url: URL;
      try {
        url = new URL(String(item.request?.url));
      } catch {
        continue;
      }
      const match = API_PATH.exec(url.pathname.toLowerCase());
      if (!match) continue;
      const base = `/api/${match[1]}/${match[2]}`;
      const entity = byPath.get(base);
      if (!entity) {
        reading.unspecified.set(base, (reading.unspecified.get(base) ?? 0) + 1);
        continue;
      }
      const body = decode(item.response?.content);
      if (body === undefined) {
        reading.unreadable++;
        continue;
      }
      let builder = builders.get(entity);
      if (!builder) builders.set(entity, (builder = new RecordingBuilder(entity)));
      take(builder, body, match[4] !== undefined);
    }
  }
  for (const [entity, builder] of builders) if (!builder.empty) reading.recordings.set(entity, builder.build());
  return reading;
}

/** The parsed JSON body of an answer, or undefined. */
function decode(content: { text?: unknown; encoding?: unknown } | undefined): unknown {
  if (typeof content?.text !== "string") return undefined;
  const text = content.encoding === "base64" ? Buffer.from(content.text, "base64").toString("utf8") : content.text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Files one answer: an `/<id>` record, a Get many array, or a listing envelope. */
function take(builder: RecordingBuilder, body: unknown, byId: boolean): void {
  if (Array.isArray(body)) {
    for (const record of body) builder.full.add(record);
  } else if (byId) {
    builder.full.add(body);
  } else if (body && typeof body === "object" && Array.isArray((body as { Records?: unknown }).Records)) {
    for (const record of (body as { Records: unknown[] }).Records) builder.listing.add(record);
  }
}
