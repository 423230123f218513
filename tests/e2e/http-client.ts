/**
 * Plain HTTP to the app from a chosen loopback address (127.0.0.0/8 is all loopback on Linux). The app
 * limits sign-in, registration and reset requests per client address, taken from the TCP peer; a
 * test that sends many of them uses an address of its own, as separate customers would. Requests go
 * to the first app server unless `base` names another (global-setup.ts starts two).
 */
import http from "node:http";
import { stack } from "./fixtures";

export type Answer = {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
};

export function send(
  from: string,
  method: string,
  path: string,
  {
    headers = {},
    body,
    base = stack.appUrl,
    agent = false,
  }: {
    headers?: Record<string, string>;
    body?: string | Buffer;
    base?: string;
    /** A keep-alive agent to send on; by default each request has a connection of its own. */
    agent?: http.Agent | false;
  } = {},
): Promise<Answer> {
  const target = new URL(path, base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        localAddress: from,
        headers:
          body === undefined ? headers : { ...headers, "content-length": Buffer.byteLength(body) },
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path} got no answer`)));
    req.end(body);
  });
}

/** A JSON post as the app's own forms send it. */
export function postJson(from: string, path: string, value: unknown): Promise<Answer> {
  return send(from, "POST", path, {
    headers: {
      "content-type": "application/json",
      origin: stack.appUrl,
      "sec-fetch-site": "same-origin",
    },
    body: JSON.stringify(value),
  });
}

/** A session cookie jar for one client: keeps what Set-Cookie says, sends it back. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  take(headers: http.IncomingHttpHeaders): void {
    for (const line of headers["set-cookie"] ?? []) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  has(prefix: string): boolean {
    return [...this.cookies.keys()].some((name) => name.startsWith(prefix));
  }
}

/** next-auth's credentials sign-in, as its client does it: CSRF token, then the callback. */
export async function signInOverHttp(
  from: string,
  jar: CookieJar,
  email: string,
  password: string,
): Promise<Answer> {
  const csrf = await send(from, "GET", "/api/auth/csrf", { headers: { cookie: jar.header() } });
  jar.take(csrf.headers);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const answer = await send(from, "POST", "/api/auth/callback/credentials", {
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: jar.header(),
    },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
  jar.take(answer.headers);
  return answer;
}

/** next-auth's sign-out, as its client does it. */
export async function signOutOverHttp(from: string, jar: CookieJar): Promise<Answer> {
  const csrf = await send(from, "GET", "/api/auth/csrf", { headers: { cookie: jar.header() } });
  jar.take(csrf.headers);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const answer = await send(from, "POST", "/api/auth/signout", {
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
  });
  jar.take(answer.headers);
  return answer;
}
