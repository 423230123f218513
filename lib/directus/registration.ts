import "server-only";
import { directusFetch } from "./client";
import { DirectusRefusal } from "./errors";

/**
 * The customer API's public registration routes (directus/extensions/customer-api, registration.ts):
 * register (replacing an earlier unconfirmed claim on the address), confirm with the link's token and
 * the registration's password, and send the link again. Each throws a classifiable error
 * (classifyDirectusError) when Directus refuses or cannot answer.
 */

async function post(path: string, body: object): Promise<Response> {
  const response = await directusFetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.ok) return response;
  const answer: unknown = await response.json().catch(() => null);
  const errors =
    typeof answer === "object" && answer !== null ? Reflect.get(answer, "errors") : undefined;
  throw new DirectusRefusal(response.status, errors);
}

function discard(response: Response): void {
  void response.body?.cancel().catch(() => {});
}

export type Registration = {
  email: string;
  password: string;
  first_name: string;
  last_name: string;
  verification_url: string;
};

export async function submitRegistration(registration: Registration): Promise<void> {
  discard(await post("customer/register", registration));
}

/** The confirmed account's email. */
export async function submitConfirmation(token: string, password: string): Promise<string> {
  const response = await post("customer/confirm", { token, password });
  const answer: unknown = await response.json().catch(() => null);
  const email =
    typeof answer === "object" && answer !== null
      ? Reflect.get(Reflect.get(answer, "data") ?? {}, "email")
      : undefined;
  return typeof email === "string" ? email : "";
}

export async function submitResend(email: string, verificationUrl: string): Promise<void> {
  discard(await post("customer/resend", { email, verification_url: verificationUrl }));
}
