import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openProfile, sealProfile, VERIFIED_PROFILE_HEADER } from "@/lib/auth/verified-profile";
import type { CustomerProfile } from "@/lib/directus/sessions";
import { forgetProcessWide } from "@/lib/process-wide";

const ada: CustomerProfile = {
  id: "user-1",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
};

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Changes one character in the middle of `text` to another valid base64url character. */
function flipCharacter(text: string): string {
  const at = Math.floor(text.length / 2);
  const replacement = text[at] === "A" ? "B" : "A";
  return `${text.slice(0, at)}${replacement}${text.slice(at + 1)}`;
}

describe("the sealed profile header", () => {
  it("has the name the proxy and the pages agree on", () => {
    expect(VERIFIED_PROFILE_HEADER).toBe("x-customer-auth-profile");
  });

  it("opens what it sealed, unchanged", () => {
    expect(openProfile(sealProfile(ada))).toEqual(ada);
    const unicode = { ...ada, firstName: "Ádá 李", lastName: "" };
    expect(openProfile(sealProfile(unicode))).toEqual(unicode);
  });

  it("is one header value: no characters a header could not carry", () => {
    expect(sealProfile({ ...ada, firstName: "Line\nbreak; and, commas" })).toMatch(
      /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
    );
  });

  it("refuses a payload changed after sealing, however little", () => {
    const [payload = "", signature = ""] = sealProfile(ada).split(".");
    expect(openProfile(`${flipCharacter(payload)}.${signature}`)).toBeNull();
    // Someone else's profile under Ada's signature.
    expect(openProfile(`${encode({ ...ada, id: "user-2" })}.${signature}`)).toBeNull();
  });

  it("refuses a changed or missing signature", () => {
    const [payload = "", signature = ""] = sealProfile(ada).split(".");
    expect(openProfile(`${payload}.${flipCharacter(signature)}`)).toBeNull();
    expect(openProfile(`${payload}.${signature.slice(0, -4)}`)).toBeNull();
    expect(openProfile(`${payload}.`)).toBeNull();
    expect(openProfile(payload)).toBeNull();
  });

  it("refuses a profile signed with any key but this process's own", () => {
    const payload = encode(ada);
    for (const key of ["", "secret", "x-customer-auth-profile"]) {
      const signature = createHmac("sha256", key).update(payload).digest("base64url");
      expect(openProfile(`${payload}.${signature}`)).toBeNull();
    }
  });

  it("refuses a seal from another process (another key)", () => {
    const sealed = sealProfile(ada);
    forgetProcessWide("verified-profile-key");
    expect(openProfile(sealed)).toBeNull();
    expect(openProfile(sealProfile(ada))).toEqual(ada);
  });

  it("refuses extra segments", () => {
    const sealed = sealProfile(ada);
    expect(openProfile(`${sealed}.extra`)).toBeNull();
    expect(openProfile(`${sealed}.`)).toBeNull();
    expect(openProfile(`x.${sealed}`)).toBeNull();
  });

  it.each([
    ["a missing header", null],
    ["undefined", undefined],
    ["an empty header", ""],
    ["a dot", "."],
    ["garbage", "not a sealed profile"],
    ["a plain JSON profile", JSON.stringify(ada)],
    ["a base64 profile without a signature", encode(ada)],
  ])("answers null for %s", (_label, value) => {
    expect(openProfile(value)).toBeNull();
  });

  it("answers null for a genuine seal of something that is not a profile", () => {
    for (const value of [{ ...ada, email: undefined }, { ...ada, id: 1 }, null, "ada"]) {
      expect(openProfile(sealProfile(value as unknown as CustomerProfile))).toBeNull();
    }
  });
});
