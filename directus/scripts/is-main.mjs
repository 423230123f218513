import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * Whether the module at `moduleUrl` is the script Node was started with, rather than imported by
 * another module (the dev command and the tests import these scripts; compose and npm run them).
 * @param {string} moduleUrl  the caller's import.meta.url
 */
export function isMain(moduleUrl) {
  try {
    return moduleUrl === pathToFileURL(realpathSync(process.argv[1] ?? "")).href;
  } catch {
    return false;
  }
}
