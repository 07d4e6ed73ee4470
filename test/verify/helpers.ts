import { execFile, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { ApiModel, EntityModel, FieldModel, TypeModel } from "../../generator/model.js";
import type { DifferenceKind } from "../../generator/verify/compare.js";
import type { Recording } from "../../generator/verify/shape.js";
import type { TestCollection, TestRecord } from "../../templates/testing/server.js";
import { ROOT } from "../helpers/project.js";

/** The token the recordings are made with; it must never reach a file or the output. */
export const TOKEN = "verify-secret-token-7f3a9c2e51b04d8a";
/** What string values hold: personal data and secrets, none of which may be kept. */
export const SECRETS = ["jane.doe@example.org", "sk_live_51HxQ2eKb9Zt4u7WqR", "Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig"];

/** A value a spec type accepts; strings are personal data or secrets, objects hide a secret too. */
export function valueFor(type: TypeModel, model: ApiModel, i: number): unknown {
  const one = (): unknown => {
    switch (type.kind) {
      case "integer":
        return 1000 + i;
      case "number":
        return 12.5 + i;
      case "string":
      case "untyped":
        return SECRETS[i % SECRETS.length];
      case "boolean":
        return i % 2 === 0;
      case "datetime":
        return `2025-0${1 + (i % 9)}-15T10:30:00Z`;
      case "json":
      case "unknown":
      case "object":
        return { Owner: SECRETS[0], ApiKey: SECRETS[1] };
      case "enum": {
        const values = model.enums.find((e) => e.name === type.enumName)!.values;
        return values[i % values.length]!.value;
      }
    }
  };
  return type.array ? [one(), one()] : one();
}

/** A record that agrees with the spec in every field (the test server keeps the base fields it is given). */
export function agreeingRecord(entity: EntityModel, model: ApiModel, i: number): TestRecord {
  return { ...Object.fromEntries(entity.fields.map((f) => [f.name, valueFor(f.type, model, i)])), Id: i + 1 };
}

/** The test server's collection for an entity, agreeing with its spec. */
export function agreeingCollection(entity: EntityModel, model: ApiModel, count = 3): TestCollection {
  return {
    entity: entity.name,
    path: entity.path,
    listingOmits: entity.fields.filter((f) => !f.inListing).map((f) => f.name),
    records: Array.from({ length: count }, (_, i) => agreeingRecord(entity, model, i)),
  };
}

/** What a disagreeing collection was built to differ in: kind -> field names. */
export type Expected = Record<DifferenceKind, string[]>;

/**
 * A collection whose records differ from the spec in every way verify reports (but `listingOnly`, which
 * a server that answers full records from its own store cannot produce): two properties the spec lacks
 * (one only ever null), one field never answered, one mistyped, one null where the spec says not null,
 * one left out of listings the spec keeps, one listingOmits field the listing answers, an enum number
 * the spec does not define. The fields are picked from the model, so the test follows the spec.
 */
export function disagreeingCollection(entity: EntityModel, model: ApiModel): { collection: TestCollection; expected: Expected } {
  const own = entity.fields.filter((f) => !f.base && !f.collection && !f.type.array);
  const taken = new Set<string>();
  const pick = (test: (f: FieldModel) => boolean, what: string): FieldModel => {
    const found = own.find((f) => !taken.has(f.name) && test(f));
    if (!found) throw new Error(`${entity.name} has no field for ${what}`);
    taken.add(found.name);
    return found;
  };
  const enumField = pick((f) => f.type.kind === "enum", "an enum number");
  const listed = pick((f) => !f.inListing, "a listingOmits field");
  const mistyped = pick((f) => f.type.kind === "integer" && f.inListing, "a type mismatch");
  const nulled = pick((f) => !f.type.nullable && f.inListing, "a null");
  const unseen = pick((f) => f.inListing, "a field never answered");
  const omitted = pick((f) => f.inListing, "a listing omission");
  const unknownNumber = Math.max(...model.enums.find((e) => e.name === enumField.type.enumName)!.values.map((v) => v.value)) + 90;

  const records = Array.from({ length: 3 }, (_, i): TestRecord => {
    const record = agreeingRecord(entity, model, i);
    delete record[unseen.name];
    record[mistyped.name] = SECRETS[i % SECRETS.length];
    if (i === 1) record[nulled.name] = null;
    if (i === 0) record[enumField.name] = unknownNumber;
    record.ObservedCount = i;
    record.ObservedNothing = null;
    return record;
  });
  const specOmits = entity.fields.filter((f) => !f.inListing).map((f) => f.name);
  return {
    collection: {
      entity: entity.name,
      path: entity.path,
      listingOmits: [...specOmits.filter((f) => f !== listed.name), omitted.name],
      records,
    },
    expected: {
      extra: ["ObservedCount", "ObservedNothing"],
      unseen: [unseen.name],
      type: [mistyped.name],
      null: [nulled.name],
      notInListing: [omitted.name],
      inListingAfterAll: [listed.name],
      listingOnly: [],
      enum: [enumField.name],
    },
  };
}

/** Starts the verify CLI with tsx, for a test that signals it. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "generator/verify/cli.ts"), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
}

/** Runs the verify CLI with tsx; resolves with its exit code and output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, "node_modules/.bin/tsx"),
      [path.join(ROOT, "generator/verify/cli.ts"), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A HAR file holding the GET answers a test server gave, with the request headers a browser sends. */
export function harOf(origin: string, answers: { method: string; url: string; status: number; response: string }[]): string {
  return JSON.stringify({
    log: {
      version: "1.2",
      creator: { name: "verify tests", version: "1" },
      entries: answers.map((a) => ({
        startedDateTime: "2026-01-01T00:00:00.000Z",
        request: {
          method: a.method,
          url: origin + a.url,
          headers: [
            { name: "Authorization", value: `Bearer ${TOKEN}` },
            { name: "Cookie", value: `session=${SECRETS[1]}` },
          ],
        },
        response: { status: a.status, content: { mimeType: "application/json", text: a.response } },
      })),
    },
  });
}

/** The recordings as comparable JSON. */
export const plainRecordings = (recordings: Map<string, Recording>) => JSON.stringify([...recordings].sort());
