/**
 * docker-compose.yml must be a valid deployment even though no Docker engine runs here:
 * Debian's docker-compose validates it offline. CI installs it; elsewhere a missing binary skips with a reason.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const hasCompose = spawnSync("docker-compose", ["version"], { encoding: "utf8" }).status === 0;
if (!hasCompose) {
  if (process.env.CI)
    throw new Error("docker-compose is required on CI to validate docker-compose.yml");
  console.warn(
    "Skipping compose validation: docker-compose is not installed (apt-get install -y docker-compose)",
  );
}

const secrets = {
  APP_URL: "https://app.example.com",
  DIRECTUS_PUBLIC_URL: "https://admin.example.com",
  DIRECTUS_SECRET: "s".repeat(48),
  DIRECTUS_ADMIN_EMAIL: "admin@example.com",
  DIRECTUS_ADMIN_PASSWORD: "p".repeat(24),
  NEXTAUTH_SECRET: "n".repeat(48),
  POSTGRES_PASSWORD: "q".repeat(24),
};

// An empty env file: a developer's own .env must not make the check pass by accident.
const emptyEnvFile = path.join(mkdtempSync(path.join(os.tmpdir(), "compose-")), "empty.env");
writeFileSync(emptyEnvFile, "");

function config(env: Record<string, string>) {
  // Only these variables, not the shell's.
  return spawnSync(
    "docker-compose",
    ["--project-directory", ROOT, "--env-file", emptyEnvFile, "-f", "docker-compose.yml", "config"],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", ...env },
    },
  );
}

describe.skipIf(!hasCompose)("docker-compose.yml", () => {
  it("validates with every secret set, and wires the app to Directus and Postgres", () => {
    const result = config(secrets);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    const out = result.stdout;
    for (const service of ["postgres:", "directus:", "mail:", "provision:", "app:"])
      expect(out).toContain(service);
    expect(out).toContain("directus/directus:12.4.0");
    // Directus is built with the customer API extension and enforces the app's idle lifetime.
    expect(out).toMatch(/context: .*\/directus\n/);
    expect(out).toMatch(/EXTENSIONS_MUST_LOAD: ["']?true["']?\n/);
    expect(out).toMatch(/SESSION_COOKIE_TTL: ["']?604800s["']?\n/);
    expect(out).toMatch(/REFRESH_TOKEN_TTL: ["']?604800s["']?\n/);
    expect(out).toMatch(/SESSION_MAX_AGE_SECONDS: ["']?604800["']?\n/);
    // No standing Directus credential anywhere.
    expect(out).not.toContain("DIRECTUS_SERVICE_TOKEN");
    expect(out).toContain("DB_CLIENT: pg");
    expect(out).toContain("https://app.example.com/reset-password");
    expect(out).toContain("https://app.example.com/verify-email");
    // Provisioning gives Directus the app's password rule and points the console at the app.
    const provision = /\n {2}provision:\n([\s\S]*?)\n {2}\S/.exec(out)?.[1] ?? "";
    expect(provision).toMatch(/APP_URL: https:\/\/app\.example\.com\n/);
    expect(provision).toMatch(/PASSWORD_MIN_LENGTH: ["']?12["']?\n/);
  });

  it("refuses to start without a required secret, naming it", () => {
    const withoutOne = Object.fromEntries(
      Object.entries(secrets).filter(([name]) => name !== "NEXTAUTH_SECRET"),
    );
    const result = config(withoutOne);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("NEXTAUTH_SECRET");
  });
});
