/** Reads and writes the simple KEY=value files Next.js uses (.env.local). */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseEnvFile(text) {
  /** @type {Record<string, string>} */
  const values = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return values;
}

/**
 * Makes sure `file` exists (copied from `template`) and that every key in `generators` has a value,
 * generating the missing ones in place. Returns the file's values and the keys it generated.
 * @param {string} file
 * @param {string} template
 * @param {Record<string, () => string>} generators
 * @returns {{ values: Record<string, string>, generated: string[] }}
 */
export function ensureEnvFile(file, template, generators) {
  let text = existsSync(file) ? readFileSync(file, "utf8") : readFileSync(template, "utf8");
  const generated = [];
  for (const [key, generate] of Object.entries(generators)) {
    const current = parseEnvFile(text)[key];
    if (current) continue;
    const line = `${key}=${generate()}`;
    const pattern = new RegExp(`^\\s*${key}\\s*=.*$`, "m");
    text = pattern.test(text)
      ? text.replace(pattern, line)
      : `${text.replace(/\n?$/, "\n")}${line}\n`;
    generated.push(key);
  }
  if (generated.length > 0 || !existsSync(file)) writeFileSync(file, text, { mode: 0o600 });
  return { values: parseEnvFile(text), generated };
}
