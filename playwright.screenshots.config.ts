import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * `npm run screenshots`: redraws docs/screenshots/ (every page at phone and desktop width, light and
 * dark, and the two emails) against the same stack as the e2e suite. Not part of `npm test`: it
 * checks nothing, it only draws.
 */
export default defineConfig({
  ...base,
  testDir: "tests/screenshots",
  reporter: [["list"]],
  timeout: 300_000,
  projects: [{ name: "screenshots" }],
});
