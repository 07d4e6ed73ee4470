import { CHANGELOG_FILE, planRelease, RELEASE_STATE_FILES } from "../release.js";
import { buildSurface, readReleaseApi } from "../surface.js";
import type { Emitter } from "./emitter.js";

/**
 * The version and changelog entry, from the surface manifest on disk and what the emitters
 * before it produced (see docs/publishing.md); the package emitter after it reads the version.
 */
export const releaseEmitter: Emitter = {
  name: "release",
  async emit(model, context) {
    const { folder, produced, specs } = context;
    const state = new Map<string, string>();
    for (const file of RELEASE_STATE_FILES) {
      const text = await folder.read(file);
      if (text !== undefined) state.set(file, text);
    }
    const surface = buildSurface(model, specs, produced);
    // The output folder as the run found it holds the files the manifest describes.
    const release = await planRelease(
      model,
      surface,
      state,
      (previous) => readReleaseApi(model, previous, surface, produced, (file) => folder.read(file)),
      context.session?.manifest,
    );
    context.release = release;
    return release.files;
  },
  packageFiles: [CHANGELOG_FILE],
};
