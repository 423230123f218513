"use client";

import Link from "next/link";
import { useEffect } from "react";
import { AuthCard } from "@/components/auth-card";
import { primaryButtonClassName, textLinkClassName } from "@/components/field-styles";

function digestOf(error: unknown): string | undefined {
  if (error instanceof Error && "digest" in error && typeof error.digest === "string")
    return error.digest;
  return undefined;
}

/**
 * Shown when a page fails, most often because the backend is unreachable. The error's message is never
 * shown: in development it carries server details. The digest is a hash that matches the server log.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  const digest = digestOf(error);

  return (
    <AuthCard
      icon="error"
      title="Something went wrong"
      subtitle="The service may be temporarily unavailable. Please try again in a minute."
    >
      <button type="button" onClick={() => retry()} className={primaryButtonClassName}>
        Try again
      </button>
      <p className="mt-4 text-center text-sm text-fg-muted">
        <Link href="/login" className={textLinkClassName}>
          Go to sign in
        </Link>
      </p>
      {digest ? (
        <p className="mt-6 text-center font-mono text-xs text-fg-subtle">Reference: {digest}</p>
      ) : null}
    </AuthCard>
  );
}
