import type { Metadata } from "next";
import Link from "next/link";
import { controlHeightClassName, secondaryButtonClassName } from "@/components/field-styles";
import { requireCustomer } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your account" };

// Personal data: render per request, never from a cache.
export const dynamic = "force-dynamic";

function initials(firstName: string, lastName: string, email: string): string {
  const letters = [firstName, lastName].map((s) => [...s.trim()][0] ?? "").join("");
  return (letters || ([...email][0] ?? "?")).toUpperCase();
}

export default async function AccountPage() {
  // Reading the profile with the customer's own session is also what proves the session alive.
  const user = await requireCustomer("/account");

  const fullName = [user.firstName, user.lastName].filter((s) => s.trim() !== "").join(" ");

  return (
    <main className="mx-auto max-w-3xl px-4 py-10 sm:px-6 sm:py-14">
      <h1 className="text-2xl/8 font-semibold tracking-tight text-fg">Your account</h1>
      <p className="mt-1 text-sm/6 text-fg-muted">The details we have for you.</p>

      <section
        aria-labelledby="signed-in-as"
        className="mt-8 divide-y divide-border rounded-2xl border border-border bg-surface shadow-[0_1px_2px_rgb(0_0_0/0.04)]"
      >
        <div className="flex items-center gap-4 p-5 sm:p-6">
          <div
            aria-hidden="true"
            className="flex size-12 shrink-0 items-center justify-center rounded-full bg-brand-soft text-base font-semibold text-brand-text"
          >
            {initials(user.firstName, user.lastName, user.email)}
          </div>
          <div className="min-w-0">
            <h2
              id="signed-in-as"
              className="text-xs font-medium tracking-wide text-fg-subtle uppercase"
            >
              Signed in as
            </h2>
            {fullName ? (
              <p className="mt-0.5 truncate text-base font-semibold text-fg">{fullName}</p>
            ) : null}
            <p className="truncate text-sm text-fg-muted">{user.email}</p>
          </div>
        </div>
        <div className="flex flex-col gap-4 p-5 sm:flex-row sm:items-center sm:justify-between sm:p-6">
          <div>
            <h2 className="text-sm font-medium text-fg">Password</h2>
            <p className="mt-0.5 text-sm text-fg-muted">
              To change it, we&apos;ll email you a reset link.
            </p>
          </div>
          <Link
            href="/forgot-password"
            className={`${secondaryButtonClassName} ${controlHeightClassName} shrink-0`}
          >
            Change password
          </Link>
        </div>
      </section>
    </main>
  );
}
