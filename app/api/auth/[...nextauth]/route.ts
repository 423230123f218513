import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { withBoundedBody } from "@/lib/auth/next-auth-body";
import { withKnownEndpoints } from "@/lib/auth/next-auth-request";
import { withReplacedSessionEnded } from "@/lib/auth/next-auth-replaced-session";
import { withSignInThrottle } from "@/lib/auth/next-auth-throttle";
import { withUnavailableStatus } from "@/lib/auth/next-auth-status";
import { withSecurityHeaders } from "@/lib/security/runtime";

const handler = withSecurityHeaders(
  withKnownEndpoints(
    withUnavailableStatus(
      withSignInThrottle(withReplacedSessionEnded(withBoundedBody(NextAuth(authOptions)))),
    ),
  ),
);

export { handler as GET, handler as POST };
