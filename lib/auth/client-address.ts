import "server-only";
import { isIP } from "node:net";
import { getEnv } from "@/lib/env";

/**
 * The address that keys per-client rate limits.
 *
 * Route handlers never see the socket. What they do see: Next's own server copies the socket address
 * into X-Forwarded-For, but only when the request arrived without that header (`??=` in base-server).
 * So the rightmost entry is the best signal in both modes:
 * - TRUST_PROXY=true: our reverse proxy appended or overwrote the header, and its rightmost entry is the
 *   address that proxy saw. Entries to its left were written by the client and are ignored.
 * - TRUST_PROXY=false: for ordinary browsers the header holds exactly the socket address Next wrote. A
 *   client that sends its own header picks its own key, so per-address limits are best effort here.
 *   X-Real-IP would be no better: only proxies set it, and a client can send it just as easily.
 * Per-account limits, the ones that keep Directus from suspending an account, do not depend on this.
 *
 * IPv6 clients are keyed by their /64: one subscriber usually holds a whole /64 and could otherwise
 * rotate through addresses for free.
 */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : value;
}

let warnedAboutProxy = false;

export function clientAddress(headers: HeaderSource): string {
  const entries = (headerValue(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length > 1 && !getEnv().TRUST_PROXY && !warnedAboutProxy) {
    warnedAboutProxy = true;
    console.warn(
      "throttle: requests carry a multi-hop X-Forwarded-For; if a reverse proxy sets it, set TRUST_PROXY=true",
    );
  }
  const rightmost = entries.at(-1);
  return (rightmost && normaliseAddress(rightmost)) ?? "unknown";
}

/** A stable key for one client: IPv4 as is, IPv6 by /64; undefined when it is no address at all. */
export function normaliseAddress(raw: string): string | undefined {
  const address = stripPort(raw.trim());
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return undefined;
  const groups = expandIpv6(address);
  if (!groups) return undefined;
  const isV4Mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isV4Mapped) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

function stripPort(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) return bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value);
  if (v4WithPort?.[1]) return v4WithPort[1];
  return value;
}

function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase().split("%")[0] ?? "";
  const embedded = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (embedded) {
    const [a, b, c, d] = embedded.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, embedded.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) =>
    part ? part.split(":").map((g) => parseInt(g, 16)) : [];
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array<number>(Math.max(missing, 0)).fill(0), ...tail];
  return groups.some((g) => Number.isNaN(g) || g < 0 || g > 0xffff) ? undefined : groups;
}
