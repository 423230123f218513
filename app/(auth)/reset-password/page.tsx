import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { AuthCard, FooterLink } from "@/components/auth-card";
import { resetPasswordAction } from "@/app/(auth)/reset-password/actions";
import { AuthForm } from "@/components/auth-form";
import { primaryButtonClassName } from "@/components/field-styles";
import { readLinkToken } from "@/lib/auth/link-token";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = {
  title: "Choose a new password",
  // The proxy has moved the link's token out of the address into a cookie (lib/auth/link-token.ts).
  // Not no-referrer: see TOKEN_PAGE_REFERRER_POLICY in lib/security/headers.js.
  referrer: "same-origin",
};

// Reads the link's cookie on every visit: never serve a stored copy of this page.
export const dynamic = "force-dynamic";

/** Opening the page spends nothing: the token is used only when the form is sent. */
export default async function ResetPasswordPage() {
  const token = readLinkToken(await cookies(), "/reset-password");
  const footer = <FooterLink href="/login">Back to sign in</FooterLink>;

  if (!token) {
    return (
      <AuthCard
        icon="error"
        title="This reset link is incomplete"
        subtitle="Open the link from your password reset email again, or ask for a new one. Links work once and expire after a while."
        footer={footer}
      >
        <Link href="/forgot-password" className={primaryButtonClassName}>
          Request a new link
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Choose a new password"
      subtitle="You'll use it the next time you sign in."
      footer={footer}
    >
      <AuthForm
        variant="reset-password"
        action={resetPasswordAction}
        passwordMinLength={getEnv().PASSWORD_MIN_LENGTH}
      />
    </AuthCard>
  );
}
