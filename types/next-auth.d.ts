import "next-auth";
import "next-auth/jwt";

/**
 * What our next-auth setup carries. The Directus session token lives only in the encrypted JWT
 * cookie; the session object that reaches browsers (`/api/auth/session`, `useSession`) holds nothing
 * but the user id.
 */
declare module "next-auth" {
  /** What CredentialsProvider's `authorize` returns after a successful Directus login. */
  interface User {
    id: string;
    /** Directus's `session`-mode JWT: checked against its session row on every request. */
    sessionToken: string;
    /** Epoch milliseconds, from the session JWT. */
    sessionIssuedAt: number;
    sessionExpires: number;
    /** Epoch milliseconds: when the customer signed in, for the absolute lifetime. */
    signedInAt: number;
  }

  interface Session {
    user: { id: string };
    expires: string;
  }
}

declare module "next-auth/jwt" {
  /** Optional: a cookie from an older deployment may lack them, and is then treated as ended. */
  interface JWT {
    sessionToken?: string;
    sessionIssuedAt?: number;
    sessionExpires?: number;
    signedInAt?: number;
  }
}
