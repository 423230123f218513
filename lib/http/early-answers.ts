import http from "node:http";
import { requestPath } from "./request-path";

/**
 * Answers given at the Node server, before Next.js sees a request (installed with the socket-address
 * hook by instrumentation.ts), for what Next cannot handle without a 500, and a clean ending for any
 * answer sent before the request's body arrived.
 *
 * No "server-only" import: instrumentation.ts loads this outside the React server layer.
 */

/** The methods Next builds a Request for; Node also parses TRACE, CONNECT and WebDAV verbs, on which Next throws. */
const NEXT_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

function answer(
  response: http.ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    Connection: "close",
    ...headers,
  });
  response.end(message);
}

/** Next decodes the path of a dynamic route's parameters and answers 500 when that throws. */
function pathDecodes(url: string | undefined): boolean {
  try {
    decodeURIComponent(requestPath(url));
    return true;
  } catch {
    return false;
  }
}

/**
 * An answer sent while the client may still be sending its body (a refusal before reading it) says
 * `Connection: close`: whatever the client sends after it must not be read as its next request, and
 * a keep-alive client must not send its next request on this connection. Installed once, on the
 * prototype every server's responses share (pinSocketAddress() calls it), not per request.
 */
export function closeAnswersSentBeforeTheBody(): void {
  const writeHead = http.ServerResponse.prototype.writeHead;
  http.ServerResponse.prototype.writeHead = function writeHeadAfterBody(
    this: http.ServerResponse,
    ...args: unknown[]
  ) {
    if (this.req && !this.req.complete && !this.headersSent) this.setHeader("Connection", "close");
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof writeHead;
}

/**
 * The most a POST to a page (a Server Action, the enhanced sign-in's JSON) may declare: forms send a
 * few hundred bytes. Next reads such a body whole, for the proxy, before any code of ours runs, so
 * a larger one is refused here by its declared length instead (lib/http/action-post.ts has the same
 * limit for what the proxy reads). `/api/auth/*` is not behind the proxy: its routes stream and bound
 * their own bodies.
 */
export const PAGE_POST_MAX_BYTES = 32 * 1024;

function oversizedPagePost(request: http.IncomingMessage): boolean {
  if (request.method !== "POST" || (request.url ?? "/").startsWith("/api/auth/")) return false;
  const declared = Number(request.headers["content-length"] ?? "0");
  return Number.isFinite(declared) && declared > PAGE_POST_MAX_BYTES;
}

/** True when the request has been answered here and must not reach Next. */
export function answerEarly(request: http.IncomingMessage, response: http.ServerResponse): boolean {
  if (!NEXT_METHODS.includes(request.method ?? "")) {
    answer(response, 405, "This method is not allowed.", { Allow: NEXT_METHODS.join(", ") });
    return true;
  }
  if (!pathDecodes(request.url)) {
    answer(response, 400, "The address is not valid.");
    return true;
  }
  if (oversizedPagePost(request)) {
    // Connection: close (closeAnswersSentBeforeTheBody): the unread body must not become a request.
    answer(response, 413, "The request is too large.");
    return true;
  }
  return false;
}
