import "server-only";
import type * as z from "zod/mini";
import { checkPasswordStrength } from "@/lib/auth/password-strength";
import { withNormalisedPassword } from "@/lib/auth/passwords";
import { getEnv } from "@/lib/env";
import { checkForm, weakPassword, type Checked } from "./answer";

/**
 * A form that sets a password (register, reset): the shared schema, built for the configured minimum
 * length (PASSWORD_MIN_LENGTH), on the normalised password, then the strength check against what the
 * form says about its owner. Both come before any throttle and before Directus: they look at the form
 * only, so they answer alike for every account, and retrying with a better password costs no attempt.
 */
export async function checkNewPasswordForm<Schema extends z.ZodMiniType<{ password: string }>>(
  schemaFor: (minLength: number) => Schema,
  input: unknown,
  ownerWords: (data: z.output<Schema>) => Array<string | undefined>,
): Promise<Checked<z.output<Schema>>> {
  const schema = schemaFor(getEnv().PASSWORD_MIN_LENGTH);
  const checked = checkForm(schema, input, withNormalisedPassword);
  if (checked.kind === "invalid") return checked;
  const strength = await checkPasswordStrength(checked.data.password, ownerWords(checked.data));
  return strength.kind === "strong"
    ? checked
    : { kind: "invalid", answer: weakPassword(strength.message) };
}
