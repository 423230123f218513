import {
  inputClassName,
  primaryButtonClassName,
  secondaryButtonClassName,
} from "@/components/field-styles";

/**
 * "Send the link again": a plain form post to /api/auth/resend-confirmation, so it works without
 * JavaScript and from any page. With `email` known (the check-inbox screen) it is a single button.
 */
export function ResendLinkForm({ email }: { email?: string | undefined }) {
  if (email) {
    return (
      <form method="post" action="/api/auth/resend-confirmation">
        <input type="hidden" name="email" value={email} />
        <button type="submit" className={`${secondaryButtonClassName} w-full`}>
          Send the link again
        </button>
      </form>
    );
  }
  return (
    <form method="post" action="/api/auth/resend-confirmation" aria-label="Send the link again">
      <label htmlFor="resend-email" className="block text-sm/6 font-medium text-fg">
        Email
      </label>
      <div className="mt-1">
        <input
          id="resend-email"
          name="email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          className={inputClassName(false)}
        />
      </div>
      <button type="submit" className={`${primaryButtonClassName} mt-4`}>
        Send the link again
      </button>
    </form>
  );
}
