import { describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/auth/resend-confirmation/route";
import { POLICIES } from "@/lib/abuse/budgets";
import {
  APP,
  DIRECTUS,
  HttpResponse,
  directusError,
  http,
  server,
  setupServerTests,
} from "../../../support/server";

setupServerTests();

function directusResend(answer: () => Response = () => new HttpResponse(null, { status: 204 })) {
  const bodies: unknown[] = [];
  server.use(
    http.post(`${DIRECTUS}/customer/resend`, async ({ request }) => {
      bodies.push(await request.json());
      return answer();
    }),
  );
  return bodies;
}

function formPost(body: string, headers: Record<string, string> = {}) {
  return POST(
    new Request(`${APP}/api/auth/resend-confirmation`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: APP,
        "x-forwarded-for": "203.0.113.9",
        ...headers,
      },
      body,
    }),
  );
}

const statusOf = (res: Response) =>
  new URL(res.headers.get("location") ?? "").searchParams.get("status");

describe("POST /api/auth/resend-confirmation", () => {
  it("303 back to the page, having asked Directus with a normalised email and our link", async () => {
    const bodies = directusResend();
    const res = await formPost("email=%20Ada%40Example.com%20");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${APP}/resend-confirmation?status=sent`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(bodies).toEqual([{ email: "ada@example.com", verification_url: `${APP}/verify-email` }]);
  });

  it("refuses an invalid email without asking Directus", async () => {
    const bodies = directusResend();
    expect(statusOf(await formPost("email=not-an-email"))).toBe("invalid_email");
    expect(statusOf(await formPost("nothing=here"))).toBe("invalid_email");
    expect(bodies).toEqual([]);
  });

  it("refuses cross-site posts and other content types", async () => {
    const bodies = directusResend();
    expect((await formPost("email=a%40b.co", { origin: "https://evil.example" })).status).toBe(403);
    expect(
      (await formPost('{"email":"a@b.co"}', { "content-type": "application/json" })).status,
    ).toBe(415);
    expect(bodies).toEqual([]);
  });

  it(`is throttled per address: ${POLICIES.resendAccount.points} links an hour`, async () => {
    const bodies = directusResend();
    const statuses = [];
    for (let i = 0; i <= POLICIES.resendAccount.points; i++) {
      statuses.push(
        statusOf(
          await formPost("email=ada%40example.com", { "x-forwarded-for": `198.51.100.${i}` }),
        ),
      );
    }
    expect(statuses.at(-1)).toBe("throttled");
    expect(statuses.slice(0, -1).every((s) => s === "sent")).toBe(true);
    expect(bodies).toHaveLength(POLICIES.resendAccount.points);
  });

  it("says so plainly when Directus cannot answer, without details", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    directusResend(() => HttpResponse.error());
    expect(statusOf(await formPost("email=ada%40example.com"))).toBe("unavailable");
    directusResend(() => directusError(400, "INVALID_PAYLOAD"));
    expect(statusOf(await formPost("email=bob%40example.com"))).toBe("failed");
  });
});
