import type { ReactNode } from "react";
import { signOutAction } from "@/app/(account)/actions";
import { BrandMark } from "@/components/auth-card";
import { SignOutButton } from "@/components/sign-out-button";

export default function AccountLayout({ children }: { children: ReactNode }) {
  return (
    <div className="min-h-dvh">
      <header className="border-b border-border bg-surface">
        <div className="mx-auto flex h-16 max-w-3xl items-center justify-between gap-4 px-4 sm:px-6">
          <BrandMark size="sm" />
          <SignOutButton action={signOutAction} />
        </div>
      </header>
      {children}
    </div>
  );
}
