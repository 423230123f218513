/**
 * `npm run dev`: everything a developer needs, in one command, with no console clicks:
 * a mail catcher, Directus on embedded SQLite (bootstrapped and provisioned), and `next dev`.
 * Secrets are generated into .env.local on first run. Ctrl-C stops all of it.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readPasswordMinLength } from "../directus/scripts/provision.mjs";
import { ensureEnvFile } from "./env-file.mjs";
import {
  formatReport,
  portIsFree,
  secret,
  spawnService,
  startMailCatcher,
  startProvisionedDirectus,
} from "./stack.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = path.join(ROOT, ".data");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

const prefixed = (name) => (chunk) => {
  for (const line of chunk.split("\n"))
    if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
};

function portOf(url, fallback) {
  const u = new URL(url);
  return Number(u.port || fallback);
}

async function requireFreePorts(ports) {
  for (const [name, port] of Object.entries(ports)) {
    if (!(await portIsFree(port))) {
      throw new Error(
        `port ${port} (${name}) is already in use: stop whatever uses it or change it in .env.local`,
      );
    }
  }
}

async function main() {
  const { values: env, generated } = ensureEnvFile(
    path.join(ROOT, ".env.local"),
    path.join(ROOT, ".env.local.example"),
    {
      NEXTAUTH_SECRET: () => secret(32),
      DIRECTUS_SECRET: () => secret(32),
      DIRECTUS_ADMIN_PASSWORD: () => secret(12),
    },
  );
  if (generated.length) console.log(`Generated ${generated.join(", ")} into .env.local`);

  const appUrl = env.NEXTAUTH_URL ?? "http://localhost:3000";
  const directusUrl = env.DIRECTUS_URL ?? "http://127.0.0.1:8055";
  const ports = {
    app: portOf(appUrl, 3000),
    directus: portOf(directusUrl, 8055),
    "mail SMTP": Number(env.MAIL_SMTP_PORT ?? 1025),
    "mail UI": Number(env.MAIL_UI_PORT ?? 1080),
  };
  await requireFreePorts(ports);

  const stops = [];
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stops.reverse()) await stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => stopAll(0));
  process.on("SIGTERM", () => stopAll(0));

  try {
    console.log("Starting the mail catcher…");
    const mail = await startMailCatcher({
      smtpPort: ports["mail SMTP"],
      webPort: ports["mail UI"],
      mailDir: path.join(DATA, "mail"),
      onOutput: () => {},
    });
    stops.push(mail.stop);

    console.log("Starting Directus (embedded SQLite in .data/directus)…");
    const directus = await startProvisionedDirectus({
      dataDir: path.join(DATA, "directus"),
      port: ports.directus,
      appUrl,
      secrets: {
        secret: env.DIRECTUS_SECRET,
        adminEmail: env.DIRECTUS_ADMIN_EMAIL ?? "admin@example.com",
        adminPassword: env.DIRECTUS_ADMIN_PASSWORD,
      },
      // The app's idle session lifetime is enforced by Directus (SESSION_COOKIE_TTL): give it the same.
      sessionTtl: env.SESSION_MAX_AGE_SECONDS ? `${env.SESSION_MAX_AGE_SECONDS}s` : undefined,
      // Directus's password policy repeats the app's minimum, so the console cannot set a shorter one.
      passwordMinLength: readPasswordMinLength(env.PASSWORD_MIN_LENGTH),
      // The app's name signs the emails too.
      projectName: env.APP_NAME || undefined,
      smtpPort: ports["mail SMTP"],
      onOutput: prefixed("directus"),
    });
    stops.push(directus.stop);
    console.log(formatReport(directus.report));
    directus.child.on("exit", (code) => {
      if (!stopping) {
        console.error(`Directus exited (${code}); stopping everything.`);
        void stopAll(1);
      }
    });

    console.log("Starting Next.js…");
    const next = spawnService(process.execPath, [NEXT_BIN, "dev", "--port", String(ports.app)], {
      env: { ...process.env, ...env, NODE_ENV: "development", NEXT_TELEMETRY_DISABLED: "1" },
      onOutput: (s) => process.stdout.write(s),
    });
    stops.unshift(next.stop);
    next.exited.then((code) => {
      if (!stopping) {
        console.error(`Next.js exited (${code}); stopping everything.`);
        void stopAll(1);
      }
    });

    console.log(`
  ┌───────────────────────────────────────────────────────────────
  │ App             ${appUrl}
  │ Admin console   http://127.0.0.1:${ports.directus}/admin
  │                 ${env.DIRECTUS_ADMIN_EMAIL ?? "admin@example.com"} / ${env.DIRECTUS_ADMIN_PASSWORD}
  │ Mail catcher    ${mail.webUrl}
  │ Ctrl-C stops everything. Data lives in .data/ (delete it to start over).
  └───────────────────────────────────────────────────────────────
`);
  } catch (err) {
    console.error(`\nnpm run dev failed: ${err.message}`);
    if (/INVALID_CREDENTIALS/.test(err.message)) {
      console.error(
        "The admin login in .env.local no longer matches the one in .data/directus. Put the current password in DIRECTUS_ADMIN_PASSWORD, or delete .data/ to start over.",
      );
    }
    await stopAll(1);
  }
}

main();
