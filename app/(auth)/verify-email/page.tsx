import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { confirmEmailAction } from "@/app/(auth)/verify-email/actions";
import { firstParam } from "@/app/(auth)/search-params";
import type { SearchParams } from "@/app/(auth)/search-params";
import { AuthCard, FooterLink } from "@/components/auth-card";
import {
  controlHeightClassName,
  inputClassName,
  primaryButtonClassName,
  secondaryButtonClassName,
} from "@/components/field-styles";
import { Notice } from "@/components/notice";
import { readLinkToken } from "@/lib/auth/link-token";

export const metadata: Metadata = {
  title: "Confirm your email",
  // Not no-referrer: see TOKEN_PAGE_REFERRER_POLICY in lib/security/headers.js.
  referrer: "same-origin",
};

// Reads the link's cookie on every visit: never serve a stored copy of this page.
export const dynamic = "force-dynamic";

const NOTICES: Record<string, string> = {
  missing_password: "Enter the password you chose when you registered.",
  wrong_password:
    "That is not the password of your latest registration. If you registered more than once, use the password from the last time, or register again to choose a new one.",
  throttled: "Too many attempts for now. Please wait 15 minutes and try again.",
  unavailable:
    "We couldn't confirm your email just now. This is on our side; please try again in a minute.",
};

/**
 * The confirmation link lands here (the proxy has moved its token into a cookie). Opening the page
 * spends nothing: the account is activated only by the form's POST, with the password chosen at
 * registration, so a mail scanner following the link, or someone who registered this address before
 * its owner did, cannot confirm it.
 */
export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const status = firstParam((await searchParams).status);
  const token = readLinkToken(await cookies(), "/verify-email");

  if (!token || status === "invalid") {
    return (
      <AuthCard
        icon="error"
        title="This link can't be used"
        subtitle="This confirmation link is invalid, expired or was already used. If you've confirmed your email before, just sign in; otherwise ask for a new link."
      >
        <div className="flex flex-col gap-3">
          <Link href="/login" className={primaryButtonClassName}>
            Sign in
          </Link>
          <Link
            href="/resend-confirmation"
            className={`${secondaryButtonClassName} ${controlHeightClassName} w-full`}
          >
            Send the link again
          </Link>
        </div>
      </AuthCard>
    );
  }

  const notice = status && Object.hasOwn(NOTICES, status) ? NOTICES[status] : undefined;
  return (
    <AuthCard
      title="Confirm your email"
      subtitle="Enter the password you chose when you registered to activate your account."
      notice={
        notice ? (
          <Notice tone="error" role="alert">
            {notice}
          </Notice>
        ) : null
      }
      footer={<FooterLink href="/resend-confirmation">Send the link again</FooterLink>}
    >
      <form action={confirmEmailAction} aria-label="Confirm your email">
        <label htmlFor="confirm-password" className="block text-sm/6 font-medium text-fg">
          Password
        </label>
        <div className="mt-1">
          <input
            id="confirm-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={256}
            aria-describedby="confirm-password-hint"
            aria-invalid={status === "wrong_password" || status === "missing_password"}
            className={inputClassName(status === "wrong_password")}
          />
        </div>
        <p id="confirm-password-hint" className="mt-1 text-sm/6 text-fg-muted">
          The password you chose when you registered.
        </p>
        <button type="submit" className={`${primaryButtonClassName} mt-4`}>
          Confirm my email
        </button>
      </form>
    </AuthCard>
  );
}
