// First, before any zod schema exists: no eval-based JIT under the CSP (see the module).
import "@/lib/validations/zod-jitless";
import * as z from "zod/mini";
import type { AuthVariant, VariantSpec } from "@/components/auth-form-variants";
import { splitErrors } from "@/components/auth-form-state";
import {
  forgotPasswordSchema,
  loginSchema,
  newPasswordFormSchema,
  registerSchema,
} from "@/lib/validations/auth";

/**
 * The form's instant check with the shared schemas (the server checks the same ones). zod is most of
 * the form's JavaScript, so this module is loaded apart, when someone first focuses or sends the
 * form (useAuthForm): a visitor who only looks at the page never downloads it.
 */
const SCHEMAS: Record<AuthVariant, (min: number) => z.ZodMiniType<Record<string, unknown>>> = {
  login: () => loginSchema,
  register: registerSchema,
  "forgot-password": () => forgotPasswordSchema,
  "reset-password": newPasswordFormSchema,
};

export function checkFields(
  variant: AuthVariant,
  spec: VariantSpec,
  passwordMinLength: number,
  input: Record<string, string>,
) {
  const parsed = SCHEMAS[variant](passwordMinLength).safeParse(input);
  if (parsed.success) return { kind: "valid" as const, data: parsed.data };
  const flat = z.flattenError(parsed.error);
  const { fields, other } = splitErrors(spec, flat.fieldErrors);
  return { kind: "invalid" as const, fields, other: [...flat.formErrors, ...other] };
}

export type CheckFields = typeof checkFields;
