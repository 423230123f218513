import type http from "node:http";
import { requestPath } from "@/lib/http/request-path";
import { createNonce, securityHeaders } from "./headers.js";

/** What the headers depend on that the build cannot know: read from the env once, at startup. */
export type SecurityContext = { https: boolean; development: boolean };

/**
 * Every answer's security headers, set at the Node server before Next sees the request (lib/http/
 * door.ts), so that an answer gets them whoever makes it: a page, the proxy's redirect or 503 page,
 * a route handler, a static file. Pages get a fresh nonce: it goes into the policy on the answer and
 * into the policy on the request, where Next takes it for its scripts (a client's own policy header
 * is replaced). Route handlers set the API set again on their own answers (runtime.ts), so each is
 * complete by itself.
 */
export function secureAnswer(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  context: SecurityContext,
): void {
  const headers = securityHeaders({
    pathname: requestPath(request.url),
    nonce: createNonce(),
    ...context,
  });
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  request.headers["content-security-policy"] = headers["Content-Security-Policy"];
  delete request.headers["content-security-policy-report-only"];
}
