import "server-only";
import { isIP } from "node:net";
import { getEnv } from "@/lib/env";
import { headerValue, type HeaderSource } from "@/lib/http/header-source";
import { PEER_ADDRESS_HEADER, socketAddressPinned } from "@/lib/http/socket-address";

/**
 * The address that keys per-client rate limits. Where it comes from, most trustworthy first:
 *
 * - TRUST_PROXY=true (a reverse proxy in front that appends to or overwrites X-Forwarded-For): the
 *   rightmost entry, the client as that proxy saw it. Entries to its left were written by the client
 *   and are ignored. The TCP peer would only be the proxy.
 * - TRUST_PROXY=false, with the socket hook (instrumentation.ts, lib/http/socket-address.ts) in place,
 *   which is the case under `next dev`, `next start` and the standalone server: the TCP peer's
 *   address, which the hook writes into PEER_ADDRESS_HEADER on every request, overwriting any value a
 *   client sent. X-Forwarded-For is ignored entirely, since a client can send its own and Next 16
 *   keeps it (it copies the socket address into that header only when the header is absent).
 * - Otherwise (route handlers called without Next, as tests do, or a runtime where the hook did not
 *   run): the rightmost X-Forwarded-For entry. A client can then pick its own key — dodging
 *   per-address limits, or spending another address's budget — so per-address limits are best
 *   effort there. The limits that keep Directus from suspending an account are per account and do not
 *   depend on any address (see budgets.ts).
 * X-Real-IP is never read: only proxies set it, and a client can send it just as easily.
 *
 * IPv6 clients are keyed by their /64: one subscriber usually holds a whole /64 and could otherwise
 * rotate through addresses for free.
 */

let warnedAboutProxy = false;

function warnAboutProxyOnce(): void {
  if (warnedAboutProxy) return;
  warnedAboutProxy = true;
  console.warn(
    "throttle: requests carry X-Forwarded-For while TRUST_PROXY=false; if a reverse proxy sets it, set TRUST_PROXY=true, or its address keys every customer's limits",
  );
}

/** Loopback, private and link-local peers: most likely a reverse proxy on the same host or network. */
function isInternal(key: string): boolean {
  return /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|0:0:0:0::|f[cd][0-9a-f]{2}:|fe80:)/.test(
    key,
  );
}

function forwardedEntries(headers: HeaderSource): string[] {
  return (headerValue(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
}

export function clientAddress(headers: HeaderSource): string {
  const forwarded = forwardedEntries(headers);
  if (getEnv().TRUST_PROXY) {
    const rightmost = forwarded.at(-1);
    return (rightmost && normaliseAddress(rightmost)) ?? "unknown";
  }
  if (socketAddressPinned()) {
    const peer = normaliseAddress(headerValue(headers, PEER_ADDRESS_HEADER) ?? "");
    if (peer) {
      // Next copies the peer into X-Forwarded-For when absent: only a different value is a sign of
      // a proxy (or a client making one up).
      const foreign = forwarded.some((entry) => normaliseAddress(entry) !== peer);
      if (foreign && isInternal(peer)) warnAboutProxyOnce();
      return peer;
    }
  }
  if (forwarded.length > 1) warnAboutProxyOnce();
  const rightmost = forwarded.at(-1);
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
