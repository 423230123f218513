import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Counts } from "../tests/support/loopback-proxy.mjs";

export { countsSince, type Counts } from "../tests/support/loopback-proxy.mjs";

export type CountingProxy = {
  url: string;
  pid: number;
  counts: () => Promise<Counts>;
  stop: () => Promise<void>;
};

const PROXY = fileURLToPath(new URL("../tests/support/loopback-proxy.mjs", import.meta.url));

/**
 * The tests' loopback proxy in front of `targetUrl`, in a process of its own so that autocannon in
 * this process never delays what it forwards. Resolves once it listens.
 */
export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const child = fork(PROXY, [targetUrl], {
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
