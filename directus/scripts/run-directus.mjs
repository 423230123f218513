/**
 * Bootstraps (install or migrate, idempotent) and starts a Directus process with a given env, and
 * waits until it answers. Used by the dev command and by the tests. Builds our extensions first
 * (build-extensions.mjs, well under a second), so Directus never loads a stale or missing dist.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildExtensions } from "./build-extensions.mjs";

const DIRECTUS_BIN = fileURLToPath(new URL("../node_modules/directus/cli.js", import.meta.url));

function run(args, env, cwd, onOutput) {
  const child = spawn(process.execPath, [DIRECTUS_BIN, ...args], {
    cwd,
    // Only what we pass: a developer's shell variables must not reconfigure Directus by accident.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => onOutput(String(d)));
  child.stderr.on("data", (d) => onOutput(String(d)));
  return child;
}

export async function waitForHealth(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/server/ping`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Directus did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * @param {{ env: Record<string,string>, dataDir: string, onOutput?: (s: string) => void }} o
 * @returns {Promise<{ url: string, child: import("node:child_process").ChildProcess, stop: () => Promise<void> }>}
 */
export async function startDirectus({ env, dataDir, onOutput = () => {} }) {
  mkdirSync(path.join(dataDir, "uploads"), { recursive: true });
  // Our extensions load from EXTENSIONS_PATH (directus/extensions, see directus-env.mjs). Directus
  // also reads the package.json in its working folder for extensions installed as npm dependencies;
  // without that file it fails to load any extension at all, so give it an empty one.
  const pkg = path.join(dataDir, "package.json");
  if (!existsSync(pkg)) writeFileSync(pkg, '{ "name": "directus-data", "private": true }\n');
  try {
    await buildExtensions();
  } catch (err) {
    throw new Error(
      `could not build the Directus extensions (run \`npm run setup\`, or \`npm run build --prefix directus\` to see the error): ${err.message}`,
    );
  }
  let output = "";
  const collect = (s) => {
    output = (output + s).slice(-20_000);
    onOutput(s);
  };

  const bootstrap = run(["bootstrap"], env, dataDir, collect);
  const code = await new Promise((resolve) => bootstrap.on("exit", resolve));
  if (code !== 0) throw new Error(`directus bootstrap failed (exit ${code}):\n${output}`);

  const child = run(["start"], env, dataDir, collect);
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const url = `http://127.0.0.1:${env.PORT}`;
  await Promise.race([
    waitForHealth(url),
    exited.then((c) => {
      throw new Error(`directus start exited (${c}) before answering:\n${output}`);
    }),
  ]);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { url, child, stop };
}
