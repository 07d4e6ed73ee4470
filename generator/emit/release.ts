import { CHANGELOG_FILE, planRelease, RELEASE_STATE_FILES, SURFACE_FILE } from "../release.js";
import { buildSurface, readReleaseApi } from "../surface.js";
import { producedFile } from "../write.js";
import type { Emitter } from "./emitter.js";

/**
 * The version and changelog entry, from the surface manifest on disk and what the emitters
 * before it produced (see docs/publishing.md); the package emitter after it reads the version.
 */
export const releaseEmitter: Emitter = {
  name: "release",
  async emit(model, context) {
    const { folder, produced, specs, memos } = context;
    // The manifest on disk is the one this generator wrote (the memo has its hash): its unchanged entities are taken as they are.
    const written = memos.get(SURFACE_FILE) as string | undefined;
    const known = written !== undefined && (await folder.hashOf(SURFACE_FILE)) === written;
    // A watching process that printed that very manifest has it still: the file is not read.
    const remembered = known && context.session?.manifest.last?.digest === written;
    const state = new Map<string, string>();
    for (const file of RELEASE_STATE_FILES) {
      if (remembered && file === SURFACE_FILE) continue;
      const text = await folder.read(file);
      if (text !== undefined) state.set(file, text);
    }
    // The output folder as the run found it holds the files the manifest describes.
    const release = await planRelease(
      model,
      (previous) => buildSurface(model, specs, produced, known ? previous : undefined),
      state,
      (previous, surface) => readReleaseApi(model, previous, surface, produced, (file) => folder.read(file)),
      context.session?.manifest,
      known,
      known ? written : undefined,
    );
    // Known by its digest (release.ts), which the output's record takes as its hash.
    memos.set(SURFACE_FILE, producedFile(release.files.find((file) => file.path === SURFACE_FILE)!).hash);
    context.release = release;
    return release.files;
  },
  packageFiles: [CHANGELOG_FILE],
};
