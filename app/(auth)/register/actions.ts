"use server";

import { headers } from "next/headers";
import { fieldsOf, panelFor, stateOf } from "@/lib/forms/action-state";
import { submitRegistration } from "@/lib/forms/register";
import type { FormState } from "@/lib/validations/form-state";

/** The registration form's post; on success the form shows where the confirmation link went. */
export async function registerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = fieldsOf(formData, ["first_name", "last_name", "email", "password"]);
  const answer = await submitRegistration(fields, await headers());
  return stateOf(answer, fields, answer.result.ok ? panelFor("check-inbox", fields) : {});
}
