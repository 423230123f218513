"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { secondaryButtonClassName } from "@/components/field-styles";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  async function handleClick() {
    setPending(true);
    setFailed(false);
    try {
      // next-auth revokes the refresh token (events.signOut), clears the cookie, then navigates away.
      await signOut({ callbackUrl: "/login?signedOut=1" });
    } catch {
      setPending(false);
      setFailed(true);
    }
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        onClick={handleClick}
        disabled={pending}
        aria-busy={pending}
        className={`${secondaryButtonClassName} h-9`}
      >
        {pending ? "Signing out…" : "Sign out"}
      </button>
      <p role="status" className="text-xs text-red-600">
        {failed ? "We couldn't sign you out. Check your connection and try again." : null}
      </p>
    </div>
  );
}
