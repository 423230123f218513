import { submitForgotPassword } from "@/lib/forms/forgot-password";
import { jsonFormRoute } from "@/lib/forms/json-route";

export const POST = jsonFormRoute(submitForgotPassword);
