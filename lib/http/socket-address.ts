import http from "node:http";
import https from "node:https";
import { answerEarly, closeAnswersSentBeforeTheBody } from "./early-answers";

/**
 * Gives route handlers the one client address nobody can forge: the TCP peer of the request.
 *
 * Next 16 hides the socket from route handlers (no `request.ip` since Next 15) and only copies its
 * address into X-Forwarded-For when the request arrived **without** that header (`??=` in
 * base-server), so a client can pre-empt it with any value and look just like Next's own copy. This
 * closes that gap from inside the process: instrumentation.ts calls `pinSocketAddress()` once at
 * startup, before Next handles a request, and from then on every request that reaches any HTTP server
 * of this process carries PEER_ADDRESS_HEADER set from its socket, **overwriting** whatever the client
 * sent under that name. lib/abuse/client-address.ts trusts that header only when
 * `socketAddressPinned()` says the hook is in place; otherwise (unit tests, a runtime without the
 * hook) it falls back to X-Forwarded-For.
 *
 * The same hook gives early-answers.ts its place before Next: what Next cannot serve is answered there.
 *
 * No "server-only" import: instrumentation.ts loads this outside the React server layer.
 */
export const PEER_ADDRESS_HEADER = "x-customer-auth-peer";

const PINNED = Symbol.for("customer-auth.socket-address-pinned");

type Pinned = { [PINNED]?: boolean };

export function socketAddressPinned(): boolean {
  return (globalThis as Pinned)[PINNED] === true;
}

function pin(prototype: { emit: (event: string | symbol, ...args: unknown[]) => boolean }): void {
  const emit = prototype.emit;
  prototype.emit = function pinnedEmit(this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage | undefined;
      const response = args[1] as http.ServerResponse | undefined;
      if (request?.headers) {
        request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "";
      }
      if (request && response && answerEarly(request, response)) return true;
    }
    return emit.call(this, event, ...args);
  };
}

/** Idempotent; only for the Node.js runtime. */
export function pinSocketAddress(): void {
  if (socketAddressPinned()) return;
  pin(http.Server.prototype as never);
  // https.Server does not inherit from http.Server (it is a tls.Server); `next dev --experimental-https`.
  pin(https.Server.prototype as never);
  closeAnswersSentBeforeTheBody();
  (globalThis as Pinned)[PINNED] = true;
}

/** Tests only: pretend the hook is (not) installed. */
export function setSocketAddressPinnedForTests(value: boolean): void {
  (globalThis as Pinned)[PINNED] = value;
}
