/**
 * The sign-in the UI used before the forms moved to Server Actions: next-auth's client `signIn()`.
 * The UI no longer runs it (its endpoints still exist), so the bench keeps it only as a comparison row.
 */
import {
  cookieHeader,
  cookiePairs,
  sessionCookieFrom,
  SignInError,
  type SignInResult,
} from "./auth-client";

/**
 * next-auth v4's credentials sign-in as `signIn("credentials", { redirect: false })` runs it in the
 * browser: GET /api/auth/csrf, POST /api/auth/callback/credentials (form body, csrf cookie, json=true),
 * then GET /api/auth/session. Timed from the first request to the session answer.
 */
export async function nextAuthSignIn(
  appUrl: string,
  email: string,
  password: string,
): Promise<SignInResult> {
  const started = performance.now();
  const jar = new Map<string, string>();

  const csrfRes = await fetch(`${appUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  for (const [k, v] of cookiePairs(csrfRes)) jar.set(k, v);
  const afterCsrf = performance.now();

  const callbackRes = await fetch(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({
      email,
      password,
      csrfToken,
      callbackUrl: `${appUrl}/account`,
      json: "true",
    }),
  });
  const callback = (await callbackRes.json().catch(() => ({}))) as { url?: string };
  for (const [k, v] of cookiePairs(callbackRes)) jar.set(k, v);
  const error = callback.url ? new URL(callback.url).searchParams.get("error") : "no url";
  if (error) throw new SignInError(`sign-in refused: ${error}`, error === "TooManyRequests");
  const afterCallback = performance.now();

  const sessionRes = await fetch(`${appUrl}/api/auth/session`, {
    headers: { cookie: cookieHeader(jar) },
  });
  const session = (await sessionRes.json()) as { user?: { id?: string } };
  for (const [k, v] of cookiePairs(sessionRes)) jar.set(k, v);
  const ended = performance.now();
  const ms = ended - started;
  const steps = {
    csrf: afterCsrf - started,
    callback: afterCallback - afterCsrf,
    session: ended - afterCallback,
  };

  if (!session.user?.id) throw new SignInError("sign-in gave no session", false);
  return { ms, steps, cookie: sessionCookieFrom(jar), signedInAt: Date.now() };
}
