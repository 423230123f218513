/**
 * The settings provisioning writes into Directus, checked against the app's own rules: Directus's
 * password policy must accept exactly the lengths the app's schema accepts, or its refusal (which only
 * new emails get) would tell new emails from existing ones.
 */
import { describe, expect, it } from "vitest";
import {
  passwordPolicy,
  publicNote,
  readPasswordMinLength,
} from "../../../directus/scripts/provision.mjs";
import { PASSWORD_MAX_LENGTH, newPasswordSchema } from "@/lib/validations/auth";

/** How Directus 12 applies the policy (api/dist/services/users.js, checkPasswordPolicy). */
function directusAccepts(policy: string, password: string): boolean {
  const wrapped = policy.startsWith("/") && policy.endsWith("/");
  return new RegExp(wrapped ? policy.slice(1, -1) : policy).test(password);
}

const pieces = ["a", "é", "e\u0301", "🔒", "👩‍💻", "\n", "\u2028", " ", "密", "\ud800", "\udc00"];

/** Strings around the limits, built from characters of every width: ASCII, BMP, astral, lone halves. */
function samples(min: number): string[] {
  const out: string[] = [];
  for (const piece of pieces)
    for (const count of [1, min - 1, min, min + 1, PASSWORD_MAX_LENGTH, PASSWORD_MAX_LENGTH + 1])
      out.push(piece.repeat(count));
  for (let i = 0; i < 200; i++) {
    const length = min - 3 + (i % 8);
    out.push(
      Array.from({ length }, (_, j) => pieces[(i * 7 + j * 3) % pieces.length] ?? "").join(""),
    );
  }
  return out;
}

describe("passwordPolicy (Directus's auth_password_policy)", () => {
  it.each([8, 12, 20])("accepts exactly what the app's schema accepts, minimum %i", (min) => {
    const policy = passwordPolicy(min);
    const schema = newPasswordSchema(min);
    for (const password of samples(min)) {
      expect(directusAccepts(policy, password), JSON.stringify(password)).toBe(
        schema.safeParse(password).success,
      );
    }
  });

  it("is in the /…/ form Directus expects, with no flags, and fits its 100-character column", () => {
    expect(passwordPolicy(12)).toMatch(/^\/\^.*\$\/$/);
    expect(passwordPolicy(128).length).toBeLessThanOrEqual(100);
  });
});

describe("readPasswordMinLength (PASSWORD_MIN_LENGTH, as the app reads it)", () => {
  it("defaults to 12 and accepts 8 to 128", () => {
    expect(readPasswordMinLength(undefined)).toBe(12);
    expect(readPasswordMinLength("")).toBe(12);
    expect(readPasswordMinLength("8")).toBe(8);
    expect(readPasswordMinLength("128")).toBe(128);
  });

  it.each(["7", "129", "12.5", "twelve", "-12"])("refuses %s, naming the variable", (value) => {
    expect(() => readPasswordMinLength(value)).toThrow(/PASSWORD_MIN_LENGTH/);
  });
});

describe("publicNote", () => {
  it("says the console is for staff and links where customers sign in", () => {
    expect(publicNote("https://shop.example/")).toBe(
      "This console is for staff only. Customers create their account and sign in at [https://shop.example/login](https://shop.example/login).",
    );
  });
});
