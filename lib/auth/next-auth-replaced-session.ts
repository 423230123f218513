import "server-only";
import { NextRequest } from "next/server";
import { setsSessionCookie } from "./session-cookie";
import { endBrowserSession } from "./sign-out";

const CREDENTIALS_CALLBACK = "/callback/credentials";

/**
 * Signing in through next-auth's own endpoint (`POST /api/auth/callback/credentials`) over an open
 * session ends that session in Directus, as the sign-in form does (lib/forms/complete-sign-in.ts):
 * next-auth only overwrites the cookie, and the Directus session behind the old one would otherwise
 * live on until its idle timeout, usable by any copy of that cookie. Only once next-auth has really
 * set a new session: a refused sign-in leaves the open one as it was.
 */
export function withReplacedSessionEnded<Context>(
  handler: (request: Request, context: Context) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    const response = await handler(request, context);
    if (request.method !== "POST") return response;
    if (!new URL(request.url).pathname.endsWith(CREDENTIALS_CALLBACK)) return response;
    if (!setsSessionCookie(response)) return response;
    // Only the headers are needed: the body has been read by next-auth already.
    await endBrowserSession(new NextRequest(request.url, { headers: request.headers }).cookies);
    return response;
  };
}
