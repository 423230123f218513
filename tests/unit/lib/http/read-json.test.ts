import { describe, expect, it } from "vitest";
import { DRAIN_MAX_BYTES, readJson } from "@/lib/http/read-json";
import { jsonResult } from "@/lib/http/responses";
import { rejectCrossSite } from "@/lib/http/same-origin";
import { APP, setupServerTests } from "../../support/server";

setupServerTests();

function post(body: BodyInit | null, headers: Record<string, string>) {
  return new Request(`${APP}/api/x`, { method: "POST", headers, body });
}

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

/** A body that makes its chunks only when read (`count` of them, or endless), counting the reads. */
function pulledBody(chunkBytes: number, count = Infinity) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === count) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(chunkBytes));
    },
  });
  return { body, pulls: () => pulled };
}

function streamingPost(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request(`${APP}/api/x`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

async function statusOf(request: Request) {
  const result = await readJson(request);
  if (result.kind === "read") return 200;
  expect(result.response.headers.get("cache-control")).toBe("no-store");
  const body = (await result.response.json()) as { ok: boolean; message: string };
  expect(body.ok).toBe(false);
  expect(body.message).toEqual(expect.any(String));
  return result.response.status;
}

describe("readJson", () => {
  it("parses a JSON body", async () => {
    const result = await readJson(
      post('{"email":"a@example.com"}', { "content-type": "application/json; charset=UTF-8" }),
    );
    expect(result).toEqual({ kind: "read", value: { email: "a@example.com" } });
  });

  it.each([
    ["no content type", {}],
    ["a form post", { "content-type": "application/x-www-form-urlencoded" }],
    ["text/plain (the cross-site 'simple request' type)", { "content-type": "text/plain" }],
    ["another charset", { "content-type": "application/json; charset=latin1" }],
  ])("answers 415 for %s", async (_label, headers) => {
    expect(await statusOf(post('{"a":1}', headers))).toBe(415);
  });

  it("answers 413 from Content-Length before reading anything when the body is too large to drain", async () => {
    const declared = String(DRAIN_MAX_BYTES + 1);
    const request = post("{}", { "content-type": "application/json", "content-length": declared });
    expect(await statusOf(request)).toBe(413);
    expect(request.bodyUsed).toBe(false);
  });

  it("reads a body refused by its Content-Length to its end when it is small enough, so the connection stays usable", async () => {
    const chunkBytes = 64 * 1024;
    const chunks = 32; // 2 MiB, the size that poisoned keep-alive connections
    const { body, pulls } = pulledBody(chunkBytes, chunks);
    const request = streamingPost(body, { "content-length": String(chunks * chunkBytes) });
    expect(await statusOf(request)).toBe(413);
    expect(pulls()).toBe(chunks);
  });

  it("stops draining past the limit", async () => {
    const { body, pulls } = pulledBody(1024 * 1024);
    expect(await statusOf(streamingPost(body))).toBe(413);
    expect(pulls()).toBeLessThanOrEqual(DRAIN_MAX_BYTES / (1024 * 1024) + 2);
  });

  it("answers 413 while streaming when Content-Length is absent", async () => {
    const chunk = `"${"x".repeat(1_000)}",`;
    const request = new Request(`${APP}/api/x`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: streamOf(["[", ...Array<string>(20).fill(chunk), "0]"]),
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    expect(await statusOf(request)).toBe(413);
  });

  it("respects a custom limit", async () => {
    const result = await readJson(
      post('{"a":"0123456789"}', { "content-type": "application/json" }),
      { maxBytes: 10 },
    );
    expect(result.kind === "read" ? 200 : result.response.status).toBe(413);
  });

  it.each([
    ["malformed JSON", '{"email":'],
    ["an empty body", ""],
    ["invalid UTF-8", new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])],
  ])("answers 400 for %s", async (_label, body) => {
    expect(await statusOf(post(body, { "content-type": "application/json" }))).toBe(400);
  });

  it("answers 400 when there is no body at all", async () => {
    expect(await statusOf(post(null, { "content-type": "application/json" }))).toBe(400);
  });
});

describe("jsonResult", () => {
  it("sets Cache-Control: no-store and keeps extra headers", async () => {
    const response = jsonResult({ ok: true, message: "done" }, 201, { "Retry-After": "3" });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("retry-after")).toBe("3");
    expect(await response.json()).toEqual({ ok: true, message: "done" });
  });
});

describe("rejectCrossSite", () => {
  const check = (headers: Record<string, string>) =>
    rejectCrossSite(post("{}", headers))?.status ?? "allowed";

  it.each([
    [{ "sec-fetch-site": "same-origin", origin: APP }, "allowed"],
    [{ "sec-fetch-site": "none" }, "allowed"],
    [{}, "allowed"],
    [{ origin: APP }, "allowed"],
    [{ "sec-fetch-site": "cross-site" }, 403],
    [{ "sec-fetch-site": "same-site" }, 403],
    [{ origin: "https://evil.example" }, 403],
    [{ origin: "null" }, 403],
    [{ origin: "http://localhost:3001" }, 403],
  ])("%j → %s", (headers, expected) => {
    expect(check(headers)).toBe(expected);
  });
});

describe("readJson deadlines", () => {
  it("answers 408 when the body does not finish arriving in time, and hangs up", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"email":'));
      },
      pull: () => new Promise(() => {}),
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request(`${APP}/api/x`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    const result = await readJson(request, { timeoutMs: 50 });
    expect(result.kind === "read" ? 200 : result.response.status).toBe(408);
    expect(cancelled).toBe(true);
  });
});
