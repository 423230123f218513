/**
 * The bench stack: a provisioned Directus on SQLite, a counting proxy in front of it, and `next start`
 * on a production build of the twin (the working tree plus the bench-only pages, see twin.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { freePort, secret } from "../scripts/stack.mjs";
import { startBackend, type Backend } from "../tests/support/backend";
import { startBuiltApp, type AppServer } from "./app-server";
import { createCustomer, directusLogin, type Customer, type SignInResult } from "./auth-client";
import { noJsSignIn } from "./form-sign-in";
import { openLoginPage } from "./login-page";
import { CONFIG, flag, option } from "./config";
import { cleanups, log } from "./lifecycle";
import { startCountingProxy, type CountingProxy } from "./counting-proxy";
import { findDirectusPid } from "./measure";
import { buildTwin, isBuilt, prepareTwin, removeTwin, type TwinInfo } from "./twin";

export type Stack = {
  backend: Backend;
  proxy: CountingProxy;
  app: AppServer;
  appUrl: string;
  nextAuthSecret: string;
  twin: TwinInfo & { buildSeconds: number | null };
  directusPid: number | undefined;
  users: { main: Customer; signIn: Customer; storm: Customer };
};

export async function startStack(): Promise<Stack> {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;

  const reuse = option("--twin");
  let twin: TwinInfo & { buildSeconds: number | null };
  const backendStarting = startBackend("sqlite", {
    appUrl,
    extraEnv: {
      SESSION_COOKIE_TTL: `${CONFIG.sessionTtlSeconds}s`,
      REFRESH_TOKEN_TTL: `${CONFIG.sessionTtlSeconds}s`,
    },
  });
  // Stop the backend even if the build fails first.
  backendStarting.then((b) => cleanups.push(b.stop)).catch(() => {});
  try {
    if (reuse) {
      if (!isBuilt(reuse)) throw new Error(`--twin ${reuse}: no build there`);
      const proxySource = readFileSync(path.join(reuse, "proxy.ts"), "utf8");
      twin = {
        dir: reuse,
        proxySkipsTwin: proxySource.includes("bench-unprotected|"),
        accountPage: "(reused)",
        buildSeconds: null,
      };
      log(`reusing the twin build in ${reuse}`);
    } else {
      const prepared = prepareTwin();
      if (!flag("--keep-twin")) cleanups.push(() => removeTwin(prepared.dir));
      log(`building the twin (next build) in ${prepared.dir}, Directus starting meanwhile`);
      const buildSeconds = await buildTwin(prepared.dir);
      twin = { ...prepared, buildSeconds };
      log(`twin built in ${buildSeconds.toFixed(0)} s`);
    }
  } catch (err) {
    await backendStarting.catch(() => {});
    throw err;
  }
  const backend = await backendStarting;
  log(`Directus up at ${backend.directusUrl}`);

  const proxy = await startCountingProxy(backend.directusUrl);
  cleanups.push(proxy.stop);

  const adminToken = await backend.adminToken();
  const roleId = backend.report.customerRoleId;
  const users = {
    main: await createCustomer(backend.directusUrl, adminToken, roleId, "main"),
    signIn: await createCustomer(backend.directusUrl, adminToken, roleId, "signin"),
    storm: await createCustomer(backend.directusUrl, adminToken, roleId, "storm"),
  };

  // The twin reads the same profile with a session of its own (bench/twin/lib/bench/current-user.ts).
  const twinSession = await directusLogin(
    backend.directusUrl,
    users.main.email,
    users.main.password,
  );
  const nextAuthSecret = secret(32);
  const app = await startBuiltApp({
    dir: twin.dir,
    port: appPort,
    nodeArgs: [
      "--expose-gc",
      ...(process.env.BENCH_APP_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
    ],
    env: {
      ...process.env,
      NEXTAUTH_URL: appUrl,
      NEXTAUTH_SECRET: nextAuthSecret,
      DIRECTUS_URL: proxy.url,
      BENCH_SESSION_TOKEN: twinSession.sessionToken,
    },
  });
  cleanups.push(app.stop);
  log(
    `next start up at ${appUrl} (pid ${app.pid}); Directus reached through the counting proxy ${proxy.url}`,
  );
  const directusPid = findDirectusPid(Number(new URL(backend.directusUrl).port));
  return { backend, proxy, app, appUrl, nextAuthSecret, twin, directusPid, users };
}

/** A session for the other figures, signed in the way the sign-in page does it (its form's post). */
export async function signInOrExplain(stack: Stack, user: Customer): Promise<SignInResult> {
  try {
    return await noJsSignIn(await openLoginPage(stack.appUrl), user.email, user.password);
  } catch (err) {
    throw new Error(
      `bench: signing in ${user.email} failed: ${(err as Error).message}\n${stack.app.output().slice(-3000)}`,
    );
  }
}
