import Link from "next/link";
import type { ReactNode } from "react";
import { AppName } from "@/components/app-name";
import { textLinkClassName } from "@/components/field-styles";

/**
 * The product mark and name (APP_NAME), at the top of every page. The mark is decorative; the name
 * is plain text, not a heading: every page has its own heading that says where the visitor is.
 */
export function BrandMark({
  size = "md",
  className = "",
}: {
  size?: "sm" | "md";
  className?: string;
}) {
  const box = size === "sm" ? "size-8 rounded-lg" : "size-10 rounded-xl";
  return (
    <div className={`flex items-center gap-2.5 ${className}`}>
      <div
        aria-hidden="true"
        className={`flex ${box} shrink-0 items-center justify-center bg-brand text-on-brand shadow-sm shadow-brand/30`}
      >
        <svg viewBox="0 0 24 24" fill="none" className={size === "sm" ? "size-4" : "size-5"}>
          <path
            d="M12 3.5 19.5 8v8L12 20.5 4.5 16V8L12 3.5Z"
            stroke="currentColor"
            strokeWidth="1.75"
            strokeLinejoin="round"
          />
          <path
            d="M12 12.25 19.5 8M12 12.25 4.5 8M12 12.25v8.25"
            stroke="currentColor"
            strokeWidth="1.75"
            strokeLinejoin="round"
          />
        </svg>
      </div>
      <AppName
        className={`min-w-0 truncate font-semibold tracking-tight text-fg ${size === "sm" ? "text-sm" : "text-base"}`}
      />
    </div>
  );
}

export type StatusIconKind = "success" | "error" | "mail" | "clock";

/** A large round icon above a card's title, for pages that report an outcome rather than ask for input. */
export function StatusIcon({ kind }: { kind: StatusIconKind }) {
  const tone =
    kind === "success"
      ? "bg-success-soft text-success ring-success-soft/60"
      : kind === "error"
        ? "bg-danger-soft text-danger ring-danger-soft/60"
        : kind === "clock"
          ? "bg-warning-soft text-warning ring-warning-soft/60"
          : "bg-brand-soft text-brand-text ring-brand-soft/60";
  const paths: Record<StatusIconKind, ReactNode> = {
    success: <path d="m4.5 12.75 6 6 9-13.5" />,
    error: <path d="M12 9v3.75m9-.75a9 9 0 1 1-18 0 9 9 0 0 1 18 0Zm-9 3.75h.01" />,
    clock: <path d="M12 6v6h4.5m4.5 0a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z" />,
    mail: (
      <path d="M21.75 6.75v10.5a2.25 2.25 0 0 1-2.25 2.25h-15a2.25 2.25 0 0 1-2.25-2.25V6.75m19.5 0A2.25 2.25 0 0 0 19.5 4.5h-15a2.25 2.25 0 0 0-2.25 2.25m19.5 0v.24a2.25 2.25 0 0 1-1.07 1.92l-7.5 4.61a2.25 2.25 0 0 1-2.36 0L3.32 8.91a2.25 2.25 0 0 1-1.07-1.91v-.25" />
    ),
  };
  return (
    <div
      className={`mx-auto mb-5 flex size-12 items-center justify-center rounded-full ring-8 ${tone}`}
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.75"
        strokeLinecap="round"
        strokeLinejoin="round"
        className="size-6"
      >
        {paths[kind]}
      </svg>
    </div>
  );
}

/** One line of the card's footer: an optional lead-in and a link. */
export function FooterLink({
  prompt,
  href,
  children,
}: {
  prompt?: string;
  href: string;
  children: ReactNode;
}) {
  return (
    <p>
      {prompt ? <span>{prompt} </span> : null}
      <Link href={href} className={textLinkClassName}>
        {children}
      </Link>
    </p>
  );
}

/**
 * The shell of every customer-facing auth page: the mark, a card with a title, an optional notice
 * and the page's content, and a footer for the links to the neighbouring pages. Pages that report an
 * outcome (with an `icon`) are centred; pages that ask for input are left-aligned like their form.
 *
 * When the form inside is replaced by its success panel (marked `data-auth-success`), the card's own
 * title and subtitle describe a step that is over, so CSS hides them: the card stays a server
 * component and the form needs no way to reach up into it.
 */
export function AuthCard({
  title,
  subtitle,
  icon,
  notice,
  footer,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  icon?: StatusIconKind;
  notice?: ReactNode;
  footer?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <main className="flex min-h-dvh flex-col items-center px-4 pt-12 pb-10 sm:justify-center sm:py-16">
      <div className="w-full max-w-[420px]">
        <BrandMark className="mb-8 justify-center" />
        <div className="overflow-hidden rounded-2xl border border-border bg-surface shadow-[0_1px_2px_rgb(0_0_0/0.04),0_12px_32px_-16px_rgb(0_0_0/0.16)]">
          <div className="group/card px-5 py-7 sm:px-8 sm:py-8">
            <div
              className={`group-has-[[data-auth-success]]/card:hidden ${icon ? "text-center" : ""}`}
            >
              {icon ? <StatusIcon kind={icon} /> : null}
              <h1 className="text-xl/7 font-semibold tracking-tight text-balance text-fg">
                {title}
              </h1>
              {subtitle ? (
                <div className="mt-1.5 text-sm/6 text-pretty text-fg-muted">{subtitle}</div>
              ) : null}
              {notice ? <div className="mt-5 text-left">{notice}</div> : null}
            </div>
            {children ? (
              <div className="mt-6 group-has-[[data-auth-success]]/card:mt-0">{children}</div>
            ) : null}
          </div>
          {footer ? (
            <div className="flex flex-col items-center gap-1.5 border-t border-border bg-surface-muted px-5 py-4 text-center text-sm/6 text-fg-muted sm:px-8">
              {footer}
            </div>
          ) : null}
        </div>
      </div>
    </main>
  );
}
