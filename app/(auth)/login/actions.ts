"use server";

import { headers } from "next/headers";
import { fieldsOf, leaveFor } from "@/lib/forms/action-state";
import { completeSignIn } from "@/lib/forms/complete-sign-in";
import type { FormState } from "@/lib/validations/form-state";

/**
 * The sign-in form's post without JavaScript (a Server Action: a real form post, and Next refuses one
 * from another origin). Success sets next-auth's session cookie and leaves for the same-origin
 * `callbackUrl` the form carried, or the account page. The enhanced form posts the same fields to
 * ./submit/route.ts instead, which skips Next's re-render of this page after an action sets a cookie
 * (docs/architecture.md, "Forms").
 */
export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = fieldsOf(formData, ["email", "password"]);
  const done = await completeSignIn(fields, formData.get("callbackUrl"), await headers());
  return done.kind === "refused" ? done.state : leaveFor(done.path);
}
