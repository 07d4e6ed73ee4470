import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SpecPieces } from "../../generator/cache.js";

/** Saves the pieces as the cache does and reads them back as the next process does. */
async function roundTrip(pieces: SpecPieces, version = "v1"): Promise<SpecPieces> {
  const dir = await mkdtemp(path.join(tmpdir(), "pieces-"));
  try {
    const file = path.join(dir, "pieces.bin");
    await writeFile(file, pieces.toBuffer(version));
    pieces.commit();
    return SpecPieces.read(file, "v1");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("the cache's pieces (pieces.bin)", () => {
  it("gives back each piece by slot and key, and nothing for another key, slot or version", async () => {
    const pieces = new SpecPieces();
    pieces.set("model:billing/a.yaml", "k1", { name: "A", fields: [1, 2] });
    pieces.set("model:spaces/b.yaml", "k2", { name: "B" });
    pieces.set("checked:common.yaml", "k3", true);
    const next = await roundTrip(pieces);
    expect(next.get("model:billing/a.yaml", "k1")).toEqual({ name: "A", fields: [1, 2] });
    expect(next.get("model:spaces/b.yaml", "k2")).toEqual({ name: "B" });
    expect(next.get("checked:common.yaml", "k3")).toBe(true);
    expect(next.get("model:billing/a.yaml", "other")).toBeUndefined();
    expect(next.get("model:billing/c.yaml", "k1")).toBeUndefined();
    expect((await roundTrip(pieces, "v2")).slots()).toEqual([]);
  });

  it("sweeps what a run neither got, kept nor set, and keeps an unread piece whole when its group is written again", async () => {
    const first = new SpecPieces();
    for (const name of ["a", "b", "c"]) first.set(`model:billing/${name}.yaml`, name, { name });
    const second = await roundTrip(first);
    // b is kept unread, c is not asked for, a changes: the group is written again from what it held.
    expect(second.keep("model:billing/b.yaml")).toBe("b");
    second.set("model:billing/a.yaml", "a2", { name: "a2" });
    const third = await roundTrip(second);
    expect(third.slots().sort()).toEqual(["model:billing/a.yaml", "model:billing/b.yaml"]);
    expect(third.get("model:billing/a.yaml", "a2")).toEqual({ name: "a2" });
    expect(third.get("model:billing/b.yaml", "b")).toEqual({ name: "b" });
  });

  it("copies the bytes of a group nothing changed in, unread, and writes nothing new when nothing changed", async () => {
    const first = new SpecPieces();
    first.set("model:billing/a.yaml", "a", { name: "a" });
    first.set("model:spaces/b.yaml", "b", { name: "b" });
    const second = await roundTrip(first);
    second.get("model:billing/a.yaml", "a");
    second.keep("model:spaces/b.yaml");
    expect(second.isUnchanged()).toBe(true);
    const bytes = second.toBuffer("v1");
    // The spaces group (the last) garbled on disk: a run that keeps it unread copies it as it is.
    const garbled = Buffer.from(bytes);
    for (let i = garbled.length - 6; i < garbled.length; i++) garbled[i] = garbled[i]! ^ 0xff;
    const dir = await mkdtemp(path.join(tmpdir(), "pieces-"));
    try {
      await writeFile(path.join(dir, "pieces.bin"), garbled);
      const third = SpecPieces.read(path.join(dir, "pieces.bin"), "v1");
      third.keep("model:spaces/b.yaml");
      third.set("model:billing/a.yaml", "a2", { name: "a2" });
      const after = third.toBuffer("v1");
      expect(after.subarray(after.length - 6)).toEqual(garbled.subarray(garbled.length - 6));
      expect(after).not.toEqual(garbled);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("drops a group that does not inflate, and reads nothing from a file cut short", async () => {
    const pieces = new SpecPieces();
    pieces.set("outline:billing/a.yaml", "a", [1, 1, "x"]);
    pieces.set("outline:spaces/b.yaml", "b", [1, 1, "y"]);
    const dir = await mkdtemp(path.join(tmpdir(), "pieces-"));
    try {
      const file = path.join(dir, "pieces.bin");
      const bytes = pieces.toBuffer("v1");
      await writeFile(file, bytes.subarray(0, bytes.length - 3));
      expect(SpecPieces.read(file, "v1").slots()).toEqual([]);
      // The index intact, the last group garbled: that group's pieces do not read, the other's do.
      const garbled = Buffer.from(bytes);
      for (let i = garbled.length - 8; i < garbled.length; i++) garbled[i] = garbled[i]! ^ 0xff;
      await writeFile(file, garbled);
      const read = SpecPieces.read(file, "v1");
      expect(read.get("outline:billing/a.yaml", "a")).toEqual([1, 1, "x"]);
      expect(read.get("outline:spaces/b.yaml", "b")).toBeUndefined();
      expect(read.isUnchanged()).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
