import { submitResetPassword } from "@/lib/forms/reset-password";
import { jsonFormRoute } from "@/lib/forms/json-route";

export const POST = jsonFormRoute(submitResetPassword);
