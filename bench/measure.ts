/** Measuring tools: statistics, an autocannon wrapper, an RSS sampler and first-load JS weight. */
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Linear-interpolated quantile, q in [0, 1]. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A, B, B, A, A, B…: each side goes first equally often, so drift on a shared machine cancels out. */
export function interleaved(rounds: number): Array<["A" | "B", "A" | "B"]> {
  return Array.from({ length: rounds }, (_, i) => (i % 2 === 0 ? ["A", "B"] : ["B", "A"]));
}

export type LoadResult = {
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Responses that failed the caller's check (wrong status, wrong body…). */
  rejected: number;
  /** The first few of them, to say why a figure is INVALID: status and the start of the body. */
  rejectedSamples: Array<{ status: number; body: string }>;
};

export type LoadOptions = {
  url: string;
  cookie?: string;
  connections: number;
  /** Seconds; or `amount` requests in all. */
  duration?: number;
  amount?: number;
  /** Called for every response; return false to count it as rejected. */
  check?: (status: number, body: string, headers: Record<string, string | string[]>) => boolean;
};

/** One autocannon run against loopback; bounded by `duration` or `amount`, and a 30 s timeout per request. */
export async function load(o: LoadOptions): Promise<LoadResult> {
  let rejected = 0;
  const rejectedSamples: LoadResult["rejectedSamples"] = [];
  const check = o.check;
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    pipelining: 1,
    timeout: 30,
    ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 5 }),
    headers: o.cookie ? { cookie: o.cookie } : {},
    requests: check
      ? [
          {
            method: "GET",
            onResponse: (status, body, _context, headers) => {
              if (!check(status, body, headers as unknown as Record<string, string | string[]>)) {
                rejected += 1;
                if (rejectedSamples.length < 3)
                  rejectedSamples.push({ status, body: body.slice(0, 300) });
              }
            },
          },
        ]
      : undefined,
  });
  return {
    // Completed requests over the run's wall time (autocannon's `average` is a mean of 1 s buckets,
    // too coarse for 2 s rounds).
    reqPerSec:
      result.duration > 0 ? result.requests.total / result.duration : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rejected,
    rejectedSamples,
  };
}

/** Header lookup that ignores case; autocannon keeps the raw names. */
export function headerValues(headers: Record<string, string | string[]>, name: string): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    found.push(...(Array.isArray(value) ? value : [value]));
  }
  return found;
}

type Sample = { at: number; rssKb: number; hwmKb: number };

function statusKb(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = /VmRSS:\s+(\d+) kB/.exec(text)?.[1];
    const hwm = /VmHWM:\s+(\d+) kB/.exec(text)?.[1];
    return rss && hwm ? { rss: Number(rss), hwm: Number(hwm) } : undefined;
  } catch {
    return undefined;
  }
}

/** Child processes of `pid` (next start runs as one process today; this keeps the figure honest if that changes). */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

/** Samples the RSS of a process (plus its children) every `everyMs` from /proc/<pid>/status. */
export function rssSampler(pid: number, everyMs = 250) {
  const samples: Sample[] = [];
  let kids: number[] = childrenOf(pid);
  let tick = 0;
  const take = () => {
    if (tick++ % 20 === 0) kids = childrenOf(pid);
    const main = statusKb(pid);
    if (!main) return;
    const rssKb = kids.reduce((sum, k) => sum + (statusKb(k)?.rss ?? 0), main.rss);
    samples.push({ at: Date.now(), rssKb, hwmKb: main.hwm });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    now: () => {
      take();
      return samples.at(-1);
    },
    between: (from: number, to: number) => samples.filter((s) => s.at >= from && s.at <= to),
    childCount: () => kids.length,
    stop: () => clearInterval(timer),
  };
}

export type ScriptWeight = { src: string; rawBytes: number; gzipBytes: number };

export type PageWeight = {
  path: string;
  scripts: number;
  rawBytes: number;
  gzipBytes: number;
  /** Each script, so two pages can be compared chunk by chunk. */
  chunks: ScriptWeight[];
};

/**
 * First-load JavaScript of a page: every `<script src>` under /_next/static in its HTML, fetched and
 * gzipped one by one at zlib level 9 (the level static hosts and CDNs typically precompress with).
 * `mustContain` guards against measuring the wrong page (an error page, a redirect's target).
 */
export async function pageWeight(
  appUrl: string,
  pathname: string,
  { cookie, mustContain }: { cookie?: string | undefined; mustContain?: string } = {},
): Promise<PageWeight> {
  const res = await fetch(`${appUrl}${pathname}`, {
    redirect: "manual",
    headers: cookie ? { cookie } : {},
  });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`${pathname} answered ${res.status}, not 200`);
  if (mustContain && !html.includes(mustContain))
    throw new Error(`${pathname}: the page has no ${mustContain}`);
  const sources = new Set<string>();
  for (const match of html.matchAll(/<script\b[^>]*?\bsrc="([^"]+)"/g)) {
    const src = (match[1] ?? "").replaceAll("&amp;", "&");
    const url = new URL(src, appUrl);
    if (url.origin === new URL(appUrl).origin && url.pathname.startsWith("/_next/static/")) {
      sources.add(url.pathname + url.search);
    }
  }
  const chunks: ScriptWeight[] = [];
  for (const src of sources) {
    const script = await fetch(`${appUrl}${src}`);
    if (!script.ok) throw new Error(`${src} answered ${script.status}`);
    const body = Buffer.from(await script.arrayBuffer());
    chunks.push({ src, rawBytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length });
  }
  const sum = (key: "rawBytes" | "gzipBytes") => chunks.reduce((total, c) => total + c[key], 0);
  return {
    path: pathname,
    scripts: sources.size,
    rawBytes: sum("rawBytes"),
    gzipBytes: sum("gzipBytes"),
    chunks,
  };
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux everywhere that matters (`getconf CLK_TCK`)

/** CPU time (user + system, all threads) a process has used so far, in ms; from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat(5), counted after the command name: utime, stime.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** The pid of the `directus … start` process listening on `port` (found by its environment). */
export function findDirectusPid(port: number): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (!cmdline.some((a) => a.endsWith("directus/cli.js")) || !cmdline.includes("start"))
        continue;
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (environ.includes(`PORT=${port}`)) return Number(entry);
    } catch {
      // gone, or not ours
    }
  }
  return undefined;
}
