// Types for the untyped internals of @directus/api 12.4.0 that directus-internals.ts imports.
declare module "@directus/api/utils/get-secret" {
  export function getSecret(): string;
}
declare module "@directus/api/utils/get-milliseconds" {
  export function getMilliseconds(value: unknown, fallback: number): number;
}
declare module "@directus/api/utils/is-url-allowed" {
  export default function isUrlAllowed(url: string, allowList: unknown): boolean;
}
declare module "@directus/api/utils/jwt" {
  export function verifyJWT(token: string, secret: string): Record<string, unknown>;
}
declare module "@directus/api/middleware/rate-limiter-registration" {
  import type { RequestHandler } from "express";
  const handler: RequestHandler;
  export default handler;
}
