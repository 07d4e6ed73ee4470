import { execFile, spawn } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { defaultOptions, generate } from "./pipeline.js";
import { provenanceProblems } from "./project.js";
import { CHANGELOG_FILE } from "./release.js";

const HELP = `npm run release: check, build, test and pack the nexudus-api package in generated/.

Usage: npm run release [-- --publish]

A dry run by default:
  1. generated/ must be up to date with specs/ (as \`npm run generate -- --check\`);
  2. npm run build (ESM, CommonJS and .d.ts into generated/dist);
  3. the package tests (test/publish): the packed tarball installed in fresh ESM and
     CommonJS projects, type-checked and run on Node 20, 22 and 24, and bundled;
     @arethetypeswrong/cli and publint on the tarball;
  4. npm pack, then prints the tarball's files, its size, the version and its changelog entry.

Options:
  --publish   Then publish that very tarball with \`npm publish\` (with --provenance on
              GitHub Actions, after checking that package.json's repository is the
              repository the workflow runs in, as provenance requires). A version
              already on the registry is skipped, so CI can run this on every push
              to main and only a new version is published.
  -h, --help  Show this help.
`;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE_DIR = path.join(ROOT, "generated");
const PACK_DIR = path.join(ROOT, "node_modules", ".cache", "nexudus-codegen", "release");
const run = promisify(execFile);

/** Runs a command with the terminal attached; rejects when it fails. */
function step(title: string, command: string, args: string[], cwd: string): Promise<void> {
  process.stdout.write(`\n== ${title}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${title} failed (exit ${code})`))));
  });
}

/** Whether the registry has this version; undefined when the registry cannot be asked. */
async function isPublished(name: string, version: string): Promise<boolean | undefined> {
  try {
    const { stdout } = await run("npm", ["view", `${name}@${version}`, "version", "--json"], { cwd: ROOT });
    return stdout.trim() !== "";
  } catch (error) {
    return /E404|404 Not Found/.test((error as { stderr?: string }).stderr ?? "") ? false : undefined;
  }
}

/** The changelog entry of one version, without its heading. */
function changelogEntry(changelog: string, version: string): string | undefined {
  const start = changelog.indexOf(`\n## ${version}\n`);
  if (start < 0) return undefined;
  const body = changelog.slice(start + `\n## ${version}\n`.length);
  return body.split(/\n## /)[0]!.trim();
}

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  integrity: string;
  files: { path: string; size: number }[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { publish: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }

  // Provenance needs a CI that can attest the build (GitHub Actions with id-token: write) and a
  // package.json that names the repository it runs in: checked first, so a publish fails in seconds.
  const provenance = values.publish && process.env.GITHUB_ACTIONS === "true";
  if (provenance) {
    const packageJson = JSON.parse(await readFile(path.join(PACKAGE_DIR, "package.json"), "utf8")) as { repository?: { url?: string } };
    const problems = provenanceProblems(packageJson, process.env.GITHUB_REPOSITORY);
    if (problems.length > 0) {
      process.stderr.write(`Cannot publish with provenance:\n${problems.map((p) => `  ${p}\n`).join("")}`);
      return 1;
    }
  }

  process.stdout.write("== generated/ is up to date with specs/\n");
  const report = await generate({ ...defaultOptions(ROOT), check: true });
  const stale = [...report.changes.changed, ...report.changes.removed];
  if (stale.length > 0) {
    process.stderr.write(`generated/ is stale (${stale.join(", ")}): run \`npm run generate\` and commit first.\n`);
    return 1;
  }
  const { name, version } = JSON.parse(await readFile(path.join(PACKAGE_DIR, "package.json"), "utf8")) as { name: string; version: string };
  const entry = changelogEntry(await readFile(path.join(PACKAGE_DIR, CHANGELOG_FILE), "utf8"), version);
  if (!entry) {
    process.stderr.write(`${CHANGELOG_FILE} has no entry for ${version}.\n`);
    return 1;
  }
  const published = await isPublished(name, version);
  process.stdout.write(`${name}@${version}: ${published === true ? "already on the registry" : published === false ? "not on the registry yet" : "registry not reachable"}\n`);
  if (values.publish && published === true) {
    process.stdout.write("Nothing to publish: the version did not change.\n");
    return 0;
  }

  await step("build", "npm", ["run", "build"], PACKAGE_DIR);
  await step("package tests", path.join(ROOT, "node_modules", ".bin", "vitest"), ["run", "test/publish"], ROOT);

  process.stdout.write("\n== pack\n");
  await rm(PACK_DIR, { recursive: true, force: true });
  await mkdir(PACK_DIR, { recursive: true });
  // The build just ran and was tested: pack exactly that, without prepack building again.
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", PACK_DIR], { cwd: PACKAGE_DIR });
  const pack = (JSON.parse(stdout) as PackResult[])[0]!;
  const tarball = path.join(PACK_DIR, pack.filename);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  process.stdout.write(`${tarball}\n${pack.files.length} files, ${kb(pack.size)} packed, ${kb(pack.unpackedSize)} unpacked, ${pack.integrity}\n`);
  const folders = new Map<string, number>();
  for (const file of pack.files) {
    const folder = file.path.split("/").slice(0, 2).join("/");
    folders.set(folder, (folders.get(folder) ?? 0) + 1);
  }
  for (const [folder, count] of folders) process.stdout.write(`  ${folder}${count > 1 ? ` (${count} files)` : ""}\n`);
  process.stdout.write(`\n${name}@${version}:\n${entry}\n`);

  if (!values.publish) {
    process.stdout.write(`\nDry run: would publish ${name}@${version}. Run \`npm run release -- --publish\` to publish.\n`);
    return 0;
  }
  await step(`publish ${name}@${version}`, "npm", ["publish", tarball, "--access", "public", ...(provenance ? ["--provenance"] : [])], ROOT);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`release failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
