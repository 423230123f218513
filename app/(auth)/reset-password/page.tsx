import type { Metadata } from "next";
import Link from "next/link";
import { firstParam } from "@/app/(auth)/search-params";
import type { SearchParams } from "@/app/(auth)/search-params";
import { AuthCard, FooterLink } from "@/components/auth-card";
import { AuthForm } from "@/components/auth-form";
import { primaryButtonClassName } from "@/components/field-styles";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = {
  title: "Choose a new password",
  // The token is in the address: keep it out of the Referer header of anything this page loads or links to.
  referrer: "no-referrer",
};

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const token = firstParam((await searchParams).token);
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
        token={token}
        passwordMinLength={getEnv().PASSWORD_MIN_LENGTH}
      />
    </AuthCard>
  );
}
