/**
 * The one description of how Directus is configured for this app. The dev command, the tests and
 * .env.example share it; docker-compose.yml repeats the same values in YAML.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const TEMPLATES_PATH = fileURLToPath(new URL("../templates", import.meta.url));
/** Our extensions (customer-api), loaded straight from the repository; run-directus.mjs builds them. */
export const EXTENSIONS_PATH = fileURLToPath(new URL("../extensions", import.meta.url));
/** How long a customer may stay idle before signing in again (see SESSION_COOKIE_TTL below). */
export const DEFAULT_SESSION_TTL = "7d";

/**
 * @param {object} o
 * @param {string} o.publicUrl        where Directus itself is reached (admin console)
 * @param {string} o.appUrl           public URL of the Next app: allow lists for email links
 * @param {string} o.secret           Directus SECRET (signs its tokens)
 * @param {string} o.adminEmail
 * @param {string} o.adminPassword
 * @param {number} o.port
 * @param {string} o.dataDir          SQLite file and uploads live here
 * @param {{ host: string, port: number }} o.smtp
 * @param {{ client: "sqlite3" } | { client: "pg", host: string, port: number, database: string, user: string, password?: string }} [o.db]
 * @param {string} [o.sessionTtl]     idle session lifetime, Directus duration syntax ("7d", "30m")
 * @param {Record<string, string>} [o.extra]  e.g. ACCESS_TOKEN_TTL for tests; overrides the rest
 * @returns {Record<string, string>}
 */
export function directusEnv(o) {
  const db = o.db ?? { client: "sqlite3" };
  const dbEnv =
    db.client === "pg"
      ? {
          DB_CLIENT: "pg",
          DB_HOST: db.host,
          DB_PORT: String(db.port),
          DB_DATABASE: db.database,
          DB_USER: db.user,
          ...(db.password ? { DB_PASSWORD: db.password } : {}),
        }
      : { DB_CLIENT: "sqlite3", DB_FILENAME: path.join(o.dataDir, "directus.db") };
  const appUrl = o.appUrl.replace(/\/$/, "");
  const sessionTtl = o.sessionTtl ?? DEFAULT_SESSION_TTL;
  return {
    HOST: "127.0.0.1",
    PORT: String(o.port),
    PUBLIC_URL: o.publicUrl,
    SECRET: o.secret,
    ADMIN_EMAIL: o.adminEmail,
    ADMIN_PASSWORD: o.adminPassword,
    ...dbEnv,
    STORAGE_LOCATIONS: "local",
    STORAGE_LOCAL_ROOT: path.join(o.dataDir, "uploads"),
    // Directus loads every folder here that has a package.json with a "directus:extension" manifest.
    EXTENSIONS_PATH,
    // A broken extension stops Directus instead of starting without /customer/*.
    EXTENSIONS_MUST_LOAD: "true",
    EMAIL_TEMPLATES_PATH: TEMPLATES_PATH,
    EMAIL_FROM: "no-reply@example.com",
    EMAIL_TRANSPORT: "smtp",
    EMAIL_SMTP_HOST: o.smtp.host,
    EMAIL_SMTP_PORT: String(o.smtp.port),
    EMAIL_SMTP_SECURE: "false",
    EMAIL_SMTP_IGNORE_TLS: "true",
    EMAIL_VERIFY_SETUP: "false",
    // Links in emails may only point at the app's own pages.
    USER_REGISTER_URL_ALLOW_LIST: `${appUrl}/verify-email`,
    PASSWORD_RESET_URL_ALLOW_LIST: `${appUrl}/reset-password`,
    // Every customer reaches Directus through the Next server, so Directus sees one address for all
    // of them: its default of 5 registrations a minute per address would be 5 a minute for the whole
    // app. The app throttles per client and per account; this stays as a global backstop.
    RATE_LIMITER_REGISTRATION_POINTS: "120",
    RATE_LIMITER_REGISTRATION_DURATION: "60",
    // docker-compose.yml also turns on Directus's per-address limiter (RATE_LIMITER_ENABLED); this
    // stack leaves it off, since the tests and the bench call Directus many times from one address.
    // Customers sign in with mode "session": the app keeps the session JWT and Directus checks its
    // session row on every request. The app's idle session lifetime IS this TTL: the JWT expires after
    // SESSION_COOKIE_TTL, and each refresh slides the row by SESSION_COOKIE_TTL too; at login the row
    // gets REFRESH_TOKEN_TTL, so the two are kept equal. After a refresh the old JWT keeps working for
    // the grace period (and refreshing it again yields the same new JWT), so requests that raced the
    // refresh still succeed; stated here so the app can rely on it.
    SESSION_COOKIE_TTL: sessionTtl,
    REFRESH_TOKEN_TTL: sessionTtl,
    SESSION_REFRESH_GRACE_PERIOD: "10s",
    TELEMETRY: "false",
    LOG_LEVEL: "warn",
    LOG_STYLE: "pretty",
    WEBSOCKETS_ENABLED: "false",
    ...o.extra,
  };
}
