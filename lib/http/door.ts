import http from "node:http";
import https from "node:https";
import { secureAnswer, type SecurityContext } from "@/lib/security/answer-headers";
import { answerEarly, closeAnswersSentBeforeTheBody } from "./early-answers";
import { markPinned, pinPeerAddress, socketAddressPinned } from "./socket-address";

/**
 * The door: what this process does to every request at its Node server, before Next.js sees it.
 * instrumentation.ts installs it once at startup, on the prototype every HTTP server of the process
 * shares, so `next start`, the standalone server and `next dev` all have it. In this order:
 * 1. the TCP peer address goes into a header no client can forge (socket-address.ts);
 * 2. what Next cannot handle without a 500 is answered here (early-answers.ts);
 * 3. the answer gets its security headers, and a page its nonce (lib/security/answer-headers.ts);
 * 4. `markRequest`, what the app adds (instrumentation.ts passes lib/auth/kept-session.ts's mark: a
 *    plain read of a protected page whose session needs nothing from proxy.ts skips it).
 *
 * No "server-only" import: instrumentation.ts loads this outside the React server layer.
 */

export type DoorOptions = {
  security: SecurityContext;
  markRequest?: (request: http.IncomingMessage) => void;
};

function atTheDoor(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  { security, markRequest }: DoorOptions,
): boolean {
  pinPeerAddress(request);
  if (answerEarly(request, response)) return true;
  secureAnswer(request, response, security);
  markRequest?.(request);
  return false;
}

function install(
  prototype: { emit: (event: string | symbol, ...args: unknown[]) => boolean },
  options: DoorOptions,
): void {
  const emit = prototype.emit;
  prototype.emit = function emitThroughTheDoor(
    this: unknown,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage | undefined;
      const response = args[1] as http.ServerResponse | undefined;
      if (request?.headers && response && atTheDoor(request, response, options)) return true;
    }
    return emit.call(this, event, ...args);
  };
}

/** Idempotent; only for the Node.js runtime. */
export function installDoor(options: DoorOptions): void {
  if (socketAddressPinned()) return;
  install(http.Server.prototype as never, options);
  // https.Server does not inherit from http.Server (it is a tls.Server); `next dev --experimental-https`.
  install(https.Server.prototype as never, options);
  closeAnswersSentBeforeTheBody();
  markPinned();
}
