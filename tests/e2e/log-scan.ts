/**
 * Promise 9 over the real server: after all journeys, nothing the Next server printed may contain a
 * password, token or secret. The journeys record every password they type and every token they take
 * from a mail (recordSecret), the stack adds its own secrets, and any JWT-shaped string counts too:
 * Directus's access, reset and verification tokens are JWTs, and the session cookie is a JWE.
 */
import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const E2E_OUTPUT_DIR = fileURLToPath(new URL("../../.test-data/e2e", import.meta.url));

const JWT_SHAPE = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/;

/** Called by the journeys (worker processes): remember a secret the app must never print. */
export function recordSecret(value: string): void {
  const file = process.env.E2E_SECRETS_FILE;
  if (file && value) appendFileSync(file, `${value}\n`);
}

/** A password a journey typed: a secret for the app's log, and never part of any request line. */
export function recordPassword(value: string): void {
  recordSecret(value);
  const file = process.env.E2E_PASSWORDS_FILE;
  if (file && value) appendFileSync(file, `${value}\n`);
}

/** The browser's side of an access log: `METHOD URL` of every request a journey's pages sent. */
export function logRequestLine(method: string, url: string): void {
  const file = process.env.E2E_REQUEST_LOG;
  if (file) appendFileSync(file, `${method} ${url}\n`);
}

/**
 * No password in any request line (the part of a request that access logs, proxies and browser
 * history keep): a form that submitted with GET would put it there. Checked raw and percent-decoded.
 */
export function assertNoPasswordsInRequestLines(requestLog: string, passwordsFile: string): void {
  const lines = readFileSync(requestLog, "utf8").split("\n").filter(Boolean);
  if (!lines.some((line) => line.startsWith("POST "))) {
    throw new Error(`${path.basename(requestLog)} holds no form post: the scan proves nothing`);
  }
  const passwords = readFileSync(passwordsFile, "utf8")
    .split("\n")
    .filter((s) => s.length >= 8);
  if (passwords.length === 0) throw new Error("no journey recorded a password");
  const decode = (line: string) => {
    try {
      return decodeURIComponent(line.replaceAll("+", " "));
    } catch {
      return line;
    }
  };
  const leaking = lines.filter((line) =>
    passwords.some((p) => line.includes(p) || decode(line).includes(p)),
  ).length;
  const passwordField = lines.filter((line) => /[?&]password=/i.test(line)).length;
  if (leaking > 0 || passwordField > 0) {
    throw new Error(
      `${leaking + passwordField} request lines carry a password (see ${requestLog})`,
    );
  }
  console.log(
    `request-line scan: ${passwords.length} passwords absent from ${lines.length} request lines`,
  );
}

export function assertNoSecretsIn(
  logFile: string,
  { recorded, known }: { recorded: string; known: string[] },
): void {
  const log = readFileSync(logFile, "utf8");
  // The canary: an empty capture would pass any search.
  if (!/Ready in/.test(log)) {
    throw new Error(
      `${path.basename(logFile)} does not hold the app's output: the scan proves nothing`,
    );
  }
  const secrets = [...known, ...readFileSync(recorded, "utf8").split("\n")].filter(
    (s) => s.length >= 8,
  );
  if (secrets.length <= known.length) {
    throw new Error("no journey recorded a secret: the log scan would prove little");
  }
  const leaked = secrets.filter((s) => log.includes(s)).length;
  const jwt = JWT_SHAPE.exec(log);
  const problems = [
    leaked > 0 ? `${leaked} of ${secrets.length} recorded secrets` : "",
    jwt ? `a JWT-shaped string at offset ${jwt.index}` : "",
  ].filter(Boolean);
  // The secrets themselves are not repeated here: this message ends up in CI logs.
  if (problems.length > 0) {
    throw new Error(`the app printed ${problems.join(" and ")} (see ${logFile})`);
  }
  console.log(
    `log scan: ${secrets.length} secrets and JWT shapes absent from ${log.length} bytes of app output`,
  );
}
