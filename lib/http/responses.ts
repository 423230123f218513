import "server-only";
import { secureApiHeaders } from "@/lib/security/runtime";
import type { FormResult } from "@/lib/validations/auth";

/** Every auth answer is personal and short-lived: no cache may keep it (secureApiHeaders: no-store). */
export function jsonResult(body: FormResult, status: number, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  secureApiHeaders(merged);
  return Response.json(body, { status, headers: merged });
}
