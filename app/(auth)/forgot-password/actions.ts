"use server";

import { headers } from "next/headers";
import { fieldsOf, panelFor, stateOf } from "@/lib/forms/action-state";
import { submitForgotPassword } from "@/lib/forms/forgot-password";
import type { FormState } from "@/lib/validations/form-state";

/** "Forgot your password?"; on success the form says a link is on its way, if the account exists. */
export async function forgotPasswordAction(
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const fields = fieldsOf(formData, ["email"]);
  const answer = await submitForgotPassword(fields, await headers());
  return stateOf(answer, fields, answer.result.ok ? panelFor("reset-link-sent", fields) : {});
}
