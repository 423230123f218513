import { describe, expect, it, vi } from "vitest";
import { verifyEmail } from "@/lib/auth/verify-email";
import { DIRECTUS, HttpResponse, directusError, http, server, setupServerTests } from "./support";

setupServerTests();

function directusVerify(answer: () => Response) {
  const tokens: Array<string | null> = [];
  server.use(
    http.get(`${DIRECTUS}/users/register/verify-email`, ({ request }) => {
      tokens.push(new URL(request.url).searchParams.get("token"));
      return answer();
    }),
  );
  return tokens;
}

const redirectTo = (location: string, body: string | null = `Found. Redirecting to ${location}`) =>
  new HttpResponse(body, {
    status: 302,
    headers: { location, ...(body ? { "content-type": "text/plain" } : {}) },
  });

describe("verifyEmail", () => {
  it("is verified when Directus redirects to the activated user, without following the redirect", async () => {
    const tokens = directusVerify(() => redirectTo("/admin/users/user-1"));
    expect(await verifyEmail("token-1")).toBe("verified");
    expect(tokens).toEqual(["token-1"]);
  });

  it("also reads a redirect that has no body", async () => {
    directusVerify(() => redirectTo("/admin/users/user-1", null));
    expect(await verifyEmail("token-1")).toBe("verified");
  });

  it("is invalid when Directus redirects to its login page", async () => {
    directusVerify(() => redirectTo("/admin/login"));
    expect(await verifyEmail("token-1")).toBe("invalid");
  });

  it.each([
    [400, "INVALID_PAYLOAD"],
    [403, "INVALID_TOKEN"],
    [401, "TOKEN_EXPIRED"],
    [403, "FORBIDDEN"],
  ])("is invalid for a used or bad token (%i %s)", async (status, code) => {
    directusVerify(() => directusError(status, code));
    expect(await verifyEmail("token-1")).toBe("invalid");
  });

  it("is invalid for an empty token, without asking Directus", async () => {
    const tokens = directusVerify(() => redirectTo("/admin/users/x"));
    expect(await verifyEmail("")).toBe("invalid");
    expect(tokens).toEqual([]);
  });

  it("is unavailable when Directus cannot answer", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    directusVerify(() => HttpResponse.error());
    expect(await verifyEmail("token-1")).toBe("unavailable");
    directusVerify(() => new HttpResponse(null, { status: 503 }));
    expect(await verifyEmail("token-1")).toBe("unavailable");
  });
});
