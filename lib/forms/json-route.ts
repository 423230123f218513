import "server-only";
import type { HeaderSource } from "@/lib/http/header-source";
import { readJson } from "@/lib/http/read-json";
import { jsonResult } from "@/lib/http/responses";
import { rejectCrossSite } from "@/lib/http/same-origin";
import type { FormAnswer } from "./answer";

type SubmitForm = (input: unknown, headers: HeaderSource) => Promise<FormAnswer>;

/**
 * A form's JSON route, for clients other than our own pages (which post the same form through a
 * Server Action): refuse cross-site requests, read a bounded JSON body, and hand it to the form's
 * handler in lib/forms/, which checks it with the shared schema and does the work.
 */
export function jsonFormRoute(submit: SubmitForm): (request: Request) => Promise<Response> {
  return async (request) => {
    const refused = rejectCrossSite(request);
    if (refused) return refused;
    const body = await readJson(request);
    if (body.kind === "refused") return body.response;
    return respond(await submit(body.value, request.headers));
  };
}

/** A form's answer as the JSON routes send it: its result, its status and any Retry-After. */
function respond(answer: FormAnswer): Response {
  return jsonResult(answer.result, answer.status, retryAfterHeader(answer));
}

/** A throttle's wait, for the answer's headers. */
export function retryAfterHeader(answer: FormAnswer): HeadersInit {
  const wait = answer.retryAfterSeconds;
  return wait === undefined ? {} : { "Retry-After": String(wait) };
}
