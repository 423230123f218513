/**
 * Builds our Directus extensions: for every folder in directus/extensions whose package.json has a
 * "directus:extension" manifest, bundles its `source` (TypeScript) into its `path` (dist/…, gitignored)
 * with esbuild.
 *
 *   npm run build --prefix directus      (npm run setup runs it)
 *
 * It takes well under a second, so run-directus.mjs runs it before every start: `npm run dev` and the
 * tests never load a stale dist. The Directus image (directus/Dockerfile) runs it in a build stage.
 * An unchanged output is not rewritten, and a changed one is replaced atomically (write, then rename),
 * so a Directus starting at the same moment never imports a half-written file.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMain } from "./is-main.mjs";

export const EXTENSIONS_DIR = fileURLToPath(new URL("../extensions", import.meta.url));

/** The extension folders and their manifests (folders without one are skipped, as Directus does). */
export function listExtensions(dir = EXTENSIONS_DIR) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => path.join(dir, e.name))
    .filter((folder) => existsSync(path.join(folder, "package.json")))
    .map((folder) => {
      const pkg = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8"));
      return { folder, name: path.basename(folder), manifest: pkg["directus:extension"] };
    })
    .filter((e) => e.manifest && typeof e.manifest.source === "string");
}

/**
 * @param {{ dir?: string }} [o]
 * @returns {Promise<Array<{ name: string, output: string, changed: boolean }>>}
 */
export async function buildExtensions({ dir = EXTENSIONS_DIR } = {}) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new Error(
      "esbuild is not installed in directus/node_modules: run `npm run setup` (or `npm install --prefix directus`)",
    );
  }
  const built = [];
  for (const { folder, name, manifest } of listExtensions(dir)) {
    const output = path.join(folder, manifest.path);
    const result = await esbuild.build({
      // Paths in the output are relative to this: the same bundle whatever the working directory.
      absWorkingDir: folder,
      entryPoints: [path.join(folder, manifest.source)],
      bundle: true,
      platform: "node",
      format: "esm",
      // The oldest Node that runs Directus here (engines in package.json); the image has Node 22.
      target: "node20",
      write: false,
      outfile: output,
      logLevel: "silent",
      // Directus's own modules (see customer-api/src/directus-internals.ts): resolved at run time, so
      // they are the instances Directus runs, never a bundled copy.
      external: ["@directus/api", "@directus/api/*"],
      legalComments: "none",
    });
    const code = result.outputFiles[0].contents;
    const changed = !existsSync(output) || !Buffer.from(code).equals(readFileSync(output));
    if (changed) {
      mkdirSync(path.dirname(output), { recursive: true });
      const tmp = `${output}.${process.pid}.tmp`;
      writeFileSync(tmp, code);
      renameSync(tmp, output);
    }
    built.push({ name, output, changed });
  }
  return built;
}

if (isMain(import.meta.url)) {
  buildExtensions().then(
    (built) => {
      for (const b of built)
        console.log(
          `extension ${b.name}: ${path.relative(process.cwd(), b.output)}${b.changed ? "" : " (unchanged)"}`,
        );
    },
    (err) => {
      console.error(`build-extensions failed: ${err.message}`);
      process.exit(1);
    },
  );
}
