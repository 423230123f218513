import "server-only";
import { createDirectus, rest } from "@directus/sdk";
import { getEnv } from "@/lib/env";
import { DirectusHttpError, DirectusUnreachableError, networkErrorCode } from "./errors";
import { directusAvailable, reportDirectusHealth } from "./health";

/**
 * Directus clients for the Next server. Only `rest()` commands: the SDK's `authentication()` starts an
 * auto-refresh timer per login, which a long-lived server process would leak. Tokens are passed to each
 * command explicitly and stored in the encrypted next-auth cookie, never in these clients.
 */

function isJson(response: Response): boolean {
  const type = response.headers.get("content-type")?.toLowerCase() ?? "";
  return type.startsWith("application/json");
}

/**
 * Every call is bounded: a hung Directus must turn into "temporarily unavailable", not a hung page.
 * Errors without a Directus JSON body (proxy 502 pages, empty 503s) become a DirectusHttpError, because
 * the SDK would otherwise hand an unreadable error Response back as if it were a successful result.
 */
function boundedFetch(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const send = () => globalThis.fetch(input, { ...init, signal, cache: "no-store" });
    let response: Response;
    try {
      // Resolved at call time so test doubles that patch globalThis.fetch are honoured.
      response = await send().catch((error: unknown) => {
        if (!isRepeatable(init?.method) || !isBrokenConnection(error)) throw error;
        return send();
      });
    } catch (cause) {
      // A caller that gave up on its own says nothing about Directus.
      if (!init?.signal?.aborted) reportDirectusHealth(false);
      throw new DirectusUnreachableError("Directus did not answer", { cause });
    }
    reportDirectusHealth(response.status < 500);
    const isRedirect = response.status >= 300 && response.status < 400;
    if (!response.ok && !isRedirect && (response.status >= 500 || !isJson(response))) {
      // Not awaited: some stream sources only settle a cancel once fully read.
      void response.body?.cancel().catch(() => {});
      throw new DirectusHttpError(response.status);
    }
    return response;
  };
}

/**
 * A pooled keep-alive connection can break under a request: Directus (or a proxy in front of it)
 * closed it as idle just as it was reused, and nothing was answered. A read is safe to send again on
 * a fresh connection, within the same time limit, so a page does not answer 503 for a socket's
 * bad timing. A refused connection (Directus down) or a timeout is not retried: it would only wait
 * longer for the same answer.
 */
const BROKEN_CONNECTION_CODES = new Set([
  "UND_ERR_SOCKET",
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_CLOSED",
]);

function isRepeatable(method: string | undefined): boolean {
  const verb = (method ?? "GET").toUpperCase();
  return verb === "GET" || verb === "HEAD";
}

function isBrokenConnection(error: unknown): boolean {
  return BROKEN_CONNECTION_CODES.has(networkErrorCode(error) ?? "");
}

/** Directus's cheapest endpoint, under the same timeout as every call: does it answer at all? */
async function ping(): Promise<boolean> {
  try {
    const response = await directusFetch("server/ping");
    void response.body?.cancel().catch(() => {});
    return response.ok;
  } catch {
    return false;
  }
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** See health.ts: answers from recent calls, or pings. */
export function isDirectusAvailable(): Promise<boolean> {
  return directusAvailable({ now: Date.now, ping });
}

function baseClient() {
  const env = getEnv();
  return createDirectus(env.DIRECTUS_URL, {
    globals: { fetch: boundedFetch(env.DIRECTUS_TIMEOUT_MS) },
  });
}

/** No credentials: registration, email verification and password reset. */
export function publicClient() {
  return baseClient().with(rest());
}

/**
 * A bounded request to `path` under DIRECTUS_URL, for the session calls the SDK cannot make from a
 * server (it expects a browser's cookie jar for `session` mode). Same timeout and health reports as
 * every SDK call.
 */
export function directusFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const { DIRECTUS_URL, DIRECTUS_TIMEOUT_MS } = getEnv();
  return boundedFetch(DIRECTUS_TIMEOUT_MS)(new URL(path, withSlash(DIRECTUS_URL)), init);
}
