import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  forgotPasswordSchema,
  loginSchema,
  registerSchema,
  resetPasswordSchema,
} from "@/lib/validations/auth";

const valid = {
  first_name: "Ada",
  last_name: "Lovelace",
  email: "Ada@Example.com ",
  password: "correct horse battery",
};

describe("registerSchema", () => {
  const schema = registerSchema(12);

  it("accepts a valid form and normalises the email", () => {
    expect(schema.parse(valid)).toEqual({ ...valid, email: "ada@example.com" });
  });

  it.each(["role", "status", "policies", "token"])("refuses the extra field %s", (field) => {
    const result = schema.safeParse({ ...valid, [field]: "x" });
    expect(result.success).toBe(false);
  });

  it("refuses a short password with a field error", () => {
    const result = schema.safeParse({ ...valid, password: "short" });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(z.flattenError(result.error).fieldErrors.password).toEqual([
        "Use at least 12 characters.",
      ]);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(schema.safeParse({ ...valid, password: "🔒".repeat(12) }).success).toBe(true);
    expect(schema.safeParse({ ...valid, password: "🔒".repeat(6) }).success).toBe(false);
  });

  it("refuses control characters in names", () => {
    expect(schema.safeParse({ ...valid, first_name: "Ada\u0000" }).success).toBe(false);
  });
});

describe("registerSchema keeps lures out of names (they are printed back to people)", () => {
  const schema = registerSchema(12);
  const nameErrors = (first_name: string) => {
    const result = schema.safeParse({ ...valid, first_name });
    return result.success ? [] : (z.flattenError(result.error).fieldErrors.first_name ?? []);
  };

  it("refuses the phishing first name from issue 12 in plain words", () => {
    const errors = nameErrors(
      "urgent: your account is locked, call +1 555 0100 or visit https://evil.example/unlock",
    );
    expect(errors).toEqual([
      "Your first name can be at most 50 characters.",
      "Your first name can't contain a web address. If it has a dot, put a space after it.",
      "Your first name can't contain a phone number or a number of 5 digits or more.",
    ]);
    // Cut to a length that fits, it is still refused for what it carries.
    expect(nameErrors("Locked! Call +1 555 0100 or evil.example/unlock")).toEqual([
      "Your first name can't contain a web address. If it has a dot, put a space after it.",
      "Your first name can't contain a phone number or a number of 5 digits or more.",
    ]);
  });

  it("allows 50 characters, what Directus's name columns hold on Postgres, and no more", () => {
    expect(nameErrors("A".repeat(50))).toEqual([]);
    expect(nameErrors("A".repeat(51))).toEqual(["Your first name can be at most 50 characters."]);
  });

  it.each([
    "https://evil.example",
    "visit http://x",
    "hxxps://evil",
    "evil.example/unlock",
    "www.evil",
    "go to evil.co",
    "EVIL.EXAMPLE",
    "bücher.example",
    "evil．example",
    "evil。example",
    "xn--80ak6aa92e.com",
  ])("refuses a web address: %s", (name) => {
    expect(nameErrors(name)).toEqual([
      "Your first name can't contain a web address. If it has a dot, put a space after it.",
    ]);
  });

  it.each(["ada@evil.example", "write to help@evil", "ada＠evil", "@"])(
    "refuses an email address or @: %s",
    (name) => {
      expect(nameErrors(name)).toEqual(["Your first name can't contain an email address or @."]);
    },
  );

  it.each(["55501", "call 555 0100", "+1 (555) 010", "12-34-5", "1.2.3.4.5", "０１２３４"])(
    "refuses 5 digits or more in a run, however they are spaced: %s",
    (name) => {
      expect(nameErrors(name)).toEqual([
        "Your first name can't contain a phone number or a number of 5 digits or more.",
      ]);
    },
  );

  it.each([
    "Ada",
    "Zoë 🦄 O'Brien-Łukasiewicz",
    "J. R. R.",
    "J.R.R.",
    "Ph.D",
    "St. John",
    "Mary-Jane Jr.",
    "Louis XIV",
    "Grace 1906",
    "李小龍",
    "محمد",
    "{{7*7}} ${7*7}",
    "Robert'); DROP TABLE users;--",
  ])("accepts real names and odd-but-harmless text: %s", (name) => {
    expect(nameErrors(name)).toEqual([]);
    expect(schema.safeParse({ ...valid, last_name: name }).success).toBe(true);
  });

  it("says which name field is wrong", () => {
    const result = schema.safeParse({ ...valid, last_name: "see evil.example" });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(z.flattenError(result.error).fieldErrors.last_name).toEqual([
        "Your last name can't contain a web address. If it has a dot, put a space after it.",
      ]);
  });
});

describe("the other schemas", () => {
  it("loginSchema never judges password strength", () => {
    expect(loginSchema.safeParse({ email: "a@example.com", password: "x" }).success).toBe(true);
    expect(loginSchema.safeParse({ email: "a@example.com", password: "" }).success).toBe(false);
  });

  it("forgotPasswordSchema needs a valid email only", () => {
    expect(forgotPasswordSchema.safeParse({ email: "not-an-email" }).success).toBe(false);
    expect(forgotPasswordSchema.safeParse({ email: "a@example.com", extra: 1 }).success).toBe(
      false,
    );
  });

  it("resetPasswordSchema needs a token and a new password", () => {
    const schema = resetPasswordSchema(12);
    expect(schema.safeParse({ token: "t", password: "long enough password" }).success).toBe(true);
    expect(schema.safeParse({ token: "", password: "long enough password" }).success).toBe(false);
    expect(schema.safeParse({ token: "t", password: "short" }).success).toBe(false);
  });
});
