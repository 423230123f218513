import type { Metadata } from "next";
import Link from "next/link";
import { firstParam } from "@/app/(auth)/search-params";
import type { SearchParams } from "@/app/(auth)/search-params";
import { AuthCard } from "@/components/auth-card";
import {
  controlHeightClassName,
  primaryButtonClassName,
  secondaryButtonClassName,
} from "@/components/field-styles";
import { verifyEmail } from "@/lib/auth/verify-email";
import { retryThroughProxyIfDown } from "@/lib/http/retry-through-proxy";

export const metadata: Metadata = {
  title: "Confirm your email",
  referrer: "no-referrer",
};

// Every visit spends or checks a one-time token: never serve a stored copy of this page.
export const dynamic = "force-dynamic";

export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const token = firstParam((await searchParams).token);
  const outcome = token ? await verifyEmail(token) : "invalid";

  if (outcome === "verified") {
    return (
      <AuthCard
        icon="success"
        title="Email confirmed"
        subtitle="Your account is ready. Sign in to get started."
      >
        <Link href="/login?verified=1" className={primaryButtonClassName}>
          Sign in
        </Link>
      </AuthCard>
    );
  }

  if (outcome === "unavailable") {
    retryThroughProxyIfDown(`/verify-email?token=${encodeURIComponent(token ?? "")}`);
    return (
      <AuthCard
        icon="clock"
        title="Temporarily unavailable"
        subtitle="We couldn't confirm your email just now. This is on our side; please try again in a minute."
      >
        <a
          href={`/verify-email?token=${encodeURIComponent(token ?? "")}`}
          className={primaryButtonClassName}
        >
          Try again
        </a>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      icon="error"
      title="This link can't be used"
      subtitle="This confirmation link is invalid or was already used. If you've confirmed your email before, just sign in; otherwise register again to get a new link."
    >
      <div className="flex flex-col gap-3">
        <Link href="/login" className={primaryButtonClassName}>
          Sign in
        </Link>
        <Link
          href="/register"
          className={`${secondaryButtonClassName} ${controlHeightClassName} w-full`}
        >
          Register again
        </Link>
      </div>
    </AuthCard>
  );
}
