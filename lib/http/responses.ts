import "server-only";
import { secureApiHeaders } from "@/lib/security/runtime";
import type { FormResult } from "@/lib/validations/auth";
import type { FormState } from "@/lib/validations/form-state";

/** Every auth answer is personal and short-lived: no cache may keep it (secureApiHeaders: no-store). */
function personalJson(body: FormResult | FormState, status: number, headers?: HeadersInit) {
  const merged = new Headers(headers);
  secureApiHeaders(merged);
  return Response.json(body, { status, headers: merged });
}

/** A form's result, as the JSON routes answer other clients. */
export function jsonResult(body: FormResult, status: number, headers?: HeadersInit): Response {
  return personalJson(body, status, headers);
}

/** A form's whole state, as a Server Action would hand it to our own form (the enhanced sign-in). */
export function jsonFormState(state: FormState, status: number, headers?: HeadersInit): Response {
  return personalJson(state, status, headers);
}
