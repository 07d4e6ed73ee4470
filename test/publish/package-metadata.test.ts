import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { absoluteLinks, DOCS_BASE_URL, GITHUB_REPOSITORY, PACKAGE_DIRECTORY, provenanceProblems, TESTED_NODE_MAJORS } from "../../generator/project.js";
import { ROOT } from "../helpers/project.js";

const run = promisify(execFile);
const PACKAGE_DIR = path.join(ROOT, "generated");

interface PackageJson {
  name: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  engines?: { node?: string };
}
const packageJson = JSON.parse(readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as PackageJson;

describe("what npm provenance and the registry page need", () => {
  it("package.json names the repository (git URL and the package's folder), homepage and bugs, all of this project", () => {
    const repositoryUrl = `https://github.com/${GITHUB_REPOSITORY}`;
    expect(packageJson.repository).toEqual({ type: "git", url: `git+${repositoryUrl}.git`, directory: PACKAGE_DIRECTORY });
    // The directory is where this very package lives in the repository.
    const atDirectory = JSON.parse(readFileSync(path.join(ROOT, packageJson.repository!.directory!, "package.json"), "utf8")) as PackageJson;
    expect(atDirectory.name).toBe(packageJson.name);
    expect(packageJson.homepage).toMatch(new RegExp(`^${repositoryUrl}/`));
    expect(packageJson.bugs?.url).toBe(`${repositoryUrl}/issues`);
    expect(provenanceProblems(packageJson, GITHUB_REPOSITORY)).toEqual([]);
    // npm publishes neither a private package nor one without a license to show on its page.
    expect(packageJson.private).toBeUndefined();
    expect(packageJson.license).toBe("MIT");
  });

  it("provenanceProblems names each way a provenance publish would fail", () => {
    expect(provenanceProblems({}, "o/r")).toEqual([expect.stringContaining("no repository.url")]);
    expect(provenanceProblems({ repository: { url: "git+https://gitlab.com/o/r.git" } }, "o/r")).toEqual([expect.stringContaining("not a GitHub repository")]);
    expect(provenanceProblems({ repository: { url: "git+https://github.com/o/r.git" } }, "someone/else")).toEqual([
      expect.stringContaining("this workflow runs in someone/else"),
    ]);
    // GitHub compares names case-insensitively, and npm accepts the scp-like form too.
    expect(provenanceProblems({ repository: { url: "git+https://github.com/O/R.git" } }, "o/r")).toEqual([]);
    expect(provenanceProblems({ repository: { url: "git@github.com:o/r.git" } }, "o/r")).toEqual([]);
  });

  it("`npm run release -- --publish` on GitHub Actions refuses a package.json of another repository, before building anything", async () => {
    const result = await run(path.join(ROOT, "node_modules/.bin/tsx"), ["generator/publish.ts", "--publish"], {
      cwd: ROOT,
      env: { ...process.env, GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "someone/else", NODE_AUTH_TOKEN: "" },
    }).then(
      (ok) => ({ code: 0, ...ok }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Cannot publish with provenance");
    expect(result.stderr).toContain(`repository.url names ${GITHUB_REPOSITORY}, but this workflow runs in someone/else`);
    expect(result.stdout).not.toContain("== build");
  });

  it("engines names exactly the Node.js majors the package tests run the packed package on", () => {
    const ranges = packageJson.engines?.node?.split(" || ") ?? [];
    expect(ranges.map((range) => /^\^(\d+)\.0\.0$/.exec(range)?.[1]).map(Number)).toEqual([...TESTED_NODE_MAJORS]);
  });
});

/** Every file of a folder, relative, with `/`. */
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"));

/** The package file a web link of the package names, or undefined for any other link. */
const packageFileOf = (url: string) => (url.startsWith(DOCS_BASE_URL) ? url.slice(DOCS_BASE_URL.length).replace(/#.*$/, "") : undefined);

describe("links in what the registry and editors show", () => {
  it("the README's links are absolute or anchors, and those to the package's files name files that exist", () => {
    const readme = readFileSync(path.join(PACKAGE_DIR, "README.md"), "utf8");
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !/^(https?:\/\/|#)/.test(t))).toEqual([]);
    const packageFiles = targets.flatMap((t) => packageFileOf(t) ?? []);
    expect(packageFiles).toContain("CHANGELOG.md");
    expect(packageFiles.filter((file) => !existsSync(path.join(PACKAGE_DIR, file)))).toEqual([]);
  });

  it("absoluteLinks makes relative links absolute, and leaves anchors, absolute links and code blocks alone", () => {
    const markdown = "[a](docs/x.md#y) [b](#z) [c](https://example.com/d) [e](mailto:f@example.com)\n\n```ts\nconst g = h[0](i);\n```\n\n[j](CHANGELOG.md)\n";
    expect(absoluteLinks(markdown)).toBe(
      `[a](${DOCS_BASE_URL}docs/x.md#y) [b](#z) [c](https://example.com/d) [e](mailto:f@example.com)\n\n\`\`\`ts\nconst g = h[0](i);\n\`\`\`\n\n[j](${DOCS_BASE_URL}CHANGELOG.md)\n`,
    );
  });

  it("JSDoc names docs pages by absolute links to files that exist, never by a path only the repository has", () => {
    const sources = filesUnder(path.join(PACKAGE_DIR, "src")).map((file) => readFileSync(path.join(PACKAGE_DIR, "src", file), "utf8"));
    const links = sources.flatMap((text) => [...text.matchAll(/https:\/\/\S+?\.md\b/g)].map((m) => m[0]));
    expect(links.length).toBeGreaterThan(0);
    expect(links.flatMap((link) => packageFileOf(link) ?? []).filter((file) => !existsSync(path.join(PACKAGE_DIR, file)))).toEqual([]);
    // A bare `docs/x.md` resolves to nothing in an editor or on the registry.
    const bare = sources.flatMap((text) => [...text.matchAll(/(?<![/\w])docs\/[\w/.-]+\.md/g)].map((m) => m[0]));
    expect(bare).toEqual([]);
  });
});

describe("npm ci", () => {
  it("has no dependency install script left unapproved, so npm 11 prints no install-scripts warning", async (context) => {
    const listed = await run("npm", ["install-scripts", "ls", "--json"], { cwd: ROOT }).then(
      ({ stdout }) => stdout,
      (error: { stderr?: string }) => error,
    );
    // npm before 11 runs every install script and has no such command: nothing to approve there.
    if (typeof listed !== "string") return context.skip(`npm has no install-scripts command: ${String(listed.stderr).trim()}`);
    expect((JSON.parse(listed) as { allowScripts: unknown[] }).allowScripts).toEqual([]);
  });
});
