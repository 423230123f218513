import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getEnv, secureCookies } from "@/lib/env";
import { sameOriginPath } from "@/lib/validations/callback-path";
import { authorizeCredentials } from "./authorize";
import { endSessionEverywhere } from "./end-session";
import { decodeSession, encodeSession } from "./session-jwt";
import { sessionClaimsOf } from "./tokens";

/**
 * next-auth v4 with JWT sessions. The encrypted cookie carries the customer's Directus session token;
 * the session that browsers can read carries only the user id. Checking and sliding the Directus
 * session happens in proxy.ts, where cookies can be written, so `callbacks.jwt` never calls Directus.
 *
 * Env-dependent fields are getters: the env is read when next-auth runs, not when `next build`
 * imports this module without secrets.
 */
export const authOptions: NextAuthOptions = {
  get secret() {
    return getEnv().NEXTAUTH_SECRET;
  },
  get useSecureCookies() {
    return secureCookies();
  },
  session: {
    strategy: "jwt",
    get maxAge() {
      return getEnv().SESSION_MAX_AGE_SECONDS;
    },
  },
  // next-auth's own format, with its derived key kept (session-jwt.ts).
  jwt: { encode: encodeSession, decode: decodeSession },
  pages: {
    signIn: "/login",
    // next-auth's own error page is never shown: its errors land on the sign-in page with `?error=`.
    error: "/login",
  },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      authorize: (credentials, req) => authorizeCredentials(credentials, { headers: req.headers }),
    }),
  ],
  callbacks: {
    // next-auth's own version throws on a callbackUrl that does not parse (`http://[::1`, a port such
    // as `3000.evil.example`), which became a 500. Same-origin paths only; anything else goes home.
    redirect({ url, baseUrl }) {
      return `${baseUrl}${sameOriginPath(url, baseUrl, "/")}`;
    },
    jwt({ token, user }) {
      // `user` is only set right after authorize().
      return user ? sessionClaimsOf(user) : token;
    },
    session({ session, token }) {
      return { user: { id: token.sub ?? "" }, expires: session.expires };
    },
  },
  events: {
    async signOut({ token }) {
      const stored = token?.sessionToken;
      if (typeof stored === "string") await endSessionEverywhere(stored);
    },
  },
};
