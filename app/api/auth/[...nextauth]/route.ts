import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { withBoundedBody } from "@/lib/http/next-auth-body";
import { withSecurityHeaders } from "@/lib/security/runtime";

const handler = withSecurityHeaders(withBoundedBody(NextAuth(authOptions)));

export { handler as GET, handler as POST };
