import "server-only";
import { getEnv, secureCookies } from "@/lib/env";
import { securityHeaders } from "./headers";

/**
 * What the security headers depend on, read from the env at run time: the production build is made
 * without configuration (see Dockerfile), so next.config.js cannot know whether the app is https.
 */
export function securityContext(): { https: boolean; development: boolean } {
  return {
    https: secureCookies(),
    development: getEnv().NODE_ENV === "development",
  };
}

/**
 * Route handler answers are personal and render nothing: the API policy, HSTS when the app is https,
 * and no cache may keep them. next.config.js sets the same minus HSTS; this makes each answer complete
 * by itself.
 */
export function secureApiHeaders(headers: Headers): void {
  const all = securityHeaders({ pathname: "/api/", ...securityContext() });
  for (const [key, value] of Object.entries(all)) headers.set(key, value);
  headers.set("Cache-Control", "no-store");
}

/** Wraps a route handler (next-auth's) so that every answer it gives gets secureApiHeaders(). */
export function withSecurityHeaders<Context>(
  handler: (request: Request, context: Context) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    const response = await handler(request, context);
    secureApiHeaders(response.headers);
    return response;
  };
}
