/**
 * Bench-only (copied into the twin build by bench/twin.ts, never part of the real app): a page with
 * nothing of its own, so its first-load JavaScript is what the framework and the root layout cost.
 */
export default function BenchBlankPage() {
  return <main />;
}
