import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_BODY_MAX_BYTES } from "@/lib/http/action-post";
import { PAGE_POST_MAX_BYTES } from "@/lib/http/early-answers";
import { installDoor } from "@/lib/http/door";

/**
 * A real Node server with the hook instrumentation.ts installs. Its handler stands in for Next: it
 * refuses POST /refuse at once without reading the body, reads everything else, and answers 200.
 */
let server: http.Server;
let base: string;
const reached: string[] = [];

beforeAll(async () => {
  installDoor({ security: { https: false, development: false } });
  server = http.createServer((req, res) => {
    reached.push(`${req.method} ${req.url}`);
    if (req.url === "/api/auth/refuse") {
      res.writeHead(413, { "content-type": "text/plain" });
      res.end("too large");
      return;
    }
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Answer = { status: number; connection: string | undefined; body: string; reused: boolean };

function send(
  agent: http.Agent,
  method: string,
  path: string,
  body?: Buffer,
): Promise<Answer | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request(`${base}${path}`, { method, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          connection: res.headers.connection,
          body: text,
          reused: req.reusedSocket,
        }),
      );
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? "?" }));
    if (body) req.setHeader("content-length", body.length);
    req.end(body);
  });
}

describe("answers at the Node server, before Next", () => {
  it.each(["TRACE", "PROPFIND", "MKCOL"])(
    "answers %s with 405 and Allow instead of Next's 500",
    async (method) => {
      const agent = new http.Agent();
      const answer = (await send(agent, method, "/login")) as Answer;
      agent.destroy();
      expect(answer.status).toBe(405);
      expect(answer.body).toBe("This method is not allowed.");
      expect(reached).not.toContain(`${method} /login`);
    },
  );

  it.each(["/api/auth/%E0%A4%A", "/api/auth/%", "/x/%zz", "/%C0%AF"])(
    "answers a path with broken percent-encoding (%s) with 400 instead of Next's 500",
    async (path) => {
      const agent = new http.Agent();
      const answer = (await send(agent, "GET", path)) as Answer;
      agent.destroy();
      expect(answer.status).toBe(400);
      expect(reached).not.toContain(`GET ${path}`);
    },
  );

  it.each(["/login/submit", "/login", "/account"])(
    "refuses a POST to %s that declares more than a form ever sends, before Next reads it whole",
    async (path) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const answer = (await send(agent, "POST", path, Buffer.alloc(2_000_000, "a"))) as Answer;
        expect(answer).toMatchObject({ status: 413, connection: "close" });
        expect(reached).not.toContain(`POST ${path}`);
        const next = await send(agent, "GET", "/next");
        expect(next).toMatchObject({ status: 200, body: "ok" });
      } finally {
        agent.destroy();
      }
    },
  );

  it("lets a form-sized page POST through, and leaves /api/auth bodies to their routes", async () => {
    const agent = new http.Agent();
    const small = (await send(
      agent,
      "POST",
      "/login",
      Buffer.alloc(PAGE_POST_MAX_BYTES, "a"),
    )) as Answer;
    const api = (await send(agent, "POST", "/api/auth/x", Buffer.alloc(100_000, "a"))) as Answer;
    agent.destroy();
    expect([small.status, api.status]).toEqual([200, 200]);
    // The proxy's own check of an action's body uses the same limit.
    expect(PAGE_POST_MAX_BYTES).toBe(ACTION_BODY_MAX_BYTES);
  });

  it("lets well-formed requests through, query strings untouched", async () => {
    const agent = new http.Agent();
    const answer = (await send(agent, "GET", "/login?x=%E0%A4%A")) as Answer;
    agent.destroy();
    expect(answer).toMatchObject({ status: 200, body: "ok" });
  });
});

describe("an answer sent before the body arrived ends the connection cleanly", () => {
  const upload = Buffer.alloc(2_000_000, "a");

  it("says Connection: close, and the client's next request on its keep-alive agent succeeds", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let round = 0; round < 4; round++) {
        const refused = (await send(agent, "POST", "/api/auth/refuse", upload)) as Answer;
        expect(refused).toMatchObject({ status: 413, connection: "close" });
        const next = await send(agent, "GET", "/next");
        expect(next).toMatchObject({ status: 200, body: "ok" });
      }
    } finally {
      agent.destroy();
    }
  });

  it("keeps the connection when the body was read before answering", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = (await send(agent, "POST", "/api/auth/read", upload)) as Answer;
      expect(first).toMatchObject({ status: 200, connection: "keep-alive" });
      const next = (await send(agent, "GET", "/next")) as Answer;
      expect(next).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });
});
