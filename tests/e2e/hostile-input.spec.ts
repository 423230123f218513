// Over 250 lines on purpose: every /api/auth path × method × hostile input, one server.
import { readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, stack, test } from "./fixtures";
import { send, type Answer } from "./http-client";
import { E2E_OUTPUT_DIR } from "./log-scan";

/**
 * SECURITY.md promise 17: every /api/auth/* path answers malformed URLs, methods, headers and bodies
 * with a 4xx or a safe redirect, never a 5xx and never a leak, on the production build; and a refused
 * upload does not poison the client's keep-alive connection.
 *
 * The paths are every route handler under app/api/auth (read from the filesystem, so a new route is
 * covered the day it is added) and every endpoint next-auth v4 knows, plus ones it does not.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FROM = "127.0.0.17";

function routeHandlers(dir: string, prefix = "/api/auth"): string[] {
  const paths: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (!statSync(full).isDirectory()) continue;
    if (entry.startsWith("[")) continue; // next-auth's catch-all: its endpoints are listed below
    if (readdirSync(full).includes("route.ts")) paths.push(`${prefix}/${entry}`);
    paths.push(...routeHandlers(full, `${prefix}/${entry}`));
  }
  return paths;
}

const NEXT_AUTH_ENDPOINTS = [
  "session",
  "csrf",
  "providers",
  "signin",
  "signin/credentials",
  "signout",
  "callback/credentials",
  "error",
  "verify-request",
  "_log",
  // Not ours, or not anything:
  "callback/github",
  "signin/email",
  "nope",
  "constructor",
];

const PATHS = [
  ...routeHandlers(path.join(ROOT, "app/api/auth")),
  // The enhanced sign-in form's JSON post, under /login for the known-device cookie's path.
  "/login/submit",
  ...NEXT_AUTH_ENDPOINTS.map((endpoint) => `/api/auth/${endpoint}`),
];

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"];

type Input = {
  label: string;
  suffix?: string;
  query?: string;
  headers?: Record<string, string>;
  body?: Buffer;
};

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const form = (fields: Record<string, string>) =>
  Buffer.from(new URLSearchParams(fields).toString());
/** The csrf pair next-auth checks, so that a hostile form reaches its redirect callback. */
let csrf = { token: "", cookie: "" };

/** Built once the csrf pair is known (beforeAll). */
function inputs(): Input[] {
  const same = { origin: stack.appUrl, "sec-fetch-site": "same-origin" };
  const evil = [
    "http://localhost:3000.evil.example/",
    "http://[::1",
    "javascript:alert(1)",
    "//evil.example",
  ];
  return [
    { label: "nothing at all" },
    ...evil.map((url) => ({
      label: `callbackUrl query ${url}`,
      query: `callbackUrl=${encodeURIComponent(url)}`,
    })),
    { label: "broken percent-encoding in the path", suffix: "/%E0%A4%A" },
    { label: "a lone percent in the path", suffix: "%" },
    { label: "broken percent-encoding in the query", query: "callbackUrl=%E0%A4%A&error=%" },
    {
      label: "callback-url cookie http://[::1",
      headers: { cookie: "next-auth.callback-url=http://[::1" },
    },
    {
      label: "garbage session cookie",
      headers: { cookie: "next-auth.session-token=garbage; next-auth.csrf-token=%zz" },
    },
    {
      label: "forged forwarding headers",
      headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "gopher" },
    },
    ...evil.map((url) => ({
      label: `form with csrf and callbackUrl ${url}`,
      headers: { "content-type": FORM, ...same, cookie: csrf.cookie },
      body: form({
        csrfToken: csrf.token,
        email: "hostile@example.com",
        password: "wrong-password-1",
        callbackUrl: url,
        json: "true",
      }),
    })),
    {
      label: "malformed JSON",
      headers: { "content-type": JSON_TYPE, ...same },
      body: Buffer.from('{"email":'),
    },
    {
      label: "a JSON array",
      headers: { "content-type": JSON_TYPE, ...same },
      body: Buffer.from("[1,2]"),
    },
    {
      label: "JSON with wrong types",
      headers: { "content-type": JSON_TYPE, ...same },
      body: Buffer.from('{"email":{"$ne":1},"password":[1]}'),
    },
    {
      label: "invalid UTF-8",
      headers: { "content-type": JSON_TYPE, ...same },
      body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
    },
    {
      label: "text/plain",
      headers: { "content-type": "text/plain", ...same },
      body: Buffer.from("email=a"),
    },
    {
      label: "a form with no fields",
      headers: { "content-type": FORM, ...same },
      body: Buffer.alloc(0),
    },
    {
      label: "20 KB",
      headers: { "content-type": JSON_TYPE, ...same },
      body: Buffer.alloc(20_000, "a"),
    },
    {
      label: "multipart",
      headers: { "content-type": "multipart/form-data; boundary=x", ...same },
      body: Buffer.from("--x\r\n\r\n--x--"),
    },
  ];
}

/** Every request of this file comes from one loopback address of its own (its throttles are its own). */
const request = (
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: Buffer; agent?: http.Agent | false } = {},
) => send(FROM, method, target, options);

function targetFor(path: string, input: Input): string {
  return `${path}${input.suffix ?? ""}${input.query ? `?${input.query}` : ""}`;
}

/** What must never reach a client: stack traces, error class names, internal addresses, next-auth's 500 text. */
function expectNoLeak(answer: Answer, label: string) {
  const everything = `${JSON.stringify(answer.headers)}\n${answer.text}`;
  expect(everything, label).not.toMatch(
    /\n\s+at |TypeError|RangeError|URIError|SyntaxError|server configuration/,
  );
  expect(everything, label).not.toContain(new URL(stack.directusUrl).host);
  const location = answer.headers.location;
  if (location)
    expect(new URL(location, stack.appUrl).origin, label).toBe(new URL(stack.appUrl).origin);
}

function appLog(): string {
  return readFileSync(path.join(E2E_OUTPUT_DIR, "app-output.log"), "utf8");
}

test.describe("every /api/auth path × method × malformed input: no 5xx, no leak", () => {
  test.beforeAll(async () => {
    const answer = await request("GET", "/api/auth/csrf");
    csrf = {
      token: (JSON.parse(answer.text) as { csrfToken: string }).csrfToken,
      cookie: (answer.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; "),
    };
  });

  test("the table covers the app's own routes and next-auth's", () => {
    expect(PATHS).toEqual(
      expect.arrayContaining([
        "/api/auth/register",
        "/api/auth/forgot-password",
        "/api/auth/reset-password",
        "/api/auth/resend-confirmation",
        "/api/auth/callback/credentials",
        "/login/submit",
      ]),
    );
  });

  for (const target of PATHS) {
    test(target, async () => {
      test.setTimeout(180_000);
      const logBefore = appLog().length;
      const all = inputs();
      for (const method of METHODS) {
        for (const input of all) {
          const url = targetFor(target, input);
          const label = `${method} ${url} (${input.label})`;
          const sendsBody = method !== "GET" && method !== "HEAD";
          const answer = await request(method, url, {
            headers: input.headers,
            body: sendsBody ? input.body : undefined,
          });
          expect(answer.status, label).toBeGreaterThanOrEqual(200);
          expect(answer.status, label).toBeLessThan(500);
          expectNoLeak(answer, label);
        }
      }
      // Nothing above may have made the server log an error of its own (a 500 in disguise).
      const logged = appLog().slice(logBefore);
      expect(logged).not.toMatch(/⨯|TypeError|Unhandled|INVALID_CALLBACK_URL/);
    });
  }
});

/** A same-origin POST of `size` bytes; status 0 when the server closed while it was still sending. */
/**
 * The answer to a body the server refused at the door and closed the connection on while the client
 * was still sending it: the client sees its write fail (EPIPE, ECONNRESET) instead of the 413. Status 0.
 */
function cutOffWhileSending(error: NodeJS.ErrnoException): Answer {
  return { status: 0, headers: {}, text: error.code ?? "", ms: 0 };
}

/** lib/http/early-answers.ts's PAGE_POST_MAX_BYTES: a page post declaring more gets 413 and a close. */
const PAGE_POST_MAX_BYTES = 32 * 1024;

function postOversized(agent: http.Agent, route: string, type: string, size: number) {
  return request("POST", route, {
    agent,
    headers: { "content-type": type, origin: stack.appUrl, "sec-fetch-site": "same-origin" },
    body: Buffer.alloc(size, "a"),
  }).catch(cutOffWhileSending);
}

test.describe("a refused upload does not poison the client's keep-alive connection", () => {
  const BODY_ROUTES = [
    "/api/auth/register",
    "/api/auth/forgot-password",
    "/api/auth/reset-password",
    "/api/auth/resend-confirmation",
    "/api/auth/callback/credentials",
    "/api/auth/signout",
  ];

  for (const route of BODY_ROUTES) {
    test(route, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let round = 0; round < 2; round++) {
          // 2 MB is drained and the connection kept; 20 MB is refused at once with Connection: close.
          for (const [size, connection] of [
            [2_000_000, "keep-alive"],
            [20_000_000, "close"],
          ] as const) {
            // Each route's own kind of body, so that the refusal is for its size.
            const type = route === "/api/auth/resend-confirmation" ? FORM : JSON_TYPE;
            const refused = await postOversized(agent, route, type, size);
            if (connection === "keep-alive") {
              expect(refused.status, `${size} bytes`).toBe(413);
              expect(refused.headers.connection, `${size} bytes`).toBe("keep-alive");
            } else if (refused.status !== 0) {
              // The server may close while the client is still sending 20 MB: the client then sees the
              // write fail instead of the 413. What must hold is that the *next* request is not lost.
              expect(refused.status).toBe(413);
              expect(refused.headers.connection).toBe("close");
            }
            const next = await request("GET", "/api/auth/csrf", { agent });
            expect(next.status, `the request after a refused ${size}-byte upload`).toBe(200);
          }
        }
      } finally {
        agent.destroy();
      }
    });
  }
});

test.describe("an oversized post to a page is refused at the door, and the connection recovers", () => {
  // Next reads a page POST whole for the proxy; the Node server refuses one that declares more than a
  // form sends (lib/http/early-answers.ts), with Connection: close, before Next reads any of it.
  for (const route of ["/login/submit", "/login"]) {
    test(route, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (const size of [2_000_000, 20_000_000]) {
          const type = route === "/login" ? "multipart/form-data; boundary=x" : JSON_TYPE;
          const refused = await postOversized(agent, route, type, size);
          // The client may still be sending when the server closes: then it sees the write fail.
          if (refused.status !== 0) {
            expect(refused.status, `${size} bytes`).toBe(413);
            expect(refused.headers.connection, `${size} bytes`).toBe("close");
          }
          const next = await request("GET", "/api/auth/csrf", { agent });
          expect(next.status, `the request after a refused ${size}-byte post`).toBe(200);
        }
      } finally {
        agent.destroy();
      }
    });
  }
});

test.describe("every form page × malformed Server Action post: no 5xx, no leak", () => {
  const FORM_PAGES = [
    "/login",
    "/register",
    "/forgot-password",
    "/reset-password",
    "/verify-email",
    "/resend-confirmation",
    "/account",
  ];

  /** A multipart body from ordered fields; `boundary` fixed so the header can name it. */
  const multipart = (fields: Array<[string, string]>) => {
    const boundary = "----hostile";
    const parts = fields.map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    return {
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body: Buffer.from(`${parts.join("")}--${boundary}--\r\n`),
    };
  };

  /** The id React rendered into the page's form (`$ACTION_1:0`), or a made-up one if it has none. */
  async function actionIdOf(page: string): Promise<string> {
    const html = (await request("GET", page)).text.replaceAll("&quot;", '"');
    return /"id":"([0-9a-f]{20,})"/.exec(html)?.[1] ?? "00".repeat(21);
  }

  for (const page of FORM_PAGES) {
    test(page, async () => {
      const logBefore = appLog().length;
      const id = await actionIdOf(page);
      const origin = { origin: stack.appUrl };
      const noJs = (bound: string, extra: Array<[string, string]> = []) =>
        multipart([
          ["$ACTION_REF_1", ""],
          ["$ACTION_1:0", JSON.stringify({ id, bound: "$@1" })],
          ["$ACTION_1:1", bound],
          ["$ACTION_KEY", "k0"],
          ["email", "ada@example.com"],
          ["password", "correct horse battery"],
          ...extra,
        ]);
      const cases: Array<{ label: string; headers: Record<string, string>; body: Buffer }> = [
        {
          label: "not multipart at all",
          headers: { ...origin, "content-type": "multipart/form-data; boundary=x" },
          body: Buffer.from("garbage"),
        },
        { label: "bound state not JSON", ...noJs("not json") },
        { label: "bound state of the wrong shape", ...noJs('{"a":1}') },
        { label: "unknown action id", ...multipart([["$ACTION_ID_deadbeef", ""]]) },
        {
          label: "a field over the form limit",
          ...noJs("[{}]", [["first_name", "x".repeat(40_000)]]),
        },
        { label: "2 MB", ...noJs("[{}]", [["password", "x".repeat(2_000_000)]]) },
        {
          label: "enhanced call, body not JSON",
          headers: { "next-action": id, "content-type": "text/plain;charset=UTF-8" },
          body: Buffer.from("xx["),
        },
        {
          label: "enhanced call, unknown id",
          headers: { "next-action": "deadbeef", "content-type": "text/plain;charset=UTF-8" },
          body: Buffer.from("[]"),
        },
        {
          label: "enhanced call, reply part not JSON",
          headers: { "next-action": id, ...multipart([["0", "{oops"]]).headers },
          body: multipart([["0", "{oops"]]).body,
        },
        {
          label: "cross-site",
          headers: { origin: "https://evil.example", ...noJs("[{}]").headers },
          body: noJs("[{}]").body,
        },
      ];
      for (const { label, headers, body } of cases) {
        const answer = await request("POST", page, {
          headers: { origin: stack.appUrl, ...headers },
          body,
        }).catch(cutOffWhileSending);
        if (answer.status === 0) {
          // Refused at the door (413, Connection: close) while the client was still sending.
          expect(body.length, `${page}: ${label}: cut off (${answer.text})`).toBeGreaterThan(
            PAGE_POST_MAX_BYTES,
          );
          continue;
        }
        expect(answer.status, `${page}: ${label}`).toBeGreaterThanOrEqual(200);
        expect(answer.status, `${page}: ${label}`).toBeLessThan(500);
        expectNoLeak(answer, `${page}: ${label}`);
      }
      const logged = appLog().slice(logBefore);
      expect(logged).not.toMatch(/⨯|TypeError|SyntaxError|Unhandled|exceeded/);
    });
  }
});
