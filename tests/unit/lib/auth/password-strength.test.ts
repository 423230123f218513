import { describe, expect, it } from "vitest";
import { checkPasswordStrength } from "@/lib/auth/password-strength";

/** Our own sentences only: never zxcvbn's keys, English defaults or an empty reason. */
const PLAIN =
  /^This password is too easy to guess\. ([A-Z][^<>{}\n]+\. )?Try a few unrelated words together\.$/;

describe("checkPasswordStrength", () => {
  it.each([
    ["aaaaaaaaaaaa", "Repeated characters are easy to guess."],
    ["password1234", "It is too close to a common or leaked password."],
    ["123456789012", "It is on lists of common and leaked passwords."],
    ["zxcvbnm,./asdf", "Rows of keys on a keyboard are easy to guess."],
    ["Summer2024!!", ""],
    ["abcdefghijklmn", "Sequences like abc or 1234 are easy to guess."],
    ["P@ssw0rd2024!", "It is too close to a common or leaked password."],
    ["iloveyou2024", "It is too close to a common or leaked password."],
    ["abcabcabcabc", "Repeated patterns are easy to guess."],
  ])("refuses %s and says why in plain words", async (password, reason) => {
    const verdict = await checkPasswordStrength(password);
    expect(verdict).toEqual({
      kind: "weak",
      message: `This password is too easy to guess. ${reason ? `${reason} ` : ""}Try a few unrelated words together.`,
    });
  });

  it("refuses a password built from the customer's own name or email", async () => {
    const personal = ["zorblax.quintavius@kelvaro.example", "Zorblax", "Quintavius"];
    for (const password of ["ZorblaxQuintavius1", "quintavius.zorblax", "KelvaroZorblax"]) {
      expect(await checkPasswordStrength(password, personal), password).toEqual({
        kind: "weak",
        message:
          "This password is too easy to guess. It contains your name or email address. Try a few unrelated words together.",
      });
      // The same password from someone else is fine: those words are only weak for their owner.
      expect(await checkPasswordStrength(password, ["ada@example.com"]), password).toEqual({
        kind: "strong",
      });
    }
  });

  it.each([
    "correct horse battery",
    "a sufficiently long passphrase 1f2e3d",
    "pässwörd 🔐 ключ 密码 long enough",
    "an entirely new passphrase ✓",
    "Tr0ub4dor&3 mango",
  ])("accepts a strong password: %s", async (password) => {
    expect(await checkPasswordStrength(password, ["ada@example.com", "Ada", "Lovelace"])).toEqual({
      kind: "strong",
    });
  });

  it("judges long passwords by their start, so 256 random characters are accepted and 256 a's are not", async () => {
    const random = Array.from({ length: 256 }, (_, i) =>
      String.fromCodePoint(33 + ((i * 7919) % 94)),
    ).join("");
    expect(await checkPasswordStrength(random)).toEqual({ kind: "strong" });
    expect(await checkPasswordStrength("a".repeat(256))).toEqual({
      kind: "weak",
      message: expect.stringMatching(PLAIN),
    });
  });

  it("gives one verdict per password, whatever was checked before (no state between calls)", async () => {
    const first = await checkPasswordStrength("password1234", ["a@example.com"]);
    await checkPasswordStrength("correct horse battery", ["password1234@example.com"]);
    expect(await checkPasswordStrength("password1234", ["a@example.com"])).toEqual(first);
  });
});
