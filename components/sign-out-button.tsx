"use client";

import { useState } from "react";
import type { FormEvent } from "react";
import { secondaryButtonClassName } from "@/components/field-styles";

/**
 * "Sign out" is a form posting to a Server Action (app/(account)/actions.ts), so it works before and
 * without JavaScript. Enhanced, the action is called directly so that a lost connection leaves a
 * message and the button, not an error page; the action's redirect takes the browser on.
 */
export function SignOutButton({ action }: { action: () => Promise<void> }) {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setFailed(false);
    try {
      await action();
    } catch {
      setPending(false);
      setFailed(true);
    }
  }

  return (
    <form action={action} onSubmit={handleSubmit} className="flex flex-col items-end gap-1">
      <button
        type="submit"
        disabled={pending}
        aria-busy={pending}
        className={`${secondaryButtonClassName} h-9`}
      >
        {pending ? "Signing out…" : "Sign out"}
      </button>
      <p role="status" className="text-xs text-danger">
        {failed ? "We couldn't sign you out. Check your connection and try again." : null}
      </p>
    </form>
  );
}
