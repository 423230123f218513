import * as z from "zod/mini";
import type { FormResult } from "@/lib/validations/auth";
import { waitInWords } from "@/lib/validations/wait-in-words";

/**
 * What the server says about one submitted form, whatever carried it: a JSON route turns it into a
 * response (json-route.ts), a Server Action into the state the form shows (action-state.ts).
 * `status` is the HTTP status the JSON answer uses.
 */
export interface FormAnswer {
  status: number;
  result: FormResult;
  /** Seconds, for a refusal by a throttle: the JSON answer's Retry-After. */
  retryAfterSeconds?: number;
}

export function accepted(message: string, status: number): FormAnswer {
  return { status, result: { ok: true, message } };
}

export function refused(
  message: string,
  status: number,
  fieldErrors?: Record<string, string[]>,
): FormAnswer {
  return { status, result: { ok: false, message, ...(fieldErrors ? { fieldErrors } : {}) } };
}

export function tooManyRequests(retryAfterSeconds: number): FormAnswer {
  const wait = waitInWords(retryAfterSeconds);
  return {
    ...refused(`Too many attempts. Please wait ${wait} and try again.`, 429),
    retryAfterSeconds,
  };
}

export function serviceUnavailable(): FormAnswer {
  return refused("The service is temporarily unavailable. Please try again in a few minutes.", 503);
}

export function internalError(): FormAnswer {
  return refused("Something went wrong on our side. Please try again later.", 500);
}

/** 422 on the password field of a form that sets one: the password is too easy to guess. */
export function weakPassword(message: string): FormAnswer {
  return refused("Check the highlighted fields.", 422, { password: [message] });
}

/**
 * Passed to `safeParse` for every submitted form: the message for a check that has none of its own.
 * zod's defaults describe types ("Invalid input: expected string, received number"), which is for
 * developers, not for the person at the form. The schema's own messages always take precedence.
 */
export const plainIssue: z.core.$ZodErrorMap = (issue) =>
  issue.code === "too_big" ? "This is too long." : "This is not valid. Check it and try again.";

/**
 * 422 with the schema's own messages, keyed by field name, as the forms expect. Form-level issues
 * (unknown fields under a strict schema) get a fixed message: zod's would echo the client's keys.
 */
export function invalidFields(error: z.core.$ZodError): FormAnswer {
  const fieldErrors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(z.flattenError(error).fieldErrors)) {
    if (Array.isArray(messages) && messages.length > 0) fieldErrors[field] = messages;
  }
  if (Object.keys(fieldErrors).length > 0) {
    return refused("Check the highlighted fields.", 422, fieldErrors);
  }
  const extraFields = error.issues.some((issue) => issue.code === "unrecognized_keys");
  return refused(
    extraFields
      ? "This form has fields we don't accept. Reload the page and try again."
      : "This request is not a form we understand. Reload the page and try again.",
    422,
  );
}

export type Checked<T> = { kind: "valid"; data: T } | { kind: "invalid"; answer: FormAnswer };

/** A submitted form checked with its shared schema; `prepare` runs first (password normalisation). */
export function checkForm<Schema extends z.ZodMiniType>(
  schema: Schema,
  value: unknown,
  prepare: (value: unknown) => unknown = (v) => v,
): Checked<z.output<Schema>> {
  const parsed = schema.safeParse(prepare(value), { error: plainIssue });
  return parsed.success
    ? { kind: "valid", data: parsed.data }
    : { kind: "invalid", answer: invalidFields(parsed.error) };
}
