import { describe, expect, it, vi } from "vitest";
import { confirmEmail } from "@/lib/auth/verify-email";
import {
  DIRECTUS,
  HttpResponse,
  directusError,
  http,
  server,
  setupServerTests,
} from "../../support/server";

setupServerTests();

/** Records what reached the customer API's confirm route. */
function directusConfirm(answer: () => Response) {
  const bodies: unknown[] = [];
  server.use(
    http.post(`${DIRECTUS}/customer/confirm`, async ({ request }) => {
      bodies.push(await request.json());
      return answer();
    }),
  );
  return bodies;
}

const confirmed = () => HttpResponse.json({ data: { email: "ada@example.com" } });

describe("confirmEmail", () => {
  it("posts the link's token and the password, and answers with the confirmed email", async () => {
    const bodies = directusConfirm(confirmed);
    expect(await confirmEmail("token-1", "correct horse battery")).toEqual({
      kind: "confirmed",
      email: "ada@example.com",
    });
    expect(bodies).toEqual([{ token: "token-1", password: "correct horse battery" }]);
  });

  it("sends the password in the one normalised form (NFKC), as registration stored it", async () => {
    const bodies = directusConfirm(confirmed);
    await confirmEmail("token-1", "pa\u0073\u0073wo\u0308rd ﬁ");
    expect(bodies).toEqual([{ token: "token-1", password: "passwörd fi" }]);
  });

  it("tells a wrong password (401) from an unusable link", async () => {
    directusConfirm(() => directusError(401, "INVALID_CREDENTIALS"));
    expect(await confirmEmail("token-1", "wrong")).toEqual({ kind: "wrong_password" });
  });

  it.each([
    [400, "INVALID_TOKEN"],
    [400, "INVALID_PAYLOAD"],
    [401, "TOKEN_EXPIRED"],
  ])("is invalid for a used, expired or bad link (%i %s)", async (status, code) => {
    directusConfirm(() => directusError(status, code));
    expect(await confirmEmail("token-1", "pw")).toEqual({ kind: "invalid" });
  });

  it("is invalid for an empty token, without asking Directus", async () => {
    const bodies = directusConfirm(confirmed);
    expect(await confirmEmail("", "pw")).toEqual({ kind: "invalid" });
    expect(bodies).toEqual([]);
  });

  it("is unavailable when Directus cannot answer, and never says more", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    directusConfirm(() => HttpResponse.error());
    expect(await confirmEmail("token-1", "pw")).toEqual({ kind: "unavailable" });
    directusConfirm(() => new HttpResponse(null, { status: 503 }));
    expect(await confirmEmail("token-1", "pw")).toEqual({ kind: "unavailable" });
  });
});
