import "server-only";
import { z } from "zod";
import type { FormResult } from "@/lib/validations/auth";

/** Every auth answer is personal and short-lived: no cache may keep it. */
export function jsonResult(body: FormResult, status: number, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  merged.set("Cache-Control", "no-store");
  return Response.json(body, { status, headers: merged });
}

/**
 * 422 with the schema's own messages, keyed by field name, as the forms expect. Form-level issues
 * (unknown fields under a strict schema) get a fixed message: zod's would echo the client's keys.
 */
export function invalidFields(error: z.ZodError): Response {
  const fieldErrors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(z.flattenError(error).fieldErrors)) {
    if (Array.isArray(messages) && messages.length > 0) fieldErrors[field] = messages;
  }
  if (Object.keys(fieldErrors).length === 0) {
    return jsonResult(
      {
        ok: false,
        message: "This form has fields we don't accept. Reload the page and try again.",
      },
      422,
    );
  }
  return jsonResult({ ok: false, message: "Check the highlighted fields.", fieldErrors }, 422);
}

export function tooManyRequests(retryAfterSeconds: number): Response {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const wait = minutes === 1 ? "a minute" : `${minutes} minutes`;
  return jsonResult(
    { ok: false, message: `Too many attempts. Please wait ${wait} and try again.` },
    429,
    {
      "Retry-After": String(retryAfterSeconds),
    },
  );
}

export function serviceUnavailable(): Response {
  return jsonResult(
    {
      ok: false,
      message: "The service is temporarily unavailable. Please try again in a few minutes.",
    },
    503,
  );
}

export function internalError(): Response {
  return jsonResult(
    { ok: false, message: "Something went wrong on our side. Please try again later." },
    500,
  );
}
