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
