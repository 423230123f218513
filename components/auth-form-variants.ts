import type * as z from "zod/mini";
import {
  forgotPasswordSchema,
  loginSchema,
  registerSchema,
  resetPasswordSchema,
} from "@/lib/validations/auth";

export type AuthVariant = "login" | "register" | "forgot-password" | "reset-password";

/** Names match the keys of the shared schemas and of the server's `fieldErrors`. */
export type FieldName = "first_name" | "last_name" | "email" | "password";

export interface FieldSpec {
  name: FieldName;
  label: string;
  type: "text" | "email" | "password";
  autoComplete: "given-name" | "family-name" | "email" | "current-password" | "new-password";
}

/** What happens once the server accepts the form. */
export type SuccessAction =
  | { kind: "go-to-callback" }
  | { kind: "go-to"; path: string }
  | { kind: "panel"; panel: "check-inbox" | "reset-link-sent" };

export type SubmitTarget = { kind: "next-auth-credentials" } | { kind: "json"; endpoint: string };

export interface VariantSpec {
  fields: readonly FieldSpec[];
  /** Two-column row on wider screens for the name fields. */
  pairFirstTwo?: boolean;
  submitLabel: string;
  pendingLabel: string;
  schema: (passwordMinLength: number) => z.ZodMiniType<Record<string, unknown>>;
  submit: SubmitTarget;
  success: SuccessAction;
  /** A 400 from this endpoint means the link in the email is spent: offer a way to get a new one. */
  spentLinkHelp?: { href: string; label: string };
}

const email: FieldSpec = { name: "email", label: "Email", type: "email", autoComplete: "email" };

export const AUTH_VARIANTS: Record<AuthVariant, VariantSpec> = {
  login: {
    fields: [
      email,
      { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
    ],
    submitLabel: "Sign in",
    pendingLabel: "Signing in…",
    schema: () => loginSchema,
    submit: { kind: "next-auth-credentials" },
    success: { kind: "go-to-callback" },
  },
  register: {
    fields: [
      { name: "first_name", label: "First name", type: "text", autoComplete: "given-name" },
      { name: "last_name", label: "Last name", type: "text", autoComplete: "family-name" },
      email,
      { name: "password", label: "Password", type: "password", autoComplete: "new-password" },
    ],
    pairFirstTwo: true,
    submitLabel: "Create account",
    pendingLabel: "Creating account…",
    schema: registerSchema,
    submit: { kind: "json", endpoint: "/api/auth/register" },
    success: { kind: "panel", panel: "check-inbox" },
  },
  "forgot-password": {
    fields: [email],
    submitLabel: "Send reset link",
    pendingLabel: "Sending…",
    schema: () => forgotPasswordSchema,
    submit: { kind: "json", endpoint: "/api/auth/forgot-password" },
    success: { kind: "panel", panel: "reset-link-sent" },
  },
  "reset-password": {
    fields: [
      { name: "password", label: "New password", type: "password", autoComplete: "new-password" },
    ],
    submitLabel: "Set new password",
    pendingLabel: "Saving…",
    schema: resetPasswordSchema,
    submit: { kind: "json", endpoint: "/api/auth/reset-password" },
    success: { kind: "go-to", path: "/login?reset=1" },
    spentLinkHelp: { href: "/forgot-password", label: "Request a new link" },
  },
};

export function passwordHint(minLength: number): string {
  return `At least ${minLength} characters. Spaces and any characters are fine; a few random words work well.`;
}
