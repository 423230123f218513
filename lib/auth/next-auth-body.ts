import "server-only";
import { NextRequest } from "next/server";
import { FORM_TYPE, JSON_TYPE, readBody } from "@/lib/http/read-json";
import { jsonResult } from "@/lib/http/responses";

/**
 * next-auth's POST endpoints (the credentials callback, sign-out, CSRF-checked actions) read bodies
 * their own way: `req.text()` with no size limit, `req.json()` whose parse error becomes a 500, and
 * no body at all for any other Content-Type. This puts the same limits as our JSON routes in front:
 * a form or JSON body (the only kinds next-auth's client sends), at most 8 KB, arriving within 10 s,
 * a JSON body must be an object. Anything else gets a plain 4xx before next-auth or Directus see it.
 * The body next-auth then reads is the one we checked, buffered.
 */
export function withBoundedBody<Context>(
  handler: (request: NextRequest, context: Context) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    if (request.method !== "POST") {
      return handler(request instanceof NextRequest ? request : new NextRequest(request), context);
    }
    const body = await readBody(request, [FORM_TYPE, JSON_TYPE]);
    if (body.kind === "refused") return body.response;
    if (body.type === JSON_TYPE && !isJsonObject(body.text)) {
      return jsonResult({ ok: false, message: "The request is not valid JSON." }, 400);
    }
    const buffered = new NextRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: body.bytes as BodyInit,
    });
    return handler(buffered, context);
  };
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
