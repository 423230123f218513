import { describe, expect, it } from "vitest";
import { GENERIC_SIGN_IN_FAILURE, loginErrorMessage } from "@/lib/auth/login-errors";

describe("loginErrorMessage", () => {
  it("says nothing without a code", () => {
    expect(loginErrorMessage(null)).toBeNull();
    expect(loginErrorMessage(undefined)).toBeNull();
    expect(loginErrorMessage("")).toBeNull();
  });

  it("gives the one generic message for wrong credentials", () => {
    expect(loginErrorMessage("CredentialsSignin")).toBe(
      "Email or password is incorrect. If you just registered, confirm your email first.",
    );
    expect(GENERIC_SIGN_IN_FAILURE).toMatch(/incorrect/);
  });

  it.each([
    ["TooManyRequests", /too many/i],
    ["ServiceUnavailable", /temporarily unavailable/i],
    ["SessionExpired", /session has ended.*sign in again/i],
  ])("explains %s", (code, text) => {
    expect(loginErrorMessage(code)).toMatch(text);
  });

  it("never shows an unknown code or an inherited property name", () => {
    for (const code of ["Configuration", "<script>", "toString", "__proto__"]) {
      const message = loginErrorMessage(code);
      expect(message).toBe("Something went wrong while signing you in. Please try again.");
    }
  });
});
