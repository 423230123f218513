import { submitRegistration } from "@/lib/forms/register";
import { jsonFormRoute } from "@/lib/forms/json-route";

export const POST = jsonFormRoute(submitRegistration);
