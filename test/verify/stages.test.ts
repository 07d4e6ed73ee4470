import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compare, loadSpecSet } from "../../generator/verify/compare.js";
import { progressPrinter } from "../../generator/verify/record.js";
import { formatOf, readRecordings, RecordingBuilder, SectionBuilder, stableJson, type Recording } from "../../generator/verify/shape.js";
import { observedType, updateSpecs } from "../../generator/verify/update.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A specs folder with the given files. */
async function specsFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "nexudus-verify-specs-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

const COMMON = `# the shared part
baseFields:
  Id: { type: integer, readOnly: true }
  Stamp: { type: datetime, readOnly: true, description: "When it was stamped, in UTC." }
enums:
  Colour: { values: { Red: 1, Green: 2 } }   # flow style, on purpose
`;

describe("shape", () => {
  it("recognises formats without keeping the value", () => {
    expect(formatOf("2025-01-15T10:30:00Z")).toBe("date-time");
    expect(formatOf("2025-01-15T10:30:00.1234567")).toBe("date-time");
    expect(formatOf("2025-01-15T10:30+02:00")).toBe("date-time");
    expect(formatOf("2025-01-15")).toBe("date");
    expect(formatOf("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toBe("uuid");
    expect(formatOf("jane@example.org")).toBe("text");
  });

  it("keeps types, null and enum integers; drops values, non-identifier names and non-records", () => {
    const section = new SectionBuilder(new Set(["Kind"]));
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}, "jane@example.org": 1, "a b": 2}') as object;
    section.add({ Kind: 3, Count: 7, Name: "jane@example.org", Tags: ["x", 2], When: null, Extra: { Secret: "s3cret" }, ...hostile });
    section.add({ Kind: 3.5, Count: 1.25, Name: null, Tags: [], When: "2025-01-01T00:00:00Z" });
    section.add("not a record");
    section.add([{ Kind: 1 }]);
    const built = section.build()!;
    expect(built.records).toBe(2);
    expect(built.properties).toEqual({
      Count: { types: ["integer", "number"] },
      Extra: { types: ["object"] },
      Kind: { types: ["integer", "number"], enumValues: [3] },
      Name: { types: ["string"], null: true, formats: ["text"] },
      Tags: { types: ["array"], items: { types: ["integer", "string"], formats: ["text"] } },
      When: { types: ["string"], null: true, formats: ["date-time"] },
    });
    expect(JSON.stringify(built)).not.toMatch(/jane|s3cret|polluted|__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("prints the same bytes whatever order the answers came in", () => {
    const a = new SectionBuilder(new Set(["K"]));
    const b = new SectionBuilder(new Set(["K"]));
    a.add({ B: 1, A: "x", K: 2 });
    a.add({ K: 1, A: null });
    b.add({ K: 1, A: null });
    b.add({ K: 2, A: "y", B: 3 });
    expect(stableJson(b.build())).toBe(stableJson(a.build()));
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{\n  "a": {\n    "c": 2,\n    "d": 1\n  },\n  "b": 1\n}\n');
    expect(stableJson({ types: ["integer", "string"], enumValues: [1, -2], items: [{ x: 1 }] })).toBe(
      '{\n  "enumValues": [1, -2],\n  "items": [\n    {\n      "x": 1\n    }\n  ],\n  "types": ["integer", "string"]\n}\n',
    );
  });

  it("describes observations as the spec types that hold them", () => {
    expect(observedType({ types: ["integer"] })).toBe("integer");
    expect(observedType({ types: ["integer", "number"], null: true })).toBe("number?");
    expect(observedType({ types: ["string"], formats: ["date-time"] })).toBe("datetime");
    expect(observedType({ types: ["string"], formats: ["date-time", "text"] })).toBe("string");
    expect(observedType({ types: ["array"], items: { types: ["integer"] } })).toBe("integer[]");
    expect(observedType({ types: ["array"] })).toBe("unknown[]");
    expect(observedType({ types: ["boolean", "string"], formats: ["text"] })).toBe("json");
    expect(observedType({ types: ["object"] })).toBe("json");
    expect(observedType({ types: [], null: true })).toBe("unknown?");
  });
});

describe("recordings on disk", () => {
  it("refuses a file that is not a recording, naming it", async () => {
    const dir = await specsFolder({
      "billing/good.json": stableJson({ entity: "X", path: "/api/billing/x", full: { records: 1, properties: { A: { types: ["integer"] } } } }),
    });
    expect([...(await readRecordings(dir)).keys()]).toEqual(["billing/good.json"]);
    for (const bad of ["{", JSON.stringify({ entity: "X", path: "/x", full: { records: 1, properties: { A: { types: "integer" } } } }), JSON.stringify({ entity: "X", path: "/x", listing: { records: 1, properties: { "a@b": { types: [] } } } })]) {
      await writeFile(path.join(dir, "billing/bad.json"), bad);
      await expect(readRecordings(dir)).rejects.toThrow(/bad\.json: not a recording/);
    }
  });
});

describe("progress", () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream };
  };

  it("draws a bar on a terminal, redrawn in place", () => {
    const { written, stream: tty } = stream(true);
    const printer = progressPrinter(tty);
    printer.update({ done: 1, total: 4, name: "billing/charges", status: "recorded" });
    printer.update({ done: 2, total: 4, name: "billing/tariffs", status: "skipped", reason: "HTTP 403 (NexudusAuthError)" });
    printer.end();
    expect(written[0]).toMatch(/^\r\x1b\[2K\[#{8}-{22}\] 1\/4 billing\/charges$/);
    expect(written[1]).toContain("2/4 billing/tariffs (skipped: HTTP 403 (NexudusAuthError))");
    expect(written.at(-1)).toBe("\n");
  });

  it("writes one plain line per entity elsewhere", () => {
    const { written, stream: pipe } = stream(false);
    const printer = progressPrinter(pipe);
    printer.update({ done: 1, total: 2, name: "billing/charges", status: "resumed" });
    printer.update({ done: 2, total: 2, name: "billing/tariffs", status: "recorded" });
    printer.end();
    expect(written).toEqual(["[1/2] resumed billing/charges\n", "[2/2] recorded billing/tariffs\n"]);
  });
});

describe("update in every layout", () => {
  it("adds fields, listingOmits and enum values where a spec has none, in block or flow style, keeping the rest", async () => {
    const widget = `# A widget: no fields of its own yet.
entity: Widget
area: spaces
description: A widget.
operations: [list, get]
`;
    const gadget = `entity: Gadget
area: spaces
description: A gadget.
operations: [list, get]
fields:
  Size: integer   # from the docs
  Colour: Colour
  Note:
    type: string
    description: A note.
  Label: { type: string, description: "A label, in flow style." }
listingOmits:
  - Note
`;
    const dir = await specsFolder({ "common.yaml": COMMON, "spaces/widgets.yaml": widget, "spaces/gadgets.yaml": gadget });
    const set = await loadSpecSet(dir);
    const [gadgets, widgets] = ["Gadget", "Widget"].map((n) => set.model.entities.find((e) => e.name === n)!);
    const recordings = new Map<string, Recording>();
    const widgetRecording = new RecordingBuilder(widgets!);
    const stamp = "2025-01-01T00:00:00Z";
    widgetRecording.listing.add({ Id: 1, Weight: 2.5, Stamp: null });
    widgetRecording.full.add({ Id: 1, Weight: 2.5, Secret: "x", Stamp: stamp });
    recordings.set("spaces/widgets.json", widgetRecording.build());
    const gadgetRecording = new RecordingBuilder(gadgets!);
    gadgetRecording.listing.add({ Id: 1, Size: 1, Colour: 9, Label: ["a"], Stamp: stamp });
    gadgetRecording.full.add({ Id: 1, Size: null, Colour: 9, Note: "n", Made: "2025-01-01T10:00:00", Parts: [1, 2], Label: ["b"], Stamp: stamp });
    gadgetRecording.listing.add({ Id: 2, Size: 1, Colour: 1, Parts: [], Label: [], Stamp: stamp });
    recordings.set("spaces/gadgets.json", gadgetRecording.build());

    const report = compare(set, recordings, set.model.entities);
    const updates = await updateSpecs(set, report.differences, dir);
    expect(updates.map((u) => u.name)).toEqual(["common.yaml", "spaces/gadgets.yaml", "spaces/widgets.yaml"]);
    // A base field answered null is made nullable for this entity only: common.yaml keeps Stamp as it was.
    expect(await readFile(path.join(dir, "common.yaml"), "utf8")).toContain("  Stamp: { type: datetime, readOnly: true");

    expect(await readFile(path.join(dir, "spaces/widgets.yaml"), "utf8")).toBe(
      `${widget}fields:
  Secret: { type: string, readOnly: true, provenance: observed }
  Weight: { type: number, readOnly: true, provenance: observed }
  Stamp: { type: datetime?, readOnly: true, description: "When it was stamped, in UTC." }
listingOmits: [Secret]
`,
    );
    expect(await readFile(path.join(dir, "spaces/gadgets.yaml"), "utf8")).toBe(`entity: Gadget
area: spaces
description: A gadget.
operations: [list, get]
fields:
  Size: integer?   # from the docs
  Colour: Colour
  Note:
    type: string
    description: A note.
  Label: { type: "string[]", description: "A label, in flow style." }
  Made: { type: datetime, readOnly: true, provenance: observed }
  Parts: { type: "integer[]", readOnly: true, provenance: observed }
listingOmits:
  - Note
  - Made
`);
    expect(await readFile(path.join(dir, "common.yaml"), "utf8")).toBe(COMMON.replace("Green: 2 }", "Green: 2, Observed9: 9 }"));

    const after = await loadSpecSet(dir);
    expect(compare(after, recordings, after.model.entities).differences).toEqual([]);
  });
});
