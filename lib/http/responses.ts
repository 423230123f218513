import "server-only";
import type { FormAnswer } from "@/lib/forms/answer";
import { secureApiHeaders } from "@/lib/security/runtime";
import type { FormResult } from "@/lib/validations/auth";

/** Every auth answer is personal and short-lived: no cache may keep it (secureApiHeaders: no-store). */
export function jsonResult(body: FormResult, status: number, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  secureApiHeaders(merged);
  return Response.json(body, { status, headers: merged });
}

/** A form's answer (lib/forms/answer.ts) as the JSON routes send it. */
export function respond(answer: FormAnswer): Response {
  const headers: HeadersInit =
    answer.retryAfterSeconds === undefined
      ? {}
      : { "Retry-After": String(answer.retryAfterSeconds) };
  return jsonResult(answer.result, answer.status, headers);
}
