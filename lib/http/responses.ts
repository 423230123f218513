import "server-only";
import { z } from "zod";
import { secureApiHeaders } from "@/lib/security/runtime";
import type { FormResult } from "@/lib/validations/auth";
import { waitInWords } from "@/lib/validations/wait-in-words";

export { waitInWords };

/** Every auth answer is personal and short-lived: no cache may keep it (secureApiHeaders: no-store). */
export function jsonResult(body: FormResult, status: number, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  secureApiHeaders(merged);
  return Response.json(body, { status, headers: merged });
}

/**
 * Passed to `safeParse` by every route: the message for a check that has none of its own. zod's
 * defaults describe types ("Invalid input: expected string, received number"), which is for
 * developers, not for the person at the form. The schema's own messages always take precedence.
 */
export const plainIssue: z.core.$ZodErrorMap = (issue) =>
  issue.code === "too_big" ? "This is too long." : "This is not valid. Check it and try again.";

/**
 * 422 with the schema's own messages, keyed by field name, as the forms expect. Form-level issues
 * (unknown fields under a strict schema) get a fixed message: zod's would echo the client's keys.
 */
export function invalidFields(error: z.core.$ZodError): Response {
  const fieldErrors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(z.flattenError(error).fieldErrors)) {
    if (Array.isArray(messages) && messages.length > 0) fieldErrors[field] = messages;
  }
  if (Object.keys(fieldErrors).length === 0) {
    const extraFields = error.issues.some((issue) => issue.code === "unrecognized_keys");
    return jsonResult(
      {
        ok: false,
        message: extraFields
          ? "This form has fields we don't accept. Reload the page and try again."
          : "This request is not a form we understand. Reload the page and try again.",
      },
      422,
    );
  }
  return jsonResult({ ok: false, message: "Check the highlighted fields.", fieldErrors }, 422);
}

export function tooManyRequests(retryAfterSeconds: number): Response {
  const wait = waitInWords(retryAfterSeconds);
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

/** 422 on the password field of a form that sets one: the password is too easy to guess. */
export function weakPassword(message: string): Response {
  return jsonResult(
    { ok: false, message: "Check the highlighted fields.", fieldErrors: { password: [message] } },
    422,
  );
}
