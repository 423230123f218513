import "server-only";
import type { HeaderSource } from "@/lib/abuse/client-address";
import type { FormAnswer } from "@/lib/forms/answer";
import { readJson } from "./read-json";
import { respond } from "./responses";
import { rejectCrossSite } from "./same-origin";

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
    if (!body.ok) return body.response;
    return respond(await submit(body.value, request.headers));
  };
}
