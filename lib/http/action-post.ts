import "server-only";
import { timeLimit } from "./read-json";
import { jsonResult } from "./responses";

/**
 * A POST to a page is one of its forms' Server Actions, and Next answers a malformed one with a 500
 * (a body that is not multipart, a `$ACTION_` field or a reply part that is not JSON, a body over its
 * 1 MB limit). The proxy checks every page POST here first, so hostile or broken ones get a plain
 * 4xx instead. What a browser sends always passes: forms post a few hundred bytes with a length.
 *
 * The body is read from a clone, within a size and a time limit; Next still reads the original.
 */
export const ACTION_BODY_MAX_BYTES = 32 * 1024;
const ACTION_BODY_TIMEOUT_MS = 10_000;

const UNREADABLE = "This form could not be read. Reload the page and try again.";

function refuse(status: number, message: string): Response {
  return jsonResult({ ok: false, message }, status);
}

/** Fields whose value Next or React parse as JSON: no-JS `$ACTION_1:0`, enhanced reply parts `0`. */
const JSON_FIELD = /^(\$ACTION_\d+:\d+|\d+)$/;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function readWithin(request: Request, ms: number): Promise<ArrayBuffer | "too_slow"> {
  const deadline = timeLimit(ms);
  try {
    return await Promise.race([request.clone().arrayBuffer(), deadline.expired]);
  } finally {
    deadline.clear();
  }
}

export async function refuseMalformedActionPost(request: Request): Promise<Response | null> {
  if (request.method !== "POST") return null;
  // Lower case only to compare: a multipart boundary is case-sensitive.
  const header = request.headers.get("content-type") ?? "";
  const type = header.toLowerCase();
  const isAction = request.headers.has("next-action") || type.startsWith("multipart/form-data");
  if (!isAction) return null;

  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (!Number.isFinite(declared)) return refuse(411, "This form was sent without a length.");
  if (declared > ACTION_BODY_MAX_BYTES) return refuse(413, "The request is too large.");

  let body: ArrayBuffer | "too_slow";
  try {
    body = await readWithin(request, ACTION_BODY_TIMEOUT_MS);
  } catch {
    return refuse(400, UNREADABLE);
  }
  if (body === "too_slow") return refuse(408, "The request took too long to arrive.");

  if (!type.startsWith("multipart/form-data")) {
    // An enhanced action's arguments without files: one JSON text.
    return isJson(new TextDecoder().decode(body)) ? null : refuse(400, UNREADABLE);
  }
  let fields: FormData;
  try {
    fields = await new Response(body, { headers: { "content-type": header } }).formData();
  } catch {
    return refuse(400, UNREADABLE);
  }
  for (const [name, value] of fields) {
    if (!JSON_FIELD.test(name)) continue;
    if (typeof value !== "string" || !isJson(value)) return refuse(400, UNREADABLE);
  }
  return null;
}
