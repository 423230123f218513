import type { Metadata } from "next";
import { firstParam } from "@/app/(auth)/search-params";
import type { SearchParams } from "@/app/(auth)/search-params";
import { AuthCard, FooterLink } from "@/components/auth-card";
import { Notice } from "@/components/notice";
import { ResendLinkForm } from "@/components/resend-link-form";

export const metadata: Metadata = { title: "Send the confirmation link again" };

const NOTICES: Record<string, { tone: "success" | "error"; text: string }> = {
  sent: {
    tone: "success",
    text: "If an account for this address is waiting to be confirmed, we've sent a new link. Check your inbox (and spam folder).",
  },
  invalid_email: { tone: "error", text: "Enter a valid email address, like name@example.com." },
  throttled: {
    tone: "error",
    text: "We've sent several links for now. Please wait an hour before asking again.",
  },
  unavailable: {
    tone: "error",
    text: "We couldn't send a link just now. This is on our side; please try again in a minute.",
  },
  failed: {
    tone: "error",
    text: "Something went wrong on our side. Please try again later.",
  },
};

export default async function ResendConfirmationPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const status = firstParam((await searchParams).status);
  const notice = status && Object.hasOwn(NOTICES, status) ? NOTICES[status] : undefined;
  return (
    <AuthCard
      title="Send the confirmation link again"
      subtitle="Enter the email address you registered with. Confirm with the password you chose when you registered."
      notice={
        notice ? (
          <Notice tone={notice.tone} role={notice.tone === "error" ? "alert" : "status"}>
            {notice.text}
          </Notice>
        ) : null
      }
      footer={<FooterLink href="/login">Back to sign in</FooterLink>}
    >
      <ResendLinkForm />
    </AuthCard>
  );
}
