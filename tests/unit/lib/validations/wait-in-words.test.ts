import { describe, expect, it } from "vitest";
import { waitInWords } from "@/lib/validations/wait-in-words";

describe("waitInWords", () => {
  it.each([
    [30, "a minute"],
    [600, "10 minutes"],
    [3 * 3600, "3 hours"],
    [7 * 24 * 3600, "7 days"],
  ])("Retry-After %i s reads “%s”", (seconds, words) => {
    expect(waitInWords(seconds)).toBe(words);
  });
});
