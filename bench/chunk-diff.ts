/**
 * Where a page's extra first-load JavaScript comes from, chunk by chunk: what it loads that the blank
 * page does not. Which modules fill those chunks needs a build analysis (bench/js-breakdown.ts).
 */
import type { PageWeight, ScriptWeight } from "./measure";

export type ChunkDiff = {
  /** Chunks of the page the blank page does not load, heaviest first. */
  added: ScriptWeight[];
  /** Chunks of the blank page this page does not load (they count against the page's extra). */
  dropped: ScriptWeight[];
};

export function chunkDiff(page: PageWeight, blank: PageWeight): ChunkDiff {
  const blankSrcs = new Set(blank.chunks.map((c) => c.src));
  const pageSrcs = new Set(page.chunks.map((c) => c.src));
  return {
    added: page.chunks
      .filter((c) => !blankSrcs.has(c.src))
      .sort((a, b) => b.gzipBytes - a.gzipBytes),
    dropped: blank.chunks.filter((c) => !pageSrcs.has(c.src)),
  };
}
