/**
 * A real, provisioned Directus plus a mail catcher, in a temporary folder, for one test file.
 * Lane "postgres" uses a fresh database on the machine's Postgres; lane "sqlite" an embedded file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  createPostgresDatabase,
  freePort,
  postgresReachable,
  secret,
  startMailCatcher,
  startProvisionedDirectus,
} from "../../scripts/stack.mjs";
import { readPasswordMinLength } from "../../directus/scripts/provision.mjs";
import { startDirectus } from "../../directus/scripts/run-directus.mjs";

export type Lane = "sqlite" | "postgres";

export type Backend = {
  directusUrl: string;
  mailUrl: string;
  appUrl: string;
  adminEmail: string;
  adminPassword: string;
  report: { changed: string[]; unchanged: string[]; customerRoleId: string };
  adminToken: () => Promise<string>;
  /** Stops the Directus process only (its data stays), as an outage or a deploy would. */
  stopDirectus: () => Promise<void>;
  /** Starts it again on the same port and data after stopDirectus(). */
  startDirectus: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Whether the Postgres lane runs here. On CI (or with REQUIRE_POSTGRES=1) an unreachable Postgres is a
 * failure, not a skip: the lane must run there.
 */
export async function postgresLane(): Promise<{ run: boolean; reason?: string }> {
  if (await postgresReachable()) return { run: true };
  const reason =
    "no Postgres reachable at 127.0.0.1:5432 (set PGHOST/PGPORT/PGUSER to point at one)";
  if (process.env.CI || process.env.REQUIRE_POSTGRES === "1")
    throw new Error(`Postgres lane required: ${reason}`);
  console.warn(`Skipping the Postgres lane: ${reason}`);
  return { run: false, reason };
}

export async function startBackend(
  lane: Lane,
  {
    appUrl = "http://localhost:3000",
    extraEnv = {},
    // The same variable the app under test reads, so Directus's policy and the app's rule agree.
    passwordMinLength = readPasswordMinLength(process.env.PASSWORD_MIN_LENGTH),
    // Likewise the name: the emails then name the product the pages show.
    projectName = process.env.APP_NAME || undefined,
  }: {
    appUrl?: string;
    extraEnv?: Record<string, string>;
    passwordMinLength?: number;
    projectName?: string | undefined;
  } = {},
): Promise<Backend> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `customer-auth-${lane}-`));
  let output = "";
  const onOutput = (s: string) => {
    output = (output + s).slice(-20_000);
    if (process.env.DEBUG_BACKEND) process.stderr.write(s);
  };
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const mail = await startMailCatcher({
      smtpPort: await freePort(),
      webPort: await freePort(),
      mailDir: path.join(dataDir, "mail"),
      onOutput,
    });
    stops.push(mail.stop);
    let db: object | undefined;
    if (lane === "postgres") {
      const pg = await createPostgresDatabase();
      stops.push(pg.drop);
      db = pg.db;
    }
    const secrets = {
      secret: secret(),
      adminEmail: "admin@example.com",
      adminPassword: secret(18),
    };
    const directus = await startProvisionedDirectus({
      dataDir: path.join(dataDir, "directus"),
      port: await freePort(),
      appUrl,
      secrets,
      smtpPort: mail.smtpPort,
      db,
      extraEnv,
      passwordMinLength,
      projectName,
      onOutput,
    });
    let running: { stop: () => Promise<void> } = directus;
    stops.push(() => running.stop());
    const directusDir = path.join(dataDir, "directus");
    const adminToken = async () => {
      const res = await fetch(`${directus.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: secrets.adminEmail, password: secrets.adminPassword }),
      });
      const body = (await res.json()) as { data: { access_token: string } };
      return body.data.access_token;
    };
    return {
      directusUrl: directus.url,
      mailUrl: mail.webUrl,
      appUrl,
      adminEmail: secrets.adminEmail,
      adminPassword: secrets.adminPassword,
      report: directus.report,
      adminToken,
      stopDirectus: () => running.stop(),
      startDirectus: async () => {
        running = await startDirectus({ env: directus.env, dataDir: directusDir, onOutput });
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw new Error(
      `could not start the ${lane} backend: ${(err as Error).message}\n--- output ---\n${output}`,
    );
  }
}
