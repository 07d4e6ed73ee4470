import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { hardline, indent, join, unsure, type Doc } from "../../generator/emit/print/doc.js";
import {
  afterOperator,
  arrayLiteral,
  assignment,
  block,
  call,
  documented,
  exportDeclaration,
  importDeclaration,
  joinStatements,
  methodHead,
  objectLiteral,
  objectProperty,
  printModule,
  propertySignature,
  typeReference,
  union,
} from "../../generator/emit/print/typescript.js";
import { tsType, type TypeContext } from "../../generator/emit/typescript.js";
import { EMITTERS } from "../../generator/emit/registry.js";
import type { Emitter } from "../../generator/emit/emitter.js";
import type { GeneratedFile } from "../../generator/emit/generated-file.js";
import { prettierConfig } from "../../generator/format.js";
import type { TypeModel } from "../../generator/model.js";
import { generate } from "../../generator/pipeline.js";
import { snapshot, tempProject } from "../helpers/project.js";
import { prettierOutput } from "../helpers/prettier.js";
import { Random, randomSpecSet, writeSpecSet } from "../helpers/random.js";

/**
 * print/ claims to lay out our TypeScript exactly as prettier does, for any names a spec may hold.
 * These tests hold it to prettier on random input: names from 1 to 120 characters, so that lines
 * end on either side of the print width at every position of every construct.
 */

const { options } = prettierConfig();
const WIDTH = options.printWidth;

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const PART = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789_$`;

/** An identifier of 1 to `max` characters; an upper-case start keeps it clear of every keyword. */
const name = (r: Random, max = 120) => r.word(r.int(1, max), `${UPPER}_$`, PART);

/** `count` distinct identifiers. */
function names(r: Random, count: number, max = 120): string[] {
  const out = new Set<string>();
  while (out.size < count) out.add(name(r, max));
  return [...out];
}

/** A string literal prettier keeps as it is: double quotes, nothing to escape. */
const stringLiteral = (r: Random, max = 120) => JSON.stringify(r.word(r.int(1, max), PART, `${PART} -./`));

/** A few words of JSDoc, on one line or several. */
const jsdocText = (r: Random) =>
  Array.from({ length: r.int(1, 3) }, () => Array.from({ length: r.int(1, 12) }, () => r.word(r.int(1, 10), PART, PART)).join(" ")).join(r.chance(0.5) ? "\n" : "\n\n");

/** A type as the emitters write one (typescript.ts `tsType`): keywords, enums, arrays, nullables, child objects. */
function typeModel(r: Random, nested = false): TypeModel {
  const kinds: TypeModel["kind"][] = ["integer", "number", "string", "boolean", "datetime", "json", "unknown", "untyped", "enum", ...(nested ? [] : (["object", "object"] as const))];
  const kind = r.pick(kinds);
  const array = kind === "object" || r.chance(0.3);
  return {
    kind,
    array,
    nullable: r.chance(0.4),
    label: kind,
    ...(kind === "enum" ? { enumName: name(r) } : {}),
    ...(kind === "object" ? { properties: names(r, r.int(1, 5), 60).map((n) => ({ name: n, type: typeModel(r, true) })) } : {}),
  };
}

/** A type argument: a name, an array, a union of literals, or a type reference 1 or 2 deep with those inside. */
function typeArgument(r: Random, depth: number): Doc {
  const choice = r.int(0, depth < 2 ? 3 : 2);
  if (choice === 0) return name(r);
  if (choice === 1) return `${name(r, 60)}[]`;
  if (choice === 2) return union(Array.from({ length: r.int(2, 8) }, () => stringLiteral(r, 40)));
  return typeReference(name(r, 40), Array.from({ length: r.int(1, 3) }, () => typeArgument(r, depth + 1)));
}

/** What prettier makes of a TypeScript module. */
const prettierTs = (text: string, printWidth: number) => prettier.format(text, { ...options, printWidth, parser: "typescript", filepath: "x.ts" });

const overWidth = (text: string, printWidth: number) => text.split("\n").some((l) => [...l].length > printWidth);

/**
 * Prints `count` random modules of one construct and holds each to prettier: a module the printer
 * is sure of is prettier's output exactly; one it is not sure of has a line over the width, which
 * is what sends it to prettier. Returns how many were final.
 */
async function holdToPrettier(seed: number, count: number, make: (r: Random) => Doc, printWidth = WIDTH): Promise<number> {
  const r = new Random(seed);
  let final = 0;
  for (let i = 0; i < count; i++) {
    const printed = printModule("", make(r), printWidth);
    if (printed.final) {
      expect(printed.text, `case ${i} of seed ${seed}`).toBe(await prettierTs(printed.text, printWidth));
      final++;
    } else {
      expect(overWidth(printed.text, printWidth), `case ${i} of seed ${seed} is not final though every line fits:\n${printed.text}`).toBe(true);
    }
  }
  return final;
}

/** The constructs, each as the emitters put it in a module. */
const constructs: Record<string, (r: Random) => Doc> = {
  "imports and exports of 1 to 20 names": (r) => {
    const typeOnly = r.chance(0.3);
    const list = names(r, r.int(1, 20)).map((n) => (!typeOnly && r.chance(0.3) ? `type ${n}` : n));
    const from = `./${r.word(r.int(1, 80), "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0123456789-./")}.js`;
    return join(hardline, [importDeclaration(list, from, typeOnly), exportDeclaration(names(r, r.int(1, 20)), from, r.chance(0.3))]);
  },
  "type aliases of unions of 1 to 40 members": (r) => {
    const members = Array.from({ length: r.int(1, 40) }, () => r.pick([() => stringLiteral(r), () => name(r), () => `${name(r, 60)}[]`, () => "null", () => "undefined", () => "string"])());
    return [`export type ${name(r)} =`, afterOperator(union(members)), ";"];
  },
  "interfaces of property signatures: optional or required, simple, array, nullable and object types": (r) =>
    block(
      `export interface ${name(r)} {`,
      Array.from({ length: r.int(1, 6) }, () => {
        const context = r.pick<TypeContext>(["record", "input", "query"]);
        const type = tsType(typeModel(r), context);
        // Query parameters also take undefined, as types.ts writes them.
        return documented(r.chance(0.3) ? jsdocText(r) : undefined, propertySignature(name(r), context === "query" ? `${type} | undefined` : type, r.chance(0.5)));
      }),
    ),
  "interfaces extending Omit<Record, union of 1 to 40 names>": (r) => [
    `export interface ${name(r)} extends `,
    typeReference("Omit", [name(r), union(Array.from({ length: r.int(1, 40) }, () => stringLiteral(r, 80)))]),
    " {}",
  ],
  "type aliases of type references nested 1 or 2 deep, with unions inside": (r) => [assignment(`type ${name(r, 80)}`, typeReference(name(r, 60), Array.from({ length: r.int(1, 3) }, () => typeArgument(r, 1)))), ";"],
  "objects of literal properties and string arrays": (r) =>
    [
      assignment(
        `export const ${name(r)}`,
        block(
          "{",
          Array.from({ length: r.int(1, 8) }, () => {
            const key = name(r, r.pick([4, 8, 120]));
            if (r.chance(0.3)) return [objectProperty(key, arrayLiteral(Array.from({ length: r.int(0, 12) }, () => stringLiteral(r)))), ","];
            const literal = r.pick([() => stringLiteral(r), () => String(r.int(0, 99999)), () => `${r.int(0, 99)}.5`, () => "true", () => "false", () => "null", () => "-1"])();
            return [objectProperty(key, literal), ","];
          }),
          "}",
        ),
      ),
      ";",
    ],
  "objects of shorthand and renamed properties (operation tables)": (r) =>
    [assignment(`const ${name(r)}`, objectLiteral(Array.from({ length: r.int(0, 12) }, () => (r.chance(0.2) ? objectProperty(name(r, 40), name(r, 40)) : name(r, 60))))), ";"],
  "enum objects `as const`": (r) =>
    [assignment(`export const ${name(r)}`, block("{", names(r, r.int(1, 6)).map((n, i) => [`/** ${n} = ${i} */`, hardline, `${n}: ${i},`]), "} as const")), ";"],
  "classes of methods with 0 to 5 parameters, nested return types and calls": (r) => {
    const parameter = () => r.pick([() => `${name(r, 40)}: ${name(r, 80)}`, () => `${name(r, 40)}?: ${name(r, 80)}`, () => `${name(r, 40)}: ${name(r, 80)} = {}`, () => `${name(r, 40)}: readonly ${name(r, 60)}[]`])();
    const argument = () => r.pick([() => name(r, 80), () => "this.#transport"])();
    const methods = Array.from({ length: r.int(1, 3) }, () =>
      documented(r.chance(0.5) ? jsdocText(r) : undefined, [
        methodHead(name(r, 40), Array.from({ length: r.int(0, 5) }, parameter), r.chance(0.3) ? name(r) : typeReference(name(r, 60), Array.from({ length: r.int(1, 3) }, () => typeArgument(r, 1)))),
        indent([hardline, "return ", call(name(r, 80), Array.from({ length: r.int(0, 5) }, argument)), ";"]),
        hardline,
        "}",
      ]),
    );
    return block(`export class ${name(r)} {`, [join([hardline, hardline], ["readonly #transport: Transport;", ...methods])]);
  },
  "constructors assigning `new` instances": (r) =>
    block(`export class ${name(r)} {`, [
      block(
        "constructor(transport: Transport) {",
        Array.from({ length: r.int(1, 5) }, () => [assignment(`this.${name(r, 100)}`, call(`new ${name(r, 100)}`, Array.from({ length: r.int(0, 2) }, () => r.pick(["transport", "this.transport", name(r, 40)])))), ";"]),
      ),
    ]),
};

describe("print/ lays out each construct as prettier does, for names of any length", () => {
  for (const [index, [construct, make]] of Object.entries(constructs).entries()) {
    it(construct, async () => {
      const final = await holdToPrettier(1000 + index, 150, (r) => joinStatements([make(r), make(r)]));
      // The builders describe these constructs whole: nothing here is left to prettier.
      expect(final).toBe(150);
    });
  }

  it("follows the print width it is given (40 and 120 columns)", async () => {
    for (const printWidth of [40, 120]) {
      for (const [index, make] of Object.values(constructs).entries()) {
        expect(await holdToPrettier(2000 + index, 15, make, printWidth)).toBe(15);
      }
    }
  });

  it("is unsure of `unsure` text exactly when its line ends up over the width", async () => {
    const make = (r: Random) =>
      joinStatements(
        Array.from({ length: r.int(1, 4) }, () =>
          r.chance(0.5)
            ? unsure(`const ${name(r, 60)} = ${name(r, 60)}(${names(r, r.int(0, 3), 30).join(", ")});`)
            : [`export type ${name(r, 60)} =`, afterOperator(union(Array.from({ length: r.int(1, 6) }, () => stringLiteral(r, 30)))), ";"],
        ),
      );
    const final = await holdToPrettier(3000, 200, make);
    // Both outcomes happen: short unsure lines are sure, long ones are not.
    expect(final).toBeGreaterThan(20);
    expect(final).toBeLessThan(180);
  });
});

/** The registry's emitters, recording whether each TypeScript or Markdown file they print is final. */
function recording(finals: Map<string, boolean>): Emitter[] {
  const record = (files: GeneratedFile[]) => {
    for (const file of files) if (file.parser === "typescript" || file.parser === "markdown") finals.set(file.path, file.final === true);
    return files;
  };
  return EMITTERS.map((emitter) => ({
    ...emitter,
    ...(emitter.entity ? { entity: (...args: Parameters<NonNullable<Emitter["entity"]>>) => record(emitter.entity!(...args)) } : {}),
    ...(emitter.emit ? { emit: async (...args: Parameters<NonNullable<Emitter["emit"]>>) => record(await emitter.emit!(...args)) } : {}),
  }));
}

describe("a package generated from specs of random long names", () => {
  it(
    "is prettier's output in every TypeScript and Markdown file, and printed final without prettier",
    async () => {
      for (const [seed, maxName] of [
        [7, 110],
        [8, 45],
      ] as const) {
        const project = await tempProject({ specs: [] });
        try {
          const set = randomSpecSet(new Random(seed), 4, maxName);
          await writeSpecSet(project.options.specsDir, set);
          const finals = new Map<string, boolean>();
          await generate(project.options, recording(finals));
          let typescript = 0;
          let final = 0;
          for (const [relative, content] of await snapshot(project.options.outDir)) {
            // The copied runtime is checked where it is written (prettier-output.test.ts).
            if (!/\.(ts|md)$/.test(relative) || content.startsWith("// Copied by nexudus-codegen")) continue;
            const expected = await prettierOutput(relative, content);
            if (expected === null) continue;
            expect(content, `${relative} (entities ${set.entities.join(", ")})`).toBe(expected);
            // A JSDoc ends with its text, not with blank lines.
            expect(content, relative).not.toMatch(/\*\n\s*\*\//);
            if (relative.endsWith(".ts")) {
              typescript++;
              if (finals.get(relative)) final++;
            }
          }
          // An area module (types, resources and the area's class) per area, the enums, client, index, testing manifest and entry.
          expect(typescript).toBeGreaterThanOrEqual(6);
          expect(final).toBe(typescript);
        } finally {
          await project.cleanup();
        }
      }
    },
    60_000,
  );
});
