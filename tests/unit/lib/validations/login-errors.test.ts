import { describe, expect, it } from "vitest";
import {
  GENERIC_SIGN_IN_FAILURE,
  loginErrorMessage,
  retryAfterOf,
  tooManyRequestsCode,
} from "@/lib/validations/login-errors";

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

  it.each([
    ["TooManyRequests.600", "10 minutes"],
    ["TooManyRequests.604800", "7 days"],
    ["TooManyRequests.30", "a minute"],
  ])("says the wait carried by %s in words", (code, words) => {
    expect(retryAfterOf(code)).toBe(Number(code.split(".")[1]));
    expect(loginErrorMessage(code)).toBe(
      `Too many sign-in attempts. Try again in ${words}, or reset your password to sign in right away.`,
    );
  });

  it("builds the code from the throttle's wait", () => {
    expect(tooManyRequestsCode(604800)).toBe("TooManyRequests.604800");
    expect(tooManyRequestsCode(0.2)).toBe("TooManyRequests.1");
  });

  it("shows no wait it cannot read", () => {
    for (const code of [
      "TooManyRequests.0",
      "TooManyRequests.-5",
      "TooManyRequests.1e9",
      "TooManyRequests.99999999999",
      "TooManyRequests.604801",
      "TooManyRequests.60.1",
      "TooManyRequests.60x",
    ]) {
      expect(retryAfterOf(code)).toBeUndefined();
      expect(loginErrorMessage(code)).toBe(
        "Something went wrong while signing you in. Please try again.",
      );
    }
  });

  it("never shows an unknown code or an inherited property name", () => {
    for (const code of ["Configuration", "<script>", "toString", "__proto__"]) {
      const message = loginErrorMessage(code);
      expect(message).toBe("Something went wrong while signing you in. Please try again.");
    }
  });
});
