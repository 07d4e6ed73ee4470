import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecurrentChargePattern } from "../../generated/src/index.js";
import { startNexudusTestServer, type NexudusTestServer } from "../../generated/src/testing/index.js";
import { ROOT } from "../helpers/project.js";
import { TESTED_NODE_MAJORS } from "../../generator/project.js";
import { ALL_ENDPOINTS_APP, CONSUMER, ONE_ENDPOINT_APP, ONE_RECORD_APP, ONE_RESOURCE_APP, SEED_TYPES } from "./consumer-sources.js";
import { provideNode, provideTypeScript, type NodeAvailability, type TypeScriptAvailability } from "./node-binaries.js";

const run = promisify(execFile);
const TSC = path.join(ROOT, "node_modules/.bin/tsc");
/** The oldest TypeScript the README says the types need (5.4: `NoInfer`). */
const OLDEST_TYPESCRIPT = "5.4.5";
const PACKAGE_DIR = path.join(ROOT, "generated");

/** Node majors the consumers run on, which the package's `engines` names (generator/project.ts). */
const NODE_MAJORS = TESTED_NODE_MAJORS;

/** A temporary consumer project: its package type and how TypeScript resolves modules. */
interface ConsumerProject {
  name: string;
  type: "module" | "commonjs";
  moduleResolution: "node16" | "bundler";
  dir: string;
}

const PROJECTS: Omit<ConsumerProject, "dir">[] = [
  { name: "esm-node16", type: "module", moduleResolution: "node16" },
  { name: "cjs-node16", type: "commonjs", moduleResolution: "node16" },
  { name: "esm-bundler", type: "module", moduleResolution: "bundler" },
];

function tsconfig(project: ConsumerProject): object {
  const module = project.moduleResolution === "bundler" ? { module: "preserve", noEmit: true } : { module: "node16", rootDir: "src", outDir: "out" };
  return {
    compilerOptions: {
      ...module,
      moduleResolution: project.moduleResolution,
      target: "ES2022",
      lib: ["ES2022"],
      strict: true,
      // The package's own .d.ts files are checked too: they must hold up in the consumer's setting.
      skipLibCheck: false,
      types: ["node"],
    },
    include: ["src"],
  };
}

/** Runs a command; resolves with its output, or rejects with the output in the message. */
async function sh(file: string, args: string[], cwd: string): Promise<string> {
  try {
    return (await run(file, args, { cwd, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${path.basename(file)} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

describe("the packed package in fresh consumer projects", () => {
  let work: string;
  let tarball: string;
  let packedFiles: string[];
  const projects = new Map<string, ConsumerProject>();
  /** What tsc printed for each project (it also emits out/ for the node16 ones). */
  const typeCheck = new Map<string, string>();
  const nodes = new Map<number, NodeAvailability>();
  let oldestTypeScript: TypeScriptAvailability;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "nexudus-consumer-"));
    const nodesReady = Promise.all([
      ...NODE_MAJORS.map(async (major) => nodes.set(major, await provideNode(major))),
      provideTypeScript(OLDEST_TYPESCRIPT).then((available) => (oldestTypeScript = available)),
    ]);
    await sh("npm", ["run", "build"], PACKAGE_DIR);
    // prepack would build again: it just ran.
    const packed = JSON.parse(await sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], PACKAGE_DIR)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = path.join(work, packed[0]!.filename);
    packedFiles = packed[0]!.files.map((f) => f.path).sort();

    await Promise.all(
      PROJECTS.map(async (spec) => {
        const project = { ...spec, dir: path.join(work, spec.name) };
        projects.set(project.name, project);
        await mkdir(path.join(project.dir, "src"), { recursive: true });
        await writeFile(path.join(project.dir, "package.json"), JSON.stringify({ name: project.name, private: true, type: project.type }));
        await writeFile(path.join(project.dir, "tsconfig.json"), JSON.stringify(tsconfig(project), null, 2));
        await writeFile(path.join(project.dir, "src/consumer.ts"), CONSUMER);
        await writeFile(path.join(project.dir, "src/seed-types.ts"), SEED_TYPES);
        if (project.moduleResolution === "bundler") {
          await writeFile(path.join(project.dir, "src/one-endpoint.ts"), ONE_ENDPOINT_APP);
          await writeFile(path.join(project.dir, "src/one-record.ts"), ONE_RECORD_APP);
          await writeFile(path.join(project.dir, "src/one-resource.ts"), ONE_RESOURCE_APP);
          await writeFile(path.join(project.dir, "src/all-endpoints.ts"), ALL_ENDPOINTS_APP);
        }
        // nexudus-api has no dependencies, so the tarball installs without the registry.
        await sh("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], project.dir);
        // Types for node:http (used by nexudus-api/testing) and process, as a Node project has them.
        await mkdir(path.join(project.dir, "node_modules/@types"), { recursive: true });
        await symlink(path.join(ROOT, "node_modules/@types/node"), path.join(project.dir, "node_modules/@types/node"), "dir");
        typeCheck.set(project.name, await sh(TSC, ["-p", "tsconfig.json", "--pretty", "false"], project.dir).catch((e: Error) => e.message));
      }),
    );
    await nodesReady;
  });

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("the tarball holds only dist/, the testing/ stub, README.md, CHANGELOG.md, LICENSE and package.json", () => {
    const outside = packedFiles.filter((f) => !f.startsWith("dist/") && !["testing/package.json", "README.md", "CHANGELOG.md", "LICENSE", "package.json"].includes(f));
    expect(outside).toEqual([]);
    for (const format of ["esm", "cjs"]) {
      for (const entry of ["index", "testing/index"]) {
        expect(packedFiles).toContain(`dist/${format}/${entry}.js`);
        expect(packedFiles).toContain(`dist/${format}/${entry}.d.ts`);
        expect(packedFiles).toContain(`dist/${format}/${entry}.js.map`);
      }
    }
    expect(packedFiles).toContain("dist/cjs/package.json");
    expect(packedFiles.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toBe(false);
  });

  it("publint finds nothing in the tarball, not even a suggestion", async () => {
    const bytes = await readFile(tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer },
      level: "suggestion",
      strict: true,
    });
    expect(messages.map((m) => formatMessage(m, pkg))).toEqual([]);
  });

  it("@arethetypeswrong/cli finds no problem: every entry point resolves, with types, under node10, node16 (CJS and ESM) and bundler", async () => {
    // attw exits 1 when it finds a problem; its JSON report is on stdout either way.
    const attw = await run(path.join(ROOT, "node_modules/.bin/attw"), [tarball, "--format", "json", "--profile", "strict"], { cwd: work }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
    );
    const report = JSON.parse(attw.stdout) as {
      problems: unknown;
      analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }> };
    };
    expect(report.problems).toEqual({});
    const { entrypoints } = report.analysis;
    expect(Object.keys(entrypoints).sort()).toEqual([".", "./package.json", "./testing"]);
    for (const subpath of [".", "./testing"]) {
      for (const kind of ["node10", "node16-cjs", "node16-esm", "bundler"]) {
        expect(entrypoints[subpath]!.resolutions[kind]?.resolution?.fileName, `${subpath} under ${kind}`).toMatch(/\.d\.ts$/);
      }
    }
  });

  it.each(PROJECTS.map((p) => p.name))("tsc --strict accepts the consumer in %s", (name) => {
    expect(typeCheck.get(name)).toBe("");
  });

  it("TypeScript 5.4, the oldest the README names, accepts the bundler consumer and refuses a wrong filter", async (context) => {
    if (!oldestTypeScript.tsc) return context.skip(oldestTypeScript.unavailable);
    const OLDEST_TSC = oldestTypeScript.tsc;
    const project = projects.get("esm-bundler")!;
    expect(await sh(OLDEST_TSC, ["-p", "tsconfig.json", "--pretty", "false"], project.dir).catch((e: Error) => e.message)).toBe("");
    // The operation functions take the query of the info alone, under 5.4's NoInfer too.
    const app = path.join(project.dir, "src/one-endpoint.ts");
    const source = await readFile(app, "utf8");
    const wrong = source.replace(/\{ size: (\d+) \}/, "{ size: $1, NoSuchFilter: 1 }");
    expect(wrong).not.toBe(source);
    await writeFile(app, wrong);
    try {
      const refused = await sh(OLDEST_TSC, ["-p", "tsconfig.json", "--pretty", "false"], project.dir).catch((e: Error) => e.message);
      expect(refused).toMatch(/src\/one-endpoint\.ts[\s\S]*'NoSuchFilter' does not exist in type 'CoworkerTimePassQuery'/);
    } finally {
      await writeFile(app, source);
    }
  });

  it.for(NODE_MAJORS)("the ESM and CommonJS consumers run on Node %i against the test server", async (major, context) => {
    const node = nodes.get(major)!;
    if (!node.binary) return context.skip(node.unavailable);
    for (const name of ["esm-node16", "cjs-node16"]) {
      const project = projects.get(name)!;
      const output = await sh(node.binary.executable, ["out/consumer.js"], project.dir);
      const result = JSON.parse(output) as Record<string, unknown>;
      console.log(`${name} on Node ${node.binary.version}: ${output.trim()}`);
      expect(result).toEqual({
        format: project.type,
        node: node.binary.version,
        listed: 2,
        listQuery: "page=1&size=15&orderBy=CreatedOn&dir=1&from_CoworkerTimePass_UpdatedOn=2020-01-01T00:00",
        notes: "renewed",
        afterDelete: 404,
        month: RecurrentChargePattern.Month,
      });
    }
  });

  describe("bundled with esbuild", () => {
    let server: NexudusTestServer;
    beforeAll(async () => {
      server = await startNexudusTestServer({
        tokens: ["bundle-token"],
        collections: [{ entity: "CoworkerTimePass", path: "/api/billing/coworkertimepasses", records: [{ CoworkerId: 1 }, { CoworkerId: 2 }] }],
      });
    });
    afterAll(() => server.close());

    /** Bundles an app of the bundler project for the browser, minified; returns the code and its gzipped size. */
    async function bundle(entry: string): Promise<{ file: string; code: string; bytes: number; gzip: number }> {
      const project = projects.get("esm-bundler")!;
      const file = path.join(project.dir, "bundles", entry.replace(/\.ts$/, ".js"));
      // platform browser: a Node built-in reaching the client's bundle would fail the build.
      const result = await build({
        absWorkingDir: project.dir,
        entryPoints: [path.join("src", entry)],
        bundle: true,
        minify: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        outfile: file,
        write: false,
        logLevel: "silent",
      });
      const code = result.outputFiles[0]!.text;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, code);
      return { file, code, bytes: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length };
    }

    it("a one-endpoint app holds no other resource and is smaller than the whole client; both run", async () => {
      const one = await bundle("one-endpoint.ts");
      const record = await bundle("one-record.ts");
      const resource = await bundle("one-resource.ts");
      const all = await bundle("all-endpoints.ts");
      console.log(
        `bundle sizes (esbuild, minified; gzip -9): one endpoint ${one.bytes} B, ${one.gzip} B gzipped; ` +
          `one record ${record.bytes} B, ${record.gzip} B gzipped; ` +
          `one resource ${resource.bytes} B, ${resource.gzip} B gzipped; all endpoints ${all.bytes} B, ${all.gzip} B gzipped`,
      );
      expect(JSON.parse(await sh(process.execPath, [record.file, server.url, "bundle-token"], ROOT))).toEqual({ id: 1 });
      expect(record.gzip).toBeLessThan(one.gzip);
      for (const app of [one, resource]) {
        expect(app.code).toContain("/api/billing/coworkertimepasses");
        expect(app.code).not.toContain("/api/billing/producttimepasses");
      }
      expect(all.code).toContain("/api/billing/producttimepasses");
      // The test server is its own entry point: no app bundle pulls it in.
      expect(all.code).not.toContain("startNexudusTestServer");
      expect(one.gzip).toBeLessThan(resource.gzip);
      expect(resource.gzip).toBeLessThan(all.gzip);
      for (const app of [one, resource, all]) {
        expect(JSON.parse(await sh(process.execPath, [app.file, server.url, "bundle-token"], ROOT))).toEqual({ listed: 2 });
      }
    });

    // Sizes are deterministic for a given esbuild version: the limits hold, no timing is asserted. The one-endpoint
    // limit is issue 10's 3.5 kB, read as 3,500 B; the others are today's sizes with a little room, so that growth is a
    // decision (docs/publishing.md, "Bundle size", says where the bytes go).
    it("the one-endpoint app stays under 3,500 B gzipped (one record under 3.2 kB, one resource class under 5.6 kB) and holds only what it uses: no other operation, update rule, authentication, hook or logging", async () => {
      const one = await bundle("one-endpoint.ts");
      const record = await bundle("one-record.ts");
      const resource = await bundle("one-resource.ts");
      expect(one.gzip).toBeLessThan(3500);
      expect(record.gzip).toBeLessThan(3200);
      expect(resource.gzip).toBeLessThan(5600);
      for (const unused of [
        "requiredOnUpdate", // the update rules, in coworkerTimePassesForUpdate
        "onRequest", // hooks()
        "may have been created", // create()
        "/runcommand", // runCommand()
        "left out of listings", // update()
        "while patch()", // patch()
        "Already deleted", // remove()
        "/api/token", // passwordGrant()
        "token provider", // tokenProvider()
        "Basic ", // basicAuth()
        "NEXUDUS_LOG", // logging()
      ])
        expect(one.code, unused).not.toContain(unused);
    });
  });
});
