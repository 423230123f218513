import type { Metadata } from "next";
import { AuthCard, FooterLink } from "@/components/auth-card";
import { forgotPasswordAction } from "@/app/(auth)/forgot-password/actions";
import { AuthForm } from "@/components/auth-form";

export const metadata: Metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return (
    <AuthCard
      title="Reset your password"
      subtitle="Enter the email you signed up with and we'll send you a link to choose a new password."
      footer={
        <FooterLink prompt="Remembered it?" href="/login">
          Sign in
        </FooterLink>
      }
    >
      <AuthForm variant="forgot-password" action={forgotPasswordAction} />
    </AuthCard>
  );
}
