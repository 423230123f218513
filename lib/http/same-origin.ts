import "server-only";
import { getEnv } from "@/lib/env";
import { jsonResult } from "./responses";

/**
 * Our POST routes answer only our own pages. SameSite=Lax cookies and a JSON Content-Type already stop
 * most cross-site posts; this also refuses a cross-site form or fetch outright, before any work.
 * Browsers send Sec-Fetch-Site and Origin; a missing header (curl, old browsers) is not proof of
 * anything, so only a present, wrong one is refused.
 */
export function rejectCrossSite(request: Request): Response | null {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return forbidden();

  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(getEnv().NEXTAUTH_URL).origin) return forbidden();
  return null;
}

function forbidden(): Response {
  return jsonResult(
    { ok: false, message: "This request was refused. Reload the page and try again." },
    403,
  );
}
