/**
 * Cold set-up, as a new developer meets it: clone the repository's HEAD into a temporary folder, run the
 * README's `npm run setup` with an EMPTY npm cache, then `npm run dev`, and time until `GET /login`
 * answers 200. Then stop everything it started and delete the folder (unless --keep).
 *
 *   npm run bench -- --cold        (or: node bench/cold-setup.mjs [--keep])
 *
 * Takes about 6 minutes and downloads about 750 MB from the npm registry the machine is configured with.
 * Uncommitted changes are not part of the clone: it measures HEAD. The README's default ports are used
 * when they are free; when something (a developer's own `npm run dev`) holds one, .env.local in the
 * clone gets free ports instead, before `npm run dev` fills in its secrets as usual.
 * Writes bench/results/cold-latest.json and a copy named by time and git sha.
 * One script on purpose: it must run with nothing but Node from a fresh clone, before any install.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL("results", import.meta.url));
const keep = process.argv.includes("--keep");
const SETUP_TIMEOUT_MS = 20 * 60_000;
const DEV_TIMEOUT_MS = 6 * 60_000;
const TARGET_SECONDS = 8 * 60;

const t0 = Date.now();
const log = (m) =>
  process.stderr.write(`[cold ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${m}\n`);

/** Processes this script started, as process groups (detached), so each can be stopped whole. */
const groups = new Set();
let workDir;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether any process of the group led by `pgid` is still there. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole group (npm, node scripts/dev.mjs, maildev, Directus, next dev…), SIGKILL after a while. */
async function stopGroup(child, timeoutMs = 20_000) {
  const pgid = child.pid;
  if (!pgid || !groupAlive(pgid)) return;
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(200);
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
  while (groupAlive(pgid) && Date.now() < deadline + 5_000) await sleep(200);
}

let logFile;
let logClosed = false;
function appendLog(d) {
  if (!logFile || logClosed) return;
  try {
    appendLog(d);
  } catch {
    // the folder is being removed
  }
}

async function cleanUp() {
  for (const child of groups) await stopGroup(child);
  groups.clear();
  logClosed = true;
  if (workDir && !keep) rmSync(workDir, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

/** Runs a command in its own process group; resolves with its exit code and the last 20 kB of output. */
function run(command, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    groups.add(child);
    let output = "";
    const collect = (d) => {
      output = (output + d).slice(-20_000);
      appendLog(d);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      output += `\n(timed out after ${timeoutMs / 1000} s)`;
      void stopGroup(child);
    }, timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      groups.delete(child);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The README's ports when all are free; otherwise free ones written into the clone's .env.local. */
async function choosePorts(repo) {
  const defaults = { app: 3000, directus: 8055, smtp: 1025, mailUi: 1080 };
  const free = await Promise.all(Object.values(defaults).map(portIsFree));
  if (free.every(Boolean)) return { ...defaults, changed: false };
  const ports = {
    app: await freePort(),
    directus: await freePort(),
    smtp: await freePort(),
    mailUi: await freePort(),
  };
  const example = readFileSync(path.join(repo, ".env.local.example"), "utf8");
  const set = (text, key, value) => text.replace(new RegExp(`^${key}=.*$`, "m"), `${key}=${value}`);
  let text = set(example, "NEXTAUTH_URL", `http://localhost:${ports.app}`);
  text = set(text, "DIRECTUS_URL", `http://127.0.0.1:${ports.directus}`);
  text = set(text, "MAIL_SMTP_PORT", String(ports.smtp));
  text = set(text, "MAIL_UI_PORT", String(ports.mailUi));
  writeFileSync(path.join(repo, ".env.local"), text, { mode: 0o600 });
  return { ...ports, changed: true };
}

async function waitFor200(url, deadline, exited) {
  let done = false;
  exited.then(() => (done = true));
  while (Date.now() < deadline && !done) {
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(60_000) });
      await res.arrayBuffer();
      if (res.status === 200) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function main() {
  const startedAt = new Date();
  const sha = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], {
    cwd: ROOT,
    encoding: "utf8",
  }).stdout.trim();
  workDir = mkdtempSync(path.join(process.env.BENCH_TMPDIR ?? os.tmpdir(), "customer-auth-cold-"));
  const repo = path.join(workDir, "repo");
  const cache = path.join(workDir, "npm-cache");
  mkdirSync(cache);
  logFile = path.join(workDir, "cold.log");
  // Not the npm_* variables of an enclosing `npm run bench` (npm_config_local_prefix would point the
  // clone's npm at this repository); the user's and global npmrc still apply, as for a new developer.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)),
  );
  env.npm_config_cache = cache;
  env.NEXT_TELEMETRY_DISABLED = "1";
  const result = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    git: { sha },
    machine: { cores: os.cpus().length, node: process.version, loadAverageAtStart: os.loadavg() },
    npmCache: "empty (npm_config_cache pointed at a new folder)",
    ok: false,
  };

  log(`cloning ${sha} into ${repo}`);
  const t1 = performance.now();
  const clone = await run("git", ["clone", "--quiet", "--no-hardlinks", ROOT, repo], {
    cwd: workDir,
    env,
    timeoutMs: 120_000,
  });
  if (clone.code !== 0) throw new Error(`git clone failed:\n${clone.output}`);
  result.cloneSeconds = (performance.now() - t1) / 1000;

  log("npm run setup (empty cache)");
  const t2 = performance.now();
  const setup = await run("npm", ["run", "setup"], {
    cwd: repo,
    env,
    timeoutMs: SETUP_TIMEOUT_MS,
  });
  result.setupSeconds = (performance.now() - t2) / 1000;
  if (setup.code !== 0)
    throw new Error(`npm run setup failed (exit ${setup.code}):\n${setup.output.slice(-4000)}`);
  log(`setup took ${result.setupSeconds.toFixed(0)} s`);

  const ports = await choosePorts(repo);
  result.ports = ports;
  log(
    `npm run dev${ports.changed ? ` (default ports busy: app on ${ports.app})` : ""}; waiting for GET /login → 200`,
  );
  const t3 = performance.now();
  let devOutput = "";
  const dev = spawn("npm", ["run", "dev"], {
    cwd: repo,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  groups.add(dev);
  const collect = (d) => {
    devOutput = (devOutput + d).slice(-20_000);
    appendLog(d);
  };
  dev.stdout.on("data", collect);
  dev.stderr.on("data", collect);
  const exited = new Promise((resolve) => dev.once("exit", resolve));
  const answered = await waitFor200(
    `http://127.0.0.1:${ports.app}/login`,
    Date.now() + DEV_TIMEOUT_MS,
    exited,
  );
  result.devToLoginSeconds = (performance.now() - t3) / 1000;
  await stopGroup(dev);
  groups.delete(dev);
  if (!answered)
    throw new Error(`npm run dev never answered 200 on /login:\n${devOutput.slice(-4000)}`);

  result.totalSeconds = result.cloneSeconds + result.setupSeconds + result.devToLoginSeconds;
  result.targetSeconds = TARGET_SECONDS;
  result.pass = result.totalSeconds < TARGET_SECONDS;
  result.ok = true;
  result.finishedAt = new Date().toISOString();

  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/[:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const json = `${JSON.stringify(result, null, 2)}\n`;
  for (const name of ["cold-latest.json", `cold-${stamp}-${sha}.json`])
    writeFileSync(path.join(RESULTS_DIR, name), json);

  const row = (a, b) => `| ${a.padEnd(34)} | ${b.padStart(8)} |`;
  console.log(`\nCold set-up of ${sha} — ${os.cpus().length} cores, Node ${process.version}\n`);
  console.log(row("step", "seconds"));
  console.log(`|${"-".repeat(36)}|${"-".repeat(10)}|`);
  console.log(row("git clone", result.cloneSeconds.toFixed(0)));
  console.log(row("npm run setup (empty npm cache)", result.setupSeconds.toFixed(0)));
  console.log(row("npm run dev → GET /login 200", result.devToLoginSeconds.toFixed(0)));
  console.log(row("total", result.totalSeconds.toFixed(0)));
  console.log(`\nTarget < ${TARGET_SECONDS} s: ${result.pass ? "PASS" : "MISS"}`);
  console.log(`Written: bench/results/cold-latest.json${keep ? `; clone kept in ${repo}` : ""}`);
  if (existsSync(logFile) && keep) console.log(`Log: ${logFile}`);
}

main()
  .catch((err) => {
    console.error(`\ncold set-up failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
