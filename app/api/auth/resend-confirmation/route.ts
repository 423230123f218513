import { clientAddress } from "@/lib/abuse/client-address";
import { resendConfirmation } from "@/lib/auth/resend-confirmation";
import { throttleResendConfirmation } from "@/lib/abuse/process-throttle";
import { padUntil } from "@/lib/abuse/uniform-timing";
import { getEnv } from "@/lib/env";
import { FORM_TYPE, readBody } from "@/lib/http/read-json";
import { rejectCrossSite } from "@/lib/http/same-origin";
import { resendLinkSchema } from "@/lib/validations/confirmation";

/**
 * "Send the link again": a plain form post (it works without JavaScript) from the check-inbox
 * screen, the sign-in page and the confirmation page. Every outcome is a 303 back to
 * /resend-confirmation, and the address's state never shows: a pending registration gets a fresh
 * link, anything else nothing, with the same answer after the same time.
 */
function back(params: Record<string, string>): Response {
  const url = new URL("/resend-confirmation", getEnv().NEXTAUTH_URL);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return new Response(null, {
    status: 303,
    headers: { Location: url.toString(), "Cache-Control": "no-store" },
  });
}

export async function POST(request: Request): Promise<Response> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  const body = await readBody(request, [FORM_TYPE]);
  if (body.kind === "refused") return body.response;
  const parsed = resendLinkSchema.safeParse({
    email: new URLSearchParams(body.text).get("email") ?? "",
  });
  if (!parsed.success) return back({ status: "invalid_email" });

  const verdict = await throttleResendConfirmation(
    parsed.data.email,
    clientAddress(request.headers),
  );
  if (verdict.kind === "refused") return back({ status: "throttled" });

  const startedAt = performance.now();
  const outcome = await resendConfirmation(parsed.data.email);
  if (outcome.kind !== "sent") return back({ status: outcome.kind });
  // Mailing a link costs Directus more than finding nothing to send.
  await padUntil(startedAt, "register");
  return back({ status: "sent" });
}
