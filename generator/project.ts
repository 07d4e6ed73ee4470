import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's own settings, said once: where the repository is (the generated package's
 * `repository`, `homepage` and `bugs`, and every link its README and JSDoc give to its docs) and
 * which Node.js versions the package tests run (its `engines`). docs/publishing.md describes them.
 */

/**
 * The GitHub repository of this project, `owner/name`. npm provenance accepts a publish only when
 * the package's `repository` is the repository whose workflow publishes it; `npm run release --
 * --publish` checks that on GitHub Actions before publishing (see `provenanceProblems`).
 */
export const GITHUB_REPOSITORY = "nexudus-codegen/nexudus-codegen";

/** The branch CI publishes from, whose `generated/` holds the docs of the latest release. */
export const RELEASE_BRANCH = "main";

/** The folder of the generated package in the repository. */
export const PACKAGE_DIRECTORY = "generated";

/** Node.js majors the package tests install and run the packed package on. */
export const TESTED_NODE_MAJORS = [20, 22, 24] as const;

/** The tested majors as prose, `20, 22 and 24`. */
export const TESTED_NODE_VERSIONS = `${TESTED_NODE_MAJORS.slice(0, -1).join(", ")} and ${TESTED_NODE_MAJORS.at(-1)}`;

const REPOSITORY_URL = `https://github.com/${GITHUB_REPOSITORY}`;

/** Where the package's files are read on the web: `docs/x.md` there is `${DOCS_BASE_URL}docs/x.md`. */
export const DOCS_BASE_URL = `${REPOSITORY_URL}/blob/${RELEASE_BRANCH}/${PACKAGE_DIRECTORY}/`;

/** The web address of a file of the package (`docs/billing/timepasses.md`). */
export function packageFileUrl(relativePath: string): string {
  return DOCS_BASE_URL + relativePath;
}

/** `repository`, `homepage`, `bugs` and `engines` of the generated package.json. */
export function packageMetadata() {
  return {
    repository: { type: "git", url: `git+${REPOSITORY_URL}.git`, directory: PACKAGE_DIRECTORY },
    homepage: `${REPOSITORY_URL}/tree/${RELEASE_BRANCH}/${PACKAGE_DIRECTORY}#readme`,
    bugs: { url: `${REPOSITORY_URL}/issues` },
    // Only what the package tests prove: each tested major, no untested one.
    engines: { node: TESTED_NODE_MAJORS.map((major) => `^${major}.0.0`).join(" || ") },
  };
}

/**
 * Markdown read on the registry's page has no folder around it: relative links (`docs/x.md`,
 * `CHANGELOG.md`) become links to the package's files on the web. Anchors, absolute links and
 * fenced code blocks stay as they are.
 */
export function absoluteLinks(markdown: string): string {
  // Odd pieces of a split on fences are code blocks.
  return markdown
    .split(/(^```[^\n]*\n[\s\S]*?^```$)/m)
    .map((piece, index) =>
      index % 2 === 1 ? piece : piece.replace(/\]\((?![a-z][a-z0-9+.-]*:|#|\/)([^)\s]+)\)/gi, (_, target: string) => `](${packageFileUrl(target)})`),
    )
    .join("");
}

/**
 * What npm provenance needs that a publish from GitHub Actions could lack: the package's
 * `repository.url` must name the repository the workflow runs in (`GITHUB_REPOSITORY`). Empty when
 * nothing is missing.
 */
export function provenanceProblems(packageJson: { repository?: { url?: string } }, githubRepository: string | undefined): string[] {
  const url = packageJson.repository?.url;
  if (!url) return ["package.json has no repository.url: npm provenance needs it."];
  const named = /github\.com[/:]([^/]+\/[^/]+?)(?:\.git)?$/.exec(url)?.[1];
  if (!named) return [`repository.url ${url} is not a GitHub repository: npm provenance from GitHub Actions needs one.`];
  if (githubRepository !== undefined && named.toLowerCase() !== githubRepository.toLowerCase()) {
    return [`repository.url names ${named}, but this workflow runs in ${githubRepository}: set GITHUB_REPOSITORY in generator/project.ts and run \`npm run generate\`.`];
  }
  return [];
}

/**
 * A file of the generator's repository (`relative` to its root), searched from the generator's
 * folder upwards: the CLI runs from a bundle in node_modules/.cache, which is under the root too.
 */
export function repositoryFile(relative: string): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, relative);
    if (existsSync(file)) return file;
    if (path.dirname(dir) === dir) throw new Error(`no ${relative} above ${fileURLToPath(import.meta.url)}: is the generator inside its repository?`);
  }
}

/** The installed version of a package the generator uses, or "unknown". */
export function packageVersion(name: string): string {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
