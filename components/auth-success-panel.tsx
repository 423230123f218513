import type { RefObject } from "react";
import { EmailAddress } from "@/components/email-address";
import { controlHeightClassName, secondaryButtonClassName } from "@/components/field-styles";
import { ResendLinkForm } from "@/components/resend-link-form";

/** What replaces the form once it has done its job: where the mail went and what to do next. */
export interface AuthSuccess {
  panel: "check-inbox" | "reset-link-sent";
  email: string;
}

/** Its heading takes focus when shown (see useAuthForm), so screen readers announce the change. */
export function AuthSuccessPanel({
  success,
  headingRef,
  onStartOver,
}: {
  success: AuthSuccess;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onStartOver: () => void;
}) {
  const email = <EmailAddress address={success.email} className="font-medium text-fg" />;
  return (
    <div data-auth-success className="text-center">
      <div className="mx-auto flex size-12 items-center justify-center rounded-full bg-brand-soft text-brand-text ring-8 ring-brand-soft/50">
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          className="size-6"
        >
          <path
            d="M21.75 6.75v10.5a2.25 2.25 0 0 1-2.25 2.25h-15a2.25 2.25 0 0 1-2.25-2.25V6.75m19.5 0A2.25 2.25 0 0 0 19.5 4.5h-15a2.25 2.25 0 0 0-2.25 2.25m19.5 0v.24a2.25 2.25 0 0 1-1.07 1.92l-7.5 4.61a2.25 2.25 0 0 1-2.36 0L3.32 8.91a2.25 2.25 0 0 1-1.07-1.91v-.25"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </div>
      <h2
        ref={headingRef}
        tabIndex={-1}
        className="mt-5 text-xl/7 font-semibold tracking-tight text-fg outline-none"
      >
        Check your inbox
      </h2>
      {success.panel === "check-inbox" ? (
        <>
          <p className="mt-2 text-sm/6 text-fg-muted">
            We sent a confirmation link to {email}. Open it and confirm with the password you just
            chose to activate your account.
          </p>
          <p className="mt-4 text-xs/5 text-fg-subtle">
            No email after a few minutes? Check your spam folder, or make sure the address is right.
          </p>
          <div className="mt-4">
            <ResendLinkForm email={success.email} />
          </div>
        </>
      ) : (
        <>
          <p className="mt-2 text-sm/6 text-fg-muted">
            If an account exists for {email}, we&apos;ve sent a link to reset its password. The link
            works once.
          </p>
          {/* A link, so it works without JavaScript too: it opens an empty form. */}
          <a
            href="/forgot-password"
            onClick={(event) => {
              event.preventDefault();
              onStartOver();
            }}
            className={`${secondaryButtonClassName} ${controlHeightClassName} mt-6 w-full`}
          >
            Use a different email
          </a>
        </>
      )}
    </div>
  );
}
