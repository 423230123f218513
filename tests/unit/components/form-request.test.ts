import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { GENERIC_ERROR_MESSAGE, postForm } from "@/components/form-request";
import { safeCallbackPath } from "@/lib/validations/callback-path";
import { setupMswServer } from "./helpers";

const ORIGIN = "https://shop.example";
const server = setupMswServer();

describe("safeCallbackPath", () => {
  it.each([
    ["/account", "/account"],
    ["/a/b?c=1#d", "/a/b?c=1#d"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
  ])("keeps the same-origin path %j", (raw, expected) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe(expected);
  });

  it.each([
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/\n/evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "account",
    "",
    null,
    undefined,
    `${ORIGIN}/account`,
  ])("refuses %j", (raw) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe("/account");
  });
});

describe("postForm", () => {
  const url = `${ORIGIN}/api/test`;

  it("treats a 2xx without a readable body as accepted", async () => {
    server.use(http.post(url, () => new HttpResponse(null, { status: 204 })));
    expect(await postForm(url, {})).toEqual({ status: 204, result: { ok: true } });
  });

  it("never passes on a body that is not a FormResult", async () => {
    server.use(
      http.post(url, () =>
        HttpResponse.json({ errors: [{ message: "SQLITE_BUSY at /srv/db" }] }, { status: 500 }),
      ),
    );
    expect(await postForm(url, {})).toEqual({
      status: 500,
      result: { ok: false, message: GENERIC_ERROR_MESSAGE },
    });
  });

  it("passes on the server's message and field errors", async () => {
    const body = { ok: false, message: "Fix it.", fieldErrors: { email: ["Bad."] } };
    server.use(http.post(url, () => HttpResponse.json(body, { status: 422 })));
    expect(await postForm(url, {})).toEqual({ status: 422, result: body });
  });
});
