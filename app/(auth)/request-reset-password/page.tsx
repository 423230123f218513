import { redirect } from "next/navigation";

// Links in emails sent before the rename still point here.
export default function RequestResetPasswordPage() {
  redirect("/forgot-password");
}
