import { ROUTES } from "@/lib/routes";

export type AuthVariant = "login" | "register" | "forgot-password" | "reset-password";

/** Names match the keys of the shared schemas and of the server's `fieldErrors`. */
export type FieldName = "first_name" | "last_name" | "email" | "password";

export interface FieldSpec {
  name: FieldName;
  label: string;
  type: "text" | "email" | "password";
  autoComplete: "given-name" | "family-name" | "email" | "current-password" | "new-password";
}

export interface HelpLink {
  href: string;
  label: string;
}

export interface VariantSpec {
  fields: readonly FieldSpec[];
  /** Two-column row on wider screens for the name fields. */
  pairFirstTwo?: boolean;
  submitLabel: string;
  pendingLabel: string;
  /** A link to offer beside a refusal, by the refusal's status (lib/forms/). */
  helpFor?: Partial<Record<number, HelpLink>>;
  /**
   * Where the enhanced form posts its fields as JSON instead of calling the page's Server Action
   * (components/post-form-json.ts). Without JavaScript the form still posts to the action.
   */
  enhancedPostTo?: string;
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
    // Next renders the whole page again after an action that sets a cookie; the route does not.
    enhancedPostTo: ROUTES.signInSubmit,
    // Refusing an unconfirmed account looks exactly like a wrong password (401), so every refusal
    // of the credentials offers the confirmation link again.
    helpFor: {
      401: {
        href: "/resend-confirmation",
        label: "Registered but not confirmed yet? Send the link again",
      },
    },
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
  },
  "forgot-password": {
    fields: [email],
    submitLabel: "Send reset link",
    pendingLabel: "Sending…",
  },
  "reset-password": {
    fields: [
      { name: "password", label: "New password", type: "password", autoComplete: "new-password" },
    ],
    submitLabel: "Set new password",
    pendingLabel: "Saving…",
    // A 400 means the link in the email is spent: offer a way to get a new one.
    helpFor: { 400: { href: "/forgot-password", label: "Request a new link" } },
  },
};

export function passwordHint(minLength: number): string {
  return `At least ${minLength} characters. Spaces and any characters are fine; a few random words work well.`;
}
