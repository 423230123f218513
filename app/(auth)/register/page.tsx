import type { Metadata } from "next";
import { connection } from "next/server";
import { AuthCard, FooterLink } from "@/components/auth-card";
import { registerAction } from "@/app/(auth)/register/actions";
import { AuthForm } from "@/components/auth-form";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Create an account" };

export default async function RegisterPage() {
  // Render per request: the password rule comes from the running server's configuration, which a
  // page prerendered at build time would freeze (and the build has no configuration to read).
  await connection();
  const passwordMinLength = getEnv().PASSWORD_MIN_LENGTH;
  return (
    <AuthCard
      title="Create your account"
      subtitle="We'll email you a link to confirm your address."
      footer={
        <FooterLink prompt="Already have an account?" href="/login">
          Sign in
        </FooterLink>
      }
    >
      <AuthForm variant="register" action={registerAction} passwordMinLength={passwordMinLength} />
    </AuthCard>
  );
}
