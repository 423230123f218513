import { submitResetPassword } from "@/lib/forms/reset-password";
import { jsonFormRoute } from "@/lib/http/json-form-route";

export const POST = jsonFormRoute(submitResetPassword);
