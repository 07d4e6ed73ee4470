import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./project.js";

const run = promisify(execFile);
const TSC = path.join(ROOT, "node_modules/.bin/tsc");

/** Runs the real tsc on a project; resolves with its exit code and output (never rejects on type errors). */
export async function tsc(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(TSC, ["-p", project, "--pretty", "false"], { cwd: ROOT });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}
