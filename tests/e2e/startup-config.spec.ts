/**
 * README's promise: a bad configuration stops the server at start with the schema's message, instead
 * of failing the first request with a 500 (instrumentation.ts). Uses the production build the journeys
 * run on.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../scripts/stack.mjs";
import { expect, test } from "./fixtures";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

test("next start refuses to run with a bad configuration, naming what is wrong", async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(port)], {
    cwd: ROOT,
    // A real secret's length is checked too; NEXTAUTH_URL is not a URL; DIRECTUS_URL is missing.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      NEXTAUTH_URL: "not a url",
      NEXTAUTH_SECRET: "short",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += String(d)));
  child.stderr.on("data", (d) => (output += String(d)));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  expect(code, output).toBe(1);
  expect(output).toContain("Invalid configuration");
  for (const name of ["NEXTAUTH_URL", "NEXTAUTH_SECRET", "DIRECTUS_URL"]) {
    expect(output).toContain(name);
  }
  expect(output).not.toContain("    at ");
});
