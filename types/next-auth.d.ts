import "next-auth";
import "next-auth/jwt";

/**
 * What our next-auth setup carries. Tokens live only in the encrypted JWT cookie; the session object
 * that reaches browsers (`/api/auth/session`, `useSession`) holds nothing but the user id.
 */
declare module "next-auth" {
  /** What CredentialsProvider's `authorize` returns after a successful Directus login. */
  interface User {
    id: string;
    accessToken: string;
    /** Epoch milliseconds. */
    accessTokenExpires: number;
    refreshToken: string;
  }

  interface Session {
    user: { id: string };
    expires: string;
  }
}

declare module "next-auth/jwt" {
  /** Optional: a cookie from an older deployment may lack them, and is then treated as ended. */
  interface JWT {
    accessToken?: string;
    accessTokenExpires?: number;
    refreshToken?: string;
  }
}
