import "server-only";
import { logout } from "@directus/sdk";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { publicClient } from "@/lib/directus/client";
import { classifyDirectusError, describeFailure, isRefusal } from "@/lib/directus/errors";
import { getEnv } from "@/lib/env";
import { authorizeCredentials } from "./authorize";
import { revokeLater, type RevokeAttempt } from "./pending-sign-outs";
import { forgetRefreshToken, newestRefreshToken } from "./refresh";
import { secureCookies } from "./session-cookie";

/**
 * next-auth v4 with JWT sessions. The encrypted cookie carries the Directus tokens; the session that
 * browsers can read carries only the user id. Refresh happens in proxy.ts, where cookies can be
 * written, so `callbacks.jwt` never calls Directus.
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
  pages: {
    signIn: "/login",
    // Without JavaScript, a failed sign-in lands here with `?error=<code>` instead of next-auth's page.
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
    jwt({ token, user }) {
      // `user` is only set right after authorize(); a fresh object drops next-auth's name/email/picture.
      if (user) {
        return {
          sub: user.id,
          accessToken: user.accessToken,
          accessTokenExpires: user.accessTokenExpires,
          refreshToken: user.refreshToken,
        };
      }
      return token;
    },
    session({ session, token }) {
      return { user: { id: token.sub ?? "" }, expires: session.expires };
    },
  },
  events: {
    async signOut({ token }) {
      const stored = token?.refreshToken;
      if (typeof stored !== "string") return;
      // A request racing the sign-out may have rotated the token already: revoke the newest one.
      const refreshToken = await newestRefreshToken(stored);
      forgetRefreshToken(refreshToken);
      const revoke = async (): Promise<RevokeAttempt> => {
        try {
          await publicClient().request(logout({ mode: "json", refresh_token: refreshToken }));
          return "done";
        } catch (error) {
          const failure = classifyDirectusError(error);
          console.warn(`sign-out: Directus logout failed: ${describeFailure(failure)}`);
          // Refused: the token was already spent or revoked, which is what we wanted.
          return isRefusal(failure) ? "done" : "retry";
        }
      };
      if ((await revoke()) === "retry") {
        revokeLater([stored, refreshToken], revoke, {
          lifetimeMs: getEnv().SESSION_MAX_AGE_SECONDS * 1000,
        });
      }
    },
  },
};
