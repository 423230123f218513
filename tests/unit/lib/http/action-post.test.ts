import { describe, expect, it } from "vitest";
import { ACTION_BODY_MAX_BYTES, refuseMalformedActionPost } from "@/lib/http/action-post";
import { setupServerTests } from "../../support/server";

setupServerTests();

const PAGE = "http://localhost:3000/login";

/** A form post as a browser builds it: its own boundary (mixed case, as Chromium's is). */
function browserPost(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const encoded = new Request(PAGE, { method: "POST", body: form });
  return encoded.arrayBuffer().then((body) => {
    const type = encoded.headers.get("content-type") ?? "";
    const boundary = type.split("boundary=")[1] ?? "";
    const mixed = `----WebKitFormBoundaryAbCdEf${boundary.slice(-8)}`;
    const text = new TextDecoder().decode(body).replaceAll(boundary, mixed);
    return new Request(PAGE, {
      method: "POST",
      headers: {
        "content-type": `multipart/form-data; boundary=${mixed}`,
        "content-length": String(new TextEncoder().encode(text).length),
        ...headers,
      },
      body: text,
    });
  });
}

const NO_JS = {
  $ACTION_REF_1: "",
  "$ACTION_1:0": '{"id":"60a2179dd7c7f911d6a7108923bdd82d3f277eecc5","bound":"$@1"}',
  "$ACTION_1:1": '[{"status":0,"result":null,"values":{}}]',
  $ACTION_KEY: "k57dda06b38eed41ca643bf8072352454",
  email: "ada@example.com",
  password: "correct horse battery",
};

describe("refuseMalformedActionPost", () => {
  it("lets a browser's form post through, boundary case and all", async () => {
    expect(await refuseMalformedActionPost(await browserPost(NO_JS))).toBeNull();
  });

  it("lets an enhanced call through: its reply as JSON text, or as multipart parts", async () => {
    const text = new Request(PAGE, {
      method: "POST",
      headers: { "next-action": "abc", "content-type": "text/plain", "content-length": "2" },
      body: "[]",
    });
    expect(await refuseMalformedActionPost(text)).toBeNull();
    const parts = await browserPost(
      { "0": '["$K1"]', "1_email": "ada@example.com" },
      {
        "next-action": "abc",
      },
    );
    expect(await refuseMalformedActionPost(parts)).toBeNull();
  });

  it("ignores what is not a Server Action: GETs, and posts of other types", async () => {
    expect(await refuseMalformedActionPost(new Request(PAGE))).toBeNull();
    const form = new Request(PAGE, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=b",
    });
    expect(await refuseMalformedActionPost(form)).toBeNull();
  });

  it.each([
    [
      "a body that is not multipart",
      { "content-type": "multipart/form-data; boundary=x" },
      "garbage",
      400,
    ],
    [
      "an enhanced call whose body is not JSON",
      { "next-action": "abc", "content-type": "text/plain" },
      "xx[",
      400,
    ],
    ["no length", { "content-type": "multipart/form-data; boundary=x" }, undefined, 411],
  ] as const)("refuses %s", async (_label, headers, body, status) => {
    const request = new Request(PAGE, {
      method: "POST",
      headers: body === undefined ? headers : { ...headers, "content-length": String(body.length) },
      body: body ?? "",
    });
    if (body === undefined) request.headers.delete("content-length");
    const answer = await refuseMalformedActionPost(request);
    expect(answer?.status).toBe(status);
    expect(await answer?.json()).toMatchObject({ ok: false, message: expect.any(String) });
  });

  it("refuses a bound state or reply part that is not JSON", async () => {
    for (const fields of [
      { ...NO_JS, "$ACTION_1:1": "not json" },
      { ...NO_JS, "$ACTION_1:0": "{" },
    ]) {
      expect((await refuseMalformedActionPost(await browserPost(fields)))?.status).toBe(400);
    }
    const reply = await browserPost({ "0": "{oops" }, { "next-action": "abc" });
    expect((await refuseMalformedActionPost(reply))?.status).toBe(400);
  });

  it("refuses a body over the limit by its declared length, before reading it", async () => {
    const big = await browserPost({ ...NO_JS, first_name: "x".repeat(ACTION_BODY_MAX_BYTES) });
    expect((await refuseMalformedActionPost(big))?.status).toBe(413);
  });
});
