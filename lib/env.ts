import "server-only";
import { z } from "zod";

/**
 * All server configuration, read once and validated. Nothing else reads process.env.
 * Parsed lazily so that `next build` (which has no secrets) can import modules that use it.
 */
const envSchema = z.object({
  /**
   * The product's name: page headers, page titles and, through provisioning, the emails Directus
   * sends. The default is provisioning's too (directus/scripts/provision.mjs, DEFAULT_PROJECT_NAME).
   */
  APP_NAME: z.string().trim().min(1).max(60).default("Customer Accounts"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /**
   * Public URL of this app. Links in emails are built from it, never from request headers. Its
   * literal prefix decides Secure cookies (next-auth reads it the same way) and HSTS, so a scheme in
   * capitals, which a URL parser would accept, is refused rather than read two ways.
   */
  NEXTAUTH_URL: z
    .url()
    .refine(
      (url) => /^https?:\/\//.test(url),
      "must start with http:// or https:// (in lower case)",
    ),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
  /** Where the Next server reaches Directus. Server-to-server only; never sent to browsers. */
  DIRECTUS_URL: z.url(),
  /** How long one Directus call may take before the app answers "temporarily unavailable". */
  DIRECTUS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(12),
  /**
   * Idle lifetime of a session: the session cookie's lifetime. Directus enforces the same idle limit
   * on its side with SESSION_COOKIE_TTL; keep the two equal (the dev and compose set-ups do).
   */
  SESSION_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(7 * 24 * 60 * 60),
  /** Absolute lifetime of a session in seconds: it ends this long after sign-in, however active. */
  SESSION_ABSOLUTE_MAX_AGE: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 24 * 60 * 60),
  /** Optional: share rate limits between several Next instances (the refresh single-flight stays per process). */
  REDIS_URL: z.url().optional(),
  /**
   * Set to true when a reverse proxy in front of Next appends to or overwrites X-Forwarded-For: its
   * rightmost entry keys the per-address rate limits. Left false, X-Forwarded-For is ignored and the
   * TCP peer address (pinned by instrumentation.ts, overwriting anything a client sent) is used.
   * See lib/abuse/client-address.ts.
   */
  TRUST_PROXY: z.stringbool().default(false),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration (see .env.local.example):\n${problems.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/**
 * Whether the app is served over https: its cookies are then Secure (with the `__Secure-` prefix where
 * a name allows it), as next-auth decides for its own, and its pages send HSTS. Every cookie the app
 * sets and every security header follows this one answer.
 */
export function secureCookies(): boolean {
  return getEnv().NEXTAUTH_URL.startsWith("https://");
}

/** Tests change process.env between cases; production never re-reads it. */
export function resetEnvCacheForTests(): void {
  cached = undefined;
}
