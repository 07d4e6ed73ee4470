import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/pipeline.js";
import { compare, loadSpecSet, selectEntities, type Difference, type SpecSet } from "../../generator/verify/compare.js";
import { readHar } from "../../generator/verify/har.js";
import { MAX_REQUESTS_PER_SECOND, record, RecordInterrupted, SESSION_FILE, transportOptions } from "../../generator/verify/record.js";
import { readRecordings } from "../../generator/verify/shape.js";
import { updateSpecs } from "../../generator/verify/update.js";
import { startNexudusTestServer, type NexudusTestServer } from "../../templates/testing/server.js";
import { ROOT, SMALL_SPEC_SET, snapshot, tempProject } from "../helpers/project.js";
import { agreeingCollection, disagreeingCollection, harOf, plainRecordings, runCli, SECRETS, startCli, TOKEN, type Expected } from "./helpers.js";

const ENTITY = "ProductTimePass";
const USER = { username: "recorder@example.org", password: "Pa55word-never-shown" };
/** Fast retries, so that a test never sleeps for long; Retry-After is still honoured. */
const fast = { retry: { baseDelayMs: 5, maxDelayMs: 200 } } as const;

let set: SpecSet;
let server: NexudusTestServer;
let expected: Expected;
const dirs: string[] = [];

const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "nexudus-verify-"));
  dirs.push(dir);
  return dir;
};
const entity = (name: string) => set.model.entities.find((e) => e.name === name)!;
const summary = (differences: readonly Difference[]) => differences.map((d) => `${d.kind} ${d.field}`).sort();
const expectedSummary = (e: Expected) => Object.entries(e).flatMap(([kind, fields]) => fields.map((f) => `${kind} ${f}`)).sort();

beforeAll(async () => {
  set = await loadSpecSet(path.join(ROOT, "specs"));
  const built = disagreeingCollection(entity(ENTITY), set.model);
  expected = built.expected;
  const timePass = set.model.entities.find((e) => e.name === "TimePass")!;
  server = await startNexudusTestServer({ tokens: [TOKEN], users: [USER], collections: [built.collection, agreeingCollection(timePass, set.model)] });
});
afterAll(async () => {
  await server.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const connection = () => ({ baseUrl: server.url, token: TOKEN, ...fast });

describe("npm run verify: record, compare", () => {
  it("names every difference the seeded records have, each at its spec's file:line:column", async () => {
    const dir = await tempDir();
    await record({ entities: [entity(ENTITY)], recordingsDir: dir, connection: connection() });
    const report = compare(set, await readRecordings(dir), [entity(ENTITY)]);
    expect(summary(report.differences)).toEqual(expectedSummary(expected));

    const enumName = entity(ENTITY).fields.find((f) => f.name === expected.enum[0])!.type.enumName;
    const enumFile = set.model.enums.find((e) => e.name === enumName)!.specFile;
    for (const d of report.differences) {
      expect(path.resolve(d.file)).toBe(path.join(ROOT, d.kind === "enum" ? enumFile : entity(ENTITY).specFile));
      const text = (await readFile(d.file, "utf8")).split("\n")[d.line - 1]!.slice(d.column - 1);
      if (d.kind === "extra") expect(text).toMatch(/^fields:/);
      else if (d.kind === "notInListing") expect(text).toMatch(/^listingOmits:/);
      else if (d.kind === "enum") expect(text).toMatch(/^values:/);
      else if (d.kind === "type" || d.kind === "null") expect(text).toMatch(/^integer\b/);
      else expect(text.startsWith(d.field)).toBe(true);
    }
    // The enum's position is in the spec that defines it (common.yaml when it is shared).
    const enumDifference = report.differences.find((d) => d.kind === "enum")!;
    expect(enumDifference.message).toMatch(/answered \d+, which enum \w+ does not define/);
    expect(report.differences.find((d) => d.field === "ObservedCount")!.message).toContain("integer");
    expect(report.differences.find((d) => d.field === "ObservedNothing")!.message).toContain("only null");
  });

  it("exits 0 when the specs agree, 1 with file:line:column lines when they differ", async () => {
    const dir = await tempDir();
    const agree = await runCli(["--record", "--entity", "TimePass", "--recordings", dir], { NEXUDUS_TOKEN: TOKEN, NEXUDUS_BASE_URL: server.url });
    expect(agree.stdout).toContain("the specs agree with the recordings: 1 entity recorded");
    expect(agree.code).toBe(0);

    const differ = await runCli(["--record", "--entity", ENTITY, "--recordings", dir], { NEXUDUS_TOKEN: TOKEN, NEXUDUS_BASE_URL: server.url });
    expect(differ.code).toBe(1);
    for (const [kind, fields] of Object.entries(expected)) {
      for (const field of fields) expect(differ.stdout).toMatch(new RegExp(`specs/[\\w/]+\\.yaml:\\d+:\\d+ ${kind}: ${field}\\b`));
    }
    // Plain progress lines on a pipe, one per entity.
    expect(differ.stderr).toContain("[1/1] recorded billing/producttimepasses");
    // Without --record, the recordings on disk are compared again: same answer, no request.
    const requests = server.requests.length;
    const again = await runCli(["--recordings", dir]);
    expect(again.code).toBe(1);
    expect(server.requests.length).toBe(requests);
  });

  it("records with a username and password through the client's own password grant, showing neither", async () => {
    const dir = await tempDir();
    server.clearRequests();
    const result = await runCli(["--record", "--entity", "TimePass", "--recordings", dir], {
      NEXUDUS_USERNAME: USER.username,
      NEXUDUS_PASSWORD: USER.password,
      NEXUDUS_BASE_URL: server.url,
    });
    expect(result.code).toBe(0);
    expect(server.requestsTo("/api/token", "POST")).toHaveLength(1);
    const everything = [...(await snapshot(dir)).values(), result.stdout, result.stderr].join("\n");
    expect(everything).not.toContain(USER.password);
    expect(everything).not.toContain(USER.username);
  });

  it("refuses to record without credentials, naming the variables, before any request", async () => {
    const requests = server.requests.length;
    const result = await runCli(["--record", "--recordings", await tempDir()], { NEXUDUS_BASE_URL: server.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("NEXUDUS_TOKEN");
    expect(server.requests.length).toBe(requests);
  });

  it("records only the --area and --entity asked for", async () => {
    const dir = await tempDir();
    expect(() => selectEntities(set.model, { entities: ["NoSuchThing"] })).toThrow(/no entity "NoSuchThing"/);
    expect(() => selectEntities(set.model, { areas: ["nowhere"] })).toThrow(/no area "nowhere"/);
    server.clearRequests();
    await record({ entities: selectEntities(set.model, { areas: ["billing"], entities: ["TimePass"] }), recordingsDir: dir, connection: connection() });
    expect(new Set(server.requests.map((r) => r.path.replace(/\/\d+$/, "")))).toEqual(new Set(["/api/billing/timepasses"]));
    expect([...(await readRecordings(dir)).keys()]).toEqual(["billing/timepasses.json"]);
  });
});

describe("recordings keep shapes, never values", () => {
  it("no e-mail address, token or the recording's own token reaches a file or the output", async () => {
    const dir = await tempDir();
    const result = await runCli(["--record", "--entity", ENTITY, "--entity", "TimePass", "--recordings", dir], { NEXUDUS_TOKEN: TOKEN, NEXUDUS_BASE_URL: server.url });
    expect(result.code).toBe(1);
    // The server really answered the secrets.
    expect(server.requests.some((r) => SECRETS.every((s) => r.response.includes(JSON.stringify(s).slice(1, -1))))).toBe(true);
    const files = await snapshot(dir);
    expect(files.size).toBe(2);
    const everything = [...files.values(), result.stdout, result.stderr].join("\n");
    for (const secret of [...SECRETS, TOKEN, "example.org", "sk_live", "eyJhbGciOiJIUzI1NiJ9", "@"]) expect(everything).not.toContain(secret);
  });

  it("is deterministic: sorted keys, the same bytes for the same answers", async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    for (const dir of [a, b]) await record({ entities: [entity(ENTITY)], recordingsDir: dir, connection: connection() });
    const [first, second] = [await snapshot(a), await snapshot(b)];
    expect(second).toEqual(first);
    const text = first.get("billing/producttimepasses.json")!;
    const keys = Object.keys(JSON.parse(text).full.properties);
    expect(keys).toEqual([...keys].sort());
    expect(text.endsWith("}\n")).toBe(true);
  });
});

describe("--har", () => {
  it("a HAR of the same answers gives the same recordings and the same report", async () => {
    const [recorded, fromHar] = [await tempDir(), await tempDir()];
    server.clearRequests();
    await record({ entities: [entity(ENTITY)], recordingsDir: recorded, connection: connection() });
    const har = path.join(await tempDir(), "nexudus.har");
    await writeFile(
      har,
      harOf(server.url, [
        ...server.requests,
        // What else a browser session holds: other methods, failures, pages, a path no spec names.
        { method: "POST", url: entity(ENTITY).path, status: 200, response: JSON.stringify({ Bogus: 1 }) },
        { method: "GET", url: `${entity(ENTITY).path}/999`, status: 404, response: JSON.stringify({ Bogus: 1 }) },
        { method: "GET", url: "/en/home", status: 200, response: "<html></html>" },
        { method: "GET", url: "/api/sys/somethingelse?page=1", status: 200, response: JSON.stringify({ Records: [{ Bogus: 1 }] }) },
      ]),
    );
    const result = await runCli(["--har", har, "--recordings", fromHar]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no spec for /api/sys/somethingelse (1 answer)");
    expect(await snapshot(fromHar)).toEqual(await snapshot(recorded));
    const fromRecord = compare(set, await readRecordings(recorded), [entity(ENTITY)]);
    const fromHarReport = compare(set, await readRecordings(fromHar), [entity(ENTITY)]);
    expect(fromHarReport.differences.map(({ entity: _e, ...d }) => d)).toEqual(fromRecord.differences.map(({ entity: _e, ...d }) => d));
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it("reads Get many arrays and base64 bodies as full records, and reports fields listings answer but full records lack", () => {
    const e = entity(ENTITY);
    const [listed, ...rest] = e.fields.filter((f) => f.inListing && !f.base).map((f) => f.name);
    const full = Object.fromEntries(rest.map((name) => [name, null]));
    const text = harOf("https://spaces.nexudus.com", [
      { method: "GET", url: `${e.path}?page=1&size=10`, status: 200, response: JSON.stringify({ Records: [{ [listed!]: null }] }) },
      { method: "GET", url: `${e.path}/?id=%5B1%2C2%5D`, status: 200, response: JSON.stringify([full, full]) },
    ]);
    const har = JSON.parse(text);
    har.log.entries[1].response.content = { text: Buffer.from(har.log.entries[1].response.content.text).toString("base64"), encoding: "base64" };
    const reading = readHar([{ file: "x.har", text: JSON.stringify(har) }], [e]);
    const recording = reading.recordings.get(e)!;
    expect(recording.full?.records).toBe(2);
    expect(recording.listing?.records).toBe(1);
    const report = compare(set, new Map([["billing/producttimepasses.json", recording]]), [e]);
    expect(report.differences.filter((d) => d.kind === "listingOnly").map((d) => d.field)).toEqual([listed]);
  });

  it("finds no difference for any spec when the answers hold exactly what the spec says", () => {
    // Every entity of the model, its listing page and its first record, as a browser would have seen them.
    const answers = set.model.entities.flatMap((e) => {
      const { records = [], listingOmits = [] } = agreeingCollection(e, set.model);
      const listed = records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !listingOmits.includes(k))));
      return [
        { method: "GET", url: `${e.path}?page=1&size=10`, status: 200, response: JSON.stringify({ Records: listed }) },
        { method: "GET", url: `${e.path}/1`, status: 200, response: JSON.stringify(records[0]) },
      ];
    });
    const reading = readHar([{ file: "all.har", text: harOf("https://spaces.nexudus.com", answers) }], set.model.entities);
    expect(reading.recordings.size).toBe(set.model.entities.length);
    const recordings = new Map([...reading.recordings].map(([e, r]) => [`${e.area}/${e.fileBase}.json`, r]));
    const report = compare(set, recordings, set.model.entities);
    expect(report.differences.map((d) => `${d.entity.name} ${d.kind} ${d.field}`)).toEqual([]);
    expect(report.agreeing).toHaveLength(set.model.entities.length);
  });

  it("rejects a file that is not a HAR, naming it", () => {
    expect(() => readHar([{ file: "notes.txt", text: "hello" }], [])).toThrow(/notes\.txt is not a HAR file/);
    expect(() => readHar([{ file: "x.json", text: "{}" }], [])).toThrow(/x\.json is not a HAR file: it has no log.entries/);
  });
});

describe("limits and interruptions", () => {
  it("waits out 409 Retry-After answers and records everything", async () => {
    const dir = await tempDir();
    server.clearRequests();
    server.inject({ type: "status", status: 409, retryAfter: "0.05", times: 2, path: entity(ENTITY).path });
    await record({ entities: [entity(ENTITY), entity("TimePass")], recordingsDir: dir, connection: connection() });
    const throttled = server.requests.filter((r) => r.status === 409);
    expect(throttled).toHaveLength(2);
    // Each throttled request was sent again, and answered.
    for (const r of throttled) expect(server.requests.some((s) => s.url === r.url && s.status === 200 && s.at > r.at)).toBe(true);
    expect([...(await readRecordings(dir)).keys()].sort()).toEqual(["billing/producttimepasses.json", "billing/timepasses.json"]);
  });

  it("never asks the client for more than 10 requests per second, and gets through a server that throttles at that rate", async () => {
    const faster = async () => undefined;
    expect(transportOptions({ token: TOKEN, pace: faster }).pace).not.toBe(faster);
    expect(MAX_REQUESTS_PER_SECOND).toBe(10);
    const entities = [entity("TimePass"), entity(ENTITY)];
    const strict = await startNexudusTestServer({
      tokens: [TOKEN],
      collections: entities.map((e) => agreeingCollection(e, set.model)),
      rateLimit: { intervalMs: 90, retryAfterSeconds: 0 },
    });
    try {
      const dir = await tempDir();
      const result = await record({ entities, recordingsDir: dir, connection: { baseUrl: strict.url, token: TOKEN, ...fast } });
      expect(result.recorded).toEqual(["billing/timepasses", "billing/producttimepasses"]);
      expect(compare(set, await readRecordings(dir), entities).differences).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it("an interrupted run keeps what it recorded and the next run resumes where it stopped", async () => {
    const [interrupted, whole] = [await tempDir(), await tempDir()];
    const entities = [entity(ENTITY), entity("TimePass")];
    await record({ entities, recordingsDir: whole, connection: connection() });

    // The second entity's requests fail for good: the run stops after the first.
    server.inject({ type: "reset", times: 10, path: entity("TimePass").path });
    const error = await record({ entities, recordingsDir: interrupted, connection: { ...connection(), maxRetries: 1 } }).catch((e: unknown) => e);
    server.clearFaults();
    expect(error).toBeInstanceOf(RecordInterrupted);
    expect((error as Error).message).toMatch(/after 1 of 2 entities: .*run the same command again to resume/);
    expect((error as Error).message).not.toContain(TOKEN);
    expect([...(await readRecordings(interrupted)).keys()]).toEqual(["billing/producttimepasses.json"]);
    expect(await readdir(interrupted)).toContain(SESSION_FILE);

    server.clearRequests();
    const resumed = await record({ entities, recordingsDir: interrupted, connection: connection() });
    expect(resumed.resumed).toEqual(["billing/producttimepasses"]);
    expect(resumed.recorded).toEqual(["billing/timepasses"]);
    expect(server.requests.some((r) => r.path.startsWith(entity(ENTITY).path))).toBe(false);
    expect(await readdir(interrupted)).not.toContain(SESSION_FILE);
    expect(plainRecordings(await readRecordings(interrupted))).toEqual(plainRecordings(await readRecordings(whole)));
  });

  it("an aborted run (Ctrl-C) stops between entities and resumes; --restart records everything again", async () => {
    const dir = await tempDir();
    const entities = [entity(ENTITY), entity("TimePass")];
    const controller = new AbortController();
    const error = await record({ entities, recordingsDir: dir, connection: connection(), signal: controller.signal, onProgress: () => controller.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordInterrupted);
    expect((error as Error).message).toContain("after 1 of 2 entities: interrupted");
    const progress: string[] = [];
    await record({ entities, recordingsDir: dir, connection: connection(), onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.status} ${p.name}`) });
    expect(progress).toEqual(["1/2 resumed billing/producttimepasses", "2/2 recorded billing/timepasses"]);

    await record({ entities: [entities[0]!], recordingsDir: dir, connection: connection(), signal: AbortSignal.abort() }).catch(() => undefined);
    server.clearRequests();
    const again = await record({ entities, recordingsDir: dir, connection: connection(), restart: true });
    expect(again.recorded).toEqual(["billing/producttimepasses", "billing/timepasses"]);
  });

  it("Ctrl-C during a recording exits 2, keeps what was recorded, and says how to resume", async () => {
    const dir = await tempDir();
    const second = entity("TimePass");
    server.clearRequests();
    // The second entity's listing is held until the run is interrupted.
    server.inject({ type: "delay", ms: 30_000, path: second.path });
    const child = startCli(["--record", "--entity", ENTITY, "--entity", "TimePass", "--recordings", dir], { NEXUDUS_TOKEN: TOKEN, NEXUDUS_BASE_URL: server.url });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await expect.poll(() => server.requests.some((r) => r.path === second.path), { timeout: 30_000, interval: 50 }).toBe(true);
    child.kill("SIGINT");
    expect(await exited).toBe(2);
    server.clearFaults();
    expect(stderr).toContain("recording stopped after 1 of 2 entities: interrupted; run the same command again to resume");
    expect([...(await readRecordings(dir)).keys()]).toEqual(["billing/producttimepasses.json"]);
    expect(await readdir(dir)).toContain(SESSION_FILE);
  });

  it("skips an entity Nexudus refuses (403, 404) and names the reason without the server's message", async () => {
    const dir = await tempDir();
    const entities = [entity(ENTITY), entity("TimePass")];
    server.inject({ type: "status", status: 403, path: entity(ENTITY).path, body: { Message: `denied for ${SECRETS[0]}` } });
    const result = await record({ entities, recordingsDir: dir, connection: connection() });
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]!.name).toBe("billing/producttimepasses");
    expect(result.skipped[0]!.reason).toMatch(/^HTTP 403 \(Nexudus\w*Error\)$/);
    expect(result.recorded).toEqual(["billing/timepasses"]);
  });
});

describe("--update", () => {
  it("writes the observations into the specs, keeping comments and layout; generate and tsc then pass", async () => {
    // A few real specs with the entity's: generate and tsc check the package they make, not the whole API.
    const project = await tempProject({ specs: SMALL_SPEC_SET });
    dirs.push(project.dir);
    // The repository's formatting caches (keyed by content) spare the copy a cold format of every file.
    for (const cache of ["format.json", "format.types.json"]) {
      await cp(path.join(ROOT, "node_modules/.cache/nexudus-codegen", cache), path.join(project.options.cacheDir!, cache)).catch(() => undefined);
    }
    const recordings = path.join(project.dir, "recordings");
    const specsDir = project.options.specsDir;
    const before = await snapshot(specsDir);
    await record({ entities: [entity(ENTITY)], recordingsDir: recordings, connection: connection() });

    const result = await runCli(["--update", "--specs", specsDir, "--recordings", recordings]);
    expect(result.stderr).toBe("");
    const after = await snapshot(specsDir);
    const e = entity(ENTITY);
    const specName = e.specFile.replace(/^specs\//, "");
    const changed = [...after].filter(([name, text]) => before.get(name) !== text).map(([name]) => name).sort();
    expect(changed).toContain(specName);
    // Only additions and retyped lines: every comment and every other line of the spec is still there, in order.
    for (const name of changed) {
      const old = before.get(name)!.split("\n");
      const now = after.get(name)!.split("\n");
      let at = 0;
      const retyped = [...expected.type, ...expected.null];
      for (const line of old) {
        if (retyped.some((f) => line.includes(f)) || /^\s*type: /.test(line) || line.startsWith("listingOmits: [")) continue;
        at = now.indexOf(line, at);
        expect(at, `${name}: lost line ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
      }
    }
    const text = after.get(specName)!;
    expect(text).toMatch(/ObservedCount: \{ type: integer, readOnly: true, provenance: observed \}/);
    expect(text).toMatch(/ObservedNothing: \{ type: unknown\?, readOnly: true, provenance: observed \}/);
    expect(result.stdout).toContain(`${expected.type[0]}: integer -> string`);

    // What remains is what update never does: delete a field, or take a name off listingOmits.
    const updated = await loadSpecSet(specsDir);
    const remaining = compare(updated, await readRecordings(recordings), [updated.model.entities.find((x) => x.name === ENTITY)!]);
    expect(summary(remaining.differences)).toEqual([`inListingAfterAll ${expected.inListingAfterAll[0]}`, `unseen ${expected.unseen[0]}`].sort());
    expect(updated.model.entities.find((x) => x.name === ENTITY)!.fields.find((f) => f.name === "ObservedCount")!.provenance).toBe("observed");

    // The next generate passes, and tsc accepts the package it writes.
    await generate(project.options);
    await symlink(path.join(ROOT, "node_modules"), path.join(project.dir, "node_modules"), "dir");
    const tsc = await new Promise<{ code: number; output: string }>((resolve) =>
      execFile(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", path.join(project.options.outDir, "tsconfig.json"), "--noEmit"], (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, output: stdout + stderr }),
      ),
    );
    expect(tsc.output).toBe("");
    expect(tsc.code).toBe(0);
    const types = await readFile(path.join(project.options.outDir, "src", e.area, "index.ts"), "utf8");
    expect(types).toContain("ObservedCount");
  }, 300_000);

  it("never writes a spec that would not validate, and writes nothing then", async () => {
    const project = await tempProject();
    dirs.push(project.dir);
    const specsDir = project.options.specsDir;
    const local = await loadSpecSet(specsDir);
    const e = local.model.entities.find((x) => x.name === ENTITY)!;
    const before = await snapshot(specsDir);
    // A property named like a field, but of a record whose spec cannot take more: a name that clashes on case.
    const bad: Difference = {
      kind: "extra",
      entity: e,
      field: "ProductId",
      observed: { types: ["integer"] },
      file: "",
      line: 1,
      column: 1,
      message: "",
    };
    await expect(updateSpecs(local, [bad], specsDir)).rejects.toThrow(/after --update/);
    expect(await snapshot(specsDir)).toEqual(before);
  });

  it("adds an enum number to the enum's own spec, once, with a comment saying it was observed", async () => {
    const project = await tempProject({ specs: SMALL_SPEC_SET });
    dirs.push(project.dir);
    const specsDir = project.options.specsDir;
    const recordings = path.join(project.dir, "recordings");
    const local = await loadSpecSet(specsDir);
    const e = local.model.entities.find((x) => x.name === ENTITY)!;
    await record({ entities: [e], recordingsDir: recordings, connection: connection() });
    const report = compare(local, await readRecordings(recordings), [e]);
    const enumDifference = report.differences.find((d) => d.kind === "enum")!;
    const updates = await updateSpecs(local, report.differences, specsDir);
    const model = local.model.enums.find((x) => x.name === enumDifference.enumName)!;
    const enumSpec = updates.find((u) => `specs/${u.name}` === model.specFile)!;
    const value = enumDifference.values![0]!;
    expect(enumSpec.text).toContain(`Observed${value}: ${value} # observed in a live answer; no docs page names it`);
    const reloaded = await loadSpecSet(specsDir);
    expect(reloaded.model.enums.find((x) => x.name === model.name)!.values.map((v) => v.value)).toContain(value);
    // Writing the same recording again changes nothing more.
    const second = compare(reloaded, await readRecordings(recordings), [reloaded.model.entities.find((x) => x.name === ENTITY)!]);
    expect(await updateSpecs(reloaded, second.differences, specsDir)).toEqual([]);
  });
});
