/**
 * Starts the whole stack once for all journeys: mail catcher + Directus (provisioned) + `next start`
 * on a production build, twice: a second server on another port with the same build and env, as a
 * second instance behind a load balancer would be (live-sessions.spec.ts shares one cookie between
 * them). Directus sessions live only SESSION_TTL_SECONDS, so every journey also exercises the proxy's
 * session refresh. The apps reach Directus through a fault proxy that tests can make slow or failing
 * (stack-control.ts). Connection details reach the tests through environment variables. At the end,
 * everything the apps printed is searched for the secrets the journeys used (log-scan.ts).
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, secret, spawnService } from "../../scripts/stack.mjs";
import { startBackend } from "../support/backend";
import { startLoopbackProxy } from "../support/loopback-proxy.mjs";
import { SESSION_TTL_SECONDS } from "./constants";
import { assertNoPasswordsInRequestLines, assertNoSecretsIn, E2E_OUTPUT_DIR } from "./log-scan";
import { startStackControl } from "./stack-control";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

async function waitForOk(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export default async function globalSetup() {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const backend = await startBackend(process.env.E2E_DB === "postgres" ? "postgres" : "sqlite", {
    appUrl,
    // Directus's idle lifetime of a session, and of the refresh token it keeps for that session.
    extraEnv: {
      SESSION_COOKIE_TTL: `${SESSION_TTL_SECONDS}s`,
      REFRESH_TOKEN_TTL: `${SESSION_TTL_SECONDS}s`,
    },
  });

  const faults = await startLoopbackProxy(backend.directusUrl);
  const stopBackend = async () => {
    await faults.stop();
    await backend.stop();
  };

  rmSync(E2E_OUTPUT_DIR, { recursive: true, force: true });
  mkdirSync(E2E_OUTPUT_DIR, { recursive: true });
  const appLog = path.join(E2E_OUTPUT_DIR, "app-output.log");
  const secretsFile = path.join(E2E_OUTPUT_DIR, "secrets-used.txt");
  const passwordsFile = path.join(E2E_OUTPUT_DIR, "passwords-used.txt");
  const requestLog = path.join(E2E_OUTPUT_DIR, "request-lines.log");
  for (const file of [appLog, secretsFile, passwordsFile, requestLog]) writeFileSync(file, "");

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: secret(32),
    DIRECTUS_URL: faults.url,
  };

  if (process.env.E2E_SKIP_BUILD !== "1") {
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], {
      cwd: ROOT,
      env: appEnv,
      stdio: "inherit",
    });
    if (build.status !== 0) {
      await stopBackend();
      throw new Error("next build failed");
    }
  }

  let appOutput = "";
  const startApp = (port: number) =>
    spawnService(
      process.execPath,
      [NEXT_BIN, "start", "--port", String(port), "--hostname", "127.0.0.1"],
      {
        // A bounded heap, as a container's memory limit gives: V8 otherwise grows its heap lazily by
        // hundreds of MB under load, which hides whether memory is retained. With a cap, a leak would
        // end in an out-of-memory crash or a rising floor; the soak (soak.spec.ts) checks for both.
        env: { ...appEnv, NODE_OPTIONS: "--max-old-space-size=192" },
        // Both servers write to the one log, so the secret scan covers both.
        onOutput: (s: string) => {
          appOutput = (appOutput + s).slice(-50_000);
          appendFileSync(appLog, s);
          if (process.env.DEBUG_APP) process.stderr.write(s);
        },
      },
    );
  const app2Port = await freePort();
  const app2Url = `http://127.0.0.1:${app2Port}`;
  const app = startApp(appPort);
  const app2 = startApp(app2Port);
  const stopApps = async () => {
    await app2.stop();
    await app.stop();
  };
  try {
    await Promise.all([
      waitForOk(`${appUrl}/login`, 60_000),
      waitForOk(`${app2Url}/login`, 60_000),
    ]);
  } catch (err) {
    await stopApps();
    await stopBackend();
    throw new Error(`${(err as Error).message}\n${appOutput}`);
  }
  if (app.child.pid === undefined) throw new Error("next start has no pid");
  const control = await startStackControl({ backend, faults, appPid: app.child.pid });

  process.env.E2E_APP_URL = appUrl;
  process.env.E2E_APP_URL_2 = app2Url;
  process.env.E2E_MAIL_URL = backend.mailUrl;
  process.env.E2E_DIRECTUS_URL = backend.directusUrl;
  process.env.E2E_ADMIN_EMAIL = backend.adminEmail;
  process.env.E2E_ADMIN_PASSWORD = backend.adminPassword;
  process.env.E2E_CONTROL_URL = control.url;
  process.env.E2E_SECRETS_FILE = secretsFile;
  process.env.E2E_PASSWORDS_FILE = passwordsFile;
  process.env.E2E_REQUEST_LOG = requestLog;

  return async () => {
    await control.stop();
    await stopApps();
    await stopBackend();
    assertNoSecretsIn(appLog, {
      recorded: secretsFile,
      known: [appEnv.NEXTAUTH_SECRET ?? "", backend.adminPassword],
    });
    assertNoPasswordsInRequestLines(requestLog, passwordsFile);
  };
}
