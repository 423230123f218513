import { submitForgotPassword } from "@/lib/forms/forgot-password";
import { jsonFormRoute } from "@/lib/http/json-form-route";

export const POST = jsonFormRoute(submitForgotPassword);
