import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hash } from "../../generator/cache.js";
import { viewKey } from "../../generator/pipeline.js";

const part = <T>(value: T): T => Object.freeze(value);

describe("what a view is known by (pipeline.ts viewKey)", () => {
  it("is the same for views of equal content, whichever objects hold it", () => {
    const make = () => ({ title: "x", entities: [part({ name: "A", count: 1 }), part({ name: "B", count: 2 })], areas: [{ name: "billing", entities: [part({ name: "A" })] }], counts: { fields: 3 } });
    expect(viewKey(make())).toBe(viewKey(make()));
  });

  it("changes with any value: in a part, around the parts, deep below them, in the order of members or items", () => {
    const base = { title: "x", entities: [part({ name: "A", count: 1 }), part({ name: "B", count: 2 })], deep: [{ a: { b: { c: [1, 2] } } }] };
    const variants = [
      { ...base, title: "y" },
      { ...base, entities: [part({ name: "A", count: 1 }), part({ name: "B", count: 3 })] },
      { ...base, entities: [part({ name: "B", count: 2 }), part({ name: "A", count: 1 })] },
      { ...base, entities: [part({ name: "A", count: 1 })] },
      { ...base, deep: [{ a: { b: { c: [2, 1] } } }] },
      { entities: base.entities, title: "x", deep: base.deep },
      { ...base, extra: null },
      { ...base, title: "#0123456789abcdef" },
    ];
    const keys = new Set([viewKey(base), ...variants.map((variant) => viewKey(variant))]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it("reads a part's JSON once per object: a frozen part cannot change after its key is made", () => {
    const shared = part({ name: "A", fields: Object.freeze(["x", "y"]) });
    const first = viewKey({ entities: [shared] });
    expect(viewKey({ entities: [shared] })).toBe(first);
    expect(() => {
      (shared as { name: string }).name = "B";
    }).toThrow(TypeError);
  });

  it("leaves views without parts to V8's JSON", () => {
    const view = { enums: [{ name: "Kind", values: [{ name: "One", value: 1 }] }], when: new Date(0) };
    expect(viewKey(view)).toBe(`{"enums":${JSON.stringify(view.enums)},"when":${JSON.stringify(view.when)}}`);
  });
});

describe("hash", () => {
  it("is the first 16 hex digits of sha256, for short texts (remembered) and long ones alike", () => {
    for (const text of ["", "a", "a".repeat(4096), "a".repeat(4097), "é ✓ 😀"]) {
      const expected = createHash("sha256").update(text).digest("hex").slice(0, 16);
      expect(hash(text)).toBe(expected);
      expect(hash(text)).toBe(expected);
    }
    expect(hash(Buffer.from("a"))).toBe(hash("a"));
  });
});
