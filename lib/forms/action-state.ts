import "server-only";
import { headers } from "next/headers";
import { redirect, RedirectType } from "next/navigation";
import { emailSchema } from "@/lib/validations/auth";
import type { FormState } from "@/lib/validations/form-state";
import type { FormAnswer } from "./answer";

/** The fields of a form post the handlers judge; a file where text belongs stays a non-string. */
export function fieldsOf(formData: FormData, names: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of names) {
    const value = formData.get(name);
    if (value !== null) fields[name] = value;
  }
  return fields;
}

/** The panel a done form shows, with the address as the server reads it (trimmed, lower case). */
export function panelFor(
  kind: "check-inbox" | "reset-link-sent",
  fields: Record<string, unknown>,
): Pick<FormState, "panel"> {
  const email = emailSchema.safeParse(fields.email);
  return { panel: { kind, email: email.success ? email.data : "" } };
}

/** The answer as the form shows it, with what was typed except passwords. */
export function stateOf(
  answer: FormAnswer,
  fields: Record<string, unknown>,
  extra: Pick<FormState, "panel"> = {},
): FormState {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name !== "password" && typeof value === "string") values[name] = value;
  }
  return { status: answer.status, result: answer.result, values, ...extra };
}

/**
 * The form is done and the browser moves on. Posted without JavaScript, that is a 303 to `path`
 * (redirect() in a Server Action). The enhanced form is told where to go and loads it as a whole
 * page: the next page's first render must see the cookies this action just set, and a client-side
 * transition would render it without the proxy's session check (Next-Action marks its posts).
 */
export async function leaveFor(path: string): Promise<FormState> {
  if ((await headers()).has("next-action")) return leavingFor(path);
  redirect(path, RedirectType.replace);
}

/** The state that tells the enhanced form it is done and where to go (see leaveFor). */
export function leavingFor(path: string): FormState {
  return { status: 200, result: { ok: true }, values: {}, goTo: path };
}
