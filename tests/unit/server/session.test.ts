import type * as NextAuth from "next-auth";
import type { Session } from "next-auth";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getCurrentUser, SESSION_ENDED_PATH } from "@/lib/auth/session";
import { ServiceUnavailableError } from "@/lib/errors";
import { DIRECTUS, HttpResponse, directusError, http, server, setupServerTests } from "./support";

const nextAuth = vi.hoisted(() => ({ session: null as Session | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: vi.fn(async () => nextAuth.session),
}));

setupServerTests();

beforeEach(() => {
  nextAuth.session = { user: { id: "user-1" }, expires: "2030-01-01T00:00:00.000Z" };
});

function directusUsers(answer: (request: Request) => Response) {
  const seen: URL[] = [];
  server.use(
    http.get(`${DIRECTUS}/users`, ({ request }) => {
      seen.push(new URL(request.url));
      return answer(request);
    }),
  );
  return seen;
}

describe("getCurrentUser", () => {
  it("reads only the session's user, with the service token, and maps the fields", async () => {
    let authorization: string | null = null;
    const seen = directusUsers((request) => {
      authorization = request.headers.get("authorization");
      return HttpResponse.json({
        data: [{ id: "user-1", email: "ada@example.com", first_name: "Ada", last_name: null }],
      });
    });
    expect(await getCurrentUser()).toEqual({
      id: "user-1",
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "",
    });
    expect(authorization).toBe("Bearer service-token-0123456789abcdef");
    const query = seen[0]?.searchParams;
    expect(JSON.parse(query?.get("filter") ?? "null")).toEqual({ id: { _eq: "user-1" } });
    expect(query?.get("fields")).toBe("id,email,first_name,last_name");
  });

  it("returns null without calling Directus when nobody is signed in", async () => {
    nextAuth.session = null;
    const seen = directusUsers(() => HttpResponse.json({ data: [] }));
    expect(await getCurrentUser()).toBeNull();
    expect(seen).toEqual([]);
  });

  it("sends a session whose user no longer exists to the sign-in page with an explanation", async () => {
    directusUsers(() => HttpResponse.json({ data: [] }));
    const error = await getCurrentUser().then(
      () => null,
      (e: unknown) => e,
    );
    expect(String((error as { digest?: string } | null)?.digest)).toContain(SESSION_ENDED_PATH);
  });

  it("throws ServiceUnavailableError when Directus is unreachable", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    directusUsers(() => HttpResponse.error());
    await expect(getCurrentUser()).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it("throws ServiceUnavailableError, not 'signed out', when the service token is refused", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    directusUsers(() => directusError(403, "FORBIDDEN"));
    await expect(getCurrentUser()).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it("throws ServiceUnavailableError for a profile in an unexpected shape", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    directusUsers(() => HttpResponse.json({ data: [{ id: "user-1" }] }));
    await expect(getCurrentUser()).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
