import { submitRegistration } from "@/lib/forms/register";
import { jsonFormRoute } from "@/lib/http/json-form-route";

export const POST = jsonFormRoute(submitRegistration);
