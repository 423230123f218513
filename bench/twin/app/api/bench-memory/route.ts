/**
 * Bench-only (copied into the twin build by bench/twin.ts, never part of the real app): the server's
 * memory after a full garbage collection, so the bench can tell memory that is still held (a leak) from
 * memory V8 simply has not collected yet. gc() exists only when the bench starts the server with
 * --expose-gc.
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  const kb = (bytes: number) => Math.round(bytes / 1024);
  return Response.json({
    collected: Boolean(gc),
    rssKb: kb(m.rss),
    heapUsedKb: kb(m.heapUsed),
    heapTotalKb: kb(m.heapTotal),
    externalKb: kb(m.external),
  });
}
