/**
 * Starts `next start` on an existing production build and waits until it answers, the way
 * tests/e2e/global-setup.ts does. Kept here for the bench; it could move to scripts/stack.mjs so the
 * e2e setup shares it.
 */
import path from "node:path";
import { spawnService } from "../scripts/stack.mjs";

export type AppServer = {
  url: string;
  pid: number;
  /** The last 50 kB the server printed. */
  output: () => string;
  stop: () => Promise<void>;
};

export async function waitForAnswer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * @param dir  a folder with `.next/` from `next build` and `node_modules/`
 * @param env  the server's whole environment (NEXTAUTH_URL, DIRECTUS_URL… as lib/env.ts wants them)
 */
export async function startBuiltApp({
  dir,
  port,
  env,
  nodeArgs = [],
}: {
  dir: string;
  port: number;
  env: NodeJS.ProcessEnv;
  /** Flags for the node process running next start, e.g. --expose-gc. */
  nodeArgs?: string[];
}): Promise<AppServer> {
  let output = "";
  const service = spawnService(
    process.execPath,
    [
      ...nodeArgs,
      path.join(dir, "node_modules/next/dist/bin/next"),
      "start",
      "--port",
      String(port),
      "--hostname",
      "127.0.0.1",
    ],
    {
      cwd: dir,
      env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      onOutput: (s: string) => {
        output = (output + s).slice(-50_000);
        if (process.env.DEBUG_APP) process.stderr.write(s);
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForAnswer(`${url}/login`, 60_000),
      service.exited.then((code: unknown) => {
        throw new Error(`next start exited (${String(code)})`);
      }),
    ]);
  } catch (err) {
    await service.stop();
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  const pid = service.child.pid;
  if (pid === undefined) throw new Error("next start has no pid");
  return { url, pid, output: () => output, stop: service.stop };
}
