import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** What the Next server asked Directus, keyed `METHOD /path` (no query). */
export type Counts = Record<string, number>;

export type CountingProxy = {
  url: string;
  pid: number;
  counts: () => Promise<Counts>;
  stop: () => Promise<void>;
};

/** Starts bench/counting-proxy.mjs in front of `targetUrl` and waits until it listens. */
export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const child = fork(fileURLToPath(new URL("counting-proxy.mjs", import.meta.url)), [targetUrl], {
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: { type?: string; port?: number }) =>
      m.type === "ready" && m.port ? resolve(m.port) : reject(new Error("counting proxy failed")),
    );
    child.once("exit", (code) => reject(new Error(`counting proxy exited (${code})`)));
  });
  const counts = () =>
    new Promise<Counts>((resolve) => {
      const onMessage = (m: { type?: string; counts?: Counts }) => {
        if (m.type !== "counts") return;
        child.off("message", onMessage);
        resolve(m.counts ?? {});
      };
      child.on("message", onMessage);
      child.send({ type: "counts" });
    });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited;
  };
  if (child.pid === undefined) throw new Error("counting proxy has no pid");
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, counts, stop };
}

/** `after - before` for every key that changed. */
export function countsSince(before: Counts, after: Counts): Counts {
  const delta: Counts = {};
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[key] ?? 0);
    if (d !== 0) delta[key] = d;
  }
  return delta;
}
