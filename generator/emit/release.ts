import { CHANGELOG_FILE, planRelease } from "../release.js";
import { buildSurface } from "../surface.js";
import type { Emitter } from "./emitter.js";

/**
 * The version and changelog entry, from the surface manifest on disk and what the emitters
 * before it produced (see docs/publishing.md); the package emitter after it reads the version.
 */
export const releaseEmitter: Emitter = {
  name: "release",
  emit(model, context) {
    const release = planRelease(model, (previous) => buildSurface(model, context.specs, context.emitted, previous), context.existing);
    context.release = release;
    return release.files;
  },
  packageFiles: [CHANGELOG_FILE],
};
