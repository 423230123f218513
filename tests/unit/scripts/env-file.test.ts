import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureEnvFile, parseEnvFile } from "../../../scripts/env-file.mjs";

function tempDir() {
  return mkdtempSync(path.join(os.tmpdir(), "env-file-"));
}

describe("ensureEnvFile", () => {
  it("creates the file from the template and fills only the empty secrets", () => {
    const dir = tempDir();
    const template = path.join(dir, "example");
    writeFileSync(template, "# comment\nA_URL=http://x\nSECRET=\nOTHER=keep\n");
    const file = path.join(dir, "local");
    let n = 0;
    const { values, generated } = ensureEnvFile(file, template, {
      SECRET: () => `gen${++n}`,
      MISSING: () => "new",
    });
    expect(generated).toEqual(["SECRET", "MISSING"]);
    expect(values).toEqual({ A_URL: "http://x", SECRET: "gen1", OTHER: "keep", MISSING: "new" });
    expect(readFileSync(file, "utf8")).toContain("# comment\n");
    // Secrets: readable by the owner only.
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it("never replaces a value that is already there", () => {
    const dir = tempDir();
    const file = path.join(dir, "local");
    writeFileSync(file, "SECRET=mine\n");
    const { values, generated } = ensureEnvFile(file, file, { SECRET: () => "other" });
    expect(generated).toEqual([]);
    expect(values.SECRET).toBe("mine");
    expect(readFileSync(file, "utf8")).toBe("SECRET=mine\n");
  });
});

describe("parseEnvFile", () => {
  it("reads KEY=value lines, strips matching quotes and ignores comments", () => {
    expect(parseEnvFile("# x\nA=1\nB=\"two words\"\n  C = '3'\nnot a line\n")).toEqual({
      A: "1",
      B: "two words",
      C: "3",
    });
  });
});
