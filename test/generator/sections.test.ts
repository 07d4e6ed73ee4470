import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CacheSection, hash, type CachedOutput } from "../../generator/cache.js";
import { printInSections, SectionPrinter } from "../../generator/emit/sections.js";
import { Session } from "../../generator/session.js";
import { applyOutput, diffOutput, OutputFolder, producedFile, recordOutput } from "../../generator/write.js";

const FILE = "src/area/index.ts";
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A file of sections `a` and `b`, printed from `texts` under `keys`; `printed` collects the sections printed. */
function sections(keys: { a: string; b: string }, texts: { a: string; b: string }, printed: string[]) {
  return (printer: SectionPrinter) => {
    printer.between("// head\n\n");
    for (const name of ["a", "b"] as const) {
      printer.section(name, keys[name], () => {
        printed.push(name);
        return texts[name];
      });
      printer.between("\n");
    }
  };
}

/** An output folder and cache as runs of the pipeline leave them: each `run` prints, writes and records the file. */
async function outputFolder() {
  const dir = await mkdtemp(path.join(tmpdir(), "nexudus-codegen-sections-"));
  dirs.push(dir);
  const record = new CacheSection<CachedOutput>({});
  const memos = new CacheSection<unknown>({});
  const run = async (print: (printer: SectionPrinter) => void, session?: Session) => {
    const folder = await OutputFolder.scan(dir, record);
    const file = await printInSections(FILE, { parser: "typescript", final: true }, { folder, memos, ...(session ? { session } : {}) }, print);
    const produced = [producedFile(file)];
    const changes = await diffOutput(produced, folder);
    await applyOutput(dir, produced, changes);
    await recordOutput(dir, produced, record, folder, changes);
    return { text: await readFile(path.join(dir, FILE), "utf8"), changes };
  };
  return { dir, memos, run };
}

describe("a file printed in sections", () => {
  it("prints only the sections whose key changed, copying the others from the file the last run wrote", async () => {
    const { run } = await outputFolder();
    const printed: string[] = [];
    expect((await run(sections({ a: "1", b: "1" }, { a: "A1", b: "B1" }, printed))).text).toBe("// head\n\nA1\nB1\n");
    expect(printed).toEqual(["a", "b"]);

    printed.length = 0;
    // Section a's text would differ if printed: that it does not shows its bytes were copied.
    const second = await run(sections({ a: "1", b: "2" }, { a: "not printed", b: "B2 longer" }, printed));
    expect(printed).toEqual(["b"]);
    expect(second.text).toBe("// head\n\nA1\nB2 longer\n");

    printed.length = 0;
    const same = await run(sections({ a: "1", b: "2" }, { a: "x", b: "y" }, printed));
    expect(printed).toEqual([]);
    expect(same.changes.changed).toEqual([]);
  });

  it("prints every section again when the file on disk is not the one it printed (edited by hand, or deleted)", async () => {
    const { dir, run } = await outputFolder();
    const printed: string[] = [];
    await run(sections({ a: "1", b: "1" }, { a: "A1", b: "B1" }, printed));
    await writeFile(path.join(dir, FILE), "// edited by hand\n");
    printed.length = 0;
    expect((await run(sections({ a: "1", b: "1" }, { a: "A1", b: "B1" }, printed))).text).toBe("// head\n\nA1\nB1\n");
    expect(printed).toEqual(["a", "b"]);

    await rm(path.join(dir, FILE));
    printed.length = 0;
    await run(sections({ a: "1", b: "1" }, { a: "A1", b: "B1" }, printed));
    expect(printed).toEqual(["a", "b"]);
  });

  it("takes a watching process's unchanged sections from its last print, without the memo", async () => {
    const { memos, run } = await outputFolder();
    const session = new Session();
    const printed: string[] = [];
    await run(sections({ a: "1", b: "1" }, { a: "A1", b: "B1" }, printed), session);
    memos.delete(FILE);
    printed.length = 0;
    expect((await run(sections({ a: "1", b: "2" }, { a: "not printed", b: "B2" }, printed), session)).text).toBe("// head\n\nA1\nB2\n");
    expect(printed).toEqual(["b"]);
  });

  it("reads an unchanged section from the last file only when its bytes are asked for, and prints it again if the file is gone", () => {
    let reads = 0;
    const printer = (file: Buffer | undefined) =>
      new SectionPrinter({
        place: (name, key) => (name === "a" && key === "1" ? [0, 2, hash("A1")] : undefined),
        read: () => {
          reads++;
          return file;
        },
      });
    const kept = printer(Buffer.from("A1 and the rest"));
    const printed: string[] = [];
    sections({ a: "1", b: "1" }, { a: "A1", b: "B1" }, printed)(kept);
    expect(printed).toEqual(["b"]);
    expect(kept.memo).toEqual({ a: ["1", 9, 11, hash("A1")], b: ["1", 12, 14, hash("B1")] });
    expect(reads).toBe(0);
    expect(Buffer.concat(kept.pieces()).toString()).toBe("// head\n\nA1\nB1\n");
    expect(Buffer.concat(kept.pieces()).toString()).toBe("// head\n\nA1\nB1\n");
    expect(reads).toBe(1);

    const gone = printer(undefined);
    sections({ a: "1", b: "1" }, { a: "A1", b: "B1" }, printed)(gone);
    expect(Buffer.concat(gone.pieces()).toString()).toBe("// head\n\nA1\nB1\n");
  });

  it("knows the file by its sections' texts and the text between: the same bytes under other keys or names, the same identity", () => {
    const identity = (keys: { a: string; b: string }, texts: { a: string; b: string }, name = "a") => {
      const printer = new SectionPrinter();
      printer.between("// head\n");
      printer.section(name, keys.a, () => texts.a);
      printer.between("\n");
      printer.section("b", keys.b, () => Buffer.from(texts.b));
      return printer.identity();
    };
    const first = identity({ a: "1", b: "1" }, { a: "A1", b: "B1" });
    expect(identity({ a: "2", b: "7" }, { a: "A1", b: "B1" }, "renamed")).toBe(first);
    expect(identity({ a: "1", b: "1" }, { a: "A1", b: "B2" })).not.toBe(first);
    expect(identity({ a: "1", b: "1" }, { a: "A1\n", b: "B1" })).not.toBe(first);
  });
});
