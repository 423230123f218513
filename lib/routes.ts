/**
 * The app's pages in one place: which ones only a signed-in customer sees, which ones are for signing
 * in, and where each kind of visitor is sent. proxy.ts enforces it; add a protected page here and
 * nowhere else (docs/architecture.md). Browser-safe: imports nothing.
 *
 * A path ending in "/*" covers everything below it; any other path covers only itself.
 */
export const ROUTES = {
  protectedPages: ["/", "/account", "/account/*"],
  /** Signed-in customers who open these are sent on to `afterSignIn`. */
  signInPages: ["/login", "/register"],
  signIn: "/login",
  /** Where the enhanced sign-in form posts (app/(auth)/login/submit/route.ts). */
  signInSubmit: "/login/submit",
  afterSignIn: "/account",
} as const;

export function matchesAny(patterns: readonly string[], pathname: string): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith("/*") ? pathname.startsWith(pattern.slice(0, -1)) : pathname === pattern,
  );
}
