import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CacheSection, type CachedOutput } from "../../generator/cache.js";
import { applyOutput, assembledFile, diffOutput, OutputFolder, producedFile, recordOutput } from "../../generator/write.js";

/**
 * The output folder as write.ts sees it: what it owns, and files written whole, those assembled
 * from pieces of bytes (openapi.json) and those large enough to be moved aside before they are
 * replaced included.
 */
async function tempFolder(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "nexudus-write-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

describe("the output folder", () => {
  it("owns every file but a build's (dist/ at its top), an install's (any node_modules/) and packs", async () => {
    const { dir, cleanup } = await tempFolder();
    try {
      const files = ["a.json", "dist/index.js", "node_modules/x/index.js", "src/node_modules/y.ts", "src/dist/z.ts", "src/a/b.ts", "nexudus-api-0.1.0.tgz"];
      for (const file of files) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), file);
      }
      const folder = await OutputFolder.read(dir);
      expect([...folder.present]).toEqual(["a.json", "src/a/b.ts", "src/dist/z.ts"]);
    } finally {
      await cleanup();
    }
  });

  it("writes a file assembled from pieces as their bytes, and replaces a large file whole, leaving nothing beside it", async () => {
    const { dir, cleanup } = await tempFolder();
    try {
      const large = `${"x".repeat(300_000)}\n`;
      await writeFile(path.join(dir, "large.txt"), "the old text\n");
      await writeFile(path.join(dir, "openapi.json"), "{}\n");
      // Text beyond ASCII: pieces are bytes, the text their UTF-8.
      const pieces = [Buffer.from('{\n  "a": "«b» – ✓",\n'), Buffer.from('  "c": "'), Buffer.from(`${"d".repeat(400_000)}"\n}\n`)];
      const assembled = assembledFile({ path: "openapi.json", parser: "json", final: true }, pieces, "a-known-hash");
      const produced = [producedFile(assembled), producedFile({ path: "large.txt", content: large }), producedFile({ path: "new/small.txt", content: "small\n" })];
      // Known by the hash it was given, not by hashing its text.
      expect(produced[0]!.hash).toBe("a-known-hash");
      const folder = await OutputFolder.read(dir);
      const changes = await diffOutput(produced, folder);
      expect(changes.changed).toEqual(["large.txt", "new/small.txt", "openapi.json"]);
      await applyOutput(dir, produced, changes);
      expect(await readFile(path.join(dir, "openapi.json"))).toEqual(Buffer.concat(pieces));
      expect(assembled.content).toBe(Buffer.concat(pieces).toString("utf8"));
      expect(await readFile(path.join(dir, "large.txt"), "utf8")).toBe(large);
      expect((await readdir(dir, { recursive: true })).sort()).toEqual(["large.txt", "new", "new/small.txt", "openapi.json"]);

      // Recorded as written: the next run's scan verifies each by stat, and finds the assembled file by its known hash.
      const record = new CacheSection<CachedOutput>({});
      await recordOutput(dir, produced, record, folder, changes);
      const scanned = await OutputFolder.scan(dir, new CacheSection(record.toJSON()));
      expect(scanned.isExactly(["large.txt", "new/small.txt", "openapi.json"])).toBe(true);
      expect(await scanned.hashOf("openapi.json")).toBe("a-known-hash");
      expect(await scanned.bytes("openapi.json")).toEqual(Buffer.concat(pieces));
    } finally {
      await cleanup();
    }
  });

  it("writes a file of more pieces than one writev takes (IOV_MAX, 1,024 on Linux)", async () => {
    const { dir, cleanup } = await tempFolder();
    try {
      const pieces = Array.from({ length: 3000 }, (_, i) => Buffer.from(`${i},`));
      const produced = [producedFile(assembledFile({ path: "many.txt" }, pieces, "many"))];
      await applyOutput(dir, produced, await diffOutput(produced, await OutputFolder.read(dir)));
      expect(await readFile(path.join(dir, "many.txt"))).toEqual(Buffer.concat(pieces));
    } finally {
      await cleanup();
    }
  });
});
