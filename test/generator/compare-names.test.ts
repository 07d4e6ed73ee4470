import { describe, expect, it } from "vitest";
import { compareNames } from "../../generator/names.js";
import { Random } from "../helpers/random.js";

/** compareNames stands in for localeCompare in the model's orders: it must give the same sign on every pair. */
describe("compareNames", () => {
  it("orders as localeCompare does, on random names of letters and digits and on others", () => {
    const random = new Random(10);
    // Few characters, short names: many pairs equal but for case, or one a prefix of the other.
    const alphabets = ["aAbBzZ09", "aAbB", "xyzXYZ0123456789", "aA_-. é1"];
    for (let i = 0; i < 20_000; i++) {
      const alphabet = random.pick(alphabets);
      const name = () => Array.from({ length: random.int(0, 6) }, () => random.pick([...alphabet])).join("");
      const [a, b] = [name(), name()];
      expect(compareNames(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(Math.sign(a.localeCompare(b)));
    }
  });

  it("sorts entity-like names as localeCompare sorts them", () => {
    const names = ["CoworkerTimePass", "coworkerTimePass", "Coworker", "CoworkerTimePasses", "Resource2", "Resource10", "resource", "RESOURCE", "Api", "apI", "Z", "a", "0", ""];
    expect([...names].sort(compareNames)).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });
});
