/** The bench's log and its clean-up list: every started process registers how to stop it. */
const t0 = Date.now();
export function log(message: string): void {
  const s = ((Date.now() - t0) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench ${s}s] ${message}\n`);
}

export const cleanups: Array<() => Promise<void> | void> = [];
export async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop();
    try {
      await step?.();
    } catch (err) {
      log(`clean-up step failed: ${(err as Error).message}`);
    }
  }
}
/** Ctrl-C or a kill still stops Directus, the app and the proxy. */
export function cleanUpOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping`);
      void cleanUp().then(() => process.exit(130));
    });
  }
}
