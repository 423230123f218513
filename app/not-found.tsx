import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { primaryButtonClassName } from "@/components/field-styles";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <AuthCard
      icon="error"
      title="Page not found"
      subtitle="The link may be mistyped, or the page may have moved."
    >
      <Link href="/account" className={primaryButtonClassName}>
        Go to your account
      </Link>
    </AuthCard>
  );
}
