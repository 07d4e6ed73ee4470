import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TESTED_NODE_MAJORS } from "../../generator/project.js";
import { ROOT } from "../helpers/project.js";

// The GitHub Actions workflow cannot run here: it is linted instead.

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS = path.join(ROOT, ".github/workflows");
const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const workflows = workflowFiles.map((file) => ({ file, workflow: parse(readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow }));
const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** Every `run:` line of every job, as `job: command`. */
const commands = workflows.flatMap(({ workflow }) =>
  Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
    steps.flatMap((step) => (step.run ?? "").split("\n").filter((line) => line.trim() !== "").map((line) => ({ job, line: line.trim() }))),
  ),
);

const ci = workflows.find(({ workflow }) => "publish" in workflow.jobs)?.workflow;

describe("GitHub Actions workflow", () => {
  it("parses, and there is one with a publish job", () => {
    expect(workflowFiles.length).toBeGreaterThan(0);
    expect(ci).toBeDefined();
  });

  it("every `npm run X` it runs is a script of package.json, and every option it passes is one the script reads", () => {
    const npmRuns = commands.flatMap(({ line }) => [...line.matchAll(/npm run ([\w:-]+)(?: -- (.*))?/g)]);
    expect(npmRuns.length).toBeGreaterThan(0);
    for (const [, script, args] of npmRuns) {
      expect(Object.keys(scripts), `npm run ${script}`).toContain(script);
      // `tsx generator/x.ts`, or the launcher of generator/cli.ts: the options must appear in that file.
      const command = scripts[script!]!;
      const source = command === "node generator/launch.mjs" ? "generator/cli.ts" : /^tsx (\S+\.ts)$/.exec(command)?.[1];
      for (const option of args?.match(/--[\w-]+/g) ?? []) {
        expect(source, `npm run ${script} -- ${option}: not a tsx script`).toBeDefined();
        expect(readFileSync(path.join(ROOT, source!), "utf8"), `${source} reads ${option}`).toContain(option.slice(2));
      }
    }
    if (commands.some(({ line }) => /\bnpm test\b/.test(line))) expect(scripts).toHaveProperty("test");
  });

  it("checks every push: npm ci, generate --check, typecheck, tests", () => {
    expect(ci!.on).toHaveProperty("push");
    const checks = commands.filter(({ job }) => job !== "publish").map(({ line }) => line);
    expect(checks).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b/), "npm run generate -- --check", "npm run typecheck", "npm test"]));
  });

  it("publishes only from main, after the checks, through `npm run release -- --publish` with provenance and the NPM_TOKEN secret", () => {
    const publish = ci!.jobs.publish!;
    expect(publish.needs).toContain("check");
    expect(publish.if).toContain("refs/heads/main");
    expect(publish.permissions).toMatchObject({ "id-token": "write" });
    const release = publish.steps.find((s) => s.run?.includes("npm run release -- --publish"));
    expect(release?.env?.NODE_AUTH_TOKEN).toBe("${{ secrets.NPM_TOKEN }}");
    expect(publish.steps.some((s) => s.uses?.startsWith("actions/setup-node@") && s.with?.["registry-url"] === "https://registry.npmjs.org")).toBe(true);
    // A Node.js the package tests run on, whose npm (>= 9.5) can publish with provenance.
    const setupNode = publish.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(TESTED_NODE_MAJORS).toContain(Number(setupNode?.with?.["node-version"]));
    // No other way to publish: no bare npm publish, and no other job gets the token.
    expect(commands.filter(({ line }) => /npm publish/.test(line))).toEqual([]);
    const withToken = Object.entries(ci!.jobs).filter(([, job]) => JSON.stringify(job).includes("secrets.NPM_TOKEN"));
    expect(withToken.map(([name]) => name)).toEqual(["publish"]);
    expect(ci!.permissions).toEqual({ contents: "read" });
  });
});
