import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { isMap, isScalar, parseDocument, type Document } from "yaml";
import { formatDiagnostics, type Diagnostic } from "../diagnostics.js";
import { COMMON_SPEC, displayPath, entry, loadSpecs, parseSpec, plain, type LoadedSpec } from "../load.js";
import { OPERATION_NAMES } from "../model.js";
import { validateSpecs } from "../validate.js";
import { MergeConflict, mergeDraft, newSpecDocument, renderSpec, setDocsStatus } from "./merge.js";
import { PageError, parsePage, type ParsedPage } from "./parse-page.js";
import { NO_LISTING_PAGE, pageToDraft, type ImportContext, type ImportWarning, type KnownEnum } from "./to-spec.js";

/** What to import, and where. */
export interface ImportOptions {
  /** Page files: plain text copied from the browser, or Markdown. */
  pages: readonly string[];
  /** The specs folder to write into (it must hold common.yaml). */
  specsDir: string;
  /** Compute and validate, but write nothing. */
  dryRun?: boolean;
}

/** One spec file the import created or merged into. */
export interface ImportedFile {
  /** Path relative to the specs folder: `billing/coworkertimepasses.yaml`. */
  name: string;
  /** Path as shown to the user. */
  file: string;
  created: boolean;
  /** The spec's text is the same as before the import. */
  unchanged: boolean;
  changes: string[];
  text: string;
}

/** The spec files of an import and its warnings. */
export interface ImportResult {
  files: ImportedFile[];
  warnings: ImportWarning[];
}

/** The import could not be done; nothing was written. Every problem of the run is listed. */
export class ImportError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`${problems.join("\n")}\nnothing was written.`);
    this.name = "ImportError";
  }
}

/**
 * Imports docs pages into specs: parses every page, turns each into the spec it determines,
 * merges those into the spec files (new or existing) and checks the result with the generator's
 * own validator. Files are written only when every page read and every spec validates.
 */
export async function importPages(options: ImportOptions): Promise<ImportResult> {
  const problems: string[] = [];
  const pages: ParsedPage[] = [];
  for (const page of options.pages) {
    const file = displayPath(path.resolve(page));
    try {
      pages.push(parsePage(await readFile(page, "utf8"), file));
    } catch (error) {
      if (error instanceof PageError) problems.push(error.message);
      else if ((error as NodeJS.ErrnoException).code === "ENOENT") problems.push(`${file}: no such file`);
      else throw error;
    }
  }
  if (problems.length > 0) throw new ImportError(problems);

  const specsDir = path.resolve(options.specsDir);
  if (!existsSync(path.join(specsDir, COMMON_SPEC))) {
    throw new ImportError([`${displayPath(path.join(specsDir, COMMON_SPEC))} not found: --out must be the specs folder, which holds common.yaml (the base fields and shared enums)`]);
  }
  const before: Diagnostic[] = [];
  const loaded = await loadSpecs(specsDir, before);
  validateSpecs(loaded, before);
  const context = contextOf(loaded, pages);
  const warnings: ImportWarning[] = [];

  // One spec per endpoint; its pages merge in operation order so the listing page leads.
  const byTarget = new Map<string, ParsedPage[]>();
  for (const page of pages) {
    const target = `${page.area}/${page.segment}.yaml`;
    byTarget.set(target, [...(byTarget.get(target) ?? []), page]);
  }
  const files: ImportedFile[] = [];
  for (const [name, targetPages] of byTarget) {
    targetPages.sort((a, b) => OPERATION_NAMES.indexOf(a.operation) - OPERATION_NAMES.indexOf(b.operation));
    const existing = loaded.find((s) => s.name === name);
    const absolute = path.join(specsDir, name);
    let doc: Document;
    if (existing) {
      doc = parseDocument(existing.text);
      if (doc.errors.length > 0 || !isMap(doc.contents)) {
        problems.push(`${existing.file}: does not parse as a spec; fix it before importing into it`);
        continue;
      }
    } else doc = newSpecDocument();
    context.existingTypes = existing ? existingTypes(doc) : undefined;
    context.linkedFields = targetPages.flatMap((p) => p.enumLinks);
    const changes: string[] = [];
    const missing = new Set<string>();
    for (const page of targetPages) {
      const draft = pageToDraft(page, context);
      warnings.push(...draft.warnings);
      for (const item of draft.missing) missing.add(item);
      try {
        const merged = mergeDraft(doc, draft);
        changes.push(...merged.changes);
        warnings.push(...merged.warnings);
      } catch (error) {
        if (!(error instanceof MergeConflict)) throw error;
        problems.push(`${page.file}: ${error.message}`);
      }
    }
    if (!existing) {
      if (targetPages.some((p) => p.operation === "list")) missing.delete(NO_LISTING_PAGE);
      setDocsStatus(doc, [...missing]);
    }
    const text = renderSpec(doc);
    files.push({ name, file: displayPath(absolute), created: !existing, unchanged: existing?.text === text, changes, text });
  }
  if (problems.length > 0) throw new ImportError(problems);
  await checkAndWrite({ loaded, files, specsDir, before, dryRun: options.dryRun === true, warnings });
  return { files, warnings };
}

/**
 * Validates specs/ as it would be after an import, with the generator's own validator, and writes
 * the changed files only when the import introduced no error.
 */
export async function checkAndWrite(run: {
  loaded: readonly LoadedSpec[];
  files: readonly ImportedFile[];
  specsDir: string;
  /** The diagnostics of specs/ before the import, which the import is not blamed for. */
  before: readonly Diagnostic[];
  dryRun: boolean;
  warnings: ImportWarning[];
}): Promise<void> {
  const { loaded, files, specsDir, before, warnings } = run;
  const after: Diagnostic[] = [];
  const replaced = new Set(files.map((f) => f.name));
  const next: LoadedSpec[] = [
    ...loaded.filter((s) => !replaced.has(s.name)),
    ...files.map((f) => parseSpec(f.name, f.file, f.text, after)),
  ];
  validateSpecs(next, after);
  const known = new Set(before.map((d) => `${d.file}\u0000${d.message}`));
  const introduced = after.filter((d) => replaced.has(nameOf(d.file, specsDir)) || !known.has(`${d.file}\u0000${d.message}`));
  if (introduced.length > 0) {
    throw new ImportError([
      "the imported specs do not validate:",
      formatDiagnostics(introduced).replace(/\n[^\n]*generated\/ was left as it was\.$/, ""),
    ]);
  }
  if (before.length > 0) {
    warnings.push({ file: displayPath(specsDir), message: `${before.length} error(s) in other specs, not caused by this import; \`npm run generate\` lists them` });
  }

  if (!run.dryRun) {
    for (const file of files.filter((f) => !f.unchanged)) {
      const absolute = path.join(specsDir, file.name);
      await mkdir(path.dirname(absolute), { recursive: true });
      await writeFile(absolute, file.text);
    }
  }
}

function nameOf(file: string, specsDir: string): string {
  return path.relative(specsDir, path.resolve(file)).split(path.sep).join("/");
}

/** Base fields, every enum, and every type name entities already take, from the loaded specs. */
function contextOf(specs: readonly LoadedSpec[], pages: readonly ParsedPage[]): ImportContext {
  const baseFields = new Set<string>();
  const enums = new Map<string, KnownEnum>();
  const taken = new Set<string>();
  const addEntity = (entity: string) => {
    for (const suffix of ["", "ListingRecord", "Create", "Query", "OrderBy"]) taken.add(`${entity}${suffix}`);
  };
  for (const spec of specs) {
    if (spec.root?.kind !== "map") continue;
    if (spec.name === COMMON_SPEC) {
      const base = entry(spec.root, "baseFields")?.value;
      if (base?.kind === "map") for (const e of base.entries) baseFields.add(e.key);
    }
    const entity = entry(spec.root, "entity")?.value;
    if (entity?.kind === "scalar" && typeof entity.value === "string") addEntity(entity.value);
    const enumsNode = entry(spec.root, "enums")?.value;
    if (enumsNode?.kind !== "map") continue;
    for (const e of enumsNode.entries) {
      const raw = plain(e.value) as { nexudusName?: unknown; values?: unknown };
      const values = typeof raw.values === "object" && raw.values !== null ? Object.entries(raw.values as Record<string, unknown>) : [];
      enums.set(e.key, {
        name: e.key,
        ...(typeof raw.nexudusName === "string" ? { nexudusName: raw.nexudusName } : {}),
        values: values.filter((v): v is [string, number] => typeof v[1] === "number").map(([name, value]) => ({ name, value })),
      });
    }
  }
  for (const page of pages) addEntity(page.entity);
  return { baseFields, enums, takenTypeNames: taken };
}

/** `field:<Name>` / `filter:<Name>` -> type, from the spec being merged into. */
function existingTypes(doc: Document): Map<string, string> {
  const types = new Map<string, string>();
  for (const [section, prefix] of [["fields", "field"], ["filters", "filter"]] as const) {
    const map = doc.get(section);
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const value = isMap(pair.value) ? pair.value.get("type") : isScalar(pair.value) ? pair.value.value : undefined;
      if (typeof value === "string") types.set(`${prefix}:${String(pair.key.value)}`, value);
    }
  }
  return types;
}
