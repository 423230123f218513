import { lastReportedDown } from "@/lib/directus/health";
import { login, readUsers } from "@directus/sdk";
import { delay } from "msw";
import { describe, expect, it } from "vitest";
import { publicClient } from "@/lib/directus/client";
import {
  classifyDirectusError,
  DirectusHttpError,
  DirectusUnreachableError,
  describeFailure,
} from "@/lib/directus/errors";
import { startSession } from "@/lib/directus/sessions";
import {
  DIRECTUS,
  HttpResponse,
  directusError,
  http,
  server,
  setupServerTests,
} from "../../support/server";

setupServerTests();

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return classifyDirectusError(error);
  }
  throw new Error("expected the call to fail");
}

describe("classifyDirectusError on thrown values", () => {
  it.each([
    [
      {
        errors: [{ message: "x", extensions: { code: "INVALID_CREDENTIALS" } }],
        response: { status: 401 },
      },
      "invalid_credentials",
    ],
    [
      {
        errors: [{ message: "x", extensions: { code: "USER_SUSPENDED" } }],
        response: { status: 401 },
      },
      "invalid_credentials",
    ],
    [
      {
        errors: [{ message: "x", extensions: { code: "TOKEN_EXPIRED" } }],
        response: { status: 401 },
      },
      "invalid_token",
    ],
    [
      {
        errors: [{ message: "x", extensions: { code: "INVALID_TOKEN" } }],
        response: { status: 403 },
      },
      "invalid_token",
    ],
    [
      { errors: [{ message: "x", extensions: { code: "FORBIDDEN" } }], response: { status: 403 } },
      "forbidden",
    ],
    [
      {
        errors: [{ message: "x", extensions: { code: "INVALID_PAYLOAD" } }],
        response: { status: 400 },
      },
      "invalid_input",
    ],
    [
      {
        errors: [{ message: "x", extensions: { code: "REQUESTS_EXCEEDED" } }],
        response: { status: 429 },
      },
      "rate_limited",
    ],
    [
      {
        errors: [{ message: "x", extensions: { code: "SERVICE_UNAVAILABLE" } }],
        response: { status: 503 },
      },
      "unavailable",
    ],
    // Unknown code: the status decides.
    [
      {
        errors: [{ message: "x", extensions: { code: "SOMETHING_NEW" } }],
        response: { status: 401 },
      },
      "invalid_credentials",
    ],
    [
      {
        errors: [{ message: "x", extensions: { code: "SOMETHING_NEW" } }],
        response: { status: 502 },
      },
      "unavailable",
    ],
    // Shapes the SDK's own isDirectusError would crash on or misread.
    [{ errors: [], response: { status: 403 } }, "forbidden"],
    [{ errors: ["plain text"], response: { status: 500 } }, "unavailable"],
    [{ errors: "<html>Bad gateway</html>", response: { status: 502 } }, "unavailable"],
    [{ errors: [{ extensions: null }] }, "unexpected"],
    [{ status: 404 }, "unexpected"],
  ])("%j → %s", (thrown, outcome) => {
    expect(classifyDirectusError(thrown).kind).toBe(outcome);
  });

  it.each([
    [new TypeError("fetch failed"), "unavailable"],
    [new TypeError("Failed to fetch"), "unavailable"],
    [new DOMException("The operation was aborted due to timeout", "TimeoutError"), "unavailable"],
    [new DOMException("This operation was aborted", "AbortError"), "unavailable"],
    [new DirectusUnreachableError("down"), "unavailable"],
    [new DirectusHttpError(503), "unavailable"],
    [new DirectusHttpError(401), "invalid_credentials"],
    [new TypeError("Cannot read properties of undefined"), "unexpected"],
    [new Error("boom"), "unexpected"],
    ["a string", "unexpected"],
    [null, "unexpected"],
    [undefined, "unexpected"],
  ])("%s → %s", (thrown, outcome) => {
    expect(classifyDirectusError(thrown).kind).toBe(outcome);
  });

  it("keeps status, code and field, and describes them without any message", () => {
    const failure = classifyDirectusError({
      errors: [
        {
          message: "secret@example.com is wrong",
          extensions: { code: "FAILED_VALIDATION", field: "password" },
        },
      ],
      response: { status: 400 },
    });
    expect(failure).toEqual({
      kind: "invalid_input",
      status: 400,
      code: "FAILED_VALIDATION",
      field: "password",
    });
    expect(describeFailure(failure)).toBe("invalid_input (400 FAILED_VALIDATION)");
    expect(describeFailure({ kind: "unavailable" })).toBe("unavailable");
  });
});

/** Both ways the app calls Directus: the SDK's public client, and the session calls (sessions.ts). */
const loginCalls: Array<[string, () => Promise<unknown>]> = [
  [
    "the SDK's public client",
    () =>
      publicClient().request(login({ email: "a@example.com", password: "pw" }, { mode: "json" })),
  ],
  ["the session calls", () => startSession("a@example.com", "pw")],
];

describe.each(loginCalls)("%s against a mocked Directus", (_name, attempt) => {
  it("maps Directus's JSON error body", async () => {
    server.use(
      http.post(`${DIRECTUS}/auth/login`, () => directusError(401, "INVALID_CREDENTIALS")),
    );
    expect(await failureOf(attempt())).toMatchObject({
      kind: "invalid_credentials",
      status: 401,
      code: "INVALID_CREDENTIALS",
    });
  });

  it("maps a refused connection to unavailable", async () => {
    server.use(http.post(`${DIRECTUS}/auth/login`, () => HttpResponse.error()));
    expect((await failureOf(attempt())).kind).toBe("unavailable");
  });

  it("gives up after DIRECTUS_TIMEOUT_MS and maps that to unavailable", async () => {
    server.use(
      http.post(`${DIRECTUS}/auth/login`, async () => {
        await delay("infinite");
        return HttpResponse.json({});
      }),
    );
    const started = performance.now();
    expect(await failureOf(attempt())).toEqual({ kind: "unavailable", code: "TimeoutError" });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("names what the network said, however deep undici nests it, for the log", () => {
    const socket = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    const fetchFailed = new TypeError("fetch failed", { cause: socket });
    const thrown = new DirectusUnreachableError("Directus did not answer", { cause: fetchFailed });
    expect(classifyDirectusError(thrown)).toEqual({ kind: "unavailable", code: "UND_ERR_SOCKET" });
    expect(describeFailure(classifyDirectusError(thrown))).toBe("unavailable (UND_ERR_SOCKET)");
    expect(classifyDirectusError(new DirectusUnreachableError("x"))).toEqual({
      kind: "unavailable",
    });
  });

  it("maps a proxy's HTML 502 page and an empty 503 to unavailable", async () => {
    server.use(
      http.post(
        `${DIRECTUS}/auth/login`,
        () =>
          new HttpResponse("<h1>Bad gateway</h1>", {
            status: 502,
            headers: { "content-type": "text/html" },
          }),
      ),
    );
    expect(await failureOf(attempt())).toMatchObject({ kind: "unavailable", status: 502 });
    server.use(http.post(`${DIRECTUS}/auth/login`, () => new HttpResponse(null, { status: 503 })));
    expect(await failureOf(attempt())).toMatchObject({ kind: "unavailable", status: 503 });
  });

  it("never returns an error response without a body as if it were a result", async () => {
    server.use(http.post(`${DIRECTUS}/auth/login`, () => new HttpResponse(null, { status: 401 })));
    expect(await failureOf(attempt())).toMatchObject({
      kind: "invalid_credentials",
      status: 401,
    });
  });

  it("reports each call's outcome to the health record the proxy reads", async () => {
    server.use(http.post(`${DIRECTUS}/auth/login`, () => HttpResponse.error()));
    await failureOf(attempt());
    expect(lastReportedDown()).toBe(true);
    server.use(
      http.post(`${DIRECTUS}/auth/login`, () => directusError(401, "INVALID_CREDENTIALS")),
    );
    await failureOf(attempt());
    // A refusal is an answer: Directus is up.
    expect(lastReportedDown()).toBe(false);
    server.use(http.post(`${DIRECTUS}/auth/login`, () => new HttpResponse(null, { status: 500 })));
    await failureOf(attempt());
    expect(lastReportedDown()).toBe(true);
  });
});

describe("the public client", () => {
  it("sends no credentials of any kind", async () => {
    const seen: Array<{ authorization: string | null; cookie: string | null }> = [];
    server.use(
      http.get(`${DIRECTUS}/users`, ({ request }) => {
        seen.push({
          authorization: request.headers.get("authorization"),
          cookie: request.headers.get("cookie"),
        });
        return HttpResponse.json({ data: [] });
      }),
    );
    await publicClient().request(readUsers({ limit: 1 }));
    expect(seen).toEqual([{ authorization: null, cookie: null }]);
  });
});
