import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hash } from "../../generator/cache.js";

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
