import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { firstParam } from "@/app/(auth)/search-params";
import type { SearchParams } from "@/app/(auth)/search-params";
import { AuthCard, FooterLink } from "@/components/auth-card";
import { signInAction } from "@/app/(auth)/login/actions";
import { AuthForm } from "@/components/auth-form";
import { textLinkClassName } from "@/components/field-styles";
import { Notice } from "@/components/notice";
import { CONFIRMED_EMAIL_COOKIE } from "@/lib/auth/link-token";
import { loginErrorMessage } from "@/lib/validations/login-errors";
import { EMAIL_MAX_LENGTH } from "@/lib/validations/auth";

export const metadata: Metadata = { title: "Sign in" };

function noticeFor(params: SearchParams): ReactNode {
  const code = firstParam(params.error);
  const error = loginErrorMessage(code);
  if (error) {
    return (
      <Notice tone="error" role="alert">
        <p>{error}</p>
        {/* An unconfirmed account is refused exactly like a wrong password: offer the link on every failure. */}
        {code === "CredentialsSignin" ? (
          <p className="mt-1">
            <Link href="/resend-confirmation" className={textLinkClassName}>
              Registered but not confirmed yet? Send the link again
            </Link>
          </p>
        ) : null}
      </Notice>
    );
  }
  const success =
    firstParam(params.reset) === "1"
      ? "Your password was changed. Sign in with your new password."
      : firstParam(params.verified) === "1"
        ? "Your email is confirmed. Sign in to get started."
        : firstParam(params.signedOut) === "1"
          ? "You've been signed out."
          : null;
  return success ? (
    <Notice tone="success" role="status">
      {success}
    </Notice>
  ) : null;
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  // Set by the confirmation (verify-email/actions.ts); only shown right after it.
  const confirmedEmail =
    firstParam(params.verified) === "1"
      ? (await cookies()).get(CONFIRMED_EMAIL_COOKIE)?.value
      : undefined;
  return (
    <AuthCard
      title="Sign in"
      subtitle="Welcome back. Enter your email and password to continue."
      notice={noticeFor(params)}
      footer={
        <>
          <FooterLink href="/forgot-password">Forgot your password?</FooterLink>
          <FooterLink prompt="New here?" href="/register">
            Create an account
          </FooterLink>
        </>
      }
    >
      {/* The form re-checks this value before using it: it arrives straight from the address bar. */}
      <AuthForm
        variant="login"
        action={signInAction}
        callbackUrl={firstParam(params.callbackUrl)}
        email={confirmedEmail?.slice(0, EMAIL_MAX_LENGTH)}
      />
    </AuthCard>
  );
}
