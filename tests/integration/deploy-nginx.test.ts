// Over 250 lines on purpose: all its checks share one run of the real nginx config.
/**
 * The production reverse proxy (deploy/nginx/customer-auth.conf, docs/deploy.md "Production") keeps
 * Directus's sign-in, refresh, password, registration, GraphQL and customer API endpoints unreachable
 * from outside except for allow-listed staff addresses, whatever spelling of the path a client tries,
 * and hands each upstream the real client address. The real nginx runs the committed file, changed
 * only by the explicit, counted swaps in `testSite` (ports, no TLS, the include's path).
 *
 * Then Directus's own rate limiter, with the environment docker-compose.yml gives it, behind that
 * nginx: each outside address has its own bucket (IP_TRUST_PROXY reads the address nginx wrote), and
 * the app's direct calls have theirs.
 *
 * Clients are told apart by source address on the loopback network: 127.0.0.1 is the allow-listed
 * staff address (and the app calling Directus directly), 127.0.0.2 and 127.0.0.3 are outsiders.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directusEnv } from "../../directus/scripts/directus-env.mjs";
import { startDirectus } from "../../directus/scripts/run-directus.mjs";
import { freePort, secret } from "../../scripts/stack.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SITE = path.join(ROOT, "deploy/nginx/customer-auth.conf");
const STAFF = path.join(ROOT, "deploy/nginx/staff-addresses.conf");
const APP_HOST = "app.example.com";
const ADMIN_HOST = "admin.example.com";
const STAFF_ADDRESS = "127.0.0.1";
const OUTSIDER = "127.0.0.2";
const OTHER_OUTSIDER = "127.0.0.3";

function findNginx(): string | undefined {
  for (const bin of [process.env.NGINX_BIN, "/usr/sbin/nginx", "nginx"]) {
    if (bin && spawnSync(bin, ["-v"], { encoding: "utf8" }).status === 0) return bin;
  }
  return undefined;
}
const nginxBin = findNginx();
const hasCompose = spawnSync("docker-compose", ["version"], { encoding: "utf8" }).status === 0;
for (const [present, what, install] of [
  [nginxBin !== undefined, "nginx", "nginx"],
  [hasCompose, "docker-compose", "docker-compose"],
] as const) {
  if (present) continue;
  if (process.env.CI) throw new Error(`${what} is required on CI to test deploy/nginx`);
  console.warn(
    `Skipping part of the deploy/nginx tests: ${what} is not installed (apt-get install -y ${install})`,
  );
}

/** Replaces `from` exactly `times` times, or throws: the committed file no longer has that shape. */
function swap(text: string, from: string | RegExp, to: string, times: number): string {
  const pattern =
    typeof from === "string" ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g") : from;
  const found = text.match(pattern)?.length ?? 0;
  if (found !== times)
    throw new Error(`expected ${times} × ${String(from)} in deploy/nginx, found ${found}`);
  return text.replace(pattern, to);
}

type Ports = { http: number; https: number; app: number; directus: number };

/** The committed site, on loopback ports and plain http, with the staff list at `staffFile`. */
function testSite(ports: Ports, staffFile: string): string {
  let site = readFileSync(SITE, "utf8");
  // IPv6 may be missing where tests run; the IPv4 lines carry the same servers.
  site = swap(site, /^ *listen \[::\]:(80|443)\b.*\n/gm, "", 3);
  site = swap(site, "listen 80;", `listen 127.0.0.1:${ports.http};`, 1);
  // Plain http: what is under test is routing and headers, not TLS.
  site = swap(site, "listen 443 ssl http2;", `listen 127.0.0.1:${ports.https};`, 2);
  site = swap(site, /^ *ssl_certificate(_key)? .*\n/gm, "", 4);
  site = swap(site, "http://127.0.0.1:3000;", `http://127.0.0.1:${ports.app};`, 1);
  site = swap(site, "http://127.0.0.1:8055;", `http://127.0.0.1:${ports.directus};`, 2);
  return swap(
    site,
    "include /etc/nginx/customer-auth/staff-addresses.conf;",
    `include ${staffFile};`,
    1,
  );
}

type Nginx = { ports: Ports; stop: () => Promise<void> };

async function startNginx(upstreams: { app: number; directus: number }): Promise<Nginx> {
  if (!nginxBin) throw new Error("nginx is not installed");
  const dir = mkdtempSync(path.join(os.tmpdir(), "deploy-nginx-"));
  const ports = { http: await freePort(), https: await freePort(), ...upstreams };
  // The committed staff list, with the documentation range swapped for the staff test address.
  const staff = swap(
    readFileSync(STAFF, "utf8"),
    "allow 203.0.113.0/24;",
    `allow ${STAFF_ADDRESS};`,
    1,
  );
  writeFileSync(path.join(dir, "staff-addresses.conf"), staff);
  writeFileSync(
    path.join(dir, "site.conf"),
    testSite(ports, path.join(dir, "staff-addresses.conf")),
  );
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => {
    mkdirSync(path.join(dir, kind));
    return `${kind}_temp_path ${path.join(dir, kind)};`;
  });
  writeFileSync(
    path.join(dir, "nginx.conf"),
    [
      // As root, workers would otherwise run as nobody and could not use the temporary folder.
      process.getuid?.() === 0 ? "user root;" : "",
      "worker_processes 1;",
      `pid ${path.join(dir, "nginx.pid")};`,
      `error_log ${path.join(dir, "error.log")} warn;`,
      "events { worker_connections 256; }",
      `http { access_log off; ${temp.join(" ")} include ${path.join(dir, "site.conf")}; }`,
    ].join("\n"),
  );
  const errorLog = () => {
    try {
      return readFileSync(path.join(dir, "error.log"), "utf8");
    } catch {
      return "";
    }
  };
  let output = "";
  const child: ChildProcess = spawn(
    nginxBin,
    ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (d) => (output += String(d)));
  child.stderr?.on("data", (d) => (output += String(d)));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`nginx exited (${child.exitCode}):\n${output}\n${errorLog()}`);
    }
    try {
      await send({ port: ports.https, host: "localhost", path: "/" });
      return { ports, stop };
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `nginx did not answer: ${(err as Error).message}\n${output}\n${errorLog()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request with the request line exactly as given (fetch would normalise the path). */
function send(o: {
  port: number;
  host: string;
  path: string;
  method?: string;
  from?: string;
  headers?: Record<string, string>;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const method = o.method ?? "GET";
    const req = http.request(
      {
        host: "127.0.0.1",
        port: o.port,
        path: o.path,
        method,
        localAddress: o.from ?? STAFF_ADDRESS,
        headers: { host: o.host, ...o.headers },
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${o.path} timed out`)));
    req.end(method === "POST" ? '{"email":"victim@example.com","password":"wrong"}' : undefined);
  });
}

type Seen = { method: string; url: string; host?: string; forwardedFor?: string; proto?: string };

/** Stands in for Directus or the app: answers 200 and keeps every request it got. */
async function startStub(name: string) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        host: req.headers.host,
        forwardedFor: req.headers["x-forwarded-for"] as string | undefined,
        proto: req.headers["x-forwarded-proto"] as string | undefined,
      });
      res.end(name);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Directus's own doors around the app's rules, and the spellings a client could try for each:
// Directus's router ignores case and a trailing slash; nginx decodes, merges slashes and resolves
// dot segments before it matches, and passes the request line on unchanged.
const SENSITIVE = [
  "/auth/login",
  "/auth/login/github",
  "/auth/refresh",
  "/auth/password/request",
  "/auth/password/reset",
  "/users/register",
  "/users/register/verify-email?token=abc",
  "/graphql",
  "/graphql/system",
  "/customer/register",
  "/customer/confirm",
  "/customer/resend",
  "/customer/me",
  "/customer/sign-out",
];

function spellings(target: string): string[] {
  const queryAt = target.indexOf("?");
  const pathname = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = queryAt < 0 ? undefined : target.slice(queryAt + 1);
  const withQuery = (p: string) => (query === undefined ? p : `${p}?${query}`);
  const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
  return [
    target,
    withQuery(pathname.toUpperCase()),
    withQuery(pathname.replace(/\b\w/g, (c) => c.toUpperCase())),
    withQuery(`${pathname}/`),
    withQuery(pathname.replaceAll("/", "//")),
    // The last segment's first letter percent-encoded: /auth/%6Cogin
    withQuery(
      pathname.replace(/\/(\w)([^/]*)$/, (_, c: string, tail: string) => `/${hex(c)}${tail}`),
    ),
    // Dot segments: /auth/./login, /x/../auth/login
    withQuery(pathname.replace(/^\/([^/]+)/, "/$1/.")),
    withQuery(`/x/..${pathname}`),
    `${pathname}?${query ?? "x=1"}&email=victim%40example.com`,
  ];
}

const ORDINARY = [
  "/admin",
  "/admin/login",
  "/server/ping",
  "/server/info",
  "/items/articles?limit=1",
  "/assets/4f1c2d3e-0000-4000-8000-000000000000?key=thumb",
  "/auth/providers",
  "/auth/logout",
  "/users/me",
  "/files",
];

describe.skipIf(!nginxBin)("deploy/nginx/customer-auth.conf", () => {
  let nginx: Nginx;
  let directus: Awaited<ReturnType<typeof startStub>>;
  let app: Awaited<ReturnType<typeof startStub>>;
  const admin = (o: Omit<Parameters<typeof send>[0], "port" | "host">) =>
    send({ port: nginx.ports.https, host: ADMIN_HOST, ...o });

  beforeAll(async () => {
    directus = await startStub("directus");
    app = await startStub("app");
    nginx = await startNginx({ app: app.port, directus: directus.port });
  });
  afterAll(async () => {
    await nginx?.stop();
    await directus?.stop();
    await app?.stop();
  });

  it.each(SENSITIVE)(
    "%s: outsiders get 403 and never reach Directus, in every spelling; staff reach it unchanged",
    async (target) => {
      const wrong: string[] = [];
      for (const spelling of spellings(target)) {
        for (const method of ["GET", "POST"]) {
          const before = directus.seen.length;
          const outside = await admin({ path: spelling, method, from: OUTSIDER });
          if (outside.status !== 403 || directus.seen.length !== before)
            wrong.push(`outsider ${method} ${spelling}: ${outside.status}`);

          const staff = await admin({ path: spelling, method, from: STAFF_ADDRESS });
          const reached = directus.seen.at(-1);
          if (staff.status !== 200 || directus.seen.length !== before + 1)
            wrong.push(`staff ${method} ${spelling}: ${staff.status}`);
          else if (reached?.method !== method || reached.url !== spelling)
            wrong.push(`staff ${method} ${spelling} arrived as ${reached?.method} ${reached?.url}`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  it("passes the rest of the console through for everyone", async () => {
    for (const target of ORDINARY) {
      for (const method of ["GET", "POST"]) {
        const before = directus.seen.length;
        const answer = await admin({ path: target, method, from: OUTSIDER });
        expect(answer.status, `${method} ${target}`).toBe(200);
        expect(directus.seen.slice(before)).toEqual([
          expect.objectContaining({ method, url: target }),
        ]);
      }
    }
  });

  it("gives each upstream the real client address, not one the client sent", async () => {
    const spoof = { "x-forwarded-for": "6.6.6.6", "x-forwarded-proto": "https" };
    await admin({ path: "/server/ping", from: OUTSIDER, headers: spoof });
    expect(directus.seen.at(-1)).toMatchObject({
      host: ADMIN_HOST,
      forwardedFor: OUTSIDER,
      proto: "http",
    });
    await send({
      port: nginx.ports.https,
      host: APP_HOST,
      path: "/login",
      from: OUTSIDER,
      headers: spoof,
    });
    expect(app.seen.at(-1)).toMatchObject({
      url: "/login",
      host: APP_HOST,
      forwardedFor: OUTSIDER,
      proto: "http",
    });
  });

  it("sends the app host, and any unknown host, to the app only", async () => {
    const before = directus.seen.length;
    for (const host of [APP_HOST, "203.0.113.7", "directus"]) {
      for (const target of ["/auth/login", "/users/register", "/api/auth/callback/credentials"]) {
        const answer = await send({
          port: nginx.ports.https,
          host,
          path: target,
          method: "POST",
          from: OUTSIDER,
        });
        expect(answer.body, `${host} ${target}`).toBe("app");
      }
    }
    expect(directus.seen.length).toBe(before);
  });

  it("redirects plain http to https", async () => {
    const answer = await send({
      port: nginx.ports.http,
      host: ADMIN_HOST,
      path: "/auth/login?x=1",
      from: OUTSIDER,
    });
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://${ADMIN_HOST}/auth/login?x=1`);
  });
});

// ── Directus's rate limiter, as docker-compose.yml configures it ────────────────────────────────────

/** The directus service's environment from `docker-compose config`, with only these variables set. */
function composeDirectusEnv(vars: Record<string, string>): Record<string, string> {
  const emptyEnvFile = path.join(mkdtempSync(path.join(os.tmpdir(), "compose-")), "empty.env");
  writeFileSync(emptyEnvFile, "");
  const result = spawnSync(
    "docker-compose",
    ["--project-directory", ROOT, "--env-file", emptyEnvFile, "-f", "docker-compose.yml", "config"],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "test",
        APP_URL: "https://app.example.com",
        DIRECTUS_PUBLIC_URL: "https://admin.example.com",
        DIRECTUS_SECRET: "s".repeat(48),
        DIRECTUS_ADMIN_EMAIL: "admin@example.com",
        DIRECTUS_ADMIN_PASSWORD: "p".repeat(24),
        NEXTAUTH_SECRET: "n".repeat(48),
        POSTGRES_PASSWORD: "q".repeat(24),
        ...vars,
      },
    },
  );
  rmSync(path.dirname(emptyEnvFile), { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
  const service = /\n {2}directus:\n([\s\S]*?)\n {2}\S/.exec(result.stdout)?.[1] ?? "";
  const environment = /\n {4}environment:\n((?: {6}.*\n)+)/.exec(`\n${service}\n`)?.[1] ?? "";
  return Object.fromEntries(
    [...environment.matchAll(/^ {6}([A-Z0-9_]+): (.*)$/gm)].map(([, key, value]) => [
      key,
      (value ?? "").replace(/^(['"])(.*)\1$/, "$2"),
    ]),
  );
}

describe.skipIf(!nginxBin || !hasCompose)(
  "Directus's rate limiter with docker-compose.yml's settings, behind deploy/nginx",
  () => {
    const POINTS = 5;
    let limiterEnv: Record<string, string>;
    let nginx: Nginx;
    let directusUrl: string;
    let stopDirectus: () => Promise<void> = async () => {};
    let dataDir: string;
    const ping = (from: string, headers?: Record<string, string>) =>
      send({ port: nginx.ports.https, host: ADMIN_HOST, path: "/server/ping", from, headers });

    beforeAll(async () => {
      // Few points in a long window, through compose's own variables, so the test is quick and
      // cannot race the clock.
      const env = composeDirectusEnv({
        DIRECTUS_RATE_LIMIT_POINTS: String(POINTS),
        DIRECTUS_RATE_LIMIT_DURATION: "600",
      });
      limiterEnv = Object.fromEntries(
        Object.entries(env).filter(([key]) => /^(RATE_LIMITER_|IP_)/.test(key)),
      );
      dataDir = mkdtempSync(path.join(os.tmpdir(), "deploy-nginx-directus-"));
      const port = await freePort();
      let output = "";
      const directus = await startDirectus({
        env: directusEnv({
          publicUrl: `http://127.0.0.1:${port}`,
          appUrl: "http://localhost:3000",
          secret: secret(),
          adminEmail: "admin@example.com",
          adminPassword: secret(18),
          port,
          dataDir,
          smtp: { host: "127.0.0.1", port: await freePort() },
          extra: limiterEnv,
        }),
        dataDir,
        onOutput: (s: string) => (output = (output + s).slice(-20_000)),
      }).catch((err: Error) => {
        throw new Error(`${err.message}\n--- output ---\n${output}`);
      });
      directusUrl = directus.url;
      stopDirectus = directus.stop;
      nginx = await startNginx({ app: await freePort(), directus: port });
    });
    afterAll(async () => {
      await nginx?.stop();
      await stopDirectus();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it("is on, keyed by the address nginx wrote, with the points and window from .env", () => {
      expect(limiterEnv).toMatchObject({
        RATE_LIMITER_ENABLED: "true",
        RATE_LIMITER_STORE: "memory",
        RATE_LIMITER_POINTS: String(POINTS),
        RATE_LIMITER_DURATION: "600",
        IP_TRUST_PROXY: "loopback,uniquelocal",
      });
      // Directus would log a warning on every app call that lacks such a header.
      expect(limiterEnv).not.toHaveProperty("IP_CUSTOM_HEADER");
      // Defaults when .env says nothing: well above the app's peak (docs/deploy.md).
      expect(composeDirectusEnv({})).toMatchObject({
        RATE_LIMITER_POINTS: "500",
        RATE_LIMITER_DURATION: "1",
      });
      // The local dev and test stack hammers Directus from one address: its limiter stays off.
      const local = directusEnv({
        publicUrl: "http://127.0.0.1:8055",
        appUrl: "http://localhost:3000",
        secret: "s",
        adminEmail: "a@example.com",
        adminPassword: "p",
        port: 8055,
        dataDir: os.tmpdir(),
        smtp: { host: "127.0.0.1", port: 1025 },
      });
      expect(local.RATE_LIMITER_ENABLED).toBeUndefined();
    });

    it("answers an outside address 429 after its points, and only that address", async () => {
      for (let i = 0; i < POINTS; i++) expect((await ping(OUTSIDER)).status).toBe(200);
      const refused = await ping(OUTSIDER);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(refused.body).toContain("REQUESTS_EXCEEDED");
      // A header of its own does not buy a fresh bucket: nginx overwrites it.
      expect((await ping(OUTSIDER, { "x-forwarded-for": "198.51.100.9" })).status).toBe(429);
      // Another outside address, and the app calling Directus directly, each have their own.
      expect((await ping(OTHER_OUTSIDER)).status).toBe(200);
      const direct = await fetch(`${directusUrl}/server/ping`);
      expect(direct.status).toBe(200);
    });
  },
);
