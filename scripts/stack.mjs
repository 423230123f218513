/**
 * Starts the backend the app needs — a mail catcher, Directus, and provisioning — for the dev command
 * and for the tests, so that both run the very same way.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { directusEnv } from "../directus/scripts/directus-env.mjs";
import { formatReport, provision } from "../directus/scripts/provision.mjs";
import { startDirectus } from "../directus/scripts/run-directus.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAILDEV_BIN = path.join(ROOT, "node_modules/maildev/dist/bin/maildev.js");

export { formatReport };

export const secret = (bytes = 32) => randomBytes(bytes).toString("base64url");

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function waitForUrl(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * Spawns a long-running child and returns a stop() that waits for it to exit.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env: NodeJS.ProcessEnv, cwd?: string, onOutput?: (s: string) => void }} options
 */
export function spawnService(command, args, { env, cwd = ROOT, onOutput = () => {} }) {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => onOutput(String(d)));
  child.stderr.on("data", (d) => onOutput(String(d)));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, exited, stop };
}

/** maildev: SMTP for Directus, a web UI for people and a REST API (/api/email) for tests. */
export async function startMailCatcher({ smtpPort, webPort, mailDir, onOutput }) {
  mkdirSync(mailDir, { recursive: true });
  const service = spawnService(
    process.execPath,
    [
      MAILDEV_BIN,
      "--smtp",
      String(smtpPort),
      "--web",
      String(webPort),
      "--ip",
      "127.0.0.1",
      "--web-ip",
      "127.0.0.1",
      "--mail-directory",
      mailDir,
    ],
    { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" }, onOutput },
  );
  const webUrl = `http://127.0.0.1:${webPort}`;
  await Promise.race([
    waitForUrl(`${webUrl}/api/healthz`),
    service.exited.then((code) => {
      throw new Error(
        `the mail catcher exited (${code}); is port ${smtpPort} or ${webPort} taken?`,
      );
    }),
  ]);
  return { smtpPort, webUrl, stop: service.stop };
}

const requireFromDirectus = createRequire(path.join(ROOT, "directus/package.json"));

/** Postgres connection settings for the Postgres lane (127.0.0.1:5432, trust auth on dev and CI machines). */
export function postgresSettings() {
  return {
    host: process.env.PGHOST ?? "127.0.0.1",
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? "postgres",
    password: process.env.PGPASSWORD,
  };
}

/** Runs one statement on the maintenance database with the `pg` client Directus ships. */
async function postgresAdmin(sql) {
  const { Client } = requireFromDirectus("pg");
  const client = new Client({
    ...postgresSettings(),
    database: "postgres",
    connectionTimeoutMillis: 3_000,
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function postgresReachable() {
  try {
    await postgresAdmin("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

/** A fresh, uniquely named database for one test run; `drop()` removes it. */
export async function createPostgresDatabase(prefix = "customer_auth_test") {
  const database = `${prefix}_${randomBytes(6).toString("hex")}`;
  await postgresAdmin(`CREATE DATABASE "${database}"`);
  return {
    db: { client: "pg", ...postgresSettings(), database },
    drop: () => postgresAdmin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
  };
}

/**
 * Directus, bootstrapped and provisioned.
 * @param {object} o
 * @param {string} o.dataDir
 * @param {number} o.port
 * @param {string} o.appUrl
 * @param {{ secret: string, adminEmail: string, adminPassword: string }} o.secrets
 * @param {number} o.smtpPort
 * @param {object} [o.db]
 * @param {string} [o.sessionTtl]  the customers' idle session lifetime (directus-env.mjs; default 7d)
 * @param {number} [o.passwordMinLength]  the app's PASSWORD_MIN_LENGTH, which Directus's password
 *   policy repeats (provision.mjs; default 12)
 * @param {string} [o.projectName]  the app's APP_NAME, which names the project in emails (provision.mjs)
 * @param {Record<string,string>} [o.extraEnv]
 * @param {(s: string) => void} [o.onOutput]
 */
export async function startProvisionedDirectus(o) {
  mkdirSync(o.dataDir, { recursive: true });
  const env = directusEnv({
    publicUrl: `http://127.0.0.1:${o.port}`,
    appUrl: o.appUrl,
    secret: o.secrets.secret,
    adminEmail: o.secrets.adminEmail,
    adminPassword: o.secrets.adminPassword,
    port: o.port,
    dataDir: o.dataDir,
    smtp: { host: "127.0.0.1", port: o.smtpPort },
    db: o.db,
    sessionTtl: o.sessionTtl,
    extra: o.extraEnv,
  });
  const directus = await startDirectus({ env, dataDir: o.dataDir, onOutput: o.onOutput });
  try {
    const report = await provision({
      url: directus.url,
      adminEmail: o.secrets.adminEmail,
      adminPassword: o.secrets.adminPassword,
      appUrl: o.appUrl,
      passwordMinLength: o.passwordMinLength,
      projectName: o.projectName,
    });
    return { ...directus, report, env };
  } catch (err) {
    await directus.stop();
    throw err;
  }
}
