import type http from "node:http";

/**
 * Gives route handlers the one client address nobody can forge: the TCP peer of the request.
 *
 * Next 16 hides the socket from route handlers (no `request.ip` since Next 15) and only copies its
 * address into X-Forwarded-For when the request arrived **without** that header (`??=` in
 * base-server), so a client can pre-empt it with any value and look just like Next's own copy. This
 * closes that gap from inside the process: the door (door.ts, installed by instrumentation.ts before
 * Next handles a request) gives every request that reaches any HTTP server of this process
 * PEER_ADDRESS_HEADER set from its socket, **overwriting** whatever the client sent under that name.
 * lib/abuse/client-address.ts trusts that header only when `socketAddressPinned()` says the hook is
 * in place; otherwise (unit tests, a runtime without the hook) it falls back to X-Forwarded-For.
 *
 * No "server-only" import: instrumentation.ts loads this outside the React server layer.
 */
export const PEER_ADDRESS_HEADER = "x-customer-auth-peer";

const PINNED = Symbol.for("customer-auth.socket-address-pinned");

type Pinned = { [PINNED]?: boolean };

export function socketAddressPinned(): boolean {
  return (globalThis as Pinned)[PINNED] === true;
}

/** Overwrites whatever the client sent under PEER_ADDRESS_HEADER. */
export function pinPeerAddress(request: http.IncomingMessage): void {
  request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "";
}

/** The door (door.ts) calls this once it is installed. */
export function markPinned(): void {
  (globalThis as Pinned)[PINNED] = true;
}

/** Tests only: pretend the hook is (not) installed. */
export function setSocketAddressPinnedForTests(value: boolean): void {
  (globalThis as Pinned)[PINNED] = value;
}
