/**
 * Starts the whole stack once for all journeys: mail catcher + Directus (provisioned) + `next start`
 * on a production build. Access tokens live only a few seconds, so every journey also exercises the
 * proxy's token refresh. The app reaches Directus through a fault proxy that tests can make slow or
 * failing (stack-control.ts). Connection details reach the tests through environment variables. At
 * the end, everything the app printed is searched for the secrets the journeys used (log-scan.ts).
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, secret, spawnService } from "../../scripts/stack.mjs";
import { startBackend } from "../support/backend";
import { startFaultProxy } from "../support/fault-proxy";
import { ACCESS_TOKEN_TTL_SECONDS } from "./constants";
import { assertNoSecretsIn, E2E_OUTPUT_DIR } from "./log-scan";
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
    extraEnv: { ACCESS_TOKEN_TTL: `${ACCESS_TOKEN_TTL_SECONDS}s` },
  });

  const faults = await startFaultProxy(backend.directusUrl);
  const stopBackend = async () => {
    await faults.stop();
    await backend.stop();
  };

  rmSync(E2E_OUTPUT_DIR, { recursive: true, force: true });
  mkdirSync(E2E_OUTPUT_DIR, { recursive: true });
  const appLog = path.join(E2E_OUTPUT_DIR, "app-output.log");
  const secretsFile = path.join(E2E_OUTPUT_DIR, "secrets-used.txt");
  writeFileSync(appLog, "");
  writeFileSync(secretsFile, "");

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: secret(32),
    DIRECTUS_URL: faults.url,
    DIRECTUS_SERVICE_TOKEN: backend.serviceToken,
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
  const app = spawnService(
    process.execPath,
    [NEXT_BIN, "start", "--port", String(appPort), "--hostname", "127.0.0.1"],
    {
      // A bounded heap, as a container's memory limit gives: V8 otherwise grows its heap lazily by
      // hundreds of MB under load, which hides whether memory is retained. With a cap, a leak would
      // end in an out-of-memory crash or a rising floor; the soak (soak.spec.ts) checks for both.
      env: { ...appEnv, NODE_OPTIONS: "--max-old-space-size=192" },
      onOutput: (s: string) => {
        appOutput = (appOutput + s).slice(-50_000);
        appendFileSync(appLog, s);
        if (process.env.DEBUG_APP) process.stderr.write(s);
      },
    },
  );
  try {
    await waitForOk(`${appUrl}/login`, 60_000);
  } catch (err) {
    await app.stop();
    await stopBackend();
    throw new Error(`${(err as Error).message}\n${appOutput}`);
  }
  if (app.child.pid === undefined) throw new Error("next start has no pid");
  const control = await startStackControl({ backend, faults, appPid: app.child.pid });

  process.env.E2E_APP_URL = appUrl;
  process.env.E2E_MAIL_URL = backend.mailUrl;
  process.env.E2E_DIRECTUS_URL = backend.directusUrl;
  process.env.E2E_ADMIN_EMAIL = backend.adminEmail;
  process.env.E2E_ADMIN_PASSWORD = backend.adminPassword;
  process.env.E2E_CONTROL_URL = control.url;
  process.env.E2E_SECRETS_FILE = secretsFile;

  return async () => {
    await control.stop();
    await app.stop();
    await stopBackend();
    assertNoSecretsIn(appLog, {
      recorded: secretsFile,
      known: [appEnv.NEXTAUTH_SECRET ?? "", backend.serviceToken, backend.adminPassword],
    });
  };
}
