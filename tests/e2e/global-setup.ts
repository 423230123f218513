/**
 * Starts the whole stack once for all journeys: mail catcher + Directus (provisioned) + `next start`
 * on a production build. Access tokens live only a few seconds, so every journey also exercises the
 * proxy's token refresh. Connection details reach the tests through environment variables.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, secret, spawnService } from "../../scripts/stack.mjs";
import { startBackend } from "../support/backend";

import { ACCESS_TOKEN_TTL_SECONDS } from "./constants";
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

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: secret(32),
    DIRECTUS_URL: backend.directusUrl,
    DIRECTUS_SERVICE_TOKEN: backend.serviceToken,
  };

  if (process.env.E2E_SKIP_BUILD !== "1") {
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], {
      cwd: ROOT,
      env: appEnv,
      stdio: "inherit",
    });
    if (build.status !== 0) {
      await backend.stop();
      throw new Error("next build failed");
    }
  }

  let appOutput = "";
  const app = spawnService(
    process.execPath,
    [NEXT_BIN, "start", "--port", String(appPort), "--hostname", "127.0.0.1"],
    {
      env: appEnv,
      onOutput: (s: string) => {
        appOutput = (appOutput + s).slice(-50_000);
        if (process.env.DEBUG_APP) process.stderr.write(s);
      },
    },
  );
  try {
    await waitForOk(`${appUrl}/login`, 60_000);
  } catch (err) {
    await app.stop();
    await backend.stop();
    throw new Error(`${(err as Error).message}\n${appOutput}`);
  }

  process.env.E2E_APP_URL = appUrl;
  process.env.E2E_MAIL_URL = backend.mailUrl;
  process.env.E2E_DIRECTUS_URL = backend.directusUrl;
  process.env.E2E_ADMIN_EMAIL = backend.adminEmail;
  process.env.E2E_ADMIN_PASSWORD = backend.adminPassword;

  return async () => {
    await app.stop();
    await backend.stop();
  };
}
