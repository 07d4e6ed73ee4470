import { spawn, type ChildProcess } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { serially } from "../../generator/watch.js";
import { ROOT, snapshot } from "../helpers/project.js";

/** What `npm run generate` runs. */
const LAUNCH = path.join(ROOT, "generator/launch.mjs");

/** A promise and its resolve, to let a test decide when a run ends. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("serially", () => {
  it("never overlaps runs, and makes one more run for any number of requests during a run", async () => {
    const ends: Array<() => void> = [];
    let running = 0;
    let mostAtOnce = 0;
    let idle = 0;
    const request = serially(
      async () => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        const end = deferred();
        ends.push(end.resolve);
        await end.promise;
        running--;
      },
      { onError: (error) => expect.fail(String(error)), onIdle: () => idle++ },
    );

    const settled = request();
    expect(ends).toHaveLength(1);
    for (let i = 0; i < 5; i++) void request();
    ends[0]!();
    await new Promise((r) => setImmediate(r));
    expect(ends, "the requests during the first run made one run after it").toHaveLength(2);
    expect(idle).toBe(0);
    ends[1]!();
    await settled;
    expect(ends).toHaveLength(2);
    expect(mostAtOnce).toBe(1);
    expect(idle).toBe(1);

    // Idle again: the next request runs at once.
    const next = request();
    expect(ends).toHaveLength(3);
    ends[2]!();
    await next;
    expect(idle).toBe(2);
  });

  it("reports a run that throws and runs again on the next request", async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const request = serially(
      async () => {
        runs++;
        if (runs === 1) throw new Error("the first run fails");
      },
      { onError: (error) => errors.push(error), onIdle: () => undefined },
    );
    await request();
    expect(errors.map((e) => (e as Error).message)).toEqual(["the first run fails"]);
    await request();
    expect(runs).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

describe("npm run generate -- --watch", () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    child?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("regenerates after an atomic save, an in-place write to the same file, a new spec, a deleted spec, a template edit and a broken spec", async () => {
    // A small real project: the shared definitions, one entity, and the templates.
    dir = await mkdtemp(path.join(tmpdir(), "nexudus-codegen-watch-"));
    const specs = path.join(dir, "specs");
    await mkdir(path.join(specs, "billing"), { recursive: true });
    await cp(path.join(ROOT, "specs/common.yaml"), path.join(specs, "common.yaml"));
    await cp(path.join(ROOT, "specs/billing/producttimepasses.yaml"), path.join(specs, "billing/producttimepasses.yaml"));
    await cp(path.join(ROOT, "templates"), path.join(dir, "templates"), { recursive: true });
    const out = path.join(dir, "generated");
    const spec = path.join(specs, "billing/producttimepasses.yaml");
    const types = path.join(out, "src/billing/index.ts");
    const original = await readFile(spec, "utf8");
    const described = (description: string) => original.replace("ExpiresIn: integer?", `ExpiresIn: { type: integer?, description: ${description} }`);

    child = spawn(process.execPath, [LAUNCH, "--watch"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    /** Waits until the output after `from` has a line matching `pattern`, then until the watcher is idle again. */
    const waitFor = async (pattern: RegExp, from: number) => {
      const deadline = Date.now() + 30_000;
      const done = () => pattern.test(output.slice(from)) && /watching for changes/.test(output.slice(from).split(pattern)[1] ?? "");
      while (!done()) {
        if (Date.now() > deadline || child!.exitCode !== null) throw new Error(`no ${pattern} followed by "watching for changes"; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };

    await waitFor(/wrote src\/billing\/index\.ts/, 0);

    // An editor's atomic save: the new text goes to a temporary file renamed over the spec.
    let mark = output.length;
    await writeFile(`${spec}.tmp`, described("Saved atomically."));
    await rename(`${spec}.tmp`, spec);
    await waitFor(/wrote src\/billing\/index\.ts/, mark);
    expect(await readFile(types, "utf8")).toContain("Saved atomically.");

    // Then a write in place to the same file, which a recursive fs.watch no longer sees.
    mark = output.length;
    await writeFile(spec, described("Written in place."));
    await waitFor(/wrote src\/billing\/index\.ts/, mark);
    expect(await readFile(types, "utf8")).toContain("Written in place.");

    // A new spec, then its removal.
    const widgets = path.join(specs, "billing/widgets.yaml");
    mark = output.length;
    await writeFile(widgets, "entity: Widget\narea: billing\ndescription: A widget.\noperations: [list, get]\nfields:\n  Name: string\n");
    await waitFor(/wrote docs\/billing\/widgets\.md/, mark);
    expect(await readFile(types, "utf8")).toContain("export interface Widget {");
    mark = output.length;
    await rm(widgets);
    await waitFor(/deleted docs\/billing\/widgets\.md/, mark);
    await expect(stat(path.join(out, "docs/billing/widgets.md"))).rejects.toThrow();
    expect(await readFile(types, "utf8")).not.toContain("Widget");

    // A template edit.
    const readme = path.join(dir, "templates/docs/README.md.hbs");
    mark = output.length;
    await writeFile(readme, `${await readFile(readme, "utf8")}\nEdited while watching.\n`);
    await waitFor(/wrote README\.md/, mark);
    expect(await readFile(path.join(out, "README.md"), "utf8")).toContain("Edited while watching.");

    // A broken spec is reported and leaves generated/ alone; watching goes on, and the fix regenerates.
    const before = await snapshot(out);
    mark = output.length;
    await writeFile(spec, original.replace("entity: ProductTimePass", "entity: productTimePass"));
    await waitFor(/producttimepasses\.yaml:2:9 error: "entity": "productTimePass" is not valid/, mark);
    expect(await snapshot(out)).toEqual(before);
    mark = output.length;
    await writeFile(spec, original);
    await waitFor(/wrote src\/billing\/index\.ts/, mark);
    expect(await readFile(types, "utf8")).not.toContain("Written in place.");
    expect(child.exitCode).toBeNull();
  }, 240_000);
});
